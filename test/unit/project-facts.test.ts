// What the plan needs to know of the project (src/launch/project-facts.ts), at the unit level on
// scratch folders: read only when a policy checks locations; the project's roots and whether the
// command uses its environment; `--active`; `uv venv` at a workspace root; which environment a pip
// write lands in; when uv must be asked for its merged pip settings, and what its answer decides. The
// refusals these lead to are proven end to end (test/e2e/project-resolution, pip-environments,
// uv-settings tests).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLayer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
import type { LaunchContext } from '../../src/context.js';
import { projectFacts, settingOrigin, type ProjectFactsOptions } from '../../src/launch/project-facts.js';
import { parseUvArgs } from '../../src/uv/argv.js';
import type { UvPipSettings } from '../../src/uv/show-settings.js';

let root: string;
let project: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-facts-')));
  project = path.join(root, 'project');
  fs.mkdirSync(path.join(root, 'home'));
  write('project/pyproject.toml', '[project]\nname = "app"\nversion = "0"\n');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function write(relative: string, text = ''): string {
  const f = path.join(root, relative);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
  return f;
}
function venv(relative: string): string {
  write(`${relative}/pyvenv.cfg`, 'home = /usr/bin\n');
  write(`${relative}/bin/python3`);
  return path.join(root, relative);
}

const CHECKING = () => ['mode = "enforce"', `allowed-roots = ["${root}"]`];
/** projectFacts for `uv ARGS` started in the project, the variables uv sees being `vars`. */
function facts(argv: string[], vars: Record<string, string> = {}, lines = CHECKING(), options: ProjectFactsOptions = {}, cwd = project) {
  const config = mergeLayers([fileLayer(`${lines.join('\n')}\n`, '/etc/uvx-safe/config.toml', 'admin')]);
  const env = { PATH: '', ...vars };
  const ctx: LaunchContext = {
    invokedAs: 'uvx-safe',
    args: argv,
    env,
    cwd,
    host: { platform: 'linux', env, home: path.join(root, 'home'), user: 'me' },
    self: [],
    launcherPath: '/x/uvx-safe',
  };
  return projectFacts(ctx, parseUvArgs(argv), cwd, config, (name) => env[name as keyof typeof env], options);
}

describe('read only when a policy checks locations', () => {
  it.each([
    ['no roots', ['mode = "warn"']],
    ['mode = off', ['mode = "off"', `allowed-roots = ["/x"]`]],
  ])('%s: no project, no environment, nothing asked', (_what, lines) => {
    venv('active');
    const f = facts(['pip', 'install', 'x'], { VIRTUAL_ENV: path.join(root, 'active') }, lines);
    expect(f).toEqual({ projectRoots: undefined, projectEnvUse: undefined, venvDefaults: undefined, pipEnvironments: undefined, pipSettings: undefined });
    expect(facts(['sync'], {}, lines).projectEnvUse).toBeUndefined();
    write('project/uv.toml', '[pip]\n');
    expect(facts(['pip', 'list'], {}, lines).askUvSettings).toBeUndefined();
  });

  it('locations.project-env needs the roots whatever the command', () => {
    const f = facts(['lock'], {}, ['mode = "warn"', '[locations]', 'project-env = "/envs"']);
    expect(f.projectRoots).toEqual([project]);
    expect(f.projectEnvUse).toBeUndefined();
  });

  it('safe doctor (inspectProject) finds the project for any command', () => {
    expect(facts(['lock'], {}, CHECKING(), { inspectProject: true }).projectRoots).toEqual([project]);
    expect(facts(['lock']).projectRoots).toBeUndefined();
  });
});

