// `safe env --persist` and the session's PATH and temp: the pure rules, with a registry in memory.
import { describe, expect, it } from 'vitest';
import { parseEnvArgs } from '../../src/commands/env.js';
import { UsageError } from '../../src/errors.js';
import { environmentDText, perUserSubstitutions, registryText, shellText, splitValue } from '../../src/persist/values.js';
import { BACKUP_KEYS, ENVIRONMENT_KEYS, hasSubkeyLines, parseRegQuery, persistWindows, removeWindows, type Registry, type RegValue } from '../../src/persist/windows.js';
import { pathWithToolBin } from '../../src/shell/session.js';
import { LAUNCHER_MARKER, type FindHost } from '../../src/uv/find.js';

class MemoryRegistry implements Registry {
  keys = new Map<string, Map<string, RegValue & { name: string }>>();
  private key(key: string, create = false) {
    const k = key.toUpperCase();
    if (!this.keys.has(k) && create) this.keys.set(k, new Map());
    return this.keys.get(k);
  }
  get(key: string, name: string) {
    const v = this.key(key)?.get(name.toUpperCase());
    return v && { type: v.type, data: v.data };
  }
  names(key: string) {
    return [...(this.key(key)?.values() ?? [])].map((v) => v.name);
  }
  set(key: string, name: string, value: RegValue) {
    const values = this.key(key, true)!;
    const old = values.get(name.toUpperCase());
    values.set(name.toUpperCase(), { name: old?.name ?? name, ...value });
  }
  delete(key: string, name: string) {
    this.key(key)?.delete(name.toUpperCase());
  }
  deleteKey(key: string) {
    for (const k of [...this.keys.keys()]) if (k === key.toUpperCase() || k.startsWith(`${key.toUpperCase()}\\`)) this.keys.delete(k);
  }
  hasSubkeys(key: string) {
    return [...this.keys.keys()].some((k) => k.startsWith(`${key.toUpperCase()}\\`));
  }
  snapshot() {
    return JSON.stringify([...this.keys.entries()].map(([k, v]) => [k, [...v.values()]]));
  }
}

const ENV = ENVIRONMENT_KEYS.user;

function seeded(): MemoryRegistry {
  const reg = new MemoryRegistry();
  reg.set(ENV, 'Path', { type: 'REG_EXPAND_SZ', data: '%USERPROFILE%\\.local\\bin;' });
  reg.set(ENV, 'TEMP', { type: 'REG_EXPAND_SZ', data: '%USERPROFILE%\\AppData\\Local\\Temp' });
  reg.set(ENV, 'OneDrive', { type: 'REG_SZ', data: 'C:\\Users\\ann\\OneDrive' });
  return reg;
}

describe('safe env --persist on Windows (registry rules)', () => {
  it('writes REG_EXPAND_SZ values, appends the tool bin to Path, and --remove restores the registry exactly', () => {
    const reg = seeded();
    const before = reg.snapshot();
    persistWindows(reg, 'user', [['UV_CACHE_DIR', 'D:\\dev\\%USERNAME%\\cache'], ['TEMP', 'D:\\dev\\%USERNAME%\\tmp']], 'D:\\dev\\%USERNAME%\\bin');
    expect(reg.get(ENV, 'UV_CACHE_DIR')).toEqual({ type: 'REG_EXPAND_SZ', data: 'D:\\dev\\%USERNAME%\\cache' });
    expect(reg.get(ENV, 'TEMP')?.data).toBe('D:\\dev\\%USERNAME%\\tmp');
    expect(reg.get(ENV, 'Path')).toEqual({ type: 'REG_EXPAND_SZ', data: '%USERPROFILE%\\.local\\bin;D:\\dev\\%USERNAME%\\bin' });
    expect(reg.names(BACKUP_KEYS.user).sort()).toEqual(['Path', 'TEMP', 'UV_CACHE_DIR']);
    removeWindows(reg, 'user');
    expect(reg.snapshot()).toBe(before);
  });

  it('a second --persist keeps the first backup, and undoes what it no longer writes', () => {
    const reg = seeded();
    const before = reg.snapshot();
    persistWindows(reg, 'user', [['UV_CACHE_DIR', 'D:\\a\\cache'], ['TEMP', 'D:\\a\\tmp']], 'D:\\a\\bin');
    persistWindows(reg, 'user', [['UV_CACHE_DIR', 'D:\\b\\cache']], 'D:\\b\\bin');
    expect(reg.get(ENV, 'TEMP')?.data).toBe('%USERPROFILE%\\AppData\\Local\\Temp');
    expect(reg.get(ENV, 'Path')?.data).toBe('%USERPROFILE%\\.local\\bin;D:\\b\\bin');
    removeWindows(reg, 'user');
    expect(reg.snapshot()).toBe(before);
  });

  it('--remove leaves a value someone changed since, and says so', () => {
    const reg = seeded();
    persistWindows(reg, 'user', [['UV_CACHE_DIR', 'D:\\a\\cache']]);
    reg.set(ENV, 'UV_CACHE_DIR', { type: 'REG_SZ', data: 'E:\\mine' });
    const lines = removeWindows(reg, 'user');
    expect(lines.join('\n')).toMatch(/warning: HKCU\\Environment\\UV_CACHE_DIR was changed since/);
    expect(reg.get(ENV, 'UV_CACHE_DIR')?.data).toBe('E:\\mine');
    expect(reg.names(BACKUP_KEYS.user)).toEqual([]);
  });

  it('reads reg.exe query output (names keep their case, empty data, the key lines)', () => {
    const out = '\r\nHKEY_CURRENT_USER\\Environment\r\n    Path    REG_EXPAND_SZ    %USERPROFILE%\\bin;C:\\x y\r\n    EMPTY    REG_SZ    \r\n\r\n';
    const values = parseRegQuery(out);
    expect(values.get('PATH')).toEqual({ name: 'Path', type: 'REG_EXPAND_SZ', data: '%USERPROFILE%\\bin;C:\\x y' });
    expect(values.get('EMPTY')?.data).toBe('');
    expect(hasSubkeyLines(out)).toBe(false);
    expect(hasSubkeyLines(`${out}HKEY_CURRENT_USER\\Environment\\sub\r\n`)).toBe(true);
  });
});

