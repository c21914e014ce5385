// The governed `uv` wheel (`safe wheel`, issue 17), built from the real uv wheel of PyPI and the
// standalone Linux executable, served from a loopback index and installed by pip and by uv: the
// installers accept it (pip check, RECORD hashes read back by Python itself), its `uv`/`uvx`
// scripts, `python -m uv` and `find_uv_bin()` run uvx-safe, which runs the real uv the wheel carries
// and refuses a location outside the roots; uninstalling removes every file.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectRefused, writeLines } from '../helpers/refusal.js';
import { serveSimpleIndex, type SimpleIndex } from '../helpers/simple-index.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { expectRunsUvxSafe, testWheel, GOVERNED_WHEEL_NAME, uvRoutes } from '../helpers/governed-wheel.js';
import { explain, getPython, getUv, runLauncher, runProgram, sandboxEnv, type RunResult } from '../helpers/uv.js';
import { makePipVenv } from '../helpers/pip-venv.js';
import { makeTempDir } from '../helpers/workspace.js';

/** RECORD checked by Python's own zipfile and hashlib: every file listed once with its sha256 and size. */
const CHECK_RECORD = `
import base64, csv, hashlib, io, sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
names = [n for n in wheel.namelist() if not n.endswith("/")]
record = [n for n in names if n.endswith(".dist-info/RECORD")]
assert len(record) == 1, record
rows = list(csv.reader(io.TextIOWrapper(wheel.open(record[0]), "utf-8")))
listed = {row[0]: row for row in rows}
assert sorted(listed) == sorted(names), (sorted(listed), sorted(names))
for name, (path, digest, size) in listed.items():
    if name == record[0]:
        assert digest == "" and size == "", row
        continue
    data = wheel.read(name)
    want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert digest == want and int(size) == len(data), (name, digest, want, size, len(data))
print("RECORD ok", len(rows))
`;

