// Issue 8, item 5: uv's variables that stand for its location flags count exactly like the flags,
// inherited or set by [env]: UV_WORKING_DIR (= --directory), UV_PROJECT (= --project), UV_CONFIG_FILE
// (= --config-file). Real uv 0.13.9 behind the launcher.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explain, runLauncher, runUv, type RunResult, type SandboxEnv } from '../helpers/uv.js';
import { createdOutside, listTree } from '../helpers/tree.js';
import { expectRefused, policySandbox, writeLines } from '../helpers/refusal.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let outside: string;
let work: string;
let adminFile: string;

const write = writeLines;

beforeEach(async () => {
  ({ root, env, allowed, outside, adminFile } = await policySandbox('uvx-safe-vars-'));
  work = path.join(allowed, 'work');
  fs.mkdirSync(work);
  fs.mkdirSync(outside);
  write(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});


/**
 * A project whose file applies only where it is found: it asks for enforce under an admin warn (a
 * project may tighten mode), so an outside --cache-dir is refused there and only warned about elsewhere.
 */
function strictProject(): string {
  write(adminFile, ['mode = "warn"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
  const proj = path.join(allowed, 'proj');
  write(path.join(proj, 'uvx-safe.toml'), ['mode = "enforce"']);
  return proj;
}

const CACHE_OUTSIDE = () => ['--cache-dir', path.join(outside, 'c'), 'cache', 'dir'];

/** Under the admin's warn: uv ran with the outside cache, and uvx-safe said so. */
function expectWarned(r: RunResult): void {
  expect(r.exitCode, explain(r)).toBe(0);
  expect(r.stdout.trim(), explain(r)).toBe(path.join(outside, 'c'));
  expect(r.stderr, explain(r)).toContain('running anyway (mode = warn)');
}

describe('UV_WORKING_DIR and UV_WORKING_DIRECTORY count as --directory', () => {
  it('a venv made relative to them outside allowed-roots is refused, as with --directory, and nothing is created', async () => {
    const before = listTree(root);
    expectRefused(await runLauncher(['--directory', outside, 'venv', 'env2'], { env, cwd: work }), 'venv PATH env2', outside);
    expectRefused(await runLauncher(['venv', 'env2'], { env: { ...env, UV_WORKING_DIR: outside }, cwd: work }), `venv PATH env2 in UV_WORKING_DIR=${outside}`);
    expectRefused(await runLauncher(['venv', 'env2'], { env: { ...env, UV_WORKING_DIRECTORY: outside }, cwd: work }), outside);
    expect(createdOutside(root, before, [allowed])).toEqual([]);
  });

  it('set by the user config [env], they count the same', async () => {
    write(path.join(env.XDG_CONFIG_HOME, 'uvx-safe', 'config.toml'), ['[env]', `UV_WORKING_DIR = "${outside}"`]);
    expectRefused(await runLauncher(['venv', 'env2'], { env, cwd: work }), `venv PATH env2 in UV_WORKING_DIR=${outside}`);
    expect(fs.existsSync(path.join(outside, 'env2'))).toBe(false);
  });
});

describe('UV_WORKING_DIR and UV_PROJECT move the project search, as --directory and --project do', () => {
  it.each(['UV_WORKING_DIR', 'UV_PROJECT'])('%s: the project file there applies', async (variable) => {
    const proj = strictProject();
    expectWarned(await runLauncher(CACHE_OUTSIDE(), { env, cwd: work }));
    const r = await runLauncher(CACHE_OUTSIDE(), { env: { ...env, [variable]: proj }, cwd: work });
    expectRefused(r, `--cache-dir ${outside}/c`, `refused (mode = enforce, from ${path.join(proj, 'uvx-safe.toml')})`);
  });
});

describe('UV_CONFIG_FILE counts as --config-file', () => {
  it('one outside allowed-roots is refused in enforce, inherited, from [env] or as the flag; one inside is used', async () => {
    const foreign = path.join(outside, 'uv.toml');
    write(foreign, ['find-links = ["https://example.invalid/wheels"]']);
    expectRefused(await runLauncher(['cache', 'dir'], { env: { ...env, UV_CONFIG_FILE: foreign }, cwd: work }), `UV_CONFIG_FILE=${foreign}`);
    expectRefused(await runLauncher(['--config-file', foreign, 'cache', 'dir'], { env, cwd: work }), `--config-file ${foreign}`);
    write(path.join(env.XDG_CONFIG_HOME, 'uvx-safe', 'config.toml'), ['[env]', `UV_CONFIG_FILE = "${foreign}"`]);
    expectRefused(await runLauncher(['cache', 'dir'], { env, cwd: work }), 'UV_CONFIG_FILE');
    fs.rmSync(path.join(env.XDG_CONFIG_HOME, 'uvx-safe', 'config.toml'));

    // Inside: allowed, and its cache-dir cannot move the cache: uvx-safe's UV_CACHE_DIR beats it.
    const own = path.join(allowed, 'uv.toml');
    write(own, [`cache-dir = "${outside}/cache"`]);
    const r = await runLauncher(['cache', 'dir'], { env: { ...env, UV_CONFIG_FILE: own }, cwd: work });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe(path.join(allowed, 'data', 'cache'));
  });

  it('without a data root, enforce pins the judged default cache so a repository cache-dir cannot move it', async () => {
    // The sandbox home (uv's default cache) is allowed here; the repository's [tool.uv] points outside.
    write(adminFile, ['mode = "enforce"', `allowed-roots = ["${root}/sandbox", "${allowed}"]`]);
    const proj = path.join(work, 'repo');
    write(path.join(proj, 'pyproject.toml'), ['[project]', 'name = "repo"', 'version = "1"', '[tool.uv]', `cache-dir = "${outside}/cache"`]);
    // uv must read the repository's setting (the sandbox's UV_NO_CONFIG=1 would hide it): uv alone goes there.
    const readsConfig = { ...env, UV_NO_CONFIG: undefined };
    const alone = await runUv(['cache', 'dir'], { env: readsConfig, cwd: proj });
    expect(alone.stdout.trim(), explain(alone)).toBe(path.join(outside, 'cache'));
    const r = await runLauncher(['cache', 'dir'], { env: readsConfig, cwd: proj });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe(path.join(env.XDG_CACHE_HOME, 'uv'));
  });
});
