import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { ProductFilter } from '../catalog/product.inputs.js';
import { progressOf, type JobRecord } from './job.model.js';
import { ImportMode, Job, JobConnection, JobPayload, RowError } from './job.types.js';

@ArgsType()
class JobsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@Resolver(() => Job)
export class BulkResolver {
  @Query(() => Job, { nullable: true })
  job(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.bulk.job(sellerOf(ctx), id);
  }

  @Query(() => JobConnection, { description: "The seller's imports and exports, newest first." })
  jobs(@Args(() => JobsArgs) args: JobsArgs, @Ctx() ctx: Context) {
    return ctx.services.bulk.jobs(sellerOf(ctx), args);
  }

  @Mutation(() => JobPayload, { description: 'Start a background import of CSV text (small files; large files stream to POST /imports/products).' })
  importProducts(
    @Arg('csv', () => String, { description: 'Header sku,name,description,price,quantity,category,lowStockThreshold; at most 1 MB.' }) csv: string,
    @Arg('mode', () => ImportMode, { nullable: true, defaultValue: ImportMode.UPSERT }) mode: ImportMode | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.bulk.importCsvText(sellerOf(ctx), csv, mode ?? ImportMode.UPSERT);
  }

  @Mutation(() => JobPayload, { description: 'Start a background CSV export; the finished job carries a download URL.' })
  exportProducts(@Arg('filter', () => ProductFilter, { nullable: true }) filter: ProductFilter | null, @Ctx() ctx: Context) {
    return ctx.services.bulk.exportProducts(sellerOf(ctx), filter);
  }

  @Subscription(() => Job, {
    description: 'Progress of a background job until it finishes.',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.bulk.watch(sellerOf(ctx), String(args.id));
    },
  })
  jobProgress(@Root() job: JobRecord, @Arg('id', () => ID) _id: string): JobRecord {
    return job;
  }

  @FieldResolver(() => Float, { description: '0..1' })
  progress(@Root() job: JobRecord): number {
    return progressOf(job);
  }

  @FieldResolver(() => [RowError], { description: 'Why rows failed, in row order (the first 1,000 are kept).' })
  rowErrors(@Root() job: JobRecord, @Arg('first', () => Int, { nullable: true, description: 'Default 100, at most 1000.' }) first: number | null, @Ctx() ctx: Context) {
    return ctx.services.bulk.rowErrors(job, first);
  }
}
