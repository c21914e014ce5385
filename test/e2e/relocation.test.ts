// The seed scenarios (test/e2e/seed-repro.test.ts shows each failing with plain uv) run through
// uvx-safe with an admin policy: the profile (HOME, XDG dirs, TMPDIR) is a noexec tmpfs, the
// allowlisted root an ordinary folder. Every command must work, and nothing at all may be
// written under the blocked profile.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  makeProjectUsingToolBuiltPackage,
  makeToolBuiltPackage,
  offlineIndexArgs,
} from '../helpers/fixtures.js';
import { LAUNCHER } from '../helpers/paths.js';
import { explain, getUv, runLauncher, runProgram, type RunResult, type SandboxEnv } from '../helpers/uv.js';
import { expectHelloRan, expectStampImportable } from '../helpers/expectations.js';
import { useNoexecWorkspace, type NoexecWorkspace } from '../helpers/workspace.js';

interface Setup {
  ws: NoexecWorkspace;
  /** The sandbox env plus the admin policy. */
  env: SandboxEnv;
  dataRoot: string;
  /** Every file and folder on the blocked mount before the command. */
  before: string[];
}

/** Lists everything below `dir` (relative paths, folders marked with a trailing slash). */
function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) {
        out.push(`${rel}/`);
        walk(rel);
      } else out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/** An enforcing admin policy whose one allowed root is the executable folder. */
function withPolicy(ws: NoexecWorkspace): Setup {
  const dataRoot = path.join(ws.exec, 'uv-data');
  const policy = path.join(ws.root, 'admin.toml');
  fs.writeFileSync(
    policy,
    ['mode = "enforce"', `allowed-roots = ["${ws.exec}"]`, `data-root = "${dataRoot}"`, 'locked = ["mode", "allowed-roots"]', ''].join('\n'),
  );
  return { ws, env: { ...ws.env, UVX_SAFE_SYSTEM_CONFIG: policy }, dataRoot, before: listTree(ws.noexec) };
}

function expectProfileUntouched(setup: Setup): void {
  expect(listTree(setup.ws.noexec)).toEqual(setup.before);
}



