// Which files a run takes (test/setup/suites.ts): a local `npm test` leaves out the slow suites, and
// says which; CI, `npm run test:all` and a file named on the command line run them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';
import { fileFilters, mayRun, runsSlowSuites, SLOW_FILES, SLOW_SUITES } from '../setup/suites.js';

describe('the slow suites', () => {
  it('name files that exist, each once (a renamed file would silently join the quick run)', () => {
    for (const file of SLOW_FILES) expect(fs.existsSync(path.join(REPO_ROOT, file)), file).toBe(true);
    expect(new Set(SLOW_FILES).size).toBe(SLOW_FILES.length);
    expect(Object.keys(SLOW_SUITES).length).toBeGreaterThan(0);
  });

  it('run in CI (as uv reads CI), with UVX_SAFE_TEST_ALL=1, or when a filter names files', () => {
    expect(runsSlowSuites(['run'], {})).toBe(false);
    expect(runsSlowSuites(['run'], { CI: 'true' })).toBe(true);
    expect(runsSlowSuites(['run'], { CI: '1' })).toBe(true);
    expect(runsSlowSuites(['run'], { CI: 'false' })).toBe(false);
    expect(runsSlowSuites(['run'], { CI: '0' })).toBe(false);
    expect(runsSlowSuites(['run'], { UVX_SAFE_TEST_ALL: '1' })).toBe(true);
    expect(runsSlowSuites(['run', 'test/unit/plan.test.ts'], {})).toBe(true);
  });

  it('are left out by vitest.config.mts exactly when suites.ts says so', async () => {
    const config = (await import('../../vitest.config.mjs')) as { runsSlowSuites: typeof runsSlowSuites };
    const argvs = [[], ['run'], ['list', '--filesOnly'], ['run', 'windows'], ['run', '--reporter', 'verbose'], ['run', '-t', 'persist'], ['run', '--reporter=dot', 'x.test.ts'], ['run', '-t', 'a', 'b']];
    const envs = [{}, { CI: 'true' }, { CI: 'FALSE' }, { CI: '0' }, { CI: '' }, { UVX_SAFE_TEST_ALL: '1' }, { UVX_SAFE_TEST_ALL: '0' }];
    for (const argv of argvs) for (const env of envs) expect(config.runsSlowSuites(argv, env), `${argv.join(' ')} ${JSON.stringify(env)}`).toBe(runsSlowSuites(argv, env));
  });
});

describe('file filters on the command line', () => {
  it('are the words that are neither options, their values, nor vitest commands', () => {
    expect(fileFilters(['run'])).toEqual([]);
    expect(fileFilters(['list', '--filesOnly'])).toEqual([]);
    expect(fileFilters(['run', '--reporter', 'verbose', 'windows', '-t', 'persist', 'test/e2e/clients.test.ts'])).toEqual(['windows', 'test/e2e/clients.test.ts']);
    expect(fileFilters(['run', '--reporter=verbose', 'governed'])).toEqual(['governed']);
  });

  it('select a slow file by any part of its path, as vitest matches them', () => {
    const wine = SLOW_SUITES['Windows under Wine']!;
    expect(mayRun(wine, ['run', 'windows'], {})).toBe(true);
    expect(mayRun(wine, ['run', './test/e2e/env-persist-windows.test.ts'], {})).toBe(true);
    expect(mayRun(wine, ['run', 'test/unit/plan.test.ts'], { CI: 'true' })).toBe(false);
    expect(mayRun(wine, ['run'], {})).toBe(false);
    expect(mayRun(wine, ['run'], { CI: 'true' })).toBe(true);
  });
});
