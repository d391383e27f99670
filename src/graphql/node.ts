import { Field, ID, InterfaceType } from 'type-graphql';
import { nodeTypeOf } from './node-registry.js';

/** Relay's global object identification: whatever has an id can be fetched again by it alone. */
@InterfaceType({
  description: 'An object with a globally unique id; node(id:) fetches it again.',
  resolveType: (value: object) => nodeTypeOf(value),
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque and globally unique: the type and key, base64url-encoded. Never parse it.' })
  id!: string;
}
