import { defaultFieldResolver, GraphQLError, type GraphQLField, type GraphQLSchema } from 'graphql';
import { Role, roleCovers } from '../modules/accounts/roles.js';
import type { Viewer } from './auth.js';
import type { Context } from './context.js';
import { unauthenticated } from './errors.js';

/** Who may call a root field: anyone (PUBLIC), or a caller holding at least the role. */
export type Access = 'PUBLIC' | Role;

/**
 * The role every mutation needs: the one place roles are enforced. A mutation missing here is
 * refused for everyone (and test/accounts/role-matrix.test.ts fails), so none can skip it.
 */
export const MUTATION_ACCESS: Readonly<Record<string, Access>> = {
  signUp: 'PUBLIC',
  signIn: 'PUBLIC',
  refreshSession: 'PUBLIC',
  acceptInvite: 'PUBLIC',
  // the caller's own session and profile
  signOut: Role.READ_ONLY,
  updateProfile: Role.READ_ONLY,
  changePassword: Role.READ_ONLY,
  createProduct: Role.STAFF,
  updateProduct: Role.STAFF,
  deleteProduct: Role.STAFF,
  adjustStock: Role.STAFF,
  reserveStock: Role.STAFF,
  commitReservation: Role.STAFF,
  releaseReservation: Role.STAFF,
  placeOrder: Role.STAFF,
  updateOrderStatus: Role.STAFF,
  cancelOrder: Role.STAFF,
  initiatePayment: Role.STAFF,
  confirmPayment: Role.STAFF,
  refundPayment: Role.STAFF,
  importProducts: Role.STAFF,
  exportProducts: Role.STAFF,
  updateNotificationSettings: Role.OWNER,
  createWebhook: Role.OWNER,
  enableWebhook: Role.OWNER,
  deleteWebhook: Role.OWNER,
  inviteUser: Role.OWNER,
  revokeInvitation: Role.OWNER,
  updateUserRole: Role.OWNER,
  removeUser: Role.OWNER,
  createApiKey: Role.OWNER,
  revokeApiKey: Role.OWNER,
};

/** Queries are open to every role except these. */
export const QUERY_ACCESS: Readonly<Record<string, Role>> = {
  users: Role.OWNER,
  apiKeys: Role.OWNER,
  invitations: Role.OWNER,
  auditLog: Role.OWNER,
};

function forbidden(message: string, needed?: Role): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', ...(needed ? { requiredRole: needed } : {}), http: { status: 403 } } });
}

/** Refuses the caller unless it holds the access; FORBIDDEN names the role needed. */
export function checkAccess(viewer: Viewer | null, field: string, access: Access | undefined): void {
  if (access === undefined) throw forbidden(`${field} has no declared role, so no one may call it`);
  if (access === 'PUBLIC') return;
  if (!viewer) throw unauthenticated();
  if (!roleCovers(viewer.access, access)) {
    throw forbidden(`${field} needs the ${access} role${access === Role.OWNER ? '' : ' or higher'}; this caller is ${viewer.access}`, access);
  }
}

function describe(access: Access): string {
  return access === 'PUBLIC' ? 'Role: public (no token needed).' : `Role: ${access}${access === Role.OWNER ? '' : ' or higher'}.`;
}

function guard(field: GraphQLField<unknown, Context>, access: Access | undefined): void {
  const resolve = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, ctx, info) => {
    checkAccess(ctx.viewer, field.name, access);
    return resolve(source, args, ctx, info);
  };
  if (access !== undefined) field.description = `${field.description ?? ''}${field.description ? '\n\n' : ''}${describe(access)}`;
}

/** Wraps the root mutations (and the owner-only queries) with their role check, and says the role in their descriptions. */
export function enforceAccess(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) guard(field as GraphQLField<unknown, Context>, MUTATION_ACCESS[field.name]);
  const queries = schema.getQueryType()?.getFields() ?? {};
  for (const [name, role] of Object.entries(QUERY_ACCESS)) if (queries[name]) guard(queries[name] as GraphQLField<unknown, Context>, role);
  return schema;
}
