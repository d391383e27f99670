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

/**
 * Sessions that ended (revoked or expired) before the cutoff, with their refresh tokens, and
 * invitations that expired or were accepted before it. A live session keeps its spent refresh
 * tokens: they are what recognizes a stolen one.
 */
export async function deleteEndedSessions(db: Database, before: Date): Promise<number> {
  const sessions = await db.session.deleteMany({ where: { OR: [{ revokedAt: { lt: before } }, { expiresAt: { lt: before } }] } });
  await db.invite.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { acceptedAt: { lt: before } }] } });
  return sessions.count;
}
