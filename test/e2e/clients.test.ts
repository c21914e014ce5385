// The real clients that run their own uv (issue 10): tox + tox-uv, hatch, nox, pre-commit +
// pre-commit-uv, pdm and `python -m uv`, each installed from PyPI with the `uv` package inside.
// On the noexec profile each one builds the package whose build runs a tool from its build
// environment (test/fixtures/needs-build-tool):
//   - through uvx-safe, by the documented route (`safe shims install --venv` on the client's venv,
//     the policy from the admin path or UVX_SAFE_SYSTEM_CONFIG), it PASSES, uv's cache lands in the
//     data root and nothing at all is written under the profile;
//   - after `safe shims uninstall --venv` (which restores uv and uvx byte for byte), the client's
//     own uv FAILS: the build tool cannot run from the cache on the noexec profile.
// Everything is offline: uv reads the test wheels (UV_NO_INDEX, UV_FIND_LINKS, UV_OFFLINE).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClientName } from '../setup/clients.js';
import { adminNamespaceUnavailable, runWithAdminPolicy, writeAdminPolicy } from '../helpers/admin-policy.js';
import { shimsVenv, snapshotTree, useClientVenvs, uvChecksums } from '../helpers/clients.js';
import { BUILD_HELPER_STAMP, getWheelsDir, makeToolBuiltPackage } from '../helpers/fixtures.js';
import { needTool, skipOrFail } from '../helpers/system-tools.js';
import { explain, getPython, runProgram, type RunResult } from '../helpers/uv.js';
import { useNoexecWorkspace, type NoexecWorkspace } from '../helpers/workspace.js';

type Env = Record<string, string | undefined>;

interface ClientCase {
  client: ClientName;
  /** Makes a fresh project under `dir` (its own folder per run); returns the folder to run in. */
  project(dir: string, env: Env): Promise<string>;
  /** Variables that keep the client's own folders (not uv's) off the profile. */
  env?(dir: string, cwd: string): Env;
  command(venv: string, cwd: string): [string, string[]];
  /** Where the build's stamp is checked when the client does not print it: a python to import it with. */
  checkPython?(cwd: string): string;
  /** Run with the policy at /etc/uvx-safe/config.toml (tox drops UVX_SAFE_* from the variables it passes). */
  adminPath?: boolean;
}

const STAMP_SCRIPT = 'import needs_build_tool; print(needs_build_tool.STAMP)';

async function plainVenv(dir: string): Promise<string> {
  const r = await runProgram(getPython(), ['-m', 'venv', '--without-pip', path.join(dir, '.venv')], { env: { PATH: '/usr/bin:/bin' }, cwd: dir });
  expect(r.exitCode, explain(r)).toBe(0);
  return path.join(dir, '.venv', 'bin', 'python');
}

