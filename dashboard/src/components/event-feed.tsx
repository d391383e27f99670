import type { FeedItem } from '../live/use-event-feed';

function describe(item: FeedItem): string {
  switch (item.__typename) {
    case 'ProductCreated':
      return `${item.product.name} created with ${item.product.quantity} on hand`;
    case 'ProductUpdated': {
      const c = item.changes;
      const parts = [
        c.quantity != null && `on hand → ${c.quantity}`,
        c.reserved != null && `reserved → ${c.reserved}`,
        c.price != null && `price → ${c.price}`,
        c.name != null && `renamed`,
        c.category != null && `category → ${c.category}`,
        c.lowStockThreshold != null && `threshold → ${c.lowStockThreshold}`,
      ].filter(Boolean);
      return `${item.product.name}: ${parts.join(', ') || 'updated'}`;
    }
    case 'ProductDeleted':
      return `${item.product.name} deleted`;
    case 'LowStockWarning':
      return `Low stock: ${item.currentQuantity} available (threshold ${item.threshold})`;
  }
}

export function EventFeed({ items }: { items: FeedItem[] }) {
  return (
    <section class="panel feed" aria-labelledby="feed-title">
      <h2 id="feed-title">Live events</h2>
      {items.length === 0 ? (
        <p class="empty">No events yet. Changes to products and stock appear here as they happen.</p>
      ) : (
        <ol class="feed-list" aria-live="polite" data-testid="feed">
          {items.slice(0, 100).map((item) => (
            <li key={item.cursor} class={`feed-item type-${item.eventType.toLowerCase()}${item.live ? ' fresh' : ''}`} data-sequence={item.sequence}>
              <span class="seq">#{item.sequence}</span>
              <span class="what">{describe(item)}</span>
              <time dateTime={item.timestamp}>{new Date(item.timestamp).toLocaleTimeString()}</time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
