// Edges of the relocation plan's judgement that no unit test reached (mutation testing, docs/design.md
// "Testing"): what --help still judges, that mode = off says nothing, how roots and relative paths are
// shown, which key a template error names, the fail-closed default for who may change a program, the
// environment a pip write finds, and the project's environment behind a link.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fileLayer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
import { ConfigError } from '../../src/errors.js';
import { planRelocation, projectEnvName } from '../../src/relocate/plan.js';
import { programRefusal } from '../../src/relocate/program-location.js';
import { isVersionRequest } from '../../src/relocate/pip-target.js';
import { pipWritesFoundEnv } from '../../src/relocate/project-env.js';
import { withVariableFlags } from '../../src/uv/env-flags.js';
import { configError } from '../helpers/config-error.js';
import { parsedArgs as args } from '../helpers/parsed-args.js';
import { ADMIN, ENFORCE, linux, locationFlag as flag, planOf, WITH_DATA_ROOT } from '../helpers/plan-input.js';

const messages = (p: ReturnType<typeof planOf>) => p.refusals.map((r) => r.message);
const help = args([], { helpOrVersion: true });

describe('--help and --version judge only what the policy itself would place', () => {
  it('a [locations] key or a location under data-root outside the roots is refused even then', () => {
    expect(messages(planOf(`${WITH_DATA_ROOT}\n[locations]\ntool = "/x"`, { args: help }))).toEqual([
      `locations.tool (from ${ADMIN}) (/x) lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`,
    ]);
    // A data root outside: itself and every location under it.
    const outside = planOf(`${ENFORCE}\ndata-root = "/home/me/uv"`, { args: help });
    expect(messages(outside)).toContain(`cache under data-root (/home/me/uv/cache) lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`);
    expect(outside.refusals.find((r) => r.message.startsWith('cache under'))?.hint).toBe(`set data-root (from ${ADMIN}) to a folder inside /dev`);
  });

  it("uv's defaults and inherited variables are not", () => {
    expect(planOf(ENFORCE, { args: help, host: { ...linux, env: { UV_TOOL_DIR: '/x' } } }).refusals).toEqual([]);
  });
});

describe('mode = off, or no roots: nothing is judged, nothing said', () => {
  it.each([
    ['mode = off with roots', 'mode = "off"\nallowed-roots = ["/dev"]\ndata-root = "/home/me/uv"'],
    ['warn without roots', 'mode = "warn"\ndata-root = "/home/me/uv"'],
  ])('%s', (_what, toml) => {
    const p = planOf(toml, { projectRoots: ['/home/me/app'], projectEnvUse: 'uv sync', args: args([flag('cache', '--cache-dir', '/x')]) });
    expect(p.warnings).toEqual([]);
    expect(p.refusals).toEqual([]);
    expect(p.decisions.filter((d) => d.inside !== undefined)).toEqual([]);
  });
});

describe('how roots and paths are shown', () => {
  it('every root, as the admin wrote it, in every message (the project environment\'s too)', () => {
    const host = { ...linux, env: {} };
    const config = mergeLayers([fileLayer('mode = "enforce"\nallowed-roots = ["/dev", "{home}/work"]\ndata-root = "/dev/uv"', ADMIN, 'admin')]);
    const p = planRelocation({ config, args: args([flag('target', '--target', '/x')]), host, cwd: '/dev/app', canonical: (x) => x, projectRoots: ['/home/me/app'], projectEnvUse: 'uv sync' });
    expect(messages(p)).toEqual([
      `--target /x lies outside allowed-roots (/dev, {home}/work (/home/me/work)); refused (mode = enforce, from ${ADMIN})`,
      `the project environment /home/me/app/.venv (used by \`uv sync\`) lies outside allowed-roots (/dev, {home}/work (/home/me/work)); refused (mode = enforce, from ${ADMIN})`,
    ]);
  });

  it('optional roots absent here are listed as skipped', () => {
    const config = mergeLayers([fileLayer('mode = "enforce"\nallowed-roots = ["/dev", { path = "/a", optional = true }, { path = "/b", optional = true }]', ADMIN, 'admin')]);
    const p = planRelocation({ config, args: args([flag('target', '--target', '/x')]), host: linux, cwd: '/dev/app', canonical: (x) => x, isDirectory: (d) => d === '/dev' });
    expect(messages(p)[0]).toBe(`--target /x lies outside allowed-roots (/dev; skipped: /a, /b); refused (mode = enforce, from ${ADMIN})`);
  });

  it('a relative path is shown with the --directory (or UV_WORKING_DIR) it resolves from', () => {
    const cache = flag('cache', '--cache-dir', 'c');
    const moved = planOf(WITH_DATA_ROOT, { args: args([flag('directory', '--directory', '/home/x'), cache]) });
    expect(messages(moved)[0]).toMatch(/^--cache-dir c in --directory \/home\/x \(\/home\/x\/c\) lies outside/);
    const byVariable = planOf(WITH_DATA_ROOT, { args: withVariableFlags(args([cache]), (n) => ({ UV_WORKING_DIR: '/home/x' })[n]) });
    expect(messages(byVariable)[0]).toMatch(/^--cache-dir c in UV_WORKING_DIR=\/home\/x \(\/home\/x\/c\) lies outside/);
  });

  it('UV_WORKING_DIR into a program folder is named as the variable', () => {
    const into = planOf(WITH_DATA_ROOT, { args: withVariableFlags(args(), (n) => ({ UV_WORKING_DIR: '/dev/uv/tools/t' })[n]) });
    expect(messages(into)).toEqual([
      `UV_WORKING_DIR=/dev/uv/tools/t points into the tool folder /dev/uv/tools, where uvx-safe runs programs from; refused (mode = enforce, from ${ADMIN})`,
    ]);
  });

  it('a path written with a trailing separator is shown resolved as well', () => {
    expect(messages(planOf(WITH_DATA_ROOT, { args: args([flag('cache', '--cache-dir', '/home/me/t/')]) }))[0]).toMatch(/^--cache-dir \/home\/me\/t\/ \(\/home\/me\/t\) lies outside/);
  });
});

