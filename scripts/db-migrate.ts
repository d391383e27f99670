// npm run db:migrate: creates the database if needed and applies the pending migrations.
import { applyMigrations, ensureDatabase } from '../src/infra/migrate.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/amused';
const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));

try {
  if (await ensureDatabase(databaseUrl)) console.log(`Created database ${database}`);
  const applied = await applyMigrations(databaseUrl);
  console.log(
    applied.length === 0
      ? `No pending migrations in ${database}`
      : `Applied ${applied.length} migration(s) to ${database}:\n${applied.map((name) => `  ${name}`).join('\n')}`,
  );
} catch (error) {
  console.error(`db:migrate failed: ${(error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ')}`);
  process.exitCode = 1;
}
