import { UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import http from 'node:http';
import https from 'node:https';
import type { Config } from '../../config.js';
import type { Infra } from '../../infra/connect.js';
import type { Logger } from '../../infra/logger.js';
import type { Database } from '../../infra/prisma.js';
import { closeWorker, createWorker, fairProcessor } from '../../infra/queues.js';
import { SellerSlots } from '../../infra/seller-slots.js';
import type { WorkerPart } from '../../worker.js';
import type { EventEnvelope } from '../events/event.contract.js';
import { toEnvelope } from '../events/event.envelope.js';
import { findEventByEventId } from '../events/events.repository.js';
import { sealWebhookSecrets } from './webhook-secret-migration.js';
import { WebhookSecretBox } from './webhook-secret-box.js';
import { signWebhook } from './webhook-signature.js';
import { guardedLookup, literalAddressRefused } from './webhook-url.js';
import { findWebhookById, recordDelivery, recordFailure, recordSuccess } from './webhooks.repository.js';

export const WEBHOOK_QUEUE = 'webhooks';

/** Only the event's id: the deliverer reads the event from the log, so Redis holds no copy of it. */
export interface WebhookJobData {
  webhookId: string;
  /** Whose delivery it is, for per-seller fairness (the event itself is read from the log). */
  sellerId: string;
  eventId: string;
}

/**
 * One BullMQ job per (webhook, event). The job id is derived from both, so relaying an event
 * again (the relay publishes at least once) adds nothing. eventIds contain ":", which BullMQ
 * job ids may not, hence the URI encoding (which is one-to-one).
 */
export const deliveryJobId = (webhookId: string, eventId: string) => `${webhookId}-${encodeURIComponent(eventId)}`;

/** 1 + 5 retries, 0.5 s, 1 s, 2 s, 4 s, 8 s apart (the notification consumer of events.md). */
export const DELIVERY_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false, // kept for inspection
};

type Outcome = { statusCode: number; error?: undefined } | { statusCode?: undefined; error: string };

/** POSTs signed event envelopes to webhooks, records every attempt, and disables endpoints that keep failing. */
export class WebhookDeliverer {
  private readonly box: WebhookSecretBox;

  constructor(
    private readonly db: Database,
    private readonly settings: Config['webhooks'],
    private readonly log: Logger,
  ) {
    this.box = new WebhookSecretBox(settings.secretKey, settings.oldSecretKeys);
  }

  async process(job: Job<WebhookJobData>): Promise<string> {
    const { webhookId, eventId } = job.data;
    const webhook = await findWebhookById(this.db, webhookId);
    if (!webhook || !webhook.active) return 'skipped: the webhook was deleted';
    const record = await findEventByEventId(this.db, eventId);
    if (!record) return 'skipped: the event is no longer in the log';
    const event = toEnvelope(record);
    if (!webhook) return 'skipped: the webhook was deleted';
    if (!webhook.active) return 'skipped: the webhook is disabled';
    const attempt = job.attemptsMade + 1;
    const rawBody = JSON.stringify(event);
    const started = performance.now();
    const outcome = await this.post(webhook.url, this.box.open(webhook.id, webhook.secret), rawBody, event, attempt);
    const durationMs = Math.round(performance.now() - started);
    const delivered = outcome.statusCode !== undefined && outcome.statusCode >= 200 && outcome.statusCode < 300;
    try {
      await recordDelivery(this.db, {
        webhookId,
        eventId: event.eventId,
        attempt,
        delivered,
        statusCode: outcome.statusCode ?? null,
        error: outcome.error ?? (delivered ? null : `HTTP ${outcome.statusCode}`),
        durationMs,
      });
    } catch (err) {
      // the webhook was deleted meanwhile (its records went with it)
      this.log.debug({ err, webhookId }, 'webhook delivery not recorded');
    }
    if (delivered) {
      await recordSuccess(this.db, webhookId);
      return `delivered: HTTP ${outcome.statusCode}`;
    }
    const failure = outcome.error ?? `the endpoint answered HTTP ${outcome.statusCode}`;
    const rule = { afterFailures: this.settings.disableAfterFailures, afterHours: this.settings.disableAfterHours };
    // no further retries for a disabled endpoint: the seller re-enables it with enableWebhook
    if (await recordFailure(this.db, webhookId, rule, failure)) throw new UnrecoverableError(`${failure}; the webhook is disabled`);
    throw new Error(failure);
  }

