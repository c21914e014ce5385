// The problem uvx-safe exists for, shown with plain uv (no launcher): when the folders uv
// uses by default (cache, temp dir, tool dirs under HOME/XDG) sit on a mount where nothing
// may run, uv puts programs there and then cannot start them. Each case has a positive
// control: the same command works once UV_CACHE_DIR, TMPDIR, UV_TOOL_DIR and UV_TOOL_BIN_DIR
// point to an executable folder, which is what the launcher will do for the user.
// The error texts are uv 0.13.9's.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  makeProjectUsingToolBuiltPackage,
  makeToolBuiltPackage,
  offlineIndexArgs,
} from '../helpers/fixtures.js';
import { explain, runProgram, runUv, type RunResult, type SandboxEnv } from '../helpers/uv.js';
import { expectHelloRan, expectStampImportable } from '../helpers/expectations.js';
import { useNoexecWorkspace, type NoexecWorkspace } from '../helpers/workspace.js';

/** The workspace's environment with every location uv runs programs from moved to <exec>/relocated. */
function relocatedEnv(ws: NoexecWorkspace): SandboxEnv {
  const dir = (name: string) => {
    const p = path.join(ws.exec, 'relocated', name);
    fs.mkdirSync(p, { recursive: true });
    return p;
  };
  return {
    ...ws.env,
    UV_CACHE_DIR: dir('cache'),
    TMPDIR: dir('tmp'),
    UV_TOOL_DIR: dir('tools'),
    UV_TOOL_BIN_DIR: dir('tool-bin'),
  };
}

/** uv built the tool's environment, then could not start its console script. */
function expectSpawnBlocked(r: RunResult, script: string): void {
  expect(r.exitCode, explain(r)).toBe(2);
  expect(r.stderr, explain(r)).toContain(`error: Failed to spawn: ${script}`);
  expect(r.stderr, explain(r)).toContain('cause: Permission denied (os error 13)');
  expect(r.stdout).not.toContain('hello from hello-cli');
}


const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regex source matching uv's build-environment folder (builds-v0) inside the cache at `cacheDir`. */
const buildEnvsIn = (cacheDir: string) => `${escape(cacheDir)}/builds-v0`;

/**
 * The PEP 517 hook failed because build-helper, installed in uv's build environment at
 * <buildEnvs>/.tmpXXXX/bin (buildEnvs: a regex source), could not be executed.
 */
function expectBuildBlocked(r: RunResult, hook: 'build_wheel' | 'build_editable', buildEnvs: string): void {
  expect(r.exitCode, explain(r)).toBe(1);
  expect(r.stderr, explain(r)).toMatch(/error: Failed to build `needs-build-tool @ file:\/\//);
  expect(r.stderr, explain(r)).toContain(`cause: Call to \`backend.${hook}\` failed (exit status: 1)`);
  expect(r.stderr, explain(r)).toMatch(
    new RegExp(`PermissionError: \\[Errno 13\\] Permission denied: '${buildEnvs}/\\.tmp\\w+/bin/build-helper'`),
  );
}


describe('uv tool run (uvx) of a console script', () => {
  const workspace = useNoexecWorkspace();
  const uvx = ['tool', 'run', ...offlineIndexArgs(), 'hello-cli', 'one', 'two'];

  it('fails to spawn it when the cache is on a noexec mount', async () => {
    const ws = workspace();
    const r = await runUv(uvx, { env: ws.env, cwd: ws.exec });
    expectSpawnBlocked(r, 'hello-cli');
    // The tool environment it could not run from: <cache>/archive-v0/<id>/bin/hello-cli.
    const archive = path.join(ws.env.XDG_CACHE_HOME, 'uv', 'archive-v0');
    const scripts = fs.readdirSync(archive).filter((id) => fs.existsSync(path.join(archive, id, 'bin', 'hello-cli')));
    expect(scripts, `no hello-cli script under ${archive}`).toHaveLength(1);
  });

  it('runs it once cache, temp and tool dirs are executable', async () => {
    const ws = workspace();
    expectHelloRan(await runUv(uvx, { env: relocatedEnv(ws), cwd: ws.exec }), ['one', 'two']);
  });
});

describe('uv tool run --no-cache', () => {
  const workspace = useNoexecWorkspace();
  const uvx = ['tool', 'run', '--no-cache', ...offlineIndexArgs(), 'hello-cli', 'one'];

  it('fails to spawn it when TMPDIR is on a noexec mount (the throw-away cache lives there)', async () => {
    const ws = workspace();
    const r = await runUv(uvx, { env: ws.env, cwd: ws.exec });
    expectSpawnBlocked(r, 'hello-cli');
    // Nothing went to the persistent cache: the temp dir alone carried the environment.
    expect(fs.existsSync(path.join(ws.env.XDG_CACHE_HOME, 'uv'))).toBe(false);
  });

  it('runs it once cache, temp and tool dirs are executable', async () => {
    const ws = workspace();
    expectHelloRan(await runUv(uvx, { env: relocatedEnv(ws), cwd: ws.exec }), ['one']);
  });
});

