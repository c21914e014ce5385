// Mutation testing of the launcher's core (`npm run mutation`; not part of `npm test`). StrykerJS
// changes the source one mutant at a time and runs the unit tests that cover it (vitest runner, per-test
// coverage); a mutant no test notices "survives". Results and the equivalent mutants: docs/design.md,
// "Testing". One folder: `npm run mutation -- --mutate 'src/launch/**/*.ts'`. Local reruns that test
// only what changed: `npm run mutation -- --incremental` (state in reports/mutation/, ignored).
// The e2e-only code (signals, exit status: src/launch/run-child.ts) has its own command-runner
// configuration, stryker.e2e.config.mjs (`npm run mutation:e2e`).
import path from 'node:path';

// The sandbox Stryker copies the checkout into has no .cache/: the tests use the checkout's (pinned uv,
// fixture wheels) instead of downloading them again (test/helpers/paths.ts).
process.env.UVX_SAFE_TEST_CACHE ??= path.resolve('.cache');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.mts' },
  // The TypeScript checker (installed, configured below) sets aside mutants that do not compile before
  // any test runs. It is off by default: on this 2-core machine it made a run 4x slower (src/relocate/
  // contain.ts, 32 mutants: 120 s of mutant runs with it, 27 s without), more than the tests it saves.
  // Without it a type-invalid mutant is run like any other: killed when a test fails, else listed as a
  // survivor (and explained as such in design.md). `--checkers typescript` for the stricter count.
  checkers: [],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // No mutants in the UVX_SAFE_DEBUG trace's calls (stryker-ignore-debug.mjs says why).
  plugins: ['@stryker-mutator/*', './stryker-ignore-debug.mjs'],
  ignorers: ['debug-trace'],
  coverageAnalysis: 'perTest',
  // A mutant in a module-level constant is "static": no per-test coverage, so every unit test would run
  // for it (~80 s each, most of the run). Ignored here; the one that matters most, run-child.ts's list of
  // forwarded signals, is mutated by `npm run mutation:e2e`.
  ignoreStatic: true,
  mutate: ['src/launch/**/*.ts', 'src/relocate/**/*.ts', 'src/config/**/*.ts', 'src/uv/**/*.ts', 'src/shims/**/*.ts'],
  // One worker: the machine's two cores are shared with other work (`--concurrency 2` on a free machine).
  concurrency: 1,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  ignorePatterns: ['.cache', 'dist', 'reports', 'coverage', '.stryker-tmp', '.stryker-tmp-e2e'],
  cleanTempDir: 'always',
};
