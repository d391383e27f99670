import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { FrameSink, SubscriptionTransport } from '../../modules/events/live/live-events.service.js';

/** How much may wait in one subscriber's socket before it is told to resume from its cursor. */
export interface BufferLimits {
  bufferBytes: number;
}

/**
 * A graphql-ws subscription's transport: `next` frames are written straight to the socket,
 * the shared payload spliced after the subscription's id. The library writes its own
 * messages to the same socket, so everything leaves in the order it was sent.
 */
export function webSocketTransport(socket: WebSocket, id: string, limits: BufferLimits): SubscriptionTransport {
  const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  const frames: FrameSink = {
    inFlight: 0,
    onWritten: undefined,
    next: (payload) => {
      if (socket.readyState !== socket.OPEN) return;
      (frames as { inFlight: number }).inFlight++;
      socket.send(`${head}${payload}}`, written);
    },
  };
  const written = () => {
    (frames as { inFlight: number }).inFlight--;
    frames.onWritten?.();
  };
  return { isBackedUp: () => socket.bufferedAmount > limits.bufferBytes, frames };
}

/** The response of one graphql-sse request, written by our express glue (sse-response.ts). */
export interface SseOutput {
  res: ServerResponse;
  /** False until the status and headers are written; frames wait until then. */
  opened: boolean;
  waiting: string[];
}

/**
 * A graphql-sse subscription's transport: `next` events go straight to the response (in
 * single-connection mode with the operation id around the payload, as graphql-sse does).
 */
export function sseTransport(output: SseOutput, operationId: string | null, limits: BufferLimits): SubscriptionTransport {
  const head = operationId === null ? 'event: next\ndata: ' : `event: next\ndata: {"id":${JSON.stringify(operationId)},"payload":`;
  const tail = operationId === null ? '\n\n' : '}\n\n';
  const frames: FrameSink = {
    inFlight: 0,
    onWritten: undefined,
    next: (payload) => {
      const frame = `${head}${payload}${tail}`;
      if (!output.opened) {
        output.waiting.push(frame);
        return;
      }
      if (!output.res.writable) return;
      (frames as { inFlight: number }).inFlight++;
      output.res.write(frame, written);
    },
  };
  const written = () => {
    (frames as { inFlight: number }).inFlight--;
    frames.onWritten?.();
  };
  return { isBackedUp: () => output.res.writableLength > limits.bufferBytes, frames };
}
