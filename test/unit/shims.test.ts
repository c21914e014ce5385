import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAUNCHER_MARKER } from '../../src/uv/find.js';
import type { EntryKind, ShimHost } from '../../src/shims/host.js';
import { folderChain, folderRefusal, posixFolderProblem, windowsFolderProblem } from '../../src/shims/folder.js';
import { shimFileName } from '../../src/shims/names.js';
import { placeShim } from '../../src/shims/place.js';
import { findShims, shimChecks } from '../../src/doctor/shims.js';
import { cleanable, cleanerCommandLine } from '../../src/shims/after-exit.js';
import { checkPathOrder, normalizeDir, pathWarnings } from '../../src/shims/path-order.js';
import { ShimRefusal, classify, planInstall, planUninstall, profileWarning, type ShimSource } from '../../src/shims/plan.js';
import { renderPosixShim, shQuote, shebangSafe } from '../../src/shims/script.js';
import { thrown } from '../helpers/thrown.js';

interface FakeEntry {
  kind?: EntryKind;
  real?: string;
  text?: string;
  exec?: boolean;
  /** Files with the same id are hard links of one another. */
  id?: string;
}

/** An in-memory file system; paths compare case-insensitively on Windows, as NTFS does. */
function host(platform: NodeJS.Platform, env: Record<string, string>, files: Record<string, FakeEntry>): ShimHost {
  const norm = (f: string) => (platform === 'win32' ? f.toLowerCase() : f);
  const table = new Map(Object.entries(files).map(([k, v]) => [norm(k), v]));
  const get = (f: string) => table.get(norm(f));
  return {
    platform,
    env,
    entryKind: (f) => get(f)?.kind ?? (get(f) ? 'file' : 'absent'),
    isDirectory: (f) => get(f)?.kind === 'directory',
    isFile: (f) => {
      const e = get(f);
      return (!!e && (e.kind ?? 'file') === 'file') || (e?.kind === 'symlink' && e.real !== undefined);
    },
    isExecutable: (f) => get(f)?.exec !== false,
    realpath: (f) => {
      const e = get(f);
      if (!e) return undefined;
      return e.kind === 'symlink' ? e.real : f;
    },
    readHead: (f) => (get(f)?.text ?? '\x7fELF\x02\x01\x01').slice(0, 256),
    readText: (f) => get(f)?.text,
    listDir: (d) => {
      const prefix = norm(d.endsWith(sep(platform)) ? d : d + sep(platform));
      return Object.keys(files).filter((f) => norm(f).startsWith(prefix) && !f.slice(prefix.length).includes(sep(platform))).map((f) => f.slice(prefix.length));
    },
    sameFile: (a, b) => norm(a) === norm(b) || (get(a)?.id !== undefined && get(a)?.id === get(b)?.id),
    sameBytes: (a, b) => get(a)?.text !== undefined && get(a)?.text === get(b)?.text,
  };
}

const sep = (platform: NodeJS.Platform) => (platform === 'win32' ? '\\' : '/');

const SELF = ['/opt/uvx-safe/bin/uvx-safe', '/opt/uvx-safe/dist/uvx-safe.cjs'];
const SHIM = renderPosixShim({ node: '/usr/bin/node', loader: '/opt/uvx-safe/bin/uvx-safe' });
const SCRIPT: ShimSource = { kind: 'script', content: SHIM };
const install = (h: ShimHost, dir = '/home/me/bin') =>
  planInstall({ platform: h.platform, dir, cwd: '/home/me', source: SCRIPT, self: SELF, stamp: '42', env: {} }, h);

describe('the POSIX shim text', () => {
  it('pins node in the #! line and carries the marker within the first 256 bytes', () => {
    const text = renderPosixShim({ node: '/usr/bin/node', loader: '/opt/u x/bin/uvx-safe' });
    expect(text.split('\n')[0]).toBe('#!/usr/bin/node');
    expect(text.slice(0, 256)).toContain(LAUNCHER_MARKER);
    expect(text).toContain('require("/opt/u x/bin/uvx-safe");');
  });

  it('falls back to a /bin/sh polyglot when node cannot go on a #! line', () => {
    expect(shebangSafe('/usr/bin/node')).toBe(true);
    expect(shebangSafe('/opt/my node/bin/node')).toBe(false);
    expect(shebangSafe(`/${'x'.repeat(200)}/node`)).toBe(false);
    const text = renderPosixShim({ node: "/opt/it's here/node", loader: '/b/uvx-safe' });
    expect(text.split('\n')[0]).toBe('#!/bin/sh');
    expect(text.split('\n')[1]).toBe(`':' //; exec '/opt/it'\\''s here/node' "$0" "$@" # ${LAUNCHER_MARKER}: a uvx-safe shim`);
    expect(text.slice(0, 256)).toContain(LAUNCHER_MARKER);
  });

  it('quotes for sh with single quotes only', () => {
    expect(shQuote(`a'b $c "d"`)).toBe(`'a'\\''b $c "d"'`);
  });
});

