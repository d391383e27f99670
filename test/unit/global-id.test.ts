import { describe, expect, it } from 'vitest';
import { fromGlobalId, serialKeyOf, textKeyOf, toGlobalId } from '../../src/graphql/global-id.js';

describe('global ids', () => {
  it('round-trips type and key', () => {
    const id = toGlobalId('Product', 17);
    expect(id).not.toContain('17');
    expect(fromGlobalId(id)).toEqual({ type: 'Product', key: '17' });
    expect(serialKeyOf('Product', id)).toBe(17);
  });

  it('refuses an id of another type', () => {
    expect(serialKeyOf('Order', toGlobalId('Product', 17))).toBeNull();
    expect(textKeyOf('Webhook', toGlobalId('Customer', 'abc'))).toBeNull();
  });

  it('refuses junk', () => {
    for (const junk of ['', '!!', 'Zm9v', toGlobalId('Product', 'x1'), toGlobalId('Product', 0), toGlobalId('Product', 2 ** 31)]) {
      expect(serialKeyOf('Product', junk)).toBeNull();
    }
    expect(fromGlobalId('a'.repeat(500))).toBeNull();
  });

  it('refuses the bare numbers ids were before global ids', () => {
    expect(serialKeyOf('Product', '17')).toBeNull();
    expect(fromGlobalId('17')).toBeNull();
  });
});
