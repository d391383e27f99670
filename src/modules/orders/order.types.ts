import { Decimal } from 'decimal.js';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/pagination.js';
import { DateTimeScalar, DecimalScalar } from '../../graphql/scalars.js';
import { UserError } from '../../graphql/user-errors.js';
import { GlobalIdField } from '../../graphql/global-id-fields.js';
import { Node } from '../../graphql/node.js';

export enum OrderStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  valuesConfig: {
    PENDING: { description: 'Placed; its stock is held until confirmed, cancelled, or the hold expires (then it is cancelled).' },
    CONFIRMED: { description: 'Its stock is sold.' },
    SHIPPED: { description: 'On its way.' },
    DELIVERED: { description: 'Final.' },
    CANCELLED: { description: 'Final; held stock was released, sold stock returned.' },
  },
});

@ObjectType({ description: 'One product of an order.' })
export class OrderItem {
  @GlobalIdField('Product') productId!: number;
  @Field(() => Int) quantity!: number;
  @Field(() => DecimalScalar, { description: "The product's price when the order was placed." }) unitPrice!: Decimal;
}

@ObjectType({ description: "A seller's order; its stock is held by its reservation until confirmed.", implements: Node })
export class Order {
  @GlobalIdField('Order') id!: number;
  @Field(() => OrderStatus) status!: OrderStatus;
  @Field(() => [OrderItem], { description: 'In ascending product id order.' }) items!: OrderItem[];
  @Field(() => DecimalScalar, { description: 'Sum of unitPrice times quantity, exact.' }) total!: Decimal;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export const OrderConnection = connectionOf('Order', Order, { totalCount: true });

@ObjectType()
export class OrderPayload {
  @Field(() => Order, { nullable: true }) order!: Order | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
