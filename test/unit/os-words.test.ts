// Messages in the words of the user's system (issue 14 item 7).
import { describe, expect, it } from 'vitest';
import { errorWords, exampleUvPath } from '../../src/platform/os-words.js';
import { spawnFailure } from '../../src/launch/run-child.js';

const err = (code: string) => Object.assign(new Error(`${code}: raw`), { code });

describe('errorWords', () => {
  it('on Windows: "Access is denied", "(run as administrator)" only for a machine install, never the errno', () => {
    expect(errorWords(err('EPERM'), 'win32')).toBe('Access is denied');
    expect(errorWords(err('EACCES'), 'win32', { machineInstall: true })).toBe('Access is denied (run as administrator)');
    expect(errorWords(err('EFTYPE'), 'win32')).toBe('not a Windows program');
    expect(errorWords(err('EBUSY'), 'win32')).toBe('the file is in use by another program');
  });

  it('on POSIX: the errno and its meaning', () => {
    expect(errorWords(err('EACCES'), 'linux', { machineInstall: true })).toBe('EACCES, permission denied');
    expect(errorWords(err('EROFS'), 'linux')).toBe('EROFS, read-only file system');
    expect(errorWords(err('E2BIG'), 'linux')).toBe('E2BIG');
    expect(errorWords(new Error('plain'), 'linux')).toBe('plain');
  });

  it('hints show a path of the system', () => {
    expect(exampleUvPath('win32')).toBe('C:\\path\\to\\uv.exe');
    expect(exampleUvPath('linux')).toBe('/path/to/uv');
  });
});

describe('spawnFailure on Windows', () => {
  it('EFTYPE: not a Windows program, and what to point at', () => {
    const failure = spawnFailure('C:\\tools\\uv.exe', err('EFTYPE'), 'win32');
    expect(failure.message).toBe('cannot start uv at C:\\tools\\uv.exe: not a Windows program');
    expect(failure.hint).toBe('point UVX_SAFE_UV or `uv-path` at the real uv.exe');
  });
});
