import { describe, expect, it } from 'vitest';
import { expandPath, isAbsoluteSpelling, shellVariableProblem } from '../../src/config/templates.js';
import { configError } from '../helpers/config-error.js';
import type { HostInfo } from '../../src/platform/dirs.js';
import { logonName, unsafeSegment } from '../../src/platform/logon-name.js';
import os from 'node:os';

const linux: HostInfo = { platform: 'linux', env: { PROJ: '/srv/p' }, home: '/home/me', user: 'me' };
const win: HostInfo = { platform: 'win32', env: { LocalAppData: 'C:\\Users\\me\\AppData\\Local' }, home: 'C:\\Users\\me', user: 'me' };
const value = (raw: string, baseDir = '/etc/uvx-safe') => ({ raw, key: 'locations.cache', source: '/etc/uvx-safe/config.toml', baseDir });

describe('expandPath', () => {
  it('expands every template', () => {
    expect(expandPath(value('{data-root}/c'), linux, '/dev/uv')).toBe('/dev/uv/c');
    expect(expandPath(value('{home}/x'), linux)).toBe('/home/me/x');
    expect(expandPath(value('/d/{user}/x'), linux)).toBe('/d/me/x');
    expect(expandPath(value('{env:PROJ}/cache'), linux)).toBe('/srv/p/cache');
    expect(expandPath(value('~/x'), linux)).toBe('/home/me/x');
    expect(expandPath(value('~'), linux)).toBe('/home/me');
  });

  it('resolves relative paths against the folder of the file', () => {
    expect(expandPath(value('cache', '/repo'), linux)).toBe('/repo/cache');
    expect(expandPath(value('../x', '/repo/sub'), linux)).toBe('/repo/x');
  });

  it('handles Windows paths and case-insensitive variables', () => {
    expect(expandPath(value('{env:LOCALAPPDATA}\\uv', 'C:\\cfg'), win)).toBe('C:\\Users\\me\\AppData\\Local\\uv');
    expect(expandPath(value('~\\dev', 'C:\\cfg'), win)).toBe('C:\\Users\\me\\dev');
    expect(expandPath(value('D:/dev/{user}', 'C:\\cfg'), win)).toBe('D:\\dev\\me');
  });

  it('names the file and key for a bad template', () => {
    expect(() => expandPath(value('{nope}/x'), linux)).toThrowError(/config\.toml: locations\.cache: unknown template \{nope\}/);
    expect(() => expandPath(value('{env:MISSING}'), linux)).toThrowError(/MISSING is not set/);
    expect(() => expandPath(value('{data-root}/x'), linux)).toThrowError(/no data-root is set/);
  });
});

describe('what each refusal of a path value says to do (issue 19)', () => {
  it('a hint per problem: set data-root, set the variable, the templates there are, write it without {user}', () => {
    const hint = (fn: () => unknown) => configError(fn).hint;
    expect(hint(() => expandPath(value('{data-root}/x'), linux))).toContain('set data-root');
    expect(hint(() => expandPath(value('{env:MISSING}/x'), linux))).toBe('set MISSING, or spell the path out');
    expect(hint(() => expandPath(value('{nope}/x'), linux))).toContain('{data-root}, {home}, {user}, {env:NAME}');
    expect(hint(() => expandPath(value('/d/{user}'), { ...linux, user: '..' }))).toBe('write the path without {user}');
    const unreadable = { ...linux, get user(): string { throw new Error('no user'); } };
    expect(hint(() => expandPath(value('/d/{user}'), unreadable))).toBe('write the path without {user}');
  });

  it('POSIX: ~\\ is a folder name, not the home folder; ~ and templates count only at the start', () => {
    expect(expandPath(value('~\\dev', '/repo'), linux)).toBe('/repo/~\\dev');
    expect(isAbsoluteSpelling('~/x', 'linux')).toBe(true);
    expect(isAbsoluteSpelling('{home}/x', 'linux')).toBe(true);
    expect(isAbsoluteSpelling('a~/x', 'linux')).toBe(false);
    expect(isAbsoluteSpelling('x/{home}', 'linux')).toBe(false);
  });
});

