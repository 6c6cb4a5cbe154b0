// Unit and service tests in Node: core and main. The browser (e2e) and learning suites have their own configs.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/core/**/*.test.ts', 'tests/main/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // no stored webgpu speed measurement of this machine may steer a test's automatic backend choice
    env: { LAB_WEBGPU_SPEED: '/nonexistent/maxent-lab-tests/webgpu-speed.json' },
  },
});
