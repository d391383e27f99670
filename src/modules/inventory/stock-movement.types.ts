import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/pagination.js';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { GlobalIdField } from '../../graphql/global-id-fields.js';
import { Node } from '../../graphql/node.js';

export enum StockMovementReason {
  RECEIVED = 'RECEIVED',
  SOLD = 'SOLD',
  RETURNED = 'RETURNED',
  DAMAGED = 'DAMAGED',
  CORRECTION = 'CORRECTION',
  IMPORT = 'IMPORT',
}
registerEnumType(StockMovementReason, { name: 'StockMovementReason' });

@ObjectType({ description: 'One change of on-hand stock and why it happened.', implements: Node })
export class StockMovement {
  @GlobalIdField('StockMovement') id!: number;
  @GlobalIdField('Product') productId!: number;
  @Field(() => Int) delta!: number;
  @Field(() => StockMovementReason) reason!: StockMovementReason;
  @Field(() => Int) quantityAfter!: number;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

export const StockMovementConnection = connectionOf('StockMovement', StockMovement);
