import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'aes256gcm:v1';

/** Names a key without revealing it: the first 8 hex digits of its SHA-256. */
export const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

export class UnknownSecretKey extends Error {}

/**
 * Webhook signing secrets at rest: AES-256-GCM under WEBHOOK_SECRET_KEY, stored as
 * `aes256gcm:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url). The webhook id is the associated
 * data, so a sealed secret copied to another row does not open. Keys in WEBHOOK_SECRET_KEYS_OLD
 * still open what they sealed (rotation); the worker re-seals those, and legacy plaintext rows,
 * under the current key at start (see sealWebhookSecrets).
 */
export class WebhookSecretBox {
  private readonly keys: Map<string, Buffer>;
  readonly currentKeyId: string;

  constructor(
    private readonly current: Buffer,
    old: readonly Buffer[] = [],
  ) {
    this.currentKeyId = keyIdOf(current);
    this.keys = new Map([...old.map((k) => [keyIdOf(k), k] as const), [this.currentKeyId, current]]);
  }

  seal(webhookId: string, secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    cipher.setAAD(Buffer.from(webhookId));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [PREFIX, this.currentKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  open(webhookId: string, stored: string): string {
    if (!stored.startsWith(`${PREFIX}:`)) return stored; // a row from before encryption, sealed at the next worker start
    const [, , keyId, iv, tag, ciphertext] = stored.split(':');
    const key = this.keys.get(keyId ?? '');
    if (!key || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new UnknownSecretKey(`the webhook secret is sealed with key ${keyId}, which is neither WEBHOOK_SECRET_KEY nor in WEBHOOK_SECRET_KEYS_OLD`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(webhookId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** True when the stored value is sealed under the current key (nothing to re-seal). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(this.currentPrefix);
  }

  /** How values sealed under the current key begin. */
  get currentPrefix(): string {
    return `${PREFIX}:${this.currentKeyId}:`;
  }
}
