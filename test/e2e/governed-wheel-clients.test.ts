// The governed uv wheel as the one route for clients that carry their own uv (issue 17), on a noexec
// profile with the real tools from PyPI. A loopback index serves the governed wheel (and no real uv)
// beside the clients' wheels; the wheel is installed by pip into a venv, by uv (through uvx-safe) into
// a project's dev group, by pre-commit as a hook's additional_dependencies (a local repo, offline), and
// by pip as pipx[uv] and build[uv]. In each environment the `uv` script, `python -m uv` and
// find_uv_bin() run uvx-safe, a location flag outside the roots is refused, and a build whose backend
// runs a tool passes with nothing written under the profile. pipx --backend uv and build --installer uv
// pass by the documented route (`safe env --temp`).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotTree } from '../helpers/clients.js';
import { BUILD_HELPER_STAMP, getWheelsDir, makeToolBuiltPackage } from '../helpers/fixtures.js';
import { expectRunsUvxSafe, testWheel, GOVERNED_WHEEL_NAME, uvRoutes } from '../helpers/governed-wheel.js';
import { CACHE_DIR } from '../helpers/paths.js';
import { expectRefused, writeLines } from '../helpers/refusal.js';
import { serveSimpleIndex, type ServedFile, type SimpleIndex } from '../helpers/simple-index.js';
import { needTool, skipOrFail } from '../helpers/system-tools.js';
import { explain, getPython, runLauncher, runProgram, type RunResult } from '../helpers/uv.js';
import { makePipVenv } from '../helpers/pip-venv.js';
import { makeTempDir, useNoexecWorkspace, type NoexecWorkspace } from '../helpers/workspace.js';
import { ensureClientWheels } from '../setup/clients.js';

type Env = Record<string, string | undefined>;
const STAMP_SCRIPT = 'import needs_build_tool; print(needs_build_tool.STAMP)';

let scratch: string;
let index: SimpleIndex | undefined;
let uvVersion = '';
let unavailable: string | undefined;

beforeAll(async () => {
  scratch = fs.realpathSync(await makeTempDir('uvx-safe-wheel-clients-'));
  let clientWheels: string;
  try {
    clientWheels = await ensureClientWheels(CACHE_DIR, getPython());
  } catch (err) {
    unavailable = `the clients' wheels could not be downloaded from PyPI: ${(err as Error).message.split('\n')[0]}`;
    return;
  }
  const wheel = await testWheel();
  if (!wheel) {
    unavailable = 'the standalone Linux executable was not built (linux-x64 only)';
    return;
  }
  uvVersion = GOVERNED_WHEEL_NAME.exec(path.basename(wheel))?.[1] ?? '';
  // The organisation's index: the governed uv and everything else, but no real uv.
  const files: ServedFile[] = fs
    .readdirSync(clientWheels)
    .filter((f) => f.endsWith('.whl') && !/^uv-/.test(f))
    .map((f) => ({ filename: f, data: fs.readFileSync(path.join(clientWheels, f)) }));
  files.push({ filename: path.basename(wheel), data: fs.readFileSync(wheel) });
  index = await serveSimpleIndex(files);
}, 600_000);

