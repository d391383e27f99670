import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'amused' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-gateway-secret"]', 'headers.authorization', 'req.query.token', 'req.query.access_token'],
      censor: '[redacted]',
    },
  });
}

const TOKEN_IN_QUERY = /([?&](?:token|access_token)=)[^&#]*/gi;

/** The URL with the value of a ?token= (GraphiQL, the dashboard) replaced: a bearer token must never reach a log. */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_IN_QUERY, '$1[redacted]');
}

interface SerializedRequest {
  url?: string;
  query?: Record<string, unknown>;
  [key: string]: unknown;
}

/** pino-http serializers (applied after pino's standard ones) that keep tokens out of request lines. */
export const requestLogSerializers = {
  req: (req: SerializedRequest): SerializedRequest => {
    const redacted: SerializedRequest = { ...req };
    if (typeof req.url === 'string') redacted.url = redactUrl(req.url);
    if (req.query && typeof req.query === 'object') {
      const query = { ...req.query };
      for (const key of ['token', 'access_token']) if (key in query) query[key] = '[redacted]';
      redacted.query = query;
    }
    return redacted;
  },
};
