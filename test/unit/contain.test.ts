import { describe, expect, it } from 'vitest';
import { canonicalPath, insideAny, isInside } from '../../src/relocate/contain.js';
import { describeRoot, resolvesNote } from '../../src/relocate/path-words.js';

describe('isInside', () => {
  it.each([
    ['/allowed', '/allowed', true],
    ['/allowed/x/y', '/allowed', true],
    ['/allowed/', '/allowed', true],
    ['/allowed/x/../y', '/allowed', true],
    ['/allowed/../etc', '/allowed', false],
    ['/allowed-evil', '/allowed', false],
    ['/allowedx/y', '/allowed', false],
    ['/allowed/..hidden', '/allowed', true],
    ['/', '/allowed', false],
    ['/anything', '/', true],
  ])('posix %s in %s -> %s', (child, root, expected) => {
    expect(isInside(child, root, 'linux')).toBe(expected);
  });

  it.each([
    ['C:\\Dev\\uv', 'c:\\dev', true],
    ['c:\\DEV\\', 'C:\\Dev', true],
    ['C:\\Dev-evil\\x', 'C:\\Dev', false],
    ['D:\\Dev\\x', 'C:\\Dev', false],
    ['C:\\Users\\me\\AppData', 'C:\\Dev', false],
    ['\\\\server\\share\\uv\\cache', '\\\\server\\share\\uv', true],
    ['\\\\server\\other\\uv', '\\\\server\\share', false],
    ['C:/Dev/uv/cache', 'C:\\Dev', true],
  ])('win32 %s in %s -> %s', (child, root, expected) => {
    expect(isInside(child, root, 'win32')).toBe(expected);
  });

  it('insideAny checks every root', () => {
    expect(insideAny('/b/c', ['/a', '/b'], 'linux')).toBe(true);
    expect(insideAny('/c', ['/a', '/b'], 'linux')).toBe(false);
    expect(insideAny('/c', [], 'linux')).toBe(false);
  });
});

describe('canonicalPath', () => {
  const links: Record<string, string> = { '/home': '/home', '/home/me': '/data/me', '/': '/' };
  const realpath = (p: string) => links[p];

  it('resolves the existing prefix through symlinks and keeps the rest', () => {
    expect(canonicalPath('/home/me/not/yet', 'linux', realpath)).toBe('/data/me/not/yet');
  });

  it('resolves .. before looking anything up', () => {
    expect(canonicalPath('/home/me/../me/x', 'linux', realpath)).toBe('/data/me/x');
  });

  it('a symlink out of an allowed root is judged by its target', () => {
    const real = (p: string) => ({ '/allowed': '/allowed', '/allowed/link': '/tmp/elsewhere' })[p] ?? (p === '/' ? '/' : undefined);
    const canonical = canonicalPath('/allowed/link/cache', 'linux', real);
    expect(canonical).toBe('/tmp/elsewhere/cache');
    expect(isInside(canonical, '/allowed', 'linux')).toBe(false);
  });

  it('a path on a drive where nothing exists is kept as written (resolved), not looked up forever', () => {
    const nothing = () => undefined;
    expect(canonicalPath('Z:\\data\\..\\cache', 'win32', nothing)).toBe('Z:\\cache');
    expect(canonicalPath('/gone/away', 'linux', nothing)).toBe('/gone/away');
  });
});

describe('how refusals show paths (path-words.ts)', () => {
  it('adds where a path resolves only when that is another folder, not another spelling', () => {
    expect(resolvesNote('/dev/uv/', '/dev/uv', 'linux')).toBe('');
    expect(resolvesNote('/dev/uv//', '/dev/uv', 'linux')).toBe('');
    expect(resolvesNote('/Dev/uv', '/dev/uv', 'linux')).toBe(', which resolves to /dev/uv');
    expect(resolvesNote('/dev/link', '/dev/uv', 'linux')).toBe(', which resolves to /dev/uv');
    expect(resolvesNote('c:/DEV/uv\\', 'C:\\dev\\uv', 'win32')).toBe('');
    expect(resolvesNote('S:\\uv', 'C:\\dev\\uv', 'win32')).toBe(', which resolves to C:\\dev\\uv');
  });

  it('shows a root as written, then where it is when that reads differently', () => {
    expect(describeRoot('d:/DEV', 'D:\\dev', 'win32')).toBe('d:/DEV');
    expect(describeRoot('/DEV', '/dev', 'linux')).toBe('/DEV (/dev)');
    expect(describeRoot('{home}/dev', '/home/me/dev', 'linux')).toBe('{home}/dev (/home/me/dev)');
  });
});
