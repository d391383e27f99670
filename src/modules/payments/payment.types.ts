import { Decimal } from 'decimal.js';
import { Node } from '../../graphql/node.js';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from '../../graphql/scalars.js';
import { UserError } from '../../graphql/user-errors.js';

export enum PaymentStatus {
  PENDING = 'PENDING',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
}
registerEnumType(PaymentStatus, {
  name: 'PaymentStatus',
  valuesConfig: {
    PENDING: { description: 'Recorded; the provider has not answered yet (a retry with the same key asks it again).' },
    REQUIRES_ACTION: { description: 'The customer must authenticate: confirmPayment completes it.' },
    SUCCEEDED: { description: 'The money came in.' },
    FAILED: { description: 'Declined or not processed; failureCode says why.' },
    CANCELED: { description: 'Its order was cancelled (or expired) while it awaited the customer: it can no longer be confirmed.' },
  },
});

export enum OrderPaymentStatus {
  UNPAID = 'UNPAID',
  PARTIALLY_PAID = 'PARTIALLY_PAID',
  PAID = 'PAID',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
}
registerEnumType(OrderPaymentStatus, { name: 'OrderPaymentStatus', description: "Where an order's money stands: succeeded payments against its total, refunds against them." });

@ObjectType({ description: 'Money given back from a payment.' })
export class Refund {
  @Field(() => ID) id!: string;
  @Field(() => DecimalScalar) amount!: Decimal;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@ObjectType({ description: "One payment of (part of) an order, through a payment provider.", implements: Node })
export class Payment {
  @Field(() => ID) id!: string;
  @Field(() => DecimalScalar) amount!: Decimal;
  @Field(() => String, { description: 'ISO 4217 code of the amount.' }) currency!: string;
  @Field(() => PaymentStatus) status!: PaymentStatus;
  @Field(() => String, { description: 'The provider that handled it, e.g. simulated.' }) provider!: string;
  @Field(() => String, { nullable: true, description: "The provider's reason for a FAILED payment, e.g. card_declined." }) failureCode!: string | null;
  @Field(() => [Refund], { description: 'Refunds the provider completed, oldest first.' }) refunds!: Refund[];
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@ObjectType()
export class PaymentPayload {
  @Field(() => Payment, { nullable: true }) payment!: Payment | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
export class InitiatePaymentInput {
  @Field(() => ID) orderId!: string;
  @Field(() => String, { description: 'The payment method; with the simulated provider a Stripe test card such as pm_card_visa.' })
  paymentMethod!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'At most what is left to pay (the default), at most 2 decimal places.' })
  amount?: Decimal | null;
  @Field(() => String, { nullable: true, description: 'Up to 255 characters. A retry with the same key and input returns the first payment and charges nothing again.' })
  idempotencyKey?: string | null;
}

@InputType()
export class RefundPaymentInput {
  @Field(() => ID) paymentId!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'At most what the payment has left (the default), at most 2 decimal places.' })
  amount?: Decimal | null;
  @Field(() => String, { nullable: true, description: 'Up to 500 characters.' }) reason?: string | null;
  @Field(() => String, { nullable: true, description: 'Up to 255 characters. A retry with the same key and input returns the payment and refunds nothing again.' })
  idempotencyKey?: string | null;
}
