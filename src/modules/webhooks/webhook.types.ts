import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { UserError } from '../../graphql/user-errors.js';
import { EventType } from '../events/event.types.js';

@ObjectType({ description: 'An endpoint that receives signed POSTs of the seller\'s events (see the README for the signature).' })
export class Webhook {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => Boolean) active!: boolean;
  @Field(() => DateTimeScalar) createdAt!: Date;
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
  @Field(() => String, { nullable: true, description: 'HMAC-SHA256 signing secret; shown only in the createWebhook response.' }) secret!: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class DeleteWebhookPayload {
  @Field(() => ID, { nullable: true }) deletedWebhookId!: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