const CASES: ClientCase[] = [
  {
    client: 'tox',
    adminPath: true,
    async project(dir) {
      const pkg = await makeToolBuiltPackage(dir);
      // package = uv: tox-uv installs the project with `uv pip install` (its own packaging bypassed).
      fs.writeFileSync(
        path.join(pkg, 'tox.ini'),
        `[tox]\nenv_list = t\n[testenv:t]\npackage = uv\ncommands = python -I -c "${STAMP_SCRIPT}"\n`,
      );
      return pkg;
    },
    env: (dir) => ({ VIRTUALENV_OVERRIDE_APP_DATA: path.join(dir, 'virtualenv-app-data') }),
    command: (venv) => [path.join(venv, 'bin', 'tox'), ['-e', 't']],
  },
  {
    client: 'hatch',
    async project(dir) {
      const pkg = await makeToolBuiltPackage(dir);
      fs.appendFileSync(path.join(pkg, 'pyproject.toml'), '\n[tool.hatch.envs.default]\ninstaller = "uv"\n');
      fs.writeFileSync(path.join(dir, 'hatch-config.toml'), '');
      return pkg;
    },
    env: (dir) => ({
      HATCH_CONFIG: path.join(dir, 'hatch-config.toml'),
      HATCH_DATA_DIR: path.join(dir, 'hatch-data'),
      HATCH_CACHE_DIR: path.join(dir, 'hatch-cache'),
    }),
    // The project is installed editable; -I keeps the source tree in the working folder off sys.path.
    command: (venv) => [path.join(venv, 'bin', 'hatch'), ['run', 'python', '-I', '-c', 'import needs_build_tool_stamp as s; print(s.STAMP)']],
  },
  {
    client: 'nox',
    async project(dir) {
      const pkg = await makeToolBuiltPackage(dir);
      fs.writeFileSync(
        path.join(pkg, 'noxfile.py'),
        [
          'import nox',
          'nox.options.default_venv_backend = "uv"',
          '@nox.session',
          'def stamp(session):',
          '    session.install(".")',
          `    session.run("python", "-I", "-c", ${JSON.stringify(STAMP_SCRIPT)})`,
          '',
        ].join('\n'),
      );
      return pkg;
    },
    command: (venv) => [path.join(venv, 'bin', 'nox'), []],
  },
  {
    client: 'pre-commit',
    async project(dir, env) {
      const pkg = await makeToolBuiltPackage(dir);
      const repo = path.join(dir, 'repo');
      fs.mkdirSync(repo);
      const git = (...args: string[]) => runProgram('git', args, { env, cwd: repo });
      expect((await git('init', '-q', '.')).exitCode).toBe(0);
      fs.writeFileSync(
        path.join(repo, '.pre-commit-config.yaml'),
        [
          'repos:',
          '  - repo: local',
          '    hooks:',
          '      - id: stamp',
          '        name: stamp',
          '        language: python',
          `        entry: python -I -c "${STAMP_SCRIPT}"`,
          `        additional_dependencies: ["needs-build-tool @ file://${pkg}"]`,
          '        always_run: true',
          '        pass_filenames: false',
          '        verbose: true',
          '',
        ].join('\n'),
      );
      expect((await git('add', '.pre-commit-config.yaml')).exitCode).toBe(0);
      return repo;
    },
    env: (dir) => ({ PRE_COMMIT_HOME: path.join(dir, 'pre-commit-home') }),
    command: (venv) => [path.join(venv, 'bin', 'pre-commit'), ['run', '--all-files']],
  },
  {
    client: 'pdm',
    async project(dir) {
      const pkg = await makeToolBuiltPackage(dir);
      await plainVenv(pkg);
      return pkg;
    },
    env: (dir, cwd) => ({
      PDM_USE_UV: '1',
      PDM_CHECK_UPDATE: '0',
      PDM_PYTHON: path.join(cwd, '.venv', 'bin', 'python'),
      PDM_CACHE_DIR: path.join(dir, 'pdm-cache'),
      PDM_CONFIG_FILE: path.join(dir, 'pdm-config.toml'),
      XDG_STATE_HOME: path.join(dir, 'state'),
    }),
    command: (venv) => [path.join(venv, 'bin', 'pdm'), ['install']],
    checkPython: (cwd) => path.join(cwd, '.venv', 'bin', 'python'),
  },
  {
    client: 'uv',
    async project(dir) {
      const pkg = await makeToolBuiltPackage(dir);
      await plainVenv(dir);
      return pkg;
    },
    // `python -m uv` of the environment that holds the uv package, installing into another venv.
    command: (venv, cwd) => [
      path.join(venv, 'bin', 'python'),
      ['-m', 'uv', 'pip', 'install', '--python', path.join(path.dirname(cwd), '.venv', 'bin', 'python'), cwd],
    ],
    checkPython: (cwd) => path.join(path.dirname(cwd), '.venv', 'bin', 'python'),
  },
];

const clients = useClientVenvs(CASES.map((c) => c.client));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The clients' own environments are an allowed root too: they pass their interpreter to uv
 * (`--python CLIENT/bin/python`), a program uvx-safe judges (design.md, "Programs named by path"), so
 * the tools sit inside the roots as an admin installs them (`uv tool install` into the data root).
 */
function policyToml(ws: NoexecWorkspace, clientVenv: string): string {
  const roots = [ws.exec, path.dirname(clientVenv)].map((root) => JSON.stringify(root)).join(', ');
  return `mode = "enforce"\nallowed-roots = [${roots}]\ndata-root = ${JSON.stringify(path.join(ws.exec, 'data'))}\n`;
}

/** The workspace's profile, offline: uv reads only the test wheels; no UV_PYTHON (it would beat the clients' venvs). */
function offlineEnv(ws: NoexecWorkspace): Env {
  const links = [getWheelsDir(), clients.wheels()];
  return {
    ...ws.env,
    UV_PYTHON: undefined,
    UV_NO_INDEX: '1',
    UV_FIND_LINKS: links.join(','),
    PIP_NO_INDEX: '1',
    PIP_FIND_LINKS: links.join(' '),
  };
}

