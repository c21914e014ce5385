// Which project config files may be read (git's safe.directory model), and whether the admin policy
// could be changed by a non-admin. Owners are injected, so the Windows rule runs on any machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileLayer, findProjectLayer, type Layer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
import { isSafeDirectory, nodeProjectTrust, safeDirectoriesFrom, untrustedReason, type ProjectTrust } from '../../src/config/trust.js';
import { configError } from '../helpers/config-error.js';
import { adminFileChecks } from '../../src/doctor/admin-file.js';
import { isTrustedOwner, ownerFromStats, ownerLookup, passwdName, policyFileProblem, sidOwnerLookup, type Owner } from '../../src/platform/owner.js';
import { checkedSid, readWideString, wideString, type WindowsSids } from '../../src/platform/owner-win32-bun.js';

const stats = {} as fs.Stats;

/** A trust whose owners come from a table (path -> owner); anything not listed is ours (uid 1000). */
function fakeTrust(owners: Record<string, Owner>, extra: Partial<ProjectTrust> = {}): ProjectTrust {
  return {
    platform: 'linux',
    safeDirectories: [],
    me: () => ({ uid: 1000 }),
    ownerOf: (file) => owners[file] ?? { uid: 1000 },
    statDir: () => stats,
    ...extra,
  };
}

describe('whose files are trusted', () => {
  it('POSIX: the user running uvx-safe, and root', () => {
    expect(isTrustedOwner({ uid: 1000 }, { uid: 1000 })).toBe(true);
    expect(isTrustedOwner({ uid: 0 }, { uid: 1000 })).toBe(true);
    expect(isTrustedOwner({ uid: 65534 }, { uid: 1000 })).toBe(false);
    // Root running uvx-safe does not trust other users' files either (as git).
    expect(isTrustedOwner({ uid: 1000 }, { uid: 0 })).toBe(false);
  });

  it('Windows: the user, Administrators and SYSTEM; Node cannot tell, so an unknown owner is accepted', () => {
    const me = { sid: 'S-1-5-21-1-2-3-1001' };
    for (const sid of ['S-1-5-21-1-2-3-1001', 'S-1-5-32-544', 'S-1-5-18', 's-1-5-18']) expect(isTrustedOwner({ sid }, me), sid).toBe(true);
    for (const sid of ['S-1-5-21-1-2-3-1002', 'S-1-1-0', 'S-1-5-32-545']) expect(isTrustedOwner({ sid }, me), sid).toBe(false);
    expect(ownerFromStats({ uid: 0 }, 'win32')).toBeUndefined();
    expect(isTrustedOwner(undefined, me)).toBe(true);
    expect(ownerFromStats({ uid: 42 }, 'linux')).toEqual({ uid: 42 });
  });

  it('names an owner from /etc/passwd text', () => {
    expect(passwdName('root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/usr/sbin/nologin\n', 65534)).toBe('nobody');
    expect(passwdName('root:x:0:0::/root:/bin/sh\n', 7)).toBeUndefined();
  });
});

describe('safe-directories', () => {
  it('matches like git: a folder, FOLDER/* for it and everything below, * for all', () => {
    expect(isSafeDirectory('/srv/dev', ['/srv/dev'], 'linux')).toBe(true);
    expect(isSafeDirectory('/srv/dev/a', ['/srv/dev'], 'linux')).toBe(false);
    expect(isSafeDirectory('/srv/dev/a/b', ['/srv/dev/*'], 'linux')).toBe(true);
    expect(isSafeDirectory('/srv/dev', ['/srv/dev/*'], 'linux')).toBe(true);
    expect(isSafeDirectory('/srv/dev-evil', ['/srv/dev/*'], 'linux')).toBe(false);
    expect(isSafeDirectory('/anything', ['*'], 'linux')).toBe(true);
    expect(isSafeDirectory('/srv/dev/', ['/srv/dev'], 'linux')).toBe(true);
    expect(isSafeDirectory('/', ['/*'], 'linux')).toBe(true);
    expect(isSafeDirectory('D:\\Dev\\App', ['d:\\dev\\*'], 'win32')).toBe(true);
    expect(isSafeDirectory('D:\\Dev\\App', ['d:/dev/app'], 'win32')).toBe(true);
    expect(isSafeDirectory('/srv/Dev', ['/srv/dev'], 'linux')).toBe(false);
    expect(isSafeDirectory('/srv/dev', [], 'linux')).toBe(false);
    // A star is a wildcard only as the whole last part (mutation testing, docs/design.md "Testing").
    expect(isSafeDirectory('/srv/*x', ['/srv/*x'], 'linux')).toBe(true);
    expect(isSafeDirectory('/srv/*x/a', ['/srv/*x'], 'linux')).toBe(false);
  });

  const layer = (name: Layer['name'], text: string) => fileLayer(text, `/etc/${name}/config.toml`, name);
  const host = { platform: 'linux' as const, env: {}, home: '/home/ann', user: 'ann' };

  it('comes from the admin and user config (the user list replaces the admin one unless locked), never a project', () => {
    const admin = layer('admin', 'safe-directories = ["/srv/dev/*"]');
    expect(safeDirectoriesFrom([admin], host)).toEqual(['/srv/dev/*']);
    const user = layer('user', 'safe-directories = ["~/shared", "*"]');
    expect(safeDirectoriesFrom([admin, user], host)).toEqual(['/home/ann/shared', '*']);
    const locking = layer('admin', 'safe-directories = ["/srv/dev/*"]\nlocked = ["safe-directories"]');
    expect(safeDirectoriesFrom([locking, user], host)).toEqual(['/srv/dev/*']);
    const project = fileLayer('safe-directories = ["*"]', '/repo/uvx-safe.toml', 'project');
    expect(safeDirectoriesFrom([project], host)).toEqual([]);
    expect(mergeLayers([project]).warnings).toEqual(['/repo/uvx-safe.toml: safe-directories cannot be set by a project config; ignored']);
  });

  it('a bad template in an entry is an error naming the entry', () => {
    const err = configError(() => safeDirectoriesFrom([layer('user', 'safe-directories = ["/srv", "{hmoe}/dev"]')], host));
    expect(err.file).toBe('/etc/user/config.toml');
    expect(err.key).toBe('safe-directories[1]');
  });
});

