export interface Alert {
  id: string;
  name: string;
  available: number;
  threshold: number;
}

export function LowStockAlerts({ alerts, onDismiss }: { alerts: Alert[]; onDismiss: (id: string) => void }) {
  if (alerts.length === 0) return null;
  return (
    <div class="alerts" role="alert" aria-live="assertive" data-testid="low-stock-alerts">
      {alerts.map((a) => (
        <div key={a.id} class="alert">
          <strong>Low stock:</strong> {a.name} has {a.available} available (threshold {a.threshold}).
          <button type="button" class="link" onClick={() => onDismiss(a.id)} aria-label={`Dismiss alert for ${a.name}`}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
