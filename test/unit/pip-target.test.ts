import { describe, expect, it } from 'vitest';
import { isPathRequest, isVersionRequest, pipInterpreter } from '../../src/relocate/pip-target.js';
import { pipWritesFoundEnv } from '../../src/relocate/project-env.js';
import { parseUvArgs } from '../../src/uv/argv.js';

const none = () => undefined;
const vars = (map: Record<string, string>) => (name: string) => map[name];

describe('which interpreter a pip write targets', () => {
  it('tells paths, version requests and executable names apart as uv does', () => {
    for (const path of ['/usr/bin/python3', './venv', '..', '~/py/bin/python', 'C:\\Python312\\python.exe', 'venv/bin/python'])
      expect(isPathRequest(path), path).toBe(true);
    for (const version of ['3', '3.12', '>=3.11', 'any', 'default', 'cpython@3.12', 'pypy3.10', 'cp312', 'cpython'])
      expect(isVersionRequest(version), version).toBe(true);
    for (const name of ['python3.12', 'python', 'py']) expect(isVersionRequest(name), name).toBe(false);
  });

  it('names the flag, the variable or --system; --target/--prefix and read-only commands are not its business', () => {
    expect(pipInterpreter(parseUvArgs(['pip', 'install', '--python', '/usr/bin/python3', 'x']), none, 'linux')).toEqual({ origin: '--python /usr/bin/python3', path: '/usr/bin/python3' });
    expect(pipInterpreter(parseUvArgs(['pip', 'sync', '-p', 'python3.12', 'r.txt']), none, 'linux')).toEqual({ origin: '-p python3.12', names: ['python3.12'] });
    expect(pipInterpreter(parseUvArgs(['pip', 'uninstall', 'x']), vars({ UV_PYTHON: '/opt/py/bin/python' }), 'linux')).toEqual({ origin: 'UV_PYTHON=/opt/py/bin/python', path: '/opt/py/bin/python' });
    expect(pipInterpreter(parseUvArgs(['pip', 'install', '--system', 'x']), none, 'linux')).toEqual({ origin: '--system', names: ['python3', 'python'] });
    expect(pipInterpreter(parseUvArgs(['pip', 'install', 'x']), vars({ UV_SYSTEM_PYTHON: 'true' }), 'win32')).toEqual({ origin: 'UV_SYSTEM_PYTHON', names: ['python'] });
    expect(pipInterpreter(parseUvArgs(['pip', 'install', 'x']), vars({ UV_SYSTEM_PYTHON: 'false' }), 'linux')).toBeUndefined();
    expect(pipInterpreter(parseUvArgs(['pip', 'install', '--python', '3.12', 'x']), none, 'linux')).toBeUndefined();
    expect(pipInterpreter(parseUvArgs(['pip', 'install', '--target', 't', '--python', '/usr/bin/python3', 'x']), none, 'linux')).toBeUndefined();
    expect(pipInterpreter(parseUvArgs(['pip', 'list', '--python', '/usr/bin/python3']), none, 'linux')).toBeUndefined();
    expect(pipInterpreter(parseUvArgs(['pip', 'install', '--python', '/usr/bin/python3', '--help']), none, 'linux')).toBeUndefined();
  });

  it('leaves a version request to the virtual environment uv finds', () => {
    expect(pipWritesFoundEnv(parseUvArgs(['pip', 'install', '--python', '3.12', 'x']), none)).toBe(true);
    expect(pipWritesFoundEnv(parseUvArgs(['pip', 'install', 'x']), vars({ UV_PYTHON: '3.11' }))).toBe(true);
    expect(pipWritesFoundEnv(parseUvArgs(['pip', 'install', '--python', '/usr/bin/python3', 'x']), none)).toBe(false);
    expect(pipWritesFoundEnv(parseUvArgs(['pip', 'install', 'x']), vars({ UV_PYTHON: 'python3' }))).toBe(false);
  });
});
