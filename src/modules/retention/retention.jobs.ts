import type { Config } from '../../config.js';
import type { BlobStore } from '../../infra/blob-store.js';
import { LocalBlobStore } from '../../infra/blob-store.js';
import type { Infra } from '../../infra/connect.js';
import type { Logger } from '../../infra/logger.js';
import type { Database } from '../../infra/prisma.js';
import type { WorkerPart } from '../../worker.js';
import { deleteExpiredIdempotencyKeys } from '../idempotency/idempotency-keys.repository.js';
import { deleteEndedSessions, expiredExports, withdrawDownload } from './retention.repository.js';

const HOUR_MS = 3_600_000;
/** An ended session is kept this long, so a reused refresh token of it is still recognized for a while. */
const ENDED_SESSION_KEPT_MS = 24 * HOUR_MS;

export interface PurgeResult {
  exportFiles: number;
  idempotencyKeys: number;
  /** Sessions ended more than a day ago (their refresh tokens go with them). */
  sessions: number;
}

/**
 * Deletes what has outlived its retention: export files (EXPORT_RETENTION_HOURS after the export
 * finished; the job stays, without downloadUrl) and idempotency keys (IDEMPOTENCY_KEY_TTL_HOURS
 * after they were claimed), sessions a day after they ended, spent invitations. Idempotent: several workers may run it at once.
 */
export async function purgeExpired(deps: { db: Database; blobs: BlobStore }, retention: Config['retention'], now = new Date()): Promise<PurgeResult> {
  let exportFiles = 0;
  const exportCutoff = new Date(now.getTime() - retention.exportHours * HOUR_MS);
  for (;;) {
    const jobs = await expiredExports(deps.db, exportCutoff, 200);
    for (const job of jobs) {
      // the file goes first: a crash in between leaves a job that the next sweep finishes
      await deps.blobs.delete(job.blobKey);
      await withdrawDownload(deps.db, job.id);
      exportFiles += 1;
    }
    if (jobs.length < 200) break;
  }
  const idempotencyKeys = await deleteExpiredIdempotencyKeys(deps.db, new Date(now.getTime() - retention.idempotencyKeyHours * HOUR_MS));
  const sessions = await deleteEndedSessions(deps.db, new Date(now.getTime() - ENDED_SESSION_KEPT_MS));
  return { exportFiles, idempotencyKeys, sessions };
}

/** The retention sweep: at start, then every RETENTION_SWEEP_INTERVAL_MS (a timer, like the reservation sweep). */
export function startRetention(infra: Pick<Infra, 'db' | 'config' | 'log'>, blobs: BlobStore = new LocalBlobStore(infra.config.jobs.blobDir)): WorkerPart {
  const log: Logger = infra.log;
  let sweeping: Promise<void> | undefined;
  const sweep = async () => {
    try {
      const purged = await purgeExpired({ db: infra.db, blobs }, infra.config.retention);
      if (purged.exportFiles + purged.idempotencyKeys + purged.sessions > 0) log.info(purged, 'retention sweep deleted expired data');
    } catch (err) {
      log.error({ err }, 'retention sweep failed');
    }
  };
  const run = () => {
    sweeping ??= sweep().finally(() => (sweeping = undefined));
  };
  run();
  const timer = setInterval(run, infra.config.retention.sweepIntervalMs);
  return {
    name: 'retention',
    stop: async () => {
      clearInterval(timer);
      await sweeping;
    },
  };
}