describe('a project config file owned by someone else', () => {
  it('is named with its owner and ignored; a foreign folder counts like a foreign file; root and safe-directories are fine', () => {
    const file = '/srv/dev/.uvx-safe.toml';
    expect(untrustedReason(file, stats, fakeTrust({}))).toBeUndefined();
    expect(untrustedReason(file, stats, fakeTrust({ [file]: { uid: 0 }, '/srv/dev': { uid: 0 } }))).toBeUndefined();
    const foreign = untrustedReason(file, stats, fakeTrust({ [file]: { uid: 4242 } }));
    expect(foreign).toBe(
      '/srv/dev/.uvx-safe.toml: owned by uid 4242, not by the user running uvx-safe (uid 1000) or root; ignored (list /srv/dev in safe-directories of the admin or user config to trust it)',
    );
    expect(untrustedReason(file, stats, fakeTrust({ '/srv/dev': { uid: 4242 } }))).toMatch(
      /^\/srv\/dev\/\.uvx-safe\.toml: its folder \/srv\/dev is owned by uid 4242, not by the user running uvx-safe/,
    );
    expect(untrustedReason(file, stats, fakeTrust({ [file]: { uid: 4242 } }, { safeDirectories: ['/srv/*'] }))).toBeUndefined();
  });

  it("this process's trust: the uid running it, and each file's owner from its stats, asked once", () => {
    const trust = nodeProjectTrust('linux', ['/srv/*']);
    expect(trust.safeDirectories).toEqual(['/srv/*']);
    const me = trust.me();
    expect(me).toEqual({ uid: process.getuid!() });
    expect(trust.me()).toBe(me);
    expect(trust.ownerOf('/x', { uid: 4242 } as fs.Stats)).toEqual({ uid: 4242 });
    expect(trust.statDir(os.tmpdir()).isDirectory()).toBe(true);
  });

  it('names the admins of the platform, and a user it knows nothing of as "you"', () => {
    const file = 'D:\\dev\\uvx-safe.toml';
    const windows = fakeTrust({}, { platform: 'win32', me: () => ({}), ownerOf: () => ({ sid: 'S-1-5-21-9-1002' }) });
    expect(untrustedReason(file, stats, windows)).toContain('owned by S-1-5-21-9-1002, not by the user running uvx-safe (you) or Administrators or SYSTEM;');
    const posix = untrustedReason('/srv/dev/uvx-safe.toml', stats, fakeTrust({ '/srv/dev/uvx-safe.toml': { uid: 7 } }));
    expect(posix).toContain('or root;');
    expect(posix).not.toContain('could not be read');
  });

  it('Windows: judged by SID when an owner lookup can tell', () => {
    const file = 'D:\\dev\\uvx-safe.toml';
    const trust = (sid: string) =>
      fakeTrust({}, { platform: 'win32', me: () => ({ sid: 'S-1-5-21-9-1001' }), ownerOf: (f) => ({ sid: f === file ? sid : 'S-1-5-32-544' }) });
    expect(untrustedReason(file, stats, trust('S-1-5-18'))).toBeUndefined();
    expect(untrustedReason(file, stats, trust('S-1-5-21-9-1001'))).toBeUndefined();
    expect(untrustedReason(file, stats, trust('S-1-5-21-9-1002'))).toMatch(/^D:\\dev\\uvx-safe\.toml: owned by S-1-5-21-9-1002, not by the user running uvx-safe \(S-1-5-21-9-1001\)/);
  });

  it('Windows: an owner or user the lookup could not read is not trusted, and the failure is named (fail closed)', () => {
    const file = 'D:\\dev\\uvx-safe.toml';
    const failing = (fn: string): WindowsSids => ({
      ownerOf: () => {
        throw new Error(`${fn} failed (Windows error 5)`);
      },
      currentUser: () => 'S-1-5-21-9-1001',
      securityOf: () => {
        throw new Error('not used');
      },
    });
    const lookup = sidOwnerLookup(() => failing('GetNamedSecurityInfoW'));
    expect(lookup.ownerOf(file, stats)).toEqual({ unknown: 'GetNamedSecurityInfoW failed (Windows error 5)' });
    const trust = fakeTrust({}, { platform: 'win32', me: lookup.me, ownerOf: lookup.ownerOf });
    expect(untrustedReason(file, stats, trust)).toBe(
      'D:\\dev\\uvx-safe.toml: the owner of the file could not be read (GetNamedSecurityInfoW failed (Windows error 5)); ignored (list D:\\dev in safe-directories of the admin or user config to trust it)',
    );
    // The folder's owner failing counts the same; safe-directories still trusts it without asking.
    const folderFails = fakeTrust({}, { platform: 'win32', me: () => ({ sid: 'S-1-5-21-9-1001' }), ownerOf: (f) => (f === file ? { sid: 'S-1-5-21-9-1001' } : { unknown: 'boom' }) });
    expect(untrustedReason(file, stats, folderFails)).toMatch(/^D:\\dev\\uvx-safe\.toml: the owner of its folder D:\\dev could not be read \(boom\); ignored/);
    expect(untrustedReason(file, stats, { ...folderFails, safeDirectories: ['D:\\dev'] })).toBeUndefined();

    // The user's SID unreadable: only Administrators' and SYSTEM's files are trusted.
    const noUser = sidOwnerLookup(() => ({
      ownerOf: () => 'S-1-5-21-9-1001',
      currentUser: () => {
        throw new Error('OpenProcessToken failed (Windows error 5)');
      },
      securityOf: () => {
        throw new Error('not used');
      },
    }));
    expect(noUser.me()).toEqual({ unknown: 'OpenProcessToken failed (Windows error 5)' });
    expect(isTrustedOwner({ sid: 'S-1-5-21-9-1001' }, noUser.me())).toBe(false);
    expect(isTrustedOwner({ sid: 'S-1-5-32-544' }, noUser.me())).toBe(true);
    expect(untrustedReason(file, stats, fakeTrust({}, { platform: 'win32', me: noUser.me, ownerOf: noUser.ownerOf }))).toBe(
      'D:\\dev\\uvx-safe.toml: owned by S-1-5-21-9-1001, not by the user running uvx-safe (whose SID could not be read: OpenProcessToken failed (Windows error 5)) or Administrators or SYSTEM; ignored (list D:\\dev in safe-directories of the admin or user config to trust it)',
    );
  });

  it('Windows: the lookup by SID is used only under Bun on Windows; the FFI module is loaded on first use', () => {
    // Here (Node, vitest) the FFI module cannot load: the lookup says why instead of throwing, and the file is ignored.
    const bun = ownerLookup('win32', { platform: 'win32', bun: true });
    const owner = bun.ownerOf('D:\\dev\\uvx-safe.toml', { uid: 0 });
    expect(owner).toMatchObject({ unknown: expect.stringMatching(/Cannot find module/) });
    expect(isTrustedOwner(owner, bun.me())).toBe(false);
    // The npm form on Windows (Node): unknown, trusted as before. POSIX: the stat's uid, untouched.
    expect(ownerLookup('win32', { platform: 'win32', bun: false }).ownerOf('D:\\x', { uid: 0 })).toBeUndefined();
    expect(ownerLookup('linux', { platform: 'linux', bun: true }).ownerOf('/x', { uid: 42 })).toEqual({ uid: 42 });
    // A faked win32 host on another OS never reaches for Windows' DLLs.
    expect(ownerLookup('win32', { platform: 'linux', bun: true }).ownerOf('D:\\x', { uid: 0 })).toBeUndefined();
  });

  it('Windows: SID strings are read from UTF-16 and checked before the rule sees them', () => {
    const units = wideString('S-1-5-18');
    expect(units.toString('hex')).toBe(Buffer.from('S-1-5-18\0', 'utf16le').toString('hex'));
    expect(readWideString((i) => units.readUInt16LE(i * 2))).toBe('S-1-5-18');
    expect(() => readWideString(() => 0x53, 16)).toThrowError(/longer than 16 characters/);
    expect(checkedSid('s-1-5-21-1-2-3-1001', 'ConvertSidToStringSidW')).toBe('S-1-5-21-1-2-3-1001');
    for (const bad of ['', 'S-1-', 'S-1-5-18 ', 'S-1-5-x', 'Administrators']) {
      expect(() => checkedSid(bad, 'ConvertSidToStringSidW'), bad).toThrowError(/not a SID/);
    }
  });

  let dir: string;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the search skips it, unparsed, and goes on upwards; a pyproject.toml without our table is not named', () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-trust-')));
    const shared = path.join(dir, 'shared');
    const project = path.join(shared, 'me', 'app');
    fs.mkdirSync(project, { recursive: true });
    fs.writeFileSync(path.join(dir, 'uvx-safe.toml'), 'mode = "enforce"');
    const planted = path.join(shared, '.uvx-safe.toml');
    fs.writeFileSync(planted, 'this is not TOML = = =');
    const foreignPyproject = path.join(shared, 'me', 'pyproject.toml');
    fs.writeFileSync(foreignPyproject, '[project]\nname = "uvx-safe-demo"\n');
    const owners = { [planted]: { uid: 4242 }, [foreignPyproject]: { uid: 4242 } };
    const ignored: string[] = [];
    const found = findProjectLayer(project, fakeTrust(owners), ignored);
    expect(found?.source).toBe(path.join(dir, 'uvx-safe.toml'));
    expect(ignored).toHaveLength(1);
    expect(ignored[0]).toMatch(new RegExp(`^${planted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: owned by uid 4242`));
    // Trusted, the same file is read (and its syntax error reported).
    expect(() => findProjectLayer(project, fakeTrust({}))).toThrowError(/TOML syntax error/);
  });

  it('names every foreign file that could hold our settings: a uvx-safe.toml, a pyproject.toml with our table or one it cannot parse', () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-trust-')));
    const nested = path.join(dir, 'a', 'b');
    fs.mkdirSync(nested, { recursive: true });
    const files = [
      [path.join(nested, 'pyproject.toml'), '[tool.uvx-safe]\nmode = "off"\n'],
      [path.join(dir, 'a', 'pyproject.toml'), '[tool.uvx-safe\nmode = "off"\n'],
      [path.join(dir, 'uvx-safe.toml'), 'mode = "off"\n'],
    ] as const;
    for (const [file, text] of files) fs.writeFileSync(file, text);
    const ignored: string[] = [];
    expect(findProjectLayer(nested, fakeTrust(Object.fromEntries(files.map(([file]) => [file, { uid: 4242 }]))), ignored)).toBeUndefined();
    expect(ignored.map((line) => line.slice(0, line.indexOf(': ')))).toEqual(files.map(([file]) => file));
  });
});