describe('a missing allowed root', () => {
  const missing = (root: string) => () =>
    planRelocation({ config: mergeLayers([fileLayer(`mode = "enforce"\nallowed-roots = ["${root}"]`, ADMIN, 'admin')]), args: args(), host: linux, cwd: '/', canonical: (p) => p, isDirectory: () => false });

  it('an absolute one: create it, drop it, or mark it optional', () => {
    const err = configError(missing('/srv/nope'));
    expect(err.message).toContain('/srv/nope does not exist');
    expect(err.hint).toMatch(/^create it, remove it from allowed-roots, or write it \{ path = "\/srv\/nope", optional = true \}/);
  });

  it('a relative one (a template further in is still relative): write it absolute', () => {
    const err = configError(missing('data/{user}'));
    expect(err.message).toContain('"data/{user}" (relative to /etc/uvx-safe, so /etc/uvx-safe/data/me) does not exist');
    expect(err.hint).toBe('write the root as an absolute path (docs/config-reference.md#allowed-roots)');
    // One that starts with a template is not relative.
    expect(configError(missing('{home}/nope')).message).toContain(': /home/me/nope does not exist');
  });
});

describe('a template that cannot be expanded names its key', () => {
  it.each([
    ['data-root', 'data-root = "{env:UVX_SAFE_TEST_UNSET}/uv"', {}],
    ['locations.tool', '[locations]\ntool = "{env:UVX_SAFE_TEST_UNSET}/t"', {}],
    ['locations.project-env', '[locations]\nproject-env = "{env:UVX_SAFE_TEST_UNSET}/e"', { projectRoots: ['/home/me/app'] }],
  ])('%s', (key, toml, over) => {
    expect(() => planOf(`${ENFORCE}\n${toml}`, over)).toThrow(ConfigError);
    expect(() => planOf(`${ENFORCE}\n${toml}`, over)).toThrow(`${ADMIN}: ${key}: {env:UVX_SAFE_TEST_UNSET} is used`);
  });
});

describe('programs named by path', () => {
  it('when nobody said who may change a program, it is not taken for a machine program (fail closed)', () => {
    const p = planOf(WITH_DATA_ROOT, { programRequests: [{ origin: '--python /usr/bin/python3', path: '/usr/bin/python3' }] });
    expect(messages(p)).toHaveLength(1);
    expect(messages(p)[0]).toContain('is not a machine program (who may change it was not read)');
  });

  it('the refusal names the program and what runs with it; the repository; the machine folder of the platform', () => {
    const venv = { origin: '--python /home/me/v', path: '/home/me/v', alsoRuns: ['/home/me/py/bin/python3'] };
    const verdict = { allowed: false as const, path: '/home/me/py/bin/python3', real: '/home/me/py/bin/python3', why: 'outside' as const, problem: 'yours' };
    const linuxWords = programRefusal(venv, verdict, '/dev', 'linux');
    expect(linuxWords.message).toBe('--python /home/me/v names the program /home/me/v, which runs /home/me/py/bin/python3, which lies outside allowed-roots (/dev) and is not a machine program (yours)');
    expect(linuxWords.hint).toContain('as /usr/bin, which only administrators can change');
    expect(programRefusal(venv, verdict, 'D:\\dev', 'win32').hint).toContain('as C:\\Program Files, which only administrators can change');
    const repo = { origin: '/r/.python-version:1', path: '/r/py', repository: '/r' };
    const inRepo = programRefusal(repo, { allowed: false, path: '/r/py', real: '/r/py', why: 'repository' }, '/dev', 'linux');
    expect(inRepo.message).toBe("/r/.python-version:1 names the program /r/py: it lies inside the repository (/r), and a repository's file may not choose the program uv runs");
    expect(inRepo.hint).toContain('list /r in safe-directories');
  });
});

