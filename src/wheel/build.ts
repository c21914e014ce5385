// The governed `uv` wheel (`safe wheel`): the real uv wheel's metadata and licences, its version
// plus a local label (`0.13.9+uvxsafe.1`), the uvx-safe standalone executable as the `uv` and `uvx`
// scripts, the real uv beside them as WHEEL_REAL_UV (where the launcher's finder looks first), and
// the `uv` Python package of src/wheel/python-module.ts. Pure: bytes in, file list and bytes out.

import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { parseWheelName } from '../managed/wheel.js';
import { rawEntry, readEntry, zipEntries, type ZipEntry } from '../managed/zip.js';
import { hasLauncherMark, wheelRealUvName } from '../uv/find.js';
import { findUvPy, initPy, mainPy } from './python-module.js';
import { writeZip, type ZipInput } from './zip-write.js';

export type WheelPlatform = 'windows' | 'linux';

export interface GovernedWheelInput {
  /** The real uv wheel: its file name and bytes. */
  realName: string;
  real: Buffer;
  /** The uvx-safe standalone executable for the same platform. */
  exe: Buffer;
  /** The N of `+uvxsafe.N`: raised when the same uv is rebuilt with another launcher. */
  revision: number;
  launcherVersion: string;
  /** uvx-safe's own licence text, shipped beside uv's. */
  license?: string;
}

export interface GovernedWheel {
  fileName: string;
  version: string;
  platform: WheelPlatform;
  files: ZipInput[];
}

/** win_amd64, or manylinux x86_64 (the standalone Linux executable needs glibc 2.17, as the tag says). */
export function wheelPlatform(tags: readonly string[]): WheelPlatform | undefined {
  if (tags.length > 0 && tags.every((tag) => tag === 'win_amd64')) return 'windows';
  if (tags.length > 0 && tags.every((tag) => /^manylinux(_2_(\d+)|2014)_x86_64$/.test(tag) && Number(/^manylinux_2_(\d+)/.exec(tag)?.[1] ?? 17) >= 17)) return 'linux';
  return undefined;
}

/** What kind of executable: a PE for Windows x64, an ELF for Linux x86-64; undefined otherwise. */
export function executablePlatform(head: Buffer): WheelPlatform | undefined {
  if (head.length >= 0x40 && head.toString('latin1', 0, 2) === 'MZ') {
    const pe = head.readUInt32LE(0x3c);
    if (pe + 6 <= head.length && head.toString('latin1', pe, pe + 4) === 'PE\0\0' && head.readUInt16LE(pe + 4) === 0x8664) return 'windows';
    return undefined;
  }
  if (head.length >= 20 && head.toString('latin1', 0, 4) === '\x7fELF' && head.readUInt16LE(18) === 0x3e) return 'linux';
  return undefined;
}

const PLATFORM_WORDS: Record<WheelPlatform, string> = { windows: 'Windows x64 (win_amd64)', linux: 'Linux x86-64 (manylinux)' };

/** The RECORD hash: sha256, URL-safe base64 without padding (PEP 376/427). */
export function recordHash(data: Buffer): string {
  return `sha256=${createHash('sha256').update(data).digest('base64url')}`;
}

function entryMap(realName: string, real: Buffer): Map<string, ZipEntry> {
  try {
    return new Map(zipEntries(real).map((entry) => [entry.name, entry]));
  } catch (err) {
    throw new UsageError(`--from ${realName}: not a readable wheel (${(err as Error).message})`, { hint: 'give a uv wheel from PyPI or your index' });
  }
}

