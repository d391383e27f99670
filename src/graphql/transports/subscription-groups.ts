import { execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../infra/logger.js';
import type { FrameSink } from '../../modules/events/live/live-events.service.js';
import type { LiveItem, LiveSubscription } from '../../modules/events/live/live-subscription.js';
import type { Context } from '../context.js';
import { maskResult } from './format-result.js';
import { SharedPayload } from './shared-payload.js';

/** Results shared per event are kept for this many events, for members a little behind. */
const SHARED_RESULTS = 32;

/**
 * A result still executing (a document with an asynchronous field): the members it reaches
 * meanwhile wait in one list of the group's, not in a promise each, and are called in order.
 */
interface Waiter {
  flush(): void;
}

class PendingPayload {
  value: SharedPayload | undefined;
  failure: { error: unknown } | undefined;
  private waiters: Waiter[] | undefined = [];

  constructor(result: Promise<SharedPayload>) {
    result.then(
      (value) => this.settle(value, undefined),
      (error: unknown) => this.settle(undefined, { error }),
    );
  }

  get settled(): boolean {
    return this.waiters === undefined;
  }

  wait(waiter: Waiter): void {
    this.waiters!.push(waiter);
  }

  private settle(value: SharedPayload | undefined, failure: { error: unknown } | undefined): void {
    this.value = value;
    this.failure = failure;
    const waiters = this.waiters!;
    this.waiters = undefined;
    for (const waiter of waiters) waiter.flush();
  }
}

type Payload = SharedPayload | PendingPayload;

/**
 * Subscriptions of one seller with the same document, operation name and variables (so the
 * same filters): per event their result is the same, so it is executed and serialized once
 * and every member only frames the shared text with its own id.
 */
class SubscriptionGroup {
  members = 0;
  private readonly shared = new Map<number, Payload>();

  constructor(
    readonly key: string,
    private readonly args: ExecutionArgs,
    private readonly groups: SubscriptionGroups,
  ) {}

  /** The payload of the item made from event `shareKey`, executed once for the whole group. */
  payloadOf(item: LiveItem<unknown>, shareKey: number, context: Context): Payload {
    let payload = this.shared.get(shareKey);
    if (payload === undefined) {
      payload = this.run(item, context);
      if (payload instanceof PendingPayload) {
        const pending = payload;
        // once settled, later members take it as a plain value
        pending.wait({
          flush: () => {
            if (pending.value && this.shared.get(shareKey) === pending) this.shared.set(shareKey, pending.value);
          },
        });
      }
      this.shared.set(shareKey, payload);
      if (this.shared.size > SHARED_RESULTS) this.shared.delete(this.shared.keys().next().value!);
      this.groups.countExecution();
    }
    return payload;
  }

  countFrame(): void {
    this.groups.frames++;
  }

  /** The payload of an item of one member's own (a snapshot row, its RESUME_FROM_CURSOR end). */
  run(item: LiveItem<unknown>, context: Context): Payload {
    const result = execute({ ...this.args, contextValue: context, rootValue: item });
    return isPromise(result) ? new PendingPayload(result.then((r) => this.serialize(r))) : this.serialize(result);
  }

  private serialize(result: ExecutionResult): SharedPayload {
    return new SharedPayload(JSON.stringify(result.errors ? maskResult(result, this.groups.log) : result));
  }
}

/** One subscription of a group: takes its live items in order and sends their frames. */
class GroupMember implements AsyncIterableIterator<never> {
  private ended = false;
  private started = false;
  /**
   * Set while the transport's buffer is full (frames sent, not yet taken by the operating
   * system): further events wait in the stream, where more than SUBSCRIPTION_BUFFER_EVENTS end it.
   */
  private full = false;
  private outcome: { failure: unknown } | undefined;
  private waiting: { resolve: (result: IteratorResult<never>) => void; reject: (err: unknown) => void } | undefined;
  /** Payloads held back behind one still executing, to keep the frames in order. */
  private readonly queue: Payload[] = [];
  private resume: (() => void) | undefined;
  /** Settles the iterator once the queue is sent (the subscription ended meanwhile). */
  private settleWhenSent: (() => void) | undefined;
  private readonly onDrained = () => {
    this.full = false;
    this.resume?.();
  };

  constructor(
    private readonly group: SubscriptionGroup,
    private readonly live: LiveSubscription<unknown>,
    private readonly sink: FrameSink,
    private readonly context: Context,
    private readonly leave: () => void,
  ) {}

  private deliver(item: LiveItem<unknown>, shareKey: number | null): void {
    const payload = shareKey === null ? this.group.run(item, this.context) : this.group.payloadOf(item, shareKey, this.context);
    if (this.queue.length === 0 && !(payload instanceof PendingPayload)) {
      this.send(payload);
      return;
    }
    this.queue.push(payload);
    if (this.queue.length === 1) this.flush();
  }

  /** Sends the queued payloads up to the first one still executing, where it waits. */
  flush(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head instanceof PendingPayload) {
        if (!head.settled) {
          head.wait(this);
          return;
        }
        if (head.failure) {
          this.queue.length = 0;
          void this.live.return();
          this.end(head.failure.error);
          break;
        }
        this.queue.shift();
        this.send(head.value!);
      } else {
        this.queue.shift();
        this.send(head);
      }
    }
    const settle = this.settleWhenSent;
    this.settleWhenSent = undefined;
    if (settle) settle();
    else this.resume?.();
  }

  private send(payload: SharedPayload): void {
    this.group.countFrame();
    if (this.sink.next(payload)) return;
    this.full = true;
    this.sink.onDrain(this.onDrained);
  }

  private end(failure?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.leave();
    const settle = () => {
      this.outcome = { failure };
      if (failure !== undefined) this.waiting?.reject(failure);
      else this.waiting?.resolve({ done: true, value: undefined });
      this.waiting = undefined;
    };
    // the frames still waiting for an execution go out before the transport completes
    if (this.queue.length > 0) this.settleWhenSent = settle;
    else settle();
  }

  /** The transport's loop waits here until the subscription ends; frames go out meanwhile. */
  next(): Promise<IteratorResult<never>> {
    if (!this.started) {
      // pushing starts once the transport has registered the operation (its first next())
      this.started = true;
      const pushing = this.live.push({
        canTake: () => this.queue.length === 0 && !this.full,
        deliver: (item, shareKey) => this.deliver(item, shareKey),
        end: (failure) => this.end(failure),
      });
      this.resume = pushing.resume;
    }
    if (this.outcome) return this.outcome.failure !== undefined ? Promise.reject(this.outcome.failure) : Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<never>> {
    await this.live.return();
    this.end();
    return { done: true, value: undefined };
  }

  async throw(err: unknown): Promise<IteratorResult<never>> {
    await this.return();
    throw err;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** The groups of this api process, with counters that prove the sharing (see /metrics). */
export class SubscriptionGroups {
  private readonly groups = new Map<string, SubscriptionGroup>();
  /** Executions of a group's document for a shared event (one per group and event). */
  executions = 0;
  /** Frames sent to subscribers by the groups. */
  frames = 0;
  private readonly executionsMetric: Counter | undefined;

  constructor(
    readonly log: Logger,
    registry?: Registry,
  ) {
    if (!registry) return;
    this.executionsMetric = new Counter({
      name: 'amused_subscription_executions_total',
      help: 'Executions of a subscription group document for one event (shared by every member)',
      registers: [registry],
    });
    let reported = 0;
    const frames = () => this.frames;
    new Counter({
      name: 'amused_subscription_frames_total',
      help: 'Subscription frames sent by the groups',
      registers: [registry],
      collect() {
        // counted as a plain number on the hot path; the metric catches up when scraped
        const now = frames();
        this.inc(now - reported);
        reported = now;
      },
    });
    const groups = this.groups;
    new Gauge({
      name: 'amused_subscription_groups',
      help: 'Subscription groups (seller, document, variables) with members in this process',
      registers: [registry],
      collect() {
        this.set(groups.size);
      },
    });
  }

  get size(): number {
    return this.groups.size;
  }

  countExecution(): void {
    this.executions++;
    this.executionsMetric?.inc();
  }

  /** Adds a live subscription to its group; the iterator ends when the subscription does. */
  join(args: ExecutionArgs, context: Context, live: LiveSubscription<unknown>, sink: FrameSink): AsyncIterableIterator<never> {
    const key = groupKey(args, context);
    let group = this.groups.get(key);
    if (!group) {
      group = new SubscriptionGroup(key, { schema: args.schema, document: args.document, operationName: args.operationName, variableValues: args.variableValues }, this);
      this.groups.set(key, group);
    }
    group.members++;
    const joined = group;
    return new GroupMember(joined, live, sink, context, () => {
      joined.members--;
      if (joined.members === 0 && this.groups.get(key) === joined) this.groups.delete(key);
    });
  }
}

/** Seller and role (what resolvers may depend on), then the operation exactly as sent. */
function groupKey(args: ExecutionArgs, context: Context): string {
  const text = args.document.loc?.source.body ?? print(args.document);
  return JSON.stringify([context.viewer?.sellerId ?? null, context.viewer?.role ?? null, text, args.operationName ?? null, args.variableValues ?? null]);
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}