describe('classifying what is already in D', () => {
  it('knows its own shims by marker or by realpath, and everything else as foreign', () => {
    const h = host('linux', {}, {
      '/d/new': { text: SHIM },
      '/d/old': { text: `#!/bin/sh\n# ${LAUNCHER_MARKER}\nexec node x "$@"\n` },
      '/d/link': { kind: 'symlink', real: '/opt/uvx-safe/bin/uvx-safe' },
      '/d/uv': {},
      '/d/toreal': { kind: 'symlink', real: '/usr/bin/uv' },
      '/usr/bin/uv': {},
      '/d/broken': { kind: 'symlink' },
      '/d/dir': { kind: 'directory' },
    });
    expect(classify('/d/new', SCRIPT, h, SELF)).toEqual({ kind: 'own', upToDate: true });
    expect(classify('/d/old', SCRIPT, h, SELF)).toEqual({ kind: 'own', upToDate: false });
    expect(classify('/d/link', SCRIPT, h, SELF)).toEqual({ kind: 'own', upToDate: false });
    expect(classify('/d/uv', SCRIPT, h, SELF)).toMatchObject({ kind: 'foreign', why: expect.stringMatching(/not a uvx-safe shim/) });
    expect(classify('/d/toreal', SCRIPT, h, SELF).kind).toBe('foreign');
    expect(classify('/d/broken', SCRIPT, h, SELF)).toMatchObject({ kind: 'foreign', why: expect.stringMatching(/broken/) });
    expect(classify('/d/dir', SCRIPT, h, SELF)).toMatchObject({ kind: 'foreign', why: 'it is a folder' });
    expect(classify('/d/none', SCRIPT, h, SELF)).toEqual({ kind: 'absent' });
  });
});

describe('planning an install on POSIX', () => {
  it('creates both shims in a new folder, resolving --dir against the working folder', () => {
    const plan = install(host('linux', {}, {}), 'bin');
    expect(plan).toEqual({
      dir: '/home/me/bin',
      createDir: true,
      steps: [
        { name: 'uv', file: '/home/me/bin/uv', action: 'create' },
        { name: 'uvx', file: '/home/me/bin/uvx', action: 'create' },
      ],
      leftovers: [],
      warnings: [],
    });
  });

  it('is idempotent: the same shims are kept, outdated ones replaced', () => {
    const h = host('linux', {}, {
      '/home/me/bin': { kind: 'directory' },
      '/home/me/bin/uv': { text: SHIM },
      '/home/me/bin/uvx': { kind: 'symlink', real: '/opt/uvx-safe/bin/uvx-safe' },
    });
    expect(install(h).steps.map((s) => s.action)).toEqual(['keep', 'replace']);
    expect(install(h).createDir).toBe(false);
  });

  it('refuses to overwrite a real uv, naming the file, before writing anything', () => {
    const h = host('linux', {}, { '/home/me/bin': { kind: 'directory' }, '/home/me/bin/uvx': {} });
    expect(() => install(h)).toThrowError(ShimRefusal);
    expect(() => install(h)).toThrowError(/^refusing to overwrite \/home\/me\/bin\/uvx: it is not a uvx-safe shim/);
  });

  it('refuses a --dir that is a file', () => {
    const h = host('linux', {}, { '/home/me/bin': {} });
    expect(() => install(h)).toThrowError(/--dir \/home\/me\/bin: not a folder/);
  });
});

describe('planning an uninstall', () => {
  it('removes only its own shims and leaves a real uv with the reason', () => {
    const h = host('linux', {}, {
      '/d': { kind: 'directory' },
      '/d/uv': {},
      '/d/uvx': { text: SHIM },
      '/d/other': { text: 'unrelated' },
    });
    const { steps } = planUninstall({ platform: 'linux', dir: '/d', cwd: '/', self: SELF, stamp: '42' }, h);
    expect(steps).toEqual([
      { name: 'uv', file: '/d/uv', action: 'leave', why: 'it is not a uvx-safe shim (a real uv?)' },
      { name: 'uvx', file: '/d/uvx', action: 'remove' },
    ]);
  });

  it('on Windows looks for uv.exe and uvx.exe, case-insensitively', () => {
    const h = host('win32', {}, {
      'C:\\Tools': { kind: 'directory' },
      'c:\\tools\\UV.EXE': { text: `MZ\x90\x00 ${LAUNCHER_MARKER}` },
      'C:\\Tools\\uvx.exe': {},
    });
    const { steps } = planUninstall({ platform: 'win32', dir: 'C:\\Tools', cwd: 'C:\\', self: [], stamp: '42' }, h);
    expect(steps.map((s) => [s.file, s.action])).toEqual([
      ['C:\\Tools\\uv.exe', 'remove'],
      ['C:\\Tools\\uvx.exe', 'leave'],
    ]);
  });
});

