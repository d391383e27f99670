import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignIn, signUp, uniqueEmail } from '../support/accounts.js';
import { startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ SIGN_IN_PER_EMAIL_PER_MINUTE: '100000', SIGN_IN_PER_ADDRESS_PER_MINUTE: '100000' });
});
afterAll(() => api?.stop());

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

describe('sign-in timing', () => {
  it('an unknown email takes as long as a wrong password (medians within noise, not a hard timer)', async () => {
    const owner = await signUp(api, 'timing');
    const timed = async (email: string) => {
      const started = performance.now();
      const res = await api.gql(SignIn, { input: { email, password: 'not the right password' } }, { seller: null });
      expect(res.data?.signIn.userErrors[0]?.message).toBe('The email or the password is wrong');
      return performance.now() - started;
    };
    await timed(owner.email); // warm-up: first requests compile and connect
    await timed(uniqueEmail('warm'));
    const wrongPassword: number[] = [];
    const unknownEmail: number[] = [];
    // interleaved, so load from elsewhere on the machine hits both alike
    for (let i = 0; i < 15; i++) {
      wrongPassword.push(await timed(owner.email));
      unknownEmail.push(await timed(uniqueEmail(`nobody${i}`)));
    }
    const ratio = median(unknownEmail) / median(wrongPassword);
    // skipping the hash for unknown emails would make this ratio about 0.1 (a lookup against an Argon2id verification)
    expect(ratio, `medians: unknown ${median(unknownEmail).toFixed(1)} ms, wrong ${median(wrongPassword).toFixed(1)} ms`).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.67);
  }, 60_000);
});
