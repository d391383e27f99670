import { Decimal } from 'decimal.js';
import { Field, InputType, Int } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars.js';
import { OrderDirection, ProductOrderField } from './product.types.js';

@InputType()
export class CreateProductInput {
  @Field(() => String, { nullable: true, description: 'Unique per seller: 1-100 of A-Z a-z 0-9 . _ -' }) sku?: string | null;
  @Field(() => String, { description: '1-255 characters.' }) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DecimalScalar, { description: 'Zero or more, at most 2 decimal places.' }) price!: Decimal;
  @Field(() => String, { description: '1-100 characters.' }) category!: string;
  @Field(() => Int, { nullable: true, description: 'Units on hand; default 0.' }) quantity?: number | null;
  @Field(() => Int, { nullable: true, description: 'Default 5.' }) lowStockThreshold?: number | null;
}

@InputType({ description: 'Only the fields given change; null clears sku and description.' })
export class UpdateProductInput {
  @Field(() => String, { nullable: true }) sku?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) price?: Decimal | null;
  @Field(() => String, { nullable: true }) category?: string | null;
  @Field(() => Int, { nullable: true, description: 'New on-hand quantity, recorded as a CORRECTION stock movement.' }) quantity?: number | null;
  @Field(() => Int, { nullable: true }) lowStockThreshold?: number | null;
  @Field(() => Int, { nullable: true, description: 'Fail with VERSION_CONFLICT unless the product is still at this version.' })
  expectedVersion?: number | null;
}

@InputType()
export class ProductFilter {
  @Field(() => String, { nullable: true, description: 'Matches name, description and SKU (case-insensitive substring).' }) search?: string | null;
  @Field(() => String, { nullable: true, description: 'Exact category.' }) category?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) minPrice?: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true }) maxPrice?: Decimal | null;
  @Field(() => Boolean, { nullable: true, description: 'true: available > 0; false: nothing available.' }) inStock?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'true: available <= lowStockThreshold.' }) lowStock?: boolean | null;
}

@InputType()
export class ProductOrder {
  @Field(() => ProductOrderField) field!: ProductOrderField;
  @Field(() => OrderDirection) direction!: OrderDirection;
}
