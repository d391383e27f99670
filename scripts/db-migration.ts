// npm run db:migration -- <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql with
// the SQL that brings the existing migrations to prisma/schema.prisma.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffMigrationsToSchema, ensureDatabase, MIGRATION_LOCK_TOML, prismaPath } from '../src/infra/migrate.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/amused';

function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** YYYYMMDDHHMMSS in UTC, as Prisma names migration folders. */
function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

try {
  const name = snakeCase(process.argv[2] ?? '');
  if (!name) throw new Error('usage: npm run db:migration -- <name>');
  await ensureDatabase(databaseUrl); // the shadow database is created through it
  const script = await diffMigrationsToSchema(databaseUrl);
  if (!script) {
    console.log('schema.prisma and migrations agree; nothing to write');
  } else {
    const migrationsDir = prismaPath('migrations');
    const dir = path.join(migrationsDir, `${timestamp()}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'migration.sql'), script, { flag: 'wx' });
    await writeFile(path.join(migrationsDir, 'migration_lock.toml'), MIGRATION_LOCK_TOML, { flag: 'wx' }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
    console.log(`Wrote ${path.relative(process.cwd(), path.join(dir, 'migration.sql'))}`);
  }
} catch (error) {
  console.error(`db:migration failed: ${(error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ')}`);
  process.exitCode = 1;
}
