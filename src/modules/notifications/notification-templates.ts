import type { Email } from './mailer.js';
import type { NotificationData, NotificationTemplate } from './notification.model.js';

/** What the templates show of an order. */
export interface OrderView {
  id: number;
  customerName: string | null;
  lines: { name: string; quantity: number; unitPrice: string; lineTotal: string }[];
  total: string;
  currency: string;
}

const SUBJECTS: Record<NotificationTemplate, (o: OrderView, d: NotificationData) => string> = {
  order_confirmation: (o) => `Order #${o.id} confirmed`,
  order_shipped: (o) => `Order #${o.id} has shipped`,
  order_delivered: (o) => `Order #${o.id} was delivered`,
  payment_succeeded: (o, d) => `Payment of ${d.amount} ${o.currency} received for order #${o.id}`,
  payment_failed: (o) => `Payment for order #${o.id} failed`,
  refund_issued: (o, d) => `Refund of ${d.amount} ${o.currency} for order #${o.id}`,
};

const LEADS: Record<NotificationTemplate, (o: OrderView, d: NotificationData) => string> = {
  order_confirmation: () => 'Thank you: your order is confirmed and is being prepared.',
  order_shipped: () => 'Your order is on its way.',
  order_delivered: () => 'Your order was delivered. Enjoy!',
  payment_succeeded: (o, d) => `We received your payment of ${d.amount} ${o.currency}.`,
  payment_failed: (_o, d) => `Your payment could not be completed (${d.failureCode ?? 'unknown error'}). No money was taken; please try another payment method.`,
  refund_issued: (o, d) => `We refunded ${d.amount} ${o.currency} to your payment method.`,
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderEmail(template: NotificationTemplate, to: string, order: OrderView, data: NotificationData): Email {
  const subject = SUBJECTS[template](order, data);
  const lead = LEADS[template](order, data);
  const greeting = `Hello${order.customerName ? ` ${order.customerName}` : ''},`;
  const lines = order.lines.map((l) => `${l.quantity} x ${l.name} at ${l.unitPrice} = ${l.lineTotal}`);
  const text = [greeting, '', lead, '', `Order #${order.id}`, ...lines, `Total: ${order.total} ${order.currency}`, ''].join('\n');
  const rows = order.lines
    .map((l) => `<tr><td>${escapeHtml(l.name)}</td><td align="right">${l.quantity}</td><td align="right">${l.unitPrice}</td><td align="right">${l.lineTotal}</td></tr>`)
    .join('');
  const html =
    `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(lead)}</p>` +
    `<table><thead><tr><th align="left">Item</th><th>Qty</th><th>Price</th><th>Amount</th></tr></thead><tbody>${rows}</tbody>` +
    `<tfoot><tr><td colspan="3"><strong>Total</strong></td><td align="right"><strong>${order.total} ${order.currency}</strong></td></tr></tfoot></table>`;
  return { to, subject, text, html };
}

/** An SMS is the subject line: short, with the order number and the amount when there is one. */
export function renderSms(template: NotificationTemplate, order: OrderView, data: NotificationData): string {
  return `${SUBJECTS[template](order, data)}. Total ${order.total} ${order.currency}.`;
}
