import type { ConnectionStatus, Transport } from '../live/connection';

const LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  refused: 'Token refused',
};

export function ConnectionBadge({ status, transport }: { status: ConnectionStatus; transport: Transport }) {
  return (
    <span class={`badge badge-${status}`} role="status" aria-live="polite" data-testid="connection">
      <span class="dot" aria-hidden="true" />
      {LABELS[status]}
      {status === 'live' && <span class="transport"> · {transport === 'websocket' ? 'WebSocket' : 'SSE'}</span>}
    </span>
  );
}
