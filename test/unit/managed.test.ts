// The managed uv's pure parts: wheel tags per platform, version picking, index pages, proxy
// choice, netrc credentials, stale locks, the uv-source rule, the finder order and the zip reader.
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fileLayer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
import { uvSourceSchemeOk } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import { credentialsFor, parseNetrc } from '../../src/managed/auth.js';
import { wantedEntry } from '../../src/managed/extract.js';
import { checkWheelUrl } from '../../src/managed/install.js';
import { STALE_MS, staleReason } from '../../src/managed/lock.js';
import { bypassesProxy, proxyFor } from '../../src/managed/proxy.js';
import { parseSimpleHtml, parseSimpleJson } from '../../src/managed/simple-index.js';
import { pickInstalled } from '../../src/managed/store.js';
import { readEntry, zipEntries } from '../../src/managed/zip.js';
import { isExactPin, parseWheelName, pickWheel, platformRank, type HostPlatform, type IndexFile } from '../../src/managed/wheel.js';
import { findUv, type FindHost } from '../../src/uv/find.js';

const LINUX: HostPlatform = { os: 'linux', arch: 'x64', libc: { kind: 'glibc', major: 2, minor: 35 } };
const OLD_GLIBC: HostPlatform = { os: 'linux', arch: 'x64', libc: { kind: 'glibc', major: 2, minor: 12 } };
const ALPINE: HostPlatform = { os: 'linux', arch: 'arm64', libc: { kind: 'musl' } };
const MAC_ARM: HostPlatform = { os: 'darwin', arch: 'arm64' };
const MAC_X64: HostPlatform = { os: 'darwin', arch: 'x64' };
const WIN: HostPlatform = { os: 'win32', arch: 'x64' };
const WIN_ARM: HostPlatform = { os: 'win32', arch: 'arm64' };

/** The platform tags of uv 0.13.9's wheels on PyPI. */
const UV_TAGS = [
  'manylinux_2_17_x86_64.manylinux2014_x86_64',
  'manylinux_2_17_aarch64.manylinux2014_aarch64',
  'musllinux_1_1_x86_64',
  'musllinux_1_1_aarch64',
  'manylinux_2_17_armv7l.manylinux2014_armv7l',
  'manylinux_2_17_i686.manylinux2014_i686',
  'macosx_10_12_x86_64',
  'macosx_11_0_arm64',
  'win_amd64',
  'win_arm64',
  'win32',
];
const files = (version: string, tags = UV_TAGS): IndexFile[] =>
  tags.map((tag) => ({ filename: `uv-${version}-py3-none-${tag}.whl`, url: `https://i/uv-${version}-${tag}.whl`, sha256: 'f'.repeat(64), yanked: false }));
const tagOf = (choice: ReturnType<typeof pickWheel>) => choice && parseWheelName(choice.file.filename)!.platforms.join('.');

describe('wheel names and platforms', () => {
  it('parses a compressed tag set', () => {
    expect(parseWheelName('uv-0.13.9-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')).toEqual({
      name: 'uv',
      version: '0.13.9',
      abis: ['none'],
      platforms: ['manylinux_2_17_x86_64', 'manylinux2014_x86_64'],
    });
    expect(parseWheelName('uv-0.13.9.tar.gz')).toBeUndefined();
  });

  it.each([
    [LINUX, 'manylinux_2_17_x86_64.manylinux2014_x86_64'],
    [OLD_GLIBC, 'musllinux_1_1_x86_64'],
    [ALPINE, 'musllinux_1_1_aarch64'],
    [MAC_ARM, 'macosx_11_0_arm64'],
    [MAC_X64, 'macosx_10_12_x86_64'],
    [WIN, 'win_amd64'],
    [WIN_ARM, 'win_arm64'],
  ])('picks the right uv wheel for %j', (host, tag) => {
    expect(tagOf(pickWheel(files('0.13.9'), host))).toBe(tag);
  });

  it('falls back to x64 on Windows on Arm, universal2 on a Mac, and never to another CPU', () => {
    expect(tagOf(pickWheel(files('0.13.9', ['win_amd64']), WIN_ARM))).toBe('win_amd64');
    expect(tagOf(pickWheel(files('0.13.9', ['macosx_10_9_universal2']), MAC_ARM))).toBe('macosx_10_9_universal2');
    expect(pickWheel(files('0.13.9', ['win_arm64', 'musllinux_1_1_aarch64', 'macosx_11_0_arm64']), LINUX)).toBeUndefined();
    expect(platformRank('manylinux_2_17_x86_64', ALPINE)).toBeUndefined();
    expect(platformRank('manylinux_2_28_x86_64', OLD_GLIBC)).toBeUndefined();
    expect(platformRank('manylinux1_x86_64', OLD_GLIBC)).toBe(0);
  });
});

