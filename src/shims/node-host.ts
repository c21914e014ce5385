// The real file system behind `ShimHost`.

import fs = require('node:fs');
import { nodeFindHost } from '../uv/find-host.js';
import type { EnvMap } from '../platform/env.js';
import type { EntryKind, ShimHost } from './host.js';

/** Larger than any shim: a file this big is never read whole (it is a uv binary, not ours). */
const MAX_SHIM_BYTES = 64 * 1024;

const CHUNK = 1 << 20;

/** Compares two files chunk by chunk, stopping at the first difference (executables are ~110 MB). */
function sameBytes(a: string, b: string): boolean {
  let fa: number | undefined;
  let fb: number | undefined;
  try {
    fa = fs.openSync(a, 'r');
    fb = fs.openSync(b, 'r');
    const size = fs.fstatSync(fa).size;
    if (size !== fs.fstatSync(fb).size) return false;
    const ba = Buffer.alloc(CHUNK);
    const bb = Buffer.alloc(CHUNK);
    for (let at = 0; at < size; at += CHUNK) {
      const n = fs.readSync(fa, ba, 0, CHUNK, at);
      if (fs.readSync(fb, bb, 0, CHUNK, at) !== n || !ba.subarray(0, n).equals(bb.subarray(0, n))) return false;
      if (n === 0) break;
    }
    return true;
  } catch {
    return false;
  } finally {
    if (fa !== undefined) fs.closeSync(fa);
    if (fb !== undefined) fs.closeSync(fb);
  }
}

export function nodeShimHost(env: EnvMap, platform: NodeJS.Platform = process.platform): ShimHost {
  return {
    ...nodeFindHost(env, platform),
    entryKind(file): EntryKind {
      try {
        const st = fs.lstatSync(file);
        if (st.isSymbolicLink()) return 'symlink';
        if (st.isFile()) return 'file';
        if (st.isDirectory()) return 'directory';
        return 'other';
      } catch {
        return 'absent';
      }
    },
    isDirectory(file) {
      try {
        return fs.statSync(file).isDirectory();
      } catch {
        return false;
      }
    },
    listDir(dir) {
      try {
        return fs.readdirSync(dir);
      } catch {
        return [];
      }
    },
    sameFile(a, b) {
      try {
        const sa = fs.statSync(a, { bigint: true });
        const sb = fs.statSync(b, { bigint: true });
        // Windows without a file index reports inode 0: never "the same" then.
        return sa.ino !== 0n && sa.dev === sb.dev && sa.ino === sb.ino;
      } catch {
        return false;
      }
    },
    sameBytes(a, b) {
      return sameBytes(a, b);
    },
    readText(file) {
      try {
        if (fs.statSync(file).size > MAX_SHIM_BYTES) return undefined;
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
