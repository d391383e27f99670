import { createSourceEventStream, execute, subscribe, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { LiveSubscription } from '../../modules/events/live/live-subscription.js';
import type { Context } from '../context.js';
import type { SubscriptionGroups } from './subscription-groups.js';

type SubscribeResult = Promise<AsyncGenerator<ExecutionResult, void, void> | AsyncIterableIterator<never> | ExecutionResult>;

/**
 * graphql-js `subscribe` for the WebSocket and SSE servers: a live subscription whose
 * transport takes frames joins its group, whose results are executed once per event and
 * framed per subscriber (the iterator it returns only ends); any other one runs as usual.
 */
export function groupedSubscribe(groups: SubscriptionGroups): (args: ExecutionArgs) => SubscribeResult {
  return async (args) => {
    const context = args.contextValue as Context;
    const sink = context.transport?.frames;
    if (!sink) return subscribe(args) as SubscribeResult;
    const source = await createSourceEventStream(args);
    if (source instanceof LiveSubscription) return groups.join(args, context, source, sink);
    if (!isAsyncIterable(source)) return source as ExecutionResult;
    return executeEach(source, args);
  };
}

/** What graphql-js subscribe does with a source stream: execute the document per item. */
function executeEach(source: AsyncIterable<unknown>, args: ExecutionArgs): AsyncGenerator<ExecutionResult, void, void> {
  const iterator = source[Symbol.asyncIterator]();
  const results: AsyncGenerator<ExecutionResult, void, void> = {
    next: async () => {
      const r = await iterator.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: await execute({ ...args, rootValue: r.value }) };
    },
    return: async () => {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    throw: async (err: unknown) => {
      await iterator.return?.();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return results;
    },
  } as AsyncGenerator<ExecutionResult, void, void>;
  return results;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function';
}
