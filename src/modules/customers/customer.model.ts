export interface CustomerRecord {
  id: number;
  sellerId: string;
  email: string;
  name: string | null;
  phone: string | null;
  createdAt: Date;
}

/** What placeOrder and the customer checks accept for a new or known customer. */
export interface CustomerFields {
  email: string;
  name?: string | null;
  phone?: string | null;
}