  private post(url: string, secret: string, rawBody: string, event: EventEnvelope, attempt: number): Promise<Outcome> {
    const { allowPrivate, timeoutMs } = this.settings;
    if (literalAddressRefused(url, allowPrivate)) return Promise.resolve({ error: 'refused: the URL points to a private address' });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(rawBody)),
      'user-agent': 'Amused-Webhooks/1.0',
      'x-amused-event-id': event.eventId,
      'x-amused-event-type': event.eventType,
      'x-amused-timestamp': timestamp,
      'x-amused-signature': signWebhook(secret, timestamp, rawBody),
      'x-amused-delivery-attempt': String(attempt),
    };
    const transport = url.startsWith('https:') ? https : http;
    return new Promise<Outcome>((resolve) => {
      const request = transport.request(
        url,
        { method: 'POST', headers, agent: false, lookup: guardedLookup(allowPrivate), signal: AbortSignal.timeout(timeoutMs) },
        (response) => {
          response.resume(); // the body is not needed; the timeout still bounds it
          response.on('error', () => undefined);
          resolve({ statusCode: response.statusCode ?? 0 });
        },
      );
      request.on('error', (error: Error & { code?: string }) => {
        const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError' || error.code === 'ABORT_ERR';
        resolve({ error: timedOut ? `timed out after ${timeoutMs} ms` : `${error.code ?? error.name}: ${error.message}` });
      });
      request.end(rawBody);
    });
  }
}

/** Deliveries in flight per worker, and per seller across workers. */
const WEBHOOK_CONCURRENCY = 20;
export const WEBHOOK_DELIVERIES_PER_SELLER = 5;
/** How soon a delivery whose seller is busy is picked again. */
const WEBHOOK_SELLER_RETRY_MS = 200;

export function startWebhookDeliveries(infra: Infra): WorkerPart {
  const box = new WebhookSecretBox(infra.config.webhooks.secretKey, infra.config.webhooks.oldSecretKeys);
  sealWebhookSecrets(infra.db, box, infra.log).then(
    (sealed) => sealed > 0 && infra.log.info({ sealed }, 'sealed webhook secrets under the current WEBHOOK_SECRET_KEY'),
    (err: unknown) => infra.log.error({ err }, 'could not seal webhook secrets'),
  );
  const deliverer = new WebhookDeliverer(infra.db, infra.config.webhooks, infra.log);
  // one seller's slow endpoints hold at most a quarter of the deliveries in flight
  const fairness = {
    slots: new SellerSlots(infra.redis, `${infra.config.redisPrefix}:seller-slots:${WEBHOOK_QUEUE}`, WEBHOOK_DELIVERIES_PER_SELLER, Math.max(30_000, 2 * infra.config.webhooks.timeoutMs)),
    sellerOf: (job: Job<WebhookJobData>) => job.data.sellerId,
    retryMs: WEBHOOK_SELLER_RETRY_MS,
    log: infra.log,
  };
  const worker = createWorker<WebhookJobData>(infra.config, WEBHOOK_QUEUE, fairProcessor(fairness, (job) => deliverer.process(job)), { concurrency: WEBHOOK_CONCURRENCY });
  worker.on('error', (err) => infra.log.warn({ err }, 'webhook worker error'));
  return { name: 'webhook-deliveries', stop: () => closeWorker(worker) };
}