async function runCase(c: ClientCase, ws: NoexecWorkspace, venv: string, label: string, policy: 'through uvx-safe' | 'own uv') {
  const dir = path.join(ws.exec, label);
  fs.mkdirSync(dir);
  let env = offlineEnv(ws);
  const cwd = await c.project(dir, env);
  env = { ...env, ...c.env?.(dir, cwd) };
  const [file, args] = c.command(venv, cwd);
  if (policy === 'own uv' || !c.adminPath) {
    if (policy === 'through uvx-safe') env.UVX_SAFE_SYSTEM_CONFIG = path.join(ws.exec, 'policy', 'config.toml');
    return { cwd, r: await runProgram(file, args, { env, cwd, timeoutMs: 100_000 }) };
  }
  return { cwd, r: await runWithAdminPolicy(path.join(ws.exec, 'admin'), file, args, { env, cwd, timeoutMs: 100_000 }) };
}

async function expectStamp(c: ClientCase, cwd: string, r: RunResult): Promise<void> {
  expect(r.exitCode, explain(r)).toBe(0);
  if (!c.checkPython) {
    expect(r.stdout, explain(r)).toContain(BUILD_HELPER_STAMP);
    return;
  }
  const check = await runProgram(c.checkPython(cwd), ['-I', '-c', STAMP_SCRIPT], { env: { PATH: '/usr/bin:/bin' }, cwd: '/' });
  expect(check.stdout.trim(), explain(check)).toBe(BUILD_HELPER_STAMP);
}

describe('clients that run their own uv, on a noexec profile', () => {
  const workspace = useNoexecWorkspace();

  for (const c of CASES) {
    const name = c.client === 'uv' ? 'python -m uv' : c.client;
    const route = `safe shims install --venv${c.adminPath ? ', policy at /etc/uvx-safe' : ''}`;
    it(`${name}: passes through uvx-safe (${route}); fails with its own uv once uninstalled`, { timeout: 240_000 }, async (ctx) => {
      const venv = clients.venv(ctx, c.client);
      if (c.client === 'pre-commit') needTool(ctx, 'git');
      const ws = workspace();
      fs.mkdirSync(path.join(ws.exec, 'policy'));
      fs.writeFileSync(path.join(ws.exec, 'policy', 'config.toml'), policyToml(ws, venv));
      if (c.adminPath) {
        writeAdminPolicy(path.join(ws.exec, 'admin'), policyToml(ws, venv));
        const why = await adminNamespaceUnavailable(path.join(ws.exec, 'admin'));
        if (why) skipOrFail(ctx, why);
      }
      const before = uvChecksums(venv);
      const profile = snapshotTree(ws.noexec);
      const machineEtc = fs.existsSync('/etc/uvx-safe') ? snapshotTree('/etc/uvx-safe') : null;

      await shimsVenv('install', venv, ws.env);
      const pass = await runCase(c, ws, venv, 'pass', 'through uvx-safe');
      await expectStamp(c, pass.cwd, pass.r);
      expect(fs.existsSync(path.join(ws.exec, 'data', 'cache', 'CACHEDIR.TAG')), 'uv cache in the data root').toBe(true);
      expect(snapshotTree(ws.noexec), 'nothing written under the profile').toEqual(profile);
      expect(fs.existsSync('/etc/uvx-safe') ? snapshotTree('/etc/uvx-safe') : null, "the machine's /etc/uvx-safe untouched").toEqual(machineEtc);

      await shimsVenv('uninstall', venv, ws.env);
      expect(uvChecksums(venv), 'uv and uvx restored byte for byte').toEqual(before);
      expect(fs.existsSync(path.join(venv, 'bin', '.uvx-safe-real'))).toBe(false);

      const fail = await runCase(c, ws, venv, 'fail', 'own uv');
      expect(fail.r.exitCode, explain(fail.r)).not.toBe(0);
      // The build tool, installed into a build environment in the profile's cache, cannot run.
      expect(`${fail.r.stdout}\n${fail.r.stderr}`, explain(fail.r)).toMatch(
        new RegExp(`Permission denied: '${escape(ws.noexec)}/\\S+/builds-v0/\\.tmp\\w+/bin/build-helper'`),
      );
    });
  }
});
