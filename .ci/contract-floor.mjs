#!/usr/bin/env node
// CI only (the floor lives outside the repository, in ../shared/contract):
//   node .ci/contract-floor.mjs <checker> <schema.graphql> <pending.txt>
// Exit 0 when the schema keeps the floor except for what pending.txt lists (parts open issues
// still own); 1 when something else breaks; 2 when the checker is missing, crashes or answers
// something it never answers, so a broken checker can never pass for a kept floor.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const [checker, schema, pendingFile] = process.argv.slice(2);
if (!checker || !schema || !pendingFile) {
  console.error('usage: node .ci/contract-floor.mjs <checker> <schema.graphql> <pending.txt>');
  process.exit(2);
}
if (!existsSync(checker)) {
  console.error(`contract: the checker ${checker} is missing`);
  process.exit(2);
}
const run = spawnSync(process.execPath, [checker, schema], { encoding: 'utf8' });
const stdout = run.stdout ?? '';
const summary = stdout.split('\n').find((line) => /^contract: (kept|\d+ breaks)$/.test(line));
if (run.error || (run.status !== 0 && run.status !== 1) || summary === undefined || (run.status === 0) !== (summary === 'contract: kept')) {
  console.error(`contract: the checker ${checker} failed (exit ${run.status ?? run.signal}):\n${stdout}${run.stderr ?? ''}${run.error?.message ?? ''}`);
  process.exit(2);
}
const removed = stdout
  .split('\n')
  .filter((line) => line.includes(':') && !line.startsWith('contract:'))
  .map((line) => /^\w+: (?:Standard scalar )?(\S+) was removed/.exec(line)?.[1] ?? line);
const pending = readFileSync(pendingFile, 'utf8')
  .split('\n')
  .filter((line) => line && !line.startsWith('#'));
const unexpected = removed.filter((name) => !pending.includes(name));
if (unexpected.length > 0) {
  console.error(`contract: the schema breaks the API floor:\n${unexpected.join('\n')}`);
  process.exit(1);
}
console.log(removed.length === 0 ? 'contract: kept' : `contract: kept but for ${removed.length} part(s) open issues own: ${removed.join(', ')}`);
