import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toGlobalId } from '../../src/graphql/global-id.js';
import type { JobRecord } from '../../src/modules/bulk/job.model.js';
import type { TestApi } from './api.js';
import { eventually } from './subscriptions.js';

/** A blob directory of its own for one test file. */
export async function tempBlobDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'amused-blobs-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The seller's job by its global id (from a response) or its key (from a service's JobRecord). */
export async function jobOf(api: TestApi, sellerId: string, id: string): Promise<JobRecord | null> {
  return api.services.bulk.job(sellerId, UUID.test(id) ? toGlobalId('Job', id) : id);
}

/** Waits until the job is COMPLETED or FAILED and returns it (read from the database). */
export async function finishedJob(api: TestApi, sellerId: string, id: string, timeoutMs = 30_000): Promise<JobRecord> {
  let job: JobRecord | null = null;
  await eventually(
    async () => {
      job = await jobOf(api, sellerId, id);
      return job?.state === 'COMPLETED' || job?.state === 'FAILED';
    },
    timeoutMs,
    `job ${id} to finish`,
  );
  return job!;
}

/** POSTs a CSV body (a string, or chunks generated on the fly) to /imports/products (or options.path). */
export async function uploadCsv(
  api: TestApi,
  sellerId: string | null,
  body: string | AsyncIterable<string>,
  options: { mode?: string; headers?: Record<string, string>; path?: string } = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'text/csv', ...options.headers };
  if (sellerId !== null) headers.authorization = `Bearer ${await api.token(sellerId)}`;
  const url = `${api.url}${options.path ?? '/imports/products'}${options.mode ? `?mode=${options.mode}` : ''}`;
  const streamed =
    typeof body === 'string'
      ? body
      : streamOf(body);
  const res = await fetch(url, { method: 'POST', headers, body: streamed, duplex: 'half' } as RequestInit);
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

/** A request body pulled from the generator chunk by chunk, as the server reads it (never built whole). */
function streamOf(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
}

export const CSV_HEADER = 'sku,name,description,price,quantity,category,lowStockThreshold';
