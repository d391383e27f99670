/**
 * Tokens already verified, so a caller's every request does not pay for the signature check
 * again. Bounded (least recently used goes first); an entry is good until the token's `exp` and
 * never past it, and only under the keys it was verified with: a different `keys` value (a
 * reloaded JWKS) makes it a miss.
 */
export class VerifiedTokens<T> {
  private readonly entries = new Map<string, { value: T; validUntilMs: number; keys: unknown }>();

  constructor(
    private readonly maxEntries: number,
    /** How long a token without `exp` stays cached. */
    private readonly noExpiryTtlMs: number,
  ) {}

  get(token: string, keys: unknown): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (Date.now() >= entry.validUntilMs || entry.keys !== keys) return undefined;
    this.entries.set(token, entry); // most recently used last
    return entry.value;
  }

  /** `expiresAt`: the token's exp, in seconds since the epoch. */
  set(token: string, value: T, expiresAt: number | undefined, keys: unknown): void {
    const validUntilMs = expiresAt === undefined ? Date.now() + this.noExpiryTtlMs : expiresAt * 1000;
    if (validUntilMs <= Date.now()) return;
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { value, validUntilMs, keys });
  }

  get size(): number {
    return this.entries.size;
  }
}
