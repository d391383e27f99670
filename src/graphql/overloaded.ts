import type { ApolloServerPlugin } from '@apollo/server';
import type { DatabaseOverloaded } from '../infra/prisma.js';
import { retryAfterSeconds } from '../limits/errors.js';

/** extensions of an OVERLOADED error: no database connection in time, nothing was written. */
export function overloadedExtensions(error: DatabaseOverloaded): { code: 'OVERLOADED'; retryAfterMs: number } {
  return { code: 'OVERLOADED', retryAfterMs: error.retryAfterMs };
}

/** An answer carrying OVERLOADED is HTTP 503 with Retry-After, so proxies and clients back off. */
export const overloadedStatus: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const overloaded = response.body.singleResult.errors?.find((e) => e.extensions?.['code'] === 'OVERLOADED');
        if (!overloaded) return;
        response.http.status = 503;
        response.http.headers.set('retry-after', String(retryAfterSeconds(Number(overloaded.extensions?.['retryAfterMs'] ?? 1000))));
      },
    };
  },
};
