// CPU time PostgreSQL spends on an import: the sum of user + system time (from /proc) of the
// bench database's backends, from when an import's staging connection appears until it goes.
// Start it just before `npm run bench -- --only import`; it prints one JSON line. On a shared
// machine this is steadier than rows/s: it counts the database's work, not the wait for a core.
//   node bench/db-cpu.mjs [timeout seconds, 300] [database url]
import { readFileSync } from 'node:fs';
import pg from 'pg';

const TICKS_PER_SECOND = 100;
const timeoutSeconds = Number(process.argv[2] ?? 300);
const databaseUrl = process.argv[3] ?? 'postgresql://postgres@127.0.0.1:5432/amused_bench';

function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null; // the backend ended
  }
}

const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
const first = new Map();
const last = new Map();
let started = null;
let ended = null;
const deadline = Date.now() + timeoutSeconds * 1000;
while (Date.now() < deadline) {
  const { rows } = await client.query('SELECT pid, application_name FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  const importing = rows.some((r) => r.application_name === 'amused-import-staging');
  if (importing && started === null) started = Date.now();
  if (started !== null) {
    for (const { pid } of rows) {
      const seconds = cpuSeconds(pid);
      if (seconds === null) continue;
      if (!first.has(pid)) first.set(pid, seconds);
      last.set(pid, seconds);
    }
    if (!importing) {
      ended = Date.now();
      break;
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
await client.end();
let total = 0;
for (const [pid, seconds] of last) total += seconds - first.get(pid);
console.log(JSON.stringify({ importSeconds: started === null ? null : ((ended ?? Date.now()) - started) / 1000, dbCpuSeconds: Math.round(total * 100) / 100, finished: ended !== null }));
