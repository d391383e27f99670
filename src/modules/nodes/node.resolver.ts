import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { badUserInput } from '../../graphql/errors.js';
import { Node } from '../../graphql/node.js';
import { loadNode, loadNodes } from '../../graphql/node-registry.js';

/** The most ids one nodes(ids:) call takes (src/limits/cost.ts charges each). */
export const MAX_NODE_IDS = 100;

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: "Any of the seller's objects by its global id; null if the seller has none with this id." })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<object | null> {
    sellerOf(ctx);
    return loadNode(ctx, id);
  }

  @Query(() => [Node], { nullable: 'items', description: `Several objects by global id, in the order asked (null where none); at most ${MAX_NODE_IDS} ids.` })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: Context): Promise<(object | null)[]> {
    sellerOf(ctx);
    if (ids.length > MAX_NODE_IDS) throw badUserInput(`ids: at most ${MAX_NODE_IDS} ids, got ${ids.length}`, { field: 'ids' });
    return loadNodes(ctx, ids);
  }
}
