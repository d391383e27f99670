import { useEffect, useRef, useState } from 'preact/hooks';
import { ChartsQuery } from '../documents';
import type { DashboardChartsQuery } from '../generated/graphql';
import { request, Unauthenticated } from './http';

export type Charts = { categories: DashboardChartsQuery['stockByCategory']; rate: DashboardChartsQuery['sellerMetrics']['eventsPerMinute'] };

export const RATE_MINUTES = 30;
/** After a live event, wait this long for the burst to end before reloading... */
const QUIET_MS = 300;
/** ...but never longer than this while events keep coming (an import), so the charts move with it. */
const MAX_WAIT_MS = 2000;
/** The minute window moves even when nothing happens. */
const POLL_MS = 15_000;

/**
 * The charts' numbers, from the server (units per category and events per minute are computed
 * over the whole catalog and the whole event log, not over what the page holds). `changed` asks
 * for a reload after a live event: debounced, with a maximum wait.
 */
export function useCharts(token: string, onRefused: () => void): { charts: Charts; changed: () => void } {
  const [charts, setCharts] = useState<Charts>({ categories: [], rate: [] });
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const firstPending = useRef<number | null>(null);
  const refused = useRef(onRefused);
  refused.current = onRefused;

  const load = () => {
    firstPending.current = null;
    return request(token, ChartsQuery, { minutes: RATE_MINUTES })
      .then((d) => setCharts({ categories: d.stockByCategory, rate: d.sellerMetrics.eventsPerMinute }))
      .catch((err: unknown) => {
        if (err instanceof Unauthenticated) refused.current();
        else console.warn('charts: could not load', err);
      });
  };
  useEffect(() => {
    void load();
    const poll = setInterval(() => void load(), POLL_MS);
    return () => {
      clearInterval(poll);
      clearTimeout(timer.current);
    };
  }, [token]);

  const changed = () => {
    const now = Date.now();
    firstPending.current ??= now;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), Math.max(0, Math.min(QUIET_MS, firstPending.current + MAX_WAIT_MS - now)));
  };
  return { charts, changed };
}
