import { Decimal } from 'decimal.js';
import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';

/** An amount of money as given: positive, at most 2 decimal places; null when not given. */
export function checkAmount(amount: Decimal | null | undefined, field: string[]): { ok: true; value: Decimal | null } | { ok: false; errors: UserError[] } {
  if (amount == null) return { ok: true, value: null };
  const value = new Decimal(amount);
  if (value.lessThanOrEqualTo(0)) return { ok: false, errors: [userError(UserErrorCode.INVALID, 'Amount must be more than 0', field)] };
  if (value.decimalPlaces() > 2) return { ok: false, errors: [userError(UserErrorCode.INVALID, 'Amount must have at most 2 decimal places', field)] };
  return { ok: true, value };
}

export function checkText(value: string | null | undefined, max: number, message: string, field: string[], required: boolean): UserError[] {
  if (value == null) return required ? [userError(UserErrorCode.INVALID, message, field)] : [];
  return value.trim().length === 0 || value.length > max ? [userError(UserErrorCode.INVALID, message, field)] : [];
}
