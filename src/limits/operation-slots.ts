import type { GraphQLError } from 'graphql';
import { callerKey, type Caller } from './caller.js';
import { rateLimited } from './errors.js';

export type OperationSlotDecision = Readonly<{ allowed: true; release: () => void } | { allowed: false; error: GraphQLError }>;

export interface OperationSlots {
  /**
   * One of the caller's concurrent operations in this process. When all are taken the caller
   * waits in line up to `queueMs` (at most `maxConcurrent * 4` waiting); then, or with a full
   * line, RATE_LIMITED (`CONCURRENT_OPERATIONS`). release() is idempotent.
   */
  acquire(caller: Caller): Promise<OperationSlotDecision>;
  /** Operations of the caller running now (tests and metrics). */
  running(caller: Caller): number;
}

interface Line {
  running: number;
  waiting: (() => void)[];
}

/**
 * A cap on how many operations of one caller run at once in this api process, so one seller's
 * expensive queries hold at most that many database connections and CPU turns while everybody
 * else's keep theirs. Per process on purpose: the database pool and the CPU it protects are.
 */
export function createOperationSlots(options: { perSeller: number; perAddress: number; queueMs: number }): OperationSlots {
  const lines = new Map<string, Line>();
  const maxOf = (caller: Caller) => (caller.kind === 'seller' ? options.perSeller : options.perAddress);

  const refuse = (caller: Caller): OperationSlotDecision => {
    const maximum = maxOf(caller);
    return {
      allowed: false,
      error: rateLimited(
        `At most ${maximum} operations of one ${caller.kind === 'seller' ? 'seller' : 'client address'} run at once; retry when one has finished`,
        'CONCURRENT_OPERATIONS',
        options.queueMs,
        { maximum },
      ),
    };
  };

  const releaser = (key: string): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const line = lines.get(key);
      if (!line) return;
      const next = line.waiting.shift();
      if (next) return next(); // the slot passes to the next in line
      line.running--;
      if (line.running === 0) lines.delete(key);
    };
  };

  return {
    async acquire(caller) {
      const key = callerKey(caller);
      const maximum = maxOf(caller);
      let line = lines.get(key);
      if (!line) {
        line = { running: 0, waiting: [] };
        lines.set(key, line);
      }
      if (line.running < maximum) {
        line.running++;
        return { allowed: true, release: releaser(key) };
      }
      if (line.waiting.length >= maximum * 4 || options.queueMs === 0) return refuse(caller);
      const waiting = line;
      return new Promise<OperationSlotDecision>((resolve) => {
        const take = () => {
          clearTimeout(timer);
          resolve({ allowed: true, release: releaser(key) });
        };
        const timer = setTimeout(() => {
          const at = waiting.waiting.indexOf(take);
          if (at >= 0) waiting.waiting.splice(at, 1);
          resolve(refuse(caller));
        }, options.queueMs);
        waiting.waiting.push(take);
      });
    },
    running(caller) {
      return lines.get(callerKey(caller))?.running ?? 0;
    },
  };
}
