import { describe, expect, it } from 'vitest';
import { checkUvVersion, parseUvVersionOutput, satisfies } from '../../src/uv/version.js';

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
  ])('%s in "%s" -> %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('rejects malformed ranges', () => {
    expect(() => satisfies('0.13.9', '>=banana')).toThrowError(/not a version/);
    expect(() => satisfies('0.13.9', ' , ')).toThrowError(/empty/);
  });
});

describe('uv version output and the check', () => {
  it('reads the version from uv --version', () => {
    expect(parseUvVersionOutput('uv 0.13.9 (x86_64-unknown-linux-gnu)\n')).toBe('0.13.9');
    expect(parseUvVersionOutput('uv 0.7.12 (dc3fd4647 2025-06-06)')).toBe('0.7.12');
    expect(parseUvVersionOutput('nonsense')).toBeUndefined();
  });

  it('names the range, its file and the binary on a mismatch', () => {
    expect(() => checkUvVersion('0.12.0', '>=0.13', '/etc/uvx-safe/config.toml', '/usr/bin/uv')).toThrowError(
      'uv 0.12.0 at /usr/bin/uv does not satisfy uv-version ">=0.13" (from /etc/uvx-safe/config.toml)',
    );
    expect(() => checkUvVersion('0.13.9', '>>0.13', '/u.toml', '/uv')).toThrowError(/not a valid range/);
    expect(() => checkUvVersion('0.13.9', '>=0.13', '/u.toml', '/uv')).not.toThrow();
  });
});
