// Which environment `uv pip install|sync|uninstall` writes into (src/launch/python-environments.ts), at
// the unit level on scratch folders: uv's order of candidates, where it stops, and where a named
// interpreter installs. The real uv's agreement is proven end to end (test/e2e/pip-environments.test.ts,
// pip-interpreter.test.ts); these pin each rule so a mutation run of the unit tests sees it too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  environmentPython,
  interpreterPrefix,
  pipFoundEnvironments,
  pipInterpreterEnvironment,
  type FindInput,
} from '../../src/launch/python-environments.js';

let root: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-pyenvs-')));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const at = (...parts: string[]) => path.join(root, ...parts);
function file(relative: string, text = ''): string {
  const f = at(relative);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
  return f;
}
/** A virtual environment: pyvenv.cfg and bin/python3 (as uv's virtualenv_python_executable looks for it). */
function venv(relative: string, python = 'python3'): string {
  file(`${relative}/pyvenv.cfg`, 'home = /usr/bin\n');
  file(`${relative}/bin/${python}`);
  return at(relative);
}

/** Finds from `work` (made) with `vars` as the variables uv sees; PATH is empty unless given. */
function find(vars: Record<string, string>, over: Partial<FindInput> = {}) {
  const work = at('work');
  fs.mkdirSync(work, { recursive: true });
  const env = { PATH: '', ...vars };
  return pipFoundEnvironments({ lookup: (name) => env[name as keyof typeof env], env, uvCwd: work, cwd: work, platform: 'linux', versionRequest: false, ...over });
}
const origins = (found: { origin: string }[]) => found.map((f) => f.origin);

describe("the environment uv finds, in uv's order, up to the one it takes", () => {
  it('VIRTUAL_ENV with an interpreter is taken: nothing after it is looked at', () => {
    const active = venv('active');
    venv('work/.venv');
    expect(find({ VIRTUAL_ENV: active, CONDA_PREFIX: venv('conda') })).toEqual([{ path: active, origin: 'VIRTUAL_ENV' }]);
  });

  it('one without an interpreter is listed and passed over (uv moves on to the next)', () => {
    fs.mkdirSync(at('empty'));
    const conda = venv('conda');
    expect(find({ VIRTUAL_ENV: at('empty'), CONDA_PREFIX: conda })).toEqual([
      { path: at('empty'), origin: 'VIRTUAL_ENV' },
      { path: conda, origin: 'CONDA_PREFIX' },
    ]);
  });

  it('a version request may pass over any of them: every candidate is listed', () => {
    const active = venv('active');
    const conda = venv('conda');
    const dot = venv('work/.venv');
    venv('pathvenv');
    const found = find({ VIRTUAL_ENV: active, CONDA_PREFIX: conda, PATH: at('pathvenv', 'bin') }, { versionRequest: true });
    expect(found.map((f) => f.path)).toEqual([active, conda, dot, at('pathvenv')]);
  });

  it('relative variables resolve from the launcher\'s working folder, the working-folder search from uv\'s', () => {
    venv('here/env');
    venv('there/.venv');
    fs.mkdirSync(at('there', 'sub'), { recursive: true });
    const found = pipFoundEnvironments({
      lookup: (name) => ({ VIRTUAL_ENV: 'env' })[name],
      env: { PATH: '' },
      uvCwd: at('there', 'sub'),
      cwd: at('here'),
      platform: 'linux',
      versionRequest: true,
    });
    expect(found).toEqual([
      { path: at('here', 'env'), origin: 'VIRTUAL_ENV' },
      { path: at('there', '.venv'), origin: 'the nearest .venv' },
    ]);
  });

  it('UV_INTERNAL__PARENT_INTERPRETER comes first, judged by where that interpreter installs', () => {
    const parent = venv('parent');
    const found = find({ UV_INTERNAL__PARENT_INTERPRETER: at('parent', 'bin', 'python3'), VIRTUAL_ENV: venv('active') });
    expect(found).toEqual([{ path: parent, origin: `UV_INTERNAL__PARENT_INTERPRETER=${at('parent', 'bin', 'python3')}` }]);
    // One that does not exist is listed, and uv looks further.
    const missing = find({ UV_INTERNAL__PARENT_INTERPRETER: at('gone', 'bin', 'python3'), VIRTUAL_ENV: at('active') });
    expect(origins(missing)).toEqual([`UV_INTERNAL__PARENT_INTERPRETER=${at('gone', 'bin', 'python3')}`, 'VIRTUAL_ENV']);
  });

  it('from the working folder up: a folder holding pyvenv.cfg (inside an environment), else a .venv', () => {
    const inside = venv('work/env');
    fs.mkdirSync(at('work', 'env', 'lib', 'deep'), { recursive: true });
    expect(find({}, { uvCwd: at('work', 'env', 'lib', 'deep') })).toEqual([{ path: inside, origin: 'the working folder lies in this environment' }]);
    const dot = venv('work/.venv');
    fs.mkdirSync(at('work', 'a', 'b'), { recursive: true });
    expect(find({}, { uvCwd: at('work', 'a', 'b') })).toEqual([{ path: dot, origin: 'the nearest .venv' }]);
  });

  it('a .venv that is a link counts (uv follows it); a .venv file does not', () => {
    const real = venv('elsewhere');
    fs.mkdirSync(at('work'), { recursive: true });
    fs.symlinkSync(real, at('work', '.venv'));
    expect(find({})).toEqual([{ path: at('work', '.venv'), origin: 'the nearest .venv' }]);
    fs.rmSync(at('work', '.venv'));
    file('work/.venv');
    expect(find({})).toEqual([]);
  });

  it('a working-folder environment without an interpreter is passed over; with one, uv stops there', () => {
    fs.mkdirSync(at('work', '.venv'), { recursive: true });
    const onPath = venv('pathvenv');
    expect(find({ PATH: at('pathvenv', 'bin') }).map((f) => f.path)).toEqual([at('work', '.venv'), onPath]);
    venv('work/.venv');
    expect(find({ PATH: at('pathvenv', 'bin') }).map((f) => f.path)).toEqual([at('work', '.venv')]);
  });

  it('a search-path folder without python3 or python is passed over', () => {
    fs.mkdirSync(at('empty-bin'));
    const v = venv('pathvenv');
    expect(find({ PATH: `${at('empty-bin')}:${at('pathvenv', 'bin')}` }).map((f) => f.path)).toEqual([v]);
  });

  it('CONDA_PREFIX of the file-system root has no name: never the base environment', () => {
    expect(find({ CONDA_PREFIX: '/', CONDA_DEFAULT_ENV: 'base' }, { versionRequest: true })[0]).toEqual({ path: '/', origin: 'CONDA_PREFIX' });
  });

  it('nothing found: an empty list (uv fails without writing)', () => {
    expect(find({})).toEqual([]);
  });
});

