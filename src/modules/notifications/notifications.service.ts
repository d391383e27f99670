import { badUserInput } from '../../graphql/errors.js';
import { serialKeyOfInput } from '../../graphql/global-id.js';
import { decodeCursor, encodeCursor, pageRequest, toConnection, type Connection } from '../../graphql/pagination.js';
import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';
import type { Database } from '../../infra/prisma.js';
import { NOTIFICATION_TEMPLATES, type NotificationRecord, type NotificationSettingsRecord, type NotificationTemplate } from './notification.model.js';
import * as notifications from './notifications.repository.js';
import type { SmsProvider } from './sms-provider.js';

export interface NotificationSettingsChange {
  emailEnabled?: boolean | null;
  smsEnabled?: boolean | null;
  disabledTemplates?: string[] | null;
}

export class NotificationsService {
  constructor(
    private readonly db: Database,
    /** The SMS gateway the worker sends through. */
    readonly sms: SmsProvider,
  ) {}

  /** The seller's notifications, newest first, optionally of one order. */
  async notifications(sellerId: string, args: { first?: number | null; after?: string | null; orderId?: string | null }): Promise<Connection<NotificationRecord>> {
    const request = pageRequest({ first: args.first, after: args.after });
    let beforeId: number | undefined;
    if (request.cursor !== undefined) {
      const [id] = decodeCursor('notification', request.cursor);
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw badUserInput('Invalid cursor');
      beforeId = id;
    }
    let orderId: number | undefined;
    if (args.orderId != null) {
      orderId = serialKeyOfInput('Order', args.orderId, 'orderId');
    }
    const rows = await notifications.listNotifications(this.db, sellerId, orderId, beforeId, request.size + 1);
    return toConnection(rows, request, (n) => encodeCursor('notification', [n.id]), beforeId !== undefined);
  }

  notificationsByIds(sellerId: string, ids: readonly number[]): Promise<NotificationRecord[]> {
    return notifications.findNotifications(this.db, sellerId, ids);
  }

  notificationsOfOrders(sellerId: string, orderIds: readonly number[]): Promise<NotificationRecord[]> {
    return notifications.notificationsOfOrders(this.db, sellerId, orderIds);
  }

  settings(sellerId: string): Promise<NotificationSettingsRecord> {
    return notifications.findSettings(this.db, sellerId);
  }

  /** Changes the fields given; an unknown template name changes nothing. */
  async updateSettings(sellerId: string, change: NotificationSettingsChange): Promise<{ settings: NotificationSettingsRecord | null; userErrors: UserError[] }> {
    // the API's enum admits only known templates; this guards other callers
    const unknown = (change.disabledTemplates ?? []).filter((t) => !(NOTIFICATION_TEMPLATES as readonly string[]).includes(t));
    if (unknown.length > 0) {
      const message = `Unknown template ${unknown.slice(0, 3).join(', ')}; templates are ${NOTIFICATION_TEMPLATES.join(', ')}`;
      return { settings: null, userErrors: [userError(UserErrorCode.INVALID, message, ['input', 'disabledTemplates'])] };
    }
    const current = await notifications.findSettings(this.db, sellerId);
    const next: NotificationSettingsRecord = {
      emailEnabled: change.emailEnabled ?? current.emailEnabled,
      smsEnabled: change.smsEnabled ?? current.smsEnabled,
      disabledTemplates: change.disabledTemplates ? ([...new Set(change.disabledTemplates)] as NotificationTemplate[]) : current.disabledTemplates,
    };
    return { settings: await notifications.saveSettings(this.db, sellerId, next), userErrors: [] };
  }
}
