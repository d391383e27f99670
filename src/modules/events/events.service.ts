import { badUserInput } from '../../graphql/errors.js';
import { serialKeyOfInput } from '../../graphql/global-id.js';
import { pageRequest, toConnection, type Connection } from '../../graphql/pagination.js';
import type { Database } from '../../infra/prisma.js';
import { fromScreamingCase } from './event.contract.js';
import { assertCursorRetained, sequenceOfCursor } from './event.cursor.js';
import type { EventType, EventView } from './event.types.js';
import { toEventView } from './event.view.js';
import { firstRetainedSequence, listEvents, listEventsBefore, type EventQuery } from './events.repository.js';

export interface EventFilterArgs {
  types?: EventType[] | null;
  productId?: string | null;
  productIds?: string[] | null;
}

/** Turns GraphQL filter arguments into a query; null means nothing can match. */
export function toEventQuery(filter: EventFilterArgs | null | undefined): EventQuery | null {
  const query: EventQuery = {};
  if (filter?.types) query.types = filter.types.map(fromScreamingCase);
  if (filter?.productIds) {
    if (filter.productIds.length > 100) throw badUserInput('At most 100 productIds');
    query.productIds = filter.productIds.map((id, index) => serialKeyOfInput('Product', id, `productIds.${index}`));
    if (query.productIds.length === 0) return null;
  } else if (filter?.productId != null) {
    query.productIds = [serialKeyOfInput('Product', filter.productId, 'filter.productId')];
  }
  return query;
}

export class EventsService {
  constructor(private readonly db: Database) {}

  /** The seller's event log, oldest first; first/after pages forward, last/before from the newest end. */
  async events(
    sellerId: string,
    args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null; filter?: EventFilterArgs | null },
  ): Promise<Connection<EventView>> {
    const request = pageRequest(args);
    const position = request.cursor === undefined ? null : sequenceOfCursor(sellerId, request.cursor);
    const query = toEventQuery(args.filter);
    if (query === null) return toConnection([], request, (e: EventView) => e.cursor, false);
    const rows = request.forward
      ? await listEvents(this.db, sellerId, position ?? 0, request.size + 1, query)
      : await listEventsBefore(this.db, sellerId, position, request.size + 1, query);
    // only when the page does not start right after the cursor can retention have taken events
    if (request.forward && position !== null && position > 0 && (rows[0]?.sequence ?? Infinity) > position + 1) {
      assertCursorRetained(sellerId, position, await firstRetainedSequence(this.db, sellerId));
    }
    return toConnection(rows.map(toEventView), request, (e) => e.cursor, position !== null && position > 0);
  }
}
