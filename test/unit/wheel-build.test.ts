// The governed wheel's pure builder: names, version, tags, RECORD, and every refusal. The archive
// is read back with fflate (an independent zip reader) and with the launcher's own reader.
import { createHash } from 'node:crypto';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { rawEntry, readEntry, zipEntries } from '../../src/managed/zip.js';
import { ELF_MARK, ELF_MARK_OFFSET, LAUNCHER_MARKER } from '../../src/uv/find.js';
import { buildGovernedWheel, executablePlatform, wheelPlatform, zipGovernedWheel } from '../../src/wheel/build.js';
import { crc32, tableCrc32, writeZip } from '../../src/wheel/zip-write.js';

const LINUX_TAGS = 'manylinux_2_17_x86_64.manylinux2014_x86_64';

function elf(mark: boolean): Buffer {
  const head = Buffer.alloc(64);
  head.write('\x7fELF', 0, 'latin1');
  if (mark) head.write(ELF_MARK, ELF_MARK_OFFSET, 'latin1');
  head.writeUInt16LE(0x3e, 18);
  return Buffer.concat([head, Buffer.from('launcher body '.repeat(50))]);
}

function pe(): Buffer {
  const head = Buffer.alloc(0x100);
  head.write('MZ', 0, 'latin1');
  head.write(LAUNCHER_MARKER, 0x50, 'latin1');
  head.writeUInt32LE(0x80, 0x3c);
  head.write('PE\0\0', 0x80, 'latin1');
  head.writeUInt16LE(0x8664, 0x84);
  return head;
}

function realWheel(tags = LINUX_TAGS, uv: Buffer = elf(false), exe = ''): { realName: string; real: Buffer } {
  const files: Record<string, Uint8Array> = {
    'uv/__init__.py': strToU8('# the real one\n'),
    [`uv-0.13.9.data/scripts/uv${exe}`]: uv,
    [`uv-0.13.9.data/scripts/uvx${exe}`]: strToU8('uvx'),
    'uv-0.13.9.dist-info/METADATA': strToU8('Metadata-Version: 2.4\nName: uv\nVersion: 0.13.9\nSummary: uv\n'),
    'uv-0.13.9.dist-info/WHEEL': strToU8('Wheel-Version: 1.0\n'),
    'uv-0.13.9.dist-info/licenses/LICENSE-MIT': strToU8('MIT\n'),
    'uv-0.13.9.dist-info/sboms/uv.cyclonedx.json': strToU8('{}\n'),
    'uv-0.13.9.dist-info/RECORD': strToU8(''),
  };
  return { realName: `uv-0.13.9-py3-none-${tags}.whl`, real: Buffer.from(zipSync(files)) };
}

const b64 = (data: Uint8Array) => createHash('sha256').update(data).digest('base64url');

