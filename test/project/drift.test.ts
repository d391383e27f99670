import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { printAppSchema } from '../../src/graphql/schema.js';
import { diffMigrationsToSchema } from '../../src/infra/migrate.js';
import { PG_ADMIN_URL } from '../support/env.js';

const run = promisify(execFile);

describe('committed artifacts', () => {
  it('schema.graphql is what the code emits (run npm run schema:emit)', async () => {
    expect(await readFile('schema.graphql', 'utf8')).toBe(await printAppSchema());
  });

  it('prisma/migrations produce exactly prisma/schema.prisma (run npm run db:migration -- <name>)', async () => {
    expect(await diffMigrationsToSchema(PG_ADMIN_URL)).toBe('');
  }, 60_000);
});

/**
 * The API floor lives outside the repository (shared/contract): .ci/run checks it through
 * .ci/contract-floor.mjs, which must fail the run whenever the checker cannot say "kept".
 */
describe('the CI gate on the API floor (.ci/contract-floor.mjs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amused-contract-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const checker = (name: string, body: string) => file(`${name}.mjs`, body);
  const gate = async (checkerPath: string, pending = '# nothing pending\n') => {
    const pendingPath = file(`pending-${randomUUID()}.txt`, pending);
    return run(process.execPath, ['.ci/contract-floor.mjs', checkerPath, 'schema.graphql', pendingPath]).then(
      (r) => ({ code: 0, output: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }),
    );
  };
  const breaks = "console.log('FIELD_REMOVED: Query.products was removed.'); console.log('contract: 1 breaks'); process.exit(1);";

  it('passes when the checker says kept', async () => {
    expect(await gate(checker('kept', "console.log('contract: kept');"))).toEqual({ code: 0, output: 'contract: kept\n' });
  });

  it('fails when the checker is missing', async () => {
    expect(await gate(join(dir, 'no-such-checker.mjs'))).toMatchObject({ code: 2, output: expect.stringContaining('is missing') });
  });

  it('fails when the checker crashes or answers nothing it knows', async () => {
    expect(await gate(checker('crash', "throw new Error('boom');"))).toMatchObject({ code: 2, output: expect.stringContaining('boom') });
    expect(await gate(checker('silent', 'process.exit(0);'))).toMatchObject({ code: 2 });
    expect(await gate(checker('cannot-read', "console.error('contract: cannot read schema.graphql'); process.exit(2);"))).toMatchObject({ code: 2 });
  });

  it('fails on a break no open issue owns, passes on one listed in contract-pending.txt', async () => {
    const breaking = checker('breaks', breaks);
    expect(await gate(breaking)).toMatchObject({ code: 1, output: expect.stringContaining('Query.products') });
    expect(await gate(breaking, '# owned by an open issue\nQuery.products\n')).toMatchObject({ code: 0, output: expect.stringContaining('Query.products') });
  });

  it('is what .ci/run runs, with nothing that lets a failure through', async () => {
    const ci = await readFile('.ci/run', 'utf8');
    const line = ci.split('\n').find((l) => l.includes('contract-floor.mjs'));
    expect(line).toBe('node .ci/contract-floor.mjs ../shared/contract/check.mjs schema.graphql test/project/contract-pending.txt');
    expect(ci).toMatch(/^set -euo pipefail$/m);
  });
});
