import { Decimal } from 'decimal.js';
import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from '../../graphql/scalars.js';
import { EventType } from '../events/event.types.js';

@ObjectType({ description: 'How many lifecycle events of one type the seller had.' })
export class EventCount {
  @Field(() => EventType) eventType!: EventType;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'How many events the seller had in one minute.' })
export class EventRate {
  @Field(() => DateTimeScalar, { description: 'The start of the minute.' }) minute!: Date;
  @Field(() => Int, { description: 'Events of every type written in that minute.' }) count!: number;
}

@ObjectType({ description: "The seller's catalog in numbers: stock figures exact from the products, event counts from the analytics consumer." })
export class SellerMetrics {
  @Field(() => Int) productCount!: number;
  @Field(() => Int, { description: 'Units on hand over all products (saturates at 2147483647, the largest Int).' }) totalUnits!: number;
  @Field(() => DecimalScalar, { description: 'Sum of price x quantity on hand, exact.' }) inventoryValue!: Decimal;
  @Field(() => Int, { description: 'Products with available stock at or below their threshold (out-of-stock ones included).' }) lowStockCount!: number;
  @Field(() => Int, { description: 'Products with nothing available.' }) outOfStockCount!: number;
}
