import type { TypedDocumentString } from '../generated/graphql';

export class Unauthenticated extends Error {}

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/** One query or mutation over HTTP; GraphQL errors become exceptions with their messages. */
export async function request<TResult, TVariables>(token: string, document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  if (res.status === 401) throw new Unauthenticated('The token was refused');
  const body = (await res.json()) as { data?: TResult; errors?: GraphQLErrorShape[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
}
