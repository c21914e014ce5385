// Which uv wheel fits this machine, and which version the policy wants: pure functions of wheel
// file names (PEP 427/425 tags) and a platform description, so every OS is tested anywhere.

import { compareVersions, satisfies } from '../uv/version.js';

export interface WheelName {
  name: string;
  version: string;
  /** Each compressed tag set expanded: "manylinux_2_17_x86_64.manylinux2014_x86_64" is two. */
  platforms: string[];
  abis: string[];
}

export interface HostPlatform {
  os: 'linux' | 'darwin' | 'win32';
  /** Node's names: x64, arm64. */
  arch: string;
  /** Linux only: the C library, and glibc's version when it is glibc. */
  libc?: { kind: 'glibc'; major: number; minor: number } | { kind: 'musl' };
}

/** `uv-0.13.9-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl` -> its parts; undefined for anything else. */
export function parseWheelName(file: string): WheelName | undefined {
  if (!file.endsWith('.whl')) return undefined;
  const parts = file.slice(0, -4).split('-');
  // name-version[-build]-python-abi-platform
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  const [name, version] = parts as [string, string];
  const [, abi, platform] = parts.slice(-3) as [string, string, string];
  return { name: name.toLowerCase().replace(/[-_.]+/g, '-'), version, platforms: platform.split('.'), abis: abi.split('.') };
}

/** A final release "X.Y.Z": pre-releases and local versions are never picked by a range. */
export function isFinalVersion(version: string): boolean {
  return /^\d+\.\d+\.\d+$/.test(version);
}

const LINUX_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64' };
const MAC_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'arm64' };

/**
 * How well a platform tag fits the host: 0 is best, larger is worse, undefined is unusable.
 * uv's Linux binaries are static musl builds in the musllinux wheels, so those run on a glibc
 * system too; the manylinux wheel is preferred there, as pip would.
 */
export function platformRank(tag: string, host: HostPlatform): number | undefined {
  if (host.os === 'win32') {
    if (host.arch === 'x64') return tag === 'win_amd64' ? 0 : undefined;
    // Windows on Arm runs x64 programs too, more slowly.
    if (host.arch === 'arm64') return tag === 'win_arm64' ? 0 : tag === 'win_amd64' ? 1 : undefined;
    return undefined;
  }
  if (host.os === 'darwin') {
    const match = /^macosx_\d+_\d+_(\w+)$/.exec(tag);
    if (!match) return undefined;
    if (match[1] === MAC_ARCH[host.arch]) return 0;
    return match[1] === 'universal2' ? 1 : undefined;
  }
  const arch = LINUX_ARCH[host.arch];
  if (!arch) return undefined;
  const many = /^manylinux_(\d+)_(\d+)_(\w+)$/.exec(tag) ?? legacyManylinux(tag);
  if (many) {
    if (many[3] !== arch || host.libc?.kind !== 'glibc') return undefined;
    const [major, minor] = [Number(many[1]), Number(many[2])];
    const fits = major < host.libc.major || (major === host.libc.major && minor <= host.libc.minor);
    return fits ? 0 : undefined;
  }
  const musl = /^musllinux_\d+_\d+_(\w+)$/.exec(tag);
  if (musl && musl[1] === arch) return host.libc?.kind === 'musl' ? 0 : 1;
  return undefined;
}

/** manylinux1 / 2010 / 2014 are glibc 2.5 / 2.12 / 2.17 (PEP 600). */
function legacyManylinux(tag: string): RegExpExecArray | undefined {
  const match = /^manylinux(1|2010|2014)_(\w+)$/.exec(tag);
  if (!match) return undefined;
  const glibc = { '1': '2_5', '2010': '2_12', '2014': '2_17' }[match[1] as '1' | '2010' | '2014'];
  return /^manylinux_(\d+)_(\d+)_(\w+)$/.exec(`manylinux_${glibc}_${match[2]}`) ?? undefined;
}

export interface IndexFile {
  filename: string;
  url: string;
  /** The index's sha256 of the file, lower-case hex; undefined when the index gives none. */
  sha256?: string;
  yanked: boolean;
}

export interface WheelChoice {
  version: string;
  file: IndexFile;
}

/** `==0.13.9` names one release: a yanked file is still installable then (PEP 592). */
export function isExactPin(range: string | undefined): boolean {
  return range !== undefined && /^\s*===?\s*\d+\.\d+\.\d+\s*$/.test(range);
}

/**
 * The newest version that satisfies `range` (any, when undefined) and has a wheel for `host`,
 * with the best-fitting wheel of that version. Throws a plain Error for a malformed range.
 */
export function pickWheel(files: readonly IndexFile[], host: HostPlatform, range?: string): WheelChoice | undefined {
  const exact = isExactPin(range);
  const best = new Map<string, { rank: number; file: IndexFile }>();
  for (const file of files) {
    const wheel = parseWheelName(file.filename);
    if (!wheel || wheel.name !== 'uv' || !isFinalVersion(wheel.version)) continue;
    if (file.yanked && !exact) continue;
    if (!wheel.abis.includes('none')) continue;
    const ranks = wheel.platforms.map((tag) => platformRank(tag, host)).filter((r): r is number => r !== undefined);
    if (ranks.length === 0) continue;
    if (range !== undefined && !satisfies(wheel.version, range)) continue;
    const rank = Math.min(...ranks);
    const current = best.get(wheel.version);
    if (!current || rank < current.rank) best.set(wheel.version, { rank, file });
  }
  const newest = [...best.keys()].sort(compareVersions).pop();
  return newest === undefined ? undefined : { version: newest, file: best.get(newest)!.file };
}

/** "linux x64 (glibc 2.35)", for messages. */
export function describeHost(host: HostPlatform): string {
  const libc = host.libc ? (host.libc.kind === 'glibc' ? ` (glibc ${host.libc.major}.${host.libc.minor})` : ' (musl)') : '';
  return `${host.os} ${host.arch}${libc}`;
}
