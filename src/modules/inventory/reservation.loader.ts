import { sellerOf, type Context } from '../../graphql/context.js';
import { byKeys, requestLoader } from '../../graphql/request-loaders.js';
import type { ReservationRecord } from './reservation.model.js';

/** The caller's reservations by id, batched per request; another seller's loads as null. */
export function reservationLoader(ctx: Context) {
  const sellerId = sellerOf(ctx);
  return requestLoader<number, ReservationRecord | null>(ctx, 'reservation', async (ids) =>
    byKeys(ids, await ctx.services.reservations.reservationsByIds(sellerId, ids), (r) => r.id),
  );
}
