import type { Logger } from '../../infra/logger.js';
import type { Database } from '../../infra/prisma.js';
import type { WebhookSecretBox } from './webhook-secret-box.js';
import { replaceSecret, webhooksToSeal } from './webhooks.repository.js';

/**
 * Seals every webhook secret not yet sealed under the current key: rows from before encryption
 * (plaintext) and rows of a rotated-out key. Run by each worker at start; idempotent, and safe
 * beside other workers (a row is replaced only if it still holds what was read). A row sealed
 * with a key no longer configured is logged and left as it is.
 */
export async function sealWebhookSecrets(db: Database, box: WebhookSecretBox, log?: Logger): Promise<number> {
  let sealed = 0;
  let afterId: string | undefined;
  for (;;) {
    const rows = await webhooksToSeal(db, box.currentPrefix, afterId, 500);
    if (rows.length === 0) return sealed;
    for (const row of rows) {
      let secret: string;
      try {
        secret = box.open(row.id, row.secret);
      } catch (err) {
        log?.error({ err, webhookId: row.id }, 'webhook secret cannot be opened with the configured keys');
        continue;
      }
      if (await replaceSecret(db, row.id, row.secret, box.seal(row.id, secret))) sealed += 1;
    }
    afterId = rows.at(-1)!.id;
  }
}
