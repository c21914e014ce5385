// Mutation testing of what only the end-to-end tests can see: signal forwarding, exit status and the
// spawn of uv (src/launch/run-child.ts). `npm run mutation:e2e`; see stryker.config.mjs for the rest.
// The vitest runner cannot serve here: its per-test coverage sees only code run inside the test worker,
// and these tests run the launcher as a separate process. So the command runner runs a fixed selection
// for every mutant: the instrumented source is bundled once (buildCommand), and the test helpers pass
// Stryker's __STRYKER_ACTIVE_MUTANT__ on to the launcher processes they start (test/helpers/uv.ts,
// process-group.ts), which switches that one mutant on in the bundle.
import fs from 'node:fs';
import path from 'node:path';
import unit from './stryker.config.mjs';

// Stryker takes line ranges: found from the code itself, so that they follow edits of the file.
const RUN_CHILD = 'src/launch/run-child.ts';
const lines = fs.readFileSync(RUN_CHILD, 'utf8').split('\n');
const lineOf = (start) => {
  const i = lines.findIndex((line) => line.startsWith(start));
  if (i < 0) throw new Error(`stryker.e2e.config.mjs: no line starting with "${start}" in ${RUN_CHILD}`);
  return i + 1;
};

process.env.UVX_SAFE_TEST_CACHE ??= path.resolve('.cache');
// The npm form only: the standalone executable runs the same bundle (test/helpers/forms.ts).
process.env.UVX_SAFE_TEST_FORMS ??= 'npm';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  // The launcher tests that reach this code: signals, exit status, stdio, a uv that cannot start;
  // stopping at the first failure (a killed mutant).
  commandRunner: {
    command: "npx vitest run --config vitest.mutation-e2e.config.mts --bail=1 -t 'signals|exit status|stdio|finding the real uv'",
  },
  buildCommand: 'npm run build',
  // The signal list and runChild (spawnFailure's messages are the unit tests', stryker.config.mjs).
  mutate: [
    `${RUN_CHILD}:${lineOf('const FORWARDED')}-${lineOf('const SIGINT_FORWARD_DELAY_MS')}`,
    `${RUN_CHILD}:${lineOf('export function runChild')}-${lineOf('function wholeStatusReader') - 1}`,
  ],
  coverageAnalysis: 'off',
  // Here each mutant costs a whole e2e selection (~30 s): setting aside the ones that do not compile first pays.
  checkers: ['typescript'],
  tsconfigFile: unit.tsconfigFile,
  typescriptChecker: unit.typescriptChecker,
  plugins: unit.plugins,
  ignorers: unit.ignorers,
  concurrency: 1,
  timeoutMS: 120_000,
  reporters: unit.reporters,
  jsonReporter: { fileName: 'reports/mutation/e2e.json' },
  htmlReporter: { fileName: 'reports/mutation/e2e.html' },
  incrementalFile: 'reports/mutation/stryker-e2e-incremental.json',
  ignorePatterns: unit.ignorePatterns,
  tempDirName: '.stryker-tmp-e2e',
  cleanTempDir: unit.cleanTempDir,
};
