import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 100;

/** The stored form of an email: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailProblem(email: string, field: string[]): UserError | null {
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL.test(email)) return userError(UserErrorCode.INVALID, 'Give a valid email address', field);
  return null;
}

/** A name trimmed, or null when empty; an error when too long or holding control characters. */
export function cleanName(name: string | null | undefined, field: string[], required = false): { value: string | null; error: UserError | null } {
  const value = name?.trim() ?? '';
  if (value === '') return { value: null, error: required ? userError(UserErrorCode.INVALID, 'Give a name', field) : null };
  // eslint-disable-next-line no-control-regex
  if ([...value].length > NAME_MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) {
    return { value: null, error: userError(UserErrorCode.INVALID, `The name must have at most ${NAME_MAX_LENGTH} characters and no control characters`, field) };
  }
  return { value, error: null };
}
