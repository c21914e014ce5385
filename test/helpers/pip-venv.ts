// A venv with pip in it, as `python -m venv` makes one, for the tests whose subject is pip or a
// client pip installs. ensurepip installs and byte-compiles pip (and setuptools on 3.11): ~7 s of CPU
// per venv here, the largest cost of the governed-wheel suites. The real uv (not the launcher: this is
// set-up, not a subject) makes the venv and installs the very wheels that ensurepip bundles,
// offline, in a fraction of that. A Python without the bundled wheel (Debian's, without python3-venv's
// wheels) falls back to `python -m venv`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { explain, getPython, getUv, runProgram } from './uv.js';

let bundled: string | null | undefined;

/** The folder of the pip wheel ensurepip bundles with the machine's Python, or null. */
function bundledPipFolder(): string | null {
  if (bundled !== undefined) return bundled;
  const r = spawnSync(getPython(), ['-I', '-c', 'import ensurepip, os; print(os.path.dirname(ensurepip.__file__))'], { encoding: 'utf8' });
  const dir = r.status === 0 ? path.join(r.stdout.trim(), '_bundled') : undefined;
  bundled = dir && fs.existsSync(dir) && fs.readdirSync(dir).some((f) => /^pip-.*\.whl$/.test(f)) ? dir : null;
  return bundled;
}

/** Makes `dir` a venv of the machine's Python with pip installed; returns `dir`. */
export async function makePipVenv(dir: string): Promise<string> {
  const wheels = bundledPipFolder();
  const env = { PATH: '/usr/bin:/bin' };
  if (!wheels) {
    const r = await runProgram(getPython(), ['-m', 'venv', dir], { env, cwd: path.dirname(dir), timeoutMs: 120_000 });
    expect(r.exitCode, explain(r)).toBe(0);
    return dir;
  }
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-pip-venv-'));
  try {
    const uvEnv = { ...env, UV_CACHE_DIR: cache, UV_NO_CONFIG: '1', UV_OFFLINE: '1', UV_PYTHON_DOWNLOADS: 'never' };
    let r = await runProgram(getUv(), ['venv', '--quiet', '--python', getPython(), dir], { env: uvEnv, cwd: path.dirname(dir) });
    expect(r.exitCode, explain(r)).toBe(0);
    const python = path.join(dir, 'bin', 'python');
    // What ensurepip installs: every wheel it bundles (pip; setuptools too before Python 3.12).
    const bundledNames = fs.readdirSync(wheels).filter((f) => f.endsWith('.whl')).map((f) => f.split('-')[0]!);
    r = await runProgram(getUv(), ['pip', 'install', '--quiet', '--python', python, '--no-index', '--find-links', wheels, ...bundledNames], { env: uvEnv, cwd: path.dirname(dir) });
    expect(r.exitCode, explain(r)).toBe(0);
    return dir;
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
}
