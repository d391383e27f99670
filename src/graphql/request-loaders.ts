import DataLoader from 'dataloader';
import type { Context } from './context.js';

const perRequest = new WeakMap<Context, Map<string, DataLoader<unknown, unknown>>>();

/**
 * A DataLoader that lives as long as the request's context: the field resolvers of one
 * response share its batches and cache, and nothing leaks into the next request.
 */
export function requestLoader<K, V>(ctx: Context, name: string, load: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  let loaders = perRequest.get(ctx);
  if (!loaders) perRequest.set(ctx, (loaders = new Map()));
  let loader = loaders.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(load);
    loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

/** Orders found rows as the keys asked for them, null where none was found. */
export function byKeys<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const found = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => found.get(key) ?? null);
}
