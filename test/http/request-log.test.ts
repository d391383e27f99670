import express from 'express';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { noteRequestSeller, requestLog } from '../../src/http/request-log.js';
import { createLogger } from '../../src/infra/logger.js';

/** A destination that keeps what the logger wrote, one entry per write. */
function captured() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, stream };
}

const servers: { close: () => void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(level: string, slowMs: number) {
  const out = captured();
  const app = express();
  app.use(requestLog(createLogger(level, 'json', out.stream), { slowMs }));
  app.use(express.json());
  app.post('/graphql', (req, res) => {
    noteRequestSeller(res, 'seller-a');
    const status = Number(req.query['status'] ?? 200);
    res.status(status).json({ data: null });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (query: string, status = 200, headers: Record<string, string> = {}) =>
    fetch(`${url}/graphql?status=${status}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { lines: out.lines, post, parsed: () => out.lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('request log', () => {
  it('logs a slow request once, with id, seller, operation, duration and status, and no headers', async () => {
    const api = await serve('info', 0);
    const res = await api.post('query ListThings { products { nodes { id } } }', 200, { 'x-request-id': 'trace-42', authorization: 'Bearer secret' });
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    const [line, ...rest] = api.parsed();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 40, msg: 'slow request', requestId: 'trace-42', seller: 'seller-a', operation: 'ListThings', status: 200 });
    expect(typeof line!['ms']).toBe('number');
    expect(api.lines[0]).not.toMatch(/secret|authorization|content-type|headers/i);
  });

  it('logs nothing for a fast successful request at info, and an error line for a 5xx', async () => {
    const api = await serve('info', 60_000);
    await api.post('{ a }');
    expect(api.lines).toEqual([]);
    const res = await api.post('mutation Break { b }', 503);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(api.parsed()).toEqual([expect.objectContaining({ level: 50, msg: 'request', operation: 'Break', status: 503, requestId: res.headers.get('x-request-id') })]);
  });

  it('writes one readable line per entry in the pretty format', () => {
    const out = captured();
    createLogger('info', 'pretty', out.stream).warn({ requestId: 'r-1', status: 200 }, 'slow request');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).not.toMatch(/^\{/);
    expect(out.lines[0]!.trimEnd().split('\n')).toHaveLength(1);
    expect(out.lines[0]).toMatch(/WARN.*slow request.*r-1/);
  });
});
