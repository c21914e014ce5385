// The tests Stryker runs against each mutant (stryker.config.mjs): the unit tests, which import src/
// directly. The e2e tests start the built bundle, which does not carry Stryker's mutants.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup-unit.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