describe("the project's environment", () => {
  it('`uv sync` uses it: the workspace root is found', () => {
    expect(facts(['sync'])).toMatchObject({ projectRoots: [project], projectEnvUse: 'uv sync' });
  });

  it('`--active` with VIRTUAL_ENV writes into that environment instead (resolved from uv\'s folder); without it, the project\'s', () => {
    const active = facts(['sync', '--active'], { VIRTUAL_ENV: 'env' });
    expect(active.projectEnvUse).toBeUndefined();
    expect(active.pipEnvironments).toEqual([{ path: path.join(project, 'env'), origin: 'VIRTUAL_ENV, --active' }]);
    expect(facts(['sync', '--active']).projectEnvUse).toBe('uv sync');
    expect(facts(['sync', '--active'], { VIRTUAL_ENV: '' }).projectEnvUse).toBe('uv sync');
    fs.mkdirSync(path.join(root, 'elsewhere'));
    expect(facts(['--directory', '../elsewhere', '--cache-dir', 'c', 'sync', '--active'], { VIRTUAL_ENV: 'env' }).pipEnvironments?.[0]?.path).toBe(path.join(root, 'elsewhere', 'env'));
  });

  it('`uv venv` without a path at a workspace root makes the project\'s environment; with --no-project, or elsewhere, a .venv here', () => {
    expect(facts(['venv'])).toMatchObject({ projectEnvUse: 'uv venv', projectRoots: [project], venvDefaults: [path.join(project, '.venv')] });
    expect(facts(['venv', '--no-project'])).toMatchObject({ projectEnvUse: undefined, venvDefaults: [path.join(project, '.venv')] });
    expect(facts(['venv'], { UV_NO_PROJECT: '1' }).projectEnvUse).toBeUndefined();
    fs.mkdirSync(path.join(project, 'src'));
    expect(facts(['venv'], {}, CHECKING(), {}, path.join(project, 'src'))).toMatchObject({ projectEnvUse: undefined, venvDefaults: [path.join(project, 'src', '.venv')] });
    expect(facts(['venv', 'v']).venvDefaults).toBeUndefined();
    // Other options and location flags leave it the project's; --no-workspace too is a way out.
    expect(facts(['venv', '--seed', '--cache-dir', 'c']).projectEnvUse).toBe('uv venv');
    expect(facts(['venv', '--no-workspace']).projectEnvUse).toBeUndefined();
  });
});

describe('where a pip write lands', () => {
  it('the environment uv finds (no uv config files anywhere)', () => {
    const active = venv('active');
    expect(facts(['pip', 'install', 'x'], { VIRTUAL_ENV: active }).pipEnvironments).toEqual([{ path: active, origin: 'VIRTUAL_ENV' }]);
    expect(facts(['pip', 'list'], { VIRTUAL_ENV: active }).pipEnvironments).toBeUndefined();
    for (const command of [['pip', 'sync', 'r.txt'], ['pip', 'uninstall', 'x']]) expect(facts(command, { VIRTUAL_ENV: active }).pipEnvironments).toEqual([{ path: active, origin: 'VIRTUAL_ENV' }]);
    // Without a version request uv takes the first it finds: a .venv further on is not judged,
    // whatever other location flags say.
    venv('project/.venv');
    expect(facts(['pip', 'install', '--cache-dir', 'c', 'x'], { VIRTUAL_ENV: active }).pipEnvironments).toEqual([{ path: active, origin: 'VIRTUAL_ENV' }]);
  });

  it('a version request: every candidate', () => {
    const active = venv('active');
    const dot = venv('project/.venv');
    expect(facts(['pip', 'install', '-p', '3.12', 'x'], { VIRTUAL_ENV: active }).pipEnvironments?.map((e) => e.path)).toEqual([active, dot]);
    expect(facts(['pip', 'install', 'x'], { VIRTUAL_ENV: active, UV_PYTHON: '3.12' }).pipEnvironments?.map((e) => e.path)).toEqual([active, dot]);
  });

  it('an interpreter named by path: its environment', () => {
    const named = venv('named');
    expect(facts(['pip', 'install', '--python', path.join(named, 'bin', 'python3'), 'x']).pipEnvironments).toEqual([
      { path: named, origin: `--python ${path.join(named, 'bin', 'python3')}` },
    ]);
    // Named but absent on the search path: nothing (uv fails without writing).
    expect(facts(['pip', 'install', '--python', 'mypython', 'x']).pipEnvironments).toBeUndefined();
  });
});

