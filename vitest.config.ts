import { defineConfig } from 'vitest/config';

// Integration tests start real mariadbd processes: they run in forks, a few at a time,
// so a 2-core CI machine is not oversubscribed.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