describe('through uvx-safe, with the profile on a noexec mount', () => {
  const workspace = useNoexecWorkspace();

  it('uv tool run runs the tool, from a cache under the data root', async () => {
    const s = withPolicy(workspace());
    const r = await runLauncher(['tool', 'run', ...offlineIndexArgs(), 'hello-cli', 'one', 'two'], { env: s.env, cwd: s.ws.exec });
    expectHelloRan(r, ['one', 'two']);
    expect(fs.readdirSync(path.join(s.dataRoot, 'cache'))).toContain('archive-v0');
    expectProfileUntouched(s);
  });

  it('uvx (the launcher invoked through a link named uvx) runs the tool', async () => {
    const s = withPolicy(workspace());
    const links = path.join(s.ws.exec, 'links');
    fs.mkdirSync(links);
    fs.symlinkSync(LAUNCHER, path.join(links, 'uvx'));
    const env = { ...s.env, PATH: `${path.dirname(getUv())}:${s.env.PATH}` };
    const r = await runProgram(path.join(links, 'uvx'), [...offlineIndexArgs(), 'hello-cli', 'x'], { env, cwd: s.ws.exec });
    expectHelloRan(r, ['x']);
    expectProfileUntouched(s);
  });

  it('uv tool run --no-cache runs the tool, from a throw-away cache in the relocated temp dir', async () => {
    const s = withPolicy(workspace());
    const r = await runLauncher(['tool', 'run', '--no-cache', ...offlineIndexArgs(), 'hello-cli', 'one'], {
      env: s.env,
      cwd: s.ws.exec,
    });
    expectHelloRan(r, ['one']);
    expectProfileUntouched(s);
  });

  it('uv pip install builds a package whose build runs a tool from its build requirements', async () => {
    const s = withPolicy(workspace());
    const pkg = await makeToolBuiltPackage(s.ws.exec);
    const venv = path.join(s.ws.exec, 'venv');
    const created = await runLauncher(['venv', '--quiet', venv], { env: s.env, cwd: s.ws.exec });
    expect(created.exitCode, explain(created)).toBe(0);
    const python = path.join(venv, 'bin', 'python');
    const r = await runLauncher(['pip', 'install', '--python', python, ...offlineIndexArgs(), pkg], { env: s.env, cwd: s.ws.exec });
    expect(r.exitCode, explain(r)).toBe(0);
    await expectStampImportable(python, s.env);
    expectProfileUntouched(s);
  });

  it('uv pip install --no-cache builds it too', async () => {
    const s = withPolicy(workspace());
    const pkg = await makeToolBuiltPackage(s.ws.exec);
    const venv = path.join(s.ws.exec, 'venv');
    expect((await runLauncher(['venv', '--quiet', venv], { env: s.env, cwd: s.ws.exec })).exitCode).toBe(0);
    const python = path.join(venv, 'bin', 'python');
    const r = await runLauncher(['pip', 'install', '--no-cache', '--python', python, ...offlineIndexArgs(), pkg], {
      env: s.env,
      cwd: s.ws.exec,
    });
    expect(r.exitCode, explain(r)).toBe(0);
    await expectStampImportable(python, s.env);
    expectProfileUntouched(s);
  });

  it('uv sync builds a path dependency', async () => {
    const s = withPolicy(workspace());
    const app = await makeProjectUsingToolBuiltPackage(s.ws.exec);
    const r = await runLauncher(['sync', ...offlineIndexArgs()], { env: s.env, cwd: app });
    expect(r.exitCode, explain(r)).toBe(0);
    await expectStampImportable(path.join(app, '.venv', 'bin', 'python'), s.env);
    expectProfileUntouched(s);
  });

  it('uv sync builds the project itself (editable)', async () => {
    const s = withPolicy(workspace());
    const project = await makeToolBuiltPackage(s.ws.exec);
    const r = await runLauncher(['sync', ...offlineIndexArgs()], { env: s.env, cwd: project });
    expect(r.exitCode, explain(r)).toBe(0);
    await expectStampImportable(path.join(project, '.venv', 'bin', 'python'), s.env);
    expectProfileUntouched(s);
  });

  it('uv tool install puts a tool under the data root that then runs', async () => {
    const s = withPolicy(workspace());
    const installed = await runLauncher(['tool', 'install', ...offlineIndexArgs(), 'hello-cli'], { env: s.env, cwd: s.ws.exec });
    expect(installed.exitCode, explain(installed)).toBe(0);
    const bin = path.join(s.dataRoot, 'bin', 'hello-cli');
    expect(fs.existsSync(bin), explain(installed)).toBe(true);
    expect(fs.existsSync(path.join(s.dataRoot, 'tools', 'hello-cli'))).toBe(true);
    expectHelloRan(await runProgram(bin, ['x'], { env: s.env, cwd: s.ws.exec }), ['x']);
    expectProfileUntouched(s);
  });

  it('uv run --with runs a script from an ephemeral environment', async () => {
    const s = withPolicy(workspace());
    const r = await runLauncher(['run', '--no-project', ...offlineIndexArgs(), '--with', 'hello-cli', 'hello-cli', 'y'], {
      env: s.env,
      cwd: s.ws.exec,
    });
    expectHelloRan(r, ['y']);
    expectProfileUntouched(s);
  });

  it("puts every directory uv reports, and the program's temp dir, under the data root", async () => {
    const s = withPolicy(workspace());
    const ask = async (args: string[]) => {
      const r = await runLauncher(args, { env: s.env, cwd: s.ws.exec });
      expect(r.exitCode, explain(r)).toBe(0);
      return r.stdout.trim();
    };
    expect(await ask(['cache', 'dir'])).toBe(path.join(s.dataRoot, 'cache'));
    expect(await ask(['python', 'dir'])).toBe(path.join(s.dataRoot, 'python'));
    expect(await ask(['python', 'dir', '--bin'])).toBe(path.join(s.dataRoot, 'bin'));
    expect(await ask(['tool', 'dir'])).toBe(path.join(s.dataRoot, 'tools'));
    expect(await ask(['tool', 'dir', '--bin'])).toBe(path.join(s.dataRoot, 'bin'));
    expect(await ask(['run', '--no-project', '--', 'python', '-c', 'import tempfile; print(tempfile.gettempdir())'])).toBe(
      path.join(s.dataRoot, 'tmp'),
    );
    // Private folders: other users on the machine cannot plant programs in them.
    expect(fs.statSync(path.join(s.dataRoot, 'cache')).mode & 0o777).toBe(0o700);
    expectProfileUntouched(s);
  });
});