describe('uv pip install of a package whose build runs a tool from its build requirements', () => {
  const workspace = useNoexecWorkspace();

  // The venv goes in the executable folder: one on the noexec mount could not run at all.
  async function install(ws: NoexecWorkspace, env: SandboxEnv, extra: string[] = []) {
    const pkg = await makeToolBuiltPackage(ws.exec);
    const venv = path.join(ws.exec, 'venv');
    const created = await runUv(['venv', '--quiet', venv], { env, cwd: ws.exec });
    expect(created.exitCode, explain(created)).toBe(0);
    const python = path.join(venv, 'bin', 'python');
    const r = await runUv(['pip', 'install', ...extra, '--python', python, ...offlineIndexArgs(), pkg], {
      env,
      cwd: ws.exec,
    });
    return { r, python };
  }

  it('fails in the build when the cache is on a noexec mount', async () => {
    const ws = workspace();
    const { r } = await install(ws, ws.env);
    expectBuildBlocked(r, 'build_wheel', buildEnvsIn(path.join(ws.env.XDG_CACHE_HOME, 'uv')));
  });

  it('fails in the build with --no-cache when TMPDIR is on a noexec mount', async () => {
    const ws = workspace();
    const { r } = await install(ws, ws.env, ['--no-cache']);
    // --no-cache: a throw-away cache at $TMPDIR/.tmpXXXX, build envs in its builds-v0.
    expectBuildBlocked(r, 'build_wheel', `${escape(ws.env.TMPDIR)}/\\.tmp\\w+/builds-v0`);
  });

  it('builds and installs it once cache, temp and tool dirs are executable', async () => {
    const ws = workspace();
    const env = relocatedEnv(ws);
    const { r, python } = await install(ws, env);
    expect(r.exitCode, explain(r)).toBe(0);
    await expectStampImportable(python, env);
  });
});

describe('uv sync of a project depending on that package (path source)', () => {
  const workspace = useNoexecWorkspace();
  const sync = (app: string, env: SandboxEnv) => runUv(['sync', ...offlineIndexArgs()], { env, cwd: app });

  it('fails in the build when the cache is on a noexec mount', async () => {
    const ws = workspace();
    const r = await sync(await makeProjectUsingToolBuiltPackage(ws.exec), ws.env);
    expectBuildBlocked(r, 'build_wheel', buildEnvsIn(path.join(ws.env.XDG_CACHE_HOME, 'uv')));
  });

  it('syncs once cache, temp and tool dirs are executable', async () => {
    const ws = workspace();
    const env = relocatedEnv(ws);
    const app = await makeProjectUsingToolBuiltPackage(ws.exec);
    const r = await sync(app, env);
    expect(r.exitCode, explain(r)).toBe(0);
    await expectStampImportable(path.join(app, '.venv', 'bin', 'python'), env);
  });
});

describe('uv sync of that package as the project itself (editable build)', () => {
  const workspace = useNoexecWorkspace();
  const sync = (project: string, env: SandboxEnv) => runUv(['sync', ...offlineIndexArgs()], { env, cwd: project });

  it('fails in the build when the cache is on a noexec mount', async () => {
    const ws = workspace();
    const r = await sync(await makeToolBuiltPackage(ws.exec), ws.env);
    expectBuildBlocked(r, 'build_editable', buildEnvsIn(path.join(ws.env.XDG_CACHE_HOME, 'uv')));
  });

  it('syncs once cache, temp and tool dirs are executable', async () => {
    const ws = workspace();
    const env = relocatedEnv(ws);
    const project = await makeToolBuiltPackage(ws.exec);
    const r = await sync(project, env);
    expect(r.exitCode, explain(r)).toBe(0);
    await expectStampImportable(path.join(project, '.venv', 'bin', 'python'), env);
  });
});

describe('uv tool install, then running the installed tool', () => {
  const workspace = useNoexecWorkspace();
  const install = (ws: NoexecWorkspace, env: SandboxEnv) =>
    runUv(['tool', 'install', ...offlineIndexArgs(), 'hello-cli'], { env, cwd: ws.exec });

  it('installs, but the tool cannot start when the tool dirs are on a noexec mount', async () => {
    const ws = workspace();
    const installed = await install(ws, ws.env);
    // uv itself runs nothing from the tool environment, so the install "succeeds"...
    expect(installed.exitCode, explain(installed)).toBe(0);
    expect(installed.stderr).toContain('Installed 1 executable: hello-cli');
    // ...and the user's first run of the tool is what fails.
    const r = await runProgram(path.join(ws.env.XDG_BIN_HOME, 'hello-cli'), ['x'], { env: ws.env, cwd: ws.exec });
    expect(r.spawnError, explain(r)).toBe('EACCES');
  });

  it('installs a tool that runs once cache, temp and tool dirs are executable', async () => {
    const ws = workspace();
    const env = relocatedEnv(ws);
    const installed = await install(ws, env);
    expect(installed.exitCode, explain(installed)).toBe(0);
    const r = await runProgram(path.join(env.UV_TOOL_BIN_DIR!, 'hello-cli'), ['x'], { env, cwd: ws.exec });
    expectHelloRan(r, ['x']);
  });
});

describe('uv run --with (an ephemeral environment, outside any project)', () => {
  const workspace = useNoexecWorkspace();
  const run = ['run', '--no-project', ...offlineIndexArgs(), '--with', 'hello-cli', 'hello-cli', 'y'];

  it('fails to spawn the script when the cache is on a noexec mount', async () => {
    const ws = workspace();
    expectSpawnBlocked(await runUv(run, { env: ws.env, cwd: ws.exec }), 'hello-cli');
  });

  it('runs it once cache, temp and tool dirs are executable', async () => {
    const ws = workspace();
    expectHelloRan(await runUv(run, { env: relocatedEnv(ws), cwd: ws.exec }), ['y']);
  });
});
