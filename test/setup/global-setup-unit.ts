// The global setup of the unit tests alone (vitest.mutation.config.mts, which Stryker starts once per
// worker): only what test/unit reads through inject() -- the real uv, python3, the fixture wheels and the
// uv releases the argv tables are checked against. The full set-up (test/setup/global-setup.ts) also
// builds the standalone executables, the Wine bed and the release, which only the e2e tests use and which
// take minutes in a fresh clone. A unit test that injects anything else gets undefined and fails loudly.
import type { TestProject } from 'vitest/node';
import { CACHE_DIR, FIXTURES_SRC } from '../helpers/paths.js';
import { ensureFixtureWheels } from './fixture-wheels.js';
import { guardMachinePython } from './machine-python-guard.js';
import { resolvePython } from './python.js';
import { resolveArgvCheckUvs, resolveUv } from './uv-binary.js';

export default async function setup(project: TestProject): Promise<() => void> {
  const python = await resolvePython();
  const checkMachinePython = await guardMachinePython(python);
  const uv = await resolveUv(CACHE_DIR, python);
  project.provide('uvPath', uv.path);
  project.provide('uvVersion', uv.version);
  project.provide('pythonPath', python);
  project.provide('wheelsDir', await ensureFixtureWheels(CACHE_DIR, FIXTURES_SRC, python));
  project.provide('argvCheckUvs', await resolveArgvCheckUvs(CACHE_DIR, python, uv));
  return checkMachinePython;
}
