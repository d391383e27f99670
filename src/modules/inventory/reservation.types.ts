import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { UserError } from '../../graphql/user-errors.js';
import { GlobalIdField } from '../../graphql/global-id-fields.js';
import { Node } from '../../graphql/node.js';

export enum ReservationStatus {
  HELD = 'HELD',
  COMMITTED = 'COMMITTED',
  RELEASED = 'RELEASED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(ReservationStatus, {
  name: 'ReservationStatus',
  valuesConfig: {
    HELD: { description: 'Holding stock until committed, released, or expired.' },
    COMMITTED: { description: 'Sold: the held units left on-hand stock.' },
    RELEASED: { description: 'Given back before expiry.' },
    EXPIRED: { description: 'Not committed in time; the system gave the stock back.' },
  },
});

@ObjectType({ description: 'One product held by a reservation.' })
export class ReservationItem {
  @GlobalIdField('Product') productId!: number;
  @Field(() => Int, { description: 'Units held (summed when the request named the product more than once).' }) quantity!: number;
}

@ObjectType({ description: 'Stock held for a checkout: all items or none.', implements: Node })
export class Reservation {
  @GlobalIdField('Reservation') id!: number;
  @Field(() => ReservationStatus) status!: ReservationStatus;
  @Field(() => [ReservationItem], { description: 'In ascending product id order.' }) items!: ReservationItem[];
  @Field(() => DateTimeScalar, { description: 'When an uncommitted reservation is released by the system.' }) expiresAt!: Date;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@ObjectType()
export class ReservationPayload {
  @Field(() => Reservation, { nullable: true }) reservation!: Reservation | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
