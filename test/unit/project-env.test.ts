import { describe, expect, it } from 'vitest';
import { activeEnvUse, pipWritesFoundEnv, projectEnvUse } from '../../src/relocate/project-env.js';
import { parseUvArgs } from '../../src/uv/argv.js';
import { truthy, withVariableFlags } from '../../src/uv/env-flags.js';

const use = (line: string, env: Record<string, string> = {}, pep723 = false) =>
  projectEnvUse(parseUvArgs(line.split(' ').filter(Boolean)), (name) => env[name], pep723);

describe('projectEnvUse: the commands that create or use the project environment (uv 0.13.9)', () => {
  it.each([
    ['sync', 'uv sync'],
    ['run python -c pass', 'uv run'],
    ['run --with x pytest', 'uv run'],
    ['add requests', 'uv add'],
    ['remove requests', 'uv remove'],
    ['check', 'uv check'],
    ['version --bump patch', 'uv version'],
    // Without VIRTUAL_ENV, `--active` falls back to the project's environment (prepare.ts drops the
    // use when VIRTUAL_ENV is set), and `run --script` on a file without a PEP 723 block uses the project.
    ['sync --active', 'uv sync'],
    ['run --active python', 'uv run'],
    ['run --script s.py', 'uv run'],
  ])('%s -> %s', (line, expected) => expect(use(line)).toBe(expected));

  it.each([
    'lock',
    'export',
    'tree',
    'venv',
    'version',
    'version --bump patch --dry-run',
    'sync --script s.py',
    'run --no-project python',
    'run --isolated python',
    'add --frozen x',
    'add --no-sync x',
    'remove --script s.py x',
    'sync --help',
    'cache dir',
    'pip install x',
  ])('%s -> none', (line) => expect(use(line)).toBeUndefined());

  it('follows UV_NO_PROJECT, UV_FROZEN, UV_NO_SYNC and PEP 723 scripts', () => {
    expect(use('run python', { UV_NO_PROJECT: '1' })).toBeUndefined();
    expect(use('run python', { UV_NO_PROJECT: 'false' })).toBe('uv run');
    // uv reads `f`, `n`, `off` as false (clap's BoolishValueParser): the project is still used.
    expect(use('run python', { UV_NO_PROJECT: 'f' })).toBe('uv run');
    expect(use('run python', { UV_NO_PROJECT: 'N' })).toBe('uv run');
    expect(use('run python', { UV_NO_PROJECT: 'Yes' })).toBeUndefined();
    expect(use('add x', { UV_FROZEN: 'true' })).toBeUndefined();
    expect(use('add x', { UV_NO_SYNC: '1' })).toBeUndefined();
    expect(use('run tool.py', {}, true)).toBeUndefined();
    expect(use('run --script tool', {}, true)).toBeUndefined();
  });

  it('truthy is clap\'s list of true spellings, any case', () => {
    for (const v of ['y', 'YES', 't', 'True', 'on', '1']) expect(truthy(v)).toBe(true);
    for (const v of [undefined, '', 'n', 'no', 'f', 'false', 'off', '0', '2', 'maybe']) expect(truthy(v)).toBe(false);
  });

  it('activeEnvUse: the last of --active/--no-active wins', () => {
    const active = (line: string) => activeEnvUse(parseUvArgs(line.split(' ')));
    expect(active('sync --active')).toBe(true);
    expect(active('sync --active --no-active')).toBe(false);
    expect(active('run --no-active --active python')).toBe(true);
    expect(active('lock --active')).toBe(false);
  });
});

describe('pipWritesFoundEnv', () => {
  const writes = (line: string, env: Record<string, string> = {}) => pipWritesFoundEnv(parseUvArgs(line.split(' ')), (n) => env[n]);
  it('is the pip commands that write into the environment they find', () => {
    expect(writes('pip install x')).toBe(true);
    expect(writes('pip sync r.txt')).toBe(true);
    expect(writes('pip uninstall x')).toBe(true);
    expect(writes('pip list')).toBe(false);
    expect(writes('pip install --system x')).toBe(false);
    expect(writes('pip install --target t x')).toBe(false);
    // A version request still selects a virtual environment (pip-interpreter.test.ts shows it with real uv).
    expect(writes('pip install -p 3.12 x')).toBe(true);
    expect(writes('pip install -p python3.12 x')).toBe(true);
    expect(writes('pip install -p python x')).toBe(false);
    expect(writes('pip install x', { UV_PYTHON: '/usr/bin/python3' })).toBe(false);
    expect(writes('pip install x', { UV_SYSTEM_PYTHON: '1' })).toBe(false);
    // The edges mutation testing found unguarded (docs/design.md "Testing").
    expect(writes('pip install -t t x')).toBe(false);
    expect(writes('pip install --prefix p x')).toBe(false);
    expect(writes('pip install -p /usr/bin/python3 --cache-dir /c x')).toBe(false);
  });
});

describe('the edges mutation testing found unguarded (docs/design.md "Testing")', () => {
  it("uv run's other ways out of the project: --no_workspace (clap alias) and UV_ISOLATED", () => {
    expect(use('run --no_workspace python')).toBeUndefined();
    expect(use('run python', { UV_ISOLATED: '1' })).toBeUndefined();
  });

  it('activeEnvUse: neither flag is no use; every command that takes --active', () => {
    const active = (line: string) => activeEnvUse(parseUvArgs(line.split(' ')));
    expect(active('sync')).toBe(false);
    for (const command of ['sync', 'run python', 'add x', 'remove x', 'check']) expect(active(`${command.split(' ')[0]} --active ${command.split(' ').slice(1).join(' ')}`.trim()), command).toBe(true);
    expect(active('sync --active --help')).toBe(false);
  });
});

describe('withVariableFlags', () => {
  it('adds UV_WORKING_DIR, UV_PROJECT, UV_CONFIG_FILE, UV_NO_CACHE as flags unless the command line gives them', () => {
    const env: Record<string, string> = { UV_WORKING_DIR: '/w', UV_PROJECT: '/p', UV_CONFIG_FILE: '/c.toml', UV_NO_CACHE: '1' };
    const parsed = withVariableFlags(parseUvArgs(['--project', '/q', 'sync']), (n) => env[n]);
    expect(parsed.locations.map((f) => [f.kind, f.flag, f.value])).toEqual([
      ['directory', 'UV_WORKING_DIR', '/w'],
      ['config-file', 'UV_CONFIG_FILE', '/c.toml'],
      ['no-cache', 'UV_NO_CACHE', undefined],
      ['project', '--project', '/q'],
    ]);
    const old = withVariableFlags(parseUvArgs(['sync']), (n) => ({ UV_WORKING_DIRECTORY: '/old', UV_PROJECT: '' })[n]);
    expect(old.locations.map((f) => [f.kind, f.flag])).toEqual([['directory', 'UV_WORKING_DIRECTORY']]);
  });
});
