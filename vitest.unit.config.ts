import { defineConfig } from 'vitest/config';

/**
 * `npm run test:unit`: the tests that need no service at all — no Redis, no database, no browser — so
 * no global setup. Seconds, not minutes; `npm test` (vitest.config.ts) runs these too.
 */
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    pool: 'threads',
    maxWorkers: 2,
  },
});
