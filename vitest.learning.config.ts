// Learning tests at budgets that prove the paper's outcomes; too slow for `npm test` on 2 cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/learning/**/*.test.ts'],
    environment: 'node',
    testTimeout: 3_600_000,
    fileParallelism: false,
  },
});
