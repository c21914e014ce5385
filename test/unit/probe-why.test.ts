// Doctor names why programs cannot run in a folder (src/platform/probe.ts whyRefused).
import { describe, expect, it } from 'vitest';
import { whyRefused } from '../../src/platform/probe.js';

const MOUNTINFO = [
  '27 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw',
  '40 27 0:50 / /tmp rw,nosuid,nodev - tmpfs tmpfs rw',
  '41 40 0:51 / /tmp/no\\040exec rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw',
].join('\n');

describe('whyRefused', () => {
  it('a folder on a noexec mount: the deepest mount holding it, its escaped name decoded', () => {
    expect(whyRefused('/tmp/no exec/uv/cache', 'EACCES', 'linux', () => MOUNTINFO)).toBe('noexec mount (/tmp/no exec)');
  });

  it('EACCES on a mount without noexec (the execute bit, a security module) names no mount', () => {
    expect(whyRefused('/tmp/other', 'EACCES', 'linux', () => MOUNTINFO)).toBeUndefined();
    expect(whyRefused('/tmp/no exec', 'ENOENT', 'linux', () => MOUNTINFO)).toBeUndefined();
  });

  it('Windows: os error 1260 (UNKNOWN to libuv) or a denied execute right is a policy rule', () => {
    for (const code of ['UNKNOWN', 'EPERM', 'EACCES']) expect(whyRefused('C:\\x', code, 'win32', () => '')).toBe('blocked by policy (AppLocker/WDAC)');
  });
});
