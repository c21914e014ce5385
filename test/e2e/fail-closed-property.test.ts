// Issue 8, "Done when": every command shape (uv commands, help and version forms, each `safe` command)
// through the launcher and the real uv 0.13.9, under an enforce policy whose unlocked keys are pointed
// outside allowed-roots by each hostile source in turn (a project file's data-root and [locations],
// which are ignored, UVX_SAFE_* variables, uv's own UV_* variables): nothing may appear outside
// allowed-roots. The whole temp root (home, XDG folders and TMPDIR of the sandbox included) is
// compared before and after. Each variable is also tried alone, for each location, with the commands
// that write that location (a warn-mode control shows they do), and must be refused by name: one
// refusal among many would hide a location nobody judges.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineIndexArgs } from '../helpers/fixtures.js';
import { explain, runLauncher, sandboxEnv, type RunResult, type SandboxEnv } from '../helpers/uv.js';
import { createdOutside, listTree } from '../helpers/tree.js';
import { makeTempDir } from '../helpers/workspace.js';
import { expectRefused, messagesOf, writeLines } from '../helpers/refusal.js';

let root: string;
let allowed: string;
let outside: string;
let base: SandboxEnv;

const write = writeLines;

/** Every command shape; `{allowed}` is replaced by the allowed root. */
function commands(): string[][] {
  return [
    ['sync'],
    ['run', 'python', '-c', 'pass'],
    ['venv'],
    ['venv', 'env2'],
    // --target inside the allowed root: with the sandbox's UV_PYTHON (the machine's interpreter) and
    // no venv, uv pip would otherwise install into the machine's own Python.
    pipInstall(),
    ['tool', 'run', ...offlineIndexArgs(), 'hello-cli'],
    toolInstall(),
    ['python', 'install', '3.12'],
    ['auth', 'login', 'http://127.0.0.1:9/simple', '--username', 'u', '--password', 'p'],
    ['cache', 'dir'],
    ['auth', 'dir'],
    ['lock'],
    ['--version'],
    ['-V'],
    ['-h'],
    ['help'],
    ['sync', '--help'],
    ['pip', '--help'],
    ['safe', 'doctor'],
    ['safe', 'env', '--shell', 'bash'],
    ['safe', 'config', 'show'],
    ['safe', 'config', 'validate'],
    ['safe', 'config', 'schema'],
    ['safe', 'shims', 'install', '--dir', path.join(allowed, 'shims')],
    ['safe', 'version'],
    ['safe', 'uv', 'list'],
    ['safe', '--help'],
  ];
}

/** Every location; the hostile project file points each one outside. */
const PROJECT_LOCATIONS = ['cache', 'temp', 'python', 'python-bin', 'tool', 'tool-bin', 'credentials', 'project-env'];

interface Location {
  key: (typeof PROJECT_LOCATIONS)[number];
  /** uv's own variable for it (temp has none: TMPDIR is the system's). */
  uvVariable?: string;
  /** Command shapes that write into it. */
  writers: () => string[][];
}
const toolInstall = () => ['tool', 'install', '--reinstall', ...offlineIndexArgs(), 'hello-cli'];
const pipInstall = () => ['pip', 'install', '--target', path.join(allowed, 'pip-target'), 'hello-cli', ...offlineIndexArgs()];
const LOCATIONS: Location[] = [
  { key: 'cache', uvVariable: 'UV_CACHE_DIR', writers: () => [['sync'], pipInstall()] },
  { key: 'temp', writers: () => [['sync'], pipInstall()] },
  // uv makes the install folder (and its lock) before it finds it may not download.
  { key: 'python', uvVariable: 'UV_PYTHON_INSTALL_DIR', writers: () => [['python', 'install', '3.12']] },
  // uv writes here only after a download, which this offline suite cannot give it; judged all the same.
  { key: 'python-bin', uvVariable: 'UV_PYTHON_BIN_DIR', writers: () => [['python', 'install', '3.12']] },
  { key: 'tool', uvVariable: 'UV_TOOL_DIR', writers: () => [toolInstall()] },
  { key: 'tool-bin', uvVariable: 'UV_TOOL_BIN_DIR', writers: () => [toolInstall()] },
  {
    key: 'credentials',
    uvVariable: 'UV_CREDENTIALS_DIR',
    writers: () => [['auth', 'login', 'http://127.0.0.1:9/simple', '--username', 'u', '--password', 'p']],
  },
  { key: 'project-env', uvVariable: 'UV_PROJECT_ENVIRONMENT', writers: () => [['sync']] },
];
/** The locations uv really writes in this suite (the warn-mode control proves each). */
const WRITTEN = LOCATIONS.filter((l) => l.key !== 'python-bin');
const uvxSafeVariable = (key: string) => `UVX_SAFE_LOCATIONS_${key.toUpperCase().replace(/-/g, '_')}`;

