import type { Database, Tx } from '../../infra/prisma.js';
import type { WebhookDeliveryRecord, WebhookRecord } from './webhook.model.js';

type Db = Database | Tx;

export async function insertWebhook(db: Db, webhook: Omit<WebhookRecord, 'active' | 'createdAt'>): Promise<WebhookRecord> {
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

export async function findWebhookById(db: Db, id: string): Promise<WebhookRecord | null> {
  return db.webhook.findUnique({ where: { id } }) as Promise<WebhookRecord | null>;
}

/** The seller's active webhooks and the event types each wants. */
export async function activeWebhooks(db: Db, sellerId: string): Promise<Pick<WebhookRecord, 'id' | 'eventTypes'>[]> {
  return db.webhook.findMany({ where: { sellerId, active: true }, select: { id: true, eventTypes: true } }) as Promise<Pick<WebhookRecord, 'id' | 'eventTypes'>[]>;
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
