// The forms uvx-safe ships on this platform, for suites that must hold for each of them: the npm
// form (Node running bin/uvx-safe) and the standalone executable (Bun-compiled, npm run build:exe).
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { LAUNCHER, LAUNCHER_BUNDLE } from './paths.js';
import { skipOrFail } from './system-tools.js';

export interface LauncherForm {
  name: 'npm' | 'linux-exe';
  /** Why this form cannot run on this machine (see needForm). */
  missing?: string;
  /** The program and leading arguments that start uvx-safe in this form. */
  command(args: readonly string[]): [file: string, args: string[]];
  /**
   * Puts an entry named `name` (uv, uvx) into `dir` that runs this form under that name, as a shim
   * install would: a symlink to bin/uvx-safe for npm (Node takes the link's name), a hard link to
   * the executable for the standalone form (it names itself by its own file).
   */
  linkAs(dir: string, name: string): string;
}

const npmForm: LauncherForm = {
  name: 'npm',
  command: (args) => [process.execPath, [LAUNCHER, ...args]],
  linkAs(dir, name) {
    const file = path.join(dir, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.rmSync(file, { force: true });
    fs.symlinkSync(LAUNCHER, file);
    return file;
  },
};

function exeForm(exe: string): LauncherForm {
  return {
    name: 'linux-exe',
    command: (args) => [exe, [...args]],
    linkAs(dir, name) {
      const file = path.join(dir, name);
      fs.mkdirSync(dir, { recursive: true });
      fs.rmSync(file, { force: true });
      try {
        fs.linkSync(exe, file);
      } catch {
        fs.copyFileSync(exe, file); // another file system: a copy is a shim too
        fs.chmodSync(file, 0o755);
      }
      return file;
    },
  };
}

/**
 * Every form shipped for this machine; the standalone one needs the global setup's build. Off
 * linux-x64 the executable's tests are there but skip (fail in CI) through `needForm`. The mutation
 * run (stryker.e2e.config.mjs) sets UVX_SAFE_TEST_FORMS=npm: both forms run the same bundle.
 */
export function launcherForms(): LauncherForm[] {
  const only = process.env.UVX_SAFE_TEST_FORMS?.split(',');
  const wanted = (name: LauncherForm['name']) => !only || only.includes(name);
  return [...(wanted('npm') ? [npmForm] : []), ...(wanted('linux-exe') ? [linuxExeForm()] : [])];
}

function linuxExeForm(): LauncherForm {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    const why = `the standalone executable is built and tested on linux-x64 only (this machine: ${process.platform}-${process.arch})`;
    return { ...exeForm('uvx-safe-linux-x64 (not built here)'), missing: why };
  }
  const exe = inject('linuxExe');
  if (!exe || !fs.existsSync(exe))
    throw new Error(`the standalone executable was not built (no ${LAUNCHER_BUNDLE}?): run \`npm run build\` first`);
  return exeForm(exe);
}

/** Call first in a test of `form` (or its beforeEach): skips with one line, or fails in CI, where it cannot run. */
export function needForm(ctx: { skip: (note?: string) => void }, form: LauncherForm): void {
  if (form.missing) skipOrFail(ctx, form.missing);
}

export const NPM_FORM = npmForm;
