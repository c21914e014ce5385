// `uvx-safe safe shims install|uninstall --dir D` with the real uv: the shims run uvx-safe, which
// runs the real uv found later on PATH; a real uv in D is never overwritten or removed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAUNCHER, LAUNCHER_BUNDLE } from '../helpers/paths.js';
import { explain, getUv, runLauncher, runProgram, sandboxEnv, type RunResult, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';
import { renderPosixShim } from '../../src/shims/script.js';
import { expectRefused } from '../helpers/refusal.js';

let root: string;
let env: SandboxEnv;
let shimDir: string;

beforeEach(async () => {
  root = await makeTempDir('uvx-safe-shims-');
  env = sandboxEnv(path.join(root, 'sandbox'));
  shimDir = path.join(root, 'shims');
});

afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

const uvDir = () => path.dirname(getUv());
const realUvx = () => path.join(uvDir(), 'uvx');
/** The sandbox PATH with `dirs` in front. */
const pathWith = (...dirs: string[]) => [...dirs, env.PATH].join(':');

function shims(action: 'install' | 'uninstall', PATH: string, dir = shimDir): Promise<RunResult> {
  return runLauncher(['safe', 'shims', action, '--dir', dir], { env: { ...env, PATH }, uv: 'none' });
}

/** Run a command by name, as a shell finds it on PATH. */
function byName(command: string, args: string[], PATH: string, extra: Record<string, string> = {}): Promise<RunResult> {
  return runProgram('/bin/sh', ['-c', `exec ${command} "$@"`, command, ...args], { env: { ...env, ...extra, PATH } });
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('safe shims install', () => {
  it('is idempotent, and uv/uvx through the shims run the real uv as uv and as uvx', async () => {
    const PATH = pathWith(shimDir, uvDir());
    const first = await shims('install', PATH);
    expect(first.exitCode, explain(first)).toBe(0);
    expect(first.stderr, explain(first)).toBe('');
    const text = fs.readFileSync(path.join(shimDir, 'uv'), 'utf8');
    const second = await shims('install', PATH);
    expect(second.exitCode, explain(second)).toBe(0);
    expect(second.stderr, explain(second)).toBe('');
    expect(second.stdout).toContain(`unchanged ${path.join(shimDir, 'uv')}`);
    expect(fs.readFileSync(path.join(shimDir, 'uv'), 'utf8')).toBe(text);
    expect(fs.readdirSync(shimDir).sort()).toEqual(['uv', 'uvx']);

    for (const [name, real] of [['uv', getUv()], ['uvx', realUvx()]] as const) {
      const expected = await runProgram(real, ['--version'], { env });
      const viaShim = await byName(name, ['--version'], PATH, { UVX_SAFE_DEBUG: '1' });
      expect(viaShim.exitCode, explain(viaShim)).toBe(0);
      expect(viaShim.stdout, explain(viaShim)).toBe(expected.stdout);
      // It went through uvx-safe, which passed over the shim and started the real uv.
      expect(viaShim.stderr, explain(viaShim)).toContain(`debug: uvx-safe: uv: ${getUv()} (PATH entry ${uvDir()})`);
      expect(viaShim.stderr, explain(viaShim)).toContain(`passed over ${path.join(shimDir, 'uv')}: uvx-safe itself`);
    }

    const uvHelp = await byName('uv', ['--help'], PATH);
    const uvxHelp = await byName('uvx', ['--help'], PATH);
    const realUvxHelp = await runProgram(realUvx(), ['--help'], { env });
    expect(uvxHelp.exitCode, explain(uvxHelp)).toBe(0);
    expect(lines(uvxHelp.stdout)[0]).toBe(lines(realUvxHelp.stdout)[0]);
    expect(lines(uvxHelp.stdout)[0]).not.toBe(lines(uvHelp.stdout)[0]);
  });

  it('refuses, exit 2 and one line, to overwrite a real uv in D, and writes nothing', async () => {
    fs.mkdirSync(shimDir);
    const copy = path.join(shimDir, 'uv');
    fs.copyFileSync(getUv(), copy);
    fs.chmodSync(copy, 0o755);
    const before = sha256(copy);
    const r = await shims('install', pathWith(shimDir, uvDir()));
    expect(expectRefused(r, 'move it away or choose another --dir').message).toBe(
      `refusing to overwrite ${copy}: it is not a uvx-safe shim (a real uv?) (nothing was written)`,
    );
    expect(sha256(copy)).toBe(before);
    expect(fs.readdirSync(shimDir)).toEqual(['uv']);
  });

  it('replaces an older symlink shim of its own with the current shim', async () => {
    fs.mkdirSync(shimDir);
    fs.symlinkSync(path.resolve(LAUNCHER_BUNDLE, '..', '..', 'bin', 'uvx-safe'), path.join(shimDir, 'uv'));
    const r = await shims('install', pathWith(shimDir, uvDir()));
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toContain(`updated ${path.join(shimDir, 'uv')}`);
    expect(fs.lstatSync(path.join(shimDir, 'uv')).isFile()).toBe(true);
  });

  it('warns, one line, when D is not on PATH', async () => {
    const r = await shims('install', pathWith(uvDir()));
    expect(r.exitCode, explain(r)).toBe(0);
    expect(lines(r.stderr), explain(r)).toEqual([
      `warning: uvx-safe: ${shimDir} is not on PATH, so "uv" and "uvx" do not run the shims yet; add it to PATH before the real uv`,
    ]);
    expect(fs.readdirSync(shimDir).sort()).toEqual(['uv', 'uvx']);
  });

  it('warns, one line, when D comes after the real uv', async () => {
    const r = await shims('install', pathWith(uvDir(), shimDir));
    expect(r.exitCode, explain(r)).toBe(0);
    expect(lines(r.stderr), explain(r)).toEqual([
      `warning: uvx-safe: ${shimDir} comes after ${getUv()} and ${realUvx()} on PATH, so those run instead of the shims; put ${shimDir} earlier on PATH`,
    ]);
  });

  it('with only the shim on PATH, uv fails at once (no loop): exit 2, one line, real uv not found', async () => {
    const PATH = pathWith(shimDir);
    // The machine's own PATH folders must hold no uv, or this would find it.
    for (const dir of env.PATH.split(':')) expect(fs.existsSync(path.join(dir, 'uv')), `a uv in ${dir}`).toBe(false);
    const install = await shims('install', PATH);
    expect(install.exitCode, explain(install)).toBe(0);
    // A shim that starts itself again and again would be killed at runProgram's bound: no exit code.
    const r = await byName('uv', ['--version'], PATH);
    expectRefused(r, 'the real uv was not found on PATH');
  });

  it('falls back to a /bin/sh shim when node’s path cannot go on a #! line', async () => {
    const nodeDir = path.join(root, 'node with space');
    fs.mkdirSync(nodeDir);
    fs.symlinkSync(process.execPath, path.join(nodeDir, 'node'));
    fs.mkdirSync(shimDir);
    const text = renderPosixShim({ node: path.join(nodeDir, 'node'), loader: LAUNCHER });
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    fs.writeFileSync(path.join(shimDir, 'uvx'), text, { mode: 0o755 });
    const expected = await runProgram(realUvx(), ['--version'], { env });
    const r = await byName('uvx', ['--version'], pathWith(shimDir, uvDir()));
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toBe(expected.stdout);
    // install recognises it as its own: rewritten, not refused.
    const again = await shims('install', pathWith(shimDir, uvDir()));
    expect(again.exitCode, explain(again)).toBe(0);
    expect(again.stdout).toContain(`updated ${path.join(shimDir, 'uvx')}`);
  });
});

describe('safe shims uninstall', () => {
  it('removes only its own shims and leaves unrelated files and a real uv', async () => {
    const PATH = pathWith(shimDir, uvDir());
    expect((await shims('install', PATH)).exitCode).toBe(0);
    const other = path.join(shimDir, 'notes.txt');
    fs.writeFileSync(other, 'not ours\n');
    const r = await shims('uninstall', PATH);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stderr, explain(r)).toBe('');
    expect(fs.readdirSync(shimDir)).toEqual(['notes.txt']);
    expect(fs.readFileSync(other, 'utf8')).toBe('not ours\n');

    const copy = path.join(shimDir, 'uv');
    fs.copyFileSync(getUv(), copy);
    const before = sha256(copy);
    const again = await shims('uninstall', PATH);
    expect(again.exitCode, explain(again)).toBe(0);
    expect(lines(again.stderr), explain(again)).toEqual([
      `warning: uvx-safe: left ${copy} alone: it is not a uvx-safe shim (a real uv?)`,
    ]);
    expect(sha256(copy)).toBe(before);
    expect(fs.readdirSync(shimDir).sort()).toEqual(['notes.txt', 'uv']);
  });
});
