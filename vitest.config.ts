import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'client/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: DuckDB and the browser tests each want one.
    maxWorkers: 2,
    env: { TZ: 'UTC' },
  },
});
