import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBatch } from '../../src/modules/events/live/write-batch.js';

let server: Server | undefined;
afterEach(() => server?.close());

/** A real loopback TCP connection: the writing end, and everything the other end has read. */
async function socketPair(): Promise<{ writer: Socket; received: () => string; reads: () => number }> {
  let text = '';
  let reads = 0;
  server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      reads++;
      text += chunk.toString();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const writer = connect((server.address() as { port: number }).port, '127.0.0.1');
  await once(writer, 'connect');
  return { writer, received: () => text, reads: () => reads };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('writeBatch: the frames of several events to one subscriber in one write', () => {
  it('holds the writes of an open batch and sends them in order, in one write, when it ends', async () => {
    const { writer, received, reads } = await socketPair();
    writeBatch.begin();
    for (const frame of ['a1;', 'b2;', 'c3;']) {
      writeBatch.hold(writer, 1_048_576);
      writer.write(frame);
    }
    expect(writer.writableCorked).toBe(1);
    expect(writer.writableLength).toBe(9);
    writeBatch.end();
    expect(writer.writableCorked).toBe(0);
    await until(() => received() === 'a1;b2;c3;');
    expect(reads()).toBe(1);
    writer.destroy();
  });

  it('leaves writes outside a batch alone', async () => {
    const { writer, received } = await socketPair();
    writeBatch.hold(writer, 1_048_576);
    writer.write('x');
    expect(writer.writableCorked).toBe(0);
    await until(() => received() === 'x');
    writer.destroy();
  });

  it('lets held bytes out before they reach half the subscriber buffer limit, so a batch is never taken for a slow consumer', async () => {
    const { writer, received } = await socketPair();
    const frame = 'f'.repeat(300);
    writeBatch.begin();
    let mostHeld = 0;
    for (let i = 0; i < 20; i++) {
      writeBatch.hold(writer, 2048);
      mostHeld = Math.max(mostHeld, writer.writableLength);
      writer.write(frame);
    }
    writeBatch.end();
    // before each write, less than half the 2,048-byte limit is held
    expect(mostHeld).toBeGreaterThan(0);
    expect(mostHeld).toBeLessThan(1024);
    await until(() => received().length === 20 * frame.length);
    writer.destroy();
  });

  it('does not take over a stream someone else corked', async () => {
    const { writer, received } = await socketPair();
    writer.cork();
    writeBatch.begin();
    writeBatch.hold(writer, 1_048_576);
    writer.write('y');
    writeBatch.end();
    expect(writer.writableCorked).toBe(1);
    writer.uncork();
    await until(() => received() === 'y');
    writer.destroy();
  });
});
