import { Field, ID, InputType, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/pagination.js';
import { DateTimeScalar, DecimalScalar } from '../../graphql/scalars.js';
import { EVENT_TYPES, type EventPayload, type EventTypeName } from './event.contract.js';
import { GlobalIdField } from '../../graphql/global-id-fields.js';

export enum EventType {
  PRODUCT_CREATED = 'PRODUCT_CREATED',
  PRODUCT_UPDATED = 'PRODUCT_UPDATED',
  PRODUCT_DELETED = 'PRODUCT_DELETED',
  LOW_STOCK_WARNING = 'LOW_STOCK_WARNING',
}
registerEnumType(EventType, { name: 'EventType' });

@ObjectType({ description: 'The product as it was when the event happened.' })
export class ProductSnapshot {
  @GlobalIdField('Product') id!: number;
  @Field(() => String, { nullable: true }) sku!: string | null;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => DecimalScalar) price!: string;
  @Field(() => String) category!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Int) reserved!: number;
  @Field(() => Int) lowStockThreshold!: number;
  @Field(() => Int) version!: number;
}

@ObjectType({ description: 'Only the fields that changed are set.' })
export class ProductChanges {
  @Field(() => String, { nullable: true }) sku?: string | null;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) price?: string;
  @Field(() => String, { nullable: true }) category?: string;
  @Field(() => Int, { nullable: true }) quantity?: number;
  @Field(() => Int, { nullable: true }) reserved?: number;
  @Field(() => Int, { nullable: true }) lowStockThreshold?: number;
}

/** What every event view carries; `kind` picks the GraphQL object type, the payload fills the rest. */
export interface EventView extends EventPayload {
  kind: EventTypeName;
  cursor: string;
  sequence: number;
  eventId: string;
  eventType: EventType;
  /** ISO-8601 UTC to the microsecond. */
  timestamp: string;
}

@InterfaceType({ resolveType: (value: EventView) => value.kind })
export abstract class Event {
  @Field(() => String, { description: 'Position in the seller\'s event log; pass as after to resume.' }) cursor!: string;
  @Field(() => Int, { description: "Per-seller number: exactly one more than the seller's previous event, so a jump means a missed event." })
  sequence!: number;
  @Field(() => String, { description: '{sellerId}-{productId}-{eventType}-{timestamp}' }) eventId!: string;
  @Field(() => EventType) eventType!: EventType;
  @Field(() => DateTimeScalar) timestamp!: string;
  @GlobalIdField('Seller') sellerId!: string;
  @GlobalIdField('Product') productId!: number;
}

@ObjectType({ implements: Event })
export class ProductCreated extends Event {
  @Field(() => ProductSnapshot) product!: ProductSnapshot;
}

@ObjectType({ implements: Event })
export class ProductUpdated extends Event {
  @Field(() => ProductChanges) changes!: ProductChanges;
  @Field(() => ProductSnapshot) product!: ProductSnapshot;
}

@ObjectType({ implements: Event })
export class ProductDeleted extends Event {
  @Field(() => ProductSnapshot) product!: ProductSnapshot;
}

@ObjectType({ implements: Event })
export class LowStockWarning extends Event {
  @Field(() => Int, { description: 'Units available (on hand minus reserved) when stock crossed the threshold.' }) currentQuantity!: number;
  @Field(() => Int) threshold!: number;
}

export const EVENT_OBJECT_TYPES = [ProductCreated, ProductUpdated, ProductDeleted, LowStockWarning];
export { EVENT_TYPES };

export const EventConnection = connectionOf('Event', Event);

@InputType()
export class EventFilter {
  @Field(() => [EventType], { nullable: true }) types?: EventType[] | null;
  @Field(() => ID, { nullable: true }) productId?: string | null;
}
