import { describe, expect, it } from 'vitest';
import { globRegExp, isWorkspaceMember, pipWritesFoundEnv, projectEnvUse } from '../../src/relocate/project-env.js';
import { parseUvArgs } from '../../src/uv/argv.js';
import { withVariableFlags } from '../../src/uv/env-flags.js';

const use = (line: string, env: Record<string, string> = {}, scripts: string[] = []) =>
  projectEnvUse(parseUvArgs(line.split(' ').filter(Boolean)), (name) => env[name], (file) => scripts.includes(file));

describe('projectEnvUse: the commands that create or use the project environment (uv 0.13.9)', () => {
  it.each([
    ['sync', 'uv sync'],
    ['run python -c pass', 'uv run'],
    ['run --with x pytest', 'uv run'],
    ['add requests', 'uv add'],
    ['remove requests', 'uv remove'],
    ['check', 'uv check'],
    ['version --bump patch', 'uv version'],
  ])('%s -> %s', (line, expected) => expect(use(line)).toBe(expected));

  it.each([
    'lock',
    'export',
    'tree',
    'venv',
    'version',
    'version --bump patch --dry-run',
    'sync --script s.py',
    'sync --active',
    'run --no-project python',
    'run --isolated python',
    'run --script s.py',
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
    expect(use('add x', { UV_FROZEN: 'true' })).toBeUndefined();
    expect(use('add x', { UV_NO_SYNC: '1' })).toBeUndefined();
    expect(use('run tool.py', {}, ['tool.py'])).toBeUndefined();
    expect(use('run other.py', {}, ['tool.py'])).toBe('uv run');
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
    expect(writes('pip install -p python3.12 x')).toBe(false);
    expect(writes('pip install x', { UV_PYTHON: '/usr/bin/python3' })).toBe(false);
    expect(writes('pip install x', { UV_SYSTEM_PYTHON: '1' })).toBe(false);
  });
});

describe('workspace members', () => {
  it('match uv-style globs, minus exclude', () => {
    expect(globRegExp('packages/*').test('packages/a')).toBe(true);
    expect(globRegExp('packages/*').test('packages/a/b')).toBe(false);
    expect(globRegExp('libs/**').test('libs/x/y')).toBe(true);
    expect(isWorkspaceMember('packages/a', ['packages/*'], [])).toBe(true);
    expect(isWorkspaceMember('packages/a', ['packages/*'], ['packages/a'])).toBe(false);
    expect(isWorkspaceMember('./tools/cli', ['./tools/cli'], [])).toBe(true);
    expect(isWorkspaceMember('other', ['packages/*'], [])).toBe(false);
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
