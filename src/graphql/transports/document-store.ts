import { createHash } from 'node:crypto';
import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

/** Parsed and validated documents kept per api process (like Apollo's document store for HTTP). */
const MAX_DOCUMENTS = 1000;

export type PreparedDocument = Readonly<{ document: DocumentNode; errors?: undefined } | { document?: undefined; errors: readonly GraphQLError[] }>;

export interface DocumentStore {
  /**
   * The query parsed (with the token cap) and validated with graphql-js's specified rules, the
   * rules Apollo applies over HTTP. A query over the cap, malformed or invalid is an error to
   * send, never a document to run. Kept by the query's SHA-256, so the same text is parsed,
   * validated and (in the limits) walked once.
   */
  prepare(query: string): PreparedDocument;
}

function parseFailed(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } } });
}

function validationFailed(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
}

export function createDocumentStore(schema: GraphQLSchema, options: { maxTokens: number; introspection: boolean }): DocumentStore {
  const documents = new Map<string, PreparedDocument>();
  // the same switch as Apollo's `introspection` option over HTTP
  const rules = options.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];

  const prepareUncached = (query: string): PreparedDocument => {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: options.maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [parseFailed(error.message)] };
      // a document nested beyond the stack (within the token cap) is refused like one over it
      if (error instanceof RangeError) return { errors: [parseFailed('The document is nested too deeply')] };
      throw error;
    }
    try {
      const errors = validate(schema, document, rules);
      return errors.length > 0 ? { errors: errors.map(validationFailed) } : { document };
    } catch (error) {
      if (error instanceof RangeError) return { errors: [validationFailed(new GraphQLError('The document is nested too deeply'))] };
      throw error;
    }
  };

  return {
    prepare(query) {
      const key = createHash('sha256').update(query).digest('base64');
      const known = documents.get(key);
      if (known) {
        // least recently used goes first: move the hit to the end
        documents.delete(key);
        documents.set(key, known);
        return known;
      }
      const prepared = prepareUncached(query);
      if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
      documents.set(key, prepared);
      return prepared;
    },
  };
}
