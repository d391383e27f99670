import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { badUserInput } from '../../graphql/errors.js';
import { requestLoader } from '../../graphql/request-loaders.js';
import type { ProductView } from '../catalog/product.model.js';
import { Product } from '../catalog/product.types.js';
import { checkForecastRange, forecastView } from './intelligence.service.js';
import { CategorySuggestion, ProductRecommendation, ProductStockForecast, RecommendationKind, StockForecast } from './intelligence.types.js';

@Resolver(() => Product)
export class IntelligenceResolver {
  @FieldResolver(() => [ProductRecommendation], { description: "The seller's other products that resemble this one or sell with it, best first." })
  recommendations(
    @Root() product: ProductView,
    @Arg('kind', () => RecommendationKind, { nullable: true, defaultValue: RecommendationKind.SIMILAR }) kind: RecommendationKind | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first: number | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.intelligence.recommendations(sellerOf(ctx), product.id, kind ?? RecommendationKind.SIMILAR, first ?? 10);
  }

  @FieldResolver(() => StockForecast, { description: 'When the available units run out at the forecast demand, and how much to reorder.' })
  async stockForecast(
    @Root() product: ProductView,
    @Arg('horizonDays', () => Int, { nullable: true, defaultValue: 30 }) horizonDays: number | null,
    @Arg('leadTimeDays', () => Int, { nullable: true, defaultValue: 7 }) leadTimeDays: number | null,
    @Ctx() ctx: Context,
  ) {
    checkForecastRange(horizonDays ?? 30, leadTimeDays ?? 7);
    const sellerId = sellerOf(ctx);
    const models = requestLoader(ctx, 'stockForecast', async (ids: readonly number[]) => {
      const found = await ctx.services.intelligence.stockForecasts(sellerId, ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    const model = await models.load(product.id);
    if (!model) throw badUserInput('Product not found');
    return forecastView(model, horizonDays ?? 30, leadTimeDays ?? 7);
  }

  @Query(() => [CategorySuggestion], { description: "Categories of the seller's own catalog that fit a new product, most likely first." })
  suggestCategories(
    @Arg('name', () => String) name: string,
    @Arg('description', () => String, { nullable: true }) description: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 3 }) first: number | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.intelligence.suggestCategories(sellerOf(ctx), name, description ?? null, first ?? 3);
  }

  @Query(() => [ProductStockForecast], { description: "The seller's products most likely to run out within the horizon, soonest first." })
  stockoutRisks(
    @Arg('horizonDays', () => Int, { nullable: true, defaultValue: 14 }) horizonDays: number | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.intelligence.stockoutRisks(sellerOf(ctx), horizonDays ?? 14, first ?? 20);
  }
}
