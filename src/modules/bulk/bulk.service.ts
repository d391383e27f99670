import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PubSub } from 'type-graphql';
import type { Config } from '../../config.js';
import { badUserInput } from '../../graphql/errors.js';
import { uuidKeyOfInput } from '../../graphql/global-id.js';
import { decodeCursor, encodeCursor, isBigintText, pageRequest, toConnection, type Connection } from '../../graphql/pagination.js';
import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';
import type { BlobStore } from '../../infra/blob-store.js';
import type { Database } from '../../infra/prisma.js';
import type { Queues } from '../../infra/queues.js';
import type { ProductListArgs } from '../catalog/product.service.js';
import { BULK_QUEUE, bulkJobName, bulkJobOptions, type BulkJobData } from './bulk.jobs.js';
import { BulkLimiter, bulkRateLimited } from './bulk-limit.js';
import { isFinished, type ExportFilter, type ImportModeName, type JobRecord, type RowErrorRecord } from './job.model.js';
import { failJob, findJob, findJobs, insertJob, listJobs, listRowErrors } from './jobs.repository.js';

/** CSV text sent inline to importProducts; larger files stream to POST /imports/products. */
export const MAX_INLINE_CSV_BYTES = 1024 * 1024;
const MAX_ROW_ERRORS_PAGE = 1000;
/** How often a jobProgress subscriber re-reads the job when no progress message arrives (Redis may drop them). */
const PROGRESS_POLL_MS = 1000;

export type JobResult = { job: JobRecord | null; userErrors: UserError[] };

export const jobTopic = (jobId: string) => `jobs:${jobId}`;

export class BulkService {
  private readonly limiter: BulkLimiter;

  constructor(
    private readonly db: Database,
    private readonly queues: Queues,
    readonly blobs: BlobStore,
    limiter: { redis: ConstructorParameters<typeof BulkLimiter>[0]; prefix: string },
    private readonly pubSub: PubSub,
    private readonly settings: Config['jobs'],
  ) {
    this.limiter = new BulkLimiter(limiter.redis, limiter.prefix, settings.bulkPerMinute);
  }

  /** Takes one of the seller's bulk slots; returns 0, or the milliseconds until one frees up. */
  takeBulkSlot(sellerId: string): Promise<number> {
    return this.limiter.take(sellerId);
  }

  private async takeSlotOrThrow(sellerId: string): Promise<void> {
    const wait = await this.limiter.take(sellerId);
    if (wait > 0) throw bulkRateLimited(wait, this.settings.bulkPerMinute);
  }

  async importCsvText(sellerId: string, csv: string, mode: ImportModeName): Promise<JobResult> {
    if (Buffer.byteLength(csv) > MAX_INLINE_CSV_BYTES) {
      return {
        job: null,
        userErrors: [userError(UserErrorCode.INVALID, 'csv is limited to 1 MB here; stream larger files to POST /imports/products', ['csv'])],
      };
    }
    await this.takeSlotOrThrow(sellerId);
    return { job: await this.startImport(sellerId, mode, Readable.from([Buffer.from(csv)])), userErrors: [] };
  }

  /** Stores the CSV (streamed, never buffered whole), then queues its import. The caller took the bulk slot. */
  async startImport(sellerId: string, mode: ImportModeName, content: Readable): Promise<JobRecord> {
    const id = randomUUID();
    const blobKey = `imports/${id}.csv`;
    await this.blobs.put(blobKey, content);
    try {
      return await this.enqueue(await insertJob(this.db, { id, sellerId, kind: 'PRODUCT_IMPORT', mode, blobKey }));
    } catch (error) {
      await this.blobs.delete(blobKey);
      throw error;
    }
  }

  /** Stores a sales history CSV (streamed), then queues its import. The caller took the bulk slot. */
  async startSalesImport(sellerId: string, content: Readable): Promise<JobRecord> {
    const id = randomUUID();
    const blobKey = `imports/${id}.csv`;
    await this.blobs.put(blobKey, content);
    try {
      return await this.enqueue(await insertJob(this.db, { id, sellerId, kind: 'SALES_IMPORT', blobKey }));
    } catch (error) {
      await this.blobs.delete(blobKey);
      throw error;
    }
  }

  async exportProducts(sellerId: string, filter: ProductListArgs['filter']): Promise<JobResult> {
    const stored = toExportFilter(filter);
    await this.takeSlotOrThrow(sellerId);
    const id = randomUUID();
    const job = await insertJob(this.db, { id, sellerId, kind: 'PRODUCT_EXPORT', filter: stored, blobKey: `exports/${id}.csv` });
    return { job: await this.enqueue(job), userErrors: [] };
  }

