import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../../graphql/scalars.js';
import { GlobalIdField } from '../../../graphql/global-id-fields.js';

@ObjectType({ description: 'Stock of one product at a moment: first as it is, then after every change.' })
export class StockLevel {
  @GlobalIdField('Product') productId!: number;
  @Field(() => Int) quantity!: number;
  @Field(() => Int) reserved!: number;
  @Field(() => Int) available!: number;
  @Field(() => Boolean) isLowStock!: boolean;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}
