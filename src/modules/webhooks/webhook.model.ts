import type { EventTypeName } from '../events/event.contract.js';

export interface WebhookRecord {
  id: string;
  sellerId: string;
  url: string;
  eventTypes: EventTypeName[];
  /** Only for signing; never leaves the API after createWebhook. */
  secret: string;
  active: boolean;
  createdAt: Date;
}

/** One attempt to deliver one event to one webhook. */
export interface WebhookDeliveryRecord {
  webhookId: string;
  eventId: string;
  attempt: number;
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  createdAt: Date;
}