  private async enqueue(job: JobRecord): Promise<JobRecord> {
    try {
      await this.queues.get<BulkJobData>(BULK_QUEUE).add(bulkJobName(job), { jobId: job.id, sellerId: job.sellerId }, bulkJobOptions(job.id));
    } catch (error) {
      await failJob(this.db, job.id, 'The job could not be queued', true);
      throw error;
    }
    return job;
  }

  /** `id`: the job's global id, as GraphQL and the REST routes take it. */
  async job(sellerId: string, id: string): Promise<JobRecord | null> {
    return findJob(this.db, sellerId, uuidKeyOfInput('Job', id, 'id'));
  }

  jobsByIds(sellerId: string, keys: readonly string[]): Promise<JobRecord[]> {
    return findJobs(this.db, sellerId, keys);
  }

  /** The seller's jobs, newest first. */
  async jobs(sellerId: string, args: { first?: number | null; after?: string | null }): Promise<Connection<JobRecord>> {
    const request = pageRequest({ first: args.first, after: args.after });
    let before: bigint | undefined;
    if (request.cursor !== undefined) {
      const [seq] = decodeCursor('job', request.cursor);
      if (!isBigintText(seq)) throw badUserInput('Invalid cursor');
      before = BigInt(seq);
    }
    const rows = await listJobs(this.db, sellerId, before, request.size + 1);
    return toConnection(rows, request, (j) => encodeCursor('job', [j.seq.toString()]), before !== undefined);
  }

  async rowErrors(job: JobRecord, first: number | null | undefined): Promise<RowErrorRecord[]> {
    const limit = first ?? 100;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_ROW_ERRORS_PAGE) throw badUserInput(`first must be between 0 and ${MAX_ROW_ERRORS_PAGE}`);
    return limit === 0 ? [] : listRowErrors(this.db, job.id, limit);
  }

  /** A finished export of the seller, with a stream of its CSV; null for anything else. */
  async openExport(sellerId: string, id: string): Promise<{ job: JobRecord; csv: Readable } | null> {
    const job = await this.job(sellerId, id);
    if (!job || job.kind !== 'PRODUCT_EXPORT' || job.state !== 'COMPLETED') return null;
    if ((await this.blobs.size(job.blobKey)) === null) return null;
    return { job, csv: this.blobs.get(job.blobKey) };
  }

  /** Tells jobProgress subscribers (on every api instance) that the job changed. */
  async changed(jobId: string): Promise<void> {
    await this.pubSub.publish(jobTopic(jobId), { jobId });
  }

  /** The job as it is now, then again on every change, ending after it completes or fails. */
  async watch(sellerId: string, id: string): Promise<AsyncIterable<JobRecord>> {
    const job = await this.job(sellerId, id);
    if (!job) throw badUserInput('Job not found');
    const messages = this.pubSub.subscribe(jobTopic(job.id))[Symbol.asyncIterator]();
    return this.follow(sellerId, job.id, messages);
  }

  private async *follow(sellerId: string, id: string, messages: AsyncIterator<unknown>): AsyncGenerator<JobRecord> {
    let message = messages.next(); // subscribes before the first read, so no change falls in between
    try {
      let last = await findJob(this.db, sellerId, id);
      if (!last) return;
      yield last;
      while (!isFinished(last)) {
        const woke = await Promise.race([message.then(() => true), sleep(PROGRESS_POLL_MS, false, { ref: false })]);
        if (woke) message = messages.next();
        const current: JobRecord | null = await findJob(this.db, sellerId, id);
        if (!current) return;
        if (current.updatedAt.getTime() !== last.updatedAt.getTime() || current.state !== last.state) yield current;
        last = current;
      }
    } finally {
      await messages.return?.();
    }
  }
}

function toExportFilter(filter: ProductListArgs['filter']): ExportFilter | undefined {
  if (!filter) return undefined;
  if (filter.search != null && filter.search.length > 200) throw badUserInput('filter.search must be at most 200 characters');
  const stored: ExportFilter = {};
  if (filter.search) stored.search = filter.search;
  if (filter.category != null) stored.category = filter.category;
  if (filter.minPrice != null) stored.minPrice = filter.minPrice.toFixed();
  if (filter.maxPrice != null) stored.maxPrice = filter.maxPrice.toFixed();
  if (filter.inStock != null) stored.inStock = filter.inStock;
  if (filter.lowStock != null) stored.lowStock = filter.lowStock;
  return stored;
}
