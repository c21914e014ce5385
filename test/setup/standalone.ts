// The standalone executables the e2e suites run beside the npm form (Linux; Windows under Wine): built from the current
// bundle when missing or stale (a content hash, so this costs ~0.1 s when nothing changed).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { LAUNCHER_BUNDLE, LINUX_EXE, REPO_ROOT, WINDOWS_EXE } from '../helpers/paths.js';

function buildExe(target: string): Promise<unknown> {
  return promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build-exe.mjs'), '--target', target, '--if-stale'], {
    cwd: REPO_ROOT,
  });
}

export async function ensureLinuxExe(): Promise<string | undefined> {
  // Tests that run plain uv must work before the launcher is built; those that need it say so.
  if (process.platform !== 'linux' || process.arch !== 'x64' || !fs.existsSync(LAUNCHER_BUNDLE)) return undefined;
  await buildExe('linux-x64');
  return LINUX_EXE;
}

/** The Windows executable, for the suite under Wine (test/e2e/windows.test.ts); Bun cross-compiles it. */
export async function ensureWindowsExe(): Promise<string | undefined> {
  if (!fs.existsSync(LAUNCHER_BUNDLE)) return undefined;
  await buildExe('win-x64');
  return WINDOWS_EXE;
}