describe('buildGovernedWheel', () => {
  it('names the wheel X.Y.Z+uvxsafe.N with the real wheel\'s tags; the launcher is uv and uvx, the real uv beside them', () => {
    const wheel = buildGovernedWheel({ ...realWheel(), exe: elf(true), revision: 3, launcherVersion: '0.1.0' });
    expect(wheel.fileName).toBe(`uv-0.13.9+uvxsafe.3-py3-none-${LINUX_TAGS}.whl`);
    const files = unzipSync(zipGovernedWheel(wheel));
    const data = 'uv-0.13.9+uvxsafe.3.data/scripts';
    expect(Buffer.from(files[`${data}/uv`]!)).toEqual(elf(true));
    expect(Buffer.from(files[`${data}/uvx`]!)).toEqual(elf(true));
    expect(Buffer.from(files[`${data}/.uvx-safe-real-uv`]!)).toEqual(elf(false));
    const info = 'uv-0.13.9+uvxsafe.3.dist-info';
    expect(Buffer.from(files[`${info}/METADATA`]!).toString()).toContain('\nVersion: 0.13.9+uvxsafe.3\n');
    expect(Buffer.from(files[`${info}/WHEEL`]!).toString()).toBe(
      'Wheel-Version: 1.0\nGenerator: uvx-safe (0.1.0)\nRoot-Is-Purelib: false\nTag: py3-none-manylinux_2_17_x86_64\nTag: py3-none-manylinux2014_x86_64\n',
    );
    expect(files[`${info}/licenses/LICENSE-MIT`]).toBeDefined();
    expect(files[`${info}/sboms/uv.cyclonedx.json`]).toBeDefined();
    expect(Buffer.from(files['uv/__init__.py']!).toString()).toContain('__uvx_safe__ = "0.1.0"');
    expect(Object.keys(files).sort()).toEqual(
      [
        'uv/__init__.py', 'uv/__main__.py', 'uv/_find_uv.py', 'uv/py.typed',
        `${data}/uv`, `${data}/uvx`, `${data}/.uvx-safe-real-uv`,
        `${info}/METADATA`, `${info}/WHEEL`, `${info}/licenses/LICENSE-MIT`, `${info}/sboms/uv.cyclonedx.json`, `${info}/RECORD`,
      ].sort(),
    );
  });

  it('RECORD lists every other file with its sha256 and size, and itself without', () => {
    const files = unzipSync(zipGovernedWheel(buildGovernedWheel({ ...realWheel(), exe: elf(true), revision: 1, launcherVersion: '0.1.0' })));
    const record = Buffer.from(files['uv-0.13.9+uvxsafe.1.dist-info/RECORD']!).toString().trim().split('\n');
    expect(record.pop()).toBe('uv-0.13.9+uvxsafe.1.dist-info/RECORD,,');
    expect(record.map((line) => line.split(',')[0]).sort()).toEqual(Object.keys(files).filter((f) => !f.endsWith('/RECORD')).sort());
    for (const line of record) {
      const [name, hash, size] = line.split(',');
      expect(hash, name).toBe(`sha256=${b64(files[name!]!)}`);
      expect(Number(size), name).toBe(files[name!]!.length);
    }
  });

  it('keeps Unix modes (scripts executable) and reads back with the launcher\'s own zip reader', () => {
    const zip = zipGovernedWheel(buildGovernedWheel({ ...realWheel(), exe: elf(true), revision: 1, launcherVersion: '0.1.0' }));
    const entries = zipEntries(zip);
    for (const entry of entries) {
      const at = zip.indexOf(Buffer.from(entry.name), 0);
      expect(at).toBeGreaterThan(0);
      expect(readEntry(zip, entry).length).toBe(entry.size);
    }
    // The central directory's external attributes: 0o100755 for scripts, 0o100644 for the rest.
    const modes = new Map<string, number>();
    let at = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    at = zip.readUInt32LE(at + 16);
    while (zip.readUInt32LE(at) === 0x02014b50) {
      const nameLength = zip.readUInt16LE(at + 28);
      modes.set(zip.toString('utf8', at + 46, at + 46 + nameLength), zip.readUInt32LE(at + 38) >>> 16);
      at += 46 + nameLength;
    }
    expect(modes.get('uv-0.13.9+uvxsafe.1.data/scripts/uv')).toBe(0o100755);
    expect(modes.get('uv-0.13.9+uvxsafe.1.data/scripts/.uvx-safe-real-uv')).toBe(0o100755);
    expect(modes.get('uv/__init__.py')).toBe(0o100644);
  });

  it('builds the Windows wheel from the win_amd64 uv wheel and the Windows executable', () => {
    const wheel = buildGovernedWheel({ ...realWheel('win_amd64', Buffer.from('MZ real uv'), '.exe'), exe: pe(), revision: 1, launcherVersion: '0.1.0' });
    expect(wheel.fileName).toBe('uv-0.13.9+uvxsafe.1-py3-none-win_amd64.whl');
    expect(wheel.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['uv-0.13.9+uvxsafe.1.data/scripts/uv.exe', 'uv-0.13.9+uvxsafe.1.data/scripts/uvx.exe', 'uv-0.13.9+uvxsafe.1.data/scripts/.uvx-safe-real-uv.exe']),
    );
  });

  it.each([
    ['an executable of the other platform', () => ({ ...realWheel(), exe: pe() }), /--exe: not the uvx-safe standalone executable for Linux/],
    ['an executable without the mark', () => ({ ...realWheel(), exe: elf(false) }), /--exe: not the uvx-safe standalone executable/],
    ['a musllinux uv wheel', () => ({ ...realWheel('musllinux_1_1_x86_64'), exe: elf(true) }), /win_amd64 and manylinux x86_64 only/],
    ['a governed wheel as --from', () => ({ ...realWheel(LINUX_TAGS, elf(true)), exe: elf(true) }), /already uvx-safe/],
    ['another package', () => ({ realName: 'ruff-0.1.0-py3-none-win_amd64.whl', real: Buffer.alloc(0), exe: pe() }), /not a wheel of a uv release/],
    ['not a zip', () => ({ realName: `uv-0.13.9-py3-none-${LINUX_TAGS}.whl`, real: Buffer.from('no zip'), exe: elf(true) }), /not a readable wheel/],
  ])('refuses %s with the way out', (_what, input, message) => {
    const run = () => buildGovernedWheel({ ...input(), revision: 1, launcherVersion: '0.1.0' });
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });
});