/** The shapes run for the single-variable scenarios, to keep the process count in the tens. */
const SHORT = new Set(['sync', 'venv env2', 'pip install', 'cache dir', '--version', 'sync --help', 'safe doctor', 'safe env']);

interface Scenario {
  name: string;
  /** Only the SHORT shapes. */
  short?: boolean;
  /** The project folder (under allowed-roots) the commands run in. */
  cwd: string;
  env: Record<string, string | undefined>;
}

/** A project folder `name` under `parent` (the allowed root unless said), with a project file if `extra`. */
function project(name: string, extra: string[] = [], parent = allowed): string {
  const dir = path.join(parent, name);
  write(path.join(dir, 'pyproject.toml'), ['[project]', `name = "${name}"`, 'version = "1"', 'requires-python = ">=3.8"', 'dependencies = []']);
  if (extra.length) write(path.join(dir, '.uvx-safe.toml'), extra);
  return dir;
}

function scenarios(): Scenario[] {
  const o = (name: string) => path.join(outside, name);
  return [
    {
      name: 'project file',
      cwd: project('proj-file', [
        `data-root = "${o('project-data')}"`,
        '[locations]',
        ...PROJECT_LOCATIONS.map((key) => `${key} = "${o(`project-${key}`)}"`),
      ]),
      env: base,
    },
    {
      name: 'UVX_SAFE_* variables',
      cwd: project('proj-uvx-safe-vars'),
      env: {
        ...base,
        UVX_SAFE_DATA_ROOT: o('env-data'),
        UVX_SAFE_LOCATIONS_CACHE: o('env-cache'),
        UVX_SAFE_LOCATIONS_TEMP: o('env-temp'),
        UVX_SAFE_LOCATIONS_TOOL: o('env-tool'),
        UVX_SAFE_LOCATIONS_CREDENTIALS: o('env-credentials'),
        UVX_SAFE_LOCATIONS_PROJECT_ENV: o('env-project-env'),
      },
      short: true,
    },
    {
      name: 'UV_* variables',
      cwd: project('proj-uv-vars'),
      env: {
        ...base,
        UV_CACHE_DIR: o('uv-cache'),
        UV_PYTHON_INSTALL_DIR: o('uv-python'),
        UV_PYTHON_BIN_DIR: o('uv-python-bin'),
        UV_TOOL_DIR: o('uv-tool'),
        UV_TOOL_BIN_DIR: o('uv-tool-bin'),
        UV_CREDENTIALS_DIR: o('uv-credentials'),
        UV_PROJECT_ENVIRONMENT: o('uv-project-env'),
      },
    },
    // uv's location flags as variables, one at a time: together the first refusal would hide the rest.
    { name: 'UV_WORKING_DIR', cwd: project('proj-wd'), env: { ...base, UV_WORKING_DIR: outside }, short: true },
    { name: 'UV_CONFIG_FILE', cwd: project('proj-cf'), env: { ...base, UV_CONFIG_FILE: o('uv.toml') }, short: true },
  ];
}

/** Runs `tasks` at most `limit` at a time (the machine has two cores, shared). */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

