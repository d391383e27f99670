import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { UserError } from '../../graphql/user-errors.js';
import { EventType } from '../events/event.types.js';
import { GlobalIdField } from '../../graphql/global-id-fields.js';
import { Node } from '../../graphql/node.js';

@ObjectType({ description: 'An endpoint that receives signed POSTs of the seller\'s events (see the README for the signature).', implements: Node })
export class Webhook {
  @GlobalIdField('Webhook') id!: string;
  @Field(() => String) url!: string;
  @Field(() => Boolean, { description: 'False once disabled for failing: no deliveries until enableWebhook.' }) active!: boolean;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => Int, { description: 'Failed delivery attempts since the last success.' }) consecutiveFailures!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'The first failed attempt since the last success; null while deliveries succeed.' }) failingSince!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When deliveries stopped because the endpoint kept failing.' }) disabledAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the webhook was disabled: the failure count, since when, and the last error.' }) disabledReason!: string | null;
}

@ObjectType({ description: 'One attempt to deliver one event to a webhook.' })
export class WebhookDelivery {
  @Field(() => String) eventId!: string;
  @Field(() => Int, { description: '1 for the first try; up to 6 (5 retries).' }) attempt!: number;
  @Field(() => Boolean, { description: 'The endpoint answered 2xx.' }) delivered!: boolean;
  @Field(() => Int, { nullable: true }) statusCode!: number | null;
  @Field(() => String, { nullable: true, description: 'Timeout, connection error or non-2xx status.' }) error!: string | null;
  @Field(() => Int) durationMs!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@InputType()
export class CreateWebhookInput {
  @Field(() => String, { description: 'http(s), at most 2048 characters, no credentials, not a private address.' }) url!: string;
  @Field(() => [EventType]) eventTypes!: EventType[];
}

@ObjectType()
export class WebhookPayload {
  @Field(() => Webhook, { nullable: true }) webhook!: Webhook | null;
  @Field(() => String, { nullable: true, description: 'HMAC-SHA256 signing secret; shown only in the createWebhook response (null elsewhere).' }) secret!: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class DeleteWebhookPayload {
  @GlobalIdField('Webhook', { nullable: true }) deletedWebhookId!: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
