import type { Database, Tx } from '../../infra/prisma.js';
import type { DisableRule, WebhookDeliveryRecord, WebhookRecord } from './webhook.model.js';

type Db = Database | Tx;

type NewWebhook = Pick<WebhookRecord, 'id' | 'sellerId' | 'url' | 'eventTypes' | 'secret'>;

export async function insertWebhook(db: Db, webhook: NewWebhook): Promise<WebhookRecord> {
  return db.webhook.create({ data: webhook }) as Promise<WebhookRecord>;
}

export async function listWebhooks(db: Db, sellerId: string): Promise<WebhookRecord[]> {
  return db.webhook.findMany({ where: { sellerId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }) as Promise<WebhookRecord[]>;
}

export async function countWebhooks(db: Db, sellerId: string): Promise<number> {
  return db.webhook.count({ where: { sellerId } });
}

/** Deletes the seller's webhook (and its delivery records); false when there is none. */
export async function deleteWebhook(db: Db, sellerId: string, id: string): Promise<boolean> {
  const { count } = await db.webhook.deleteMany({ where: { id, sellerId } });
  return count > 0;
}

export async function findWebhooks(db: Db, sellerId: string, ids: readonly string[]): Promise<WebhookRecord[]> {
  return db.webhook.findMany({ where: { id: { in: [...ids] }, sellerId } }) as Promise<WebhookRecord[]>;
}

export async function findWebhookById(db: Db, id: string): Promise<WebhookRecord | null> {
  return db.webhook.findUnique({ where: { id } }) as Promise<WebhookRecord | null>;
}

/** The active webhooks of several sellers and the event types each wants, in one query (a relay batch spans sellers). */
export async function activeWebhooksOf(db: Db, sellerIds: readonly string[]): Promise<Pick<WebhookRecord, 'id' | 'sellerId' | 'eventTypes'>[]> {
  return db.webhook.findMany({ where: { sellerId: { in: [...sellerIds] }, active: true }, select: { id: true, sellerId: true, eventTypes: true } }) as Promise<
    Pick<WebhookRecord, 'id' | 'sellerId' | 'eventTypes'>[]
  >;
}

export async function recordDelivery(db: Db, delivery: Omit<WebhookDeliveryRecord, 'createdAt'>): Promise<void> {
  await db.webhookDelivery.create({ data: delivery });
}

/** A webhook's delivery attempts, newest first. */
export async function listDeliveries(db: Db, webhookId: string, limit: number, eventId?: string): Promise<WebhookDeliveryRecord[]> {
  return db.webhookDelivery.findMany({
    where: { webhookId, ...(eventId ? { eventId } : {}) },
    orderBy: { id: 'desc' },
    take: limit,
    select: { webhookId: true, eventId: true, attempt: true, delivered: true, statusCode: true, error: true, durationMs: true, createdAt: true },
  });
}

/** Clears a failing streak; writes nothing when there is none (the common case). */
export async function recordSuccess(db: Db, id: string): Promise<void> {
  await db.webhook.updateMany({ where: { id, OR: [{ consecutiveFailures: { gt: 0 } }, { failingSince: { not: null } }] }, data: { consecutiveFailures: 0, failingSince: null } });
}

/**
 * Counts one failed attempt and disables the webhook when the streak reaches the rule's count or
 * age. Returns whether it is disabled now. Concurrent failures of one webhook each count once.
 */
export async function recordFailure(db: Db, id: string, rule: DisableRule, lastError: string): Promise<boolean> {
  const [streak] = await db.$queryRaw<{ failures: number; since: Date; active: boolean }[]>`
    UPDATE webhooks SET consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, now())
    WHERE id = ${id}::uuid RETURNING consecutive_failures AS failures, failing_since AS since, active`;
  if (!streak) return false;
  if (!streak.active) return true;
  const hours = (Date.now() - streak.since.getTime()) / 3_600_000;
  if (streak.failures < rule.afterFailures && hours < rule.afterHours) return false;
  const reason =
    `Disabled after ${streak.failures} failed delivery attempts in a row since ${streak.since.toISOString()} ` +
    `(limit: ${rule.afterFailures} attempts or ${rule.afterHours} h); last error: ${lastError.slice(0, 200)}`;
  await db.webhook.updateMany({ where: { id, active: true }, data: { active: false, disabledAt: new Date(), disabledReason: reason } });
  return true;
}

/** Turns deliveries back on with a fresh streak; null when the seller has no such webhook. */
export async function enableWebhook(db: Db, sellerId: string, id: string): Promise<WebhookRecord | null> {
  const rows = await db.webhook.updateManyAndReturn({
    where: { id, sellerId },
    data: { active: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0, failingSince: null },
  });
  return (rows[0] as WebhookRecord | undefined) ?? null;
}

/** Webhooks whose secret is not sealed under the current key (plaintext rows, older keys). */
export async function webhooksToSeal(db: Db, currentPrefix: string, afterId: string | undefined, limit: number): Promise<Pick<WebhookRecord, 'id' | 'secret'>[]> {
  return db.webhook.findMany({
    where: { NOT: { secret: { startsWith: currentPrefix } }, ...(afterId ? { id: { gt: afterId } } : {}) },
    select: { id: true, secret: true },
    take: limit,
    orderBy: { id: 'asc' },
  });
}

/** Replaces a stored secret if nobody changed it meanwhile. */
export async function replaceSecret(db: Db, id: string, from: string, to: string): Promise<boolean> {
  const { count } = await db.webhook.updateMany({ where: { id, secret: from }, data: { secret: to } });
  return count > 0;
}