describe('wheel platform and executable kinds', () => {
  it('accepts manylinux x86_64 from glibc 2.17 and win_amd64, nothing else', () => {
    expect(wheelPlatform(['manylinux_2_17_x86_64', 'manylinux2014_x86_64'])).toBe('linux');
    expect(wheelPlatform(['manylinux_2_28_x86_64'])).toBe('linux');
    expect(wheelPlatform(['manylinux_2_12_x86_64'])).toBeUndefined();
    expect(wheelPlatform(['manylinux_2_17_aarch64'])).toBeUndefined();
    expect(wheelPlatform(['win_amd64'])).toBe('windows');
    expect(wheelPlatform(['win_arm64'])).toBeUndefined();
    expect(wheelPlatform(['macosx_10_12_x86_64'])).toBeUndefined();
  });

  it('tells a PE x64 from an ELF x86-64', () => {
    expect(executablePlatform(pe())).toBe('windows');
    expect(executablePlatform(elf(true))).toBe('linux');
    expect(executablePlatform(Buffer.from('#!/bin/sh\n'.padEnd(80)))).toBeUndefined();
  });

  it('crc32 is the zip (IEEE) checksum, natively and from the table alike', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) & 0xff));
    expect(crc32(bytes)).toBe(tableCrc32(bytes));
  });
});

describe('the real uv, copied as its wheel compressed it', () => {
  it('is the same deflated bytes in the governed wheel, and inflates to the real uv', () => {
    const uv = Buffer.concat([elf(false), Buffer.from('uv body '.repeat(4000))]);
    const { realName, real } = realWheel(LINUX_TAGS, uv);
    const source = zipEntries(real).find((e) => e.name === 'uv-0.13.9.data/scripts/uv')!;
    expect(source.method).toBe(8);
    const zip = zipGovernedWheel(buildGovernedWheel({ realName, real, exe: elf(true), revision: 1, launcherVersion: '0.1.0' }));
    const copied = zipEntries(zip).find((e) => e.name === 'uv-0.13.9+uvxsafe.1.data/scripts/.uvx-safe-real-uv')!;
    expect(rawEntry(zip, copied)).toEqual(rawEntry(real, source));
    expect(copied.crc).toBe(source.crc);
    expect(readEntry(zip, copied)).toEqual(uv);
    expect(Buffer.from(unzipSync(zip)['uv-0.13.9+uvxsafe.1.data/scripts/.uvx-safe-real-uv']!)).toEqual(uv);
  });

  it('refuses a source entry whose checksum does not match its bytes', () => {
    const data = Buffer.from('uv');
    const packed = { method: 0, body: data, crc: crc32(data) ^ 1 };
    expect(() => writeZip([{ name: 'uv', data, mode: 0o755, packed }])).toThrow('uv: its stored checksum does not match its bytes');
  });
});
