import type { EventTypeName } from '../events/event.contract.js';

export interface WebhookRecord {
  id: string;
  sellerId: string;
  url: string;
  eventTypes: EventTypeName[];
  /** Sealed (WebhookSecretBox); opened only to sign, never leaves the API after createWebhook. */
  secret: string;
  /** False once disabled for failing (disabledAt says when, disabledReason why). */
  active: boolean;
  createdAt: Date;
  consecutiveFailures: number;
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
}

/** When an endpoint that keeps failing is disabled (WEBHOOK_DISABLE_AFTER_*). */
export interface DisableRule {
  afterFailures: number;
  afterHours: number;
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
