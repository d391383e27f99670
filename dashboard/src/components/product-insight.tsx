import { useEffect, useState } from 'preact/hooks';
import { ProductInsightQuery } from '../documents';
import type { DashboardProductInsightQuery } from '../generated/graphql';
import { request } from '../live/http';

type Insight = NonNullable<DashboardProductInsightQuery['product']>;
type Recommendation = Insight['similar'][number];

/** One product's forecast and what resembles it or sells with it; read again when refreshKey changes. */
export function ProductInsight({ token, productId, refreshKey, onSelect }: { token: string; productId: string; refreshKey: number; onSelect: (id: string) => void }) {
  const [insight, setInsight] = useState<Insight | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let current = true;
    request(token, ProductInsightQuery, { id: productId })
      .then((d) => current && (setInsight(d.product ?? null), setError(d.product ? '' : 'This product no longer exists.')))
      .catch((err: Error) => current && setError(err.message));
    return () => {
      current = false;
    };
  }, [token, productId, refreshKey]);
  if (error) return <section class="panel insight"><p role="alert" class="error">{error}</p></section>;
  if (!insight) return null;
  const f = insight.stockForecast;
  return (
    <section class="panel insight" aria-labelledby="insight-title" data-testid="product-insight">
      <h2 id="insight-title">{insight.name}</h2>
      <dl class="forecast">
        <dt>Demand</dt>
        <dd>
          {f.dailyDemand.toFixed(2)}/day <span class="muted">(80%: {f.dailyDemandLow.toFixed(2)}–{f.dailyDemandHigh.toFixed(2)}, {f.method}, {f.historyDays} days of history)</span>
        </dd>
        <dt>Runs out</dt>
        <dd data-testid="stockout">{f.daysUntilStockout == null ? 'not expected' : `in ${f.daysUntilStockout.toFixed(1)} days (${new Date(f.stockoutDate!).toLocaleDateString()})`}</dd>
        <dt>Reorder</dt>
        <dd>{f.suggestedReorderQuantity} units for 7 + 30 days</dd>
      </dl>
      <Recommendations title="Bought together" items={insight.together} onSelect={onSelect} />
      <Recommendations title="Similar" items={insight.similar} onSelect={onSelect} />
      <p class="muted small">Computed {new Date(f.computedAt).toLocaleTimeString()}</p>
    </section>
  );
}

function Recommendations({ title, items, onSelect }: { title: string; items: Recommendation[]; onSelect: (id: string) => void }) {
  return (
    <>
      <h3>{title}</h3>
      {items.length === 0 ? (
        <p class="empty">None yet.</p>
      ) : (
        <ul class="recommendations">
          {items.map((r) => (
            <li key={r.product.id} title={r.reason}>
              <button type="button" class="link" onClick={() => onSelect(r.product.id)}>
                {r.product.name}
              </button>{' '}
              <span class="muted">{r.score.toFixed(2)}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
