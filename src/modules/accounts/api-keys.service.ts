import { randomUUID } from 'node:crypto';
import type { Database } from '../../infra/prisma.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';
import { cleanName } from './account-input.js';
import { uuidKeyOf, type Caller } from './account-results.js';
import type { AccountsService } from './accounts.service.js';
import type { ApiKey } from './accounts.types.js';
import { recordAudit } from './audit-log.js';
import type { Role } from './roles.js';
import { newApiKey, secretHash } from './secrets.js';

export const MAX_API_KEYS_PER_SELLER = 50;

type ApiKeyRow = { id: string; name: string; role: string; prefix: string; createdAt: Date; lastUsedAt: Date | null };

function apiKeyView(row: ApiKeyRow): ApiKey {
  return { id: toGlobalId('ApiKey', row.id), name: row.name, role: row.role as Role, prefix: row.prefix, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
}

/** The seller's API keys: created with a role, shown once, revoked at once. */
export class ApiKeysService {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsService,
  ) {}

  async apiKeys(sellerId: string): Promise<ApiKey[]> {
    const rows = await this.db.apiKey.findMany({ where: { sellerId, revokedAt: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(apiKeyView);
  }

  /** The seller's API keys among the keys (uuids), for node(id:); a revoked key is gone, as in apiKeys. */
  async apiKeysByIds(sellerId: string, ids: readonly string[]): Promise<{ key: string; apiKey: ApiKey }[]> {
    const rows = await this.db.apiKey.findMany({ where: { sellerId, id: { in: [...ids] }, revokedAt: null } });
    return rows.map((row) => ({ key: row.id, apiKey: apiKeyView(row) }));
  }

  async createApiKey(sellerId: string, input: { name: string; role: Role }, caller: Caller): Promise<{ apiKey: ApiKey | null; key: string | null; userErrors: UserError[] }> {
    const name = cleanName(input.name, ['input', 'name'], true);
    if (name.error) return { apiKey: null, key: null, userErrors: [name.error] };
    if ((await this.db.apiKey.count({ where: { sellerId, revokedAt: null } })) >= MAX_API_KEYS_PER_SELLER) {
      return { apiKey: null, key: null, userErrors: [userError(UserErrorCode.INVALID, `A seller can have at most ${MAX_API_KEYS_PER_SELLER} API keys: revoke one first`, ['input'])] };
    }
    const { prefix, secret, key } = newApiKey();
    const row = await this.db.apiKey.create({ data: { id: randomUUID(), sellerId, name: name.value!, role: input.role, prefix, secretHash: secretHash(secret) } });
    await recordAudit(this.db, { sellerId, action: 'API_KEY_CREATED', actor: await this.accounts.actor(caller.viewer!), subject: row.name, detail: { role: input.role, prefix }, clientIp: caller.clientIp });
    return { apiKey: apiKeyView(row), key, userErrors: [] };
  }

  async revokeApiKey(sellerId: string, id: string, caller: Caller): Promise<{ revokedApiKeyId: string | null; userErrors: UserError[] }> {
    const keyId = uuidKeyOf('ApiKey', id);
    const key = keyId ? await this.db.apiKey.findFirst({ where: { id: keyId, sellerId, revokedAt: null } }) : null;
    if (!key) return { revokedApiKeyId: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'API key not found', ['id'])] };
    await this.db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    this.accounts.credentials.forget();
    await recordAudit(this.db, { sellerId, action: 'API_KEY_REVOKED', actor: await this.accounts.actor(caller.viewer!), subject: key.name, detail: { prefix: key.prefix }, clientIp: caller.clientIp });
    return { revokedApiKeyId: id, userErrors: [] };
  }
}
