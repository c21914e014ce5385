import { describe, expect, it } from 'vitest';
import { candidateNames, findUv, hasLauncherMark, pathEntries, LAUNCHER_MARKER, type FindHost } from '../../src/uv/find.js';
import { UvNotFoundError } from '../../src/errors.js';
import { thrown } from '../helpers/thrown.js';

interface FakeFile {
  real?: string;
  head?: string;
  exec?: boolean;
}

function host(platform: NodeJS.Platform, env: Record<string, string>, files: Record<string, FakeFile>): FindHost {
  const norm = (f: string) => (platform === 'win32' ? f.toLowerCase() : f);
  const table = new Map(Object.entries(files).map(([k, v]) => [norm(k), v]));
  return {
    platform,
    env,
    isFile: (f) => table.has(norm(f)),
    isExecutable: (f) => table.get(norm(f))?.exec !== false,
    realpath: (f) => (table.has(norm(f)) ? table.get(norm(f))!.real ?? f : undefined),
    readHead: (f) => table.get(norm(f))?.head ?? '\x7fELF',
  };
}

describe('findUv on POSIX', () => {
  it('takes the first uv on PATH', () => {
    const h = host('linux', { PATH: '/a:/b' }, { '/b/uv': {} });
    expect(findUv({ self: [] }, h)).toMatchObject({ path: '/b/uv', source: 'PATH' });
  });

  it('skips a symlink to the launcher and a copy carrying the marker', () => {
    const h = host('linux', { PATH: '/shims:/other:/real' }, {
      '/shims/uv': { real: '/opt/uvx-safe/bin/uvx-safe' },
      '/other/uv': { head: `#!/usr/bin/env node\n// ${LAUNCHER_MARKER}\n` },
      '/real/uv': {},
    });
    const choice = findUv({ self: ['/opt/uvx-safe/bin/uvx-safe'] }, h);
    expect(choice.path).toBe('/real/uv');
    expect(choice.skipped.map((s) => s.path)).toEqual(['/shims/uv', '/other/uv']);
  });

  it('fails with one line naming the way out when only the shim is on PATH', () => {
    const h = host('linux', { PATH: '/shims' }, { '/shims/uv': { real: '/l/uvx-safe' } });
    expect(() => findUv({ self: ['/l/uvx-safe'] }, h)).toThrowError(/real uv was not found on PATH/);
  });

  it('ignores empty and relative PATH entries (never the current folder)', () => {
    expect(pathEntries({ PATH: ':/a::rel:/b:' }, 'linux')).toEqual(['/a', '/b']);
  });

  it('skips a candidate that is not executable', () => {
    const h = host('linux', { PATH: '/a:/b' }, { '/a/uv': { exec: false }, '/b/uv': {} });
    expect(findUv({ self: [] }, h).path).toBe('/b/uv');
  });

  it('prefers configured uv-path, then UVX_SAFE_UV', () => {
    const h = host('linux', { PATH: '/a', UVX_SAFE_UV: '/env/uv' }, { '/a/uv': {}, '/env/uv': {}, '/cfg/uv': {} });
    expect(findUv({ self: [], configured: { value: '/cfg/uv', origin: 'uv-path' } }, h).source).toBe('uv-path');
    expect(findUv({ self: [] }, h)).toMatchObject({ path: '/env/uv', source: 'UVX_SAFE_UV' });
  });

  it('rejects a given uv that is missing, not executable, relative or the launcher', () => {
    const files = { '/x/noexec': { exec: false }, '/x/me': { real: '/l/uvx-safe' } };
    const h = (v: string) => host('linux', { UVX_SAFE_UV: v }, files);
    expect(() => findUv({ self: [] }, h('/x/missing'))).toThrowError(/UVX_SAFE_UV: "\/x\/missing" does not exist/);
    expect(() => findUv({ self: [] }, h('/x/noexec'))).toThrowError(/is not executable/);
    expect(() => findUv({ self: [] }, h('uv'))).toThrowError(/must be an absolute path/);
    expect(() => findUv({ self: ['/l/uvx-safe'] }, h('/x/me'))).toThrowError(UvNotFoundError);
  });
});

