// The report's rule of each refusal and warning the plan makes (docs/config-reference.md, `report`:
// "a stable id of what fired, to count by"), and the decisions `safe doctor` lists: what chose each
// folder and which variables uvx-safe sets for it. Written for the mutants of src/relocate that no
// unit test noticed (docs/design.md "Testing").
import { describe, expect, it } from 'vitest';
import type { PlanInput, RelocationPlan } from '../../src/relocate/plan.js';
import { withVariableFlags } from '../../src/uv/env-flags.js';
import { parsedArgs as args } from '../helpers/parsed-args.js';
import { ENFORCE, linux, locationFlag as flag, planOf, WITH_DATA_ROOT } from '../helpers/plan-input.js';

const WARN = 'mode = "warn"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"';
const rules = (p: RelocationPlan) => p.refusals.map((r) => r.rule);
/** The one rule of a plan that refuses exactly one thing. */
function onlyRule(toml: string, over: Partial<PlanInput>): string | undefined {
  const p = planOf(toml, over);
  expect(p.refusals.map((r) => r.message)).toHaveLength(1);
  return p.refusals[0]!.rule;
}

describe('outside-allowed-roots: what chose the folder, never a path', () => {
  it.each<[string, Partial<PlanInput>, string]>([
    ['a flag', { args: args([flag('cache', '--cache-dir', '/x')]) }, 'outside-allowed-roots:--cache-dir'],
    ['`uv venv` without a path (no flag: the kind)', { args: args([], { command: ['venv'] }), cwd: '/home/me/app' }, 'outside-allowed-roots:venv'],
    ['a flag a variable gave', { args: withVariableFlags(args(), (n) => ({ UV_CONFIG_FILE: '/x.toml' })[n]) }, 'outside-allowed-roots:UV_CONFIG_FILE'],
    ["an inherited uv variable", { host: { ...linux, env: { UV_TOOL_DIR: '/x' } } }, 'outside-allowed-roots:UV_TOOL_DIR'],
    ['UV_PYTHON_CACHE_DIR', { host: { ...linux, env: { UV_PYTHON_CACHE_DIR: '/x' } } }, 'outside-allowed-roots:UV_PYTHON_CACHE_DIR'],
    ['PYX_CREDENTIALS_DIR', { host: { ...linux, env: { PYX_CREDENTIALS_DIR: '/x' } } }, 'outside-allowed-roots:PYX_CREDENTIALS_DIR'],
    ['the environment a pip write finds, by its variable', { pipEnvironments: [{ path: '/x', origin: 'VIRTUAL_ENV' }] }, 'outside-allowed-roots:VIRTUAL_ENV'],
    ['the environment a pip write finds, by words', { pipEnvironments: [{ path: '/x', origin: 'the nearest .venv' }] }, 'outside-allowed-roots:venv'],
    ['an interpreter named as UV_PYTHON=PATH (the path stays out)', { pipEnvironments: [{ path: '/x', origin: 'UV_PYTHON=/home/me/py' }] }, 'outside-allowed-roots:venv'],
    ['a path that ends in capitals (Windows) stays out', { pipEnvironments: [{ path: '/x', origin: '--system: C:\\PYTHON312\\PYTHON.EXE' }] }, 'outside-allowed-roots:venv'],
    ["uv's pip prefix setting (no [locations] key)", { pipSettings: [{ kind: 'prefix', value: '/x', origin: '/dev/app/uv.toml [pip] prefix' }] }, 'outside-allowed-roots:prefix'],
    ['`uv python pin --global`', { globalPin: '/home/me/.config/uv/.python-version' }, 'outside-allowed-roots:uv-default.python-pin'],
    ['an inherited UV_PROJECT_ENVIRONMENT', { host: { ...linux, env: { UV_PROJECT_ENVIRONMENT: '/x' } } }, 'outside-allowed-roots:UV_PROJECT_ENVIRONMENT'],
    ["the project's .venv", { projectRoots: ['/home/me/app'], projectEnvUse: 'uv sync' }, 'outside-allowed-roots:project-env'],
  ])('%s', (_what, over, rule) => {
    expect(onlyRule(WITH_DATA_ROOT, over)).toBe(rule);
  });

  it('a [locations] key, and locations.project-env', () => {
    expect(onlyRule(`${WITH_DATA_ROOT}\n[locations]\ntool = "/x"`, {})).toBe('outside-allowed-roots:locations.tool');
    expect(onlyRule(`${WITH_DATA_ROOT}\n[locations]\nproject-env = "/x"`, { projectRoots: ['/home/me/app'] })).toBe('outside-allowed-roots:locations.project-env');
  });

  it("data-root itself, a location under it, and uv's own defaults", () => {
    const outside = planOf(`${ENFORCE}\ndata-root = "/home/me/uv"`);
    expect(rules(outside)).toContain('outside-allowed-roots:data-root');
    expect(rules(outside)).toContain('outside-allowed-roots:data-root.cache');
    expect(rules(planOf(ENFORCE))).toContain('outside-allowed-roots:uv-default.cache');
  });
});

