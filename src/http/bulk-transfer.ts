// Streamed CSV uploads (POST /imports/products, POST /imports/sales), its job's state (GET /jobs/:id, the upload's
// Location) and download (GET /exports/:jobId), authenticated like /graphql. Bodies are streamed straight to and from the blob store, never buffered whole.
import { Router, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkAccess, MUTATION_ACCESS } from '../graphql/access-policy.js';
import type { Authenticate, Viewer } from '../graphql/auth.js';
import { toGlobalId } from '../graphql/global-id.js';
import type { Logger } from '../infra/logger.js';
import { jobUrlOf, toJobJson, type ImportModeName, type JobRecord } from '../modules/bulk/job.model.js';
import type { Services } from '../services.js';

class PayloadTooLarge extends Error {}

/** Passes bytes through until there are more than the limit, then fails. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(new PayloadTooLarge());
    else done(null, chunk);
  }
}

function fail(res: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/** What an id in the path names (null: none of the caller's), or undefined once a 400 naming the expected form is sent. */
async function byPathId<T>(res: Response, read: () => Promise<T | null>): Promise<T | null | undefined> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof GraphQLError) || error.extensions['code'] !== 'BAD_USER_INPUT') throw error;
    fail(res, 400, 'BAD_USER_INPUT', error.message);
    return undefined;
  }
}

export function bulkTransferRouter(deps: { authenticate: Authenticate; services: Services; log: Logger; importMaxBytes: number; bulkPerMinute: number }): Router {
  const router = Router();

  async function viewerOf(req: Request, res: Response): Promise<Viewer | null> {
    try {
      const gatewaySeller = req.headers['x-seller-id'];
      const viewer = await deps.authenticate(req.headers.authorization, typeof gatewaySeller === 'string' ? gatewaySeller : undefined);
      if (viewer) return viewer;
      fail(res, 401, 'UNAUTHENTICATED', 'A valid bearer token is required');
    } catch (error) {
      fail(res, 401, 'UNAUTHENTICATED', error instanceof GraphQLError ? error.message : 'A valid bearer token is required');
    }
    return null;
  }

  /** Streams a CSV upload into a new job started by `start`; answers 202 with the job, or why not. */
  async function upload(req: Request, res: Response, start: (sellerId: string, body: ByteLimit) => Promise<JobRecord>, check: () => string | null = () => null) {
    // a refused upload is not read: the connection closes instead of draining a large body
    res.setHeader('Connection', 'close');
    const viewer = await viewerOf(req, res);
    if (!viewer) return;
    try {
      checkAccess(viewer, 'importProducts', MUTATION_ACCESS['importProducts']);
    } catch (error) {
      return fail(res, 403, 'FORBIDDEN', (error as Error).message);
    }
    const invalid = check();
    if (invalid) return fail(res, 400, 'BAD_USER_INPUT', invalid);
    if (!/^text\/csv\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return fail(res, 415, 'BAD_REQUEST', 'Send the file as Content-Type: text/csv');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > deps.importMaxBytes) return fail(res, 413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${deps.importMaxBytes} bytes`);
    const wait = await deps.services.bulk.takeBulkSlot(viewer.sellerId);
    if (wait > 0) {
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      return fail(res, 429, 'RATE_LIMITED', `At most ${deps.bulkPerMinute} imports and exports per minute`, { retryAfterMs: wait });
    }
    res.removeHeader('Connection');
    const body = new ByteLimit(deps.importMaxBytes);
    // both settle before the answer, so a refused upload has left nothing behind by then
    const [received, stored] = await Promise.allSettled([pipeline(req, body), start(viewer.sellerId, body)]);
    if (received.status === 'fulfilled' && stored.status === 'fulfilled') {
      return void res.status(202).location(jobUrlOf(stored.value.id)).json(toJobJson(stored.value));
    }
    const reasons = [received, stored].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const error = reasons.find((r) => r instanceof PayloadTooLarge) ?? reasons[0];
    if (error instanceof PayloadTooLarge) {
      res.setHeader('Connection', 'close');
      return fail(res, 413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${deps.importMaxBytes} bytes`);
    }
    if (req.destroyed || !req.complete) return void req.log.info('import upload aborted by the client');
    req.log.error({ err: error }, 'import upload failed');
    fail(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  }

  router.post('/imports/products', async (req, res) => {
    const mode = req.query['mode'] ?? 'UPSERT';
    await upload(
      req,
      res,
      (sellerId, body) => deps.services.bulk.startImport(sellerId, mode as ImportModeName, body),
      () => (mode !== 'UPSERT' && mode !== 'CREATE_ONLY' ? 'mode must be UPSERT or CREATE_ONLY' : null),
    );
  });

  // past sales (sku,quantity,soldAt) recorded as demand history; stock is not touched
  router.post('/imports/sales', async (req, res) => {
    await upload(req, res, (sellerId, body) => deps.services.bulk.startSalesImport(sellerId, body));
  });

  router.get('/jobs/:id', async (req, res) => {
    const viewer = await viewerOf(req, res);
    if (!viewer) return;
    // another seller's job reads as missing, as through the job(id:) query
    const job = await byPathId(res, () => deps.services.bulk.job(viewer.sellerId, req.params.id));
    if (job === undefined) return;
    if (!job) return fail(res, 404, 'NOT_FOUND', 'No such job');
    res.setHeader('Cache-Control', 'private, no-store');
    res.status(200).json(toJobJson(job));
  });

  router.get('/exports/:jobId', async (req, res) => {
    const viewer = await viewerOf(req, res);
    if (!viewer) return;
    // another seller's export reads as missing, like every other object of theirs
    const found = await byPathId(res, () => deps.services.bulk.openExport(viewer.sellerId, req.params.jobId));
    if (found === undefined) return;
    // an export's file is deleted EXPORT_RETENTION_HOURS after it finished (src/modules/retention)
    if (!found) return fail(res, 404, 'NOT_FOUND', 'No such export, or its file has expired');
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="products-${toGlobalId('Job', found.job.id)}.csv"`);
    res.setHeader('Cache-Control', 'private, no-store');
    try {
      await pipeline(found.csv, res);
    } catch (error) {
      if (!res.writableEnded) res.destroy();
      req.log.warn({ err: error }, 'export download interrupted');
    }
  });

  return router;
}
