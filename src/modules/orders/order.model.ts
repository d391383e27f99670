import type { Decimal } from 'decimal.js';

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatusName = (typeof ORDER_STATUSES)[number];

export interface OrderItemRecord {
  productId: number;
  quantity: number;
  /** The product's price when the order was placed. */
  unitPrice: Decimal;
}

export interface OrderRecord {
  id: number;
  sellerId: string;
  status: OrderStatusName;
  items: OrderItemRecord[];
  total: Decimal;
  reservationId: number;
  customerId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The only moves updateOrderStatus makes; cancelling has its own mutation. */
export const NEXT_STATUS: Partial<Record<OrderStatusName, OrderStatusName>> = {
  PENDING: 'CONFIRMED',
  CONFIRMED: 'SHIPPED',
  SHIPPED: 'DELIVERED',
};
