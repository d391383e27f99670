import { holdBatchSeconds, holdBatchSize, holdQueueSeconds } from './hold-metrics.js';

/** How concurrent requests of one key gather: for windowMs, at most max in one batch. */
export interface BatchWindow {
  windowMs: number;
  max: number;
}

interface Waiting<Req, Out> {
  request: Req;
  since: number;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

interface Lane<Req, Out> {
  waiting: Waiting<Req, Out>[];
  timer?: NodeJS.Timeout;
  running: boolean;
}

/**
 * Coalesces concurrent stock holds of one seller into batches applied in one transaction each,
 * one batch at a time per seller (its events serialize on the seller's sequence anyway): while
 * a batch commits, the next one gathers. `apply` answers every request of a batch on its own;
 * only a failure of the whole transaction (the database, not a refusal) fails them all.
 */
export class HoldBatches<Req, Out> {
  private readonly lanes = new Map<string, Lane<Req, Out>>();

  constructor(
    private readonly apply: (key: string, requests: Req[]) => Promise<Out[]>,
    private readonly window: BatchWindow,
  ) {}

  submit(key: string, request: Req): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      let lane = this.lanes.get(key);
      if (!lane) this.lanes.set(key, (lane = { waiting: [], running: false }));
      lane.waiting.push({ request, since: performance.now(), resolve, reject });
      this.schedule(key, lane);
    });
  }

  private schedule(key: string, lane: Lane<Req, Out>, gathered = false): void {
    if (lane.running || lane.timer) return;
    // requests that gathered while the previous batch ran have waited enough
    const delay = gathered || lane.waiting.length >= this.window.max ? 0 : this.window.windowMs;
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      void this.run(key, lane);
    }, delay);
  }

  private async run(key: string, lane: Lane<Req, Out>): Promise<void> {
    const batch = lane.waiting.splice(0, this.window.max);
    lane.running = true;
    const started = performance.now();
    for (const w of batch) holdQueueSeconds.observe((started - w.since) / 1000);
    holdBatchSize.observe(batch.length);
    try {
      const outcomes = await this.apply(key, batch.map((w) => w.request));
      batch.forEach((w, i) => w.resolve(outcomes[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      holdBatchSeconds.observe((performance.now() - started) / 1000);
      lane.running = false;
      if (lane.waiting.length > 0) this.schedule(key, lane, true);
      else this.lanes.delete(key);
    }
  }
}