describe('conda: an active environment is a candidate; the base one only when it is a virtual environment', () => {
  it('CONDA_DEFAULT_ENV naming another environment makes the prefix the base: passed over', () => {
    const conda = venv('miniconda');
    fs.rmSync(at('miniconda', 'pyvenv.cfg'));
    expect(find({ CONDA_PREFIX: conda, CONDA_DEFAULT_ENV: 'base' })).toEqual([]);
    // The same prefix as the active environment (its name, or its path) is not the base.
    expect(origins(find({ CONDA_PREFIX: conda, CONDA_DEFAULT_ENV: 'miniconda' }))).toEqual(['CONDA_PREFIX']);
    expect(origins(find({ CONDA_PREFIX: conda, CONDA_DEFAULT_ENV: conda }))).toEqual(['CONDA_PREFIX']);
    // Without CONDA_DEFAULT_ENV nothing says it is the base.
    expect(origins(find({ CONDA_PREFIX: conda }))).toEqual(['CONDA_PREFIX']);
  });

  it('_CONDA_ROOT equal to the prefix is the base; a pixi environment never is', () => {
    const conda = at('root');
    file('root/bin/python3');
    expect(find({ CONDA_PREFIX: conda, _CONDA_ROOT: conda })).toEqual([]);
    expect(origins(find({ CONDA_PREFIX: conda, _CONDA_ROOT: at('other') }))).toEqual(['CONDA_PREFIX']);
    file('root/conda-meta/pixi');
    expect(origins(find({ CONDA_PREFIX: conda, _CONDA_ROOT: conda }))).toEqual(['CONDA_PREFIX']);
  });

  it('a base environment holding pyvenv.cfg comes after the working folder', () => {
    const base = venv('base');
    expect(find({ CONDA_PREFIX: base, CONDA_DEFAULT_ENV: 'other' })).toEqual([{ path: base, origin: 'CONDA_PREFIX (base)' }]);
    const dot = venv('work/.venv');
    expect(find({ CONDA_PREFIX: base, CONDA_DEFAULT_ENV: 'other' })).toEqual([{ path: dot, origin: 'the nearest .venv' }]);
  });
});

