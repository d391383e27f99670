import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { toScreamingCase } from '../events/event.contract.js';
import { EventType } from '../events/event.types.js';
import type { WebhookRecord } from './webhook.model.js';
import { CreateWebhookInput, DeleteWebhookPayload, Webhook, WebhookDelivery, WebhookPayload } from './webhook.types.js';

@Resolver(() => Webhook)
export class WebhooksResolver {
  @Query(() => [Webhook], { description: "The seller's webhooks." })
  webhooks(@Ctx() ctx: Context) {
    return ctx.services.webhooks.webhooks(sellerOf(ctx));
  }

  @Mutation(() => WebhookPayload, { description: 'Register an endpoint for signed event deliveries. The secret is returned once, here.' })
  createWebhook(@Arg('input', () => CreateWebhookInput) input: CreateWebhookInput, @Ctx() ctx: Context) {
    return ctx.services.webhooks.createWebhook(sellerOf(ctx), { url: input.url, eventTypes: input.eventTypes });
  }

  @Mutation(() => WebhookPayload, { description: 'Turn deliveries back on for a webhook that was disabled for failing (see disabledReason); its failure count starts again at 0.' })
  enableWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.webhooks.enableWebhook(sellerOf(ctx), id);
  }

  @Mutation(() => DeleteWebhookPayload, { description: 'Stop deliveries to the webhook and forget it and its delivery records.' })
  deleteWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.webhooks.deleteWebhook(sellerOf(ctx), id);
  }

  @FieldResolver(() => [EventType])
  eventTypes(@Root() webhook: WebhookRecord): EventType[] {
    return webhook.eventTypes.map((t) => toScreamingCase(t) as EventType);
  }

  @FieldResolver(() => [WebhookDelivery], { description: 'Delivery attempts, newest first.' })
  deliveries(
    @Root() webhook: WebhookRecord,
    @Arg('first', () => Int, { nullable: true, description: 'Default 20, at most 100.' }) first: number | null,
    @Arg('eventId', () => String, { nullable: true, description: 'Only the attempts for this event.' }) eventId: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.webhooks.deliveries(webhook, first, eventId);
  }
}