describe('the other rules of the plan', () => {
  it('an install target in a program folder', () => {
    expect(onlyRule(WITH_DATA_ROOT, { args: args([flag('target', '--target', '/dev/uv/bin/x')]) })).toBe('install-target-in-program-folder');
  });

  it('a program named by a repository inside it; one outside the roots that is not the machine\'s', () => {
    const repo = { origin: '/dev/app/.python-version:1', path: '/dev/app/py/bin/python', repository: '/dev/app' };
    expect(onlyRule(WITH_DATA_ROOT, { programRequests: [repo] })).toBe('interpreter-in-repository');
    const outside = { origin: '--python /home/me/py', path: '/home/me/py' };
    expect(onlyRule(WITH_DATA_ROOT, { programRequests: [outside], adminOnlyProblem: () => 'yours' })).toBe('interpreter-outside-allowed-roots');
  });

  it('in warn mode each warning carries the same rule', () => {
    const p = planOf(WARN, { args: args([flag('cache', '--cache-dir', '/x')]), host: { ...linux, env: { UV_TOOL_DIR: '/y' } } });
    expect(p.refusals).toEqual([]);
    expect(p.warnings.map((w) => p.warningRules[w])).toEqual(['outside-allowed-roots:--cache-dir', 'outside-allowed-roots:UV_TOOL_DIR']);
  });
});

describe('the decisions safe doctor lists', () => {
  // Many sources at once: flags, variables, keys, data-root, defaults, checked-only paths.
  const busy = () =>
    planOf(`${WITH_DATA_ROOT}\n[locations]\ntool = "/dev/tools"`, {
      args: args([flag('target', '--target', '/dev/t')], { command: ['venv'] }),
      host: { ...linux, env: { UV_PYTHON_INSTALL_DIR: '/dev/py', UV_PYTHON_CACHE_DIR: '/dev/pc', PYX_CREDENTIALS_DIR: '/dev/pyx' } },
      pipEnvironments: [{ path: '/dev/env', origin: 'VIRTUAL_ENV' }],
      pipSettings: [{ kind: 'prefix', value: '/dev/pre', origin: 'uv.toml [pip] prefix' }],
      programRequests: [{ origin: '--python /dev/py/bin/python', path: '/dev/py/bin/python' }],
      globalPin: '/dev/home/.python-version',
      projectRoots: ['/dev/app'],
    });

  it('each names the variables uvx-safe sets for it, and sets them to its folder; a path only checked sets none', () => {
    const p = busy();
    for (const d of p.decisions) for (const variable of d.variables) expect([d.name, variable, p.env[variable]]).toEqual([d.name, variable, d.path]);
    const checkedOnly = p.decisions.filter((d) => d.source === 'flag' || d.source === 'env' || ['python-request', 'python-pin', 'prefix', 'venv', 'project-env'].includes(d.name));
    expect(checkedOnly.length).toBeGreaterThan(8);
    expect(checkedOnly.filter((d) => d.variables.length > 0)).toEqual([]);
  });

  it('what chose each one', () => {
    const p = busy();
    const shown = p.decisions.map((d) => [d.name, d.source, d.origin]);
    expect(shown).toEqual(
      expect.arrayContaining([
        ['target', 'flag', '--target'],
        ['cache', 'data-root', '/etc/uvx-safe/config.toml'],
        ['tool', 'config', '/etc/uvx-safe/config.toml'],
        ['python', 'env', 'UV_PYTHON_INSTALL_DIR'],
        ['python-cache', 'env', 'UV_PYTHON_CACHE_DIR'],
        ['pyx-credentials', 'env', 'PYX_CREDENTIALS_DIR'],
        ['venv', 'flag', 'uv venv'],
        ['prefix', 'config', 'uv.toml [pip] prefix'],
        ['venv', 'env', 'VIRTUAL_ENV'],
        ['python-request', 'config', '--python /dev/py/bin/python'],
        ['python-pin', 'uv-default', 'uv python pin --global'],
        ['project-env', 'uv-default', "the project's .venv"],
      ]),
    );
    expect(planOf(ENFORCE).decisions.find((d) => d.name === 'tool')).toMatchObject({ source: 'uv-default', origin: "uv's default" });
    expect(planOf(ENFORCE, { host: { ...linux, env: { UV_PROJECT_ENVIRONMENT: '/dev/e' } } }).decisions.find((d) => d.name === 'project-env')).toMatchObject({
      source: 'env',
      origin: 'UV_PROJECT_ENVIRONMENT',
      variables: [],
    });
  });
});
