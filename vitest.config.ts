import { defineConfig } from 'vitest/config';

// Integration tests talk to the real Redis and PostgreSQL on the machine; each test uses its own
// queue prefix / database schema, so files may run in parallel. Two cores: keep the pool small.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
