// `safe shims install|uninstall` with the standalone Linux executable: the shims are hard links to
// it (copies on another file system), named uv and uvx, and run the real uv found later on PATH.
// The npm form installs the executable named with --exe. (Windows: the Wine suite.)
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launcherForms, needForm, NPM_FORM, type LauncherForm } from '../helpers/forms.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { explain, getUv, runLauncher, runProgram, sandboxEnv, type RunResult, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';
import { expectRefused } from '../helpers/refusal.js';

const exeForm = launcherForms().find((f) => f.name === 'linux-exe');
const EXE = exeForm ? exeForm.command([])[0] : '';
// The executable is missing only off linux-x64 (needForm skips with one line, fails in CI) or when
// UVX_SAFE_TEST_FORMS leaves it out on purpose.

let root: string;
let env: SandboxEnv;
let shimDir: string;
beforeEach(async () => {
  root = await makeTempDir('uvx-safe-shims-exe-');
  env = sandboxEnv(path.join(root, 'sandbox'));
  shimDir = path.join(root, 'shims');
});
afterEach(() => fs.promises.rm(root, { recursive: true, force: true }));

const uvDir = () => path.dirname(getUv());
const PATH = () => [shimDir, uvDir(), env.PATH].join(':');
const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const inode = (file: string) => fs.statSync(file).ino;

function shims(form: LauncherForm, ...args: string[]): Promise<RunResult> {
  return runLauncher(['safe', 'shims', ...args], { env: { ...env, PATH: PATH() }, uv: 'none', form });
}

/** Run a command by name, as a shell finds it on PATH. */
function byName(command: string, args: string[]): Promise<RunResult> {
  return runProgram('/bin/sh', ['-c', `exec ${command} "$@"`, command, ...args], { env: { ...env, PATH: PATH(), UVX_SAFE_DEBUG: '1' } });
}

describe.runIf(exeForm)('shims from the standalone executable', () => {
  beforeEach((ctx) => needForm(ctx, exeForm!));
  it('install makes uv and uvx hard links to the executable; they run the real uv as uv and uvx; again: unchanged', async () => {
    const first = await shims(exeForm!, 'install', '--dir', shimDir);
    expect(first.exitCode, explain(first)).toBe(0);
    expect(first.stderr, explain(first)).toBe('');
    expect(lines(first.stdout)).toEqual([`installed ${path.join(shimDir, 'uv')}`, `installed ${path.join(shimDir, 'uvx')}`]);
    for (const name of ['uv', 'uvx']) expect(inode(path.join(shimDir, name))).toBe(inode(EXE));

    for (const [name, real] of [['uv', getUv()], ['uvx', path.join(uvDir(), 'uvx')]] as const) {
      const direct = await runProgram(real, ['--version'], { env });
      const via = await byName(name, ['--version']);
      expect(via.exitCode, explain(via)).toBe(0);
      expect(via.stdout).toBe(direct.stdout);
      expect(via.stderr).toContain(`started as ${name} (${path.join(shimDir, name)}; standalone`);
      expect(via.stderr).toContain(`passed over ${path.join(shimDir, 'uv')}: uvx-safe itself`);
    }

    // Run from the shim itself: still the same program, nothing to do.
    const again = await runProgram(path.join(shimDir, 'uv'), ['safe', 'shims', 'install', '--dir', shimDir], { env: { ...env, PATH: PATH() } });
    expect(again.exitCode, explain(again)).toBe(0);
    expect(lines(again.stdout)).toEqual([`unchanged ${path.join(shimDir, 'uv')}`, `unchanged ${path.join(shimDir, 'uvx')}`]);

    const removed = await shims(exeForm!, 'uninstall', '--dir', shimDir);
    expect(removed.exitCode, explain(removed)).toBe(0);
    expect(fs.readdirSync(shimDir)).toEqual([]);
    expect(fs.existsSync(EXE)).toBe(true);
  });

  it('replaces an older shim of ours (a script from the npm form) and refuses a real uv, writing nothing', async () => {
    expect((await shims(NPM_FORM, 'install', '--dir', shimDir)).exitCode).toBe(0);
    const updated = await shims(exeForm!, 'install', '--dir', shimDir);
    expect(lines(updated.stdout), explain(updated)).toEqual([`updated ${path.join(shimDir, 'uv')}`, `updated ${path.join(shimDir, 'uvx')}`]);
    expect(inode(path.join(shimDir, 'uvx'))).toBe(inode(EXE));

    const other = path.join(root, 'other');
    fs.mkdirSync(other);
    fs.copyFileSync(getUv(), path.join(other, 'uvx'));
    const refused = await runLauncher(['safe', 'shims', 'install', '--dir', other], { env, uv: 'none', form: exeForm });
    const refusal = expectRefused(refused, 'move it away or choose another --dir');
    expect(refusal.message).toBe(`refusing to overwrite ${path.join(other, 'uvx')}: it is not a uvx-safe shim (a real uv?) (nothing was written)`);
    expect(fs.readdirSync(other)).toEqual(['uvx']);
  });

  it('the npm form installs the executable named with --exe, and refuses a --exe that is not one', async () => {
    const r = await shims(NPM_FORM, 'install', '--dir', shimDir, '--exe', EXE);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(inode(path.join(shimDir, 'uv'))).toBe(inode(EXE));
    const via = await byName('uv', ['--version']);
    expect(via.stderr, explain(via)).toContain('standalone');

    const bad = await shims(NPM_FORM, 'install', '--dir', path.join(root, 'bad'), '--exe', getUv());
    expect(expectRefused(bad, 'npm run build:exe').message).toBe(`--exe ${getUv()}: not a standalone uvx-safe executable`);
    expect(fs.existsSync(path.join(root, 'bad'))).toBe(false);
  });

  it('copies the executable where no hard link is possible (another file system)', async (ctx) => {
    const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'size=300m,mode=755', 'tmpfs', (fs.mkdirSync(shimDir), shimDir)], { reject: false });
    if (mounted.exitCode !== 0) skipOrFail(ctx, `cannot mount a tmpfs (needs root): ${mounted.stderr.trim()}`);
    try {
      const r = await shims(exeForm!, 'install', '--dir', shimDir);
      expect(r.exitCode, explain(r)).toBe(0);
      expect(lines(r.stdout)[0]).toBe(`installed ${path.join(shimDir, 'uv')} (a copy: no hard link possible there)`);
      expect(inode(path.join(shimDir, 'uv'))).not.toBe(inode(EXE));
      const via = await byName('uvx', ['--version']);
      expect(via.exitCode, explain(via)).toBe(0);
      expect(via.stderr).toContain(`passed over ${path.join(shimDir, 'uv')}: uvx-safe itself`);
      const again = await shims(exeForm!, 'install', '--dir', shimDir);
      expect(lines(again.stdout)).toEqual([`unchanged ${path.join(shimDir, 'uv')}`, `unchanged ${path.join(shimDir, 'uvx')}`]);
    } finally {
      await execa('umount', [shimDir], { reject: false });
    }
  });
});
