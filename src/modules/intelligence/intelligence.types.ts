import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { Product } from '../catalog/product.types.js';

export enum RecommendationKind {
  SIMILAR = 'SIMILAR',
  BOUGHT_TOGETHER = 'BOUGHT_TOGETHER',
}
registerEnumType(RecommendationKind, {
  name: 'RecommendationKind',
  valuesConfig: {
    SIMILAR: { description: 'Resembles the product: words of name and description, category, then price.' },
    BOUGHT_TOGETHER: { description: "In the same CONFIRMED (or later) orders of the seller's, scored by cosine." },
  },
});

@ObjectType({ description: "One of the seller's products recommended beside another." })
export class ProductRecommendation {
  @Field(() => Product) product!: Product;
  @Field(() => Float, { description: 'Higher is closer; in [0, 1].' }) score!: number;
  @Field(() => String) reason!: string;
}

@ObjectType({ description: 'Demand and stock-out forecast of a product, from its sales (SOLD movements and imported sales).' })
export class StockForecast {
  @Field(() => String, { description: 'The model: TSB (intermittent demand, Teunter-Syntetos-Babai), HOLT (level and trend), SES (short history) or NO_HISTORY.' })
  method!: string;
  @Field(() => Float, { description: 'Expected units sold per day, the mean over the horizon.' }) dailyDemand!: number;
  @Field(() => Float, { description: "Lower end of the 80% interval of one day's demand." }) dailyDemandLow!: number;
  @Field(() => Float, { description: "Upper end of the 80% interval of one day's demand." }) dailyDemandHigh!: number;
  @Field(() => Float, { nullable: true, description: 'Days until the available units run out; null when no demand is expected.' })
  daysUntilStockout!: number | null;
  @Field(() => DateTimeScalar, { nullable: true }) stockoutDate!: Date | null;
  @Field(() => Int, { description: 'Units to order now to cover leadTimeDays + horizonDays of demand (90% upper bound) beyond the available units.' })
  suggestedReorderQuantity!: number;
  @Field(() => Int, { description: 'Days of history the model was fitted on.' }) historyDays!: number;
  @Field(() => DateTimeScalar, { description: 'When the demand model was fitted; it is refitted shortly after the seller’s stock or orders change.' })
  computedAt!: Date;
}

@ObjectType()
export class ProductStockForecast {
  @Field(() => Product) product!: Product;
  @Field(() => StockForecast) forecast!: StockForecast;
}

@ObjectType()
export class CategorySuggestion {
  @Field(() => String) category!: string;
  @Field(() => Float, { description: 'Calibrated probability that the product belongs to this category.' }) confidence!: number;
}
