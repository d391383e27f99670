// The sales history CSV (POST /imports/sales): sku,quantity,soldAt, one past sale per row.
import { CsvFileError } from './product-csv.js';
import type { RowErrorRecord } from './job.model.js';

export const SALES_CSV_COLUMNS = ['sku', 'quantity', 'soldAt'] as const;
type SalesCsvColumn = (typeof SALES_CSV_COLUMNS)[number];
export type SalesColumnIndex = Record<SalesCsvColumn, number>;

export interface SaleRow {
  sku: string;
  quantity: number;
  soldAt: Date;
}

export type SaleRowResult = { ok: true; sale: SaleRow } | { ok: false; errors: RowErrorRecord[] };

/** A date (taken as midnight UTC) or a date and time with an offset or Z. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2}))?$/;
const WHOLE = /^[+-]?\d{1,12}$/;
const MAX_QUANTITY = 1_000_000;
/** Sales older than this carry nothing for a forecast that reads at most half a year. */
const OLDEST_YEAR = 1970;

export function salesColumnIndex(header: (string | null)[]): SalesColumnIndex {
  const names = header.map((h) => (h ?? '').trim());
  const ok = names.length === SALES_CSV_COLUMNS.length && SALES_CSV_COLUMNS.every((c) => names.filter((n) => n === c).length === 1);
  if (!ok) throw new CsvFileError(`The header must be exactly the columns ${SALES_CSV_COLUMNS.join(',')} (in any order); found ${names.join(',')}`);
  return Object.fromEntries(SALES_CSV_COLUMNS.map((c) => [c, names.indexOf(c)])) as SalesColumnIndex;
}

function soldAtOf(text: string, now: Date): Date | string {
  if (!ISO_DATE.test(text)) return 'soldAt must be an ISO 8601 date (2026-03-31) or date and time with offset (2026-03-31T14:00:00Z)';
  const at = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  // Date accepts 2026-02-31 as March 3rd: the calendar day must read back the same
  if (Number.isNaN(at.getTime()) || (text.length === 10 && at.toISOString().slice(0, 10) !== text)) return 'soldAt is not a valid date';
  if (at.getUTCFullYear() < OLDEST_YEAR) return `soldAt must be in ${OLDEST_YEAR} or later`;
  if (at.getTime() > now.getTime()) return 'soldAt must not be in the future';
  return at;
}

/** One data row; each broken rule is one error naming the column. Unknown SKUs are found when the batch is applied. */
export function readSaleRow(row: number, fields: (string | null)[], columns: SalesColumnIndex, now: Date): SaleRowResult {
  if (fields.length !== SALES_CSV_COLUMNS.length) {
    return { ok: false, errors: [{ row, field: null, message: `Expected ${SALES_CSV_COLUMNS.length} fields, found ${fields.length}` }] };
  }
  const at = (c: SalesCsvColumn) => (fields[columns[c]] ?? '').trim();
  const errors: RowErrorRecord[] = [];
  const sku = at('sku');
  // eslint-disable-next-line no-control-regex -- NUL is refused by PostgreSQL text
  if (sku === '' || sku.length > 64 || /[\u0000\uFFFD]/.test(sku)) errors.push({ row, field: 'sku', message: 'sku is required: the SKU of one of your products' });
  const quantityText = at('quantity');
  const quantity = Number(quantityText);
  if (!WHOLE.test(quantityText)) errors.push({ row, field: 'quantity', message: 'quantity must be a whole number' });
  else if (quantity < 1) errors.push({ row, field: 'quantity', message: 'quantity must be at least 1 (a sale, not a return)' });
  else if (quantity > MAX_QUANTITY) errors.push({ row, field: 'quantity', message: `quantity must be at most ${MAX_QUANTITY}` });
  const soldAt = soldAtOf(at('soldAt'), now);
  if (typeof soldAt === 'string') errors.push({ row, field: 'soldAt', message: soldAt });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, sale: { sku, quantity, soldAt: soldAt as Date } };
}
