import type { Job } from '../../generated/prisma/client.js';
import type { Database, Tx } from '../../infra/prisma.js';
import { downloadUrlOf, type ExportFilter, type ImportModeName, type JobKindName, type JobRecord, type RowErrorRecord } from './job.model.js';

type Db = Database | Tx;

/** Stored errors are bounded: a file with 100k columns must not store (and answer) megabytes per job. */
export const MAX_JOB_ERROR_CHARS = 1000;
export const MAX_ROW_ERROR_MESSAGE_CHARS = 500;

/** The text cut to at most max characters (whole code points), marked as cut. */
export function truncateError(text: string, max: number): string {
  const chars = Array.from(text.length > max * 2 ? text.slice(0, max * 2) : text);
  if (chars.length <= max) return text;
  const marker = '... (truncated)';
  return chars.slice(0, max - marker.length).join('') + marker;
}

function toRecord(row: Job): JobRecord {
  // the URL is derived, so exports finished before global ids get the current form too
  return { ...row, filter: row.filter as ExportFilter | null, downloadUrl: row.downloadUrl === null ? null : downloadUrlOf(row.id) };
}

export async function insertJob(
  db: Db,
  job: { id: string; sellerId: string; kind: JobKindName; mode?: ImportModeName; filter?: ExportFilter; blobKey: string },
): Promise<JobRecord> {
  return toRecord(await db.job.create({ data: { ...job, filter: job.filter as object | undefined } }));
}

export async function findJob(db: Db, sellerId: string, id: string): Promise<JobRecord | null> {
  const row = await db.job.findFirst({ where: { id, sellerId } });
  return row && toRecord(row);
}

export async function findJobs(db: Db, sellerId: string, ids: readonly string[]): Promise<JobRecord[]> {
  const rows = await db.job.findMany({ where: { id: { in: [...ids] }, sellerId } });
  return rows.map(toRecord);
}

/** The seller's jobs, newest first, older than the job at `beforeSeq`. */
export async function listJobs(db: Db, sellerId: string, beforeSeq: bigint | undefined, limit: number): Promise<JobRecord[]> {
  const rows = await db.job.findMany({
    where: { sellerId, ...(beforeSeq !== undefined ? { seq: { lt: beforeSeq } } : {}) },
    orderBy: { seq: 'desc' },
    take: limit,
  });
  return rows.map(toRecord);
}

/** Marks a queued or interrupted job active for one more attempt; null when it is gone or finished. */
export async function startJob(db: Db, id: string): Promise<JobRecord | null> {
  const rows = await db.job.updateManyAndReturn({
    where: { id, state: { in: ['QUEUED', 'ACTIVE'] } },
    data: { state: 'ACTIVE', attempts: { increment: 1 }, startedAt: new Date(), updatedAt: new Date() },
  });
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function setTotalRows(db: Db, id: string, totalRows: number): Promise<void> {
  await db.job.update({ where: { id }, data: { totalRows, updatedAt: new Date() } });
}

/** The job's committed position, locked until the transaction ends so one writer advances it at a time. */
export async function lockJobPosition(tx: Tx, id: string): Promise<Pick<JobRecord, 'state' | 'processedRows' | 'rowErrorCount'> | null> {
  const rows = await tx.$queryRaw<{ state: JobRecord['state']; processedRows: number; rowErrorCount: number }[]>`
    SELECT state, processed_rows AS "processedRows", row_error_count AS "rowErrorCount" FROM jobs WHERE id = ${id}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

/** Advances an import by one committed batch: counters, the resume position and the kept row errors. */
export async function saveImportBatch(
  tx: Tx,
  id: string,
  batch: { processed: number; succeeded: number; failed: number; errors: RowErrorRecord[] },
): Promise<void> {
  if (batch.errors.length > 0) {
    await tx.jobRowError.createMany({ data: batch.errors.map((e) => ({ jobId: id, ...e, message: truncateError(e.message, MAX_ROW_ERROR_MESSAGE_CHARS) })) });
  }
  await tx.job.update({
    where: { id },
    data: {
      processedRows: { increment: batch.processed },
      succeededRows: { increment: batch.succeeded },
      failedRows: { increment: batch.failed },
      rowErrorCount: { increment: batch.errors.length },
      updatedAt: new Date(),
    },
  });
}

export async function saveExportProgress(db: Db, id: string, processedRows: number): Promise<void> {
  await db.job.update({ where: { id }, data: { processedRows, succeededRows: processedRows, updatedAt: new Date() } });
}

export async function completeJob(db: Db, id: string, data: { downloadUrl?: string; totalRows?: number } = {}): Promise<void> {
  const now = new Date();
  await db.job.update({ where: { id }, data: { ...data, state: 'COMPLETED', error: null, finishedAt: now, updatedAt: now } });
}

/** Records a failed attempt: FAILED when it was the last, else QUEUED again for the retry. */
export async function failJob(db: Db, id: string, reason: string, final: boolean): Promise<void> {
  const now = new Date();
  const error = truncateError(reason, MAX_JOB_ERROR_CHARS);
  await db.job.updateMany({
    where: { id, state: { in: ['QUEUED', 'ACTIVE'] } },
    data: final ? { state: 'FAILED', error, finishedAt: now, updatedAt: now } : { state: 'QUEUED', error, updatedAt: now },
  });
}

/** Hands an active job back to the queue (worker shutdown); it resumes from its committed position. */
export async function requeueJob(db: Db, id: string): Promise<void> {
  await db.job.updateMany({ where: { id, state: 'ACTIVE' }, data: { state: 'QUEUED', updatedAt: new Date() } });
}

export async function listRowErrors(db: Db, jobId: string, limit: number): Promise<RowErrorRecord[]> {
  return db.jobRowError.findMany({
    where: { jobId },
    orderBy: [{ row: 'asc' }, { id: 'asc' }],
    take: limit,
    select: { row: true, field: true, message: true },
  });
}

/**
 * Whether an import of the seller is running: ACTIVE and written to within `recentMs` (a worker
 * killed mid-import leaves its job ACTIVE until another takes it over; that one does not count).
 */
export async function importRunning(db: Db, sellerId: string, recentMs: number): Promise<boolean> {
  const found = await db.job.findFirst({
    where: { sellerId, kind: { in: ['PRODUCT_IMPORT', 'SALES_IMPORT'] }, state: 'ACTIVE', updatedAt: { gt: new Date(Date.now() - recentMs) } },
    select: { id: true },
  });
  return found !== null;
}
