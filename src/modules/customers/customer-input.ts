import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';
import type { CustomerFields } from './customer.model.js';

// Deliberately loose: the address is checked by delivering to it, not by a regex.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Digits with an optional leading + and the usual separators; 6-15 digits as E.164 allows. */
const PHONE = /^\+?[0-9 ().-]+$/;

/** The customer fields trimmed, or userErrors blaming fields under `path`. */
export function checkCustomerFields(input: CustomerFields, path: string[]): { ok: true; value: CustomerFields } | { ok: false; errors: UserError[] } {
  const errors: UserError[] = [];
  const email = input.email.trim();
  if (email.length > 254 || !EMAIL.test(email)) errors.push(userError(UserErrorCode.INVALID, 'Email must be an address like name@example.com, at most 254 characters', [...path, 'email']));
  const name = input.name?.trim() || null;
  if (name !== null && name.length > 200) errors.push(userError(UserErrorCode.INVALID, 'Name must be at most 200 characters', [...path, 'name']));
  const phone = input.phone?.trim() || null;
  if (phone !== null) {
    const digits = phone.replace(/\D/g, '').length;
    if (!PHONE.test(phone) || digits < 6 || digits > 15) errors.push(userError(UserErrorCode.INVALID, 'Phone must be 6-15 digits, optionally with a leading +', [...path, 'phone']));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { email, name, phone } };
}
