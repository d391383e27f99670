// The product CSV format shared by import and export.
import { CsvError, parse, type CastingContext, type Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { stringify, type Stringifier } from 'csv-stringify';
import { Decimal } from 'decimal.js';
import type { ProductRecord } from '../catalog/product.model.js';
import { validateCreateProduct } from '../catalog/product.validation.js';
import type { RowErrorRecord } from './job.model.js';

export const PRODUCT_CSV_COLUMNS = ['sku', 'name', 'description', 'price', 'quantity', 'category', 'lowStockThreshold'] as const;
export type ProductCsvColumn = (typeof PRODUCT_CSV_COLUMNS)[number];
export type ColumnIndex = Record<ProductCsvColumn, number>;

/** The file as a whole cannot be imported (bad header, malformed CSV); no retry can help. */
export class CsvFileError extends Error {}

const MAX_RECORD_CHARS = 1_000_000;
const DECIMAL = /^-?\d{1,30}(\.\d{1,30})?$/;
const INTEGER = /^[+-]?\d{1,12}$/;
const INT_MAX = 2_147_483_647;

const PARSE_OPTIONS = { bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS } as const;

/** Unquoted empty fields as null, quoted ones ("") as the empty string. */
const nullUnquotedEmpty = (value: string, context: CastingContext) => (value === '' && !context.quoting ? null : value);

/**
 * A streaming parser of records as arrays of fields: UTF-8 with or without BOM, LF or CRLF,
 * RFC 4180 quoting. Column counts are checked per row (a wrong count is that row's error, not the
 * file's). With fieldsOnly (counting rows) each record is its fields; otherwise it is
 * `{ record, raw }` for productFields, which tells an empty field from "".
 */
export function productCsvParser(options: { fieldsOnly?: boolean } = {}): Parser {
  // a cast function would tell "" from an empty field, but costs a context object per field
  // (seven times the parse itself): the raw text answers that only for records that need it
  return parse({ ...PARSE_OPTIONS, raw: !options.fieldsOnly });
}

/**
 * The fields of a record from productCsvParser: an unquoted empty field is null, a quoted one
 * ("") the empty string. Only a record with an empty field and a quote somewhere is parsed again.
 */
export function productFields({ record, raw }: { record: string[]; raw: string }): (string | null)[] {
  if (!record.includes('')) return record;
  if (!raw.includes('"')) return record.map((f) => (f === '' ? null : f));
  return parseSync(raw, { ...PARSE_OPTIONS, cast: nullUnquotedEmpty })[0] as (string | null)[];
}

/** Turns a parser failure into the message a seller sees on the failed job. */
export function csvFileError(error: unknown): Error {
  if (error instanceof CsvFileError) return error;
  if (error instanceof CsvError) return new CsvFileError(`The CSV is malformed: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}

/** Where each column is; unknown, missing or repeated columns fail the file. */
export function columnIndex(header: (string | null)[]): ColumnIndex {
  const names = header.map((h) => (h ?? '').trim());
  const expected = `The header must be exactly the columns ${PRODUCT_CSV_COLUMNS.join(',')} (in any order)`;
  const problems: string[] = [];
  const unknown = names.filter((n) => !(PRODUCT_CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) problems.push(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
  const missing = PRODUCT_CSV_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) problems.push(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const repeated = PRODUCT_CSV_COLUMNS.filter((c) => names.indexOf(c) !== names.lastIndexOf(c));
  if (repeated.length > 0) problems.push(`repeated column${repeated.length > 1 ? 's' : ''} ${repeated.join(', ')}`);
  if (problems.length > 0) throw new CsvFileError(`${expected}: ${problems.join('; ')}`);
  return Object.fromEntries(PRODUCT_CSV_COLUMNS.map((c) => [c, names.indexOf(c)])) as ColumnIndex;
}

/** A valid row. quantity and lowStockThreshold are null when left empty (defaults for a new product, unchanged for an existing one). */
export interface ProductRow {
  sku: string | null;
  name: string;
  description: string | null;
  price: Decimal;
  category: string;
  quantity: number | null;
  lowStockThreshold: number | null;
}

export type RowResult = { ok: true; product: ProductRow } | { ok: false; errors: RowErrorRecord[] };

type Parsed<T> = { value: T } | { error: string };

function integer(raw: string | null, label: string): Parsed<number | null> {
  const text = raw?.trim() ?? '';
  if (text === '') return { value: null };
  if (!INTEGER.test(text)) return { error: `${label} must be a whole number` };
  const n = Number(text);
  if (n > INT_MAX) return { error: `${label} must be at most ${INT_MAX}` };
  if (n < -INT_MAX) return { error: `${label} must be zero or more` };
  return { value: n };
}

function decimal(raw: string | null): Parsed<Decimal> {
  const text = raw?.trim() ?? '';
  if (text === '') return { error: 'Price is required' };
  if (!DECIMAL.test(text)) return { error: 'Price must be a decimal number such as 12.50' };
  return { value: new Decimal(text) };
}

const LABELS: Record<ProductCsvColumn, string> = {
  sku: 'SKU',
  name: 'Name',
  description: 'Description',
  price: 'Price',
  quantity: 'Quantity',
  category: 'Category',
  lowStockThreshold: 'Low-stock threshold',
};
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const REFUSED = /[\u0000\uFFFD]/;

/**
 * Text PostgreSQL refuses (NUL) or that was not UTF-8 in the file (the decoder turned those bytes
 * into U+FFFD, so a U+FFFD written in the file is refused too): each is its row's error, never its batch's.
 */
function refusedCharacters(row: number, fields: (string | null)[], columns: ColumnIndex): RowErrorRecord[] {
  const errors: RowErrorRecord[] = [];
  for (const column of PRODUCT_CSV_COLUMNS) {
    const value = fields[columns[column]];
    if (!value || !REFUSED.test(value)) continue;
    const message = value.includes('\u0000') ? 'must not contain NUL characters' : 'must be valid UTF-8 text';
    errors.push({ row, field: column, message: `${LABELS[column]} ${message}` });
  }
  return errors;
}

/**
 * Reads one data row with the rules of createProduct. Every broken rule is one error with
 * the row number (1-based, the header is row 0) and the column name.
 */
export function readProductRow(row: number, fields: (string | null)[], columns: ColumnIndex): RowResult {
  if (fields.length !== PRODUCT_CSV_COLUMNS.length) {
    return { ok: false, errors: [{ row, field: null, message: `Expected ${PRODUCT_CSV_COLUMNS.length} fields, found ${fields.length}` }] };
  }
  const refused = refusedCharacters(row, fields, columns);
  if (refused.length > 0) return { ok: false, errors: refused };
  const at = (c: ProductCsvColumn) => fields[columns[c]] ?? null;
  const errors: RowErrorRecord[] = [];
  const price = decimal(at('price'));
  const quantity = integer(at('quantity'), 'Quantity');
  const threshold = integer(at('lowStockThreshold'), 'Low-stock threshold');
  if ('error' in price) errors.push({ row, field: 'price', message: price.error });
  if ('error' in quantity) errors.push({ row, field: 'quantity', message: quantity.error });
  if ('error' in threshold) errors.push({ row, field: 'lowStockThreshold', message: threshold.error });

  const input = {
    sku: at('sku') || null,
    name: at('name') ?? '',
    description: at('description'),
    // a field that did not parse is checked no further: its error is already there
    price: 'value' in price ? price.value : new Decimal(0),
    category: at('category') ?? '',
    quantity: 'value' in quantity ? quantity.value : null,
    lowStockThreshold: 'value' in threshold ? threshold.value : null,
  };
  const checked = validateCreateProduct(input, []);
  if (!checked.ok) {
    for (const e of checked.errors) errors.push({ row, field: e.field?.[0] ?? null, message: e.message });
  }
  if (errors.length > 0) {
    const order = (f: string | null) => (f === null ? -1 : (PRODUCT_CSV_COLUMNS as readonly string[]).indexOf(f));
    return { ok: false, errors: errors.sort((a, b) => order(a.field) - order(b.field)) };
  }
  return { ok: true, product: input };
}

/** A CSV writer with the import's header; null fields are written empty, empty strings as "". */
export function productCsvWriter(): Stringifier {
  return stringify({
    header: true,
    columns: [...PRODUCT_CSV_COLUMNS],
    cast: { string: (value: string) => (value === '' ? { value: '', quoted_empty: true } : value) },
  });
}

export function toCsvRecord(p: ProductRecord): Record<ProductCsvColumn, string | number | null> {
  return {
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: p.price.toFixed(2),
    quantity: p.quantity,
    category: p.category,
    lowStockThreshold: p.lowStockThreshold,
  };
}