beforeAll(async () => {
  root = fs.realpathSync(await makeTempDir('uvx-safe-property-'));
  allowed = path.join(root, 'allowed');
  outside = path.join(root, 'outside');
  fs.mkdirSync(allowed);
  fs.mkdirSync(outside);
  write(path.join(outside, 'uv.toml'), [`cache-dir = "${path.join(outside, 'toml-cache')}"`]);
  const admin = path.join(root, 'etc', 'config.toml');
  // Nothing locked: every key is left for the hostile sources to try.
  write(admin, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${path.join(allowed, 'data')}"`]);
  base = { ...sandboxEnv(path.join(root, 'sandbox')), UVX_SAFE_SYSTEM_CONFIG: admin };
});
afterAll(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

describe('fail closed, for every command shape', () => {
  it('creates nothing outside allowed-roots, whichever unlocked key points outside', async () => {
    const all = scenarios();
    const before = listTree(root);
    const runs: { scenario: string; args: string[]; result: RunResult }[] = [];
    for (const scenario of all) {
      const shapes = commands().filter((args) => !scenario.short || SHORT.has(args.slice(0, 2).join(' ')));
      const results = await pool(shapes.map((args) => () => runLauncher(args, { env: scenario.env, cwd: scenario.cwd })), 4);
      results.forEach((result, i) => runs.push({ scenario: scenario.name, args: shapes[i]!, result }));
    }
    const leaked = createdOutside(root, before, [allowed]);
    expect(leaked, `created outside allowed-roots:\n${leaked.join('\n')}`).toEqual([]);

    // The runs were real: no launcher crash, and each hostile source was refused at least once.
    for (const { result } of runs) expect(result.stderr, explain(result)).not.toContain('internal error');
    for (const scenario of all.filter((s) => s.name !== 'project file')) {
      const refused = runs.filter((r) => r.scenario === scenario.name && r.result.exitCode === 2 && r.result.stderr.includes('outside allowed-roots'));
      expect(refused.length, `${scenario.name}: no command was refused`).toBeGreaterThan(0);
    }
    // The project file is not refused but ignored, key by key, with a warning naming it: no command is
    // refused for it (some fail against each other: `venv` where `sync` made .venv), uv uses the admin's
    // data root, and none of the outside folders it names appears (above).
    const projectFile = path.join(allowed, 'proj-file', '.uvx-safe.toml');
    const ignored = ['data-root', ...PROJECT_LOCATIONS.map((key) => `locations.${key}`)].map(
      (key) => `warning: uvx-safe: ${projectFile}: ${key} cannot be set by a project config; ignored`,
    );
    const fromFile = runs.filter((r) => r.scenario === 'project file');
    for (const { result } of fromFile) {
      const refusals = messagesOf(result.stderr).filter((said) => said.level === 'error');
      expect(refusals, explain(result)).toEqual([]);
      expect(`${result.stdout}\n${result.stderr}`, explain(result)).not.toContain(outside);
    }
    const cacheDir = fromFile.find((r) => r.args.join(' ') === 'cache dir')!.result;
    expect(cacheDir.stdout, explain(cacheDir)).toBe(path.join(allowed, 'data', 'cache'));
    expect(cacheDir.stderr.split('\n'), explain(cacheDir)).toEqual(ignored);
    const pip = fromFile.find((r) => r.args.slice(0, 2).join(' ') === 'pip install')!.result;
    expect(pip.exitCode, explain(pip)).toBe(0);
    expect(fs.existsSync(path.join(allowed, 'pip-target', 'hello_cli')), explain(pip)).toBe(true);
    // Help and version forms with only inherited UV_* variables outside still work: uv uses no folder then.
    const version = runs.find((r) => r.scenario === 'UV_* variables' && r.args.join(' ') === '--version')!;
    expect(version.result.exitCode, explain(version.result)).toBe(0);
  });

  // Each variable alone, run by the commands that write its location: one refusal among many (above)
  // would hide a location nobody judges.
  it.each(
    LOCATIONS.flatMap(({ key, uvVariable }) =>
      [uvVariable, uvxSafeVariable(key)].filter((v) => v !== undefined).map((variable) => ({ key, variable })),
    ),
  )('$variable alone: every command that writes $key is refused naming it and the folder; nothing appears outside', async ({ key, variable }) => {
    const target = path.join(outside, `alone-${variable}`);
    // locations.project-env moves only environments that would lie outside allowed-roots (a project's
    // allowed .venv is kept): its project lies outside.
    const cwd = project(`proj-alone-${variable}`, [], key === 'project-env' && !variable.startsWith('UV_') ? outside : allowed);
    const named = variable.startsWith('UV_') ? `${variable}=` : `locations.${key}`;
    const before = listTree(root);
    for (const args of LOCATIONS.find((l) => l.key === key)!.writers()) {
      const r = await runLauncher(args, { env: { ...base, [variable]: target }, cwd });
      expectRefused(r, named, target, 'outside allowed-roots');
    }
    const leaked = createdOutside(root, before, [allowed]);
    expect(leaked, `created outside allowed-roots:\n${leaked.join('\n')}`).toEqual([]);
  });

  it.each(WRITTEN.map((l) => ({ key: l.key, variable: l.uvVariable ?? uvxSafeVariable(l.key), writers: l.writers })))(
    'the commands run for $key do write it: in warn mode, $variable outside gets a folder outside',
    async ({ key, variable, writers }) => {
      const before = listTree(root);
      const target = path.join(outside, `warn-${key}`);
      const cwd = path.join(allowed, `proj-warn-${key}`);
      write(path.join(cwd, 'pyproject.toml'), ['[project]', `name = "warn-${key}"`, 'version = "1"', 'requires-python = ">=3.8"', 'dependencies = []']);
      for (const args of writers()) {
        const r = await runLauncher(args, { env: { ...base, UVX_SAFE_MODE: 'warn', [variable]: target }, cwd });
        expect(r.stderr, explain(r)).not.toContain('internal error');
      }
      const made = createdOutside(root, before, [allowed]);
      expect(made, `nothing under ${target}`).toContain(`${path.relative(root, target)}/`);
      fs.rmSync(target, { recursive: true, force: true });
    },
  );

  it('the same comparison does see a folder made outside (warn mode lets it happen)', async () => {
    const before = listTree(root);
    const dir = path.join(allowed, 'proj-uvx-safe-vars');
    const cache = path.join(outside, 'warn-cache');
    const r = await runLauncher(['cache', 'dir'], { env: { ...base, UVX_SAFE_MODE: 'warn', UVX_SAFE_LOCATIONS_CACHE: cache }, cwd: dir });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout, explain(r)).toBe(cache);
    expect(createdOutside(root, before, [allowed])).toContain(`outside${path.sep}warn-cache/`);
  });
});
