import type { DashboardStockoutRisksQuery } from '../generated/graphql';

type Risk = DashboardStockoutRisksQuery['stockoutRisks'][number];

const days = (d: number | null | undefined) => (d === null || d === undefined ? '—' : d < 1 ? 'today' : `${d.toFixed(1)} days`);

/** The seller's products expected to run out within two weeks, soonest first (from stockoutRisks). */
export function RunningOut({ risks, onSelect }: { risks: Risk[]; onSelect: (id: string) => void }) {
  return (
    <section class="panel running-out" aria-labelledby="running-out-title" data-testid="running-out">
      <h2 id="running-out-title">Running out soon</h2>
      {risks.length === 0 ? (
        <p class="empty">Nothing is expected to run out in the next 14 days.</p>
      ) : (
        <ol class="risks">
          {risks.map((r) => (
            <li key={r.product.id}>
              <button type="button" class="link" onClick={() => onSelect(r.product.id)}>
                {r.product.name}
              </button>
              <span class="muted">
                {' '}
                · {r.product.available} left, out in {days(r.forecast.daysUntilStockout)} · reorder {r.forecast.suggestedReorderQuantity}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
