import type { Charts } from '../live/use-charts';

type Category = Charts['categories'][number];

/** Units on hand per category: available stock in a bar, reserved units on top of it. */
export function StockChart({ categories }: { categories: Category[] }) {
  const max = Math.max(1, ...categories.map((c) => c.units));
  const rowHeight = 30;
  return (
    <section class="panel" aria-labelledby="stock-chart-title">
      <h2 id="stock-chart-title">Units on hand by category</h2>
      {categories.length === 0 ? (
        <p class="empty">No products yet.</p>
      ) : (
        <svg class="chart" viewBox={`0 0 400 ${categories.length * rowHeight}`} role="img" aria-label="Units on hand per category" data-testid="stock-chart">
          {categories.map((c, i) => {
            const y = i * rowHeight;
            const width = (c.units / max) * 200;
            const availableWidth = (Math.max(0, c.available) / max) * 200;
            return (
              <g key={c.category} transform={`translate(0 ${y})`}>
                <title>{`${c.category}: ${c.units} on hand, ${c.available} available, ${c.lowStockCount} low on stock`}</title>
                <text x="0" y="19" class="label">
                  {c.category.length > 14 ? `${c.category.slice(0, 13)}…` : c.category}
                </text>
                <rect x="105" y="6" width={Math.max(width, 1)} height="18" rx="3" class="bar-reserved" />
                <rect x="105" y="6" width={Math.max(availableWidth, c.units > 0 ? 1 : 0)} height="18" rx="3" class="bar" />
                <text x={110 + width} y="19" class="value">
                  {c.units}
                  {c.lowStockCount > 0 ? ` · ${c.lowStockCount} low` : ''}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </section>
  );
}

/** Events per minute as the server counts them in the seller's event log, oldest minute first. */
export function EventRateChart({ buckets }: { buckets: Charts['rate'] }) {
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const width = 400;
  const height = 120;
  const barWidth = width / Math.max(1, buckets.length);
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  return (
    <section class="panel" aria-labelledby="rate-chart-title">
      <h2 id="rate-chart-title">
        Events per minute <span class="muted">· {total} in the last {buckets.length} min</span>
      </h2>
      <svg class="chart" viewBox={`0 0 ${width} ${height + 16}`} role="img" aria-label={`Events per minute, ${total} in the last ${buckets.length} minutes`} data-testid="rate-chart" data-total={total}>
        <line x1="0" y1={height} x2={width} y2={height} class="axis" />
        {buckets.map((b, i) => {
          const h = (b.count / max) * (height - 8);
          return (
            <rect key={b.minute} x={i * barWidth + 1} y={height - h} width={barWidth - 2} height={h} rx="2" class="bar" data-count={b.count}>
              <title>{`${new Date(b.minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${b.count}`}</title>
            </rect>
          );
        })}
        <text x="0" y={height + 14} class="label small">
          {buckets.length} min ago
        </text>
        <text x={width} y={height + 14} class="label small" text-anchor="end">
          now
        </text>
      </svg>
    </section>
  );
}