describe('the admin policy file, as doctor sees it', () => {
  it('warns when root does not own it or its folder, or its group or everyone may write either', () => {
    expect(policyFileProblem('the file', { uid: 0, mode: 0o100644 })).toBeUndefined();
    expect(policyFileProblem('the file', { uid: 1000, mode: 0o100666 })).toBe('the file is owned by uid 1000, not root and writable by its group and everyone');
    expect(policyFileProblem('the file', { uid: 0, mode: 0o100664 })).toBe('the file is writable by its group');
    const stat = (table: Record<string, { uid: number; mode: number }>) => (file: string) => table[file];
    expect(adminFileChecks('/etc/uvx-safe/config.toml', 'linux', stat({ '/etc/uvx-safe/config.toml': { uid: 0, mode: 0o644 }, '/etc/uvx-safe': { uid: 0, mode: 0o755 } }))).toEqual([]);
    const [check] = adminFileChecks(
      '/etc/uvx-safe/config.toml',
      'linux',
      stat({ '/etc/uvx-safe/config.toml': { uid: 0, mode: 0o644 }, '/etc/uvx-safe': { uid: 0, mode: 0o1777 } }),
    );
    expect(check).toMatchObject({ id: 'policy.admin-file', status: 'warn' });
    expect(check!.message).toBe(
      '/etc/uvx-safe/config.toml: its folder /etc/uvx-safe is writable by its group and everyone: users other than root could change the policy (install it root-owned, mode 0644, in a root-owned 0755 folder)',
    );
    expect(adminFileChecks('/nope', 'linux', () => undefined)).toEqual([]);
  });
});