describe('per-user values', () => {
  const facts = { home: '/home/ann', user: 'ann', env: (name: string) => (name === 'LOCALAPPDATA' ? 'C:\\Users\\ann\\AppData\\Local' : undefined) };

  it('writes {home}, {user} and {env:NAME} as references, whole folder names only', () => {
    const subs = perUserSubstitutions(['{home}/uv', '/srv/{user}/uv'], facts, 'linux');
    expect(environmentDText('X', splitValue('/home/ann/uv/cache', subs, 'linux'))).toBe('${HOME}/uv/cache');
    expect(environmentDText('X', splitValue('/srv/ann/uv', subs, 'linux'))).toBe('/srv/${USER}/uv');
    expect(environmentDText('X', splitValue('/srv/annex/uv', subs, 'linux'))).toBe('/srv/annex/uv');
    const win = perUserSubstitutions(['{env:LOCALAPPDATA}\\uv', 'D:\\dev\\{user}'], facts, 'win32');
    expect(registryText('X', splitValue('c:\\users\\ann\\appdata\\local\\uv\\cache', win, 'win32'))).toBe('%LOCALAPPDATA%\\uv\\cache');
    expect(registryText('X', splitValue('D:\\dev\\ann\\bin', win, 'win32'))).toBe('D:\\dev\\%USERNAME%\\bin');
  });

  it('a path the policy did not make per user is written as it is (a user named like a folder changes nothing)', () => {
    const subs = perUserSubstitutions(['D:\\dev\\uv'], { ...facts, user: 'dev' }, 'win32');
    expect(subs).toEqual([]);
    expect(registryText('X', splitValue('D:\\dev\\uv', subs, 'win32'))).toBe('D:\\dev\\uv');
  });

  it('refuses what a place cannot hold, naming the variable; quotes for sh', () => {
    expect(() => registryText('UV_CACHE_DIR', [{ text: 'D:\\100%' }])).toThrow(UsageError);
    expect(() => environmentDText('UV_CACHE_DIR', [{ text: '/a $b' }])).toThrow(/UV_CACHE_DIR holds "\$"/);
    expect(shellText('X', [{ variable: 'HOME' }, { text: '/a "b" $c `d` \\e' }])).toBe('"${HOME}/a \\"b\\" \\$c \\`d\\` \\\\e"');
  });
});

describe('the tool bin folder on PATH', () => {
  const host = (files: Record<string, string>): FindHost => ({
    platform: 'linux',
    env: {},
    isFile: (f) => f in files,
    isExecutable: () => true,
    realpath: (f) => f,
    readHead: (f) => files[f],
  });

  it('goes right after the last folder holding a uvx-safe shim, or last; never twice', () => {
    const h = host({ '/opt/uvx-safe/bin/uv': `#!/bin/sh\n# ${LAUNCHER_MARKER}`, '/usr/bin/uv': '\x7fELF' });
    expect(pathWithToolBin('/usr/local/bin:/opt/uvx-safe/bin:/usr/bin', '/data/bin', h, [])).toBe('/usr/local/bin:/opt/uvx-safe/bin:/data/bin:/usr/bin');
    expect(pathWithToolBin('/usr/bin:/bin', '/data/bin', h, [])).toBe('/usr/bin:/bin:/data/bin');
    expect(pathWithToolBin('/data/bin/:/usr/bin', '/data/bin', h, [])).toBeUndefined();
  });
});

describe('safe env arguments', () => {
  it('--machine and --remove go with --persist; --persist takes no shell or hook choice', () => {
    expect(parseEnvArgs(['--persist', '--machine', '--temp', '--remove'])).toMatchObject({ persist: true, machine: true, temp: true, remove: true });
    expect(() => parseEnvArgs(['--machine'])).toThrow(/--machine goes with --persist/);
    expect(() => parseEnvArgs(['--persist', '--shell', 'bash'])).toThrow(expect.objectContaining({ hint: 'leave out --shell' }));
    expect(() => parseEnvArgs(['--persist', '--hooks-only'])).toThrow(expect.objectContaining({ hint: 'leave out --hooks-only' }));
  });
});
