import type { Infra } from '../../infra/connect.js';
import type { Services } from '../../services.js';
import type { WorkerPart } from '../../worker.js';

/** A payment or refund PENDING this long has lost its request (a crash, an unreachable provider). */
const STALE_AFTER_MS = 60_000;
const RECOVERY_INTERVAL_MS = 30_000;

/**
 * Every RECOVERY_INTERVAL_MS, finishes payments and refunds left PENDING: the provider is asked
 * again with the same idempotency key, so nothing is charged or refunded twice.
 */
export function startPaymentRecovery(infra: Infra, services: Services): WorkerPart {
  let running: Promise<void> | undefined;
  const recover = async () => {
    try {
      const done = await services.payments.recoverStale(new Date(Date.now() - STALE_AFTER_MS));
      if (done.payments + done.refunds > 0) infra.log.info(done, 'payment recovery finished pending payments and refunds');
    } catch (err) {
      infra.log.error({ err }, 'payment recovery failed');
    }
  };
  const timer = setInterval(() => {
    running ??= recover().finally(() => (running = undefined));
  }, RECOVERY_INTERVAL_MS);
  timer.unref();
  return {
    name: 'payment-recovery',
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
