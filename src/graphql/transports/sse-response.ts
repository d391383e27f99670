import type { Request, Response } from 'express';
import { createHandler as createRawHandler, type HandlerOptions } from 'graphql-sse';
import type { SseOutput } from './frames.js';

export interface SseRequestContext {
  res: Response;
  /** The response as subscriptions of this request write to it directly. */
  output: SseOutput;
}

/**
 * graphql-sse's express adapter (lib/use/express, 2.6.1) with one addition: subscriptions
 * may write frames to the response themselves. Those written before the status and headers
 * wait in `output.waiting` and go out right after them; then every write, the library's
 * messages and ours, goes to the response in the order it is made.
 */
export function createSseHandler<C extends Record<PropertyKey, unknown>>(options: HandlerOptions<Request, SseRequestContext, C>) {
  const handler = createRawHandler(options);
  return async function handleRequest(req: Request, res: Response): Promise<void> {
    const output: SseOutput = { res, opened: false, waiting: [] };
    const [body, init] = await handler({
      method: req.method,
      url: req.url,
      headers: {
        get(key: string) {
          const header = req.headers[key];
          return Array.isArray(header) ? header.join('\n') : header;
        },
      },
      body: () =>
        new Promise<string | Record<PropertyKey, unknown> | null>((resolve, reject) => {
          if (req.body) return resolve(req.body as Record<PropertyKey, unknown>);
          let text = '';
          req.on('data', (chunk: Buffer) => (text += chunk));
          req.once('error', reject);
          req.once('end', () => {
            req.off('error', reject);
            resolve(text);
          });
        }),
      raw: req,
      context: { res, output },
    });
    res.writeHead(init.status, init.statusText, init.headers);
    output.opened = true;
    for (const frame of output.waiting.splice(0)) res.write(frame);
    if (!body || typeof body === 'string') {
      return new Promise((resolve) => res.end(body, () => resolve()));
    }
    const stop = () => void body.return(undefined);
    res.once('close', stop);
    for await (const value of body) {
      const closed = await new Promise<boolean>((resolve, reject) => {
        if (!res.writable) resolve(true);
        else res.write(value, (err) => (err ? reject(err) : resolve(false)));
      });
      if (closed) break;
    }
    res.off('close', stop);
    return new Promise((resolve) => res.end(resolve));
  };
}