describe('picking a version', () => {
  const index = [...files('0.12.0'), ...files('0.13.8'), ...files('0.13.9'), ...files('0.14.0rc1'), ...files('0.14.0', ['win_amd64'])];

  it('takes the newest final release that satisfies the range and has a wheel here', () => {
    expect(pickWheel(index, LINUX, '>=0.13, <0.14')?.version).toBe('0.13.9');
    expect(pickWheel(index, LINUX)?.version).toBe('0.13.9'); // 0.14.0 is Windows-only, 0.14.0rc1 a pre-release
    expect(pickWheel(index, WIN)?.version).toBe('0.14.0');
    expect(pickWheel(index, LINUX, '~0.12')?.version).toBe('0.12.0');
    expect(pickWheel(index, LINUX, '>=1')).toBeUndefined();
    expect(() => pickWheel(index, LINUX, '>=banana')).toThrow();
  });

  it('skips yanked files unless the range pins that exact version (PEP 592)', () => {
    const yanked = index.map((f) => (f.filename.includes('0.13.9') ? { ...f, yanked: true } : f));
    expect(pickWheel(yanked, LINUX, '^0.13')?.version).toBe('0.13.8');
    expect(pickWheel(yanked, LINUX, '==0.13.9')?.version).toBe('0.13.9');
    expect(isExactPin('==0.13.9')).toBe(true);
    expect(isExactPin('==0.13')).toBe(false);
  });

  it('picks the newest installed uv in range', () => {
    const installed = [{ version: '0.14.1', path: '/s/0.14.1/uv' }, { version: '0.13.9', path: '/s/0.13.9/uv' }];
    expect(pickInstalled(installed, '>=0.13, <0.14')?.version).toBe('0.13.9');
    expect(pickInstalled(installed, undefined)?.version).toBe('0.14.1');
    expect(pickInstalled(installed, '==0.15.0')).toBeUndefined();
  });
});

describe('simple index pages', () => {
  const base = new URL('https://mirror.corp/api/pypi/simple/uv/');
  const sha = 'ab'.repeat(32);

  it('reads PEP 503 HTML: relative links, #sha256=, entities, data-yanked', () => {
    const html = `<html><body>
      <a href="../../files/uv-0.13.9-py3-none-win_amd64.whl#sha256=${sha}" data-requires-python="&gt;=3.8">uv-0.13.9-py3-none-win_amd64.whl</a>
      <a href='https://files.corp/uv-0.13.8-py3-none-win_amd64.whl?x=1&amp;y=2' data-yanked="broken">uv-0.13.8-py3-none-win_amd64.whl</a>
    </body></html>`;
    expect(parseSimpleHtml(html, base)).toEqual([
      { filename: 'uv-0.13.9-py3-none-win_amd64.whl', url: 'https://mirror.corp/api/pypi/files/uv-0.13.9-py3-none-win_amd64.whl', sha256: sha, yanked: false },
      { filename: 'uv-0.13.8-py3-none-win_amd64.whl', url: 'https://files.corp/uv-0.13.8-py3-none-win_amd64.whl?x=1&y=2', sha256: undefined, yanked: true },
    ]);
  });

  it('reads PEP 691 JSON', () => {
    const json = JSON.stringify({
      files: [
        { filename: 'uv-0.13.9-py3-none-win_amd64.whl', url: 'x/uv-0.13.9-py3-none-win_amd64.whl', hashes: { sha256: sha.toUpperCase() } },
        { filename: 'uv-0.13.8-py3-none-win_amd64.whl', url: 'y.whl', hashes: {}, yanked: 'bad build' },
      ],
    });
    expect(parseSimpleJson(json, base)).toEqual([
      { filename: 'uv-0.13.9-py3-none-win_amd64.whl', url: 'https://mirror.corp/api/pypi/simple/uv/x/uv-0.13.9-py3-none-win_amd64.whl', sha256: sha, yanked: false },
      { filename: 'uv-0.13.8-py3-none-win_amd64.whl', url: 'https://mirror.corp/api/pypi/simple/uv/y.whl', sha256: undefined, yanked: true },
    ]);
  });
});

