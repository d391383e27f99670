import type { Writable } from 'node:stream';

/** The most a held stream keeps corked before its frames go out anyway (at most this, or half a subscriber's buffer limit). */
const HELD_BYTES_MAX = 16_384;

let open = false;
const held: Writable[] = [];

/**
 * While a feed hands one member several events at once, the transport holds its stream
 * corked: the frames leave in one write (writev), one system call instead of one per event,
 * when the member's turn ends. Bytes held stay below the buffer limit, so a corked stream is
 * never taken for a slow consumer.
 */
export const writeBatch = {
  begin(): void {
    open = true;
  },

  /** Called by a transport before it writes `stream`: corks it until end(), while a batch is open. */
  hold(stream: Writable, bufferLimit: number): void {
    if (!open) return;
    if (!held.includes(stream)) {
      if (stream.writableCorked || !stream.writable) return;
      stream.cork();
      held.push(stream);
      return;
    }
    if (stream.writableLength >= Math.min(HELD_BYTES_MAX, bufferLimit / 2)) {
      stream.uncork();
      stream.cork();
    }
  },

  end(): void {
    open = false;
    for (const stream of held) stream.uncork();
    held.length = 0;
  },
};
