import { defineConfig } from 'prisma/config';

// Only the Prisma CLI reads this file; the application reads DATABASE_URL in src/config.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'npm run db:seed' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/amused' },
});
