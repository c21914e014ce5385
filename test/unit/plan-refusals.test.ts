// The relocation plan's refusals, one rule each, at the unit level: written for the mutants of
// src/relocate that no unit test noticed (`npm run mutation`, docs/design.md "Testing"); the e2e
// tests prove the same rules end to end, which mutation runs of the unit tests cannot see.
import { describe, expect, it } from 'vitest';
import { fileLayer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
import { planRelocation } from '../../src/relocate/plan.js';
import type { ParsedUvArgs } from '../../src/uv/argv.js';
import { parsedArgs as args } from '../helpers/parsed-args.js';
import { ADMIN, ENFORCE, linux, locationFlag as flag, planOf as plan, WITH_DATA_ROOT } from '../helpers/plan-input.js';
import { withVariableFlags } from '../../src/uv/env-flags.js';

const messages = (p: ReturnType<typeof plan>) => p.refusals.map((r) => r.message);
const hintFor = (p: ReturnType<typeof plan>, start: string) => p.refusals.find((r) => r.message.startsWith(start))?.hint;

describe("enforce pins uv's default cache when the policy moves nothing", () => {
  it('sets UV_CACHE_DIR to the judged default, so a uv.toml cache-dir cannot move it', () => {
    const p = plan(ENFORCE, { cwd: '/dev/app' });
    expect(p.env.UV_CACHE_DIR).toBe('/home/me/.cache/uv');
    expect(p.decisions.find((d) => d.name === 'cache')).toMatchObject({ source: 'uv-default', variables: ['UV_CACHE_DIR'] });
    // Only the cache: uv's other defaults are judged, not pinned.
    expect(Object.keys(p.env)).toEqual(['UV_CACHE_DIR']);
  });

  it('not in warn mode, without roots, for --help, or when a data-root moves the cache', () => {
    expect(plan('mode = "warn"\nallowed-roots = ["/dev"]').env.UV_CACHE_DIR).toBeUndefined();
    expect(plan('mode = "enforce"').env.UV_CACHE_DIR).toBeUndefined();
    const help = plan(ENFORCE, { args: args([], { helpOrVersion: true }) });
    expect(help.env.UV_CACHE_DIR).toBeUndefined();
    expect(help.decisions.find((d) => d.name === 'cache')?.variables).toEqual([]);
    expect(plan(WITH_DATA_ROOT).env.UV_CACHE_DIR).toBe('/dev/uv/cache');
  });
});

describe('every refusal says what to do instead, by where the location came from', () => {
  it('a flag: a folder inside the roots, or leave out a flag uvx-safe places itself', () => {
    const p = plan(WITH_DATA_ROOT, { args: args([flag('cache', '--cache-dir', '/x'), flag('target', '--target', '/y')]) });
    expect(hintFor(p, '--cache-dir /x')).toBe("use a folder inside /dev, or leave --cache-dir out (uvx-safe places uv's cache itself)");
    expect(hintFor(p, '--target /y')).toBe('use a folder inside /dev');
  });

  it('a flag first on the command line is a flag; one a variable gave (withVariableFlags) is named as the variable', () => {
    const first = plan(WITH_DATA_ROOT, { args: args([{ kind: 'config-file', flag: '--config-file', value: '/x.toml', index: 0 }]) });
    expect(messages(first)).toEqual([`--config-file /x.toml lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`]);
    const given = withVariableFlags(args(), (name) => ({ UV_CONFIG_FILE: '/x.toml' })[name]);
    const fromEnv = plan(WITH_DATA_ROOT, { args: given });
    expect(messages(fromEnv)).toEqual([`UV_CONFIG_FILE=/x.toml lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`]);
    expect(fromEnv.refusals[0]?.hint).toBe('unset UV_CONFIG_FILE, or set it to a folder inside /dev');
  });

  it('an inherited variable: unset it or point it inside', () => {
    const p = plan(WITH_DATA_ROOT, { host: { ...linux, env: { UV_TOOL_DIR: '/x' } } });
    expect(hintFor(p, 'UV_TOOL_DIR=/x')).toBe('unset UV_TOOL_DIR, or set it to a folder inside /dev');
  });

  it('a [locations] key: set it inside, in the file that set it', () => {
    const p = plan(`${WITH_DATA_ROOT}\n[locations]\ntool = "/x"`);
    expect(messages(p)).toEqual([`locations.tool (from ${ADMIN}) (/x) lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`]);
    expect(p.refusals[0]?.hint).toBe(`set it in ${ADMIN} to a folder inside /dev`);
    expect(p.mkdirReasons['/x']).toBe(`locations.tool (from ${ADMIN})`);
    expect(p.mkdirReasons['/dev/uv/cache']).toBe(`cache under data-root (from ${ADMIN})`);
  });

  it("uv's own default: set data-root in the admin policy", () => {
    const p = plan(ENFORCE);
    expect(hintFor(p, "uv's default tool folder")).toBe(
      "set data-root in the admin policy to a folder inside /dev, so that uvx-safe moves uv's tool folder there (docs/config-reference.md#data-root)",
    );
  });

  it('a data-root outside: move it, or widen allowed-roots', () => {
    const p = plan(`${ENFORCE}\ndata-root = "/home/me/uv"`);
    expect(p.refusals[0]?.hint).toBe('set data-root to a folder inside /dev, or add its folder to allowed-roots');
  });

  it('a relative root that does not exist is named as written and as resolved, with its fix', () => {
    const config = mergeLayers([fileLayer('mode = "warn"\nallowed-roots = ["rel/dev"]', ADMIN, 'admin')]);
    const run = () => planRelocation({ config, args: args(), host: linux, cwd: '/', canonical: (p) => p, isDirectory: () => false });
    expect(run).toThrow(/"rel\/dev" \(relative to \/etc\/uvx-safe, so \/etc\/uvx-safe\/rel\/dev\) does not exist/);
    // In mode = off the roots are not used at all: a missing one is no error.
    const off = mergeLayers([fileLayer('mode = "off"\nallowed-roots = ["/nope"]', ADMIN, 'admin')]);
    expect(planRelocation({ config: off, args: args(), host: linux, cwd: '/', canonical: (p) => p, isDirectory: () => false }).refusals).toEqual([]);
  });
});

describe('locations judged beside the uv variables', () => {
  it("an inherited PYX_CREDENTIALS_DIR (pyx's token store) is judged like a location", () => {
    const outside = plan(WITH_DATA_ROOT, { host: { ...linux, env: { PYX_CREDENTIALS_DIR: '/home/me/pyx' } } });
    expect(messages(outside)).toEqual([`PYX_CREDENTIALS_DIR=/home/me/pyx lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`]);
    expect(outside.env.PYX_CREDENTIALS_DIR).toBeUndefined();
    const inside = plan(WITH_DATA_ROOT, { host: { ...linux, env: { PYX_CREDENTIALS_DIR: 'pyx' } } });
    expect(inside.refusals).toEqual([]);
    expect(inside.decisions.find((d) => d.name === 'pyx-credentials')).toMatchObject({ path: '/dev/app/pyx', source: 'env', inside: true });
  });

  it('`uv venv` without a path judges the .venv it makes; not with a path, --help or another command', () => {
    const venv = (over: Partial<ParsedUvArgs>, cwd = '/home/me/app') => plan(WITH_DATA_ROOT, { args: args([], { command: ['venv'], ...over }), cwd });
    expect(messages(venv({}))).toEqual([`uv venv (no path: /home/me/app/.venv) lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`]);
    expect(venv({}, '/dev/app').decisions.find((d) => d.origin === 'uv venv')).toMatchObject({ path: '/dev/app/.venv', inside: true });
    expect(messages(plan(WITH_DATA_ROOT, { args: args([], { command: ['venv'] }), cwd: '/home/me/app', venvDefaults: ['/dev/ws/.venv'] }))).toEqual([]);
    expect(venv({ helpOrVersion: true }).refusals).toEqual([]);
    expect(venv({ command: ['sync'] }).refusals).toEqual([]);
    expect(venv({ locations: [flag('venv', 'venv', '/dev/v')] }).refusals).toEqual([]);
  });

  it("uv's pip target/prefix settings are judged like the flags", () => {
    const p = plan(WITH_DATA_ROOT, { pipSettings: [{ kind: 'prefix', value: '../../home/me/t', origin: '/dev/app/uv.toml [pip] prefix' }] });
    expect(messages(p)).toEqual([`/dev/app/uv.toml [pip] prefix (../../home/me/t) (/home/me/t) lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`]);
    expect(p.decisions.find((d) => d.name === 'prefix')).toMatchObject({ path: '/home/me/t', source: 'config', inside: false });
    expect(p.refusals[0]?.hint).toBe('set it in /dev/app/uv.toml [pip] prefix to a folder inside /dev');
  });

  it('`uv python pin --global` judges the file it writes, except for --help', () => {
    const pin = (helpOrVersion: boolean) => plan(WITH_DATA_ROOT, { globalPin: '/home/me/.config/uv/.python-version', args: args([], { helpOrVersion }) });
    expect(messages(pin(false))).toEqual([
      `uv python pin --global writes /home/me/.config/uv/.python-version, which lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`,
    ]);
    expect(pin(true).refusals).toEqual([]);
  });

  it('a flag without its value is passed over, and only --cache-dir keeps uvx-safe from placing the cache', () => {
    const p = plan(ENFORCE, { args: args([flag('cache', '--cache-dir', undefined), flag('target', '--target', '/dev/t')]) });
    expect(p.decisions.find((d) => d.name === 'cache')).toMatchObject({ source: 'uv-default', path: '/home/me/.cache/uv' });
    expect(p.env.UV_CACHE_DIR).toBe('/home/me/.cache/uv');
  });

  it('rootsConfigured says whether the policy names any root', () => {
    expect(plan(ENFORCE).rootsConfigured).toBe(true);
    expect(plan('mode = "enforce"').rootsConfigured).toBe(false);
    expect(plan('mode = "enforce"\nallowed-roots = []').rootsConfigured).toBe(false);
  });
});

describe('install targets may not point into the folders uvx-safe runs programs from', () => {
  const hint = "choose a folder outside the data root's uv, python, bin, tools and cache folders";

  it.each([
    ['--target into the bin folder', flag('target', '--target', '/dev/uv/bin/x'), 'the python-bin folder /dev/uv/bin'],
    ['--prefix into the managed uv folder', flag('prefix', '--prefix', '/dev/uv/uv'), 'the managed uv folder /dev/uv/uv'],
    ["a venv into uvx-safe's state folder", flag('venv', 'venv', '/dev/uv/.uvx-safe/v'), "uvx-safe's state folder /dev/uv/.uvx-safe"],
    ['--target of the data root itself (it would write its bin)', flag('target', '--target', '/dev/uv'), 'the cache folder /dev/uv/cache'],
  ])('%s is refused', (_what, target, folder) => {
    const p = plan(WITH_DATA_ROOT, { args: args([target]) });
    expect(messages(p)).toEqual([
      `${target.kind} ${target.value} (${target.flag}) points into ${folder}, where uvx-safe runs programs from; refused (mode = enforce, from ${ADMIN})`,
    ]);
    expect(p.refusals[0]?.hint).toBe(hint);
  });

  it('a --directory inside a program folder is refused; a project beside them is not', () => {
    const into = plan(WITH_DATA_ROOT, { args: args([flag('directory', '--directory', '/dev/uv/tools/t')]) });
    expect(messages(into)).toEqual([
      `--directory /dev/uv/tools/t points into the tool folder /dev/uv/tools, where uvx-safe runs programs from; refused (mode = enforce, from ${ADMIN})`,
    ]);
    expect(plan(WITH_DATA_ROOT, { args: args([flag('directory', '--directory', '/dev/uv/projects/p'), flag('target', '--target', '/dev/t')]) }).refusals).toEqual([]);
  });

  it('judged only where roots are checked, and not for --help', () => {
    const target = flag('target', '--target', '/dev/uv/bin/x');
    expect(plan('allowed-roots = ["/dev"]\ndata-root = "/dev/uv"\nmode = "off"', { args: args([target]) }).refusals).toEqual([]);
    expect(plan(WITH_DATA_ROOT, { args: args([target], { helpOrVersion: true }) }).refusals).toEqual([]);
    // warn mode warns about it.
    expect(plan('mode = "warn"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"', { args: args([target]) }).warnings).toHaveLength(1);
  });
});

describe("the project's environment", () => {
  it('an inherited UV_PROJECT_ENVIRONMENT is judged, from each workspace root (uv resolves it there); an empty one is ignored', () => {
    const env = (value: string, projectRoots?: string[]) => plan(WITH_DATA_ROOT, { host: { ...linux, env: { UV_PROJECT_ENVIRONMENT: value } }, projectRoots });
    expect(messages(env('/home/me/env'))).toEqual([`UV_PROJECT_ENVIRONMENT=/home/me/env lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`]);
    expect(env('e', ['/dev/a', '/home/me/b']).decisions.filter((d) => d.name === 'project-env').map((d) => [d.path, d.inside])).toEqual([
      ['/dev/a/e', true],
      ['/home/me/b/e', false],
    ]);
    expect(env('e').decisions.find((d) => d.name === 'project-env')?.path).toBe('/dev/app/e');
    expect(env('', ['/home/me/b']).decisions.find((d) => d.name === 'project-env')).toMatchObject({ path: '/home/me/b/.venv', source: 'uv-default' });
  });

  it("a workspace's .venv outside the roots is refused for the commands that use it, with the way out", () => {
    const use = (projectEnvUse: string | undefined, projectRoots = ['/home/me/app']) => plan(WITH_DATA_ROOT, { projectRoots, projectEnvUse });
    const refused = use('uv sync');
    expect(messages(refused)).toEqual([
      `the project environment /home/me/app/.venv (used by \`uv sync\`) lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`,
    ]);
    expect(refused.refusals[0]?.hint).toMatch(/^move the project under an allowed root, or ask the admin to set locations\.project-env/);
    expect(refused.decisions.find((d) => d.name === 'project-env')).toMatchObject({ path: '/home/me/app/.venv', source: 'uv-default', inside: false });
    expect(use(undefined).refusals).toEqual([]);
    expect(use('uv sync', ['/dev/app']).refusals).toEqual([]);
    // Every workspace member's root: the first inside, the second not.
    expect(messages(use('uv run', ['/dev/app', '/home/me/other']))).toEqual([
      `the project environment /home/me/other/.venv (used by \`uv run\`) lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`,
    ]);
    // Without roots nothing is judged.
    expect(plan('mode = "enforce"', { projectRoots: ['/home/me/app'], projectEnvUse: 'uv sync' }).decisions.find((d) => d.name === 'project-env')?.inside).toBeUndefined();
  });

  it('locations.project-env moves an outside .venv there (one per workspace root, created, judged); an allowed .venv stays', () => {
    const toml = `${WITH_DATA_ROOT}\n[locations]\nproject-env = "{data-root}/envs"`;
    const moved = plan(toml, { projectRoots: ['/home/me/app'], projectEnvUse: 'uv sync' });
    expect(moved.refusals).toEqual([]);
    expect(moved.env.UV_PROJECT_ENVIRONMENT).toMatch(/^\/dev\/uv\/envs\/app-[0-9a-f]{12}$/);
    expect(moved.mkdirs).toContain('/dev/uv/envs');
    expect(moved.mkdirReasons['/dev/uv/envs']).toBe(`locations.project-env (from ${ADMIN})`);
    expect(moved.decisions.find((d) => d.name === 'project-env')).toMatchObject({ source: 'config', origin: ADMIN, variables: ['UV_PROJECT_ENVIRONMENT'], inside: true });
    expect(plan(toml, { projectRoots: ['/dev/app'] }).env.UV_PROJECT_ENVIRONMENT).toBeUndefined();
    const outside = plan(`${WITH_DATA_ROOT}\n[locations]\nproject-env = "/elsewhere"`, { projectRoots: ['/home/me/app'] });
    expect(messages(outside)).toHaveLength(1);
    expect(messages(outside)[0]).toMatch(/^locations\.project-env \(from \/etc\/uvx-safe\/config\.toml\) \(\/elsewhere\/app-[0-9a-f]{12}\) lies outside/);
  });
});

describe('programs named by path, in the plan (issue 15; mutation testing found the plan side unreached by unit tests)', () => {
  const request = (path: string, extra = {}) => ({ origin: `--python ${path}`, path, ...extra });
  const decisionOf = (p: ReturnType<typeof plan>) => p.decisions.find((d) => d.name === 'python-request');

  it('inside the roots it runs; outside, refused in enforce, a warning in warn, unjudged for --help or without roots', () => {
    const inside = plan(WITH_DATA_ROOT, { programRequests: [request('/dev/py/bin/python')] });
    expect(inside.refusals).toEqual([]);
    expect(decisionOf(inside)).toMatchObject({ path: '/dev/py/bin/python', origin: '--python /dev/py/bin/python', inside: true });
    const outside = plan(WITH_DATA_ROOT, { programRequests: [request('/home/me/py/bin/python')], adminOnlyProblem: () => 'its folder is yours' });
    expect(messages(outside)).toHaveLength(1);
    expect(messages(outside)[0]).toContain('/home/me/py/bin/python');
    expect(outside.refusals[0]?.hint).toBeTruthy();
    expect(decisionOf(outside)?.inside).toBe(false);
    const warned = plan('mode = "warn"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"', { programRequests: [request('/home/me/py/bin/python')], adminOnlyProblem: () => 'x' });
    expect(warned.refusals).toEqual([]);
    expect(warned.warnings.join('\n')).toContain('/home/me/py/bin/python');
    const help = plan(WITH_DATA_ROOT, { programRequests: [request('/home/me/py/bin/python')], args: args([], { helpOrVersion: true }) });
    expect(help.refusals).toEqual([]);
    expect(decisionOf(help)?.inside).toBeUndefined();
    expect(decisionOf(plan('mode = "enforce"', { programRequests: [request('/home/me/py/bin/python')] }))?.inside).toBeUndefined();
  });

  it('a machine program (no one but an administrator can change it) runs from outside the roots', () => {
    const machine = plan(WITH_DATA_ROOT, { programRequests: [request('/usr/bin/python3')], adminOnlyProblem: () => undefined });
    expect(machine.refusals).toEqual([]);
    expect(decisionOf(machine)?.inside).toBe(true);
  });
});

describe('smaller edges of the plan', () => {
  it('only the cache is pinned: the other defaults set no variable', () => {
    const p = plan(ENFORCE);
    expect(p.decisions.filter((d) => d.source === 'uv-default' && d.name !== 'cache').every((d) => d.variables.length === 0)).toBe(true);
  });

  it('[env]: an unlocked key nobody inherited is set', () => {
    expect(plan('[env]\nUV_LINK_MODE = "copy"').env).toEqual({ UV_LINK_MODE: 'copy' });
  });

  it('`uv venv` with another location flag still judges the .venv it makes', () => {
    const p = plan(WITH_DATA_ROOT, { args: args([flag('cache', '--cache-dir', '/dev/c')], { command: ['venv'] }), cwd: '/home/me/app' });
    expect(messages(p)).toEqual([`uv venv (no path: /home/me/app/.venv) lies outside allowed-roots (/dev); refused (mode = enforce, from ${ADMIN})`]);
  });
});
