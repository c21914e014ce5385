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
import { ensureRelease, missingReleaseTools } from './release.js';
import { mayRun, runsSlowSuites, SLOW_SUITES } from './suites.js';
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
  if (!runsSlowSuites())
    console.log(
      `[test] left out, as in every local \`npm test\` (CI and \`npm run test:all\` run them): ${Object.keys(SLOW_SUITES).join('; ')}`,
    );
  // The Wine bed and the Windows executable (rebuilt after each change of the sources) only for a run
  // that takes a Windows suite; likewise the release, which takes minutes to build.
  const release = SLOW_SUITES['the release (MSI, .deb, npm package; built after each change of the sources)']!;
  const wineWanted = mayRun([...SLOW_SUITES['Windows under Wine']!, ...release.filter((f) => f.includes('msi'))]);
  const wineMissing = wineWanted ? missingWineTools() : 'no Windows suite in this run';
  if (wineWanted && wineMissing && IN_CI) throw new Error(`CI=${process.env.CI}: ${wineMissing}`);
  if (wineWanted && wineMissing) console.warn(`[global-setup] ${wineMissing}`);
  const wineBed = wineMissing ? undefined : await ensureWineBed(CACHE_DIR, WINDOWS_FIXTURES_SRC, python);
  if (wineBed) guardHostAdminFile([wineAdminFile(wineBed.prefix)]);
  if (wineBed) await ensureWindowsExe();
  const releaseWanted = mayRun(release);
  const releaseMissing = releaseWanted ? missingReleaseTools() : 'no release test in this run';
  if (releaseWanted && releaseMissing && IN_CI) throw new Error(`CI=${process.env.CI}: ${releaseMissing}`);
  if (releaseWanted && releaseMissing) console.warn(`[global-setup] ${releaseMissing}`);
  const releaseBuild = releaseMissing ? undefined : await ensureRelease(CACHE_DIR);

  project.provide('uvPath', uv.path);
  project.provide('uvVersion', uv.version);
  project.provide('pythonPath', python);
  project.provide('wheelsDir', wheelsDir);
  project.provide('linuxExe', linuxExe ?? '');
  project.provide('argvCheckUvs', argvCheckUvs);
  project.provide('uvWheel', uvWheel);
  project.provide('wineBed', wineBed ?? null);
  project.provide('wineMissing', wineMissing ?? null);
  project.provide('release', releaseBuild ?? null);
  project.provide('releaseMissing', releaseMissing ?? null);
  return checkMachinePython;
}
