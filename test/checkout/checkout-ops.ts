import { expect } from 'vitest';
import { graphql } from '../generated/index.js';
import type { TestApi } from '../support/api.js';

// Operations shared by the checkout tests (customers, payments, notifications).

export const PlaceCustomerOrder = graphql(`
  mutation CheckoutPlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      order { id number status total reservation { id } customer { id email name phone } }
      userErrors { field code message }
    }
  }
`);

export const InitiatePayment = graphql(`
  mutation CheckoutInitiatePayment($input: InitiatePaymentInput!) {
    initiatePayment(input: $input) {
      payment { id amount currency status provider failureCode refunds { id amount reason } }
      userErrors { field code message }
    }
  }
`);

export const ConfirmPayment = graphql(`
  mutation CheckoutConfirmPayment($id: ID!) {
    confirmPayment(id: $id) {
      payment { id amount status failureCode refunds { id amount reason } }
      userErrors { field code message }
    }
  }
`);

export const RefundPayment = graphql(`
  mutation CheckoutRefundPayment($input: RefundPaymentInput!) {
    refundPayment(input: $input) {
      payment { id amount status refunds { id amount reason } }
      userErrors { field code message }
    }
  }
`);

export const OrderMoney = graphql(`
  query CheckoutOrderMoney($id: ID!) {
    order(id: $id) {
      id status total paymentStatus amountPaid amountRefunded
      reservation { status }
      payments { id amount status failureCode refunds { amount } }
      notifications { channel template recipient status attempts lastError sentAt }
    }
  }
`);

/** Places an order of `quantity` units of the product for a customer and returns it. */
export async function placeFor(
  api: TestApi,
  seller: string,
  productId: string,
  quantity: number,
  customer: { email: string; name?: string; phone?: string } | null = { email: 'ada@example.com', name: 'Ada' },
  ttlSeconds?: number,
) {
  const res = await api.gql(PlaceCustomerOrder, { input: { items: [{ productId, quantity }], ...(customer ? { customer } : {}), ttlSeconds } }, { seller });
  expect(res.errors).toBeUndefined();
  expect(res.data!.placeOrder.userErrors).toEqual([]);
  return res.data!.placeOrder.order!;
}

export async function pay(api: TestApi, seller: string, orderId: string, paymentMethod = 'pm_card_visa', amount?: string, idempotencyKey?: string) {
  const res = await api.gql(InitiatePayment, { input: { orderId, paymentMethod, amount, idempotencyKey } }, { seller });
  expect(res.errors).toBeUndefined();
  return res.data!.initiatePayment;
}

export async function refund(api: TestApi, seller: string, paymentId: string, amount?: string, idempotencyKey?: string, reason?: string) {
  const res = await api.gql(RefundPayment, { input: { paymentId, amount, idempotencyKey, reason } }, { seller });
  expect(res.errors).toBeUndefined();
  return res.data!.refundPayment;
}

export async function moneyOf(api: TestApi, seller: string, orderId: string) {
  const res = await api.gql(OrderMoney, { id: orderId }, { seller });
  expect(res.errors).toBeUndefined();
  return res.data!.order!;
}
