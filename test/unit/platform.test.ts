import { describe, expect, it } from 'vitest';
import { copyEnv, getEnv, setEnv } from '../../src/platform/env.js';
import { adminConfigPath, userCacheDir, userConfigPath, uvDefaultLocations, type HostInfo } from '../../src/platform/dirs.js';
import { invokedAsFromPath } from '../../src/context.js';

const h = (platform: NodeJS.Platform, env: Record<string, string>, home: string): HostInfo => ({ platform, env, home, user: 'me' });

describe('environment maps', () => {
  it('are case-insensitive on Windows only', () => {
    expect(getEnv({ Path: 'x' }, 'PATH', 'win32')).toBe('x');
    expect(getEnv({ Path: 'x' }, 'PATH', 'linux')).toBeUndefined();
    expect(getEnv({ TMPDIR: '' }, 'TMPDIR', 'linux')).toBeUndefined();
  });

  it('replace every case variant on Windows', () => {
    const env: Record<string, string | undefined> = { Temp: 'a', TEMP: 'b', Other: 'c' };
    setEnv(env, 'TEMP', 'd', 'win32');
    expect(env).toEqual({ TEMP: 'd', Other: 'c' });
    const posix: Record<string, string | undefined> = { Temp: 'a' };
    setEnv(posix, 'TEMP', 'd', 'linux');
    expect(posix).toEqual({ Temp: 'a', TEMP: 'd' });
  });

  it('are copied with case variants merged on Windows (the first wins, as Windows looks up), kept on POSIX', () => {
    const env = { foo: '1', Path: 'p', FOO: '2', Foo: '3', gone: undefined, PATH: 'q' };
    expect(copyEnv(env, 'win32')).toEqual({ foo: '1', Path: 'p' });
    expect(copyEnv(env, 'linux')).toEqual({ foo: '1', Path: 'p', FOO: '2', Foo: '3', PATH: 'q' });
  });
});

describe('config file locations', () => {
  it('admin policy per OS, with UVX_SAFE_SYSTEM_CONFIG winning', () => {
    expect(adminConfigPath(h('linux', {}, '/home/me'))).toBe('/etc/uvx-safe/config.toml');
    expect(adminConfigPath(h('darwin', {}, '/Users/me'))).toBe('/Library/Application Support/uvx-safe/config.toml');
    expect(adminConfigPath(h('win32', { PROGRAMDATA: 'D:\\PD' }, 'C:\\Users\\me'))).toBe('D:\\PD\\uvx-safe\\config.toml');
    expect(adminConfigPath(h('win32', {}, 'C:\\Users\\me'))).toBe('C:\\ProgramData\\uvx-safe\\config.toml');
    expect(adminConfigPath(h('linux', { UVX_SAFE_SYSTEM_CONFIG: '/x.toml' }, '/h'))).toBe('/x.toml');
  });

  it('user config follows XDG_CONFIG_HOME (absolute only) or APPDATA', () => {
    expect(userConfigPath(h('linux', {}, '/home/me'))).toBe('/home/me/.config/uvx-safe/config.toml');
    expect(userConfigPath(h('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/me'))).toBe('/xdg/uvx-safe/config.toml');
    expect(userConfigPath(h('linux', { XDG_CONFIG_HOME: 'rel' }, '/home/me'))).toBe('/home/me/.config/uvx-safe/config.toml');
    expect(userConfigPath(h('darwin', {}, '/Users/me'))).toBe('/Users/me/.config/uvx-safe/config.toml');
    expect(userConfigPath(h('win32', { appdata: 'C:\\Users\\me\\AppData\\Roaming' }, 'C:\\Users\\me'))).toBe(
      'C:\\Users\\me\\AppData\\Roaming\\uvx-safe\\config.toml',
    );
  });

  it('the launcher state falls back to the user cache folder', () => {
    expect(userCacheDir(h('linux', {}, '/home/me'))).toBe('/home/me/.cache/uvx-safe');
    expect(userCacheDir(h('win32', { LOCALAPPDATA: 'C:\\L' }, 'C:\\Users\\me'))).toBe('C:\\L\\uvx-safe\\cache');
    expect(userCacheDir(h('darwin', {}, '/Users/me'))).toBe('/Users/me/Library/Caches/uvx-safe');
  });
});

describe("uv's default locations", () => {
  it('on Linux', () => {
    expect(uvDefaultLocations(h('linux', {}, '/home/me'))).toEqual({
      cache: '/home/me/.cache/uv',
      temp: '/tmp',
      python: '/home/me/.local/share/uv/python',
      'python-bin': '/home/me/.local/bin',
      tool: '/home/me/.local/share/uv/tools',
      'tool-bin': '/home/me/.local/bin',
      credentials: '/home/me/.local/share/uv/credentials',
    });
    const xdg = uvDefaultLocations(h('linux', { XDG_DATA_HOME: '/d/share', TMPDIR: '/t' }, '/home/me'));
    expect(xdg['python-bin']).toBe('/d/bin');
    expect(xdg.temp).toBe('/t');
  });

  it('on Windows', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local', APPDATA: 'C:\\Users\\me\\AppData\\Roaming', TEMP: 'C:\\Users\\me\\AppData\\Local\\Temp' };
    expect(uvDefaultLocations(h('win32', env, 'C:\\Users\\me'))).toEqual({
      cache: 'C:\\Users\\me\\AppData\\Local\\uv\\cache',
      temp: 'C:\\Users\\me\\AppData\\Local\\Temp',
      python: 'C:\\Users\\me\\AppData\\Roaming\\uv\\data\\python',
      'python-bin': 'C:\\Users\\me\\.local\\bin',
      tool: 'C:\\Users\\me\\AppData\\Roaming\\uv\\data\\tools',
      'tool-bin': 'C:\\Users\\me\\.local\\bin',
      credentials: 'C:\\Users\\me\\AppData\\Roaming\\uv\\data\\credentials',
    });
  });
});

describe('invokedAsFromPath', () => {
  it.each([
    ['/usr/local/bin/uv', 'linux', 'uv'],
    ['/shims/uvx', 'linux', 'uvx'],
    ['/x/node_modules/.bin/uvx-safe', 'linux', 'uvx-safe'],
    ['/x/bin/uvx-safe', 'linux', 'uvx-safe'],
    ['C:\\shims\\UV.EXE', 'win32', 'uv'],
    ['C:\\shims\\uvx.exe', 'win32', 'uvx'],
    ['/opt/uv@0.13', 'linux', 'uv'],
    ['/opt/uvicorn', 'linux', 'uvx-safe'],
  ] as const)('%s -> %s', (file, platform, expected) => {
    expect(invokedAsFromPath(file, platform)).toBe(expected);
  });
});
