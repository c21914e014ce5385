// The package version in each package format's terms (scripts/release/version.mjs).
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script (plain JavaScript, no types)
import { debianVersion, msiVersion, windowsVersion } from '../../scripts/release/version.mjs';

describe('release versions', () => {
  it('a release: the same numbers everywhere', () => {
    expect(windowsVersion('1.2.3')).toEqual([1, 2, 3, 0]);
    expect(msiVersion('1.2.3')).toBe('1.2.3');
    expect(debianVersion('1.2.3')).toBe('1.2.3');
  });

  it('a pre-release sorts before its release in Debian (~), and keeps its numbers on Windows', () => {
    expect(debianVersion('1.2.3-rc.1')).toBe('1.2.3~rc.1');
    expect(msiVersion('1.2.3-rc.1')).toBe('1.2.3');
    expect(windowsVersion('1.2.3-rc.1')).toEqual([1, 2, 3, 0]);
  });

  it('refuses what a format cannot hold, naming the version', () => {
    expect(() => msiVersion('256.0.0')).toThrow(/"256.0.0".*255.255.65535/);
    expect(() => windowsVersion('1.70000.0')).toThrow(/65535/);
    expect(() => debianVersion('1.2')).toThrow(/"1.2" is not semver/);
  });
});
