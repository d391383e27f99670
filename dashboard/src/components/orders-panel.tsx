import { useEffect, useState } from 'preact/hooks';
import { OrderCheckoutQuery, OrdersQuery } from '../documents';
import type { DashboardOrderCheckoutQuery, DashboardOrdersQuery } from '../generated/graphql';
import { request } from '../live/http';

type OrderRow = DashboardOrdersQuery['orders']['nodes'][number];
type Checkout = NonNullable<DashboardOrderCheckoutQuery['order']>;

const words = (value: string) => value.toLowerCase().replace(/_/g, ' ');

/** The seller's latest orders with where their money stands; one opened shows its payments, refunds and notifications. */
export function OrdersPanel({ token }: { token: string }) {
  const [orders, setOrders] = useState<OrderRow[]>([]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [checkout, setCheckout] = useState<Checkout | null>(null);
  const [error, setError] = useState('');

  const load = () => {
    setError('');
    request(token, OrdersQuery, {})
      .then((d) => setOrders(d.orders.nodes))
      .catch((err: Error) => setError(err.message));
    if (openId) {
      request(token, OrderCheckoutQuery, { id: openId })
        .then((d) => setCheckout(d.order ?? null))
        .catch((err: Error) => setError(err.message));
    }
  };
  useEffect(load, [token, openId]);

  return (
    <section class="panel orders" aria-labelledby="orders-title" data-testid="orders">
      <div class="panel-head">
        <h2 id="orders-title">Orders</h2>
        <button type="button" onClick={load}>
          Refresh
        </button>
      </div>
      {error && <p class="error">{error}</p>}
      {orders.length === 0 ? (
        <p class="empty">No orders yet.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Total
                </th>
                <th scope="col" class="num">
                  Paid / refunded
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id} class={o.id === openId ? 'open' : ''} data-testid={`order-${o.id}`}>
                  <th scope="row">
                    <button type="button" class="link" aria-expanded={o.id === openId} onClick={() => setOpenId(o.id === openId ? null : o.id)}>
                      #{o.number}
                    </button>
                  </th>
                  <td>{o.customer?.email ?? '-'}</td>
                  <td data-testid="order-status">
                    {words(o.status)} · {words(o.paymentStatus)}
                  </td>
                  <td class="num">{o.total}</td>
                  <td class="num">
                    {o.amountPaid} / {o.amountRefunded}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {openId && checkout && <OrderCheckout checkout={checkout} />}
    </section>
  );
}

function OrderCheckout({ checkout }: { checkout: Checkout }) {
  return (
    <div class="checkout" data-testid="order-checkout">
      <h3>Payments of order #{checkout.number}</h3>
      {checkout.payments.length === 0 ? (
        <p class="empty">No payments.</p>
      ) : (
        <ul class="plain" data-testid="payments">
          {checkout.payments.map((p) => (
            <li key={p.id}>
              <strong>
                {p.amount} {p.currency}
              </strong>{' '}
              {words(p.status)}
              {p.failureCode && <span class="error"> ({p.failureCode})</span>} <span class="muted">via {p.provider}</span>
              {p.refunds.length > 0 && (
                <ul data-testid="refunds">
                  {p.refunds.map((r) => (
                    <li key={r.id}>
                      refunded {r.amount}
                      {r.reason ? ` (${r.reason})` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3>Notifications</h3>
      {checkout.notifications.length === 0 ? (
        <p class="empty">No notifications.</p>
      ) : (
        <ul class="plain" data-testid="notifications">
          {checkout.notifications.map((n) => (
            <li key={n.id}>
              {words(n.template)} by {n.channel === 'EMAIL' ? 'email' : 'SMS'} to {n.recipient}: <strong>{words(n.status)}</strong>
              {n.attempts > 1 ? `, ${n.attempts} attempts` : ''}
              {n.lastError && <span class="error"> ({n.lastError})</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