describe('the governed uv wheel', () => {
  let root: string;
  let wheel: string;
  let index: SimpleIndex | undefined;
  let uvVersion: string;
  let unavailable: string | undefined;

  beforeAll(async () => {
    root = fs.realpathSync(await makeTempDir('uvx-safe-wheel-'));
    const built = await testWheel();
    if (!built) {
      unavailable = 'the standalone Linux executable was not built (linux-x64 only)';
      return;
    }
    wheel = built;
    uvVersion = GOVERNED_WHEEL_NAME.exec(path.basename(wheel))?.[1] ?? '';
    index = await serveSimpleIndex([{ filename: path.basename(wheel), data: fs.readFileSync(wheel) }]);
  }, 180_000);

  afterAll(async () => {
    await index?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const ready = (ctx: { skip: (note?: string) => void }) => {
    if (unavailable) skipOrFail(ctx, unavailable);
  };

  /** A venv with pip (ensurepip's wheels, offline) under `root/label`. */
  const pipVenv = (label: string) => makePipVenv(path.join(root, label));

  it('is named X.Y.Z+uvxsafe.1 after the real uv wheel, and its RECORD holds (read by Python\'s zipfile)', async (ctx) => {
    ready(ctx);
    expect(path.basename(wheel)).toMatch(GOVERNED_WHEEL_NAME);
    expect(path.basename(inject('uvWheel'))).toContain(`uv-${uvVersion}-`);
    const r = await runProgram(getPython(), ['-c', CHECK_RECORD, wheel], { env: { PATH: '/usr/bin:/bin' }, cwd: root });
    expect(r.exitCode, explain(r)).toBe(0);
  });

  it('--from an index (the managed uv\'s source) picks the real uv wheel for the executable\'s platform, sha256 checked', { timeout: 180_000 }, async (ctx) => {
    ready(ctx);
    const real = inject('uvWheel');
    const source = await serveSimpleIndex([
      { filename: path.basename(real), data: fs.readFileSync(real) },
      { filename: `uv-${uvVersion}-py3-none-win_amd64.whl`, data: Buffer.from('not for this executable') },
    ]);
    try {
      const out = path.join(root, 'from-index');
      const r = await runLauncher(['safe', 'wheel', '--from', source.url, '--uv-version', `==${uvVersion}`, '--exe', inject('linuxExe'), '--out', out], {
        env: sandboxEnv(path.join(root, 'from-index-home')),
        timeoutMs: 120_000,
      });
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stdout.trim()).toBe(path.join(out, path.basename(wheel)));
      expect(fs.readFileSync(r.stdout.trim()).equals(fs.readFileSync(wheel)), 'the same bytes as from the file').toBe(true);
      expect(source.hits.get(`/files/uv-${uvVersion}-py3-none-win_amd64.whl`)).toBeUndefined();
    } finally {
      await source.close();
    }
  });

  it('pip installs it from an index: pip check is clean, every route runs uvx-safe and the uv it carries; pip uninstall removes it all', { timeout: 180_000 }, async (ctx) => {
    ready(ctx);
    const venv = await pipVenv('pip-venv');
    const before = fs.readdirSync(path.join(venv, 'bin')).sort();
    const pip = (...args: string[]) =>
      runProgram(path.join(venv, 'bin', 'python'), ['-m', 'pip', ...args], { env: { PATH: '/usr/bin:/bin', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_CONFIG_FILE: '/dev/null' }, cwd: root, timeoutMs: 150_000 });
    let r = await pip('install', '--index-url', index!.url, 'uv');
    expect(r.exitCode, explain(r)).toBe(0);
    r = await pip('check');
    expect(r.stdout, explain(r)).toContain('No broken requirements found.');
    r = await pip('show', 'uv');
    expect(r.stdout).toContain(`Version: ${uvVersion}+uvxsafe.1`);
    await expectRunsUvxSafe(venv, sandboxEnv(path.join(root, 'pip-home')), uvVersion, root);
    r = await pip('uninstall', '--yes', 'uv');
    expect(r.exitCode, explain(r)).toBe(0);
    expect(fs.readdirSync(path.join(venv, 'bin')).sort()).toEqual(before);
    expect(fs.readdirSync(path.join(venv, 'lib', path.basename(fs.readdirSync(path.join(venv, 'lib'))[0]!), 'site-packages')).filter((f) => /^uv\b|^uv-/.test(f))).toEqual([]);
  });

  it('uv installs it from an index into a venv; uv pip uninstall removes it all', { timeout: 180_000 }, async (ctx) => {
    ready(ctx);
    const env = sandboxEnv(path.join(root, 'uv-home'));
    const venv = path.join(root, 'uv-venv');
    const uv = (...args: string[]) => runProgram(getUv(), args, { env: { ...env, UV_OFFLINE: undefined }, cwd: root, timeoutMs: 150_000 });
    let r = await uv('venv', '--quiet', venv);
    expect(r.exitCode, explain(r)).toBe(0);
    const before = fs.readdirSync(path.join(venv, 'bin')).sort();
    r = await uv('pip', 'install', '--python', path.join(venv, 'bin', 'python'), '--index-url', index!.url, 'uv');
    expect(r.exitCode, explain(r)).toBe(0);
    await expectRunsUvxSafe(venv, env, uvVersion, root);
    r = await uv('pip', 'uninstall', '--python', path.join(venv, 'bin', 'python'), 'uv');
    expect(r.exitCode, explain(r)).toBe(0);
    expect(fs.readdirSync(path.join(venv, 'bin')).sort()).toEqual(before);
  });

  it('in enforce, every route refuses a location flag outside the roots, naming it', { timeout: 180_000 }, async (ctx) => {
    ready(ctx);
    const venv = await pipVenv('policy-venv');
    let r: RunResult = await runProgram(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--index-url', index!.url, 'uv'], {
      env: { PATH: '/usr/bin:/bin', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_CONFIG_FILE: '/dev/null' },
      cwd: root,
      timeoutMs: 150_000,
    });
    expect(r.exitCode, explain(r)).toBe(0);
    const allowed = path.join(root, 'allowed');
    fs.mkdirSync(allowed);
    const policy = path.join(root, 'policy', 'config.toml');
    writeLines(policy, ['mode = "enforce"', `allowed-roots = [${JSON.stringify(allowed)}]`, `data-root = ${JSON.stringify(path.join(allowed, 'data'))}`]);
    const env = { ...sandboxEnv(path.join(root, 'policy-home')), UVX_SAFE_SYSTEM_CONFIG: policy };
    const outside = path.join(root, 'outside-cache');
    for (const [what, file, args] of uvRoutes(venv)) {
      r = await runProgram(file, [...args, '--cache-dir', outside, 'pip', 'list'], { env, cwd: allowed });
      expectRefused(r, '--cache-dir', outside);
      expect(fs.existsSync(outside), what).toBe(false);
    }
  });

  it('find_uv_bin() never returns a uv without uvx-safe\'s mark: a real uv in its place is passed over and named', { timeout: 180_000 }, async (ctx) => {
    ready(ctx);
    const venv = await pipVenv('swapped-venv');
    let r = await runProgram(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--index-url', index!.url, 'uv'], {
      env: { PATH: '/usr/bin:/bin', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_CONFIG_FILE: '/dev/null' },
      cwd: root,
      timeoutMs: 150_000,
    });
    expect(r.exitCode, explain(r)).toBe(0);
    fs.copyFileSync(getUv(), path.join(venv, 'bin', 'uv'));
    r = await runProgram(path.join(venv, 'bin', 'python'), ['-c', 'import uv; print(uv.find_uv_bin())'], { env: { PATH: '/usr/bin:/bin' }, cwd: root });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr, explain(r)).toContain('uv._find_uv.UvNotFound');
    expect(r.stderr, explain(r)).toContain(`Passed over, not governed by uvx-safe: ${path.join(venv, 'bin', 'uv')}`);
  });
});
