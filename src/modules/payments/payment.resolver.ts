import { Decimal } from 'decimal.js';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { DecimalScalar } from '../../graphql/scalars.js';
import type { OrderRecord } from '../orders/order.model.js';
import { Order } from '../orders/order.types.js';
import { orderPaymentsLoader } from './order-payments.loader.js';
import { orderPaymentStatus, type PaymentRecord, type RefundRecord } from './payment.model.js';
import { InitiatePaymentInput, OrderPaymentStatus, Payment, PaymentPayload, Refund, RefundPaymentInput } from './payment.types.js';

const sum = (amounts: Decimal[]) => amounts.reduce((total, a) => total.plus(a), new Decimal(0));

async function moneyOf(order: OrderRecord, ctx: Context) {
  const list = await orderPaymentsLoader(ctx).load(order.id);
  const succeeded = list.filter((p) => p.status === 'SUCCEEDED');
  return {
    total: order.total,
    paid: sum(succeeded.map((p) => p.amount)),
    refunded: sum(list.flatMap((p) => p.refunds.filter((r) => r.status === 'SUCCEEDED').map((r) => r.amount))),
  };
}

@Resolver(() => Payment)
export class PaymentResolver {
  @Mutation(() => PaymentPayload, { description: 'Pays (part of) an order through the payment provider; a fully paid PENDING order is CONFIRMED.' })
  initiatePayment(@Arg('input', () => InitiatePaymentInput) input: InitiatePaymentInput, @Ctx() ctx: Context) {
    return ctx.services.payments.initiatePayment(sellerOf(ctx), { ...input });
  }

  @Mutation(() => PaymentPayload, { description: 'Completes a REQUIRES_ACTION payment (3-D Secure-like).' })
  confirmPayment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.payments.confirmPayment(sellerOf(ctx), id);
  }

  @Mutation(() => PaymentPayload, { description: 'Gives money back from a payment; refunding all of a CONFIRMED order cancels it and returns its stock.' })
  refundPayment(@Arg('input', () => RefundPaymentInput) input: RefundPaymentInput, @Ctx() ctx: Context) {
    return ctx.services.payments.refundPayment(sellerOf(ctx), { ...input });
  }

  @FieldResolver(() => ID)
  id(@Root() payment: PaymentRecord): string {
    return toGlobalId('Payment', payment.id);
  }

  @FieldResolver(() => [Refund])
  refunds(@Root() payment: PaymentRecord): RefundRecord[] {
    return payment.refunds.filter((r) => r.status === 'SUCCEEDED');
  }
}

@Resolver(() => Refund)
export class RefundResolver {
  @FieldResolver(() => ID)
  id(@Root() refund: RefundRecord): string {
    return toGlobalId('Refund', refund.id);
  }
}

@Resolver(() => Order)
export class OrderPaymentsResolver {
  @FieldResolver(() => [Payment], { description: 'Oldest first, failed ones too.' })
  payments(@Root() order: OrderRecord, @Ctx() ctx: Context) {
    return orderPaymentsLoader(ctx).load(order.id);
  }

  @FieldResolver(() => OrderPaymentStatus)
  async paymentStatus(@Root() order: OrderRecord, @Ctx() ctx: Context) {
    return orderPaymentStatus(await moneyOf(order, ctx));
  }

  @FieldResolver(() => DecimalScalar, { description: 'Sum of the succeeded payments (before refunds).' })
  async amountPaid(@Root() order: OrderRecord, @Ctx() ctx: Context) {
    return (await moneyOf(order, ctx)).paid;
  }

  @FieldResolver(() => DecimalScalar, { description: 'Sum of the completed refunds.' })
  async amountRefunded(@Root() order: OrderRecord, @Ctx() ctx: Context) {
    return (await moneyOf(order, ctx)).refunded;
  }
}
