import { isAbstractType, type GraphQLSchema, type GraphQLTypeResolver } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/**
 * type-graphql wraps every `resolveType` of an interface or union in an async function, so the
 * type of each abstract value arrives as a promise. graphql-jit (src/graphql/jit-executor.ts)
 * needs it at once, as graphql-js allows. Ours return the type's name synchronously, so the
 * schema gets them unwrapped; one that returns anything but a name fails loudly.
 */
export function resolveTypesSynchronously(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const declared = new Map<string, NonNullable<(typeof storage.interfaceTypes)[number]['resolveType']>>();
  for (const i of storage.interfaceTypes) if (i.resolveType) declared.set(i.name, i.resolveType);
  for (const u of storage.unions) if (u.resolveType) declared.set(u.name, u.resolveType);
  for (const type of Object.values(schema.getTypeMap())) {
    const resolve = isAbstractType(type) ? declared.get(type.name) : undefined;
    if (!resolve || !isAbstractType(type)) continue;
    const byName: GraphQLTypeResolver<unknown, unknown> = (value, context, info, abstractType) => {
      const name = resolve(value, context, info, abstractType);
      if (typeof name !== 'string') throw new Error(`resolveType of ${type.name} must return a type name synchronously`);
      return name;
    };
    type.resolveType = byName;
  }
  return schema;
}
