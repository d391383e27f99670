import type { Database } from '../../infra/prisma.js';

/** Completed exports whose file is still offered and that finished before the cutoff. */
export async function expiredExports(db: Database, before: Date, limit: number): Promise<{ id: string; blobKey: string }[]> {
  return db.job.findMany({
    where: { kind: 'PRODUCT_EXPORT', downloadUrl: { not: null }, finishedAt: { lt: before } },
    select: { id: true, blobKey: true },
    orderBy: { finishedAt: 'asc' },
    take: limit,
  });
}

/** The export's file is gone: the job stays, without a downloadUrl. */
export async function withdrawDownload(db: Database, jobId: string): Promise<void> {
  await db.job.updateMany({ where: { id: jobId }, data: { downloadUrl: null, updatedAt: new Date() } });
}
