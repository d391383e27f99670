/** Escapes LIKE's wildcards (and its escape character) so a search matches only itself. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
