// This machine as wheel tags see it: OS, CPU, and on Linux the C library (glibc and its version, or musl).

import { UvSourceError } from '../errors.js';
import type { HostPlatform } from './wheel.js';

export function detectHost(platform: NodeJS.Platform = process.platform, arch: string = process.arch): HostPlatform {
  if (platform !== 'linux' && platform !== 'darwin' && platform !== 'win32')
    throw new UvSourceError(`no managed uv for ${platform} ${arch}`, { hint: 'set uv-path instead of uv-source on this machine' });
  if (platform !== 'linux') return { os: platform, arch };
  // Node's diagnostic report names the glibc it runs on; musl systems have none.
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const glibc = /^(\d+)\.(\d+)/.exec(header?.glibcVersionRuntime ?? '');
  return { os: 'linux', arch, libc: glibc ? { kind: 'glibc', major: Number(glibc[1]), minor: Number(glibc[2]) } : { kind: 'musl' } };
}
