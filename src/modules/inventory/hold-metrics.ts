import { Histogram } from 'prom-client';

// Registered on the api's /metrics registry (src/http/metrics.ts); created unregistered so that
// several api instances in one process (tests) share them without a duplicate-name error.

export const holdBatchSize = new Histogram({
  name: 'stock_hold_batch_size',
  help: 'Reservation requests applied together in one stock-hold transaction',
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
  registers: [],
});

export const holdBatchSeconds = new Histogram({
  name: 'stock_hold_batch_seconds',
  help: 'Duration of one stock-hold transaction (rows locked from its hold statement to its commit)',
  buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [],
});

export const holdQueueSeconds = new Histogram({
  name: 'stock_hold_queue_seconds',
  help: "Time a reservation request waited for its batch to start (the seller's previous batch, then the window)",
  buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [],
});
