// Issue 15, item 4: the data root is not an install target. A pip --target/--prefix (flag or uv
// setting), a `uv venv` path, the project environment or --directory pointing into the folders the
// launcher runs programs from ({data-root}/uv, bin, python, tools, cache, or where [locations] puts
// them) would plant a managed uv, Python or tool inside allowed-roots; in enforce each is refused
// (exit 2, one line) and nothing is created there. Real uv 0.13.9 behind the launcher.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineIndexArgs } from '../helpers/fixtures.js';
import { expectRefused, policySandbox, writeLines } from '../helpers/refusal.js';
import { explain, runLauncher, type SandboxEnv } from '../helpers/uv.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let data: string;
let adminFile: string;

const install = ['pip', 'install', 'hello-cli', ...offlineIndexArgs()];
const policy = (extra: string[] = []) =>
  writeLines(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${data}"`, ...extra]);

beforeEach(async () => {
  ({ root, env, allowed, adminFile } = await policySandbox('uvx-safe-dataroot-'));
  data = path.join(allowed, 'data');
  policy();
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

describe('the data root is not an install target, in enforce', () => {
  it('pip --target or --prefix into the managed uv, bin, python or tools folders is refused; nothing lands there', async () => {
    for (const [flag, sub] of [['--target', `uv/0.13.9`], ['--target', 'bin'], ['--prefix', 'python/cpython-3.12'], ['--target', 'tools/black'], ['--target', '.']]) {
      const dir = path.join(data, sub!);
      const r = await runLauncher([...install, flag!, dir], { env, cwd: allowed });
      expectRefused(r, `${flag!.slice(2)} ${dir}`, 'where uvx-safe runs programs from');
    }
    expect(fs.existsSync(path.join(data, 'uv'))).toBe(false);
    expect(fs.existsSync(path.join(data, 'bin'))).toBe(false);
  });

  it("a repository's [tool.uv.pip] target into the data root is refused, as uv's settings say", async () => {
    const repo = path.join(allowed, 'repo');
    writeLines(path.join(repo, 'pyproject.toml'), ['[project]', 'name = "repo"', 'version = "1"', '[tool.uv.pip]', `target = "${path.join(data, 'uv', '0.13.9')}"`]);
    const r = await runLauncher(install, { env: { ...env, UV_NO_CONFIG: undefined }, cwd: repo });
    expectRefused(r, 'the managed uv folder', 'pip setting target');
    expect(fs.existsSync(path.join(data, 'uv'))).toBe(false);
  });

  it('uv venv into tools, --directory into python, a project environment into bin are refused', async () => {
    const venv = path.join(data, 'tools', 'planted');
    expectRefused(await runLauncher(['venv', venv], { env, cwd: allowed }), `venv ${venv}`, 'the tool folder');
    fs.mkdirSync(path.join(data, 'python'), { recursive: true });
    expectRefused(await runLauncher(['--directory', path.join(data, 'python'), 'venv'], { env, cwd: allowed }), `venv ${path.join(data, 'python', '.venv')}`);
    expectRefused(await runLauncher(['--directory', path.join(data, 'python'), 'pip', 'list'], { env, cwd: allowed }), `--directory ${path.join(data, 'python')} points into the python folder`);
    const proj = path.join(allowed, 'proj');
    writeLines(path.join(proj, 'pyproject.toml'), ['[project]', 'name = "proj"', 'version = "1"', 'requires-python = ">=3.8"', 'dependencies = []']);
    const envVar = { ...env, UV_PROJECT_ENVIRONMENT: path.join(data, 'bin', 'env') };
    expectRefused(await runLauncher(['sync'], { env: envVar, cwd: proj }), 'project-env', 'the python-bin folder');
    expect(fs.readdirSync(path.join(data, 'python'))).toEqual([]);
    expect(fs.existsSync(venv)).toBe(false);
  });

  it('[locations] moved elsewhere are protected where they are; a target beside them is fine', async () => {
    const tools = path.join(allowed, 'tools-elsewhere');
    policy(['[locations]', `tool = "${tools}"`]);
    expectRefused(await runLauncher([...install, '--target', path.join(tools, 'x')], { env, cwd: allowed }), 'the tool folder');
    const beside = path.join(allowed, 'site');
    const r = await runLauncher([...install, '--target', beside], { env, cwd: allowed });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(fs.existsSync(path.join(beside, 'hello_cli'))).toBe(true);
  });
});
