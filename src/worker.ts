import type { Infra } from './infra/connect.js';
import { startAnalytics } from './modules/analytics/analytics.jobs.js';
import { startIntelligence } from './modules/intelligence/intelligence.jobs.js';
import { startBulkJobs } from './modules/bulk/bulk.jobs.js';
import { startWebhookDeliveries } from './modules/webhooks/webhook.jobs.js';
import { EventRetention } from './modules/events/event-retention.js';
import { OutboxRelay } from './modules/events/live/outbox-relay.js';
import { startReservationExpiry } from './modules/inventory/reservation-expiry.worker.js';
import { startNotifications } from './modules/notifications/notification.jobs.js';
import { startPaymentRecovery } from './modules/payments/payment-recovery.jobs.js';
import { startRetention } from './modules/retention/retention.jobs.js';
import { startSearchIndexer } from './modules/catalog/search-index.jobs.js';
import type { Services } from './services.js';

/** One piece of background work the worker role runs; stop() lets in-flight work finish. */
export interface WorkerPart {
  name: string;
  stop: () => Promise<void>;
}

export interface RunningWorker {
  parts: WorkerPart[];
  stop: () => Promise<void>;
}

/** Starts the worker role: BullMQ processors and the outbox relay. */
export async function startWorker(infra: Infra, services: Services): Promise<RunningWorker> {
  const parts: WorkerPart[] = [
    startRelay(infra, services),
    startEventRetention(infra),
    startReservationExpiry(infra, services),
    startBulkJobs(infra, services),
    startWebhookDeliveries(infra),
    startNotifications(infra, services),
    startPaymentRecovery(infra, services),
    startAnalytics(infra),
    startRetention(infra),
    startIntelligence(infra),
    startSearchIndexer(infra),
  ];
  infra.log.info({ parts: parts.map((p) => p.name) }, 'worker started');
  return {
    parts,
    stop: async () => {
      await Promise.all(parts.map((p) => p.stop()));
    },
  };
}

function startRelay(infra: Infra, services: Services): WorkerPart {
  const relay = new OutboxRelay(
    infra.db,
    {
      databaseUrl: infra.config.databaseUrl,
      pollMs: infra.config.relay.pollMs,
      lockRetryMs: infra.config.relay.lockRetryMs,
      wakeups: (listener) => infra.bus.onRelayWake(listener),
      // per relay batch: one Redis pipeline of publishes (in sequence order), one addBulk per queue
      publish: async (events) => {
        await infra.bus.publishBatch(events);
        // the consumers' job ids derive from eventIds and sequences: a republished batch is queued once
        await Promise.all([services.webhooks.enqueueDeliveries(events), services.analytics.enqueueEvents(events), services.intelligence.noteEvents(events)]);
      },
    },
    infra.log,
  );
  relay.start();
  return { name: 'outbox-relay', stop: () => relay.stop() };
}

function startEventRetention(infra: Infra): WorkerPart {
  const stop = new EventRetention(infra.db, infra.config.eventRetention, infra.log).start();
  return { name: 'event-retention', stop };
}
