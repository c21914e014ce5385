import { describe, expect, it } from 'vitest';
import { isVersionRequest, pipInterpreter } from '../../src/relocate/pip-target.js';
import { pythonRequestPath } from '../../src/uv/python-request.js';
import { pipWritesFoundEnv } from '../../src/relocate/project-env.js';
import { parseUvArgs } from '../../src/uv/argv.js';

const none = () => undefined;
const vars = (map: Record<string, string>) => (name: string) => map[name];

describe('which interpreter a pip write targets', () => {
  it('tells paths, version requests and executable names apart as uv does', () => {
    for (const path of ['/usr/bin/python3', './venv', '~/py/bin/python', 'venv/bin/python'])
      expect(pythonRequestPath(path, 'linux', none)?.path, path).toBe(path);
    expect(pythonRequestPath('C:\\Python312\\python.exe', 'win32', none)?.path).toBe('C:\\Python312\\python.exe');
    for (const version of ['3', '3.12', '>=3.11', 'any', 'default', 'cpython@3.12', 'pypy3.10', 'cp312', 'cpython'])
      expect(isVersionRequest(version), version).toBe(true);
    for (const name of ['python3.12', 'python312', 'Python3.13t']) expect(isVersionRequest(name), name).toBe(true);
    for (const name of ['python', 'py', 'python3.12.exe']) expect(isVersionRequest(name), name).toBe(false);
  });

  it('names the flag, the variable or --system; --target/--prefix and read-only commands are not its business', () => {
    expect(pipInterpreter(parseUvArgs(['pip', 'install', '--python', '/usr/bin/python3', 'x']), none, 'linux')).toEqual({ origin: '--python /usr/bin/python3', path: '/usr/bin/python3' });
    expect(pipInterpreter(parseUvArgs(['pip', 'sync', '-p', 'python', 'r.txt']), none, 'linux')).toEqual({ origin: '-p python', names: ['python'] });
    // `python3.12` is a version to uv (PythonRequest::parse), like `3.12`: the environment uv finds.
    expect(pipInterpreter(parseUvArgs(['pip', 'sync', '-p', 'python3.12', 'r.txt']), none, 'linux')).toBeUndefined();
    expect(pipInterpreter(parseUvArgs(['pip', 'uninstall', 'x']), vars({ UV_PYTHON: '/opt/py/bin/python' }), 'linux')).toEqual({ origin: 'UV_PYTHON=/opt/py/bin/python', path: '/opt/py/bin/python' });
    expect(pipInterpreter(parseUvArgs(['pip', 'install', '--system', 'x']), none, 'linux')).toEqual({ origin: '--system', names: ['python3', 'python'], systemOnly: true });
    expect(pipInterpreter(parseUvArgs(['pip', 'install', 'x']), vars({ UV_SYSTEM_PYTHON: 'true' }), 'win32')).toEqual({ origin: 'UV_SYSTEM_PYTHON', names: ['python'], systemOnly: true });
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
    // uv 0.13.9 itself: `uv pip install --python python3 x` with no environment says "No virtual environment
    // found for Python 3"; an executable name (`python`) is looked up as named.
    expect(pipWritesFoundEnv(parseUvArgs(['pip', 'install', 'x']), vars({ UV_PYTHON: 'python3' }))).toBe(true);
    expect(pipWritesFoundEnv(parseUvArgs(['pip', 'install', 'x']), vars({ UV_PYTHON: 'python' }))).toBe(false);
  });

  it("reads a repository's [tool.uv.pip] python and system last, as uv does", () => {
    const settings = { python: { value: '/usr/bin/python3', origin: '[tool.uv.pip] python in /r/pyproject.toml' }, system: '[tool.uv.pip] system in /r/pyproject.toml' };
    const install = parseUvArgs(['pip', 'install', 'x']);
    expect(pipInterpreter(install, none, 'linux', settings)).toEqual({ origin: '[tool.uv.pip] python in /r/pyproject.toml (/usr/bin/python3)', path: '/usr/bin/python3' });
    expect(pipInterpreter(install, vars({ UV_PYTHON: '/opt/bin/python' }), 'linux', settings)).toMatchObject({ origin: 'UV_PYTHON=/opt/bin/python' });
    expect(pipInterpreter(install, none, 'linux', { system: settings.system })).toEqual({ origin: settings.system, names: ['python3', 'python'], systemOnly: true });
    // UV_SYSTEM_PYTHON=false beats the file, as a variable beats uv's config.
    expect(pipInterpreter(install, vars({ UV_SYSTEM_PYTHON: 'false' }), 'linux', { system: settings.system })).toBeUndefined();
  });

  // The edges mutation testing found unguarded (docs/design.md "Testing").
  it('a value with a separator is never a version request; version words only whole', () => {
    for (const path of ['~/py', './3.12', '3.12/python', '3\\py']) expect(isVersionRequest(path), path).toBe(false);
    for (const name of ['company', 'defaults', 'mycpython', 'pythonpypy3']) expect(isVersionRequest(name), name).toBe(false);
  });

  it('takes the last --python among the location flags, and -t/--prefix end its business too', () => {
    const args = parseUvArgs(['pip', 'install', '--python', '/usr/bin/python3', '--cache-dir', '/c', 'x']);
    expect(pipInterpreter(args, none, 'linux')).toEqual({ origin: '--python /usr/bin/python3', path: '/usr/bin/python3' });
    for (const flag of ['-t', '--prefix'])
      expect(pipInterpreter(parseUvArgs(['pip', 'install', flag, 'd', '--python', '/usr/bin/python3', 'x']), none, 'linux'), flag).toBeUndefined();
  });
});
