import { GraphQLError } from 'graphql';
import { badUserInput } from '../../graphql/errors.js';
import { decodeCursor, encodeCursor } from '../../graphql/pagination.js';

/** A position in one seller's event log; the same cursor pages `events` and resumes subscriptions. */
export function eventCursor(sellerId: string, sequence: number): string {
  return encodeCursor('event', [sellerId, sequence]);
}

/** The sequence a cursor points at, refusing cursors of another seller's log. */
export function sequenceOfCursor(sellerId: string, cursor: string): number {
  const [owner, sequence] = decodeCursor('event', cursor);
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 0) throw badUserInput('Invalid cursor');
  if (owner !== sellerId) throw badUserInput("The cursor is not from this seller's event log");
  return sequence;
}

/**
 * Refuses a position whose next events retention already deleted: resuming there would skip them
 * silently. firstRetained is the first sequence still in the log; oldestCursor resumes just before it.
 */
export function assertCursorRetained(sellerId: string, position: number, firstRetained: number): void {
  if (position >= firstRetained - 1) return;
  throw new GraphQLError('The cursor points to events older than the retention period; they were deleted. Resume from extensions.oldestCursor', {
    extensions: { code: 'CURSOR_EXPIRED', oldestCursor: eventCursor(sellerId, firstRetained - 1) },
  });
}
