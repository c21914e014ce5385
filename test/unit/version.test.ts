import { describe, expect, it } from 'vitest';
import { checkUvVersion, compareVersions, parseUvVersionOutput, satisfies } from '../../src/uv/version.js';
import { UvVersionError } from '../../src/errors.js';
import { thrown } from '../helpers/thrown.js';

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
