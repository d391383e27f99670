import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { connectionOf } from '../../graphql/pagination.js';
import { Node } from '../../graphql/node.js';
import { DateTimeScalar } from '../../graphql/scalars.js';

@ObjectType({ description: "A seller's customer; the email is unique per seller, whatever its case.", implements: Node })
export class Customer {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true, description: 'Without one, the customer gets no SMS.' }) phone!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

export const CustomerConnection = connectionOf('Customer', Customer, { totalCount: true });

@InputType({ description: 'A customer named by email: the known one with that email (any case), else a new one.' })
export class CustomerInput {
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true, description: 'Up to 200 characters; kept if the customer already has one.' }) name?: string | null;
  @Field(() => String, { nullable: true, description: '6-15 digits, optionally with a leading +; kept if the customer already has one.' }) phone?: string | null;
}
