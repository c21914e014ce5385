// Issue 8, item 6: the project's environment. A project outside allowed-roots would get its .venv
// there too, where nothing may run; in enforce the commands that create or use it are refused with
// one line naming the folder and both ways out, warn mode warns, doctor FAILs; `locations.project-env`
// gives a workspace one environment at its root, as uv does. Real uv 0.13.9 behind the launcher.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineIndexArgs } from '../helpers/fixtures.js';
import { explain, runLauncher, runUv, type SandboxEnv } from '../helpers/uv.js';
import { expectRefused, policySandbox, writeLines } from '../helpers/refusal.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let proj: string;
let adminFile: string;

const write = writeLines;
const pyproject = (name: string, extra: string[] = []) => ['[project]', `name = "${name}"`, 'version = "1"', 'requires-python = ">=3.8"', 'dependencies = []', ...extra];
const policy = (mode: string, extra: string[] = []) =>
  write(adminFile, [`mode = "${mode}"`, `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`, ...extra]);

beforeEach(async () => {
  ({ root, env, allowed, adminFile } = await policySandbox('uvx-safe-penv-'));
  proj = path.join(root, 'outside', 'proj');
  write(path.join(proj, 'pyproject.toml'), pyproject('proj'));
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});


describe('a project outside allowed-roots', () => {
  it('enforce refuses sync, run, add, remove and a bare venv, naming the folder and both ways out; nothing is created', async () => {
    policy('enforce');
    const venv = path.join(proj, '.venv');
    const results = await Promise.all([
      runLauncher(['sync'], { env, cwd: proj }),
      runLauncher(['run', 'python', '-c', 'pass'], { env, cwd: proj }),
      runLauncher(['add', 'hello-cli', ...offlineIndexArgs()], { env, cwd: proj }),
      runLauncher(['remove', 'hello-cli'], { env, cwd: proj }),
    ]);
    for (const r of results) expectRefused(r, `the project environment ${venv}`, 'move the project under an allowed root', 'locations.project-env');
    expectRefused(await runLauncher(['venv'], { env, cwd: proj }), `uv venv (no path: ${venv})`);
    // From a subfolder and through UV_PROJECT too.
    fs.mkdirSync(path.join(proj, 'src'));
    expectRefused(await runLauncher(['sync'], { env, cwd: path.join(proj, 'src') }), venv);
    expectRefused(await runLauncher(['sync'], { env: { ...env, UV_PROJECT: proj }, cwd: allowed }), venv);
    expect(fs.readdirSync(proj)).toEqual(['pyproject.toml', 'src']);
  });

  it('commands that use no environment still run: lock, run --no-project, a PEP 723 script', async () => {
    policy('enforce');
    const lock = await runLauncher(['lock'], { env, cwd: proj });
    expect(lock.exitCode, explain(lock)).toBe(0);
    const noProject = await runLauncher(['run', '--no-project', 'python', '-c', 'print("ok")'], { env, cwd: proj });
    expect(noProject.exitCode, explain(noProject)).toBe(0);
    write(path.join(proj, 'script.py'), ['# /// script', '# dependencies = []', '# ///', 'print("script ok")']);
    const script = await runLauncher(['run', 'script.py'], { env, cwd: proj });
    expect(script.exitCode, explain(script)).toBe(0);
    expect(script.stdout.trim()).toBe('script ok');
    expect(fs.existsSync(path.join(proj, '.venv'))).toBe(false);
  });

  it('warn mode warns and runs', async () => {
    policy('warn');
    const r = await runLauncher(['sync'], { env, cwd: proj });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stderr).toContain(`warning: uvx-safe: the project environment ${path.join(proj, '.venv')}`);
    expect(fs.existsSync(path.join(proj, '.venv'))).toBe(true);
  });

  it('safe doctor FAILs it', async () => {
    policy('enforce');
    const r = await runLauncher(['safe', 'doctor'], { env, cwd: proj });
    expect(r.exitCode, explain(r)).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+project-env\s+.*outside allowed-roots: sync, run, add, remove would be refused; move the project under an allowed root, or set locations.project-env/);
  });

  it('uv pip install into an environment outside allowed-roots (VIRTUAL_ENV or the nearest .venv) is refused', async () => {
    policy('enforce');
    const venv = path.join(root, 'outside', 'venv');
    const made = await runUv(['venv', venv], { env });
    expect(made.exitCode, explain(made)).toBe(0);
    const args = ['pip', 'install', 'hello-cli', ...offlineIndexArgs()];
    // No UV_PYTHON here: with it (as in the sandbox) uv pip would pick that interpreter's environment.
    const pipEnv = { ...env, UV_PYTHON: undefined };
    expectRefused(await runLauncher(args, { env: { ...pipEnv, VIRTUAL_ENV: venv }, cwd: allowed }), 'VIRTUAL_ENV', venv);
    fs.renameSync(venv, path.join(root, 'outside', '.venv'));
    expectRefused(await runLauncher(args, { env: pipEnv, cwd: path.join(root, 'outside') }), 'the nearest .venv', path.join(root, 'outside', '.venv'));
    expect(fs.existsSync(path.join(root, 'outside', '.venv', 'bin', 'hello-cli'))).toBe(false);
  });

  it('sync --active into an activated environment outside allowed-roots is refused, for a project inside', async () => {
    policy('enforce');
    const inside = path.join(allowed, 'proj');
    write(path.join(inside, 'pyproject.toml'), pyproject('proj'));
    const venv = path.join(root, 'outside', 'active');
    const made = await runUv(['venv', venv], { env });
    expect(made.exitCode, explain(made)).toBe(0);
    expectRefused(await runLauncher(['sync', '--active'], { env: { ...env, VIRTUAL_ENV: venv }, cwd: inside }), `${venv}, VIRTUAL_ENV, --active`);
    const plain = await runLauncher(['sync'], { env: { ...env, VIRTUAL_ENV: venv }, cwd: inside });
    expect(plain.exitCode, explain(plain)).toBe(0);
  });
});

