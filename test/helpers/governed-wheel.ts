// The governed uv wheel for the e2e tests: built once per file by `safe wheel` from the real uv wheel
// of PyPI and the standalone Linux executable, and the check that every route of a Python
// environment holding it (the `uv` script, `python -m uv`, `find_uv_bin()`) runs uvx-safe.
import path from 'node:path';
import { expect, inject } from 'vitest';
import { explain, runLauncher, runProgram, sandboxEnv } from './uv.js';

export const GOVERNED_WHEEL_NAME = /^uv-(\d+\.\d+\.\d+)\+uvxsafe\.1-py3-none-manylinux_2_17_x86_64\.manylinux2014_x86_64\.whl$/;

/** Builds the wheel into `out` (with a sandbox of its own under `scratch`); the wheel's path, or undefined without the Linux executable. */
export async function buildTestWheel(out: string, scratch: string): Promise<string | undefined> {
  const exe = inject('linuxExe');
  if (!exe) return undefined;
  const r = await runLauncher(['safe', 'wheel', '--from', inject('uvWheel'), '--exe', exe, '--out', out], {
    env: sandboxEnv(scratch),
    timeoutMs: 120_000,
  });
  expect(r.exitCode, explain(r)).toBe(0);
  return r.stdout.trim();
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