describe('findUv on Windows', () => {
  it('reads Path case-insensitively, strips quotes, and only starts uv.exe', () => {
    const h = host('win32', { Path: 'C:\\shims;"C:\\Program Files\\uv"', PATHEXT: '.COM;.CMD;.EXE' }, {
      'C:\\shims\\uv.cmd': {},
      'C:\\Program Files\\uv\\UV.EXE': {},
    });
    const choice = findUv({ self: [] }, h);
    expect(choice.path.toLowerCase()).toBe('c:\\program files\\uv\\uv.exe');
    expect(choice.skipped).toEqual([{ path: 'C:\\shims\\uv.cmd', reason: 'only uv.exe is started on Windows' }]);
  });

  it('compares the launcher realpath case-insensitively', () => {
    const h = host('win32', { PATH: 'D:\\shims;D:\\uv' }, {
      'D:\\shims\\uv.exe': { real: 'D:\\Tools\\UVX-SAFE\\shim.exe' },
      'D:\\uv\\uv.exe': {},
    });
    expect(findUv({ self: ['d:\\tools\\uvx-safe\\shim.exe'] }, h).path).toBe('D:\\uv\\uv.exe');
  });

  it('refuses a configured uv that is not an .exe', () => {
    const h = host('win32', {}, { 'C:\\uv\\uv.cmd': {} });
    expect(() => findUv({ self: [], configured: { value: 'C:\\uv\\uv.cmd', origin: 'uv-path' } }, h)).toThrowError(/only an \.exe/);
  });

  it('follows PATHEXT order and always knows .exe', () => {
    expect(candidateNames('uv', { PATHEXT: '.BAT;.EXE' }, 'win32')).toEqual([
      { file: 'uv.bat', startable: false },
      { file: 'uv.exe', startable: true },
    ]);
    expect(candidateNames('uv', { PATHEXT: '.CMD' }, 'win32').map((c) => c.file)).toEqual(['uv.cmd', 'uv.exe']);
    expect(candidateNames('uv', {}, 'linux')).toEqual([{ file: 'uv', startable: true }]);
  });
});

describe('hasLauncherMark: every copy of every form is recognised from its first 256 bytes', () => {
  const elf = (pad: string) => `\x7fELF\x02\x01\x01\x00\x00${pad}\x02\x00>\x00`;
  const pe = (stub: string) => `MZx\x00${'\x00'.repeat(60)}\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21${stub}$\x00\x00PE\x00\x00`;

  it('the standalone Linux executable: "uvxsafe" in the ELF e_ident padding', () => {
    expect(hasLauncherMark(elf('uvxsafe'))).toBe(true);
    expect(hasLauncherMark(elf('\x00'.repeat(7)))).toBe(false); // the real uv
    expect(hasLauncherMark(elf('uvxsaf\x00'))).toBe(false);
    expect(hasLauncherMark(`#!/bin/sh\nuvxsafe`)).toBe(false); // the seven letters elsewhere are nothing
  });

  it('the standalone Windows executable: the marker in the DOS stub', () => {
    expect(hasLauncherMark(pe('uvx-safe-launcher: not for DOS.        '))).toBe(true);
    expect(hasLauncherMark(pe('This program cannot be run in DOS mode.'))).toBe(false); // the real uv.exe
  });

  it('shim scripts and bin/uvx-safe: the marker in a comment', () => {
    expect(hasLauncherMark(`#!/usr/bin/node\n// ${LAUNCHER_MARKER}: a uvx-safe shim\n`)).toBe(true);
  });

  it('a marked executable on PATH before the real uv is passed over, whatever its name or version', () => {
    const h = host('linux', { PATH: '/old:/real' }, { '/old/uv': { head: elf('uvxsafe') }, '/real/uv': { head: elf('\x00'.repeat(7)) } });
    const choice = findUv({ self: ['/opt/uvx-safe/uvx-safe-linux-x64'] }, h);
    expect(choice.path).toBe('/real/uv');
    expect(choice.skipped).toEqual([{ path: '/old/uv', reason: 'uvx-safe itself' }]);
  });
});

