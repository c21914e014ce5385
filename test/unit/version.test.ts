import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { cachedUvVersion, checkUvVersion, compareVersions, parseUvVersionOutput, satisfies } from '../../src/uv/version.js';
import { UvVersionError } from '../../src/errors.js';
import { thrown } from '../helpers/thrown.js';
import { getUv } from '../helpers/uv.js';

describe('satisfies', () => {
  it.each([
    ['0.13.9', '>=0.13, <0.14', true],
    ['0.14.0', '>=0.13, <0.14', false],
    ['0.13.9', '>=0.13 <0.14', true],
    ['0.12.24', '>=0.13', false],
    ['0.13.9', '==0.13.9', true],
    ['0.13.8', '==0.13.9', false],
    ['0.13.9', '0.13', true],
    ['0.13.9', '0.13.*', true],
    ['0.13.9', '0.13.x', true],
    ['0.14.0', '0.13.*', false],
    ['0.13.9', '~=0.13.2', true],
    ['0.14.0', '~=0.13.2', false],
    ['0.99.0', '~=0.13', true],
    ['1.0.0', '~=0.13', false],
    ['0.13.9', '^0.13.1', true],
    ['0.14.0', '^0.13.1', false],
    ['1.9.0', '^1.2', true],
    ['2.0.0', '^1.2', false],
    ['0.13.9', '~0.13.2', true],
    ['0.14.0', '~0.13.2', false],
    ['0.13.9', '!=0.13.8', true],
    ['0.13.8', '!=0.13.8', false],
    ['0.12.1', '<0.12 || >=0.13', false],
    ['0.13.1', '<0.12 || >=0.13', true],
    // Every operator at its bounds.
    ['0.13.0', '>=0.13.0', true],
    ['0.12.9', '>=0.13.0', false],
    ['0.13.0', '<=0.13.0', true],
    ['0.13.1', '<=0.13.0', false],
    ['0.13.0', '>0.13.0', false],
    ['0.12.9', '<0.13', true],
    ['0.13.0', '<0.13', false],
    ['0.13.2', '~=0.13.2', true],
    ['0.13.1', '~=0.13.2', false],
    ['0.13.1', '^0.13.1', true],
    ['0.13.0', '^0.13.1', false],
    ['0.0.3', '^0.0.3', true],
    ['0.0.4', '^0.0.3', false],
    ['0.0.9', '^0.0', true],
    ['0.1.0', '^0.0', false],
    ['0.13.1', '~0.13.2', false],
    ['0.12.9', '0.13', false],
    ['0.13.0', '0.13', true],
    // A prefix != excludes the whole series.
    ['0.13.5', '!=0.13', false],
    ['0.14.0', '!=0.13', true],
    ['0.12.9', '!=0.13', true],
    // A missing or wildcard part is 0, not "anything".
    ['0.13.0', '>0.13', false],
    ['0.13.0', '>0.13.x', false],
    ['0.13.0', '>0.13.*', false],
    ['0.14.0', 'v0.13', false],
    // Multi-digit parts; comparators apart by blanks, a bare version among them.
    ['10.0.0', '>=2', true],
    ['0.13.10', '>0.13.9', true],
    ['0.14.0', '>=0.13 <0.14', false],
    ['0.14.0', '>=0.13  <0.14', false],
    ['0.13.5', '>=0.13 0.14', false],
  ])('%s in "%s" -> %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('rejects malformed ranges', () => {
    expect(() => satisfies('0.13.9', '>=banana')).toThrowError(/not a version/);
    expect(() => satisfies('0.13.9', ' , ')).toThrowError(/empty/);
    expect(() => satisfies('0.13.9', '>=0.13\nx')).toThrowError(/not a version comparator/);
    expect(() => satisfies('banana', '>=0.13')).toThrowError('"banana" is not a version');
    expect(satisfies(' 0.13.9\n', '>=0.13')).toBe(true);
  });

  it('orders version texts, those that are none first', () => {
    expect(['0.13.10', 'dev', '0.9.0', '0.13.9'].sort(compareVersions)).toEqual(['dev', '0.9.0', '0.13.9', '0.13.10']);
    expect(compareVersions('0.13.9', 'dev')).toBe(1);
    expect(compareVersions('dev', '0.13.9')).toBe(-1);
    expect(compareVersions('a', 'b')).toBe(0);
    expect(compareVersions('0.13.9', 'v0.13.9')).toBe(0);
  });
});

