import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/pagination.js';
import { DateTimeScalar } from '../../graphql/scalars.js';

export enum StockMovementReason {
  RECEIVED = 'RECEIVED',
  SOLD = 'SOLD',
  RETURNED = 'RETURNED',
  DAMAGED = 'DAMAGED',
  CORRECTION = 'CORRECTION',
  IMPORT = 'IMPORT',
}
registerEnumType(StockMovementReason, { name: 'StockMovementReason' });

@ObjectType({ description: 'One change of on-hand stock and why it happened.' })
export class StockMovement {
  @Field(() => ID) id!: number;
  @Field(() => ID) productId!: number;
  @Field(() => Int) delta!: number;
  @Field(() => StockMovementReason) reason!: StockMovementReason;
  @Field(() => Int) quantityAfter!: number;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

export const StockMovementConnection = connectionOf('StockMovement', StockMovement);
