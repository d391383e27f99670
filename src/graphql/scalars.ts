import { Decimal } from 'decimal.js';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

export { Decimal };

const DECIMAL_PATTERN = /^-?\d{1,30}(\.\d{1,30})?$/;

function parseDecimal(value: unknown): Decimal {
  if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value)) {
    throw new GraphQLError('Decimal must be a string of digits with an optional fraction, e.g. "19.99"', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return new Decimal(value);
}

/**
 * A literal's refusal as a plain Error: graphql-js then reports it on the value's node (a
 * GraphQLError it would pass on without the node), so the error can name the argument and field
 * (src/graphql/input-paths.ts).
 */
function asLiteralError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(error instanceof Error ? error.message : String(error));
  }
}

const TWO_PLACES = /^-?(0|[1-9]\d*)\.\d{2}$/;

/** Money and other exact numbers travel as strings; a JSON float would lose cents. */
export const DecimalScalar = new GraphQLScalarType<Decimal, string>({
  name: 'Decimal',
  description: 'An exact decimal number encoded as a string, e.g. "19.99". Never a float.',
  serialize(value) {
    // prices read as text from numeric(14,2) are already in this form
    if (typeof value === 'string' && TWO_PLACES.test(value)) return value;
    const d = value instanceof Decimal ? value : new Decimal(String(value));
    return d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toFixed();
  },
  parseValue: parseDecimal,
  parseLiteral: (ast) =>
    asLiteralError(() => {
      if (ast.kind !== Kind.STRING) throw new Error('Decimal must be given as a string, e.g. "19.99"');
      return parseDecimal(ast.value);
    }),
});

/** UTC with up to microseconds, as event timestamps are written: passed through, since a Date would drop the microseconds. */
const PRECISE_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3,6}Z$/;

const dateTimeConfig = DateTimeResolver.toConfig();

/** PostgreSQL's timestamps do not go below year 1 (JavaScript's year 0 is 1 BC): such a date is refused, not sent. */
function inDatabaseRange(date: unknown): Date {
  const year = date instanceof Date ? date.getUTCFullYear() : Number.NaN;
  if (!(year >= 1 && year <= 9999)) {
    throw new GraphQLError('DateTime must be between 0001-01-01 and 9999-12-31', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date as Date;
}

export const DateTimeScalar = new GraphQLScalarType({
  ...dateTimeConfig,
  parseValue: (value) => inDatabaseRange(dateTimeConfig.parseValue(value)),
  parseLiteral: (ast, variables) => asLiteralError(() => inDatabaseRange(dateTimeConfig.parseLiteral(ast, variables))),
  name: 'DateTime',
  description: 'An ISO-8601 date-time string with offset, e.g. 2026-01-31T12:00:00.000Z.',
  serialize(value) {
    if (typeof value === 'string' && PRECISE_UTC.test(value)) return value;
    return (value instanceof Date ? value : new Date(String(value))).toISOString();
  },
});
