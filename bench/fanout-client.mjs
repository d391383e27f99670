// One process of fan-out subscribers (forked by lib/scenarios/fanout.mjs; IPC commands below).
// Each subscriber is its own WebSocket speaking graphql-ws with one productEvents subscription.
// Per delivery it records the latency from the event's timestamp (its commit time) and checks
// the sequence: every event once, in order.
import WebSocket from 'ws';

const subs = [];
const NEXT = '"type":"next"';
const SEQUENCE = '"sequence":';
const TIMESTAMP = '"timestamp":"';
/** Parsed event timestamps by sequence: every subscriber of this process gets the same events. */
const timestamps = new Map();

/** The non-negative integer right after `key` in the frame, or null. */
function numberAfter(raw, key) {
  let i = raw.indexOf(key);
  if (i === -1) return null;
  i += key.length;
  let n = 0;
  let digits = 0;
  for (; i < raw.length && raw[i] >= 48 && raw[i] <= 57; i++, digits++) n = n * 10 + raw[i] - 48;
  return digits ? n : null;
}

function committedAt(seq, raw, from) {
  let ms = timestamps.get(seq);
  if (ms === undefined) {
    ms = Date.parse(raw.toString('latin1', from, raw.indexOf(34, from)));
    timestamps.set(seq, ms);
    if (timestamps.size > 1000) timestamps.delete(timestamps.keys().next().value);
  }
  return ms;
}
let windowStart = Infinity; // sequences above this are measured
/** Latency histogram in 1 ms buckets (the event timestamp has millisecond precision). */
let histogram = new Map();
let measured = 0;
let errors = 0;
let closedEarly = 0;

function connect(url, token, query, onReady) {
  const sub = { last: null, first: null, dups: 0, gaps: 0, outOfOrder: 0, got: 0, ws: null, acked: false };
  const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false, skipUTF8Validation: true });
  sub.ws = ws;
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
  ws.on('message', (raw) => {
    // next frames are read without JSON.parse (10,000 subscribers share these 2 cores with the api)
    if (raw.indexOf(NEXT) !== -1) {
      const seq = numberAfter(raw, SEQUENCE);
      const at = raw.indexOf(TIMESTAMP);
      if (seq === null || at === -1) {
        errors++;
        return;
      }
      const now = Date.now();
      if (sub.last !== null) {
        if (seq === sub.last) sub.dups++;
        else if (seq < sub.last) sub.outOfOrder++;
        else if (seq > sub.last + 1) sub.gaps += seq - sub.last - 1;
      } else sub.first = seq;
      if (sub.last === null || seq > sub.last) sub.last = seq;
      sub.got++;
      if (seq > windowStart) {
        const ms = Math.max(0, now - committedAt(seq, raw, at + TIMESTAMP.length));
        histogram.set(ms, (histogram.get(ms) ?? 0) + 1);
        measured++;
      }
      return;
    }
    const msg = JSON.parse(raw.toString());
    if (msg.type === 'next') {
      errors++; // a next frame the fast path could not read
    } else if (msg.type === 'connection_ack') {
      sub.acked = true;
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      onReady(null);
    } else if (msg.type === 'error') {
      errors++;
    } else if (msg.type === 'ping') {
      ws.send(JSON.stringify({ type: 'pong' }));
    }
  });
  ws.on('error', (err) => {
    if (!sub.acked) onReady(err);
  });
  ws.on('close', () => {
    if (!stopping) closedEarly++;
    if (!sub.acked) onReady(new Error('closed before connection_ack'));
  });
  subs.push(sub);
}

let stopping = false;

async function connectAll({ url, token, query, count, concurrency }) {
  let started = 0;
  let failed = 0;
  let firstError;
  await new Promise((resolve) => {
    let done = 0;
    const next = () => {
      if (started >= count) return;
      started++;
      connect(url, token, query, (err) => {
        if (err) {
          failed++;
          firstError ??= err.message;
        }
        done++;
        if (done % 500 === 0) process.send({ type: 'progress', connected: done });
        if (done === count) resolve();
        else next();
      });
    };
    for (let i = 0; i < Math.min(concurrency, count); i++) next();
  });
  return { connected: count - failed, failed, firstError };
}

process.on('message', async (cmd) => {
  if (cmd.type === 'connect') {
    process.send({ type: 'connected', ...(await connectAll(cmd)) });
  } else if (cmd.type === 'status') {
    process.send({ type: 'status', withEvent: subs.filter((s) => s.last !== null).length, minLast: Math.min(...subs.map((s) => s.last ?? -1)) });
  } else if (cmd.type === 'mark') {
    windowStart = cmd.afterSequence;
    histogram = new Map();
    measured = 0;
    process.send({ type: 'marked' });
  } else if (cmd.type === 'report') {
    // expected: every sequence in (windowStart, lastSequence], once each, in order
    let missing = 0;
    let lateStart = 0;
    for (const s of subs) {
      if (s.last === null || s.first > windowStart + 1) lateStart++;
      if (s.last === null) missing += cmd.lastSequence - windowStart;
      else if (s.last < cmd.lastSequence) missing += cmd.lastSequence - s.last;
    }
    process.send({
      type: 'report',
      subscribers: subs.length,
      measured,
      histogram: [...histogram.entries()],
      missing: missing + subs.reduce((n, s) => n + s.gaps, 0),
      duplicates: subs.reduce((n, s) => n + s.dups, 0),
      outOfOrder: subs.reduce((n, s) => n + s.outOfOrder, 0),
      lateStart,
      errors,
      closedEarly,
    });
  } else if (cmd.type === 'close') {
    stopping = true;
    for (const s of subs) s.ws.terminate();
    setTimeout(() => process.exit(0), 200);
  }
});
