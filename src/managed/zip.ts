// Just enough of the zip format to take named files out of a wheel: the central directory, stored
// or deflated entries, inflated by Node's own zlib (native: 2-4x faster than a JS inflater on the
// 38 MB uv binary). No ZIP64, no encryption: a uv wheel needs neither, and anything else is refused.
// Integrity is the index's sha256 of the whole wheel, checked before this runs.

import zlib = require('node:zlib');

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export class ZipFormatError extends Error {}

export interface ZipEntry {
  name: string;
  method: number;
  /** The CRC-32 of the uncompressed bytes, as the central directory records it. */
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function endOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) if (zip.readUInt32LE(at) === EOCD) return at;
  throw new ZipFormatError('no end of central directory record');
}

export function zipEntries(zip: Buffer): ZipEntry[] {
  const eocd = endOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new ZipFormatError('ZIP64 archives are not supported');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new ZipFormatError(`bad central directory entry ${i}`);
    const flags = zip.readUInt16LE(at + 8);
    const nameLength = zip.readUInt16LE(at + 28);
    const entry: ZipEntry = {
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
    };
    if (flags & 1) throw new ZipFormatError(`${entry.name} is encrypted`);
    entries.push(entry);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** The entry's bytes as the archive stores them (deflated or not), without a copy. */
export function rawEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) throw new ZipFormatError(`bad local header for ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  if (start + entry.compressedSize > zip.length) throw new ZipFormatError(`${entry.name} runs past the end of the archive`);
  return zip.subarray(start, start + entry.compressedSize);
}

export function readEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const data = rawEntry(zip, entry);
  let out: Buffer;
  if (entry.method === 0) out = Buffer.from(data);
  else if (entry.method === 8) {
    try {
      // No more than the directory promises: a lying entry cannot fill the disk.
      out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (err) {
      throw new ZipFormatError(`${entry.name} does not inflate: ${(err as Error).message}`);
    }
  } else throw new ZipFormatError(`${entry.name} uses compression method ${entry.method}`);
  if (out.length !== entry.size) throw new ZipFormatError(`${entry.name} is ${out.length} bytes, the directory says ${entry.size}`);
  return out;
}
