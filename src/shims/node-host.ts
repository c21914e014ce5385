// The real file system behind `ShimHost`.

import fs = require('node:fs');
import { nodeFindHost } from '../uv/find-host.js';
import type { EnvMap } from '../platform/env.js';
import type { EntryKind, ShimHost } from './host.js';

/** Larger than any shim: a file this big is never read whole (it is a uv binary, not ours). */
const MAX_SHIM_BYTES = 64 * 1024;

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
