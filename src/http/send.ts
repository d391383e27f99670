import etag from 'etag';
import type { ServerResponse } from 'node:http';

/**
 * What Express's `res.status(status).set(headers).type(type).send(string)` writes, for handlers
 * that also run without Express (the /graphql fast path): the body as UTF-8 with its length and
 * a weak ETag (Express's default `etag` setting), no body for HEAD. Only for answers that are not
 * 2xx, which Express never turns into a 304.
 */
export function sendText(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  for (const name in headers) res.setHeader(name, headers[name]!);
  res.setHeader('Content-Type', `${contentType}; charset=utf-8`);
  const bytes = Buffer.from(body, 'utf8');
  res.setHeader('Content-Length', String(bytes.length));
  res.setHeader('ETag', etag(bytes, { weak: true }));
  if (res.req.method === 'HEAD') res.end();
  else res.end(bytes);
}
