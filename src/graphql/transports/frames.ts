import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { FrameSink, SubscriptionTransport } from '../../modules/events/live/live-events.service.js';
import { writeBatch } from '../../modules/events/live/write-batch.js';
import { concatFrame, webSocketFrameData, webSocketTextFrame } from './shared-payload.js';

/** How much may wait in one subscriber's socket before it is told to resume from its cursor. */
export interface BufferLimits {
  bufferBytes: number;
}

const CLOSE_BRACE = Buffer.from('}');

/** What ws (pinned 8.23.0) keeps privately: its TCP socket and whether its sender queues frames. */
type WsInternals = { _socket?: Socket; _sender?: { _state: number; _queue: unknown[] } };

/**
 * A graphql-ws subscription's transport: `next` frames are written straight to the socket,
 * the shared payload spliced after the subscription's id. The whole WebSocket frame is built
 * once per group, event and id, and written to the TCP socket as is while ws's sender has
 * nothing queued (it queues only while compressing, which this server does not negotiate,
 * or reading a Blob); else it goes through ws. The library writes its own messages to the same
 * socket, so everything leaves in the order it was sent. Several events handed over at once
 * (a feed behind) are corked together by writeBatch and leave in one write.
 */
export function webSocketTransport(socket: WebSocket, id: string, limits: BufferLimits): SubscriptionTransport {
  const head = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  const key = `ws:${id}`;
  const build = (payload: Buffer) => webSocketTextFrame(head, payload, CLOSE_BRACE);
  const internals = socket as unknown as WsInternals;
  const frames: FrameSink = {
    next: (payload) => {
      if (socket.readyState !== socket.OPEN) return true;
      const frame = payload.frame(key, build);
      const raw = internals._socket;
      const sender = internals._sender;
      if (raw && sender && sender._state === 0 && sender._queue.length === 0) {
        writeBatch.hold(raw, limits.bufferBytes);
        return raw.write(frame);
      }
      // anything else (a queueing sender, or a ws whose internals moved) goes through ws itself
      socket.send(webSocketFrameData(frame), { binary: false });
      return raw ? !raw.writableNeedDrain : socket.bufferedAmount <= limits.bufferBytes;
    },
    onDrain: (resume) => {
      const raw = internals._socket;
      if (raw) whenDrained(raw, resume);
    },
  };
  return { isBackedUp: () => socket.bufferedAmount > limits.bufferBytes, frames };
}

/** The response of one graphql-sse request, written by our express glue (sse-response.ts). */
export interface SseOutput {
  res: ServerResponse;
  /** False until the status and headers are written; frames wait until then. */
  opened: boolean;
  waiting: (string | Buffer)[];
}

/**
 * A graphql-sse subscription's transport: `next` events go straight to the response (in
 * single-connection mode with the operation id around the payload, as graphql-sse does).
 */
export function sseTransport(output: SseOutput, operationId: string | null, limits: BufferLimits): SubscriptionTransport {
  const head = Buffer.from(operationId === null ? 'event: next\ndata: ' : `event: next\ndata: {"id":${JSON.stringify(operationId)},"payload":`);
  const tail = Buffer.from(operationId === null ? '\n\n' : '}\n\n');
  const key = operationId === null ? 'sse' : `sse:${operationId}`;
  const build = (payload: Buffer) => concatFrame(head, payload, tail);
  const frames: FrameSink = {
    next: (payload) => {
      const frame = payload.frame(key, build);
      if (!output.opened) {
        output.waiting.push(frame);
        return true;
      }
      if (!output.res.writable) return true;
      writeBatch.hold(output.res, limits.bufferBytes);
      return output.res.write(frame);
    },
    onDrain: (resume) => whenDrained(output.res, resume),
  };
  return { isBackedUp: () => output.res.writableLength > limits.bufferBytes, frames };
}

const draining = new WeakMap<Writable | ServerResponse, (() => void)[]>();

/** Calls resume once the stream drained (at once if it need not); one listener per stream, however many subscriptions wait. */
function whenDrained(stream: Writable | ServerResponse, resume: () => void): void {
  if (!stream.writableNeedDrain) {
    queueMicrotask(resume);
    return;
  }
  let waiting = draining.get(stream);
  if (!waiting) {
    const list: (() => void)[] = [];
    waiting = list;
    draining.set(stream, list);
    stream.once('drain', () => {
      draining.delete(stream);
      for (const waiter of list) waiter();
    });
  }
  waiting.push(resume);
}
