// Which test files a run takes. The whole suite runs in CI (.ci/run sets CI) and with `npm run
// test:all`; a developer's `npm test` leaves out the slow suites of slow-suites.json (files by what
// makes them slow), so that it stays under two minutes on a 2-core machine (issue 19), and says so in
// one line. A file named on the command line always runs. vitest.config.mts applies the same rule
// (it cannot import this CommonJS TypeScript without a loader warning); test/unit/suites.test.ts
// checks that both agree.
import slowSuites from './slow-suites.json';
import { ciRequested } from '../helpers/system-tools.js';

export const SLOW_SUITES: Readonly<Record<string, readonly string[]>> = slowSuites;

export const SLOW_FILES: readonly string[] = Object.values(SLOW_SUITES).flat();

/** The file filters on vitest's command line (`npm test -- test/e2e/x.test.ts`, `vitest run windows`). */
export function fileFilters(argv: readonly string[] = process.argv.slice(2)): string[] {
  const filters: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // Options that take a value as the next word.
    if (/^--(?:reporter|project|config|root|dir|maxWorkers|minWorkers|pool|testNamePattern|outputFile|shard|mode|environment)$/.test(arg) || arg === '-t' || arg === '-c' || arg === '-r') i++;
    else if (!arg.startsWith('-') && !['run', 'watch', 'dev', 'list', 'bench'].includes(arg)) filters.push(arg);
  }
  return filters;
}

/** Whether this run takes the slow suites: in CI, with UVX_SAFE_TEST_ALL=1, or when a filter names files. */
export function runsSlowSuites(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): boolean {
  return ciRequested(env.CI) || env.UVX_SAFE_TEST_ALL === '1' || fileFilters(argv).length > 0;
}

/** Whether a file of `files` may run: the slow suites run and no filter is given, or a filter matches it (vitest matches filters as substrings of the path). */
export function mayRun(files: readonly string[], argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): boolean {
  const filters = fileFilters(argv);
  if (filters.length > 0) return files.some((file) => filters.some((filter) => file.includes(filter.replace(/^\.\//, ''))));
  return runsSlowSuites(argv, env);
}
