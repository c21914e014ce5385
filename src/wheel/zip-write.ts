// Writing a zip archive: what a wheel needs and nothing more (deflated or stored entries, Unix
// modes in the external attributes so installers keep the executable bit, a fixed timestamp so the
// same inputs give the same bytes). No ZIP64: an entry or archive past 4 GiB is refused.
// The inverse of src/managed/zip.ts, which reads.

import zlib = require('node:zlib');

export interface ZipInput {
  name: string;
  data: Buffer;
  /** Unix permission bits (0o644, 0o755). */
  mode: number;
  /** `data` as another archive already holds it (copied, not compressed again); its crc is checked. */
  packed?: Packed;
}

export interface Packed {
  method: number;
  body: Buffer;
  crc: number;
}

const LIMIT = 0xffffffff;
// 1980-01-01 00:00, the zip epoch: reproducible archives (as `SOURCE_DATE_EPOCH` builds do).
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

let crcTable: Uint32Array | undefined;

// Node 20.15+ and Bun have zlib's own (native: ~20x faster on the 115 MB executable); older Node 20s
// take the table.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

export function crc32(data: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(data) >>> 0 : tableCrc32(data);
}

/** The same checksum from a table, byte by byte. */
export function tableCrc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

interface EntryFields {
  method: number;
  crc: number;
  compressed: number;
  size: number;
  nameLength: number;
}

/** From "version needed" to the name's length (extra field length 0 in the local header follows). */
function writeEntryFields(buf: Buffer, at: number, f: EntryFields): void {
  buf.writeUInt16LE(20, at); // version needed: 2.0
  buf.writeUInt16LE(0x0800, at + 2); // flags: names are UTF-8
  buf.writeUInt16LE(f.method, at + 4);
  buf.writeUInt16LE(DOS_TIME, at + 6);
  buf.writeUInt16LE(DOS_DATE, at + 8);
  buf.writeUInt32LE(f.crc, at + 10);
  buf.writeUInt32LE(f.compressed, at + 14);
  buf.writeUInt32LE(f.size, at + 18);
  buf.writeUInt16LE(f.nameLength, at + 22);
}

/** The whole archive in memory (a wheel of uv and the launcher is ~100 MB). */
export function writeZip(entries: readonly ZipInput[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  // The same bytes twice (the launcher as `uv` and as `uvx`) are compressed once.
  const packed = new Map<Buffer, Packed>();
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    let pack = entry.packed ?? packed.get(entry.data);
    if (entry.packed && entry.packed.crc !== crc32(entry.data)) throw new Error(`${entry.name}: its stored checksum does not match its bytes`);
    if (!pack) {
      const deflated = zlib.deflateRawSync(entry.data);
      pack = deflated.length < entry.data.length ? { method: 8, body: deflated, crc: crc32(entry.data) } : { method: 0, body: entry.data, crc: crc32(entry.data) };
      packed.set(entry.data, pack);
    }
    const { method, body, crc } = pack;
    if (entry.data.length >= LIMIT || offset >= LIMIT) throw new Error(`${entry.name}: the archive would need ZIP64`);
    // The local header and the central directory entry share this run of fields, two bytes apart.
    const fields = { method, crc, compressed: body.length, size: entry.data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields);
    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, so the external attributes carry a mode
    writeEntryFields(head, 6, fields);
    head.writeUInt32LE(((0o100000 | entry.mode) << 16) >>> 0, 38); // a regular file with its mode
    head.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(head, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  if (offset >= LIMIT || entries.length >= 0xffff) throw new Error('the archive would need ZIP64');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
