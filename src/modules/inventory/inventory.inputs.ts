import { Field, ID, InputType, Int } from 'type-graphql';
import { StockMovementReason } from './stock-movement.types.js';

@InputType()
export class AdjustStockInput {
  @Field(() => ID) productId!: string;
  @Field(() => Int, { description: 'Units to add (positive) or remove (negative); not zero. On-hand stock may not go below the units held by reservations.' })
  delta!: number;
  @Field(() => StockMovementReason) reason!: StockMovementReason;
  @Field(() => String, { nullable: true, description: 'Up to 1000 characters, kept on the stock movement.' }) note?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Up to 255 characters. A retry with the same key and input returns the product without adjusting again.',
  })
  idempotencyKey?: string | null;
}