describe('findUv: the governed wheel carries its own uv', () => {
  const marked = { head: `MZ ${LAUNCHER_MARKER}` };

  it('started as the wheel\'s uv, runs the real uv beside it before uv-path, UVX_SAFE_UV and PATH', () => {
    const h = host('linux', { PATH: '/venv/bin:/usr/bin', UVX_SAFE_UV: '/env/uv' }, {
      '/venv/bin/uv': marked,
      '/venv/bin/.uvx-safe-real-uv': {},
      '/env/uv': {},
      '/usr/bin/uv': {},
    });
    const choice = findUv({ self: ['/venv/bin/uv'], shim: '/venv/bin/uv', configured: { value: '/env/uv', origin: 'uv-path' } }, h);
    expect(choice).toMatchObject({ path: '/venv/bin/.uvx-safe-real-uv', source: 'wheel' });
  });

  it('never runs a launcher found there (a copy of uvx-safe would loop), nor a file it may not execute', () => {
    for (const real of [marked, { exec: false }]) {
      const h = host('linux', { PATH: '/usr/bin' }, { '/venv/bin/uv': marked, '/venv/bin/.uvx-safe-real-uv': real, '/usr/bin/uv': {} });
      expect(findUv({ self: ['/venv/bin/uv'], shim: '/venv/bin/uv' }, h)).toMatchObject({ path: '/usr/bin/uv', source: 'PATH' });
    }
  });

  it('on Windows looks for .uvx-safe-real-uv.exe', () => {
    const h = host('win32', { PATH: 'C:\\venv\\Scripts' }, { 'C:\\venv\\Scripts\\uv.exe': marked, 'C:\\venv\\Scripts\\.uvx-safe-real-uv.exe': {} });
    expect(findUv({ self: [], shim: 'C:\\venv\\Scripts\\uv.exe' }, h).path).toBe('C:\\venv\\Scripts\\.uvx-safe-real-uv.exe');
  });

  it('a wheel launcher found on PATH stands for the uv it carries', () => {
    const h = host('linux', { PATH: '/venv/bin:/usr/bin' }, { '/venv/bin/uv': marked, '/venv/bin/.uvx-safe-real-uv': {}, '/usr/bin/uv': {} });
    expect(findUv({ self: ['/opt/uvx-safe'] }, h)).toMatchObject({ path: '/venv/bin/.uvx-safe-real-uv', source: 'PATH' });
  });
});

