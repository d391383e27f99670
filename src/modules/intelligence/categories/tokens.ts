const STOP_WORDS = new Set(['the', 'and', 'for', 'with', 'of', 'a', 'an', 'in', 'on', 'to', 'by', 'or', 'at', 'is', 'it', 'this', 'that', 'from', 'your', 'our']);

/** Lower-cased words and numbers of a product's text, without stop words and one-letter tokens. */
export function tokensOf(...texts: (string | null | undefined)[]): string[] {
  const tokens: string[] = [];
  for (const text of texts) {
    if (!text) continue;
    for (const token of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (token.length > 1 && !STOP_WORDS.has(token)) tokens.push(token);
    }
  }
  return tokens;
}
