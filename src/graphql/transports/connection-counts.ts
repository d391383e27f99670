/** Open connections per key (a seller, a client address) in this process, held until released. */
export interface ConnectionCounts {
  /** Counts one more for the key when it has fewer than `max`; false (nothing counted) otherwise. */
  take(key: string, max: number): boolean;
  release(key: string): void;
  count(key: string): number;
}

export function createConnectionCounts(): ConnectionCounts {
  const counts = new Map<string, number>();
  return {
    take(key, max) {
      const now = counts.get(key) ?? 0;
      if (now >= max) return false;
      counts.set(key, now + 1);
      return true;
    },
    release(key) {
      const now = counts.get(key) ?? 0;
      if (now <= 1) counts.delete(key);
      else counts.set(key, now - 1);
    },
    count(key) {
      return counts.get(key) ?? 0;
    },
  };
}