describe('findUv: what it says, and the edges of "is this the launcher?"', () => {
  const hintOf = (run: () => unknown): string | undefined => thrown(UvNotFoundError, run).hint;

  it('every refusal of a given uv names it and says what to do instead', () => {
    const files = { '/x/noexec': { exec: false }, '/x/me': { real: '/l/uvx-safe' } };
    const h = (v: string) => host('linux', { UVX_SAFE_UV: v }, files);
    for (const [value, said] of [
      ['uv', /UVX_SAFE_UV: "uv" must be an absolute path/],
      ['/x/missing', /"\/x\/missing" does not exist/],
      ['/x/noexec', /"\/x\/noexec" is not executable/],
      ['/x/me', /UVX_SAFE_UV: "\/x\/me" is uvx-safe itself/],
    ] as const) {
      expect(() => findUv({ self: ['/l/uvx-safe'] }, h(value))).toThrowError(said);
      expect(hintOf(() => findUv({ self: ['/l/uvx-safe'] }, h(value))), value).toMatch(/uv/);
    }
    const win = host('win32', {}, { 'C:\\uv\\uv.cmd': {} });
    expect(hintOf(() => findUv({ self: [], configured: { value: 'C:\\uv\\uv.cmd', origin: 'uv-path' } }, win))).toMatch(/uv\.exe/);
  });

  it('the refusal when PATH has none lists what it passed over, with why, and how to point at uv', () => {
    const h = host('linux', { PATH: '/a:/b:/c' }, { '/a/uv': { real: '/l/uvx-safe' }, '/b/uv': { exec: false } });
    expect(() => findUv({ self: ['/l/uvx-safe'] }, h)).toThrowError(
      'the real uv was not found on PATH (passed over: /a/uv, uvx-safe itself; /b/uv, not executable)',
    );
    expect(hintOf(() => findUv({ self: [] }, host('linux', { PATH: '/a' }, {})))).toMatch(/UVX_SAFE_UV=/);
    expect(() => findUv({ self: [] }, host('linux', {}, {}))).toThrowError(/^the real uv was not found on PATH$/);
  });

  it('a choice says where it came from and passes nothing over unless it did', () => {
    const h = host('linux', { PATH: '/skip:/a', UVX_SAFE_UV: '/env/uv' }, { '/env/uv': {}, '/cfg/uv': {}, '/skip/uv': { exec: false }, '/a/uv': {} });
    expect(findUv({ self: [] }, h)).toEqual({ path: '/env/uv', source: 'UVX_SAFE_UV', origin: 'UVX_SAFE_UV', skipped: [] });
    expect(findUv({ self: [], configured: { value: '/cfg/uv', origin: '/etc/uvx-safe/config.toml' } }, h)).toEqual({
      path: '/cfg/uv',
      source: 'uv-path',
      origin: '/etc/uvx-safe/config.toml',
      skipped: [],
    });
    const onPath = host('linux', { PATH: '/skip:/a' }, { '/skip/uv': { exec: false }, '/a/uv': {} });
    expect(findUv({ self: [] }, onPath)).toEqual({ path: '/a/uv', source: 'PATH', origin: 'PATH entry /a', skipped: [{ path: '/skip/uv', reason: 'not executable' }] });
    const managed = { find: () => ({ path: '/m/uv', version: '0.13.9', origin: 'uv-source' }), missing: () => new Error('none') };
    expect(findUv({ self: [], managed }, onPath)).toEqual({ path: '/m/uv', source: 'managed', origin: 'uv-source', skipped: [], version: '0.13.9' });
  });

  it('the uv kept beside a shim, and the governed wheel\'s own uv, say so', () => {
    const marked = { head: `#!/bin/sh\n# ${LAUNCHER_MARKER}\n` };
    const kept = host('linux', { PATH: '/venv/bin' }, { '/venv/bin/uv': marked, '/venv/bin/.uvx-safe-real/uv': {} });
    expect(findUv({ self: [], shim: '/venv/bin/uv' }, kept)).toEqual({
      path: '/venv/bin/.uvx-safe-real/uv',
      source: 'beside-shim',
      origin: 'kept beside the shim /venv/bin/uv',
      skipped: [],
    });
    expect(findUv({ self: [] }, kept).origin).toBe('PATH entry /venv/bin (kept beside its shim)');
    const wheel = host('linux', { PATH: '/venv/bin' }, { '/venv/bin/uv': marked, '/venv/bin/.uvx-safe-real-uv': {} });
    expect(findUv({ self: [], shim: '/venv/bin/uv' }, wheel)).toEqual({
      path: '/venv/bin/.uvx-safe-real-uv',
      source: 'wheel',
      origin: "the governed uv wheel's own uv, beside /venv/bin/uv",
      skipped: [],
    });
    expect(findUv({ self: [] }, wheel).origin).toBe("PATH entry /venv/bin (the governed uv wheel's own uv)");
  });

  it('a file without a realpath or an unreadable head is judged by what is known, not taken for the launcher', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const dir = platform === 'win32' ? 'C:\\uv' : '/uv';
      const file = platform === 'win32' ? 'C:\\uv\\uv.exe' : '/uv/uv';
      const h: FindHost = { ...host(platform, { PATH: dir }, { [file]: {} }), realpath: () => undefined, readHead: () => undefined };
      expect(findUv({ self: [platform === 'win32' ? 'C:\\uvx-safe.exe' : '/uvx-safe'] }, h).path).toBe(file);
    }
  });

  it('POSIX paths differ by case; the ELF mark needs the ELF magic', () => {
    const h = host('linux', { PATH: '/opt' }, { '/opt/uv': { real: '/opt/uv' } });
    expect(findUv({ self: ['/OPT/UV'] }, h).path).toBe('/opt/uv');
    expect(hasLauncherMark(`${'x'.repeat(9)}uvxsafe`)).toBe(false);
  });

  it('Windows: uv.exe in any case is an .exe; PATHEXT unset means .COM;.EXE;.BAT;.CMD, empty entries skipped', () => {
    const h = host('win32', {}, { 'C:\\UV\\UV.EXE': {} });
    expect(findUv({ self: [], configured: { value: 'C:\\UV\\UV.EXE', origin: 'uv-path' } }, h).path).toBe('C:\\UV\\UV.EXE');
    expect(candidateNames('uv', {}, 'win32').map((c) => c.file)).toEqual(['uv.com', 'uv.exe', 'uv.bat', 'uv.cmd']);
    expect(candidateNames('uv', { PATHEXT: '.COM;;.EXE;' }, 'win32').map((c) => c.file)).toEqual(['uv.com', 'uv.exe']);
  });

  it('only Windows unquotes a PATH entry', () => {
    expect(pathEntries({ PATH: '"/opt/uv":/b' }, 'linux')).toEqual(['/b']);
    expect(pathEntries({ PATH: '"C:\\uv";D:\\b' }, 'win32')).toEqual(['C:\\uv', 'D:\\b']);
  });
});