describe('proxy', () => {
  const url = new URL('https://mirror.corp.example/simple/');
  it('takes HTTPS_PROXY for https, HTTP_PROXY for http, lower case first', () => {
    expect(proxyFor(url, { HTTPS_PROXY: 'http://p:3128' }, 'linux')).toBe('http://p:3128');
    expect(proxyFor(url, { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' }, 'linux')).toBe('http://a:1');
    expect(proxyFor(new URL('http://127.0.0.1:8/'), { HTTPS_PROXY: 'http://p:3128' }, 'linux')).toBeUndefined();
    expect(proxyFor(new URL('http://127.0.0.1:8/'), { HTTP_PROXY: 'http://p:3128' }, 'linux')).toBe('http://p:3128');
    expect(proxyFor(url, { Https_Proxy: 'http://w:1' }, 'win32')).toBe('http://w:1');
  });
  it('honours NO_PROXY: names, domain suffixes, ports, *', () => {
    expect(bypassesProxy(url, 'corp.example')).toBe(true);
    expect(bypassesProxy(url, '.corp.example')).toBe(true);
    expect(bypassesProxy(url, '*.corp.example')).toBe(true);
    expect(bypassesProxy(url, 'other.example, mirror.corp.example:443')).toBe(true);
    expect(bypassesProxy(url, 'mirror.corp.example:8443')).toBe(false);
    expect(bypassesProxy(url, 'xcorp.example')).toBe(false);
    expect(bypassesProxy(url, '*')).toBe(true);
    expect(bypassesProxy(new URL('http://[::1]:9/'), '::1')).toBe(true);
    expect(proxyFor(url, { HTTPS_PROXY: 'http://p:1', no_proxy: 'corp.example' }, 'linux')).toBeUndefined();
  });
});

describe('credentials', () => {
  const netrc = 'machine mirror.corp login alice password s3cret\n# comment\nmacdef init\ncd /\n\nmachine files.corp\n  login bob\n  password pw\ndefault login anon password none\n';
  const index = new URL('https://mirror.corp/simple/');
  it('parses netrc entries, skipping macros', () => {
    expect(parseNetrc(netrc)).toEqual([
      { machine: 'mirror.corp', login: 'alice', password: 's3cret' },
      { machine: 'files.corp', login: 'bob', password: 'pw' },
      { login: 'anon', password: 'none' },
    ]);
  });
  it('uses the URL, then the variables on the index origin, then netrc by host', () => {
    const withUser = new URL('https://u:p%40ss@mirror.corp/simple/');
    expect(credentialsFor(new URL('https://mirror.corp/f.whl'), { index: withUser, env: {}, platform: 'linux', netrc })).toEqual({ username: 'u', password: 'p@ss' });
    const vars = { UVX_SAFE_UV_SOURCE_USERNAME: 'ci', UVX_SAFE_UV_SOURCE_PASSWORD: 'tok' };
    expect(credentialsFor(new URL('https://mirror.corp/f.whl'), { index, env: vars, platform: 'linux', netrc })).toEqual({ username: 'ci', password: 'tok' });
    // The index's own credentials never go to another host; netrc decides there.
    expect(credentialsFor(new URL('https://files.corp/f.whl'), { index: withUser, env: vars, platform: 'linux', netrc })).toEqual({ username: 'bob', password: 'pw' });
    expect(credentialsFor(new URL('https://elsewhere/f.whl'), { index, env: {}, platform: 'linux', netrc })).toEqual({ username: 'anon', password: 'none' });
    expect(credentialsFor(new URL('https://elsewhere/f.whl'), { index, env: {}, platform: 'linux' })).toBeUndefined();
  });
});

describe('where a wheel may be downloaded from', () => {
  const https = { kind: 'url' as const, url: new URL('https://mirror.corp/simple/'), shown: 'https://mirror.corp/simple/', origin: '/etc/p.toml' };
  const local = { kind: 'url' as const, url: new URL('http://127.0.0.1:8080/simple/'), shown: 'http://127.0.0.1:8080/simple/', origin: '/etc/p.toml' };
  const folder = { kind: 'folder' as const, dir: '/srv/wheels', shown: '/srv/wheels', origin: '/etc/p.toml' };
  it('accepts https anywhere and http only from the index itself; file: only for a folder source', () => {
    expect(() => checkWheelUrl('https://files.corp/uv.whl', https)).not.toThrow();
    expect(() => checkWheelUrl('http://127.0.0.1:8080/files/uv.whl', local)).not.toThrow();
    expect(() => checkWheelUrl('http://files.corp/uv.whl', https)).toThrow(/only https/);
    expect(() => checkWheelUrl('http://127.0.0.1:9999/uv.whl', local)).toThrow(/only https/);
    expect(() => checkWheelUrl('file:///etc/passwd', https)).toThrow(/only https/);
    expect(() => checkWheelUrl('file:///srv/wheels/uv.whl', folder)).not.toThrow();
    expect(() => checkWheelUrl('https://files.corp/uv.whl', folder)).toThrow();
  });
});

describe('the install lock', () => {
  it('is stale when its owner died on this host, or when nobody refreshed it', () => {
    const alive = (pid: number) => pid === 1;
    expect(staleReason({ pid: 1, host: 'h' }, 1000, 'h', alive)).toBeUndefined();
    expect(staleReason({ pid: 99999, host: 'h' }, 1000, 'h', alive)).toMatch(/pid 99999/);
    // Another machine sharing the data root: only the age tells.
    expect(staleReason({ pid: 99999, host: 'other' }, 1000, 'h', alive)).toBeUndefined();
    expect(staleReason({ pid: 1, host: 'other' }, STALE_MS + 1, 'h', alive)).toMatch(/not refreshed/);
    expect(staleReason(undefined, STALE_MS + 1, 'h', alive)).toMatch(/not refreshed/);
  });
});

describe('uv-source', () => {
  it('accepts https, http to loopback only, file URLs and folders', () => {
    for (const ok of ['https://mirror.corp/simple', 'HTTPS://x/', 'http://127.0.0.1:8080/simple', 'http://localhost/simple', 'http://[::1]:3/', 'file:///srv/wheels', '/srv/wheels', 'C:\\wheels', './wheels'])
      expect(uvSourceSchemeOk(ok), ok).toBe(true);
    for (const bad of ['http://mirror.corp/simple', 'http://127.0.0.1.evil.com/', 'http://localhost.evil/', 'ftp://x/', 'ssh://git@x/'])
      expect(uvSourceSchemeOk(bad), bad).toBe(false);
  });

  it('is refused in a project file, and a plain-http index is a config error', () => {
    const project = fileLayer('uv-source = "https://evil.example/simple"', '/p/uvx-safe.toml', 'project');
    const merged = mergeLayers([project]);
    expect(merged.uvSource).toBeUndefined();
    expect(merged.warnings).toEqual(['/p/uvx-safe.toml: uv-source cannot be set by a project config; ignored']);
    expect(() => fileLayer('uv-source = "http://mirror.corp/simple"', '/etc/p.toml', 'admin')).toThrow(ConfigError);
  });

  it("keeps the managed uv under the admin's or user's data-root: a project cannot move data-root", () => {
    const user = fileLayer('data-root = "/home/u/dev"', '/home/u/c.toml', 'user');
    const project = fileLayer('data-root = ".data"', '/p/uvx-safe.toml', 'project');
    const merged = mergeLayers([user, project]);
    expect(merged.dataRoot).toMatchObject({ value: '/home/u/dev', origin: { layer: 'user' } });
    expect(merged.warnings).toEqual(['/p/uvx-safe.toml: data-root cannot be set by a project config; ignored']);
    expect(mergeLayers([project]).dataRoot).toBeUndefined();
  });

  it('can be locked by the admin', () => {
    const admin = fileLayer('uv-source = "https://a/simple"\nlocked = ["uv-source"]', '/etc/p.toml', 'admin');
    const user = fileLayer('uv-source = "https://b/simple"', '/home/u/c.toml', 'user');
    const merged = mergeLayers([admin, user]);
    expect(merged.uvSource).toMatchObject({ value: 'https://a/simple', locked: true });
    expect(merged.warnings[0]).toMatch(/uv-source is locked by the admin policy/);
  });
});

describe('finder order', () => {
  const host = (env: Record<string, string>, files: string[]): FindHost => ({
    platform: 'linux',
    env,
    isFile: (f) => files.includes(f),
    isExecutable: () => true,
    realpath: (f) => f,
    readHead: () => '\x7fELF',
  });
  const managed = (found: boolean) => ({
    find: () => (found ? { path: '/data/uv/0.13.9/uv', version: '0.13.9', origin: 'managed uv 0.13.9' } : undefined),
    missing: () => new Error('not installed'),
  });

  it('uv-path, then UVX_SAFE_UV, then the managed uv, then PATH', () => {
    const files = ['/cfg/uv', '/env/uv', '/path/uv'];
    const env = { PATH: '/path', UVX_SAFE_UV: '/env/uv' };
    expect(findUv({ configured: { value: '/cfg/uv', origin: 'uv-path' }, self: [], managed: managed(true) }, host(env, files)).source).toBe('uv-path');
    expect(findUv({ self: [], managed: managed(true) }, host(env, files)).source).toBe('UVX_SAFE_UV');
    expect(findUv({ self: [], managed: managed(true) }, host({ PATH: '/path' }, files))).toMatchObject({ source: 'managed', version: '0.13.9' });
    expect(findUv({ self: [] }, host({ PATH: '/path' }, files)).source).toBe('PATH');
  });

  it('never falls back to PATH when the managed uv is wanted but not installed', () => {
    expect(() => findUv({ self: [], managed: managed(false) }, host({ PATH: '/path' }, ['/path/uv']))).toThrow('not installed');
  });
});

describe('reading a wheel', () => {
  it('takes the binaries out of stored and deflated entries, and only for this platform', () => {
    const big = strToU8('x'.repeat(10_000));
    const zip = Buffer.from(
      zipSync({
        'uv/__init__.py': strToU8(''),
        'uv-1.0.0.data/scripts/uv': [big, { level: 9 }],
        'uv-1.0.0.data/scripts/uvx': [strToU8('uvx'), { level: 0 }],
      }),
    );
    const entries = zipEntries(zip);
    expect(entries.map((e) => e.name)).toEqual(['uv/__init__.py', 'uv-1.0.0.data/scripts/uv', 'uv-1.0.0.data/scripts/uvx']);
    expect(readEntry(zip, entries[1]!).equals(Buffer.from(big))).toBe(true);
    expect(readEntry(zip, entries[2]!).toString()).toBe('uvx');
    expect(entries.map((e) => wantedEntry(e.name, 'linux'))).toEqual([undefined, 'uv', 'uvx']);
    expect(wantedEntry('uv-1.0.0.data/scripts/uv.exe', 'win32')).toBe('uv');
    expect(wantedEntry('uv-1.0.0.data/scripts/uvw.exe', 'win32')).toBeUndefined();
    expect(wantedEntry('uv-1.0.0.data/purelib/uv', 'linux')).toBeUndefined();
  });

  it('refuses an entry larger than the directory says, and a file that is no zip', () => {
    const zip = Buffer.from(zipSync({ 'a/scripts/uv': strToU8('y'.repeat(1000)) }));
    const [entry] = zipEntries(zip);
    expect(() => readEntry(zip, { ...entry!, size: 10 })).toThrow(/does not inflate|bytes/);
    expect(() => zipEntries(Buffer.from('not a zip at all, not even close to one'))).toThrow(/end of central directory/);
  });
});
