const TOKEN_KEY = 'amused.token';

/** The bearer token: from ?token= (then removed from the address bar) or from a previous visit. */
export function initialToken(): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    localStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url);
    return fromUrl;
  }
  return localStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  localStorage.removeItem(TOKEN_KEY);
}

function claimsOf(token: string): { sub?: unknown; uid?: unknown } | null {
  try {
    return JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown; uid?: unknown };
  } catch {
    return null;
  }
}

/** The seller id (JWT sub) of a token, for display and per-seller storage keys. */
export function sellerOfToken(token: string): string | null {
  const sub = claimsOf(token)?.sub;
  return typeof sub === 'string' ? sub : null;
}

/** True for a signed-in user's access token (it names the user): only those have a profile (me). */
export function isUserToken(token: string): boolean {
  return typeof claimsOf(token)?.uid === 'string';
}
