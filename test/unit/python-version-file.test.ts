// Version files that name an interpreter by path (src/launch/python-version-file.ts), found as uv 0.13
// finds them (`PythonVersionFile::discover`): the nearest local file and the global pin. The refusal
// they lead to is proven end to end with the real uv (test/e2e/python-requests.test.ts); these pin
// which files and lines are read, so a mutation run of the unit tests sees them too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryAt, versionFilePaths } from '../../src/launch/python-version-file.js';

let root: string;
let config: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-versionfile-')));
  config = path.join(root, 'config', 'uv');
  fs.mkdirSync(config, { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const at = (...parts: string[]) => path.join(root, ...parts);
function write(relative: string, text: string): string {
  const f = at(relative);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
  return f;
}
const found = (uvCwd: string) => versionFilePaths(uvCwd, config, 'linux');

describe('which version files are read', () => {
  it('the nearest from the working folder up, the nearer one hiding those above', () => {
    write('repo/.python-version', '/outer/python\n');
    const inner = write('repo/sub/.python-version', '/inner/python\n');
    fs.mkdirSync(at('repo', 'sub', 'deep'));
    expect(found(at('repo', 'sub', 'deep'))).toEqual([{ file: inner, line: 1, request: '/inner/python', path: '/inner/python', kind: 'file', global: false }]);
  });

  it('.python-versions counts too, .python-version first in one folder', () => {
    const versions = write('repo/.python-versions', '/b/python\n');
    expect(found(at('repo')).map((f) => f.file)).toEqual([versions]);
    const version = write('repo/.python-version', '/a/python\n');
    expect(found(at('repo')).map((f) => f.file)).toEqual([version]);
  });

  it('a folder named .python-version is no file: the search goes on up', () => {
    fs.mkdirSync(at('repo', 'sub', '.python-version'), { recursive: true });
    const upper = write('repo/.python-version', '/a/python\n');
    expect(found(at('repo', 'sub')).map((f) => f.file)).toEqual([upper]);
  });

  it("the user's global pin as well, marked global; once when it is the local file too", () => {
    const local = write('repo/.python-version', '/a/python\n');
    const pin = write('config/uv/.python-version', '/g/python\n');
    expect(found(at('repo')).map((f) => [f.file, f.global])).toEqual([
      [local, false],
      [pin, true],
    ]);
    expect(found(config).map((f) => [f.file, f.global])).toEqual([[pin, false]]);
    fs.rmSync(local);
    expect(found(at('repo')).map((f) => [f.file, f.global])).toEqual([[pin, true]]);
  });

  it('none anywhere: nothing', () => {
    fs.mkdirSync(at('repo'));
    expect(found(at('repo'))).toEqual([]);
  });
});

describe('which lines name a path', () => {
  it('versions are not paths; blank and # lines (indented, naming a path) are skipped; lines are numbered from 1, CRLF or not', () => {
    const f = write('repo/.python-version', '3.12\r\n\r\n  # was /opt/old/python3\r\n/opt/py/bin/python3\r\npypy@3.10\n./venv/bin/python\n#\n');
    expect(found(at('repo')).map((f) => [f.line, f.request, f.path])).toEqual([
      [4, '/opt/py/bin/python3', '/opt/py/bin/python3'],
      [6, './venv/bin/python', at('repo', 'venv', 'bin', 'python')],
    ]);
    expect(found(at('repo'))[0]?.file).toBe(f);
  });

  it("relative paths resolve from uv's working folder, not the file's; a folder is a folder", () => {
    write('repo/.python-version', 'envs/py\n');
    fs.mkdirSync(at('repo', 'sub', 'envs', 'py'), { recursive: true });
    expect(found(at('repo', 'sub'))).toEqual([
      { file: at('repo', '.python-version'), line: 1, request: 'envs/py', path: at('repo', 'sub', 'envs', 'py'), kind: 'dir', global: false },
    ]);
  });

  it('a bare name is a path only when a folder of that name is there (uv starts a bare file by name)', () => {
    write('repo/.python-version', 'myenv\n');
    expect(found(at('repo'))).toEqual([]);
    fs.mkdirSync(at('repo', 'myenv'));
    expect(found(at('repo')).map((f) => [f.path, f.kind])).toEqual([[at('repo', 'myenv'), 'dir']]);
  });
});

describe('entryAt: the stat PythonRequest::parse makes', () => {
  it('a folder, a file, or nothing, relative to the base', () => {
    write('base/f', '');
    fs.mkdirSync(at('base', 'd'));
    const entry = entryAt(at('base'), 'linux');
    expect([entry('d'), entry('f'), entry('none'), entry(at('base', 'f'))]).toEqual(['dir', 'file', undefined, 'file']);
  });
});
