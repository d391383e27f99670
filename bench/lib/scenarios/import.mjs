// Bulk import: a CSV of `rows` products streamed to POST /imports/products, timed from the first
// byte sent to the job's COMPLETED state, with the worker's peak RSS. Ceiling: psql \copy of the
// same file into a bare table (no indexes, no constraints, no events).
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { once } from 'node:events';
import { withDb } from '../data.mjs';
import { procStats, round, sampleProcess, sleep, waitUntilQuiet } from '../proc.mjs';
import { WORK_DIR } from '../servers.mjs';
import { tokenFor } from '../tokens.mjs';
import { monotonicMicros } from '../profile.mjs';

const CATEGORIES = ['Kitchen', 'Office', 'Garden', 'Toys', 'Books', 'Clothing'];

/** The CSV file of `rows` products (made once, kept in bench/.work). */
export async function importFile(rows) {
  mkdirSync(WORK_DIR, { recursive: true });
  const path = join(WORK_DIR, `import-${rows}.csv`);
  if (existsSync(path)) return path;
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  const write = async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('sku,name,description,price,quantity,category,lowStockThreshold\n');
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    const description = i % 10 === 0 ? '' : `"Imported product ${i}, ""quoted"" and with a comma"`;
    chunk += `IMP-${String(i).padStart(8, '0')},Imported product ${i},${description},${(1 + ((i * 7919) % 99900) / 100).toFixed(2)},${(i * 31) % 500},${CATEGORIES[i % 6]},5\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'close');
  renameSync(partial, path);
  return path;
}

function upload(url, token, path) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'content-length': statSync(path).size, authorization: `Bearer ${token}` },
    });
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 202) reject(new Error(`upload answered ${res.statusCode}: ${text.slice(0, 300)}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    createReadStream(path).pipe(req);
  });
}

async function jobState(apiUrl, token, id) {
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'query Job($id: ID!) { job(id: $id) { state processedRows totalRows succeededRows failedRows error } }', variables: { id } }),
  });
  const json = await res.json();
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return json.data.job;
}

function copyCeiling(databaseUrl, path) {
  const sql = [
    'DROP TABLE IF EXISTS bench_copy_ceiling',
    'CREATE TABLE bench_copy_ceiling (sku text, name text, description text, price numeric(14, 2), quantity int, category text, low_stock_threshold int)',
  ];
  const run = (args) =>
    new Promise((resolve, reject) => execFile('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', ...args], (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout))));
  return (async () => {
    for (const s of sql) await run(['-c', s]);
    const start = performance.now();
    await run(['-c', `\\copy bench_copy_ceiling FROM '${path}' WITH (FORMAT csv, HEADER true)`]);
    const seconds = (performance.now() - start) / 1000;
    await run(['-c', 'DROP TABLE bench_copy_ceiling']);
    return seconds;
  })();
}

export async function runImport(ctx) {
  const { options, log } = ctx;
  const rows = options.importRows;
  const path = await importFile(rows);
  const bytes = statSync(path).size;
  const seller = `bench-import-${Date.now()}`;
  const token = await tokenFor(options.jwtSecret, seller);
  await waitUntilQuiet([ctx.api.pid, ctx.worker.pid], { maxPercent: 10, timeoutMs: 60_000 });

  const workerBefore = procStats(ctx.worker.pid);
  const sampler = sampleProcess(ctx.worker.pid);
  const apiSampler = sampleProcess(ctx.api.pid);
  const start = performance.now();
  const from = monotonicMicros();
  const job = await upload(`${ctx.api.url}/imports/products?mode=UPSERT`, token, path);
  const uploadSeconds = (performance.now() - start) / 1000;
  log(`  import: ${rows} rows (${round(bytes / 1024 ** 2, 1)} MB) uploaded in ${round(uploadSeconds, 1)} s; job ${job.id}`);
  const deadline = Date.now() + options.importTimeout * 1000;
  let state;
  let lastLog = 0;
  for (;;) {
    state = await jobState(ctx.api.url, token, job.id);
    if (state.state === 'COMPLETED' || state.state === 'FAILED') break;
    if (Date.now() > deadline) throw new Error(`import did not finish in ${options.importTimeout} s (at row ${state.processedRows})`);
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`  import: ${state.state} ${state.processedRows}/${state.totalRows ?? '?'} rows after ${round((performance.now() - start) / 1000, 0)} s`);
    }
    await sleep(250);
  }
  const seconds = (performance.now() - start) / 1000;
  const worker = sampler.stop();
  ctx.windows.push({ scenario: 'import', process: 'worker', from, to: monotonicMicros() });
  const api = apiSampler.stop();
  if (state.state !== 'COMPLETED') throw new Error(`import ${state.state}: ${state.error}`);

  // how far behind the outbox relay is once the rows are in (it publishes every row's event)
  const relay = await withDb(options.databaseUrl, async (db) => {
    const q = () =>
      db.query('SELECT s.event_sequence AS head, coalesce(r.sequence, 0) AS relayed FROM sellers s LEFT JOIN relay_positions r ON r.seller_id = s.id WHERE s.id = $1', [seller]);
    const at = (await q()).rows[0];
    const caughtUpDeadline = Date.now() + options.importRelayWait * 1000;
    let now = at;
    while (now.relayed < now.head && Date.now() < caughtUpDeadline) {
      await sleep(1000);
      now = (await q()).rows[0];
    }
    return { eventsAtCompletion: at.head, behindAtCompletion: at.head - at.relayed, behindAfterWait: now.head - now.relayed, waitedSeconds: options.importRelayWait, caughtUpSecondsAfterCompletion: now.relayed >= now.head ? round((performance.now() - start) / 1000 - seconds, 1) : null };
  });

  const copySeconds = await copyCeiling(options.databaseUrl, path);
  rmSync(join(WORK_DIR, 'blobs'), { recursive: true, force: true });
  const result = {
    scenario: 'import',
    rows,
    megabytes: round(bytes / 1024 ** 2, 1),
    succeededRows: state.succeededRows,
    failedRows: state.failedRows,
    uploadSeconds: round(uploadSeconds, 1),
    seconds: round(seconds, 1),
    rowsPerSecond: round(state.succeededRows / seconds, 0),
    workerPeakRssMB: worker.peakRssMB,
    workerRssBeforeMB: round(workerBefore?.rssMB, 1),
    workerCpuPercent: worker.cpuPercent,
    apiPeakRssMB: api.peakRssMB,
    apiStartRssMB: api.startRssMB,
    apiCpuPercent: api.cpuPercent,
    relay,
    ceiling: { tool: 'psql \\copy into a bare table', seconds: round(copySeconds, 1), rowsPerSecond: round(rows / copySeconds, 0) },
  };
  result.meetsTarget = result.rowsPerSecond >= 20_000 && result.workerPeakRssMB < 256;
  log(
    `  import: ${result.rowsPerSecond} rows/s end to end (${result.seconds} s), worker peak RSS ${result.workerPeakRssMB} MB; ceiling psql \\copy ${result.ceiling.rowsPerSecond} rows/s`,
  );
  return result;
}