describe('the environment a pip write finds', () => {
  it('is judged, named with the command and what chose it', () => {
    const p = planOf(WITH_DATA_ROOT, { args: args([], { command: ['pip', 'install'] }), pipEnvironments: [{ path: '/home/me/venv', origin: 'VIRTUAL_ENV' }, { path: '/dev/v', origin: 'the nearest .venv' }] });
    expect(messages(p)).toEqual([`the environment \`uv pip install\` writes to (/home/me/venv, VIRTUAL_ENV) lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`]);
    expect(p.decisions.filter((d) => d.name === 'venv').map((d) => d.inside)).toEqual([false, true]);
  });

  it('only --python names an interpreter: another location flag leaves the finding to uv', () => {
    const install = (locations: ReturnType<typeof flag>[]) => pipWritesFoundEnv(args(locations, { command: ['pip', 'install'] }), () => undefined);
    expect(install([flag('cache', '--cache-dir', '/dev/c')])).toBe(true);
    expect(install([flag('python', '--python', '/usr/bin/python3')])).toBe(false);
  });

  it("uv's implementation names are version requests alone or with a version; a longer word is an executable name", () => {
    for (const request of ['cpython', 'pypy', 'graalpy', 'cp312', 'pp310']) expect([request, isVersionRequest(request)]).toEqual([request, true]);
    for (const request of ['gpu', 'cpythonx', 'ppy']) expect([request, isVersionRequest(request)]).toEqual([request, false]);
  });
});

describe("the project's environment", () => {
  it('a .venv inside the roots that leads out (a link) is judged where it leads', () => {
    const canonical = (p: string) => (p === '/dev/app/.venv' ? '/home/me/elsewhere' : p);
    const p = planOf(WITH_DATA_ROOT, { projectRoots: ['/dev/app'], projectEnvUse: 'uv sync', canonical });
    expect(messages(p)).toHaveLength(1);
    expect(messages(p)[0]).toMatch(/^the project environment \/dev\/app\/\.venv \(used by `uv sync`\) lies outside/);
    // With locations.project-env it is moved there instead of kept.
    const moved = planOf(`${WITH_DATA_ROOT}\n[locations]\nproject-env = "/dev/envs"`, { projectRoots: ['/dev/app'], canonical });
    expect(moved.env.UV_PROJECT_ENVIRONMENT).toMatch(/^\/dev\/envs\/app-/);
  });

  it('locations.project-env: with several roots uvx-safe cannot choose between, a .venv is kept only if every one is allowed', () => {
    const toml = `${WITH_DATA_ROOT}\n[locations]\nproject-env = "/dev/envs"`;
    const oneOutside = planOf(toml, { projectRoots: ['/dev/app', '/home/me/other'], projectEnvUse: 'uv sync' });
    expect(oneOutside.refusals).toEqual([]);
    expect(oneOutside.env.UV_PROJECT_ENVIRONMENT).toMatch(/^\/dev\/envs\/app-/);
    const allInside = planOf(toml, { projectRoots: ['/dev/app', '/dev/other'], projectEnvUse: 'uv sync' });
    expect(allInside.env.UV_PROJECT_ENVIRONMENT).toBeUndefined();
    expect(allInside.decisions.filter((d) => d.name === 'project-env').map((d) => [d.path, d.inside])).toEqual([
      ['/dev/app/.venv', true],
      ['/dev/other/.venv', true],
    ]);
  });

  it("one environment per project, named by its folder and a hash of its path that stays the same across releases (Windows: any case)", () => {
    const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);
    expect(projectEnvName('/src/App', 'linux')).toBe(`App-${hash('/src/App')}`);
    expect(projectEnvName('/src/app', 'linux')).not.toBe(projectEnvName('/src/App', 'linux'));
    expect(projectEnvName('C:\\Src\\App', 'win32')).toBe(`App-${hash('c:\\src\\app')}`);
    expect(projectEnvName('c:\\src\\app', 'win32')).toBe(`app-${hash('c:\\src\\app')}`);
    expect(projectEnvName('/', 'linux')).toBe(`project-${hash('/')}`);
  });
});
