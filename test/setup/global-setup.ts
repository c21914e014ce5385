// Runs once before all test files: resolves the real uv and python3 and builds the test
// wheels, then hands their paths to the tests (inject('uvPath') etc., see provided-context.d.ts).
// The launcher bundle is deliberately not checked here: tests that run plain uv must work
// before the launcher exists; runLauncher() checks for dist/ itself.
import type { TestProject } from 'vitest/node';
import { CACHE_DIR, FIXTURES_SRC, WINDOWS_FIXTURES_SRC } from '../helpers/paths.js';
import { ensureFixtureWheels } from './fixture-wheels.js';
import { guardMachinePython } from './machine-python-guard.js';
import { resolvePython } from './python.js';
import { ensureTestShells } from './shells.js';
import { resolveArgvCheckUvs, resolveUv, UV_PIN } from './uv-binary.js';
import { ensureRelease, missingReleaseTools, releaseTestsSelected } from './release.js';
import { ensureLinuxExe, ensureWindowsExe } from './standalone.js';
import { ensureUvWheel } from './uv-wheel.js';
import { ensureWineBed, missingWineTools } from './wine-bed.js';
import { IN_CI } from '../helpers/system-tools.js';
import { guardHostAdminFile, HOST_ADMIN_FILE, wineAdminFile } from './admin-file-guard.js';

export default async function setup(project: TestProject): Promise<() => void> {
  guardHostAdminFile([HOST_ADMIN_FILE]);
  const python = await resolvePython();
  const checkMachinePython = await guardMachinePython(python);
  const uv = await resolveUv(CACHE_DIR, python);
  const wheelsDir = await ensureFixtureWheels(CACHE_DIR, FIXTURES_SRC, python);
  const argvCheckUvs = await resolveArgvCheckUvs(CACHE_DIR, python, uv);
  await ensureTestShells();
  const linuxExe = await ensureLinuxExe();
  const uvWheel = await ensureUvWheel(CACHE_DIR, UV_PIN, python);
  const wineMissing = missingWineTools();
  if (wineMissing && IN_CI) throw new Error(`CI=${process.env.CI}: ${wineMissing}`);
  if (wineMissing) console.warn(`[global-setup] ${wineMissing}`);
  const wineBed = wineMissing ? undefined : await ensureWineBed(CACHE_DIR, WINDOWS_FIXTURES_SRC, python);
  if (wineBed) guardHostAdminFile([wineAdminFile(wineBed.prefix)]);
  if (wineBed) await ensureWindowsExe();
  const releaseMissing = missingReleaseTools();
  if (releaseMissing && IN_CI) throw new Error(`CI=${process.env.CI}: ${releaseMissing}`);
  if (releaseMissing) console.warn(`[global-setup] ${releaseMissing}`);
  // A release takes minutes to build after each change of the sources: only when a release test runs.
  const release = releaseMissing || !releaseTestsSelected() ? undefined : await ensureRelease(CACHE_DIR);

  project.provide('uvPath', uv.path);
  project.provide('uvVersion', uv.version);
  project.provide('pythonPath', python);
  project.provide('wheelsDir', wheelsDir);
  project.provide('linuxExe', linuxExe ?? '');
  project.provide('argvCheckUvs', argvCheckUvs);
  project.provide('uvWheel', uvWheel);
  project.provide('wineBed', wineBed ?? null);
  project.provide('wineMissing', wineMissing ?? null);
  project.provide('release', release ?? null);
  project.provide('releaseMissing', releaseMissing ?? (release ? null : 'the release was not built: no release test file was named on the command line'));
  return checkMachinePython;
}
