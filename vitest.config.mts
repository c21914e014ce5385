import { configDefaults, defineConfig } from 'vitest/config';
import { runsSlowSuites, SLOW_FILES } from './test/setup/suites.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A developer's `npm test` leaves out the slow suites (test/setup/suites.ts says which and why);
    // CI, `npm run test:all` and a file named on the command line run them.
    exclude: runsSlowSuites() ? configDefaults.exclude : [...configDefaults.exclude, ...SLOW_FILES],
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // End-to-end tests mount tmpfs and spawn uv; two workers match the 2-core machines.
    maxWorkers: 2,
  },
});
