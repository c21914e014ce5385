// `safe doctor` on a machine seeded with every bypass of issue 17 (real uv binaries where clients
// find them) names each one with the command that fixes it, tells the governed uv wheel from a real
// uv, and says whether the relocation is in effect for programs that bypass the shims; on the same
// machine without them it says there is none.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/types.js';
import { writeLines } from '../helpers/refusal.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { explain, getUv, runLauncher, runProgram, sandboxEnv, type SandboxEnv } from '../helpers/uv.js';
import { makePipVenv } from '../helpers/pip-venv.js';
import { makeTempDir } from '../helpers/workspace.js';

let root: string;
let base: SandboxEnv;
/** A folder holding uvx-safe shims (`safe shims install --dir`). */
let shims: string;
/** A venv whose python has no uv package, for python3 on PATH. */
let cleanPython: string;

async function venv(dir: string, withRealUv: boolean): Promise<void> {
  await makePipVenv(dir);
  if (!withRealUv) return;
  const r = await runProgram(path.join(dir, 'bin', 'python'), ['-m', 'pip', 'install', '--no-index', '--no-deps', inject('uvWheel')], {
    env: { PATH: '/usr/bin:/bin', PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
    cwd: root,
    timeoutMs: 120_000,
  });
  expect(r.exitCode, explain(r)).toBe(0);
}

function realUvAt(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(getUv(), file);
  fs.chmodSync(file, 0o755);
}

beforeAll(async () => {
  root = fs.realpathSync(await makeTempDir('uvx-safe-bypass-'));
  base = sandboxEnv(path.join(root, 'sandbox'));
  fs.mkdirSync(path.join(root, 'allowed'));
  const policy = path.join(root, 'policy.toml');
  writeLines(policy, ['mode = "enforce"', `allowed-roots = [${JSON.stringify(path.join(root, 'allowed'))}]`, `data-root = ${JSON.stringify(path.join(root, 'allowed', 'data'))}`]);
  base = { ...base, UVX_SAFE_SYSTEM_CONFIG: policy, PRE_COMMIT_HOME: path.join(root, 'pre-commit-home'), PIPX_HOME: path.join(root, 'pipx-home') };
  shims = path.join(root, 'shims');
  const r = await runLauncher(['safe', 'shims', 'install', '--dir', shims], { env: base });
  expect(r.exitCode, explain(r)).toBe(0);
  cleanPython = path.join(root, 'clean-venv');
  await venv(cleanPython, false);
}, 300_000);

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function doctor(env: Record<string, string | undefined>): Promise<DoctorReport> {
  const r = await runLauncher(['safe', 'doctor', '--json'], { env, uv: 'env', timeoutMs: 120_000 });
  expect(r.stdout, explain(r)).not.toBe('');
  return JSON.parse(r.stdout) as DoctorReport;
}

describe('safe doctor finds every bypass', () => {
  it('with none on the machine, says so', { timeout: 180_000 }, async () => {
    const report = await doctor({ ...base, PATH: [shims, path.join(cleanPython, 'bin'), base.PATH].join(':') });
    expect(report.callers, JSON.stringify(report.callers, null, 1)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'callers.none')?.message).toBe('no uv that a client would start instead of uvx-safe');
    const relocation = report.checks.find((c) => c.id === 'relocation.persisted')!;
    expect(relocation.message).toContain('fix: uvx-safe safe env --persist');
  });

  it('on a machine seeded with each, names every one with its fix, and the governed wheel as governed', { timeout: 300_000 }, async (ctx) => {
    const exe = inject('linuxExe');
    if (!exe) skipOrFail(ctx, 'the standalone Linux executable was not built (linux-x64 only)');
    // A real uv on PATH before the shims (a folder of its own), an activated .venv holding uv, pipx's own
    // environment (pipx[uv]), a pre-commit hook environment that installed uv, python3 whose uv package is real.
    const early = path.join(root, 'early-bin');
    realUvAt(path.join(early, 'uv'));
    const activated = path.join(root, 'project', '.venv');
    realUvAt(path.join(activated, 'bin', 'uv'));
    fs.writeFileSync(path.join(activated, 'pyvenv.cfg'), 'home = /usr/bin\n');
    const pipxEnv = path.join(root, 'pipx-own');
    realUvAt(path.join(pipxEnv, 'bin', 'uv'));
    fs.writeFileSync(path.join(pipxEnv, 'bin', 'pipx'), '#!/bin/sh\n', { mode: 0o755 });
    const links = path.join(root, 'links');
    fs.mkdirSync(links);
    fs.symlinkSync(path.join(pipxEnv, 'bin', 'pipx'), path.join(links, 'pipx'));
    const hook = path.join(base.PRE_COMMIT_HOME!, 'repoq1w2e3', 'py_env-python3');
    realUvAt(path.join(hook, 'bin', 'uv'));
    const withUv = path.join(root, 'python-with-uv');
    await venv(withUv, true);
    // A pipx venv holding the governed wheel: the launcher as bin/uv, the real uv beside it.
    const governed = path.join(base.PIPX_HOME!, 'venvs', 'tool-with-governed-uv', 'bin');
    fs.mkdirSync(governed, { recursive: true });
    fs.copyFileSync(exe, path.join(governed, 'uv'));
    fs.chmodSync(path.join(governed, 'uv'), 0o755);
    realUvAt(path.join(governed, '.uvx-safe-real-uv'));

    const report = await doctor({
      ...base,
      VIRTUAL_ENV: activated,
      PATH: [early, shims, links, path.join(withUv, 'bin'), base.PATH].join(':'),
    });
    const byPath = new Map(report.callers.map((c) => [c.path, c]));
    const expectBypass = (file: string, caller: string, fix: string) => {
      const found = byPath.get(file);
      expect(found, `${file} in ${JSON.stringify(report.callers, null, 1)}`).toBeDefined();
      expect(found).toMatchObject({ throughUvxSafe: false, caller: expect.stringContaining(caller), fix: expect.stringContaining(fix) });
      const check = report.checks.find((c) => c.label === 'callers' && c.message.includes(file))!;
      expect(check.status).toBe('warn');
    };
    expectBypass(path.join(early, 'uv'), 'the first uv on PATH, before the uvx-safe shims', `put the uvx-safe shims folder before ${early} on PATH`);
    expectBypass(path.join(activated, 'bin', 'uv'), 'the activated environment', `uvx-safe safe shims install --venv ${activated}`);
    expectBypass(path.join(pipxEnv, 'bin', 'uv'), "pipx's environment", `uvx-safe safe shims install --venv ${pipxEnv}`);
    expectBypass(path.join(hook, 'bin', 'uv'), 'pre-commit hook environment repoq1w2e3/py_env-python3', 'publish the governed uv wheel');
    expectBypass(path.join(withUv, 'bin', 'uv'), `python -m uv (${path.join(withUv, 'bin', 'python3')})`, `uvx-safe safe shims install --venv ${withUv}`);
    expect(byPath.get(path.join(governed, 'uv'))).toMatchObject({ throughUvxSafe: true, note: 'the governed uv wheel', caller: 'pipx venv tool-with-governed-uv' });
    const relocation = report.checks.find((c) => c.id === 'relocation.persisted')!;
    expect(relocation).toMatchObject({ status: 'warn', message: expect.stringContaining('not persisted') });

    // In effect once the session has the relocation (as after `safe env --persist` and a new sign-in).
    const data = path.join(root, 'allowed', 'data');
    const inherited = await doctor({
      ...base,
      PATH: [shims, path.join(cleanPython, 'bin'), base.PATH].join(':'),
      UV_CACHE_DIR: path.join(data, 'cache'),
      UV_PYTHON_INSTALL_DIR: path.join(data, 'python'),
      UV_PYTHON_BIN_DIR: path.join(data, 'bin'),
      UV_TOOL_DIR: path.join(data, 'tools'),
      UV_TOOL_BIN_DIR: path.join(data, 'bin'),
      UV_CREDENTIALS_DIR: path.join(data, 'credentials'),
    });
    expect(inherited.checks.find((c) => c.id === 'relocation.persisted')).toMatchObject({ status: 'ok', message: expect.stringContaining('in effect') });
  });
});
