import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';

const MAX_PRICE = new Decimal('999999999999.99');
const codePoints = (s: string) => [...s].length;

const text = (label: string, max: number) =>
  z
    .string()
    .refine((s) => s.trim().length > 0, `${label} must not be blank`)
    .refine((s) => codePoints(s) <= max, `${label} must be at most ${max} characters`);

const rules = {
  sku: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'SKU must be 1-100 characters of letters, digits, ".", "_" or "-"'),
  name: text('Name', 255),
  description: z.string().refine((s) => codePoints(s) <= 10_000, 'Description must be at most 10000 characters'),
  price: z
    .instanceof(Decimal, { message: 'Price must be a decimal' })
    .refine((d) => d.gte(0), 'Price must be zero or more')
    .refine((d) => d.decimalPlaces() <= 2, 'Price must have at most 2 decimal places')
    .refine((d) => d.lte(MAX_PRICE), `Price must be at most ${MAX_PRICE.toFixed(2)}`),
  category: text('Category', 100),
  quantity: z.number().int().min(0, 'Quantity must be zero or more'),
  lowStockThreshold: z.number().int().min(0, 'Low-stock threshold must be zero or more'),
};

const createSchema = z.object({
  sku: rules.sku.nullish(),
  name: rules.name,
  description: rules.description.nullish(),
  price: rules.price,
  category: rules.category,
  quantity: rules.quantity.nullish(),
  lowStockThreshold: rules.lowStockThreshold.nullish(),
});

const required = <T extends z.ZodType>(rule: T, label: string) =>
  z.union([rule, z.null().refine(() => false, `${label} cannot be null`)]).optional();

const updateSchema = z.object({
  sku: rules.sku.nullish(),
  name: required(rules.name, 'Name'),
  description: rules.description.nullish(),
  price: required(rules.price, 'Price'),
  category: required(rules.category, 'Category'),
  quantity: required(rules.quantity, 'Quantity'),
  lowStockThreshold: required(rules.lowStockThreshold, 'Low-stock threshold'),
  expectedVersion: z.number().int().min(1, 'Expected version must be 1 or more').nullish(),
});

export type CreateProductData = z.infer<typeof createSchema>;
export type UpdateProductData = z.infer<typeof updateSchema>;

type Result<T> = { ok: true; data: T } | { ok: false; errors: UserError[] };

function check<T>(schema: z.ZodType<T>, input: unknown, path: string[]): Result<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors = parsed.error.issues.map((issue) => {
    // a union reports the branch that matched best; its own message is the useful one
    const message = issue.code === 'invalid_union' ? (issue.errors.flat()[0]?.message ?? issue.message) : issue.message;
    return userError(UserErrorCode.INVALID, message, [...path, ...issue.path.map(String)]);
  });
  return { ok: false, errors };
}

/** Applies the catalog's rules to createProduct input; every broken rule is one userError. */
export const validateCreateProduct = (input: unknown, path = ['input']) => check(createSchema, input, path);

/** The same rules for a partial update: absent fields are left alone, null clears only optional ones. */
export const validateUpdateProduct = (input: unknown, path = ['input']) => check(updateSchema, input, path);
