import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vitest/config';

const graphqlDir = dirname(createRequire(import.meta.url).resolve('graphql/package.json'));

export default defineConfig({
  resolve: {
    // graphql ships .js and .mjs builds; pin one so every importer shares one copy.
    alias: [{ find: /^graphql$/, replacement: join(graphqlDir, 'index.js') }, { find: /^graphql\/(.*)$/, replacement: join(graphqlDir, '$1.js') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