describe('the first Python on the search path, only when it is a virtual environment', () => {
  it('a venv first on PATH is taken; a plain interpreter there is not a candidate', () => {
    const v = venv('pathvenv');
    file('plain/bin/python3');
    expect(find({ PATH: `${at('pathvenv', 'bin')}:${at('plain', 'bin')}` })).toEqual([
      { path: v, origin: `the first Python on PATH (${at('pathvenv', 'bin', 'python3')}), a virtual environment` },
    ]);
    expect(find({ PATH: `${at('plain', 'bin')}:${at('pathvenv', 'bin')}` })).toEqual([]);
  });

  it('python3 before python in each folder; `python` alone is found too', () => {
    const v = venv('onlypython', 'python');
    expect(find({ PATH: at('onlypython', 'bin') }).map((f) => f.path)).toEqual([v]);
  });

  it('UV_PYTHON_SEARCH_PATH replaces PATH', () => {
    const v = venv('pathvenv');
    expect(find({ PATH: '', UV_PYTHON_SEARCH_PATH: at('pathvenv', 'bin') }).map((f) => f.path)).toEqual([v]);
    expect(find({ PATH: at('pathvenv', 'bin'), UV_PYTHON_SEARCH_PATH: '' })).toEqual([]);
  });
});

describe('where an interpreter installs (CPython getpath)', () => {
  it('pyvenv.cfg beside the executable or one folder up: that environment', () => {
    venv('v');
    expect(interpreterPrefix(at('v', 'bin', 'python3'), 'linux')).toEqual({ prefix: at('v'), venv: true });
    file('flat/pyvenv.cfg');
    file('flat/python3');
    expect(interpreterPrefix(at('flat', 'python3'), 'linux')).toEqual({ prefix: at('flat'), venv: true });
  });

  it('else the real executable\'s folder, or the one above bin: links are followed', () => {
    file('prefix/bin/python3.12');
    fs.mkdirSync(at('links'));
    fs.symlinkSync(at('prefix', 'bin', 'python3.12'), at('links', 'python3'));
    expect(interpreterPrefix(at('links', 'python3'), 'linux')).toEqual({ prefix: at('prefix'), venv: false });
    file('loose/python3');
    expect(interpreterPrefix(at('loose', 'python3'), 'linux')).toEqual({ prefix: at('loose'), venv: false });
    // A missing executable is judged as named.
    expect(interpreterPrefix(at('none', 'bin', 'python3'), 'linux')).toEqual({ prefix: at('none'), venv: false });
  });

  it('only a folder named bin or Scripts is left for the one above', () => {
    for (const folder of ['mybin', 'binaries']) {
      file(`${folder}/python3`);
      expect(interpreterPrefix(at(folder, 'python3'), 'linux').prefix).toBe(at(folder));
    }
  });

  it("an environment's interpreter: bin/python3, then bin/python", () => {
    expect(environmentPython(venv('a'), 'linux')).toBe(at('a', 'bin', 'python3'));
    expect(environmentPython(venv('b', 'python'), 'linux')).toBe(at('b', 'bin', 'python'));
    fs.mkdirSync(at('c'));
    expect(environmentPython(at('c'), 'linux')).toBeUndefined();
  });
});

describe('the environment of an interpreter the user names', () => {
  const input = (env: Record<string, string>) => ({ lookup: (name: string) => env[name], env, uvCwd: at('work'), cwd: at('work'), platform: 'linux' as const, home: at('home') });

  it('a folder is the environment; a file installs where its prefix is; paths from uv\'s working folder', () => {
    const v = venv('work/v');
    expect(pipInterpreterEnvironment({ origin: '--python v', path: 'v' }, input({}))).toEqual({ path: v, origin: '--python v' });
    expect(pipInterpreterEnvironment({ origin: '--python v/bin/python3', path: 'v/bin/python3' }, input({}))).toEqual({ path: v, origin: '--python v/bin/python3' });
  });

  it('a path to nothing is judged by where it would install', () => {
    expect(pipInterpreterEnvironment({ origin: '--python /none/bin/python3', path: at('none', 'bin', 'python3') }, input({}))).toEqual({
      path: at('none'),
      origin: '--python /none/bin/python3',
    });
  });

  it('a name is looked up on the search path, and the file found is named', () => {
    file('sys/bin/python3');
    expect(pipInterpreterEnvironment({ origin: '--python python3', names: ['python3'] }, input({ PATH: at('sys', 'bin') }))).toEqual({
      path: at('sys'),
      origin: `--python python3: ${at('sys', 'bin', 'python3')}`,
    });
    expect(pipInterpreterEnvironment({ origin: '--python python3', names: ['python3'] }, input({ PATH: '' }))).toBeUndefined();
  });

  it('--system passes over virtual environments on the search path (their bin, or a flat one)', () => {
    venv('v');
    file('flat/pyvenv.cfg');
    file('flat/python3');
    file('sys/bin/python3');
    const path_ = `${at('v', 'bin')}:${at('flat')}:${at('sys', 'bin')}`;
    expect(pipInterpreterEnvironment({ origin: '--system', names: ['python3'], systemOnly: true }, input({ PATH: path_ }))?.path).toBe(at('sys'));
    // Without --system the first on PATH is taken, venv or not.
    expect(pipInterpreterEnvironment({ origin: '--python python3', names: ['python3'] }, input({ PATH: path_ }))?.path).toBe(at('v'));
  });
});
