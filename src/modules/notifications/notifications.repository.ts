import type { Notification } from '../../generated/prisma/client.js';
import type { Database, Tx } from '../../infra/prisma.js';
import { ALL_ON, type NotificationData, type NotificationRecord, type NotificationSettingsRecord, type NotificationTemplate } from './notification.model.js';

type Db = Database | Tx;

function toRecord(row: Notification): NotificationRecord {
  return {
    id: row.id,
    sellerId: row.sellerId,
    orderId: row.orderId,
    channel: row.channel,
    template: row.template as NotificationTemplate,
    recipient: row.recipient,
    data: row.data as NotificationData,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

export async function insertNotifications(
  tx: Tx,
  rows: { sellerId: string; orderId: number; channel: 'EMAIL' | 'SMS'; template: NotificationTemplate; recipient: string; data: NotificationData }[],
): Promise<number[]> {
  const created = await tx.notification.createManyAndReturn({ data: rows.map((r) => ({ ...r, data: { ...r.data } })), select: { id: true } });
  return created.map((r) => r.id);
}

export async function findNotificationById(db: Db, id: number): Promise<NotificationRecord | null> {
  const row = await db.notification.findUnique({ where: { id } });
  return row && toRecord(row);
}

export async function findNotifications(db: Db, sellerId: string, ids: readonly number[]): Promise<NotificationRecord[]> {
  const rows = await db.notification.findMany({ where: { sellerId, id: { in: [...ids] } } });
  return rows.map(toRecord);
}

/** A page of the seller's notifications, newest first, optionally of one order. */
export async function listNotifications(db: Db, sellerId: string, orderId: number | undefined, beforeId: number | undefined, limit: number): Promise<NotificationRecord[]> {
  const rows = await db.notification.findMany({
    where: { sellerId, ...(orderId !== undefined ? { orderId } : {}), ...(beforeId !== undefined ? { id: { lt: beforeId } } : {}) },
    orderBy: { id: 'desc' },
    take: limit,
  });
  return rows.map(toRecord);
}

/** The notifications of the seller's orders, oldest first. */
export async function notificationsOfOrders(db: Db, sellerId: string, orderIds: readonly number[]): Promise<NotificationRecord[]> {
  const rows = await db.notification.findMany({ where: { sellerId, orderId: { in: [...orderIds] } }, orderBy: { id: 'asc' } });
  return rows.map(toRecord);
}

/** Counts an attempt; the send is then recorded by markSent or markFailed. */
export async function recordAttempt(db: Db, id: number): Promise<void> {
  await db.notification.update({ where: { id }, data: { attempts: { increment: 1 } } });
}

/** QUEUED -> SENT; false when it had already left QUEUED. */
export async function markSent(db: Db, id: number): Promise<boolean> {
  const { count } = await db.notification.updateMany({ where: { id, status: 'QUEUED' }, data: { status: 'SENT', sentAt: new Date(), lastError: null } });
  return count === 1;
}

/** Records why an attempt failed; with `final` the notification becomes FAILED. */
export async function markFailed(db: Db, id: number, error: string, final: boolean): Promise<void> {
  await db.notification.updateMany({ where: { id, status: 'QUEUED' }, data: { lastError: error.slice(0, 1000), ...(final ? { status: 'FAILED' } : {}) } });
}

/** QUEUED notifications older than `before` (their job may have been lost), oldest first. */
export async function findStaleQueuedIds(db: Db, before: Date, limit: number): Promise<{ id: number; sellerId: string }[]> {
  return db.notification.findMany({ where: { status: 'QUEUED', createdAt: { lt: before } }, orderBy: { createdAt: 'asc' }, take: limit, select: { id: true, sellerId: true } });
}

export async function findSettings(db: Db, sellerId: string): Promise<NotificationSettingsRecord> {
  const row = await db.notificationSetting.findUnique({ where: { sellerId } });
  return row ? { emailEnabled: row.emailEnabled, smsEnabled: row.smsEnabled, disabledTemplates: row.disabledTemplates as NotificationTemplate[] } : ALL_ON;
}

export async function saveSettings(db: Db, sellerId: string, settings: NotificationSettingsRecord): Promise<NotificationSettingsRecord> {
  const data = { ...settings, disabledTemplates: [...settings.disabledTemplates], updatedAt: new Date() };
  await db.notificationSetting.upsert({ where: { sellerId }, create: { sellerId, ...data }, update: data });
  return settings;
}