afterAll(async () => {
  await index?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

const workspace = useNoexecWorkspace();

/** The profile (noexec) with the policy; pip and uv read the loopback index, the test wheels as find-links. */
function clientEnv(ws: NoexecWorkspace): Env {
  const policy = path.join(ws.exec, 'policy', 'config.toml');
  if (!fs.existsSync(policy))
    writeLines(policy, ['mode = "enforce"', `allowed-roots = [${JSON.stringify(ws.exec)}]`, `data-root = ${JSON.stringify(path.join(ws.exec, 'data'))}`]);
  return {
    ...ws.env,
    UVX_SAFE_SYSTEM_CONFIG: policy,
    PIP_INDEX_URL: index!.url,
    PIP_FIND_LINKS: getWheelsDir(),
    PIP_CONFIG_FILE: '/dev/null',
    PIP_NO_CACHE_DIR: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    UV_NO_INDEX: '1',
    UV_FIND_LINKS: getWheelsDir(),
  };
}

function ready(ctx: { skip: (note?: string) => void }): NoexecWorkspace {
  if (unavailable) skipOrFail(ctx, unavailable);
  return workspace();
}

async function ok(r: RunResult): Promise<RunResult> {
  expect(r.exitCode, explain(r)).toBe(0);
  return r;
}

/** A venv with pip under the executable folder, with `packages` installed by pip from the index. */
async function pipVenv(ws: NoexecWorkspace, name: string, packages: string[]): Promise<string> {
  const venv = path.join(ws.exec, name);
  const env = clientEnv(ws);
  await makePipVenv(venv);
  await ok(await runProgram(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', ...packages], { env, cwd: ws.exec, timeoutMs: 240_000 }));
  return venv;
}

/** The three routes run uvx-safe, and refuse a cache outside the roots. */
async function expectGoverned(ws: NoexecWorkspace, venv: string): Promise<void> {
  const env = clientEnv(ws);
  await expectRunsUvxSafe(venv, env, uvVersion, ws.exec);
  const outside = path.join(ws.noexec, 'outside-cache');
  for (const [what, file, args] of uvRoutes(venv)) {
    const r = await runProgram(file, [...args, '--cache-dir', outside, 'pip', 'list'], { env, cwd: ws.exec });
    expectRefused(r, '--cache-dir', outside);
    expect(fs.existsSync(outside), what).toBe(false);
  }
}

/** `python -m uv pip install` of the package whose build runs a tool, into a fresh venv: passes, nothing under the profile. */
async function expectBuildPasses(ws: NoexecWorkspace, venv: string, label: string): Promise<void> {
  const env = clientEnv(ws);
  const dir = path.join(ws.exec, `build-${label}`);
  fs.mkdirSync(dir);
  const pkg = await makeToolBuiltPackage(dir);
  const target = path.join(dir, 'target');
  await ok(await runProgram(getPython(), ['-m', 'venv', '--without-pip', target], { env: { PATH: '/usr/bin:/bin' }, cwd: dir }));
  const profile = snapshotTree(ws.noexec);
  await ok(await runProgram(path.join(venv, 'bin', 'python'), ['-m', 'uv', 'pip', 'install', '--python', path.join(target, 'bin', 'python'), pkg], { env, cwd: dir, timeoutMs: 120_000 }));
  const stamp = await runProgram(path.join(target, 'bin', 'python'), ['-I', '-c', STAMP_SCRIPT], { env: { PATH: '/usr/bin:/bin' }, cwd: '/' });
  expect(stamp.stdout.trim(), explain(stamp)).toBe(BUILD_HELPER_STAMP);
  expect(snapshotTree(ws.noexec), 'nothing written under the profile').toEqual(profile);
  expect(fs.existsSync(path.join(ws.exec, 'data', 'cache', 'CACHEDIR.TAG')), "uv's cache in the data root").toBe(true);
}

/** `safe env --shell sh --temp --no-hooks`, as a shell would evaluate it: the documented route for throw-away environments. */
async function withTemp(ws: NoexecWorkspace, env: Env): Promise<Env> {
  const r = await ok(await runLauncher(['safe', 'env', '--shell', 'sh', '--temp', '--no-hooks'], { env, uv: 'none' }));
  const out: Env = { ...env };
  for (const line of r.stdout.split('\n')) {
    const m = /^export ([A-Z_]+)='([^']*)'$/.exec(line);
    if (m) out[m[1]!] = m[2];
  }
  expect(out.TMPDIR).toBe(path.join(ws.exec, 'data', 'tmp'));
  return out;
}

describe('the governed uv wheel, installed by each client, on a noexec profile', () => {
  it('pip into a venv', { timeout: 600_000 }, async (ctx) => {
    const ws = ready(ctx);
    const venv = await pipVenv(ws, 'pip-venv', ['uv']);
    await expectGoverned(ws, venv);
    await expectBuildPasses(ws, venv, 'pip');
  });

  it("uv (through uvx-safe) into a project's dev group", { timeout: 600_000 }, async (ctx) => {
    const ws = ready(ctx);
    const project = path.join(ws.exec, 'project');
    writeLines(path.join(project, 'pyproject.toml'), ['[project]', 'name = "project"', 'version = "0"', 'requires-python = ">=3.8"']);
    const env = { ...clientEnv(ws), UV_OFFLINE: undefined, UV_NO_INDEX: undefined, UV_FIND_LINKS: undefined };
    await ok(await runLauncher(['add', '--dev', 'uv', '--default-index', index!.url], { env, cwd: project, timeoutMs: 240_000 }));
    const venv = path.join(project, '.venv');
    await expectGoverned(ws, venv);
    await expectBuildPasses(ws, venv, 'dev-group');
  });

  it("pre-commit, as a hook's additional_dependencies (a local repo, offline)", { timeout: 600_000 }, async (ctx) => {
    const ws = ready(ctx);
    needTool(ctx, 'git');
    const preCommit = await pipVenv(ws, 'pre-commit-venv', ['pre-commit']);
    const dir = path.join(ws.exec, 'hook');
    fs.mkdirSync(dir);
    const pkg = await makeToolBuiltPackage(dir);
    const target = path.join(dir, 'target');
    await ok(await runProgram(getPython(), ['-m', 'venv', '--without-pip', target], { env: { PATH: '/usr/bin:/bin' }, cwd: dir }));
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    const env = { ...clientEnv(ws), PRE_COMMIT_HOME: path.join(ws.exec, 'pre-commit-home'), VIRTUALENV_OVERRIDE_APP_DATA: path.join(ws.exec, 'virtualenv') };
    const git = (...args: string[]) => runProgram('git', args, { env, cwd: repo });
    await ok(await git('init', '-q', '.'));
    // The hook's own environment gets uv from the index: the governed wheel. Its entry runs that uv.
    writeLines(path.join(repo, '.pre-commit-config.yaml'), [
      'repos:',
      '  - repo: local',
      '    hooks:',
      '      - id: build-with-uv',
      '        name: build-with-uv',
      '        language: python',
      `        entry: uv pip install --python ${path.join(target, 'bin', 'python')} ${pkg}`,
      '        additional_dependencies: [uv]',
      '        always_run: true',
      '        pass_filenames: false',
      '        verbose: true',
    ]);
    await ok(await git('add', '.pre-commit-config.yaml'));
    const profile = snapshotTree(ws.noexec);
    await ok(await runProgram(path.join(preCommit, 'bin', 'pre-commit'), ['run', '--all-files'], { env, cwd: repo, timeoutMs: 400_000 }));
    expect(snapshotTree(ws.noexec), 'nothing written under the profile').toEqual(profile);
    const stamp = await runProgram(path.join(target, 'bin', 'python'), ['-I', '-c', STAMP_SCRIPT], { env: { PATH: '/usr/bin:/bin' }, cwd: '/' });
    expect(stamp.stdout.trim(), explain(stamp)).toBe(BUILD_HELPER_STAMP);
    const home = env.PRE_COMMIT_HOME;
    const hookEnv = fs
      .readdirSync(home)
      .filter((f) => f.startsWith('repo'))
      .flatMap((r) => fs.readdirSync(path.join(home, r)).filter((e) => e.startsWith('py_env-')).map((e) => path.join(home, r, e)))[0]!;
    await expectGoverned(ws, hookEnv);
  });

  it('pipx[uv]; pipx install --backend uv by the documented route (safe env --temp)', { timeout: 600_000 }, async (ctx) => {
    const ws = ready(ctx);
    const pipx = await pipVenv(ws, 'pipx-venv', ['pipx[uv]']);
    await expectGoverned(ws, pipx);
    await expectBuildPasses(ws, pipx, 'pipx');
    const env = await withTemp(ws, {
      ...clientEnv(ws),
      PIPX_HOME: path.join(ws.exec, 'pipx-home'),
      PIPX_BIN_DIR: path.join(ws.exec, 'pipx-bin'),
      PIPX_MAN_DIR: path.join(ws.exec, 'pipx-man'),
    });
    const profile = snapshotTree(ws.noexec);
    await ok(await runProgram(path.join(pipx, 'bin', 'pipx'), ['install', '--backend', 'uv', 'hello-cli'], { env, cwd: ws.exec, timeoutMs: 240_000 }));
    expect(snapshotTree(ws.noexec), 'nothing written under the profile').toEqual(profile);
    const hello = await runProgram(path.join(ws.exec, 'pipx-bin', 'hello-cli'), [], { env, cwd: ws.exec });
    expect(hello.stdout.split('\n')[0], explain(hello)).toBe('hello from hello-cli');
  });

  it('build[uv]; python -m build --installer uv by the documented route (safe env --temp)', { timeout: 600_000 }, async (ctx) => {
    const ws = ready(ctx);
    const build = await pipVenv(ws, 'build-venv', ['build[uv]']);
    await expectGoverned(ws, build);
    const dir = path.join(ws.exec, 'pkg');
    fs.mkdirSync(dir);
    const pkg = await makeToolBuiltPackage(dir);
    const env = await withTemp(ws, clientEnv(ws));
    const profile = snapshotTree(ws.noexec);
    const r = await ok(
      await runProgram(path.join(build, 'bin', 'python'), ['-m', 'build', '--installer', 'uv', '--wheel', '--outdir', path.join(dir, 'dist'), pkg], { env, cwd: dir, timeoutMs: 240_000 }),
    );
    expect(fs.readdirSync(path.join(dir, 'dist')), explain(r)).toEqual(['needs_build_tool-1.0-py3-none-any.whl']);
    expect(snapshotTree(ws.noexec), 'nothing written under the profile').toEqual(profile);
  });
});
