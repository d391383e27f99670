import { useEffect, useRef, useState } from 'preact/hooks';
import { ProductsQuery, StockLevelsSubscription } from '../documents';
import type { DashboardProductsQuery } from '../generated/graphql';
import type { LiveConnection } from '../live/connection';
import { request } from '../live/http';

type Page = DashboardProductsQuery['products'];
type Row = Page['nodes'][number];
type PageRequest = { first?: number; after?: string | null; last?: number; before?: string | null };

const PAGE_SIZE = 20;

export function ProductsTable(props: { token: string; connection: LiveConnection; categories: string[]; refreshKey: number; onSelect: (id: string) => void }) {
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [lowOnly, setLowOnly] = useState(false);
  const [page, setPage] = useState<PageRequest>({ first: PAGE_SIZE });
  const [data, setData] = useState<Page | null>(null);
  const [error, setError] = useState('');
  const [flashing, setFlashing] = useState<Record<string, number>>({});
  const debounced = useDebounced(search, 300);

  const filter = { search: debounced || null, category: category || null, lowStock: lowOnly ? true : null };
  useEffect(() => setPage({ first: PAGE_SIZE }), [debounced, category, lowOnly]);

  useEffect(() => {
    let current = true;
    request(props.token, ProductsQuery, { ...page, filter })
      .then((result) => current && (setData(result.products), setError('')))
      .catch((err: Error) => current && setError(err.message));
    return () => {
      current = false;
    };
  }, [props.token, page, debounced, category, lowOnly, props.refreshKey]);

  const ids = data?.nodes.map((n) => n.id) ?? [];
  const idsKey = ids.join(',');
  const rowsRef = useRef(data);
  rowsRef.current = data;
  useEffect(() => {
    if (ids.length === 0) return;
    return props.connection.subscribe({
      document: StockLevelsSubscription,
      variables: () => ({ ids }),
      next: ({ stockLevels: level }) => {
        const before = rowsRef.current?.nodes.find((n) => n.id === level.productId);
        const { quantity, reserved, available, isLowStock } = level;
        setData((d) => d && { ...d, nodes: d.nodes.map((n) => (n.id === level.productId ? { ...n, quantity, reserved, available, isLowStock } : n)) });
        if (before && (before.quantity !== level.quantity || before.reserved !== level.reserved)) {
          setFlashing((f) => ({ ...f, [level.productId]: Date.now() }));
          setTimeout(() => setFlashing((f) => ({ ...f, [level.productId]: 0 })), 1200);
        }
      },
    });
  }, [props.connection, idsKey]);

  return (
    <section class="panel products" aria-labelledby="products-title">
      <div class="panel-head">
        <h2 id="products-title">Products {data && <span class="muted">· {data.totalCount}</span>}</h2>
        <div class="filters">
          <label>
            <span class="sr-only">Search products</span>
            <input type="search" placeholder="Search name, description, SKU" value={search} onInput={(e) => setSearch(e.currentTarget.value)} aria-label="Search products" />
          </label>
          <label>
            <span class="sr-only">Category</span>
            <select value={category} onChange={(e) => setCategory(e.currentTarget.value)} aria-label="Category">
              <option value="">All categories</option>
              {props.categories.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label class="check">
            <input type="checkbox" checked={lowOnly} onChange={(e) => setLowOnly(e.currentTarget.checked)} /> Low stock only
          </label>
        </div>
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="table-scroll">
        <table data-testid="products">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Category</th>
              <th scope="col" class="num">Price</th>
              <th scope="col" class="num">On hand</th>
              <th scope="col" class="num">Reserved</th>
              <th scope="col" class="num">Available</th>
            </tr>
          </thead>
          <tbody>
            {data?.nodes.map((row: Row) => (
              <tr key={row.id} class={row.isLowStock ? 'low' : ''} data-product-id={row.id}>
                <th scope="row">
                  <button type="button" class="link name" onClick={() => props.onSelect(row.id)} title="Forecast and recommendations">
                    {row.name}
                  </button>
                  {row.sku && <span class="sku">{row.sku}</span>}
                  {row.isLowStock && <span class="tag">Low stock</span>}
                </th>
                <td data-label="Category">{row.category}</td>
                <td class="num" data-label="Price">{row.price}</td>
                <td class={`num stock${flashing[row.id] ? ' flash' : ''}`} data-testid="quantity" data-label="On hand">
                  {row.quantity}
                </td>
                <td class="num" data-testid="reserved" data-label="Reserved">
                  {row.reserved}
                </td>
                <td class={`num stock${flashing[row.id] ? ' flash' : ''}`} data-testid="available" data-label="Available">
                  {row.available}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.nodes.length === 0 && <p class="empty">No products match.</p>}
      </div>
      <nav class="pager" aria-label="Product pages">
        <button type="button" disabled={!data?.pageInfo.hasPreviousPage} onClick={() => setPage({ last: PAGE_SIZE, before: data?.pageInfo.startCursor })}>
          ← Previous
        </button>
        <button type="button" disabled={!data?.pageInfo.hasNextPage} onClick={() => setPage({ first: PAGE_SIZE, after: data?.pageInfo.endCursor })}>
          Next →
        </button>
      </nav>
    </section>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return current;
}
