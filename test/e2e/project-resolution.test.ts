// Issue 15 item 3: projects that uv resolves differently from what uvx-safe used to guess. Each case
// is one that the real uv (the suite's) resolves to an environment outside allowed-roots, that the
// launcher let through before the change, and that enforce now refuses with one line, exit 2, and
// nothing created outside the roots. docs/design.md "Projects as uv resolves them" says the rules.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectRefused, policySandbox, writeLines } from '../helpers/refusal.js';
import { createdOutside, listTree } from '../helpers/tree.js';
import { explain, runLauncher, runUv, type SandboxEnv } from '../helpers/uv.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let outside: string;

const pyproject = (name: string, extra: string[] = []) => ['[project]', `name = "${name}"`, 'version = "1"', 'requires-python = ">=3.8"', 'dependencies = []', ...extra];

beforeEach(async () => {
  let adminFile: string;
  ({ root, env, allowed, outside, adminFile } = await policySandbox('uvx-safe-projres-'));
  writeLines(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
  fs.mkdirSync(outside);
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

/** Runs the launcher, expects the refusal, and that nothing appeared outside allowed-roots (and the sandbox). */
async function refused(args: string[], opts: { cwd: string; env?: Record<string, string | undefined> }, ...fragments: string[]) {
  const before = listTree(root);
  const r = await runLauncher(args, { env: opts.env ?? env, cwd: opts.cwd });
  expectRefused(r, ...fragments);
  expect(createdOutside(root, before, [allowed, path.join(root, 'sandbox')])).toEqual([]);
}

describe('--active with no VIRTUAL_ENV: uv falls back to the project environment', () => {
  it('sync --active and run --active are judged by the project .venv (uv creates it there)', async () => {
    const proj = path.join(outside, 'proj');
    writeLines(path.join(proj, 'pyproject.toml'), pyproject('proj'));
    const venv = path.join(proj, '.venv');
    await refused(['sync', '--active'], { cwd: proj }, `the project environment ${venv}`);
    await refused(['run', '--active', 'python', '-c', 'pass'], { cwd: proj }, `the project environment ${venv}`);
    // An empty VIRTUAL_ENV is no environment to uv either.
    await refused(['sync', '--active'], { cwd: proj, env: { ...env, VIRTUAL_ENV: '' } }, venv);
    // What uv itself does there: it makes the project's .venv.
    const real = await runUv(['run', '--active', '--no-sync', 'python', '-c', 'pass'], { env, cwd: proj });
    expect(real.exitCode, explain(real)).toBe(0);
    expect(fs.existsSync(path.join(venv, 'pyvenv.cfg'))).toBe(true);
  });
});

describe('uv venv --project DIR / UV_PROJECT=DIR: the environment goes to DIR', () => {
  it('is judged at DIR/.venv, not at the working folder', async () => {
    const proj = path.join(outside, 'proj');
    writeLines(path.join(proj, 'pyproject.toml'), pyproject('proj'));
    const venv = path.join(proj, '.venv');
    await refused(['venv', '--project', proj], { cwd: allowed }, `the project environment ${venv}`);
    await refused(['venv'], { cwd: allowed, env: { ...env, UV_PROJECT: proj } }, `the project environment ${venv}`);
    // uv's own choice, for the record.
    const real = await runUv(['venv', '--project', proj], { env, cwd: allowed });
    expect(real.exitCode, explain(real)).toBe(0);
    expect(fs.existsSync(path.join(venv, 'pyvenv.cfg'))).toBe(true);
    expect(fs.existsSync(path.join(allowed, '.venv'))).toBe(false);
  });
});

describe('PEP 723 scripts as uv reads them', () => {
  it('a header uv does not accept (a trailing space) runs in the project environment, and is judged so', async () => {
    const proj = path.join(outside, 'proj');
    writeLines(path.join(proj, 'pyproject.toml'), pyproject('proj'));
    writeLines(path.join(proj, 'tool.py'), ['# /// script ', '# dependencies = []', '# ///', 'print("ran")']);
    await refused(['run', 'tool.py'], { cwd: proj }, `the project environment ${path.join(proj, '.venv')}`);
  });

  it('`uv run --script FILE` without a block, and `uv run DIR/x.py`, use the project found from the file', async () => {
    const proj = path.join(outside, 'proj');
    writeLines(path.join(proj, 'pyproject.toml'), pyproject('proj'));
    writeLines(path.join(proj, 'bin', 'tool'), ['print("ran")']);
    writeLines(path.join(proj, 'bin', 'tool.py'), ['print("ran")']);
    const venv = path.join(proj, '.venv');
    await refused(['run', '--script', 'bin/tool'], { cwd: proj }, venv);
    // From an allowed folder, the script's folder decides (uv searches from there).
    await refused(['run', path.join(proj, 'bin', 'tool.py')], { cwd: allowed }, `the project environment ${venv}`);
  });
});

describe('the workspace root, found by uv rules', () => {
  it('a [tool.uv.workspace] key spelled with an escape is a workspace to uv, however far up', async () => {
    // The workspace root is the sandbox's top folder (outside allowed-roots); its member lies inside.
    writeLines(path.join(root, 'pyproject.toml'), ['[tool.uv."\\u0077orkspace"]', 'members = ["allowed/member"]']);
    const member = path.join(allowed, 'member');
    writeLines(path.join(member, 'pyproject.toml'), pyproject('member'));
    await refused(['sync'], { cwd: member }, `the project environment ${path.join(root, '.venv')}`);
    const real = await runUv(['workspace', 'dir'], { env, cwd: member });
    expect(real.stdout.trim(), explain(real)).toBe(root);
  });

  it('a project between a member and the workspace root ends the search (uv syncs the member on its own)', async () => {
    // allowed/ws lists mid/p, but mid is a project of its own, so uv stops there; p is a link out.
    const ws = path.join(allowed, 'ws');
    writeLines(path.join(ws, 'pyproject.toml'), pyproject('ws', ['[tool.uv.workspace]', 'members = ["mid/p"]']));
    writeLines(path.join(ws, 'mid', 'pyproject.toml'), pyproject('mid'));
    const target = path.join(outside, 'p');
    writeLines(path.join(target, 'pyproject.toml'), pyproject('p'));
    fs.symlinkSync(target, path.join(ws, 'mid', 'p'));
    const member = path.join(ws, 'mid', 'p');
    await refused(['sync', '--project', member], { cwd: allowed }, `the project environment ${path.join(member, '.venv')}`);
    const real = await runUv(['workspace', 'dir', '--project', member], { env, cwd: allowed });
    expect(real.stdout.trim(), explain(real)).toBe(member);
  });
});
