/** Distinct frames kept per payload: members of a group mostly share one subscription id. */
const FRAMES_KEPT = 8;

/**
 * One result shared by every member of a subscription group for one event: its JSON text,
 * encoded once, and the frames built around it, kept by frame kind and subscription id so
 * that members with the same id (graphql-ws clients often all use "1") share the bytes too.
 */
export class SharedPayload {
  private encoded: Buffer | undefined;
  private readonly frames = new Map<string, Buffer>();

  constructor(readonly json: string) {}

  get bytes(): Buffer {
    return (this.encoded ??= Buffer.from(this.json));
  }

  /** The frame `key` stands for, built by `build` the first time (and always, past FRAMES_KEPT keys). */
  frame(key: string, build: (payload: Buffer) => Buffer): Buffer {
    let frame = this.frames.get(key);
    if (frame === undefined) {
      frame = build(this.bytes);
      if (this.frames.size < FRAMES_KEPT) this.frames.set(key, frame);
    }
    return frame;
  }
}

/** An unmasked, unfragmented WebSocket text frame (RFC 6455 5.2) of head, payload and tail. */
export function webSocketTextFrame(head: Buffer, payload: Buffer, tail: Buffer): Buffer {
  const length = head.length + payload.length + tail.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  let offset = headerLength;
  offset += head.copy(frame, offset);
  offset += payload.copy(frame, offset);
  tail.copy(frame, offset);
  return frame;
}

/** The application data of a frame made by webSocketTextFrame (for ws's own send). */
export function webSocketFrameData(frame: Buffer): Buffer {
  const marker = frame[1]! & 0x7f;
  return frame.subarray(marker === 126 ? 4 : marker === 127 ? 10 : 2);
}

/** A frame made of head, payload and tail, for transports that frame by text (SSE). */
export function concatFrame(head: Buffer, payload: Buffer, tail: Buffer): Buffer {
  return Buffer.concat([head, payload, tail], head.length + payload.length + tail.length);
}
