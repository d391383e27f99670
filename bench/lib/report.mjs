// Renders results as Markdown tables (printed, and written into BENCHMARKS.md) and checks targets.

const n = (x, digits = 0) => (x === null || x === undefined ? 'n/a' : Number(x).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const yes = (ok) => (ok ? '**met**' : '**not met**');

/** Every target of issue 7 with where we stand. */
/** q1, q2, q3 and the extra q3 runs over other seller counts (results.q3s1, ...). */
const queryKeys = (results) => ['q1', 'q2', 'q3', ...Object.keys(results).filter((k) => /^q3s\d+$/.test(k))].filter((q) => results[q]);
const queryName = (q, r) => (q.startsWith('q3s') ? `q3 over ${r.sellers} seller(s)` : q);

export function targets(results) {
  const out = [];
  for (const q of queryKeys(results)) {
    const r = results[q];
    out.push({ target: `${queryName(q, r)} at least 1.5x PostGraphile's req/s`, measured: `${n(r.oursToPeerMedian, 2)}x (median of per-run ratios)`, met: r.oursToPeerMedian >= 1.5 });
    if (q === 'q2') out.push({ target: 'q2 at least half the bare pg ceiling', measured: `${n(r.oursToCeilingMedian, 2)}x`, met: r.oursToCeilingMedian >= 0.5 });
  }
  if (results.fanout) {
    // at rest: the smallest fan-out measured (10 events/s), latency from the event's timestamp (its commit) to the subscriber
    const rest = [...results.fanout.cases].sort((a, b) => a.subscribers - b.subscribers)[0];
    if (rest) {
      out.push({
        target: 'commit-to-subscriber latency at rest, p99 < 50 ms (no NOTIFY: after-commit wake-up)',
        measured: `p99 ${n(rest.p99)} ms, p50 ${n(rest.p50)} ms with ${n(rest.subscribers)} subscribers at ${n(rest.eventsPerSecond)} events/s`,
        met: rest.p99 !== null && rest.p99 < 50,
      });
    }
    const c = results.fanout.cases.find((x) => x.subscribers === 10_000);
    out.push({
      target: '10,000 subscribers, p99 < 100 ms at 10 events/s, zero loss',
      measured: `${c ? `p99 ${n(c.p99)} ms, lost ${n(c.lost)}, duplicates ${n(c.duplicates)}, ${n(c.mutation.failed)} of ${n(c.mutation.emitted)} mutations failed` : 'not measured'}; largest N meeting it: ${n(results.fanout.largestMeetingTarget)}`,
      met: Boolean(c?.meetsTarget),
    });
  }
  if (results.contention) {
    const r = results.contention;
    out.push({ target: 'contention >= 2,000 reservations/s, zero oversell', measured: `${n(r.median.reservationsPerSecond)}/s (median), zero oversell: ${r.zeroOversell ? 'yes' : 'NO'}`, met: r.median.reservationsPerSecond >= 2000 && r.zeroOversell });
  }
  if (results.import) {
    const r = results.import;
    out.push({ target: 'import >= 20,000 rows/s with worker RSS < 256 MB', measured: `${n(r.rowsPerSecond)} rows/s, worker peak RSS ${n(r.workerPeakRssMB)} MB`, met: r.meetsTarget });
  }
  return out;
}

export function renderMarkdown(report) {
  const { results } = report;
  const lines = [];
  const carried = Object.entries(report.carried ?? {});
  if (carried.length) {
    lines.push(`Not run this time, so from earlier runs: ${carried.map(([s, from]) => `${s} (${from.startedAt}, commit ${from.commit}, \`${from.command}\`)`).join('; ')}.`, '');
  }
  const queries = queryKeys(results);
  if (queries.length) {
    const first = results[queries[0]];
    lines.push(
      `### Queries: ours vs PostGraphile vs the bare pg ceiling`,
      '',
      `${first.connections} connections, ${first.warmupSeconds} s warm-up then ${first.durationSeconds} s measured, ${first.ours.runs.length} runs alternating the three servers. req/s median (best); latency p50/p99 in ms of the median run's values.`,
      '',
      '| Scenario | Ours req/s | Ours p50/p99 | PostGraphile req/s | PostGraphile p50/p99 | Ceiling req/s | Ceiling p50/p99 | Ceiling with commit-time NOTIFY req/s | Ours/peer (per run) | Ours/ceiling (per run) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    const label = { q1: 'q1 first 50 products of a seller, 6 fields', q2: 'q2 one product by id', q3: `q3 create a product (spread over ${results.q3?.sellers ?? report.options.q3Sellers} sellers)` };
    for (const q of queries) {
      const r = results[q];
      const cell = (s) => `${n(s.rpsMedian)} (${n(s.rpsBest)})`;
      const lat = (s) => `${n(s.p50Median, 1)} / ${n(s.p99Median, 1)}`;
      lines.push(
        `| ${label[q] ?? `q3 create a product (all by ${r.sellers} seller(s))`} | ${cell(r.ours)} | ${lat(r.ours)} | ${cell(r.peer)} | ${lat(r.peer)} | ${cell(r.ceiling)} | ${lat(r.ceiling)} | ${r.ceilingNotify ? `${cell(r.ceilingNotify)}, p99 ${n(r.ceilingNotify.p99Median, 1)}` : '-'} | **${n(r.oursToPeerMedian, 2)}x** (${r.ratios.map((x) => n(x.oursToPeer, 2)).join(', ')}) | ${n(r.oursToCeilingMedian, 2)}x (${r.ratios.map((x) => n(x.oursToCeiling, 2)).join(', ')}) |`,
      );
    }
    lines.push('');
  }
  if (results.fanout) {
    const f = results.fanout;
    lines.push(
      `### Subscription fan-out (${f.eventsPerSecond} events/s for ${f.durationSeconds} s, one api instance)`,
      '',
      '| Subscribers | Connected in | Events committed (mutations failed) | Latency p50 / p99 / max (ms) | Deliveries/s | Lost | Duplicates | Out of order | api CPU | api peak RSS | p99 < 100 ms, zero loss |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    );
    for (const c of f.cases) {
      lines.push(
        `| ${n(c.subscribers)} | ${n(c.connectSeconds, 1)} s | ${n(c.events)} of ${n(c.mutation.emitted)} (${n(c.mutation.failed)}; p50 ${n(c.mutation.mutationP50)} ms) | ${n(c.p50)} / ${n(c.p99)} / ${n(c.max)} | ${n(c.deliveriesPerSecond)} | ${n(c.lost)} | ${n(c.duplicates)} | ${n(c.outOfOrder)} | ${n(c.apiCpuPercent)}% | ${n(c.apiPeakRssMB)} MB | ${c.meetsTarget ? 'yes' : 'no'} |`,
      );
    }
    lines.push(
      '',
      `Largest N measured that keeps p99 < 100 ms with zero loss: **${f.largestMeetingTarget === null ? 'none' : n(f.largestMeetingTarget)}**${f.smallestMissingTarget ? ` (${n(f.smallestMissingTarget)} did not)` : ''}${f.cases.some((c) => c.search) ? "; the sizes other than the issue's were chosen by a search between the largest that met the target and the next that did not" : ''}.`,
      '',
    );
  }
  if (results.contention) {
    const c = results.contention;
    lines.push(
      `### Hot product contention (${n(c.clients)} concurrent clients, ${n(c.stock)} units, 1 unit each)`,
      '',
      '| Run | Reserved | Time to sell out | Reservations/s | p50 / p99 / max (ms) | api CPU | Failures | Proof: quantity, reserved, held units, reservations | Zero oversell |',
      '|---:|---:|---:|---:|---:|---:|---:|---|---|',
    );
    for (const r of c.runs) {
      lines.push(
        `| ${r.run} | ${n(r.reserved)} | ${n(r.seconds, 2)} s | ${n(r.reservationsPerSecond)} | ${n(r.p50, 1)} / ${n(r.p99, 1)} / ${n(r.max, 1)} | ${n(r.apiCpuPercent)}% | ${n(r.failures)} | ${r.proof.quantity}, ${r.proof.reserved}, ${r.proof.held_units}, ${r.proof.reservations} | ${r.proof.zeroOversell ? 'yes' : 'NO'} |`,
      );
    }
    lines.push('', `Median ${n(c.median.reservationsPerSecond)} reservations/s (p99 ${n(c.median.p99, 1)} ms), best ${n(c.best.reservationsPerSecond)}/s.`, '');
    if (c.runs.some((r) => r.batches)) {
      lines.push(
        '| Run | Hold transactions | Batch size mean (p50 / p99 / max) | Transaction ms mean (p99) | Queue wait ms mean (p99) | Backends waiting on a lock: mean (max), share of samples |',
        '|---:|---:|---|---|---|---|',
      );
      for (const r of c.runs.filter((x) => x.batches)) {
        const { size, transactionMs: tx, queueMs: q } = r.batches;
        const w = r.lockWaits;
        lines.push(
          `| ${r.run} | ${n(size?.count)} | ${n(size?.mean, 1)} (${size?.p50} / ${size?.p99} / ${size?.max}) | ${n(tx?.mean, 1)} (${tx?.p99}) | ${n(q?.mean, 1)} (${q?.p99}) | ${n(w.meanBackendsWaitingOnLocks, 2)} (${w.maxBackendsWaitingOnLocks}), ${n(w.shareOfSamplesWithLockWaits * 100)}% |`,
        );
      }
      lines.push('');
    }
  }
  if (results.import) {
    const r = results.import;
    lines.push(
      `### Bulk import (${n(r.rows)} rows, ${n(r.megabytes, 1)} MB CSV, UPSERT into a new seller)`,
      '',
      '| | Time | Rows/s | Peak RSS |',
      '|---|---:|---:|---:|',
      `| Ours end to end (upload + job COMPLETED; upload alone ${n(r.uploadSeconds, 1)} s) | ${n(r.seconds, 1)} s | ${n(r.rowsPerSecond)} | worker ${n(r.workerPeakRssMB)} MB (api ${n(r.apiPeakRssMB)} MB) |`,
      `| Ceiling: psql \\copy into a bare table | ${n(r.ceiling.seconds, 1)} s | ${n(r.ceiling.rowsPerSecond)} | |`,
      '',
      `Succeeded ${n(r.succeededRows)}, failed ${n(r.failedRows)}. Worker CPU ${n(r.workerCpuPercent)}% of a core during the import. The outbox relay had ${n(r.relay.behindAtCompletion)} of the ${n(r.relay.eventsAtCompletion)} events still to publish when the job completed${r.relay.caughtUpSecondsAfterCompletion !== null ? ` and caught up ${n(r.relay.caughtUpSecondsAfterCompletion, 1)} s later` : `, and ${n(r.relay.behindAfterWait)} after waiting ${r.relay.waitedSeconds} s more`}.`,
      '',
    );
  }
  if (results.memory) {
    const m = results.memory;
    lines.push('### api process memory', '', 'RSS is sampled every 250 ms; a peak can include what the previous scenario left behind, hence the RSS when each load started.', '', '| State | RSS at its start | Peak RSS |', '|---|---:|---:|');
    lines.push(`| Idle after start | | ${n(m.idleRssMB)} MB |`);
    for (const [k, v] of Object.entries(m.loaded)) lines.push(`| Under ${k} | ${m.atStart?.[k] != null ? `${n(m.atStart[k])} MB` : ''} | ${n(v)} MB |`);
    if (m.afterRssMB !== undefined) lines.push(`| Idle after the load (2 s) | | ${n(m.afterRssMB)} MB |`);
    lines.push('');
  }
  const t = targets(results);
  if (t.length) {
    lines.push('### Targets', '', '| Target | Measured | |', '|---|---|---|');
    for (const x of t) lines.push(`| ${x.target} | ${x.measured} | ${yes(x.met)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

export function renderMachine(report) {
  const m = report.machine;
  return [
    `Run ${report.startedAt} (${report.durationMinutes} min), \`${report.command}\`, commit ${report.commit}.`,
    '',
    `Machine: ${m.cpuModel}, ${m.nproc} cores, ${m.memoryGB} GB memory, Node ${m.node}, ${m.postgres}, Redis ${m.redis}; load average at start ${m.loadAverage.join(' ')}.`,
  ].join('\n');
}
