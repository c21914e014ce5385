import fs from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

/** The slow suites: test/setup/slow-suites.json, files by what makes them slow. */
const SLOW_FILES: string[] = Object.values(JSON.parse(fs.readFileSync(new URL('./test/setup/slow-suites.json', import.meta.url), 'utf8')) as Record<string, string[]>).flat();

/**
 * test/setup/suites.ts's runsSlowSuites, which this file cannot import (TypeScript of a CommonJS
 * package): CI (any value but empty, false, 0), UVX_SAFE_TEST_ALL=1, or a file filter on the command
 * line. test/unit/suites.test.ts checks that both agree.
 */
export function runsSlowSuites(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && !['false', '0'].includes(env.CI.toLowerCase());
  const valued = /^(?:--(?:reporter|project|config|root|dir|maxWorkers|minWorkers|pool|testNamePattern|outputFile|shard|mode|environment)|-t|-c|-r)$/;
  const filtered = argv.some((arg, i) => !arg.startsWith('-') && !['run', 'watch', 'dev', 'list', 'bench'].includes(arg) && !valued.test(argv[i - 1] ?? ''));
  return ci || env.UVX_SAFE_TEST_ALL === '1' || filtered;
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A developer's `npm test` leaves out the slow suites; CI, `npm run test:all` and a file named on
    // the command line run them (test/setup/suites.ts).
    exclude: runsSlowSuites(process.argv.slice(2), process.env) ? configDefaults.exclude : [...configDefaults.exclude, ...SLOW_FILES],
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // End-to-end tests mount tmpfs and spawn uv; two workers match the 2-core machines.
    maxWorkers: 2,
    // A worker keeps its loaded modules from one file to the next: importing execa, valibot and the
    // helpers again for each of ~90 files cost over a quarter of the quick run's CPU. The tests share no
    // state through modules (mocks and stubbed variables are restored after each test); the unit
    // tests pass in shuffled file orders this way (--sequence.shuffle.files).
    isolate: false,
  },
});
