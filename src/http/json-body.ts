import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';

/** A body that could not be read, shaped as express.json's errors so that both are refused alike. */
export interface BodyError {
  status: number;
  type: string;
}

/**
 * The outcome of reading a JSON body: the parsed body, why it could not be read, or `unread`
 * when the request had already ended (express.json then leaves req.body unset).
 */
export type JsonBody = { body: unknown } | { error: BodyError } | { unread: true };

const PLAIN_JSON_TYPE = /^application\/json(?:; *charset=(?:utf-8|"utf-8"))?$/i;
const FIRST_NON_WHITESPACE = /^[ \t\n\r]*([^ \t\n\r]|$)/; // JSON's whitespace (RFC 7159)
const TOO_LARGE: BodyError = { status: 413, type: 'entity.too.large' };
const NOT_JSON: BodyError = { status: 400, type: 'entity.parse.failed' };

/**
 * Whether readJsonBody reads this request as express.json would: a body (a length or chunked),
 * `application/json` in UTF-8, not compressed. Others (another type, charset or encoding, no
 * body) are left to express.json, which answers them in ways readJsonBody does not repeat.
 */
export function isPlainJsonRequest(req: IncomingMessage): boolean {
  const { headers } = req;
  const type = headers['content-type'];
  if (type === undefined || !PLAIN_JSON_TYPE.test(type)) return false;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && !Number.isNaN(Number(length)));
}

/** As on-finished tells body-parser: the request has nothing more to read. */
function hasEnded(req: IncomingMessage): boolean {
  const socket = req.socket as IncomingMessage['socket'] | null;
  return Boolean((req as { upgrade?: boolean }).upgrade) || !socket || !socket.readable || (req.complete && !req.readable);
}

/** Reads off the rest of the request, then calls back: refusals go out once the client has sent everything. */
function drain(req: IncomingMessage, then: () => void): void {
  if (hasEnded(req)) return then();
  finished(req, () => then());
  req.resume();
}

/** express.json's strict parse: empty is `{}`, and only an object or array is JSON here. */
function parseJson(bytes: Buffer): JsonBody {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // the byte order mark, as iconv-lite drops it
  if (text.length === 0) return { body: {} };
  const first = FIRST_NON_WHITESPACE.exec(text)?.[1];
  if (first !== '{' && first !== '[') return { error: NOT_JSON };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { error: NOT_JSON };
  }
}

/**
 * Reads a JSON body of at most `limitBytes` as express.json (body-parser 2) does for a request
 * isPlainJsonRequest accepts, without its content-type, charset and decoder machinery.
 */
export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<JsonBody> {
  if (hasEnded(req)) return Promise.resolve({ unread: true });
  return new Promise((resolve) => {
    const fail = (error: BodyError) => drain(req, () => resolve({ error }));
    if (Number(req.headers['content-length']) > limitBytes) return fail(TOO_LARGE);
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onAborted);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limitBytes) return void chunks.push(chunk);
      stop();
      fail(TOO_LARGE);
    };
    const onEnd = () => {
      stop();
      resolve(parseJson(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    };
    const onAborted = () => {
      stop();
      fail({ status: 400, type: 'request.aborted' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onAborted);
  });
}
