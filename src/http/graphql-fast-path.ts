import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { Logger } from '../infra/logger.js';
import { answerHttpError } from './graphql-errors.js';
import { noteClientIp } from './graphql-guards.js';
import { isPlainJsonRequest } from './json-body.js';

/** The paths Express routes to `app.post('/graphql')`: any case, an optional trailing slash, any query string. */
const GRAPHQL_PATH = /^\/graphql\/?(?:\?|$)/i;

/**
 * Whether a request is the API's own hot traffic, which the fast path serves: a POST to
 * /graphql with a plain JSON body (isPlainJsonRequest). Everything else, including a POST to
 * /graphql with another content type, goes to the Express app as before.
 */
export function isFastGraphqlRequest(req: IncomingMessage): boolean {
  return req.method === 'POST' && GRAPHQL_PATH.test(req.url!) && isPlainJsonRequest(req);
}

/** What the Express app runs for POST /graphql, as functions over Node's request and response, in the app's order. */
export interface FastPathSteps {
  writeSecurityHeaders: (res: ServerResponse) => void;
  writeCorsHeaders: (req: IncomingMessage, res: ServerResponse) => void;
  /** With a gateway secret: whether the request goes on (else it was refused). */
  checkGatewaySecret?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
  startRequestLog: (req: IncomingMessage, res: ServerResponse, path: string) => void;
  timeRequest: (req: IncomingMessage, res: ServerResponse, routeOf: () => string) => void;
  /** Express's compiled `trust proxy` setting (app.get('trust proxy fn')). */
  trustProxy: (address: string, hop: number) => boolean;
  guards: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  runApollo: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  log: Logger;
}

const graphqlRoute = () => '/graphql';

/**
 * POST /graphql served with Node's request and response ahead of Express, whose router, request
 * and response prototypes, body parser and per-request middleware chain cost about a tenth of
 * the API's CPU on a short query. It runs the app's own steps in the app's order, so each
 * request is answered as the Express app would answer it.
 */
export function graphqlFastPath(steps: FastPathSteps): RequestListener {
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (await steps.guards(req, res)) await steps.runApollo(req, res);
  };
  return (req, res) => {
    try {
      const url = req.url!;
      const query = url.indexOf('?');
      const path = query === -1 ? url : url.slice(0, query);
      steps.writeSecurityHeaders(res);
      steps.writeCorsHeaders(req, res);
      if (steps.checkGatewaySecret && !steps.checkGatewaySecret(req, res, path)) return;
      steps.startRequestLog(req, res, path);
      steps.timeRequest(req, res, graphqlRoute);
      const ip = proxyaddr(req, steps.trustProxy) as string | undefined;
      if (ip !== undefined) noteClientIp(req, ip);
      serve(req, res).catch((err: unknown) => answerHttpError(err, req, res, steps.log));
    } catch (err) {
      answerHttpError(err, req, res, steps.log);
    }
  };
}
