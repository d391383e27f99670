export const RESERVATION_STATUSES = ['HELD', 'COMMITTED', 'RELEASED', 'EXPIRED'] as const;
export type ReservationStatusName = (typeof RESERVATION_STATUSES)[number];

export interface ReservationItemRecord {
  productId: number;
  quantity: number;
}

/** Stock held for a checkout; while HELD, each item's quantity counts in its product's `reserved`. */
export interface ReservationRecord {
  id: number;
  sellerId: string;
  status: ReservationStatusName;
  items: ReservationItemRecord[];
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}
