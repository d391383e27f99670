import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class ReservationItemInput {
  @Field(() => ID) productId!: string;
  @Field(() => Int, { description: '1-1000000 units.' }) quantity!: number;
}

@InputType()
export class ReserveStockInput {
  @Field(() => [ReservationItemInput], { description: '1-100 items; a product named twice is held once with the summed quantity.' })
  items!: ReservationItemInput[];
  @Field(() => Int, { nullable: true, description: 'Seconds until an uncommitted reservation is released; default 900, at most 86400.' })
  ttlSeconds?: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'Up to 255 characters. A retry with the same key and input returns the first reservation instead of holding again.',
  })
  idempotencyKey?: string | null;
}
