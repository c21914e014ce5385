// The tests `npm run mutation:e2e` runs for each mutant (stryker.e2e.config.mjs), with a global setup
// of only what they need.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/launcher.test.ts'],
    globalSetup: ['test/setup/mutation-e2e-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
