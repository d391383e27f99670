import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type ASTNode, type DocumentNode } from 'graphql';

const NUL = '\u0000';

/**
 * True when a string, or any string or key inside arrays and objects, contains U+0000.
 * Iterative and pushing one item at a time: variables may nest deeply or hold arrays of
 * hundreds of thousands of items (a spread of those into push overflows the stack).
 */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes(NUL)) return true;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      for (const key in v) {
        if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
        if (key.includes(NUL)) return true;
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

const documentsWithNul = new WeakMap<DocumentNode, boolean>();
let documentWalks = 0;

/** How many times a document was walked for U+0000 (a second identical request must not add one). */
export function nulDocumentWalks(): number {
  return documentWalks;
}

/**
 * True when a string literal of the document contains U+0000. Walked once per parsed document
 * (Apollo's document store and the live transports' keep one DocumentNode per query text),
 * iteratively, so a deeply nested document cannot overflow the stack.
 */
export function documentContainsNul(document: DocumentNode): boolean {
  const known = documentsWithNul.get(document);
  if (known !== undefined) return known;
  documentWalks++;
  let found = false;
  const stack: unknown[] = [document];
  while (stack.length > 0 && !found) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
    } else if (node !== null && typeof node === 'object' && 'kind' in node) {
      const ast = node as ASTNode;
      if (ast.kind === Kind.STRING && ast.value.includes(NUL)) found = true;
      for (const key in ast) {
        if (key === 'loc') continue;
        const child = (ast as unknown as Record<string, unknown>)[key];
        if (child !== null && typeof child === 'object') stack.push(child);
      }
    }
  }
  documentsWithNul.set(document, found);
  return found;
}

/** The refusal of text holding U+0000: BAD_USER_INPUT, HTTP 400. */
export function nulRefused(): GraphQLError {
  return new GraphQLError('Text must not contain the NUL character (U+0000)', { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/**
 * PostgreSQL text cannot hold U+0000: a string argument containing it failed in the database
 * as an internal error (found by test/fuzz). No input of ours can legitimately carry one, so
 * such an operation is refused as BAD_USER_INPUT before it runs. The limits' admission makes
 * the same check for every transport; this plugin covers HTTP operations the limits skip
 * (anonymous ones, which requireViewer then refuses).
 */
export const refuseNulCharacters: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        if (documentContainsNul(document) || containsNul(request.variables)) throw nulRefused();
      },
    };
  },
};
