import { describe, expect, it } from 'vitest';
import { Decimal, DecimalScalar } from '../../src/graphql/scalars.js';

describe('Decimal scalar output', () => {
  it('passes a price read as numeric(14,2) text through unchanged', () => {
    for (const price of ['19.90', '0.00', '-3.25', '123456789012.34']) expect(DecimalScalar.serialize(price)).toBe(price);
  });

  it('normalises any other string or number to two places (or every place it has)', () => {
    expect(DecimalScalar.serialize('12.5')).toBe('12.50');
    expect(DecimalScalar.serialize('0012.50')).toBe('12.50');
    expect(DecimalScalar.serialize('-0.5')).toBe('-0.50');
    expect(DecimalScalar.serialize('1.234')).toBe('1.234');
    expect(DecimalScalar.serialize(7)).toBe('7.00');
  });

  it('serialises a Decimal as before', () => {
    expect(DecimalScalar.serialize(new Decimal('19.9'))).toBe('19.90');
    expect(DecimalScalar.serialize(new Decimal('0.125'))).toBe('0.125');
  });
});
