import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CategoriesQuery, StockoutRisksQuery } from '../documents';
import type { DashboardCategoriesQuery, DashboardStockoutRisksQuery } from '../generated/graphql';
import { LiveConnection, type ConnectionStatus, type Transport } from '../live/connection';
import { request, Unauthenticated } from '../live/http';
import { eventsPerMinute, useEventFeed, type FeedItem } from '../live/use-event-feed';
import { sellerOfToken } from '../session';
import { BulkPanel } from './bulk-panel';
import { EventRateChart, StockChart } from './charts';
import { ConnectionBadge } from './connection-badge';
import { EventFeed } from './event-feed';
import { LowStockAlerts, type Alert } from './low-stock-alerts';
import { ProductInsight } from './product-insight';
import { ProductsTable } from './products-table';
import { RunningOut } from './running-out';

export function Dashboard({ token, onSignOut, onRefused }: { token: string; onSignOut: () => void; onRefused: () => void }) {
  const seller = sellerOfToken(token) ?? 'unknown';
  const [status, setStatus] = useState<{ status: ConnectionStatus; transport: Transport }>({ status: 'connecting', transport: 'websocket' });
  const connection = useMemo(() => new LiveConnection(() => token, (s, t) => setStatus({ status: s, transport: t })), [token]);
  useEffect(() => () => connection.close(), [connection]);
  useEffect(() => {
    if (status.status === 'refused') onRefused();
  }, [status.status]);

  const [categories, setCategories] = useState<DashboardCategoriesQuery['stockByCategory']>([]);
  const [productsVersion, setProductsVersion] = useState(0);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [now, setNow] = useState(Date.now());
  const refresh = useRef<ReturnType<typeof setTimeout>>();
  const listChanged = useRef(false);

  const [risks, setRisks] = useState<DashboardStockoutRisksQuery['stockoutRisks']>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [insightVersion, setInsightVersion] = useState(0);
  const loadRisks = () =>
    request(token, StockoutRisksQuery, { horizonDays: 14, first: 10 })
      .then((d) => setRisks(d.stockoutRisks))
      .catch((err: unknown) => {
        if (err instanceof Unauthenticated) onRefused();
      });
  useEffect(() => void loadRisks(), [token]);
  // forecasts are recomputed a few seconds after the seller's changes: read them again meanwhile
  useEffect(() => {
    const timer = setInterval(() => {
      void loadRisks();
      setInsightVersion((v) => v + 1);
    }, 10_000);
    return () => clearInterval(timer);
  }, [token]);

  const loadCategories = () =>
    request(token, CategoriesQuery, {})
      .then((d) => setCategories(d.stockByCategory))
      .catch((err: unknown) => {
        if (err instanceof Unauthenticated) onRefused();
      });
  useEffect(() => void loadCategories(), [token]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const feed = useEventFeed(connection, token, seller, (item: FeedItem) => {
    setNow(Date.now());
    if (item.__typename === 'LowStockWarning') {
      const named = feedRef.current.find((i) => i.productId === item.productId && 'product' in i);
      const name = named && 'product' in named ? named.product.name : `Product ${item.productId}`;
      setAlerts((a) => [{ id: item.cursor, name, available: item.currentQuantity, threshold: item.threshold }, ...a].slice(0, 5));
    }
    if (item.__typename === 'ProductCreated' || item.__typename === 'ProductDeleted') listChanged.current = true;
    // one refresh after a burst of events (an import creates thousands), not one per event
    clearTimeout(refresh.current);
    refresh.current = setTimeout(() => {
      void loadCategories();
      void loadRisks();
      setInsightVersion((v) => v + 1);
      if (listChanged.current) setProductsVersion((v) => v + 1);
      listChanged.current = false;
    }, 300);
  });
  const feedRef = useRef(feed);
  feedRef.current = feed;

  return (
    <div class="app">
      <header class="top">
        <h1>
          Amused <span class="muted">· live stock</span>
        </h1>
        <div class="who">
          <ConnectionBadge status={status.status} transport={status.transport} />
          <span class="seller" title="Signed in seller">
            {seller}
          </span>
          <button type="button" class="link" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <LowStockAlerts alerts={alerts} onDismiss={(id) => setAlerts((a) => a.filter((x) => x.id !== id))} />
      <main class="grid">
        <ProductsTable token={token} connection={connection} categories={categories.map((c) => c.category)} refreshKey={productsVersion} onSelect={setSelected} />
        <div class="side">
          {selected && <ProductInsight token={token} productId={selected} refreshKey={insightVersion} onSelect={setSelected} />}
          <RunningOut risks={risks} onSelect={setSelected} />
          <StockChart categories={categories} />
          <EventRateChart buckets={eventsPerMinute(feed, 30, now)} />
        </div>
        <EventFeed items={feed} />
        <BulkPanel token={token} connection={connection} />
      </main>
    </div>
  );
}
