import { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/graphql/context.js';
import type { SharedPayload } from '../../src/graphql/transports/shared-payload.js';
import { SubscriptionGroups } from '../../src/graphql/transports/subscription-groups.js';
import { createLogger } from '../../src/infra/logger.js';
import type { EventRecord } from '../../src/modules/events/event.model.js';
import { EventStream } from '../../src/modules/events/live/event-stream.js';
import { LiveSubscription, type LiveItem } from '../../src/modules/events/live/live-subscription.js';

type Row = { n: number; delayMs: number };

let executions = 0;
/** A subscription field resolved asynchronously, each item after its own delay: later items may settle first. */
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      n: {
        type: GraphQLInt,
        resolve: async (item: LiveItem<Row>) => {
          executions++;
          if (item.kind === 'overflow') throw new Error('no overflow here');
          await new Promise((r) => setTimeout(r, item.value.delayMs));
          return item.value.n;
        },
      },
    },
  }),
});
const document = parse('subscription { n }');
const context = { viewer: { sellerId: 'async-groups', role: 'OWNER' } } as unknown as Context;

/** A stream of rows: `initial` first (each member's own), then whatever event() hands it, as the seller feed does. */
function liveRows(initial: Row[]) {
  const stream = new EventStream(
    {
      readAfter: () => Promise.reject(new Error('not read in this test')),
      join: () => Promise.reject(new Error('not joined in this test')),
    },
    { sellerId: 'async-groups', afterSequence: 0, accept: () => true, maxBuffered: 100 },
  );
  const rowOf = (event: EventRecord) => ({ n: event.sequence * 100, delayMs: event.sequence % 2 === 1 ? 30 : 0 });
  return { stream, live: new LiveSubscription<Row>(stream, rowOf, () => null, initial) };
}

function event(sequence: number): EventRecord {
  return { sequence } as EventRecord;
}

function collecting() {
  const frames: number[] = [];
  const sink = {
    next: (payload: SharedPayload) => {
      frames.push((JSON.parse(payload.json) as { data: { n: number } }).data.n);
      return true;
    },
    onDrain: (resume: () => void) => resume(),
  };
  return { frames, sink };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('a group whose document executes asynchronously', () => {
  it('sends each member its frames in order, executes each shared event once for the group, and completes only after the last frame', async () => {
    const groups = new SubscriptionGroups(createLogger('silent'));
    executions = 0;
    const a = liveRows([
      { n: 1, delayMs: 40 },
      { n: 2, delayMs: 0 },
    ]);
    const b = liveRows([]);
    const outA = collecting();
    const outB = collecting();
    const memberA = groups.join({ schema, document }, context, a.live, outA.sink);
    const memberB = groups.join({ schema, document }, context, b.live, outB.sink);
    expect(groups.size).toBe(1);
    const endA = memberA.next();
    const endB = memberB.next();

    // live events reach both members while the snapshot rows of A are still executing
    for (const sequence of [1, 2, 3, 4]) {
      a.stream.event(event(sequence));
      b.stream.event(event(sequence));
    }
    await until(() => outA.frames.length === 6 && outB.frames.length === 4);
    expect(outA.frames).toEqual([1, 2, 100, 200, 300, 400]);
    expect(outB.frames).toEqual([100, 200, 300, 400]);
    // two snapshot rows of A's own, then one execution per event for the whole group
    expect(executions).toBe(2 + 4);

    // ended while an event is still executing: its frame goes out first, then the iterator ends
    let framesWhenEnded: number | undefined;
    void endA.then(() => (framesWhenEnded = outA.frames.length));
    a.stream.event(event(5));
    await memberA.return!();
    expect(outA.frames).toHaveLength(6);
    await expect(endA).resolves.toEqual({ done: true, value: undefined });
    expect(framesWhenEnded).toBe(7);
    expect(outA.frames.at(-1)).toBe(500);
    await memberB.return!();
    await expect(endB).resolves.toEqual({ done: true, value: undefined });
    expect(groups.size).toBe(0);
  });
});
