import type { Viewer } from '../../graphql/auth.js';
import { badUserInput } from '../../graphql/errors.js';
import { serialKeyOf, toGlobalId } from '../../graphql/global-id.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../graphql/pagination.js';
import type { Database, Tx } from '../../infra/prisma.js';
import type { AuditEntry } from './accounts.types.js';

export type AuditAction =
  | 'SIGN_UP'
  | 'SIGN_IN'
  | 'SIGN_IN_FAILED'
  | 'REFRESH_TOKEN_REUSED'
  | 'PASSWORD_CHANGED'
  | 'USER_INVITED'
  | 'INVITE_ACCEPTED'
  | 'INVITE_REVOKED'
  | 'ROLE_CHANGED'
  | 'USER_REMOVED'
  | 'API_KEY_CREATED'
  | 'API_KEY_REVOKED';

export interface AuditRecord {
  sellerId: string;
  action: AuditAction;
  actor?: string | null;
  subject?: string | null;
  detail?: Record<string, string>;
  clientIp?: string | null;
}

/** How an audit entry names who acted. */
export function actorOf(viewer: Viewer, userEmail?: string | null, apiKeyName?: string | null): string {
  if (viewer.apiKeyId !== undefined) return `apiKey:${apiKeyName ?? viewer.apiKeyId}`;
  if (viewer.userId !== undefined) return `user:${userEmail ?? viewer.userId}`;
  return 'token';
}

export async function recordAudit(db: Database | Tx, entry: AuditRecord): Promise<void> {
  await db.auditEntry.create({
    data: { sellerId: entry.sellerId, action: entry.action, actor: entry.actor ?? null, subject: entry.subject ?? null, detail: entry.detail, clientIp: entry.clientIp ?? null },
  });
}

/** The seller's audit entries, newest first, `first` at a time after the cursor. */
export async function listAudit(db: Database, sellerId: string, first: number | null | undefined, after: string | null | undefined) {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, { field: 'first' });
  let before: bigint | undefined;
  if (after !== null && after !== undefined) {
    const key = serialKeyOf('AuditEntry', after);
    if (key === null) throw badUserInput('after is not a cursor of auditLog', { field: 'after' });
    before = BigInt(key);
  }
  const rows = await db.auditEntry.findMany({
    where: { sellerId, ...(before !== undefined ? { id: { lt: before } } : {}) },
    orderBy: { id: 'desc' },
    take: size + 1,
  });
  const page = rows.slice(0, size);
  const nodes: AuditEntry[] = page.map((row) => ({
    id: toGlobalId('AuditEntry', row.id.toString()),
    action: row.action,
    actor: row.actor,
    subject: row.subject,
    detail: row.detail === null ? null : JSON.stringify(row.detail),
    clientIp: row.clientIp,
    createdAt: row.createdAt,
  }));
  const edges = nodes.map((node) => ({ cursor: node.id, node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > size, hasPreviousPage: before !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
