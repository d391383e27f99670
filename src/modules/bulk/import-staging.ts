// Loads an import's valid rows into import_staged_rows with COPY, a batch at a time, on a
// connection of its own: the batch transaction (on the pool) then reads them set-based.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ProductRow } from './product-csv.js';

/** A valid row of the file and its 1-based row number. */
export interface StagedRow {
  row: number;
  product: ProductRow;
}

const COLUMNS = 'run, job_id, row, sku, name, description, price, category, quantity, low_stock_threshold';
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const SPECIAL = /[\\\t\n\r]/g;

/** A field in COPY's text format; NUL never gets here (a row with one is a row error). */
function text(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(SPECIAL, (c) => ESCAPES[c]!);
}

function integer(value: number | null): string {
  return value === null ? '\\N' : String(value);
}

export class ImportStaging {
  /** This attempt of the job: rows of an earlier (crashed, taken over) attempt never mix with ours. */
  readonly run = randomUUID();

  private constructor(
    private readonly client: pg.Client,
    private readonly jobId: string,
  ) {}

  /** Opens the staging connection and clears whatever earlier attempts of the job left. */
  static async open(databaseUrl: string, jobId: string): Promise<ImportStaging> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'amused-import-staging' });
    await client.connect();
    const staging = new ImportStaging(client, jobId);
    try {
      await client.query('DELETE FROM import_staged_rows WHERE job_id = $1', [jobId]);
    } catch (error) {
      await staging.close();
      throw error;
    }
    return staging;
  }

  /** Writes the rows with one COPY; committed when it resolves. */
  async stage(rows: StagedRow[]): Promise<void> {
    if (rows.length === 0) return;
    const prefix = `${this.run}\t${this.jobId}\t`;
    let body = '';
    for (const { row, product: p } of rows) {
      body += `${prefix}${row}\t${text(p.sku)}\t${text(p.name)}\t${text(p.description)}\t${p.price.toFixed(2)}\t${text(p.category)}\t${integer(p.quantity)}\t${integer(p.lowStockThreshold)}\n`;
    }
    await pipeline(Readable.from([body]), this.client.query(copyFrom(`COPY import_staged_rows (${COLUMNS}) FROM STDIN`)));
  }

  /**
   * Removes this attempt's rows (those no batch applied) and closes the connection. Never throws:
   * the import's own outcome is what counts, and rows left behind go with the job's next attempt.
   */
  async close(): Promise<void> {
    await this.client.query('DELETE FROM import_staged_rows WHERE run = $1', [this.run]).catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}
