import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { MeQuery } from '../accounts/documents';
import { StockoutRisksQuery } from '../documents';
import type { DashboardStockoutRisksQuery } from '../generated/graphql';
import { LiveConnection, type ConnectionStatus, type Transport } from '../live/connection';
import { request, Unauthenticated } from '../live/http';
import { useCharts } from '../live/use-charts';
import { useEventFeed, type FeedItem } from '../live/use-event-feed';
import { isUserToken, sellerOfToken } from '../session';
import { BulkPanel } from './bulk-panel';
import { EventRateChart, StockChart } from './charts';
import { ConnectionBadge } from './connection-badge';
import { EventFeed } from './event-feed';
import { LowStockAlerts, type Alert } from './low-stock-alerts';
import { OrdersPanel } from './orders-panel';
import { ProductInsight } from './product-insight';
import { ProductsTable } from './products-table';
import { RunningOut } from './running-out';
import { TeamPanel } from './team-panel';

export function Dashboard({ token, onSignOut, onRefused }: { token: string; onSignOut: () => void; onRefused: () => void }) {
  const seller = sellerOfToken(token) ?? 'unknown';
  const [status, setStatus] = useState<{ status: ConnectionStatus; transport: Transport }>({ status: 'connecting', transport: 'websocket' });
  const connection = useMemo(() => new LiveConnection(() => token, (s, t) => setStatus({ status: s, transport: t })), [token]);
  useEffect(() => () => connection.close(), [connection]);
  useEffect(() => {
    if (status.status === 'refused') onRefused();
  }, [status.status]);

  // a signed-in user's token has a profile; a pasted seller token has none (and is OWNER)
  const [me, setMe] = useState<{ email: string; role: string } | null>(null);
  useEffect(() => {
    setMe(null);
    if (!isUserToken(token)) return;
    request(token, MeQuery, {})
      .then((d) => setMe(d.me))
      .catch(() => setMe(null));
  }, [token]);
  const [page, setPage] = useState<'stock' | 'team'>('stock');
  const owner = me === null || me.role === 'OWNER';

  const [productsVersion, setProductsVersion] = useState(0);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const refresh = useRef<ReturnType<typeof setTimeout>>();
  const listChanged = useRef(false);
  const { charts, changed: chartsChanged } = useCharts(token, onRefused);

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

  const feed = useEventFeed(connection, token, seller, (item: FeedItem) => {
    chartsChanged();
    if (item.__typename === 'LowStockWarning') {
      const named = feedRef.current.find((i) => i.productId === item.productId && 'product' in i);
      const name = named && 'product' in named ? named.product.name : `Product ${item.productId}`;
      setAlerts((a) => [{ id: item.cursor, name, available: item.currentQuantity, threshold: item.threshold }, ...a].slice(0, 5));
    }
    if (item.__typename === 'ProductCreated' || item.__typename === 'ProductDeleted') listChanged.current = true;
    // one refresh after a burst of events (an import creates thousands), not one per event
    clearTimeout(refresh.current);
    refresh.current = setTimeout(() => {
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
          <span class="seller" title="Signed in seller" data-testid="who">
            {me ? `${me.email} · ${me.role}` : seller}
          </span>
          {owner && (
            <button type="button" class="link" onClick={() => setPage(page === 'team' ? 'stock' : 'team')}>
              {page === 'team' ? 'Stock' : 'Team & API keys'}
            </button>
          )}
          <button type="button" class="link" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <LowStockAlerts alerts={alerts} onDismiss={(id) => setAlerts((a) => a.filter((x) => x.id !== id))} />
      {page === 'team' && <TeamPanel token={token} />}
      <main class="grid" hidden={page === 'team'}>
        <ProductsTable token={token} connection={connection} categories={charts.categories.map((c) => c.category)} refreshKey={productsVersion} onSelect={setSelected} />
        <div class="side">
          {selected && <ProductInsight token={token} productId={selected} refreshKey={insightVersion} onSelect={setSelected} />}
          <RunningOut risks={risks} onSelect={setSelected} />
          <StockChart categories={charts.categories} />
          <EventRateChart buckets={charts.rate} />
        </div>
        <EventFeed items={feed} />
        <BulkPanel token={token} connection={connection} />
        <OrdersPanel token={token} />
      </main>
    </div>
  );
}
