import { describe, expect, it } from 'vitest';
import { expandPath } from '../../src/config/templates.js';
import type { HostInfo } from '../../src/platform/dirs.js';

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
