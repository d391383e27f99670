import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../graphql/node.js';
import { connectionOf } from '../../graphql/pagination.js';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { UserError } from '../../graphql/user-errors.js';

export enum NotificationChannel {
  EMAIL = 'EMAIL',
  SMS = 'SMS',
}
registerEnumType(NotificationChannel, { name: 'NotificationChannel' });

/** The templates as settings name them; each value is the template's name in Notification.template. */
export enum NotificationTemplateName {
  ORDER_CONFIRMATION = 'order_confirmation',
  ORDER_SHIPPED = 'order_shipped',
  ORDER_DELIVERED = 'order_delivered',
  PAYMENT_SUCCEEDED = 'payment_succeeded',
  PAYMENT_FAILED = 'payment_failed',
  REFUND_ISSUED = 'refund_issued',
}
registerEnumType(NotificationTemplateName, {
  name: 'NotificationTemplate',
  description: 'A kind of notification; Notification.template carries its name in lower case (ORDER_SHIPPED: order_shipped).',
});

export enum NotificationStatus {
  QUEUED = 'QUEUED',
  SENT = 'SENT',
  FAILED = 'FAILED',
}
registerEnumType(NotificationStatus, {
  name: 'NotificationStatus',
  valuesConfig: {
    QUEUED: { description: 'Waiting to be sent, or between retries (lastError says why the last attempt failed).' },
    SENT: { description: 'Handed to the SMTP server or SMS gateway.' },
    FAILED: { description: 'Every attempt (1 + 5 retries) failed; lastError says why.' },
  },
});

@ObjectType({ description: "A message to an order's customer, written with the change that caused it and sent by the worker.", implements: Node })
export class Notification {
  @Field(() => ID) id!: string;
  @Field(() => NotificationChannel) channel!: NotificationChannel;
  @Field(() => String, { description: 'order_confirmation, order_shipped, order_delivered, payment_succeeded, payment_failed or refund_issued.' })
  template!: string;
  @Field(() => String, { description: 'The email address or phone number.' }) recipient!: string;
  @Field(() => NotificationStatus) status!: NotificationStatus;
  @Field(() => Int, { description: 'Send attempts so far.' }) attempts!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) sentAt!: Date | null;
}

export const NotificationConnection = connectionOf('Notification', Notification);

@ObjectType({ description: "What the seller's customers are told; everything is on until turned off." })
export class NotificationSettings {
  @Field(() => Boolean) emailEnabled!: boolean;
  @Field(() => Boolean) smsEnabled!: boolean;
  @Field(() => [NotificationTemplateName], { description: 'Templates that are not sent on any channel.' }) disabledTemplates!: NotificationTemplateName[];
}

@InputType({ description: 'Fields left out keep their value.' })
export class NotificationSettingsInput {
  @Field(() => Boolean, { nullable: true }) emailEnabled?: boolean | null;
  @Field(() => Boolean, { nullable: true }) smsEnabled?: boolean | null;
  @Field(() => [NotificationTemplateName], { nullable: true, description: 'Replaces the list.' }) disabledTemplates?: NotificationTemplateName[] | null;
}

@ObjectType()
export class NotificationSettingsPayload {
  @Field(() => NotificationSettings, { nullable: true }) settings!: NotificationSettings | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
