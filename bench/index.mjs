#!/usr/bin/env node
// Entry of `npm run bench`: installs the harness's own dependencies (bench/ and bench/peer/,
// from their lockfiles) when they are missing, then runs run.mjs with the same arguments.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
for (const dir of [here, join(here, 'peer')]) {
  if (!existsSync(join(dir, 'node_modules'))) {
    console.log(`installing the benchmark's dependencies in ${dir} (npm ci) ...`);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  }
}
await import('./run.mjs');
