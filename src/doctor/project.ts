// The project doctor compares against: the nearest folder holding a pyproject.toml (as uv finds it),
// and whether it shares a filesystem with the cache (device numbers of the nearest existing folders).

import fs = require('node:fs');
import { nearestExisting, nodeFolderHost } from './locations.js';

export { findProjectRoot } from '../launch/prepare.js';

/** Null when either folder (or every ancestor) cannot be examined. */
export function sameFilesystem(a: string, b: string): boolean | null {
  const device = (dir: string) => {
    const existing = nearestExisting(dir, process.platform, nodeFolderHost);
    if (!existing) return undefined;
    try {
      return fs.statSync(existing).dev;
    } catch {
      return undefined;
    }
  };
  const da = device(a);
  const db = device(b);
  return da === undefined || db === undefined ? null : da === db;
}