describe('Windows', () => {
  it('names the shims uv.exe and uvx.exe', () => {
    expect(shimFileName('uv', 'win32')).toBe('uv.exe');
    expect(shimFileName('uvx', 'win32')).toBe('uvx.exe');
    expect(shimFileName('uvx', 'darwin')).toBe('uvx');
  });

  it('refuses script shims (the npm form) in one line: the shims are the standalone executable, named with --exe', () => {
    const h = host('win32', {}, { 'C:\\Tools': { kind: 'directory' } });
    const run = () => install(h, 'C:\\Tools');
    expect(run).toThrowError(ShimRefusal);
    expect(run).toThrowError(/the shims are the standalone uvx-safe executable$/);
    try {
      run();
    } catch (err) {
      expect((err as ShimRefusal).exitCode).toBe(2);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('normalises folders: case, trailing separators, drive roots kept', () => {
    expect(normalizeDir('C:\\Tools\\', 'win32')).toBe('c:\\tools');
    expect(normalizeDir('C:/Tools', 'win32')).toBe('c:\\tools');
    expect(normalizeDir('C:\\', 'win32')).toBe('c:\\');
    expect(normalizeDir('/home/me/bin/', 'linux')).toBe('/home/me/bin');
    expect(normalizeDir('/', 'linux')).toBe('/');
  });

  it('reads `Path` split on `;`, quoted entries included, and finds a real uv.exe ahead of D', () => {
    const files = {
      'C:\\Users\\me\\.local\\bin\\uv.exe': {},
      'C:\\Users\\me\\.local\\bin\\uvx.exe': {},
      'C:\\Tools\\uv.exe': { text: `MZ ${LAUNCHER_MARKER}` },
      'C:\\Tools\\uvx.exe': { text: `MZ ${LAUNCHER_MARKER}` },
    };
    const after = host('win32', { Path: 'C:\\Windows;"C:\\Users\\me\\.local\\bin";c:\\tools\\' }, files);
    expect(checkPathOrder('C:\\Tools', after, [])).toEqual({
      index: 2,
      shadowedBy: ['C:\\Users\\me\\.local\\bin\\uv.exe', 'C:\\Users\\me\\.local\\bin\\uvx.exe'],
    });
    expect(pathWarnings('C:\\Tools', after, [])).toEqual([
      'C:\\Tools comes after C:\\Users\\me\\.local\\bin\\uv.exe and C:\\Users\\me\\.local\\bin\\uvx.exe on PATH, ' +
        'so those run instead of the shims; put C:\\Tools earlier on PATH',
    ]);
    const before = host('win32', { Path: 'C:\\TOOLS;C:\\Users\\me\\.local\\bin' }, files);
    expect(pathWarnings('C:\\Tools', before, [])).toEqual([]);
    const missing = host('win32', { Path: 'C:\\Users\\me\\.local\\bin' }, files);
    expect(pathWarnings('C:\\Tools', missing, [])[0]).toMatch(/^C:\\Tools is not on PATH/);
  });

  it('counts a uv.cmd ahead of D as shadowing, as cmd.exe would run it (PATHEXT)', () => {
    const h = host('win32', { PATH: 'C:\\a;C:\\Tools', PATHEXT: '.COM;.EXE;.BAT;.CMD' }, { 'C:\\a\\uv.cmd': {} });
    expect(checkPathOrder('C:\\Tools', h, []).shadowedBy).toEqual(['C:\\a\\uv.cmd']);
  });
});

describe('PATH order on POSIX', () => {
  it('warns when D is missing, or after a real uv; not when only other shims come first', () => {
    const files = { '/usr/bin/uv': {}, '/other/uv': { text: SHIM }, '/noexec/uv': { exec: false } };
    const h = (PATH: string) => host('linux', { PATH }, files);
    expect(pathWarnings('/d', h('/usr/bin'), SELF)).toEqual([
      '/d is not on PATH, so "uv" and "uvx" do not run the shims yet; add it to PATH before the real uv',
    ]);
    expect(pathWarnings('/d', h('/usr/bin:/d'), SELF)[0]).toMatch(/^\/d comes after \/usr\/bin\/uv on PATH/);
    expect(pathWarnings('/d', h('/other:/noexec:/d/:/usr/bin'), SELF)).toEqual([]);
    // Case matters on POSIX.
    expect(checkPathOrder('/D', h('/d'), SELF).index).toBe(-1);
  });
});

describe('installing the standalone executable as uv.exe and uvx.exe (Windows)', () => {
  const MARKED = `MZx\x00 ${LAUNCHER_MARKER}: not for DOS. `;
  const EXE: ShimSource = { kind: 'program', file: 'C:\\Program Files\\uvx-safe\\uvx-safe.exe' };
  const plan = (h: ShimHost, dir: string, env: Record<string, string> = {}) =>
    planInstall({ platform: 'win32', dir, cwd: 'C:\\', source: EXE, self: [], stamp: '42', env }, h);

  it('creates both names, each to be a hard link to (or copy of) the executable', () => {
    const h = host('win32', {}, { [EXE.file]: { text: MARKED, id: 'exe' } });
    expect(plan(h, 'C:\\Program Files\\uvx-safe\\bin')).toEqual({
      dir: 'C:\\Program Files\\uvx-safe\\bin',
      createDir: true,
      steps: [
        { name: 'uv', file: 'C:\\Program Files\\uvx-safe\\bin\\uv.exe', action: 'create' },
        { name: 'uvx', file: 'C:\\Program Files\\uvx-safe\\bin\\uvx.exe', action: 'create' },
      ],
      leftovers: [],
      warnings: [],
    });
  });

  it('keeps a hard link or an identical copy; renames an older shim aside before replacing it (it may be running)', () => {
    const h = host('win32', {}, {
      [EXE.file]: { text: MARKED, id: 'exe' },
      'C:\\Shims': { kind: 'directory' },
      'C:\\Shims\\uv.exe': { text: MARKED, id: 'exe' },
      'C:\\Shims\\uvx.exe': { text: `${MARKED} older build`, id: 'old' },
    });
    expect(plan(h, 'C:\\Shims').steps).toEqual([
      { name: 'uv', file: 'C:\\Shims\\uv.exe', action: 'keep' },
      { name: 'uvx', file: 'C:\\Shims\\uvx.exe', action: 'replace', aside: 'C:\\Shims\\uvx.exe.old-42' },
    ]);
    const copies = host('win32', {}, { [EXE.file]: { text: MARKED }, 'C:\\Shims': { kind: 'directory' }, 'C:\\Shims\\UV.EXE': { text: MARKED } });
    expect(plan(copies, 'C:\\Shims').steps.map((s) => s.action)).toEqual(['keep', 'create']);
  });

  it('refuses to overwrite a real uv.exe (no mark), naming it, before anything is written', () => {
    const h = host('win32', {}, { [EXE.file]: { text: MARKED }, 'C:\\Shims': { kind: 'directory' }, 'C:\\Shims\\uvx.exe': { text: 'MZ\x90 This program cannot be run in DOS mode.' } });
    expect(() => plan(h, 'C:\\Shims')).toThrowError(/^refusing to overwrite C:\\Shims\\uvx\.exe: it is not a uvx-safe shim/);
  });

  it('lists our old shims left aside by an earlier run for removal, and nothing else', () => {
    const h = host('win32', {}, {
      [EXE.file]: { text: MARKED },
      'C:\\Shims': { kind: 'directory' },
      'C:\\Shims\\uv.exe.old-7': { text: MARKED },
      'C:\\Shims\\uvx.exe.old-8': { text: 'MZ real uvx renamed by someone' },
      'C:\\Shims\\notes.old-9': { text: MARKED },
    });
    expect(plan(h, 'C:\\Shims').leftovers).toEqual(['C:\\Shims\\uv.exe.old-7']);
  });

  it('warns when D lies under the user profile (AppLocker blocks programs there), case-insensitively', () => {
    const env = { USERPROFILE: 'C:\\Users\\me' };
    const h = host('win32', env, { [EXE.file]: { text: MARKED } });
    expect(plan(h, 'c:\\users\\ME\\.local\\bin', env).warnings).toEqual([
      expect.stringMatching(/^c:\\users\\ME\\\.local\\bin lies under the user profile \(C:\\Users\\me\).*1260/),
    ]);
    expect(plan(h, 'C:\\Program Files\\uvx-safe\\bin', env).warnings).toEqual([]);
    expect(profileWarning('C:\\Users\\meme\\bin', env, 'win32')).toBeUndefined();
    expect(profileWarning('/home/me/bin', { USERPROFILE: '/home/me' }, 'linux')).toBeUndefined();
  });

  it('uninstall removes only marked uv.exe/uvx.exe, renaming a running one aside, and our leftovers', () => {
    const h = host('win32', {}, {
      'C:\\Shims': { kind: 'directory' },
      'C:\\Shims\\uv.exe': { text: MARKED },
      'C:\\Shims\\uvx.exe': { text: 'MZ real' },
      'C:\\Shims\\uv.exe.old-3': { text: MARKED },
    });
    expect(planUninstall({ platform: 'win32', dir: 'C:\\Shims', cwd: 'C:\\', self: [], stamp: '42' }, h)).toEqual({
      steps: [
        { name: 'uv', file: 'C:\\Shims\\uv.exe', action: 'remove', aside: 'C:\\Shims\\uv.exe.old-42' },
        { name: 'uvx', file: 'C:\\Shims\\uvx.exe', action: 'leave', why: 'it is not a uvx-safe shim (a real uv?)' },
      ],
      leftovers: ['C:\\Shims\\uv.exe.old-3'],
    });
  });
});

describe('installing the standalone executable as uv and uvx (POSIX)', () => {
  const ELF = '\x7fELF\x02\x01\x01\x00\x00uvxsafe';
  const EXE: ShimSource = { kind: 'program', file: '/opt/uvx-safe/uvx-safe-linux-x64' };
  it('links or copies the executable; a link or identical copy is kept, no aside on POSIX (rename replaces)', () => {
    const h = host('linux', {}, {
      [EXE.file]: { text: ELF, id: 'exe' },
      '/usr/local/bin': { kind: 'directory' },
      '/usr/local/bin/uv': { text: ELF, id: 'exe' },
      '/usr/local/bin/uvx': { text: `${ELF} older` },
    });
    const p = planInstall({ platform: 'linux', dir: '/usr/local/bin', cwd: '/', source: EXE, self: [], stamp: '42', env: {} }, h);
    expect(p.steps).toEqual([
      { name: 'uv', file: '/usr/local/bin/uv', action: 'keep' },
      { name: 'uvx', file: '/usr/local/bin/uvx', action: 'replace' },
    ]);
  });
});

describe('the shim folder must be the installer’s alone (issue 16)', () => {
  const stats = (table: Record<string, { uid: number; mode: number }>) => (p: string) => table[p];
  const chain = folderChain('/opt/uvx-safe/bin', 'linux');

  it('walks from the folder up to the root', () => {
    expect(chain).toEqual(['/opt/uvx-safe/bin', '/opt/uvx-safe', '/opt', '/']);
    expect(folderChain('C:\\Program Files\\uvx-safe\\bin', 'win32')).toEqual([
      'C:\\Program Files\\uvx-safe\\bin',
      'C:\\Program Files\\uvx-safe',
      'C:\\Program Files',
      'C:\\',
    ]);
  });

  it('accepts root’s or the installer’s folders, closed to group and others, under sticky parents; absent parts are skipped', () => {
    const ok = stats({ '/opt/uvx-safe': { uid: 1000, mode: 0o40755 }, '/opt': { uid: 0, mode: 0o41777 }, '/': { uid: 0, mode: 0o40755 } });
    expect(posixFolderProblem(chain, 1000, ok)).toBeUndefined();
  });

  it('refuses a group- or world-writable folder, a non-sticky writable parent, and another user’s folder or parent', () => {
    const base = { '/opt/uvx-safe/bin': { uid: 0, mode: 0o40755 }, '/opt/uvx-safe': { uid: 0, mode: 0o40755 }, '/opt': { uid: 0, mode: 0o40755 }, '/': { uid: 0, mode: 0o40755 } };
    const problem = (over: Record<string, { uid: number; mode: number }>, me = 0) => posixFolderProblem(chain, me, stats({ ...base, ...over }));
    expect(problem({ '/opt/uvx-safe/bin': { uid: 0, mode: 0o40775 } })).toEqual({
      path: '/opt/uvx-safe/bin',
      why: '/opt/uvx-safe/bin is writable by its group',
      fix: 'chmod go-w /opt/uvx-safe/bin',
    });
    // The folder itself may not rely on the sticky bit: a new name in it could still be taken first.
    expect(problem({ '/opt/uvx-safe/bin': { uid: 0, mode: 0o41777 } })?.why).toBe('/opt/uvx-safe/bin is writable by its group and everyone');
    expect(problem({ '/opt': { uid: 0, mode: 0o40777 } })?.why).toBe('its parent /opt is writable by its group and everyone');
    expect(problem({ '/opt/uvx-safe': { uid: 1001, mode: 0o40755 } }, 1000)?.why).toBe('its parent /opt/uvx-safe is owned by uid 1001, not by root or you (uid 1000)');
  });

  it('on Windows: the owner and every writer must be the installer, Administrators, SYSTEM or TrustedInstaller', () => {
    const dir = 'C:\\Program Files\\uvx-safe\\bin';
    const me = 'S-1-5-21-1-2-3-1001';
    const allow = (sid: string, mask = 0x1f01ff) => ({ type: 'allow' as const, flags: 0, mask, sid });
    const admins = [allow('S-1-5-32-544'), allow('S-1-5-18'), allow('S-1-5-32-545', 0x1200a9)];
    expect(windowsFolderProblem(dir, { owner: 'S-1-5-32-544', dacl: admins }, me)).toBeUndefined();
    expect(windowsFolderProblem(dir, { owner: me, dacl: [...admins, allow(me)] }, me)).toBeUndefined();
    expect(windowsFolderProblem(dir, { owner: 'S-1-5-32-544', dacl: [...admins, allow('S-1-5-11', 0x6)] }, me)?.why).toBe(
      `S-1-5-11 (Authenticated Users) can write ${dir}`,
    );
    expect(windowsFolderProblem(dir, { owner: 'S-1-5-21-1-2-3-1002', dacl: admins }, me)?.why).toBe(
      `${dir} is owned by S-1-5-21-1-2-3-1002, not by you or Administrators`,
    );
    expect(windowsFolderProblem(dir, { owner: 'S-1-5-32-544', dacl: null }, me)?.why).toBe(`S-1-1-0 (Everyone) can write ${dir}`);
  });

  it('the refusal says why a shim there is unsafe and what to do instead', () => {
    const said = folderRefusal({ path: '/srv/bin', why: '/srv/bin is writable by everyone', fix: 'chmod go-w /srv/bin' }, 'linux');
    expect(said).toEqual({
      message: 'refusing to install shims there: /srv/bin is writable by everyone, so another user could swap a shim for their own program (nothing was written)',
      hint: 'choose a folder only you or the administrators can change (e.g. /opt/uvx-safe/bin), or close it with `chmod go-w /srv/bin`',
    });
  });
});

describe('placing a shim never follows a symlink out of the folder', () => {
  it('a link planted at the temporary name is replaced, its target untouched', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-place-'));
    try {
      const dir = path.join(root, 'bin');
      fs.mkdirSync(dir);
      const target = path.join(root, 'victim');
      fs.writeFileSync(target, 'precious\n');
      fs.symlinkSync(target, path.join(dir, '.uv.uvx-safe-77.tmp'));
      fs.symlinkSync(target, path.join(dir, '.uvx.uvx-safe-77.tmp'));
      placeShim({ name: 'uv', file: path.join(dir, 'uv'), action: 'create' }, SCRIPT, '77', []);
      const program = path.join(root, 'uvx-safe');
      fs.writeFileSync(program, 'a standalone executable\n');
      placeShim({ name: 'uvx', file: path.join(dir, 'uvx'), action: 'create' }, { kind: 'program', file: program }, '77', []);
      expect(fs.readFileSync(target, 'utf8')).toBe('precious\n');
      expect(fs.readFileSync(path.join(dir, 'uv'), 'utf8')).toBe(SHIM);
      expect(fs.lstatSync(path.join(dir, 'uvx')).isFile()).toBe(true);
      expect(fs.readdirSync(dir).sort()).toEqual(['uv', 'uvx']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('safe doctor: shims that differ from the running launcher (issue 16)', () => {
  const OLD = renderPosixShim({ node: '/usr/local/bin/node', loader: '/opt/old/bin/uvx-safe' });
  const EXE_SHIM = `\x7fELF\x02\x01\x01\x00\x00uvxsafe`;

  it('names the stale shims of each folder on PATH with the command that updates them; current ones are ok', () => {
    const h = host('linux', { PATH: '/home/me/bin:/opt/shims:/usr/bin' }, {
      '/home/me/bin/uv': { text: SHIM },
      '/home/me/bin/uvx': { text: OLD },
      '/opt/shims/uv': { text: EXE_SHIM },
      '/usr/bin/uv': { text: '\x7fELF\x02\x01\x01 a real uv' },
    });
    const shims = findShims(h, { source: SCRIPT, self: SELF, venvShims: [], command: 'uvx-safe' });
    expect(shims).toEqual([
      { dir: '/home/me/bin', installedWith: 'dir', files: ['/home/me/bin/uv', '/home/me/bin/uvx'], stale: ['/home/me/bin/uvx'], fix: 'uvx-safe safe shims install --dir /home/me/bin' },
      // The standalone executable's shim is another form: not compared with the npm form's script.
      { dir: '/opt/shims', installedWith: 'dir', files: ['/opt/shims/uv'], stale: [], fix: null },
    ]);
    expect(shimChecks(shims).map((c) => [c.id, c.status, c.message])).toEqual([
      ['shims.0', 'warn', '/home/me/bin/uvx differs from the running uvx-safe (a shim of an older launcher); fix: uvx-safe safe shims install --dir /home/me/bin'],
      ['shims.1', 'ok', '/opt/shims/uv is the running uvx-safe'],
    ]);
  });

  it('a client environment’s shim is fixed with --venv on the environment', () => {
    const h = host('linux', { PATH: '/usr/bin' }, {
      '/venvs/tox/bin/uv': { text: OLD },
      '/venvs/tox/bin/.uvx-safe-real': { kind: 'directory' },
    });
    const [shim] = findShims(h, { source: SCRIPT, self: SELF, venvShims: ['/venvs/tox/bin'], command: '/opt/uvx-safe/uvx-safe' });
    expect(shim).toEqual({
      dir: '/venvs/tox/bin',
      installedWith: 'venv',
      files: ['/venvs/tox/bin/uv'],
      stale: ['/venvs/tox/bin/uv'],
      fix: '/opt/uvx-safe/uvx-safe safe shims install --venv /venvs/tox',
    });
  });

  it('compares executables on Windows case-insensitively by folder, and says nothing where it cannot tell (no source)', () => {
    const h = host('win32', { Path: 'C:\\Program Files\\uvx-safe\\bin;c:\\program files\\UVX-SAFE\\bin', PATHEXT: '.EXE' }, {
      'C:\\Program Files\\uvx-safe\\bin\\uv.exe': { text: 'MZ uvx-safe-launcher old', id: 'old' },
      'C:\\Program Files\\uvx-safe\\bin\\uvx.exe': { text: 'MZ uvx-safe-launcher new', id: 'new' },
      'C:\\Program Files\\uvx-safe\\uvx-safe.exe': { text: 'MZ uvx-safe-launcher new', id: 'new' },
    });
    const source: ShimSource = { kind: 'program', file: 'C:\\Program Files\\uvx-safe\\uvx-safe.exe' };
    const [shim] = findShims(h, { source, self: [], venvShims: [], command: 'C:\\Program Files\\uvx-safe\\uvx-safe.exe' });
    expect(shim!.stale).toEqual(['C:\\Program Files\\uvx-safe\\bin\\uv.exe']);
    expect(shim!.fix).toBe('C:\\Program Files\\uvx-safe\\uvx-safe.exe safe shims install --dir "C:\\Program Files\\uvx-safe\\bin"');
    expect(findShims(h, { source: undefined, self: [], venvShims: [], command: 'uvx-safe' })[0]!.stale).toEqual([]);
  });
});

describe('Windows: deleting a renamed shim once it no longer runs (issue 14 item 8)', () => {
  it('is one cmd.exe chain per file that stops as soon as the file is gone, within cmd’s line limit', () => {
    const file = 'C:\\Program Files\\uvx-safe\\bin\\uv.exe.old-42';
    const line = cleanerCommandLine(file);
    const del = `del /f /q "${file}" >nul 2>&1`;
    expect(line.startsWith(`/d /q /s /c "${del} & if exist "${file}" ping -n 2 127.0.0.1 >nul & ${del} & `)).toBe(true);
    expect(line.endsWith(`${del}"`)).toBe(true);
    expect(line.split('ping -n 2 ').length - 1).toBe(10);
    expect(line.split('ping -n 4 ').length - 1).toBe(20);
    expect(line).not.toMatch(/[()]/); // Wine's cmd misreads nested parentheses
    const long = cleanerCommandLine(`C:\\${'x'.repeat(200)}\\uv.exe.old-42`);
    expect(long.length).toBeLessThanOrEqual(8000);
    expect(long.endsWith('.old-42" >nul 2>&1"')).toBe(true);
  });

  it('leaves a path cmd would expand (%, !) to the next install or uninstall', () => {
    expect(cleanable('C:\\tools\\uv.exe.old-1')).toBe(true);
    expect(cleanable('C:\\100%\\uv.exe.old-1')).toBe(false);
    expect(cleanable('C:\\wow!\\uv.exe.old-1')).toBe(false);
  });
});

describe('what each refusal says to do, and the edges of the plans (issue 19)', () => {
  const ELF = '\x7fELF\x02\x01\x01\x00\x00uvxsafe';
  const EXE: ShimSource = { kind: 'program', file: '/opt/uvx-safe/uvx-safe-linux-x64' };
  const refusal = (fn: () => unknown) => thrown(ShimRefusal, fn);

  it('each install refusal carries its hint: a file in the way, a --dir that is a file, script shims on Windows', () => {
    expect(refusal(() => install(host('linux', {}, { '/home/me/bin': { kind: 'directory' }, '/home/me/bin/uv': {} }))).hint).toBe('move it away or choose another --dir');
    expect(refusal(() => install(host('linux', {}, { '/home/me/bin': {} }))).hint).toContain('name a folder');
    const windows = host('win32', {}, {});
    expect(refusal(() => planInstall({ platform: 'win32', dir: 'C:\\bin', cwd: 'C:\\', source: SCRIPT, self: [], stamp: '1', env: {} }, windows)).hint).toContain('--exe PATH');
  });

  it('something that is neither file, folder nor link (a FIFO, a socket) is not ours to overwrite', () => {
    const h = host('linux', {}, { '/home/me/bin': { kind: 'directory' }, '/home/me/bin/uvx': { kind: 'other' } });
    expect(refusal(() => install(h)).message).toBe('refusing to overwrite /home/me/bin/uvx: it is not a regular file (nothing was written)');
  });

  it('a symbolic link to the launcher is rewritten as a file even when it leads to the same content', () => {
    const script = host('linux', {}, {
      '/home/me/bin': { kind: 'directory' },
      '/home/me/bin/uv': { kind: 'symlink', real: '/opt/uvx-safe/bin/uvx-safe', text: SHIM },
      '/home/me/bin/uvx': { text: SHIM },
    });
    expect(install(script).steps.map((s) => s.action)).toEqual(['replace', 'keep']);
    const program = host('linux', {}, {
      [EXE.file]: { text: ELF, id: 'exe' },
      '/usr/local/bin': { kind: 'directory' },
      '/usr/local/bin/uv': { kind: 'symlink', real: EXE.file, text: ELF, id: 'exe' },
      '/usr/local/bin/uvx': { text: ELF, id: 'exe' },
    });
    const plan = planInstall({ platform: 'linux', dir: '/usr/local/bin', cwd: '/', source: EXE, self: [EXE.file], stamp: '1', env: {} }, program);
    expect(plan.steps.map((s) => s.action)).toEqual(['replace', 'keep']);
  });

  it('a leftover is a file: a link named like one is left alone', () => {
    const MARKED = `MZx\x00 ${LAUNCHER_MARKER}`;
    const h = host('win32', {}, {
      'C:\\Shims': { kind: 'directory' },
      'C:\\Shims\\uv.exe.old-7': { text: MARKED },
      'C:\\Shims\\uvx.exe.old-8': { kind: 'symlink', real: 'C:\\Shims\\uv.exe.old-7', text: MARKED },
    });
    expect(planUninstall({ platform: 'win32', dir: 'C:\\Shims', cwd: 'C:\\', self: [], stamp: '1' }, h).leftovers).toEqual(['C:\\Shims\\uv.exe.old-7']);
  });

  it('uninstall: names that hold nothing are "absent"; a folder that does not exist has no steps to take', () => {
    const empty = host('linux', {}, { '/d': { kind: 'directory' } });
    expect(planUninstall({ platform: 'linux', dir: '/d', cwd: '/', self: SELF, stamp: '1' }, empty).steps.map((s) => s.action)).toEqual(['absent', 'absent']);
    expect(planUninstall({ platform: 'linux', dir: '/nowhere', cwd: '/', self: SELF, stamp: '1' }, host('linux', {}, {}))).toEqual({
      steps: [
        { name: 'uv', file: '/nowhere/uv', action: 'absent' },
        { name: 'uvx', file: '/nowhere/uvx', action: 'absent' },
      ],
      leftovers: [],
    });
  });

  it('the profile warning reads USERPROFILE only, whatever other variables hold', () => {
    const env = { PATH: 'C:\\Windows', TEMP: 'C:\\Windows\\Temp', USERPROFILE: 'C:\\Users\\me' };
    expect(profileWarning('C:\\Windows\\bin', env, 'win32')).toBeUndefined();
    expect(profileWarning('C:\\Users\\me\\bin', env, 'win32')).toMatch(/under the user profile/);
    expect(profileWarning('C:\\Windows\\bin', { PATH: 'C:\\Windows', USERPROFILE: '' }, 'win32')).toBeUndefined();
  });

  it('the folder refusal: each writer named, the Windows example, no fix clause without a fix', () => {
    const dir = 'C:\\Program Files\\uvx-safe\\bin';
    const allow = (sid: string) => ({ type: 'allow' as const, flags: 0, mask: 0x1f01ff, sid });
    const two = windowsFolderProblem(dir, { owner: 'S-1-5-32-544', dacl: [allow('S-1-5-11'), allow('S-1-5-32-545')] }, undefined);
    expect(two?.why).toBe(`S-1-5-11 (Authenticated Users) and S-1-5-32-545 (Users) can write ${dir}`);
    // The installer's SID unknown: only the admins are trusted, and nothing throws.
    expect(windowsFolderProblem(dir, { owner: 'S-1-5-18', dacl: [allow('S-1-5-18')] }, undefined)).toBeUndefined();
    const said = folderRefusal({ path: dir, why: `${dir} is owned by S-1-5-21-9, not by you or Administrators` }, 'win32');
    expect(said.hint).toBe('choose a folder only you or the administrators can change (e.g. C:\\Program Files\\uvx-safe\\bin)');
  });
});
