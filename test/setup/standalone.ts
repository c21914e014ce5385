// The standalone Linux executable the e2e suites run beside the npm form: built from the current
// bundle when missing or stale (a content hash, so this costs ~0.1 s when nothing changed).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { LAUNCHER_BUNDLE, LINUX_EXE, REPO_ROOT } from '../helpers/paths.js';

export async function ensureLinuxExe(): Promise<string | undefined> {
  // Tests that run plain uv must work before the launcher is built; those that need it say so.
  if (process.platform !== 'linux' || process.arch !== 'x64' || !fs.existsSync(LAUNCHER_BUNDLE)) return undefined;
  await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build-exe.mjs'), '--target', 'linux-x64', '--if-stale'], {
    cwd: REPO_ROOT,
  });
  return LINUX_EXE;
}
