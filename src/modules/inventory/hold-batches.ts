import { holdBatchSeconds, holdBatchSize, holdQueueSeconds } from './hold-metrics.js';

/** How concurrent requests of one key gather: for windowMs, at most max in one batch, at most inFlight batches at once. */
export interface BatchWindow {
  windowMs: number;
  max: number;
  /** Batches of one key applied at once (default 1): the next waits in the database for the rows the previous one holds, so it starts the moment that one commits. */
  inFlight?: number;
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
  running: number;
}

/**
 * Coalesces concurrent stock holds of one seller into batches applied in one transaction each,
 * up to `inFlight` batches at a time per seller: while one commits, the next already waits in
 * the database on the rows it holds (they serialize there, on the product rows and the seller's
 * sequence), and the next gathers. `apply` answers every request of a batch on its own; only a
 * failure of the whole transaction (the database, not a refusal) fails them all.
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
      if (!lane) this.lanes.set(key, (lane = { waiting: [], running: 0 }));
      lane.waiting.push({ request, since: performance.now(), resolve, reject });
      this.schedule(key, lane);
    });
  }

  private schedule(key: string, lane: Lane<Req, Out>, gathered = false): void {
    if (lane.running >= (this.window.inFlight ?? 1) || lane.timer || lane.waiting.length === 0) return;
    // requests that gathered while the previous batch ran have waited enough
    const delay = gathered || lane.waiting.length >= this.window.max ? 0 : this.window.windowMs;
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      void this.run(key, lane);
      // with room for another batch, what gathers meanwhile goes as soon as it is there
      if (lane.waiting.length > 0) this.schedule(key, lane, true);
    }, delay);
  }

  private async run(key: string, lane: Lane<Req, Out>): Promise<void> {
    const batch = lane.waiting.splice(0, this.window.max);
    lane.running++;
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
      lane.running--;
      if (lane.waiting.length > 0) this.schedule(key, lane, true);
      else if (lane.running === 0 && !lane.timer) this.lanes.delete(key);
    }
  }
}
