import { registerEnumType } from 'type-graphql';

/** What a user or API key may do: READ_ONLY reads; STAFF also writes products, stock and orders; OWNER also manages users, keys, webhooks and settings. */
export enum Role {
  OWNER = 'OWNER',
  STAFF = 'STAFF',
  READ_ONLY = 'READ_ONLY',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'What a user or API key may do. READ_ONLY: reads only. STAFF: also writes products, stock and orders. OWNER: also users, API keys, webhooks and settings.',
});

const RANK: Record<Role, number> = { READ_ONLY: 0, STAFF: 1, OWNER: 2 };

/** True when `held` allows at least what `needed` allows. */
export function roleCovers(held: Role, needed: Role): boolean {
  return RANK[held] >= RANK[needed];
}

export function isRole(value: unknown): value is Role {
  return value === Role.OWNER || value === Role.STAFF || value === Role.READ_ONLY;
}
