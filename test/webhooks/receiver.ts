import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A webhook endpoint on 127.0.0.1 that records raw requests and answers `status()` (200 by default). */
export async function receiver(status: () => number = () => 200): Promise<{ url: string; requests: Received[]; close: () => Promise<void> }> {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status()).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** What the README tells receivers to do. */
export function verifySignature(secret: string, r: Received): boolean {
  const timestamp = r.headers['x-amused-timestamp'] as string;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.rawBody}`).digest('hex')}`;
  return r.headers['x-amused-signature'] === expected;
}
