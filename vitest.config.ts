import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', '{bot,liff,workers,shared,simulator}/**/*.test.ts'],
    globalSetup: ['tests/setup/services.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores here; more parallel files would only fight over them.
    maxWorkers: 2,
  },
});
