// `prisma generate` never runs the schema engine, but Prisma insists on finding its
// binary, which cannot be downloaded everywhere; any existing file satisfies the lookup.
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  stdio: 'inherit',
  env: { PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, ...process.env },
});
