import { toGlobalId } from '../../graphql/global-id.js';
export const JOB_KINDS = ['PRODUCT_IMPORT', 'PRODUCT_EXPORT', 'SALES_IMPORT'] as const;
export type JobKindName = (typeof JOB_KINDS)[number];
export type JobStateName = 'QUEUED' | 'ACTIVE' | 'COMPLETED' | 'FAILED';
export type ImportModeName = 'UPSERT' | 'CREATE_ONLY';

/** The product filter of an export as stored with the job (decimals as strings). */
export interface ExportFilter {
  search?: string;
  category?: string;
  minPrice?: string;
  maxPrice?: string;
  inStock?: boolean;
  lowStock?: boolean;
}

/** A bulk import or export; the database row is the truth, BullMQ only schedules it. */
export interface JobRecord {
  id: string;
  /** Insertion order. */
  seq: bigint;
  sellerId: string;
  kind: JobKindName;
  state: JobStateName;
  mode: ImportModeName | null;
  filter: ExportFilter | null;
  blobKey: string;
  totalRows: number | null;
  processedRows: number;
  succeededRows: number;
  failedRows: number;
  rowErrorCount: number;
  downloadUrl: string | null;
  error: string | null;
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface RowErrorRecord {
  row: number;
  field: string | null;
  message: string;
}

/** Row errors kept per job; failedRows still counts every failed row. */
export const MAX_KEPT_ROW_ERRORS = 1000;

export const isFinished = (job: Pick<JobRecord, 'state'>): boolean => job.state === 'COMPLETED' || job.state === 'FAILED';

/** 0..1: rows processed of the total once the total is known; 1 when completed. */
export function progressOf(job: Pick<JobRecord, 'state' | 'processedRows' | 'totalRows'>): number {
  if (job.state === 'COMPLETED') return 1;
  if (!job.totalRows) return 0;
  return Math.min(1, job.processedRows / job.totalRows);
}

/** Where a finished export's CSV is read: GET /exports/<the job's global id>. */
export const downloadUrlOf = (jobId: string) => `/exports/${toGlobalId('Job', jobId)}`;

/** Where a job's state is read over REST: the Location of an upload's 202. */
export const jobUrlOf = (jobId: string) => `/jobs/${toGlobalId('Job', jobId)}`;

/** What a client sees of a job over REST (the same fields as the GraphQL Job, ids as global ids). */
export function toJobJson(job: JobRecord) {
  return {
    id: toGlobalId('Job', job.id),
    kind: job.kind,
    state: job.state,
    mode: job.mode,
    progress: progressOf(job),
    processedRows: job.processedRows,
    totalRows: job.totalRows,
    succeededRows: job.succeededRows,
    failedRows: job.failedRows,
    downloadUrl: job.downloadUrl,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
