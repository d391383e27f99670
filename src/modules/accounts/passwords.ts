import { hash, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** Algorithm.Argon2id (a const enum, which isolated modules cannot read). */
const ARGON2ID_ALGORITHM = 2;
/** OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const ARGON2ID = { algorithm: ARGON2ID_ALGORITHM, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** Longer passwords are refused: hashing is not free, and no one types more. */
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/** A hash of nothing anyone knows: an unknown email is checked against it, so it costs what a wrong password costs. */
let dummyHash: Promise<string> | undefined;

/**
 * True when the password matches the stored hash. With no stored hash (an unknown email) it
 * still runs one verification, so both answers take the same time. argon2's verify compares
 * the derived keys in constant time.
 */
export async function passwordMatches(password: string, storedHash: string | null): Promise<boolean> {
  const against = storedHash ?? (await (dummyHash ??= hashPassword(`dummy-${Math.random()}-${Date.now()}`)));
  let matches: boolean;
  try {
    matches = await verify(against, password);
  } catch {
    matches = false;
  }
  return storedHash !== null && matches;
}

/** Why the password may not be used, or null. */
export function passwordProblem(password: string, minLength: number, personal: readonly string[] = []): string | null {
  const length = [...password].length;
  if (length < minLength) return `The password must have at least ${minLength} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `The password may have at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  const core = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(core)) return 'The password is one of the most common passwords: choose another';
  if (new Set(password).size < 4) return 'The password repeats too few characters: choose another';
  if (personal.some((p) => p.length >= 3 && lower.includes(p.toLowerCase()))) return 'The password must not contain your email or name';
  return null;
}

/** Computes the dummy hash ahead of the first sign-in, so that one is not slower. */
export function preparePasswordChecks(): void {
  void passwordMatches('', null);
}
