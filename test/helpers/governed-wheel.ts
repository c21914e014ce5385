// The governed uv wheel for the e2e tests: built by `safe wheel` from the real uv wheel of PyPI and
// the standalone Linux executable (once for all files: testWheel), and the check that every route of
// a Python environment holding it (the `uv` script, `python -m uv`, `find_uv_bin()`) runs uvx-safe.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, inject } from 'vitest';
import { CACHE_DIR, LAUNCHER_BUNDLE } from './paths.js';
import { explain, runLauncher, runProgram, sandboxEnv } from './uv.js';

export const GOVERNED_WHEEL_NAME = /^uv-(\d+\.\d+\.\d+)\+uvxsafe\.1-py3-none-manylinux_2_17_x86_64\.manylinux2014_x86_64\.whl$/;

/** Builds the wheel into `out` (with a sandbox of its own under `scratch`); the wheel's path, or undefined without the Linux executable. */
async function buildTestWheel(out: string, scratch: string): Promise<string | undefined> {
  const exe = inject('linuxExe');
  if (!exe) return undefined;
  const r = await runLauncher(['safe', 'wheel', '--from', inject('uvWheel'), '--exe', exe, '--out', out], {
    env: sandboxEnv(scratch),
    timeoutMs: 120_000,
  });
  expect(r.exitCode, explain(r)).toBe(0);
  return r.stdout.trim();
}

/**
 * The wheel `safe wheel` makes of the pinned uv and this checkout's executable and bundles, built once
 * and kept in the test cache under a hash of all three (each build deflates ~150 MB; the suites that
 * install it share one). Files building at once wait for the first; undefined without the executable.
 */
export async function testWheel(): Promise<string | undefined> {
  const exe = inject('linuxExe');
  if (!exe) return undefined;
  const hash = createHash('sha256').update(inject('uvWheel'));
  for (const file of [exe, LAUNCHER_BUNDLE, path.join(path.dirname(LAUNCHER_BUNDLE), 'safe-commands.cjs')]) hash.update(fs.readFileSync(file));
  const dir = path.join(CACHE_DIR, `governed-wheel-${hash.digest('hex').slice(0, 16)}`);
  const built = () => (fs.existsSync(path.join(dir, 'built')) ? fs.readFileSync(path.join(dir, 'built'), 'utf8') : undefined);
  const lock = `${dir}.lock`;
  for (const deadline = Date.now() + 300_000; !built(); ) {
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another file is building it; a lock older than the build's own timeout was left by a killed run.
      const since = fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > 150_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${lock}: still held after 5 minutes; remove it if no test run is building the wheel`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    try {
      if (built()) break;
      // One wheel in the cache: an older build (another checkout state) goes.
      for (const old of fs.readdirSync(CACHE_DIR)) if (/^governed-wheel-[0-9a-f]{16}$/.test(old)) fs.rmSync(path.join(CACHE_DIR, old), { recursive: true, force: true });
      const wheel = await buildTestWheel(dir, `${dir}.scratch`);
      fs.rmSync(`${dir}.scratch`, { recursive: true, force: true });
      fs.writeFileSync(path.join(dir, 'built'), wheel!);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  return built();
}

/** Every way a client reaches uv through the package: the console script, `python -m uv`, find_uv_bin(). */
export function uvRoutes(venv: string): [string, string, string[]][] {
  const python = path.join(venv, 'bin', 'python');
  return [
    ['the uv script', path.join(venv, 'bin', 'uv'), []],
    ['python -m uv', python, ['-m', 'uv']],
    ['find_uv_bin()', python, ['-c', 'import subprocess, sys, uv; sys.exit(subprocess.call([uv.find_uv_bin(), *sys.argv[1:]]))']],
  ];
}

/** Each route says uv's version, and the debug lines show uvx-safe started as uv, running the uv the wheel carries. */
export async function expectRunsUvxSafe(venv: string, env: Record<string, string | undefined>, uvVersion: string, cwd: string): Promise<void> {
  for (const [what, file, args] of uvRoutes(venv)) {
    const r = await runProgram(file, [...args, '--version'], { env: { ...env, UVX_SAFE_DEBUG: '1' }, cwd });
    expect(r.exitCode, `${what}\n${explain(r)}`).toBe(0);
    expect(r.stdout, what).toBe(`uv ${uvVersion} (x86_64-unknown-linux-gnu)`);
    expect(r.stderr, `${what}: uvx-safe started`).toContain(`uvx-safe started as uv (${path.join(venv, 'bin', 'uv')}; standalone`);
    expect(r.stderr, `${what}: the real uv it carries`).toContain(`uv: ${path.join(venv, 'bin', '.uvx-safe-real-uv')} (the governed uv wheel's own uv`);
  }
}
