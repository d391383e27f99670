export const STOCK_MOVEMENT_REASONS = ['RECEIVED', 'SOLD', 'RETURNED', 'DAMAGED', 'CORRECTION', 'IMPORT'] as const;
export type StockMovementReason = (typeof STOCK_MOVEMENT_REASONS)[number];

export interface StockMovementRecord {
  id: number;
  sellerId: string;
  productId: number;
  delta: number;
  reason: StockMovementReason;
  quantityAfter: number;
  note: string | null;
  createdAt: Date;
}
