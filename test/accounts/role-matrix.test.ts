import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUTATION_ACCESS } from '../../src/graphql/access-policy.js';
import { buildOfflineSchema } from '../../src/graphql/schema.js';
import { Role } from '../../src/modules/accounts/roles.js';
import { addUser, PASSWORD, SignIn, signUp, type SignedIn } from '../support/accounts.js';
import { startTestApi, type TestApi } from '../support/api.js';

const ROLES = [Role.READ_ONLY, Role.STAFF, Role.OWNER];
const RANK: Record<Role, number> = { READ_ONLY: 0, STAFF: 1, OWNER: 2 };

/** A literal of the type that passes GraphQL validation (the role check runs before any business rule). */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    const scalars: Record<string, string> = { Int: '1', Float: '1', Boolean: 'true', DateTime: '"2026-01-01T00:00:00Z"', Decimal: '"1.00"' };
    return scalars[type.name] ?? '"x"';
  }
  throw new Error(`no literal for ${String(type)}`);
}

/** The mutation with every required argument filled in. */
function operationFor(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((a) => isNonNullType(a.type)).map((a) => `${a.name}: ${literal(a.type)}`);
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `mutation { ${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''}${selection} }`;
}

let schema: GraphQLSchema;
let api: TestApi;
let users: Record<Role, SignedIn>;
beforeAll(async () => {
  schema = await buildOfflineSchema();
  api = await startTestApi({ SIGN_IN_PER_EMAIL_PER_MINUTE: '100000', SIGN_IN_PER_ADDRESS_PER_MINUTE: '100000' });
  const owner = await signUp(api, 'matrix');
  users = { OWNER: owner, STAFF: await addUser(api, owner, 'STAFF'), READ_ONLY: await addUser(api, owner, 'READ_ONLY') };
});
afterAll(() => api?.stop());

const mutations = async () => Object.values((await buildOfflineSchema()).getMutationType()!.getFields());

describe('role of tokens that name only a seller', () => {
  const RevokeKey = 'mutation { revokeApiKey(id: "x") { userErrors { code } } }';

  it('a token without a seller_role claim (npm run token, identity providers) keeps full OWNER access', async () => {
    const res = await api.gql<{ revokeApiKey: { userErrors: { code: string }[] } }, Record<string, never>>(RevokeKey, {}, { seller: 'legacy-owner' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.revokeApiKey.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
  });

  it('a seller_role claim limits the token', async () => {
    const token = await api.token('claimed-reader', { sellerRole: Role.READ_ONLY });
    const res = await api.gql(RevokeKey, {}, { token });
    expect(res.errors?.[0]?.message).toBe('revokeApiKey needs the OWNER role; this caller is READ_ONLY');
  });
});

describe('role matrix over every mutation of the schema', () => {
  it('every mutation declares its role, and its description says it', async () => {
    const fields = await mutations();
    expect(fields.length).toBeGreaterThan(20);
    const undeclared = fields.filter((f) => MUTATION_ACCESS[f.name] === undefined).map((f) => f.name);
    expect(undeclared, 'mutations without a role in src/graphql/access-policy.ts').toEqual([]);
    for (const field of fields) expect(field.description ?? '', field.name).toMatch(/Role: (public \(no token needed\)|OWNER|STAFF or higher|READ_ONLY or higher)\./);
    expect(Object.keys(MUTATION_ACCESS).filter((name) => !fields.some((f) => f.name === name)), 'roles declared for mutations that do not exist').toEqual([]);
  });

  it('refuses every mutation to the roles below it with FORBIDDEN naming the role, and to anonymous callers, changing nothing', async () => {
    const counts = () => Promise.all([api.infra.db.product.count(), api.infra.db.user.count(), api.infra.db.apiKey.count(), api.infra.db.invite.count(), api.infra.db.webhook.count()]);
    const before = await counts();
    let refusals = 0;
    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      const access = MUTATION_ACCESS[field.name]!;
      const query = operationFor(field);
      if (access !== 'PUBLIC') {
        const anonymous = await api.gql(query, {}, { seller: null });
        expect(anonymous.errors?.[0]?.extensions?.code, `${field.name} anonymous`).toBe('UNAUTHENTICATED');
      }
      for (const role of ROLES) {
        if (access === 'PUBLIC' || RANK[role] >= RANK[access]) continue;
        const res = await api.gql<Record<string, unknown>, Record<string, never>>(query, {}, { token: users[role].accessToken });
        expect(res.errors?.[0]?.extensions?.code, `${field.name} as ${role}`).toBe('FORBIDDEN');
        expect(res.errors?.[0]?.message, `${field.name} as ${role}`).toContain(`needs the ${access} role`);
        expect(res.data?.[field.name] ?? null).toBeNull();
        refusals++;
      }
    }
    // READ_ONLY below STAFF; READ_ONLY and STAFF below OWNER
    const expected = Object.values(MUTATION_ACCESS).reduce((n, access) => n + (access === 'PUBLIC' ? 0 : RANK[access]), 0);
    expect(refusals).toBe(expected);
    expect(refusals).toBeGreaterThan(20);
    expect(await counts()).toEqual(before);
  });

  it('lets every role at or above the declared one through the role check', async () => {
    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      const access = MUTATION_ACCESS[field.name]!;
      for (const role of ROLES) {
        if (access !== 'PUBLIC' && RANK[role] < RANK[access]) continue;
        // a session of its own: an allowed signOut or changePassword must not end the others
        const session = await api.gql(SignIn, { input: { email: users[role].email, password: PASSWORD } }, { seller: null });
        const token = session.data!.signIn.tokens!.accessToken;
        const res = await api.gql(operationFor(field), {}, { token });
        const codes = (res.errors ?? []).map((e) => e.extensions?.code);
        expect(codes, `${field.name} as ${role}: ${JSON.stringify(res.errors)}`).not.toContain('FORBIDDEN');
        expect(codes, `${field.name} as ${role}`).not.toContain('UNAUTHENTICATED');
      }
    }
  }, 120_000); // one Argon2 sign-in per allowed pair: about 80 of them
});
