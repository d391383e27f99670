import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { Extensions, Field, ID, type FieldOptions } from 'type-graphql';
import { toGlobalId, type NodeType } from './global-id.js';

const GLOBAL_ID_OF = 'globalIdOf';

/**
 * An `ID` field whose model value is the row's key (a serial, a uuid): GraphQL sends it as the
 * global id of `type`. Models and services keep their keys; only the schema speaks global ids.
 */
export function GlobalIdField(type: NodeType, options: FieldOptions = {}): PropertyDecorator {
  return (target, key) => {
    Field(() => ID, options)(target, key);
    Extensions({ [GLOBAL_ID_OF]: type })(target, key);
  };
}

function encoder(type: NodeType) {
  return (key: unknown): string | null => (key === null || key === undefined ? null : toGlobalId(type, String(key)));
}

/** Wraps the resolver of every GlobalIdField (inherited ones included) so it returns the global id. */
export function encodeGlobalIdFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const nodeType = field.extensions[GLOBAL_ID_OF] as NodeType | undefined;
      if (!nodeType) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      const encode = encoder(nodeType);
      field.resolve = (source, args, context, info) => {
        const key = resolve(source, args, context, info);
        return key instanceof Promise ? key.then(encode) : encode(key);
      };
    }
  }
  return schema;
}
