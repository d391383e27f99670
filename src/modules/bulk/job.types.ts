import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/pagination.js';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { UserError } from '../../graphql/user-errors.js';
import { GlobalIdField } from '../../graphql/global-id-fields.js';
import { Node } from '../../graphql/node.js';

export enum JobKind {
  PRODUCT_IMPORT = 'PRODUCT_IMPORT',
  PRODUCT_EXPORT = 'PRODUCT_EXPORT',
  SALES_IMPORT = 'SALES_IMPORT',
}
registerEnumType(JobKind, { name: 'JobKind' });

export enum JobState {
  QUEUED = 'QUEUED',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}
registerEnumType(JobState, {
  name: 'JobState',
  valuesConfig: {
    QUEUED: { description: 'Waiting for a worker (also between retries).' },
    ACTIVE: { description: 'A worker is running it.' },
  },
});

export enum ImportMode {
  UPSERT = 'UPSERT',
  CREATE_ONLY = 'CREATE_ONLY',
}
registerEnumType(ImportMode, {
  name: 'ImportMode',
  valuesConfig: {
    UPSERT: { description: 'Create new SKUs, update existing ones.' },
    CREATE_ONLY: { description: 'Only create; an existing SKU is a row error.' },
  },
});

@ObjectType({ description: 'Why one CSV row was not applied.' })
export class RowError {
  @Field(() => Int, { description: '1-based data row number in the CSV (the header is row 0).' }) row!: number;
  @Field(() => String, { nullable: true, description: 'The column at fault; null when the row as a whole is (e.g. a wrong number of fields).' })
  field!: string | null;
  @Field(() => String) message!: string;
}

@ObjectType({ description: 'A background import or export of products.', implements: Node })
export class Job {
  @GlobalIdField('Job') id!: string;
  @Field(() => JobKind) kind!: JobKind;
  @Field(() => JobState) state!: JobState;
  @Field(() => ImportMode, { nullable: true, description: 'Imports: how existing SKUs are treated.' }) mode!: ImportMode | null;
  @Field(() => Int, { description: 'Rows done (applied or failed), committed.' }) processedRows!: number;
  @Field(() => Int, { nullable: true, description: 'Data rows in the file (imports) or products to write (exports), once counted.' })
  totalRows!: number | null;
  @Field(() => Int) succeededRows!: number;
  @Field(() => Int) failedRows!: number;
  @Field(() => String, { nullable: true, description: 'For a completed export: where to GET the CSV (same auth).' }) downloadUrl!: string | null;
  @Field(() => String, { nullable: true, description: 'Why the job failed, or why its last attempt failed while it waits for a retry.' })
  error!: string | null;
  @Field(() => Int, { description: 'How many times a worker started it.' }) attempts!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) startedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) finishedAt!: Date | null;
}


export const JobConnection = connectionOf('Job', Job);

@ObjectType()
export class JobPayload {
  @Field(() => Job, { nullable: true }) job!: Job | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
