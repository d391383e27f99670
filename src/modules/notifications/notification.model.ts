export const NOTIFICATION_TEMPLATES = [
  'order_confirmation',
  'order_shipped',
  'order_delivered',
  'payment_succeeded',
  'payment_failed',
  'refund_issued',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

export type NotificationChannelName = 'EMAIL' | 'SMS';
export type NotificationStatusName = 'QUEUED' | 'SENT' | 'FAILED';

/** What a template needs beyond the order: the amount of the payment or refund, why a payment failed. */
export interface NotificationData {
  amount?: string;
  failureCode?: string;
}

export interface NotificationRecord {
  id: number;
  sellerId: string;
  orderId: number | null;
  channel: NotificationChannelName;
  template: NotificationTemplate;
  recipient: string;
  data: NotificationData;
  status: NotificationStatusName;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface NotificationSettingsRecord {
  emailEnabled: boolean;
  smsEnabled: boolean;
  disabledTemplates: NotificationTemplate[];
}

export const ALL_ON: NotificationSettingsRecord = { emailEnabled: true, smsEnabled: true, disabledTemplates: [] };
