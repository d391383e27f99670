import { useEffect, useRef, useState } from 'preact/hooks';
import { EventsSubscription, RecentEventsQuery } from '../documents';
import type { FeedEventFragment } from '../generated/graphql';
import type { LiveConnection } from './connection';
import { request } from './http';

export type FeedItem = FeedEventFragment & { live: boolean };

const KEEP = 500;
const PERSIST = 100;

interface Saved {
  cursor: string | null;
  items: FeedItem[];
}

function load(key: string): Saved | null {
  try {
    const saved = JSON.parse(localStorage.getItem(key) ?? 'null') as Saved | null;
    return saved && Array.isArray(saved.items) ? saved : null;
  } catch {
    return null;
  }
}

/**
 * The seller's event feed, newest first. It resumes from the last cursor it processed
 * (kept in localStorage) after a reload or a dropped connection; the server replays what
 * was missed, once each, so the feed never deduplicates.
 */
export function useEventFeed(connection: LiveConnection, token: string, seller: string, onEvent: (item: FeedItem) => void) {
  const key = `amused.feed.${seller}`;
  const [items, setItems] = useState<FeedItem[]>(() => load(key)?.items.map((i) => ({ ...i, live: false })) ?? []);
  const cursor = useRef<string | null>(load(key)?.cursor ?? null);
  const listener = useRef(onEvent);
  listener.current = onEvent;

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    const save = (next: FeedItem[]) => localStorage.setItem(key, JSON.stringify({ cursor: cursor.current, items: next.slice(0, PERSIST) }));
    (async () => {
      if (cursor.current === null) {
        const recent = await request(token, RecentEventsQuery, { last: 50 });
        const history = [...recent.events.nodes].reverse().map((n) => ({ ...n, live: false }));
        cursor.current = history[0]?.cursor ?? null;
        setItems(history);
        save(history);
      }
      if (cancelled) return;
      // a burst (an import, a replay after a reload) renders and saves once per frame, not once per event
      let pending: FeedItem[] = [];
      let flushing = false;
      const flush = () => {
        flushing = false;
        const batch = pending.reverse();
        pending = [];
        setItems((current) => {
          const next = [...batch, ...current].slice(0, KEEP);
          save(next);
          return next;
        });
      };
      stop = connection.subscribe({
        document: EventsSubscription,
        variables: () => ({ after: cursor.current }),
        next: (data) => {
          const item: FeedItem = { ...data.productEvents, live: true };
          cursor.current = item.cursor;
          pending.push(item);
          if (!flushing) {
            flushing = true;
            requestAnimationFrame(flush);
          }
          listener.current(item);
        },
      });
    })().catch((err: unknown) => console.warn('feed: could not load recent events', err));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [connection, token, key]);

  return items;
}
