import { Field, ID, InputType, Int } from 'type-graphql';
import { CustomerInput } from '../customers/customer.types.js';
import { ReservationItemInput } from '../inventory/reservation.inputs.js';

@InputType()
export class PlaceOrderInput {
  @Field(() => [ReservationItemInput], { description: '1-100 items; a product named twice is ordered once with the summed quantity.' })
  items!: ReservationItemInput[];
  @Field(() => Int, {
    nullable: true,
    description: 'Seconds the PENDING order holds its stock; unconfirmed by then, it is cancelled. Default 900, at most 86400.',
  })
  ttlSeconds?: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'Up to 255 characters. A retry with the same key and input returns the first order instead of placing another.',
  })
  idempotencyKey?: string | null;
  @Field(() => ID, { nullable: true, description: 'A known customer of the seller; or give customer instead.' })
  customerId?: string | null;
  @Field(() => CustomerInput, { nullable: true, description: "The seller's customer with this email (any case), created if new." })
  customer?: CustomerInput | null;
}