describe("a repository's uv settings", () => {
  it('[tool.uv.pip] target outside allowed-roots makes uv pip install refused, naming the file', async () => {
    policy('enforce');
    const repo = path.join(allowed, 'repo');
    const target = path.join(root, 'outside', 'target');
    write(path.join(repo, 'pyproject.toml'), ['[project]', 'name = "repo"', 'version = "1"', '[tool.uv.pip]', `target = "${target}"`]);
    // uv reads its config files here (no UV_NO_CONFIG), as on a developer's machine.
    const r = await runLauncher(['pip', 'install', 'hello-cli', ...offlineIndexArgs()], { env: { ...env, UV_NO_CONFIG: undefined }, cwd: repo });
    expectRefused(r, `pip setting target (uv's settings: ${path.join(repo, 'pyproject.toml')})`, 'outside allowed-roots');
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe('locations.project-env', () => {
  it('gives a workspace one environment at its root, wherever in it uv runs', async () => {
    policy('enforce', ['[locations]', 'project-env = "{data-root}/envs"']);
    const ws = path.join(root, 'outside', 'ws');
    write(path.join(ws, 'pyproject.toml'), pyproject('ws', ['[tool.uv.workspace]', 'members = ["packages/*"]']));
    write(path.join(ws, 'packages', 'a', 'pyproject.toml'), pyproject('a'));
    const prefix = ['run', 'python', '-c', 'import sys; print(sys.prefix)'];
    const fromMember = await runLauncher(prefix, { env, cwd: path.join(ws, 'packages', 'a') });
    const fromRoot = await runLauncher(prefix, { env, cwd: ws });
    expect(fromMember.exitCode, explain(fromMember)).toBe(0);
    expect(fromRoot.exitCode, explain(fromRoot)).toBe(0);
    expect(fromMember.stdout.trim()).toBe(fromRoot.stdout.trim());
    expect(fromRoot.stdout.trim()).toMatch(new RegExp(`^${path.join(allowed, 'data', 'envs')}/ws-[0-9a-f]{12}$`));
    expect(fs.readdirSync(path.join(allowed, 'data', 'envs'))).toHaveLength(1);
    expect(fs.existsSync(path.join(ws, '.venv'))).toBe(false);
    expect(fs.existsSync(path.join(ws, 'packages', 'a', '.venv'))).toBe(false);
  });
});
