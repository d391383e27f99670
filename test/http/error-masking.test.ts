import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { maskError } from '../../src/graphql/apollo.js';

function capture() {
  const lines: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
  return { log, lines };
}

describe('error masking', () => {
  it('hides an internal error from the client and logs its cause', () => {
    const { log, lines } = capture();
    const cause = new Error('duplicate key value violates unique constraint "products_pkey" at SELECT * FROM products');
    const masked = maskError(log)({ message: cause.message, path: ['createProduct'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, cause);
    expect(masked).toEqual({ message: 'Internal server error', path: ['createProduct'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines.join('')).toContain('products_pkey');
  });

  it('passes client errors through without a stack trace', () => {
    const { log, lines } = capture();
    const error = new GraphQLError('Invalid cursor', { extensions: { code: 'BAD_USER_INPUT' } });
    const out = maskError(log)({ message: 'Invalid cursor', extensions: { code: 'BAD_USER_INPUT', stacktrace: ['at y'] } }, error);
    expect(out).toEqual({ message: 'Invalid cursor', extensions: { code: 'BAD_USER_INPUT' } });
    expect(lines).toEqual([]);
  });

  it('masks an error that only pretends to be a client error', () => {
    const { log } = capture();
    const sneaky = Object.assign(new Error('SQL text'), { extensions: { code: 'BAD_USER_INPUT' } });
    const out = maskError(log)({ message: 'SQL text', extensions: { code: 'BAD_USER_INPUT' } }, sneaky);
    expect(out.message).toBe('Internal server error');
  });
});
