import { Decimal } from 'decimal.js';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/pagination.js';
import { DateTimeScalar, DecimalScalar } from '../../graphql/scalars.js';
import { UserError } from '../../graphql/user-errors.js';
import { GlobalIdField } from '../../graphql/global-id-fields.js';
import { Node } from '../../graphql/node.js';

@ObjectType({ description: "A seller's product with its stock.", implements: Node })
export class Product {
  @GlobalIdField('Product') id!: number;
  @GlobalIdField('Seller') sellerId!: string;
  @Field(() => String, { nullable: true }) sku!: string | null;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => DecimalScalar) price!: Decimal;
  @Field(() => String) category!: string;
  @Field(() => Int, { description: 'Units on hand.' }) quantity!: number;
  @Field(() => Int, { description: 'Units held by open reservations.' }) reserved!: number;
  @Field(() => Int, { description: 'At or below this many available units the product is low on stock.' }) lowStockThreshold!: number;
  @Field(() => Int, { description: 'Increases by one on every change; pass as expectedVersion for optimistic concurrency.' })
  version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export const ProductConnection = connectionOf('Product', Product, { totalCount: true });

export enum ProductOrderField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  NAME = 'NAME',
  PRICE = 'PRICE',
  QUANTITY = 'QUANTITY',
}
registerEnumType(ProductOrderField, { name: 'ProductOrderField' });

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@ObjectType()
export class ProductPayload {
  @Field(() => Product, { nullable: true }) product!: Product | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class DeleteProductPayload {
  @GlobalIdField('Product', { nullable: true }) deletedProductId!: number | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ description: 'Stock of one category: what a dashboard charts.' })
export class CategoryStock {
  @Field(() => String) category!: string;
  @Field(() => Int) productCount!: number;
  @Field(() => Int, { description: 'Units on hand.' }) units!: number;
  @Field(() => Int, { description: 'Units on hand minus reserved.' }) available!: number;
  @Field(() => Int) lowStockCount!: number;
}