describe('uv version output and the check', () => {
  it('reads the version from uv --version', () => {
    expect(parseUvVersionOutput('uv 0.13.9 (x86_64-unknown-linux-gnu)\n')).toBe('0.13.9');
    expect(parseUvVersionOutput('uv 0.7.12 (dc3fd4647 2025-06-06)')).toBe('0.7.12');
    expect(parseUvVersionOutput('nonsense')).toBeUndefined();
    expect(parseUvVersionOutput('uv 10.20.30')).toBe('10.20.30');
    expect(parseUvVersionOutput('pyuv 1.2.3')).toBeUndefined();
  });

  it('names the range, its file and the binary on a mismatch', () => {
    expect(() => checkUvVersion('0.12.0', '>=0.13', '/etc/uvx-safe/config.toml', '/usr/bin/uv')).toThrowError(
      'uv 0.12.0 at /usr/bin/uv does not satisfy uv-version ">=0.13" (from /etc/uvx-safe/config.toml)',
    );
    expect(() => checkUvVersion('0.13.9', '>>0.13', '/u.toml', '/uv')).toThrowError(/not a valid range/);
    expect(() => checkUvVersion('0.13.9', '>=0.13', '/u.toml', '/uv')).not.toThrow();
    // Both refusals say what to do instead.
    for (const [version, range] of [['0.12.0', '>=0.13'], ['0.13.9', '>>0.13']])
      expect(thrown(UvVersionError, () => checkUvVersion(version!, range!, '/u.toml', '/uv')).hint, range).toMatch(/uv|range/);
  });
});

describe('cachedUvVersion: one `uv --version` per uv binary', () => {
  // The real uv behind a wrapper that counts how often it is asked (what the real uv cannot show).
  let dir: string;
  let uv: string;
  let count: string;
  const asked = () => (fs.existsSync(count) ? fs.readFileSync(count, 'utf8').length : 0);
  const wrapper = (body: string) => {
    fs.writeFileSync(uv, `#!/bin/sh\nprintf x >> '${count}'\n${body}\n`, { mode: 0o755 });
  };
  const keyOf = (file: string) => {
    const stat = fs.statSync(file);
    return `${file}|${stat.size}|${stat.mtimeMs}`;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-uv-version-'));
    uv = path.join(dir, 'uv');
    count = path.join(dir, 'count');
    wrapper(`exec '${getUv()}' "$@"`);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('asks uv once, then reads the state folder; the cache names the binary by path, size and mtime', () => {
    const state = path.join(dir, 'state');
    fs.mkdirSync(state);
    expect(cachedUvVersion(uv, state)).toBe(inject('uvVersion'));
    expect(cachedUvVersion(uv, state)).toBe(inject('uvVersion'));
    expect(asked()).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(state, 'uv-versions.json'), 'utf8'))).toEqual({ [keyOf(uv)]: inject('uvVersion') });
    expect(fs.readdirSync(state)).toEqual(['uv-versions.json']);
  });

  it('asks again for a changed binary, and keeps the other binaries` entries', () => {
    const state = path.join(dir, 'state');
    fs.mkdirSync(state);
    fs.writeFileSync(path.join(state, 'uv-versions.json'), JSON.stringify({ '/other/uv|1|2': '0.1.0' }));
    cachedUvVersion(uv, state);
    const first = keyOf(uv);
    fs.utimesSync(uv, new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(cachedUvVersion(uv, state)).toBe(inject('uvVersion'));
    expect(asked()).toBe(2);
    expect(JSON.parse(fs.readFileSync(path.join(state, 'uv-versions.json'), 'utf8'))).toEqual({
      '/other/uv|1|2': '0.1.0',
      [first]: inject('uvVersion'),
      [keyOf(uv)]: inject('uvVersion'),
    });
  });

  it('a cache that does not parse, or holds no text for the binary, is asked past and rewritten', () => {
    const state = path.join(dir, 'state');
    fs.mkdirSync(state);
    const file = path.join(state, 'uv-versions.json');
    fs.writeFileSync(file, '{not json');
    expect(cachedUvVersion(uv, state)).toBe(inject('uvVersion'));
    fs.writeFileSync(file, JSON.stringify({ [keyOf(uv)]: 13 }));
    expect(cachedUvVersion(uv, state)).toBe(inject('uvVersion'));
    expect(asked()).toBe(2);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ [keyOf(uv)]: inject('uvVersion') });
  });

  it('without a state folder, or with one that cannot be written, uv is asked each time and nothing is left', () => {
    // In the working folder too: a cache path made of no folder would land there.
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(cachedUvVersion(uv, undefined)).toBe(inject('uvVersion'));
    } finally {
      process.chdir(cwd);
    }
    const notAFolder = path.join(dir, 'file');
    fs.writeFileSync(notAFolder, '');
    expect(cachedUvVersion(uv, notAFolder)).toBe(inject('uvVersion'));
    expect(cachedUvVersion(uv, notAFolder)).toBe(inject('uvVersion'));
    expect(asked()).toBe(3);
    expect(fs.readdirSync(dir).sort()).toEqual(['count', 'file', 'uv']);
  });

  it('output that is no uv version is refused, naming the program and what it said, with a hint; nothing cached', () => {
    wrapper("echo 'pyuv 1.2.3'");
    const state = path.join(dir, 'state');
    fs.mkdirSync(state);
    const err = thrown(UvVersionError, () => cachedUvVersion(uv, state));
    expect(err.message).toBe(`cannot read the version of ${uv} from "pyuv 1.2.3"`);
    expect(err.hint).toContain('UVX_SAFE_UV=/path/to/uv');
    expect(fs.readdirSync(state)).toEqual([]);
  });
});
