// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and per package.
import { readFileSync } from 'node:fs';

function packageOf(url) {
  if (!url) return '(native/V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node core';
  const dist = url.indexOf('/dist/src/');
  if (dist >= 0) return `ours: src/${url.slice(dist + '/dist/src/'.length).split('/').slice(0, -1).join('/') || '.'}`;
  return url.replace(/^file:\/\//, '');
}

/** Monotonic clock in microseconds: the clock V8's profiler stamps samples with (CLOCK_MONOTONIC on Linux). */
export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Self time per function and per package, as a share of the busy (non-idle) time. With
 * windows ([{ from, to }] in monotonicMicros), only samples inside them count.
 */
export function summarizeProfile(path, top = 25, windows = null) {
  const profile = typeof path === 'string' ? JSON.parse(readFileSync(path, 'utf8')) : path;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  let at = profile.startTime;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += deltas[i] ?? 0;
    if (windows && !windows.some((w) => at >= w.from && at <= w.to)) continue;
    const id = profile.samples[i];
    // the delta before a sample is the time it stands for
    if (byId.get(id).callFrame.functionName === '(idle)') {
      idle += deltas[i] ?? 0;
      continue;
    }
    self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map();
  const pkgs = new Map();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    const name = callFrame.functionName || '(anonymous)';
    const file = callFrame.url ? callFrame.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '') : '';
    const key = `${name} ${file}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = ['(program)', '(garbage collector)'].includes(name) ? name : packageOf(callFrame.url);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const pct = (us) => Math.round((us / total) * 1000) / 10;
  const rank = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => ({ name: k, ms: Math.round(us / 1000), percent: pct(us) }));
  return { busyMs: Math.round(total / 1000), idleMs: Math.round(idle / 1000), functions: rank(fns), packages: rank(pkgs) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = summarizeProfile(process.argv[2], Number(process.argv[3] ?? 30));
  console.log(`busy ${s.busyMs} ms, idle ${s.idleMs} ms\n\nby package (share of busy time):`);
  for (const p of s.packages) console.log(`${String(p.percent).padStart(5)}%  ${p.name}`);
  console.log('\nby function (self time):');
  for (const f of s.functions) console.log(`${String(f.percent).padStart(5)}%  ${f.name}`);
}

/**
 * Total (inclusive) time per function: a sample counts once for every distinct function on its
 * stack, so a function's share says how much would go if it (and what it calls) cost nothing.
 */
export function summarizeInclusive(path, top = 40, windows = null) {
  const profile = typeof path === 'string' ? JSON.parse(readFileSync(path, 'utf8')) : path;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (callFrame) =>
    `${callFrame.functionName || '(anonymous)'} ${callFrame.url ? callFrame.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '') : ''}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
  const totals = new Map();
  let busy = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (windows && !windows.some((w) => at >= w.from && at <= w.to)) continue;
    let id = profile.samples[i];
    if (byId.get(id).callFrame.functionName === '(idle)') continue;
    busy += dt;
    const seen = new Set();
    while (id !== undefined) {
      const key = keyOf(byId.get(id).callFrame);
      if (!seen.has(key)) {
        seen.add(key);
        totals.set(key, (totals.get(key) ?? 0) + dt);
      }
      id = parent.get(id);
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, percent: Math.round((us / busy) * 1000) / 10 }));
}

/**
 * Self time per package with time in node core and native code (socket writes, GC excluded)
 * charged to the nearest package up the stack that called it: which layer asked for the work.
 */
export function summarizeByCaller(path, top = 30, windows = null) {
  const profile = typeof path === 'string' ? JSON.parse(readFileSync(path, 'utf8')) : path;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ownerOf = new Map();
  const owner = (id) => {
    if (ownerOf.has(id)) return ownerOf.get(id);
    const { callFrame } = byId.get(id);
    let pkg = packageOf(callFrame.url);
    if (['(garbage collector)', '(program)'].includes(callFrame.functionName)) pkg = callFrame.functionName;
    else if (pkg === '(native/V8)' || pkg === 'node core') {
      const up = parent.get(id);
      if (up !== undefined && byId.get(up).callFrame.functionName !== '(root)') pkg = owner(up);
    }
    ownerOf.set(id, pkg);
    return pkg;
  };
  const totals = new Map();
  let busy = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (windows && !windows.some((w) => at >= w.from && at <= w.to)) continue;
    const id = profile.samples[i];
    if (byId.get(id).callFrame.functionName === '(idle)') continue;
    busy += dt;
    const pkg = owner(id);
    totals.set(pkg, (totals.get(pkg) ?? 0) + dt);
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, percent: Math.round((us / busy) * 1000) / 10 }));
}