describe('{user}: the logon name, one safe folder name or refused (issue 14)', () => {
  const as = (host: HostInfo, user: string): HostInfo => ({ ...host, user });
  it.each(['..', '.', '', 'a/b', 'a\\b', 'C:', 'x\ny'])('refuses %j, naming the file, the key and {user}', (user) => {
    expect(() => expandPath(value('/d/{user}/uv'), as(linux, user))).toThrowError(
      /^\/etc\/uvx-safe\/config\.toml: locations\.cache: \{user\}: the logon name .* so it cannot be one folder name \(got "\/d\/\{user\}\/uv"\)$/,
    );
  });

  it('refuses a trailing dot or space on Windows only (Windows drops them)', () => {
    expect(() => expandPath(value('D:/dev/{user}', 'C:\\cfg'), as(win, 'me.'))).toThrowError(/ends in a dot or a space/);
    expect(expandPath(value('/d/{user}'), as(linux, 'me.'))).toBe('/d/me.');
  });

  it('keeps names Windows and POSIX allow: spaces, dots, dashes, non-ASCII', () => {
    expect(expandPath(value('D:/dev/{user}', 'C:\\cfg'), as(win, 'Jean Dupont'))).toBe('D:\\dev\\Jean Dupont');
    expect(expandPath(value('/d/{user}'), as(linux, 'j.doe-2'))).toBe('/d/j.doe-2');
    expect(expandPath(value('/d/{user}'), as(linux, 'zoë'))).toBe('/d/zoë');
  });

  it('a name that cannot be read is refused the same way', () => {
    const unreadable = { ...linux, get user(): string { throw new Error('getpwuid(4242) found no user'); } };
    expect(() => expandPath(value('/d/{user}'), unreadable)).toThrowError(
      'locations.cache: {user}: the logon name of this process cannot be read (getpwuid(4242) found no user) (got "/d/{user}")',
    );
    // Not asked at all when no value uses {user}.
    expect(expandPath(value('/d/x'), unreadable)).toBe('/d/x');
  });

  it('unsafeSegment says what is wrong', () => {
    expect(unsafeSegment('..', 'linux')).toBe('is ".."');
    expect(unsafeSegment('a/b', 'win32')).toBe('holds a path separator or a colon');
    expect(unsafeSegment('me', 'win32')).toBeUndefined();
  });

  it('under Node is the OS\'s name for the uid, whatever USER, USERNAME and LOGNAME say', () => {
    const saved = { USER: process.env.USER, USERNAME: process.env.USERNAME, LOGNAME: process.env.LOGNAME };
    Object.assign(process.env, { USER: 'mallory', USERNAME: '..', LOGNAME: 'eve' });
    try {
      expect(logonName({ platform: process.platform, bun: false })).toBe(os.userInfo().username);
      expect(logonName({ platform: process.platform, bun: false })).not.toMatch(/^(mallory|\.\.|eve)$/);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });
});

describe('%NAME% (cmd syntax) in a path value on Windows: refused with the {env:NAME} to write (issue 14)', () => {
  it.each([
    ['%USERPROFILE%\\dev', 'USERPROFILE'],
    ['D:/x/%ProgramFiles(x86)%', 'ProgramFiles(x86)'],
    ['%my_var1%', 'my_var1'],
  ])('%s', (raw, name) => {
    const hint = `%${name}% is Windows shell syntax, which uvx-safe does not expand: write {env:${name}}`;
    expect(shellVariableProblem(raw, 'win32')).toBe(hint);
    expect(() => expandPath(value(raw, 'C:\\cfg'), { ...win, env: { [name]: 'C:\\Users\\me' } })).toThrowError(`/etc/uvx-safe/config.toml: locations.cache: ${hint}`);
  });

  it('leaves a lone percent sign, a number between two, and {env:NAME} alone', () => {
    expect(shellVariableProblem('D:/50% off/x', 'win32')).toBeUndefined();
    expect(shellVariableProblem('D:/a%20b%20c', 'win32')).toBeUndefined();
    expect(shellVariableProblem('{env:USERPROFILE}/dev', 'win32')).toBeUndefined();
    // On POSIX % is no syntax: a folder may be named %PATH%.
    expect(shellVariableProblem('/srv/%PATH%/x', 'linux')).toBeUndefined();
    expect(expandPath(value('/srv/%PATH%/x'), linux)).toBe('/srv/%PATH%/x');
  });
});