export function buildGovernedWheel(input: GovernedWheelInput): GovernedWheel {
  const name = parseWheelName(input.realName);
  if (!name || name.name !== 'uv' || !/^\d+(\.\d+)*$/.test(name.version))
    throw new UsageError(`--from ${input.realName}: not a wheel of a uv release (uv-X.Y.Z-...whl)`, { hint: 'give the real uv wheel from PyPI or your index' });
  const platform = wheelPlatform(name.platforms);
  if (!platform)
    throw new UsageError(`--from ${input.realName}: the governed wheel is built for win_amd64 and manylinux x86_64 only`, { hint: 'give the uv wheel for one of them' });
  const exePlatform = executablePlatform(input.exe.subarray(0, 4096));
  if (exePlatform !== platform || !hasLauncherMark(input.exe.toString('latin1', 0, 256)))
    throw new UsageError(`--exe: not the uvx-safe standalone executable for ${PLATFORM_WORDS[platform]}`, {
      hint: `build it with \`npm run build:exe\` (dist/exe/uvx-safe-${platform === 'windows' ? 'win-x64.exe' : 'linux-x64'})`,
    });
  if (!Number.isInteger(input.revision) || input.revision < 1) throw new UsageError(`--revision ${input.revision}: not a whole number from 1`, { hint: 'give --revision 1, 2, ...' });

  const entries = entryMap(input.realName, input.real);
  const oldData = `uv-${name.version}.data`;
  const oldInfo = `uv-${name.version}.dist-info`;
  const exeSuffix = platform === 'windows' ? '.exe' : '';
  const realUvEntry = entries.get(`${oldData}/scripts/uv${exeSuffix}`);
  const metadataEntry = entries.get(`${oldInfo}/METADATA`);
  if (!realUvEntry || !metadataEntry)
    throw new UsageError(`--from ${input.realName}: holds no ${oldData}/scripts/uv${exeSuffix} or ${oldInfo}/METADATA`, { hint: 'give the real uv wheel' });
  const realUv = readEntry(input.real, realUvEntry);
  if (hasLauncherMark(realUv.toString('latin1', 0, 256)))
    throw new UsageError(`--from ${input.realName}: its uv is already uvx-safe (a governed wheel)`, { hint: 'give the real uv wheel' });

  const version = `${name.version}+uvxsafe.${input.revision}`;
  const data = `uv-${version}.data`;
  const info = `uv-${version}.dist-info`;
  const metadata = readEntry(input.real, metadataEntry).toString('utf8').replace(/^Version: .*$/m, `Version: ${version}`);
  const tags = name.platforms.map((tag) => `Tag: py3-none-${tag}`);
  const files: ZipInput[] = [
    { name: 'uv/__init__.py', data: Buffer.from(initPy(input.launcherVersion)), mode: 0o644 },
    { name: 'uv/__main__.py', data: Buffer.from(mainPy()), mode: 0o644 },
    { name: 'uv/_find_uv.py', data: Buffer.from(findUvPy()), mode: 0o644 },
    { name: 'uv/py.typed', data: Buffer.alloc(0), mode: 0o644 },
    { name: `${data}/scripts/uv${exeSuffix}`, data: input.exe, mode: 0o755 },
    { name: `${data}/scripts/uvx${exeSuffix}`, data: input.exe, mode: 0o755 },
    // Copied as the real wheel compressed it: deflating 40 MB again cost seconds for the same bytes.
    {
      name: `${data}/scripts/${wheelRealUvName(platform === 'windows' ? 'win32' : 'linux')}`,
      data: realUv,
      mode: 0o755,
      packed: { method: realUvEntry.method, body: rawEntry(input.real, realUvEntry), crc: realUvEntry.crc },
    },
    { name: `${info}/METADATA`, data: Buffer.from(metadata), mode: 0o644 },
    {
      name: `${info}/WHEEL`,
      data: Buffer.from(['Wheel-Version: 1.0', `Generator: uvx-safe (${input.launcherVersion})`, 'Root-Is-Purelib: false', ...tags, ''].join('\n')),
      mode: 0o644,
    },
  ];
  // uv's licences and SBOM, as the real wheel ships them.
  for (const [entryName, entry] of entries) {
    if (entryName.startsWith(`${oldInfo}/licenses/`) || entryName.startsWith(`${oldInfo}/sboms/`))
      files.push({ name: `${info}/${entryName.slice(oldInfo.length + 1)}`, data: readEntry(input.real, entry), mode: 0o644 });
  }
  if (input.license) files.push({ name: `${info}/licenses/LICENSE-uvx-safe`, data: Buffer.from(input.license), mode: 0o644 });
  const record = files.map((file) => `${file.name},${recordHash(file.data)},${file.data.length}`);
  record.push(`${info}/RECORD,,`);
  files.push({ name: `${info}/RECORD`, data: Buffer.from(`${record.join('\n')}\n`), mode: 0o644 });
  return { fileName: `uv-${version}-py3-none-${name.platforms.join('.')}.whl`, version, platform, files };
}

/** The wheel's bytes. */
export function zipGovernedWheel(wheel: GovernedWheel): Buffer {
  return writeZip(wheel.files);
}
