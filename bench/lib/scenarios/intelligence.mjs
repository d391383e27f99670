// Catalog intelligence quality and cost (issue 19), on a generated store with planted structure,
// in a database of its own (amused_bench_intelligence) and in this process: it imports the
// production build (dist/) and calls the same recompute the worker's job runs.
//
// The store: one seller, `products` products in 40 categories grouped in 20 families. Each
// category has 10 words of its own, each family 15 words its two categories share, and 30
// generic words are shared by all. A name is an own or family word, a family word and a generic
// word; a description 4 words (25% own, 45% family, 30% generic), so sibling categories are
// confusable; 5% of the products are filed under a category their words do not belong to.
// Demand: Zipf popularity (s = 1.1) over the catalog, a weekly pattern on the number of orders,
// a linear trend on 30% of the products; 1,000 planted bundles of 2-3 products bought together
// in 30% of the orders. `orders` orders fall in the 120 training days (CONFIRMED or later, with
// their SOLD movements); the orders of the 14 following days are kept in memory as held-out data.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { REPO_DIR } from '../servers.mjs';

const TRAIN_DAYS = 120;
const TEST_DAYS = 14;
const FAMILIES = 20;
const CATEGORIES = 40;
const BUNDLES = 1000;
const BUNDLE_SHARE = 0.3;
const DAY_MS = 86_400_000;
const SELLER = 'bench-intelligence';
const DOW = [0.8, 0.9, 1, 1, 1.1, 1.4, 1.3];

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'ta', 'vo', 'sel', 'dor', 'pi', 'nu', 'gar', 'bel', 'fi', 'os', 'tru', 'wen', 'zal', 'cor', 'ish', 'um'];
function wordMaker(random) {
  const seen = new Set();
  return () => {
    for (;;) {
      const w = Array.from({ length: 2 + Math.floor(random() * 2) }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join('');
      if (!seen.has(w)) {
        seen.add(w);
        return w;
      }
    }
  };
}

const pick = (random, list) => list[Math.floor(random() * list.length)];

/** Cumulative weights and a binary search: one draw in O(log n). */
function sampler(weights) {
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) cumulative[i] = sum += weights[i];
  return (random) => {
    const x = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function generateStore({ products, orders }, seed = 19) {
  const random = rng(seed);
  const word = wordMaker(random);
  const generic = Array.from({ length: 30 }, word);
  const family = Array.from({ length: FAMILIES }, () => Array.from({ length: 15 }, word));
  const own = Array.from({ length: CATEGORIES }, () => Array.from({ length: 10 }, word));
  const categoryName = (c) => `Category ${String(c + 1).padStart(2, '0')}`;
  const textWord = (c) => {
    const r = random();
    return r < 0.25 ? pick(random, own[c]) : r < 0.7 ? pick(random, family[c >> 1]) : pick(random, generic);
  };
  const catalog = Array.from({ length: products }, (_, i) => {
    const c = Math.floor(random() * CATEGORIES);
    // 5% are filed under another category than their words say, as in real catalogs
    const words = random() < 0.05 ? Math.floor(random() * CATEGORIES) : c;
    return {
      index: i,
      category: c,
      name: `${random() < 0.5 ? pick(random, own[words]) : pick(random, family[words >> 1])} ${pick(random, family[words >> 1])} ${pick(random, generic)}`,
      description: Array.from({ length: 4 }, () => textWord(words)).join(' '),
      price: Math.round((2 + random() * 200) * 100) / 100,
      trend: random() < 0.3 ? -0.5 + random() * 1.5 : 0,
    };
  });
  // Zipf popularity over a random order of the catalog
  const rank = catalog.map((_, i) => i).sort(() => random() - 0.5);
  const popularity = new Float64Array(products);
  rank.forEach((product, r) => (popularity[product] = 1 / Math.pow(r + 1, 1.1)));
  const bundles = Array.from({ length: BUNDLES }, () => {
    const size = random() < 0.5 ? 2 : 3;
    const items = new Set();
    while (items.size < size) items.add(Math.floor(random() * products));
    return [...items];
  });
  const pickBundle = sampler(bundles.map((_, i) => 1 / Math.pow(i + 1, 0.5)));

  const days = TRAIN_DAYS + TEST_DAYS;
  const perDay = orders / TRAIN_DAYS; // training gets `orders`; the test days follow the same rate
  const all = [];
  for (let day = 0; day < days; day++) {
    const drawProduct = sampler(catalog.map((p, i) => popularity[i] * Math.max(0.05, 1 + p.trend * (day / days))));
    const count = Math.round(perDay * DOW[day % 7] * (0.9 + random() * 0.2) / (DOW.reduce((a, b) => a + b) / 7));
    for (let k = 0; k < count; k++) {
      const lines = new Map();
      const add = (product) => lines.set(product, (lines.get(product) ?? 0) + (random() < 0.85 ? 1 : 2 + Math.floor(random() * 2)));
      let bundle = null;
      if (random() < BUNDLE_SHARE) {
        bundle = bundles[pickBundle(random)];
        for (const item of bundle) if (random() < 0.9) add(item);
        if (lines.size < 2) for (const item of bundle.slice(0, 2)) add(item);
        if (random() < 0.5) add(drawProduct(random));
      } else {
        const n = 1 + Math.floor(random() * 3);
        for (let j = 0; j < n; j++) add(drawProduct(random));
      }
      all.push({ day, second: Math.floor(random() * 86_000), lines: [...lines], bundle });
    }
  }
  return {
    catalog,
    categoryName,
    bundles,
    train: all.filter((o) => o.day < TRAIN_DAYS),
    test: all.filter((o) => o.day >= TRAIN_DAYS),
  };
}

async function loadStore(client, store, firstDay) {
  const dayStart = (day) => new Date((firstDay + day) * DAY_MS);
  await client.query('TRUNCATE products, stock_movements, reservations, reservation_items, orders, order_items, stock_forecasts, bought_together, category_models, imported_sales RESTART IDENTITY CASCADE');
  const created = dayStart(0);
  const { catalog } = store;
  const { rows: ids } = await client.query(
    `INSERT INTO products (seller_id, sku, name, description, price, category, quantity, reserved, low_stock_threshold, created_at, updated_at)
     SELECT $1, 'INT-' || i, name, description, price, category, quantity, 0, 5, $2, $2
     FROM unnest($3::text[], $4::text[], $5::numeric[], $6::text[], $7::int[]) WITH ORDINALITY AS p(name, description, price, category, quantity, i)
     ORDER BY i RETURNING id`,
    [SELLER, created, catalog.map((p) => p.name), catalog.map((p) => p.description), catalog.map((p) => p.price), catalog.map((p) => store.categoryName(p.category)), catalog.map((_, i) => (i * 37) % 300)],
  );
  const productId = ids.map((r) => r.id);
  const CHUNK = 20_000;
  for (let start = 0; start < store.train.length; start += CHUNK) {
    const chunk = store.train.slice(start, start + CHUNK);
    const { rows } = await client.query('SELECT nextval(pg_get_serial_sequence($1, $2))::int AS id FROM generate_series(1, $3::int)', ['reservations', 'id', chunk.length]);
    const { rows: orderIds } = await client.query('SELECT nextval(pg_get_serial_sequence($1, $2))::int AS id FROM generate_series(1, $3::int)', ['orders', 'id', chunk.length]);
    const at = chunk.map((o) => new Date(dayStart(o.day).getTime() + o.second * 1000));
    await client.query(
      `INSERT INTO reservations (id, seller_id, status, expires_at, created_at, updated_at)
       SELECT id, $1, 'COMMITTED', at, at, at FROM unnest($2::int[], $3::timestamptz[]) AS r(id, at)`,
      [SELLER, rows.map((r) => r.id), at],
    );
    const lineOrder = [];
    const lineProduct = [];
    const lineQuantity = [];
    const linePrice = [];
    const lineAt = [];
    const totals = chunk.map((o, k) => {
      let total = 0;
      for (const [product, quantity] of o.lines) {
        lineOrder.push(orderIds[k].id);
        lineProduct.push(productId[product]);
        lineQuantity.push(quantity);
        linePrice.push(catalog[product].price);
        lineAt.push(at[k]);
        total += catalog[product].price * quantity;
      }
      return total.toFixed(2);
    });
    await client.query(
      `INSERT INTO orders (id, seller_id, status, total, reservation_id, created_at, updated_at)
       SELECT id, $1, (ARRAY['CONFIRMED', 'SHIPPED', 'DELIVERED']::"OrderStatus"[])[1 + id % 3], total, reservation_id, at, at
       FROM unnest($2::int[], $3::numeric[], $4::int[], $5::timestamptz[]) AS o(id, total, reservation_id, at)`,
      [SELLER, orderIds.map((r) => r.id), totals, rows.map((r) => r.id), at],
    );
    await client.query(
      `INSERT INTO order_items (order_id, product_id, quantity, unit_price)
       SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::numeric[])`,
      [lineOrder, lineProduct, lineQuantity, linePrice],
    );
    await client.query(
      `INSERT INTO stock_movements (seller_id, product_id, delta, reason, quantity_after, note, created_at)
       SELECT $1, product_id, -quantity, 'SOLD', 0, 'generated', at FROM unnest($2::int[], $3::int[], $4::timestamptz[]) AS m(product_id, quantity, at)`,
      [SELLER, lineProduct, lineQuantity, lineAt],
    );
  }
  await client.query('ANALYZE');
  return productId;
}

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function dailySeries(orders, products, fromDay, days) {
  const series = Array.from({ length: products }, () => new Float64Array(days));
  for (const o of orders) for (const [product, quantity] of o.lines) series[product][o.day - fromDay] += quantity;
  return series;
}

export async function runIntelligence(ctx) {
  const { options, log } = ctx;
  const products = options.intelligenceProducts;
  const orders = options.intelligenceOrders;
  const dist = (path) => import(join(REPO_DIR, 'dist/src', path));
  const { ensureDatabase, applyMigrations } = await dist('infra/migrate.js');
  const { createDatabase } = await dist('infra/prisma.js');
  const { recomputeSeller } = await dist('modules/intelligence/seller-recompute.js');
  const { meanDailyDemand } = await dist('modules/intelligence/forecast/demand-model.js');
  const { logScores, probabilities } = await dist('modules/intelligence/categories/naive-bayes.js');
  const { tokensOf } = await dist('modules/intelligence/categories/tokens.js');
  const { findSimilar } = await dist('modules/intelligence/similar-products.repository.js');
  const { findBoughtTogether } = await dist('modules/intelligence/bought-together.repository.js');
  const { findStockoutRisks } = await dist('modules/intelligence/forecast-cache.repository.js');

  const url = new URL(options.databaseUrl);
  url.pathname = '/amused_bench_intelligence';
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);

  let started = performance.now();
  const store = generateStore({ products, orders });
  const generateSeconds = (performance.now() - started) / 1000;
  log(`generated ${products} products, ${store.train.length} training orders, ${store.test.length} held-out orders in ${generateSeconds.toFixed(1)} s`);
  // the last training day is yesterday: the recompute runs "at" its last millisecond
  const today = Math.floor(Date.now() / DAY_MS);
  const firstDay = today - TRAIN_DAYS;
  const now = new Date((firstDay + TRAIN_DAYS) * DAY_MS - 1);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const db = createDatabase(databaseUrl, 4);
  try {
    started = performance.now();
    const productId = await loadStore(client, store, firstDay);
    const loadSeconds = (performance.now() - started) / 1000;
    log(`loaded in ${loadSeconds.toFixed(1)} s`);
    const indexOf = new Map(productId.map((id, i) => [id, i]));

    const recomputes = [];
    for (let run = 0; run < 3; run++) {
      started = performance.now();
      const parts = await recomputeSeller(db, SELLER, now);
      recomputes.push({ totalMs: performance.now() - started, ...parts });
      log(`recompute ${run + 1}: ${(recomputes.at(-1).totalMs / 1000).toFixed(2)} s`);
    }

    // BOUGHT_TOGETHER hit-rate@10 on held-out orders, against the 10 best-sellers of the training days
    const sold = new Float64Array(products);
    for (const o of store.train) for (const [p, q] of o.lines) sold[p] += q;
    const bestSellers = [...sold.keys()].sort((a, b) => sold[b] - sold[a]).slice(0, 11);
    const recommended = new Map();
    const top10 = async (p) => {
      if (!recommended.has(p)) recommended.set(p, new Set((await findBoughtTogether(db, SELLER, productId[p], 10)).map((r) => indexOf.get(r.product.id))));
      return recommended.get(p);
    };
    const hits = { bundle: { ours: 0, popular: 0, n: 0 }, any: { ours: 0, popular: 0, n: 0 } };
    for (const o of store.test) {
      if (o.lines.length < 2) continue;
      const items = o.lines.map(([p]) => p);
      const cases = [['any', items[0], items.slice(1)]];
      if (o.bundle) {
        const inBundle = items.filter((p) => o.bundle.includes(p));
        if (inBundle.length >= 2) cases.push(['bundle', inBundle[0], inBundle.slice(1)]);
      }
      for (const [kind, query, targets] of cases) {
        const ours = await top10(query);
        const popular = new Set(bestSellers.filter((p) => p !== query).slice(0, 10));
        hits[kind].n++;
        if (targets.some((t) => ours.has(t))) hits[kind].ours++;
        if (targets.some((t) => popular.has(t))) hits[kind].popular++;
      }
    }

    // forecasts: MASE over the 14 held-out days, ours (the cached model) vs the naive forecast
    const train = dailySeries(store.train, products, 0, TRAIN_DAYS);
    const test = dailySeries(store.test, products, TRAIN_DAYS, TEST_DAYS);
    const { rows: models } = await client.query('SELECT product_id, method, level, trend FROM stock_forecasts WHERE seller_id = $1', [SELLER]);
    const byMethod = {};
    const mase = { ours: [], naive: [], mean: [] };
    const rmsse = { ours: [], naive: [], mean: [] };
    const totals = { forecast: 0, actual: 0 };
    for (const m of models) {
      const p = indexOf.get(m.product_id);
      const y = train[p];
      let scale = 0;
      for (let t = 1; t < TRAIN_DAYS; t++) scale += Math.abs(y[t] - y[t - 1]);
      scale /= TRAIN_DAYS - 1;
      if (scale === 0) continue; // never sold (or constant): MASE undefined
      const ours = meanDailyDemand(m, TEST_DAYS);
      const naive = y[TRAIN_DAYS - 1];
      const trainMean = y.reduce((a, b) => a + b, 0) / TRAIN_DAYS;
      const err = (f) => test[p].reduce((s, a) => s + Math.abs(a - f), 0) / TEST_DAYS / scale;
      let squares = 0;
      for (let t = 1; t < TRAIN_DAYS; t++) squares += (y[t] - y[t - 1]) ** 2;
      const squaredScale = squares / (TRAIN_DAYS - 1);
      const scaledRmse = (f) => Math.sqrt(test[p].reduce((s, a) => s + (a - f) ** 2, 0) / TEST_DAYS / squaredScale);
      rmsse.ours.push(scaledRmse(ours));
      rmsse.naive.push(scaledRmse(naive));
      rmsse.mean.push(scaledRmse(trainMean));
      totals.forecast += ours * TEST_DAYS;
      totals.actual += test[p].reduce((a, b) => a + b, 0);
      const entry = (byMethod[m.method] ??= { ours: [], naive: [], products: 0 });
      entry.products++;
      entry.ours.push(err(ours));
      entry.naive.push(err(naive));
      mase.ours.push(err(ours));
      mase.naive.push(err(naive));
      mase.mean.push(err(trainMean));
    }

    // categories: leave-one-out top-1 accuracy of the stored model, against the largest category
    const { rows: modelRows } = await client.query('SELECT model FROM category_models WHERE seller_id = $1', [SELLER]);
    const model = modelRows[0].model;
    let correct = 0;
    let confidence = 0;
    const counts = new Map();
    for (const p of store.catalog) {
      const truth = store.categoryName(p.category);
      counts.set(truth, (counts.get(truth) ?? 0) + 1);
      const tokens = tokensOf(p.name, p.description);
      const probs = probabilities(logScores(model, tokens, { category: truth, tokens }), model.temperature);
      let best = 0;
      for (let i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
      if (model.categories[best].name === truth) correct++;
      confidence += probs[best];
    }
    const majority = Math.max(...counts.values()) / products;

    // reads on this seller once computed
    const timeReads = async (fn, n = 20) => {
      const ms = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        await fn(i);
        ms.push(performance.now() - t);
      }
      return median(ms);
    };
    const reads = {
      similarMs: await timeReads((i) => findSimilar(db, SELLER, productId[(i * 977) % products], 10)),
      boughtTogetherMs: await timeReads((i) => findBoughtTogether(db, SELLER, productId[(i * 977) % products], 10)),
      stockoutRisksMs: await timeReads(() => findStockoutRisks(db, SELLER, 14, 20)),
    };

    const { rows: sizes } = await client.query(
      `SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM order_items)::int AS lines, (SELECT count(*) FROM stock_movements)::int AS movements, (SELECT count(*) FROM bought_together)::int AS pairs`,
    );
    return {
      products,
      trainOrders: store.train.length,
      testOrders: store.test.length,
      sizes: sizes[0],
      generateSeconds,
      loadSeconds,
      recomputes,
      hitRate: Object.fromEntries(Object.entries(hits).map(([k, h]) => [k, { queries: h.n, ours: h.ours / h.n, popularity: h.popular / h.n }])),
      mase: {
        products: mase.ours.length,
        bias: totals.forecast / totals.actual,
        oursMean: mean(mase.ours),
        oursMedian: median(mase.ours),
        naiveMean: mean(mase.naive),
        naiveMedian: median(mase.naive),
        trainMeanMean: mean(mase.mean),
        trainMeanMedian: median(mase.mean),
        rmsse: { ours: mean(rmsse.ours), naive: mean(rmsse.naive), trainMean: mean(rmsse.mean) },
        byMethod: Object.fromEntries(Object.entries(byMethod).map(([k, v]) => [k, { products: v.products, oursMean: mean(v.ours), naiveMean: mean(v.naive) }])),
      },
      categories: { accuracy: correct / products, majority, meanConfidence: confidence / products, temperature: model.temperature, categories: model.categories.length },
      reads,
    };
  } finally {
    await db.$disconnect();
    await client.end();
  }
}

const f = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

export function renderIntelligence(r) {
  const [first, ...again] = r.recomputes;
  const best = [...again].sort((a, b) => a.totalMs - b.totalMs)[0];
  return [
    `Generated store: ${r.products.toLocaleString('en-US')} products, ${r.trainOrders.toLocaleString('en-US')} training orders (${r.sizes.lines.toLocaleString('en-US')} lines, ${r.sizes.movements.toLocaleString('en-US')} SOLD movements), ${r.testOrders.toLocaleString('en-US')} held-out orders.`,
    '',
    '| Measure | Ours | Baseline |',
    '|---|---|---|',
    `| BOUGHT_TOGETHER hit-rate@10, held-out bundle orders (${r.hitRate.bundle.queries}) | ${f(r.hitRate.bundle.ours)} | popularity top-10: ${f(r.hitRate.bundle.popularity)} |`,
    `| BOUGHT_TOGETHER hit-rate@10, all held-out orders of 2+ products (${r.hitRate.any.queries}) | ${f(r.hitRate.any.ours)} | popularity top-10: ${f(r.hitRate.any.popularity)} |`,
    `| Forecast MASE over 14 held-out days, mean (median), ${r.mase.products.toLocaleString('en-US')} products with sales; units forecast / sold ${f(r.mase.bias, 2)} | ${f(r.mase.oursMean)} (${f(r.mase.oursMedian)}) | naive (last day): ${f(r.mase.naiveMean)} (${f(r.mase.naiveMedian)}); training mean: ${f(r.mase.trainMeanMean)} (${f(r.mase.trainMeanMedian)}) |`,
    `| Forecast RMSSE (the M5 competition's scaled RMSE: judges the mean, which stock-outs and reorders use), mean | ${f(r.mase.rmsse.ours)} | naive: ${f(r.mase.rmsse.naive)}; training mean: ${f(r.mase.rmsse.trainMean)} |`,
    ...Object.entries(r.mase.byMethod).map(([m, v]) => `| ... of which ${m} (${v.products.toLocaleString('en-US')} products), mean MASE | ${f(v.oursMean)} | naive: ${f(v.naiveMean)} |`),
    `| Category top-1 accuracy, leave-one-out (${r.categories.categories} categories) | ${f(r.categories.accuracy)} | largest category: ${f(r.categories.majority)} |`,
    `| Mean confidence of the top suggestion (calibration: close to the accuracy is good) | ${f(r.categories.meanConfidence)} | temperature ${r.categories.temperature} |`,
    `| Recompute of the seller, first (forecasts + pairs + word table + classifier) | ${f(first.totalMs / 1000, 2)} s | forecasts ${f(first.forecastsMs / 1000, 2)} s, pairs ${f(first.boughtTogetherMs / 1000, 2)} s, words ${f(first.similarMs / 1000, 2)} s, classifier ${f(first.categoriesMs / 1000, 2)} s |`,
    `| Recompute again, catalog text unchanged (as after orders or stock changes), best of ${again.length} | ${f(best.totalMs / 1000, 2)} s | forecasts ${f(best.forecastsMs / 1000, 2)} s, pairs ${f(best.boughtTogetherMs / 1000, 2)} s, text check ${f((best.similarMs + best.categoriesMs) / 1000, 2)} s |`,
    `| Read, median of 20: SIMILAR / BOUGHT_TOGETHER / stockoutRisks | ${f(r.reads.similarMs, 1)} / ${f(r.reads.boughtTogetherMs, 1)} / ${f(r.reads.stockoutRisksMs, 1)} ms | |`,
  ].join('\n');
}
