import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** A clone of the repository alone must work: nothing a user runs or follows may lead outside it. */
describe('the repository is self-contained', () => {
  it('no npm script reaches outside the repository', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(Object.entries(scripts).filter(([, command]) => /(^|[\s'"=])\.\.\//.test(command) || command.includes('/shared/'))).toEqual([]);
  });

  it('no README link leads outside the repository', () => {
    for (const file of ['README.md', 'docs/ARCHITECTURE.md', 'BENCHMARKS.md']) {
      const text = readFileSync(file, 'utf8');
      const links = [...text.matchAll(/\]\(([^)\s]+)\)|`(\.\.\/[^`]*)`|(\.\.\/shared\S*)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
      expect(links.filter((target) => target.startsWith('../') || target.includes('/shared/')), file).toEqual([]);
    }
  });
});
