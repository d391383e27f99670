// CPU and memory of a process from /proc: utime+stime ticks and VmRSS / VmHWM.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  // 100 on every Linux we care about
}

/** CPU seconds used so far, RSS and peak RSS (MB) of a process; null once it is gone. */
export function procStats(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may contain spaces) start after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond; // utime, stime
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { cpuSeconds, userSeconds: Number(fields[11]) / ticksPerSecond, systemSeconds: Number(fields[12]) / ticksPerSecond, rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024, at: performance.now() };
  } catch {
    return null;
  }
}

/**
 * Samples a process every intervalMs until stop(): average CPU (% of one core) over the whole
 * window, and the largest and last RSS seen.
 */
export function sampleProcess(pid, intervalMs = 250) {
  const first = procStats(pid);
  let peakRssMB = first?.rssMB ?? 0;
  let last = first;
  const timer = setInterval(() => {
    const s = procStats(pid);
    if (!s) return;
    last = s;
    peakRssMB = Math.max(peakRssMB, s.rssMB);
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const end = procStats(pid) ?? last;
      if (!first || !end) return { cpuPercent: null, peakRssMB: null, rssMB: null, startRssMB: null };
      peakRssMB = Math.max(peakRssMB, end.rssMB);
      const seconds = (end.at - first.at) / 1000;
      return {
        cpuPercent: seconds > 0 ? round(((end.cpuSeconds - first.cpuSeconds) / seconds) * 100, 1) : null,
        peakRssMB: round(peakRssMB, 1),
        rssMB: round(end.rssMB, 1),
        startRssMB: round(first.rssMB, 1),
      };
    },
  };
}

/** Waits until a process uses less than maxPercent of a core over a second (bounded by timeoutMs). */
export async function waitUntilQuiet(pids, { maxPercent = 5, timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = pids.map((pid) => procStats(pid));
    await sleep(1000);
    const after = pids.map((pid) => procStats(pid));
    const busiest = Math.max(
      0,
      ...before.map((b, i) => (b && after[i] ? ((after[i].cpuSeconds - b.cpuSeconds) / ((after[i].at - b.at) / 1000)) * 100 : 0)),
    );
    if (busiest < maxPercent) return true;
    if (Date.now() > deadline) return false;
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function round(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
