import { RedisPubSub } from 'graphql-redis-subscriptions';
import type { PubSub } from 'type-graphql';
import type { Logger } from '../../../infra/logger.js';
import { createRedis } from '../../../infra/redis.js';
import type { EventRecord } from '../event.model.js';
import { fromWire, toWire, type WireEvent } from '../event.wire.js';

type Listener = (event: EventRecord) => void;

/**
 * Live fan-out of committed events over Redis pub/sub, one channel per seller.
 * Redis may drop messages (or restart): it is only the fast path. Subscribers detect
 * gaps by sequence and read them back from the events table; `onResync` tells them
 * when the connection was lost and anything may have been missed.
 */
export class EventBus {
  private readonly pubsub: RedisPubSub;
  private readonly resyncListeners = new Set<() => void>();
  private lostConnection = false;

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
      for (const listener of this.resyncListeners) listener();
    });
    this.pubsub = new RedisPubSub({ subscriber, publisher });
  }

  channel(sellerId: string): string {
    return `${this.prefix}:events:${sellerId}`;
  }

  async publish(event: EventRecord): Promise<void> {
    await this.pubsub.publish(this.channel(event.sellerId), toWire(event));
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
    return this.pubsub.close();
  }
}
