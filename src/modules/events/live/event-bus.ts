import { RedisPubSub } from 'graphql-redis-subscriptions';
import type { PubSub } from 'type-graphql';
import type { Logger } from '../../../infra/logger.js';
import { createRedis, type Redis } from '../../../infra/redis.js';
import type { EventRecord } from '../event.model.js';
import { fromWire, toWire, type WireEvent } from '../event.wire.js';
import { onEventsCommitted } from '../events-committed.js';

type Listener = (event: EventRecord) => void;

/**
 * Live fan-out of committed events over Redis pub/sub, one channel per seller.
 * Redis may drop messages (or restart): it is only the fast path. Subscribers detect
 * gaps by sequence and read them back from the events table; `onResync` tells them
 * when the connection was lost and anything may have been missed.
 */
export class EventBus {
  private readonly pubsub: RedisPubSub;
  private readonly publisher: Redis;
  private readonly resyncListeners = new Set<() => void>();
  /** Not streams (streamCount counts those): the relay, which wakes after a reconnect too. */
  private readonly reconnectListeners = new Set<() => void>();
  private lostConnection = false;
  private readonly stopRinging: () => void;
  private ringing: NodeJS.Timeout | undefined;
  private ringAgain = false;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    const subscriber = createRedis(redisUrl, 'amused-events-sub', log);
    const publisher = createRedis(redisUrl, 'amused-events-pub', log);
    subscriber.on('close', () => {
      this.lostConnection = true;
    });
    subscriber.on('ready', () => {
      if (!this.lostConnection) return;
      this.lostConnection = false;
      log.info('event bus: redis reconnected; subscribers catch up from the database');
      for (const listener of [...this.resyncListeners, ...this.reconnectListeners]) listener();
    });
    this.pubsub = new RedisPubSub({ subscriber, publisher });
    this.publisher = publisher;
    this.stopRinging = onEventsCommitted(() => this.wakeRelay());
  }

  channel(sellerId: string): string {
    return `${this.prefix}:events:${sellerId}`;
  }

  async publish(event: EventRecord): Promise<void> {
    await this.pubsub.publish(this.channel(event.sellerId), toWire(event));
  }

  /** Publishes a relay batch in one pipeline (one round trip), each event its own message, in order. */
  async publishBatch(events: EventRecord[]): Promise<void> {
    if (events.length === 0) return;
    const pipeline = this.publisher.pipeline();
    for (const event of events) pipeline.publish(this.channel(event.sellerId), JSON.stringify(toWire(event)));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }

  private get wakeChannel(): string {
    return `${this.prefix}:relay-wake`;
  }

  /**
   * Tells the outbox relay (whichever worker leads) that events committed. Sent after commit,
   * outside the transaction; coalesced to at most one message per millisecond per process
   * (the first at once, the rest folded into one trailing message). A lost one costs the relay
   * one poll interval.
   */
  wakeRelay(): void {
    if (this.ringing) {
      this.ringAgain = true;
      return;
    }
    this.publisher.publish(this.wakeChannel, '1').catch((err: unknown) => this.log.debug({ err }, 'event bus: relay wake-up not sent'));
    this.ringing = setTimeout(() => {
      this.ringing = undefined;
      if (!this.ringAgain) return;
      this.ringAgain = false;
      this.wakeRelay();
    }, 1);
  }

  /** Calls listener on every relay wake-up and after a Redis reconnect; resolves once subscribed. */
  async onRelayWake(listener: () => void): Promise<() => void> {
    const id = await this.pubsub.subscribe(this.wakeChannel, () => listener());
    this.reconnectListeners.add(listener);
    return () => {
      this.reconnectListeners.delete(listener);
      this.pubsub.unsubscribe(id);
    };
  }

  /** Listens to a seller's events; resolves once Redis confirmed the subscription. */
  async subscribe(sellerId: string, listener: Listener): Promise<() => void> {
    const id = await this.pubsub.subscribe<WireEvent>(this.channel(sellerId), (wire) => {
      try {
        listener(fromWire(wire));
      } catch (err) {
        this.log.error({ err }, 'event bus: listener failed');
      }
    });
    return () => this.pubsub.unsubscribe(id);
  }

  /** type-graphql's PubSub shape over the same Redis connections (its subscribe is iterator-based). */
  topics(): PubSub {
    return {
      publish: (routingKey, payload) => void this.pubsub.publish(`${this.prefix}:topic:${routingKey}`, payload),
      subscribe: (routingKey) => this.pubsub.asyncIterableIterator(`${this.prefix}:topic:${routingKey}`) as AsyncIterable<unknown>,
    };
  }

  private countLiveStreams: () => number = () => 0;

  /** Live subscriptions of this process (they share one feed per seller). */
  get streamCount(): number {
    return this.countLiveStreams();
  }

  countStreams(count: () => number): void {
    this.countLiveStreams = count;
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  close(): Promise<unknown> {
    this.stopRinging();
    clearTimeout(this.ringing);
    return this.pubsub.close();
  }
}
