import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

/** JSON lines for machines (production); one readable line per entry for people (development). */
export function createLogger(level: string, format: 'pretty' | 'json' = 'json', destination: DestinationStream = pino.destination(1)): Logger {
  const options = {
    level,
    base: { service: 'amused' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-gateway-secret"]', 'headers.authorization', 'req.query.token', 'req.query.access_token'],
      censor: '[redacted]',
    },
  };
  if (format === 'json') return pino(options, destination);
  // in process and synchronous: development volumes need no worker thread
  return pino(options, PinoPretty({ singleLine: true, colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', sync: true, destination }));
}

const TOKEN_IN_QUERY = /([?&](?:token|access_token)=)[^&#]*/gi;

/** The URL with the value of a ?token= (GraphiQL, the dashboard) replaced: a bearer token must never reach a log. */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_IN_QUERY, '$1[redacted]');
}
