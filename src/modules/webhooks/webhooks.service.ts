import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import { badUserInput } from '../../graphql/errors.js';
import { uuidKeyOfInput } from '../../graphql/global-id.js';
import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';
import type { Database } from '../../infra/prisma.js';
import type { Queues } from '../../infra/queues.js';
import { fromScreamingCase } from '../events/event.contract.js';
import type { EventRecord } from '../events/event.model.js';
import { DELIVERY_JOB_OPTIONS, WEBHOOK_QUEUE, deliveryJobId, type WebhookJobData } from './webhook.jobs.js';
import type { WebhookDeliveryRecord, WebhookRecord } from './webhook.model.js';
import { WebhookSecretBox } from './webhook-secret-box.js';
import { newWebhookSecret } from './webhook-signature.js';
import { checkWebhookUrl } from './webhook-url.js';
import * as webhooks from './webhooks.repository.js';

export const MAX_WEBHOOKS_PER_SELLER = 20;

export type WebhookResult = { webhook: WebhookRecord | null; secret: string | null; userErrors: UserError[] };

export class WebhooksService {
  private readonly box: WebhookSecretBox;

  constructor(
    private readonly db: Database,
    private readonly queues: Queues,
    private readonly settings: Config['webhooks'],
  ) {
    this.box = new WebhookSecretBox(settings.secretKey, settings.oldSecretKeys);
  }

  async createWebhook(sellerId: string, input: { url: string; eventTypes: string[] }): Promise<WebhookResult> {
    const errors: UserError[] = [];
    if (input.eventTypes.length === 0) errors.push(userError(UserErrorCode.INVALID, 'Name at least one event type', ['input', 'eventTypes']));
    const urlProblem = await checkWebhookUrl(input.url, { allowPrivate: this.settings.allowPrivate });
    if (urlProblem) errors.push(userError(UserErrorCode.INVALID, urlProblem, ['input', 'url']));
    if (errors.length === 0 && (await webhooks.countWebhooks(this.db, sellerId)) >= MAX_WEBHOOKS_PER_SELLER) {
      errors.push(userError(UserErrorCode.INVALID, `A seller can have at most ${MAX_WEBHOOKS_PER_SELLER} webhooks`, ['input']));
    }
    if (errors.length > 0) return { webhook: null, secret: null, userErrors: errors };
    const secret = newWebhookSecret();
    const eventTypes = [...new Set(input.eventTypes.map(fromScreamingCase))];
    const id = randomUUID();
    const webhook = await webhooks.insertWebhook(this.db, { id, sellerId, url: input.url, eventTypes, secret: this.box.seal(id, secret) });
    return { webhook, secret, userErrors: [] };
  }

  /** Turns deliveries to a disabled webhook back on; events from while it was disabled are not sent (read them with events). */
  async enableWebhook(sellerId: string, id: string): Promise<{ webhook: WebhookRecord | null; secret: null; userErrors: UserError[] }> {
    const webhook = await webhooks.enableWebhook(this.db, sellerId, uuidKeyOfInput('Webhook', id, 'id'));
    if (!webhook) return { webhook: null, secret: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'Webhook not found', ['id'])] };
    return { webhook, secret: null, userErrors: [] };
  }

  webhooks(sellerId: string): Promise<WebhookRecord[]> {
    return webhooks.listWebhooks(this.db, sellerId);
  }

  webhooksByIds(sellerId: string, ids: readonly string[]): Promise<WebhookRecord[]> {
    return webhooks.findWebhooks(this.db, sellerId, ids);
  }

  async deleteWebhook(sellerId: string, id: string): Promise<{ deletedWebhookId: string | null; userErrors: UserError[] }> {
    const key = uuidKeyOfInput('Webhook', id, 'id');
    if (!(await webhooks.deleteWebhook(this.db, sellerId, key))) return { deletedWebhookId: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'Webhook not found', ['id'])] };
    return { deletedWebhookId: key, userErrors: [] };
  }

  async deliveries(webhook: WebhookRecord, first: number | null | undefined, eventId?: string | null): Promise<WebhookDeliveryRecord[]> {
    const limit = first ?? 20;
    if (!Number.isInteger(limit) || limit < 0 || limit > 100) throw badUserInput('first must be between 0 and 100');
    return limit === 0 ? [] : webhooks.listDeliveries(this.db, webhook.id, limit, eventId ?? undefined);
  }

  /** Queues one delivery per (matching webhook, event); called by the relay, at least once per event. */
  async enqueueDeliveries(events: EventRecord[]): Promise<void> {
    const hooksOf = new Map<string, { id: string; eventTypes: readonly string[] }[]>();
    for (const hook of await webhooks.activeWebhooksOf(this.db, [...new Set(events.map((e) => e.sellerId))])) {
      hooksOf.set(hook.sellerId, [...(hooksOf.get(hook.sellerId) ?? []), hook]);
    }
    const jobs: { name: string; data: WebhookJobData; opts: typeof DELIVERY_JOB_OPTIONS }[] = [];
    for (const event of events) {
      for (const hook of hooksOf.get(event.sellerId) ?? []) {
        if (!hook.eventTypes.includes(event.type)) continue;
        const data = { webhookId: hook.id, sellerId: event.sellerId, eventId: event.eventId };
        jobs.push({ name: 'deliver', data, opts: { ...DELIVERY_JOB_OPTIONS, jobId: deliveryJobId(hook.id, event.eventId) } });
      }
    }
    if (jobs.length > 0) await this.queues.get<WebhookJobData>(WEBHOOK_QUEUE).addBulk(jobs);
  }
}
