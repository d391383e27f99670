import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { SharedPayload, webSocketFrameData, webSocketTextFrame } from '../../src/graphql/transports/shared-payload.js';

/** ws's frame parser (exported, not in its typings). */
type FrameParser = { on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void; write(chunk: Buffer): void };
const Receiver = (ws as unknown as { Receiver: new (options: { isServer: boolean }) => FrameParser }).Receiver;

/** What a WebSocket client reads from these bytes (ws's own frame parser, as a client: unmasked frames). */
function read(frames: Buffer[]): string[] {
  const receiver = new Receiver({ isServer: false });
  const messages: string[] = [];
  receiver.on('message', (data, isBinary) => {
    expect(isBinary).toBe(false);
    messages.push(data.toString());
  });
  for (const frame of frames) receiver.write(frame);
  return messages;
}

describe('WebSocket frames built once per group and id', () => {
  it('are text frames a client reads back exactly, whatever the length field (7, 16 or 64 bits)', () => {
    const head = Buffer.from('{"id":"é1","type":"next","payload":');
    const tail = Buffer.from('}');
    const payloads = [10, 125 - head.length - 1, 126 - head.length - 1, 200, 65_535 - head.length - 1, 65_536 - head.length - 1, 70_000].map(
      (n) => new SharedPayload(JSON.stringify({ data: { text: 'ü'.repeat(Math.max(0, Math.floor((n - 20) / 2))) } })),
    );
    const frames = payloads.map((p) => webSocketTextFrame(head, p.bytes, tail));
    const lengthFields = frames.map((f) => ((f[1]! & 0x7f) < 126 ? 7 : (f[1]! & 0x7f) === 126 ? 16 : 64));
    expect(new Set(lengthFields)).toEqual(new Set([7, 16, 64]));
    expect(read(frames)).toEqual(payloads.map((p) => `${head.toString()}${p.json}}`));
    for (const [i, frame] of frames.entries()) expect(webSocketFrameData(frame).toString()).toBe(`${head.toString()}${payloads[i]!.json}}`);
  });

  it('shares the bytes between members with the same id and builds one per id', () => {
    const payload = new SharedPayload('{"data":{"n":1}}');
    let builds = 0;
    const build = (id: string) => (bytes: Buffer) => {
      builds++;
      return webSocketTextFrame(Buffer.from(`{"id":"${id}","type":"next","payload":`), bytes, Buffer.from('}'));
    };
    const a = payload.frame('ws:1', build('1'));
    expect(payload.frame('ws:1', build('1'))).toBe(a);
    const b = payload.frame('ws:2', build('2'));
    expect(builds).toBe(2);
    expect(read([a, b])).toEqual(['{"id":"1","type":"next","payload":{"data":{"n":1}}}', '{"id":"2","type":"next","payload":{"data":{"n":1}}}']);
  });
});