describe("uv's config files: ask uv what it merged, then judge its answer", () => {
  const sources = () => [{ kind: 'project' as const, file: path.join(project, 'uv.toml') }];
  const answer = (settings: Partial<UvPipSettings>) => ({ uvSettings: { settings: { system: false, breakSystemPackages: false, ...settings }, sources: sources() } });

  it('a pip write with a uv.toml about: ask, and judge nothing yet', () => {
    write('project/uv.toml', '[pip]\n');
    const f = facts(['pip', 'install', 'x'], { VIRTUAL_ENV: venv('active') });
    expect(f.askUvSettings).toEqual(sources());
    expect(f.pipEnvironments).toBeUndefined();
    expect(f.projectEnvUse).toBeUndefined();
  });

  it('not for --help or --show-settings (uv writes nothing then), nor when nothing is about', () => {
    write('project/uv.toml', '[pip]\n');
    expect(facts(['pip', 'install', '--show-settings', 'x']).askUvSettings).toBeUndefined();
    expect(facts(['pip', 'install', '--help']).askUvSettings).toBeUndefined();
    fs.rmSync(path.join(project, 'uv.toml'));
    expect(facts(['pip', 'install', 'x']).askUvSettings).toBeUndefined();
  });

  it('a pip command that runs an interpreter: ask unless --python or UV_PYTHON names it; one without --python: never', () => {
    write('project/uv.toml', '[pip]\n');
    expect(facts(['pip', 'list']).askUvSettings).toEqual(sources());
    expect(facts(['pip', 'list', '--python', '3.12']).askUvSettings).toBeUndefined();
    expect(facts(['pip', 'list', '--cache-dir', 'c']).askUvSettings).toEqual(sources());
    expect(facts(['pip', 'list'], { UV_PYTHON: '3.12' }).askUvSettings).toBeUndefined();
    expect(facts(['pip', 'list', '--show-settings']).askUvSettings).toBeUndefined();
    expect(facts(['pip', 'list', '--help']).askUvSettings).toBeUndefined();
    expect(facts(['sync']).askUvSettings).toBeUndefined();
  });

  it("the answer's target and prefix are judged as settings, unless the command line gives them", () => {
    const f = facts(['pip', 'install', 'x'], {}, CHECKING(), answer({ target: '/t', prefix: '/p' }));
    expect(f.askUvSettings).toBeUndefined();
    expect(f.pipSettings).toEqual([
      { kind: 'target', value: '/t', origin: settingOrigin('target', sources()) },
      { kind: 'prefix', value: '/p', origin: settingOrigin('prefix', sources()) },
    ]);
    // With a target, uv writes there: the environment it would find is not judged.
    expect(f.pipEnvironments).toBeUndefined();
    expect(facts(['pip', 'install', '--target', '/mine', 'x'], {}, CHECKING(), answer({ target: '/t' })).pipSettings).toEqual([]);
    expect(facts(['pip', 'install', '--cache-dir', 'c', 'x'], {}, CHECKING(), answer({ target: '/t' })).pipSettings?.map((s) => s.kind)).toEqual(['target']);
    for (const command of [['pip', 'sync', 'r.txt'], ['pip', 'uninstall', 'x']]) expect(facts(command, {}, CHECKING(), answer({ target: '/t' })).pipSettings?.map((s) => s.kind)).toEqual(['target']);
    // Only a write's target matters.
    expect(facts(['pip', 'list'], {}, CHECKING(), answer({ target: '/t' })).pipSettings).toBeUndefined();
    expect(settingOrigin('target', sources())).toBe(`pip setting target (uv's settings: ${path.join(project, 'uv.toml')})`);
    expect(settingOrigin('python', [...sources(), { kind: 'user', file: '/home/me/.config/uv/uv.toml' }])).toBe(
      `pip setting python (uv's settings: ${path.join(project, 'uv.toml')}, /home/me/.config/uv/uv.toml)`,
    );
  });

  it("the answer's python names the interpreter, and system the first Python on PATH", () => {
    const named = venv('named');
    expect(facts(['pip', 'install', 'x'], {}, CHECKING(), answer({ python: path.join(named, 'bin', 'python3') })).pipEnvironments).toEqual([
      { path: named, origin: `${settingOrigin('python', sources())} (${path.join(named, 'bin', 'python3')})` },
    ]);
    write('sys/bin/python3');
    const system = facts(['pip', 'install', 'x'], { PATH: path.join(root, 'sys', 'bin') }, CHECKING(), answer({ system: true }));
    expect(system.pipEnvironments).toEqual([{ path: path.join(root, 'sys'), origin: `${settingOrigin('system', sources())}: ${path.join(root, 'sys', 'bin', 'python3')}` }]);
    // system = false is no request: the environment uv finds.
    const active = venv('active');
    expect(facts(['pip', 'install', 'x'], { VIRTUAL_ENV: active }, CHECKING(), answer({ system: false })).pipEnvironments).toEqual([{ path: active, origin: 'VIRTUAL_ENV' }]);
    // A version as the python setting: every candidate.
    const dot = venv('project/.venv');
    expect(facts(['pip', 'install', 'x'], { VIRTUAL_ENV: active }, CHECKING(), answer({ python: '3.12' })).pipEnvironments?.map((e) => e.path)).toEqual([active, dot]);
  });
});
