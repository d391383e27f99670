import type { TypedDocumentString } from '../generated/graphql';

const REFRESH_KEY = 'amused.refresh';

export interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

type Payload = { tokens?: Tokens | null; userErrors: { message: string }[] };

/** A public mutation (no token): its payload, or its userErrors as an exception. */
export async function publicMutation<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<Tokens> {
  const res = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document.toString(), variables }) });
  const body = (await res.json()) as { data?: Record<string, Payload>; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  const payload = Object.values(body.data ?? {})[0];
  if (!payload?.tokens) throw new Error(payload?.userErrors.map((e) => e.message).join('; ') || 'Not signed in');
  return payload.tokens;
}

export function savedRefreshToken(): string | null {
  return localStorage.getItem(REFRESH_KEY);
}

/** Null or empty (a pasted token has none) forgets it. */
export function saveRefreshToken(token: string | null): void {
  if (!token) localStorage.removeItem(REFRESH_KEY);
  else localStorage.setItem(REFRESH_KEY, token);
}

/** The invitation token of an invite link (/dashboard?invite=...), removed from the address bar. */
export function inviteFromUrl(): string | null {
  const url = new URL(location.href);
  const invite = url.searchParams.get('invite');
  if (!invite) return null;
  url.searchParams.delete('invite');
  history.replaceState(null, '', url);
  return invite;
}

/** Seconds since the epoch when the token expires (its exp), or null. */
export function expiryOf(token: string): number | null {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : null;
  } catch {
    return null;
  }
}
