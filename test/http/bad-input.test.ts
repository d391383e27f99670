import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const countProducts = async (seller: string) => (await api.infra.db.product.count({ where: { sellerId: seller } }));

describe('a bad input value names its argument and field (BAD_USER_INPUT, nothing written)', () => {
  it('an inline number where the price is a decimal string', async () => {
    const res = await api.gql(
      'mutation { createProduct(input: { sku: "LIT-1", name: "Lamp", category: "Lamps", price: 12.5, quantity: 1 }) { product { id } } }',
      undefined,
      { seller: 'literal-seller' },
    );
    expect(res.status).toBe(400);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      message: 'Argument "input" of "createProduct" has an invalid value at "input.price": Expected value of type "Decimal!", found 12.5; Decimal must be given as a string, e.g. "19.99"',
      extensions: { code: 'BAD_USER_INPUT', argument: 'input', field: 'input.price' },
    });
    expect(await countProducts('literal-seller')).toBe(0);
  });

  it('an inline field that does not exist, and a missing required one', async () => {
    const unknown = await api.gql(
      'mutation { createProduct(input: { sku: "LIT-2", name: "Lamp", category: "Lamps", price: "1.00", quantity: 1, colour: "red" }) { product { id } } }',
      undefined,
      { seller: 'literal-seller' },
    );
    expect(unknown.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input', field: 'input.colour' });
    const missing = await api.gql('mutation { createProduct(input: { sku: "LIT-3", category: "Lamps", price: "1.00" }) { product { id } } }', undefined, {
      seller: 'literal-seller',
    });
    expect(missing.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input', field: 'input' });
    expect(missing.errors![0]!.message).toContain('"CreateProductInput.name"');
  });

  it('a number as the price in a variable', async () => {
    const res = await api.gql(
      'mutation Create($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }',
      { input: { sku: 'VAR-1', name: 'Lamp', category: 'Lamps', price: 12.5, quantity: 1 } },
      { seller: 'literal-seller' },
    );
    expect(res.status).toBe(400);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.message).toMatch(/^Variable "\$input" got invalid value 12.5 at "input.price"; Decimal must be a string/);
    expect(res.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input', field: 'input.price' });
    expect(await countProducts('literal-seller')).toBe(0);
  });

  it('a variable used inside a literal is named by its place in the argument', async () => {
    const res = await api.gql(
      'mutation Create($price: Decimal!) { createProduct(input: { sku: "VAR-2", name: "Lamp", category: "Lamps", price: $price }) { product { id } } }',
      { price: 'twelve' },
      { seller: 'literal-seller' },
    );
    expect(res.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input', field: 'input.price' });
  });

  it('leaves other validation errors as they were', async () => {
    const res = await api.gql('{ products(first: 1) { edges { node { noSuchField } } } }', undefined, { seller: 'literal-seller' });
    expect(res.errors![0]!.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
