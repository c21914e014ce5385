// Only the uv and uvx binaries out of a uv wheel (`uv-X.Y.Z.data/scripts/uv`, `uvx`, `.exe` on
// Windows): the wheel's Python package and metadata are of no use to a launcher. The files are
// written executable.

import fs = require('node:fs');
import path = require('node:path');
import { UvSourceError } from '../errors.js';
import type { Platform } from '../platform/env.js';
import { binaryName } from './store.js';
import { readEntry, zipEntries } from './zip.js';

/** `uv-0.13.9.data/scripts/uv` -> "uv" (or "uvx"), for this platform's file names; else undefined. */
export function wantedEntry(entry: string, platform: Platform): 'uv' | 'uvx' | undefined {
  const match = /^[^/]+\.data\/scripts\/([^/]+)$/.exec(entry);
  if (!match) return undefined;
  for (const program of ['uv', 'uvx'] as const) if (match[1] === binaryName(program, platform)) return program;
  return undefined;
}

export function extractBinaries(wheel: string, dir: string, platform: Platform): void {
  const found = new Map<'uv' | 'uvx', Buffer>();
  try {
    const zip = fs.readFileSync(wheel);
    for (const entry of zipEntries(zip)) {
      const program = wantedEntry(entry.name, platform);
      if (program) found.set(program, readEntry(zip, entry));
    }
  } catch (err) {
    throw new UvSourceError(`${path.basename(wheel)} is not a readable wheel: ${(err as Error).message}`, { hint: 'replace the wheel on uv-source with the one PyPI publishes' });
  }
  if (!found.has('uv'))
    throw new UvSourceError(`${path.basename(wheel)} holds no ${binaryName('uv', platform)} under *.data/scripts/`, { hint: 'replace the wheel on uv-source with the one PyPI publishes' });
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const [program, data] of found) fs.writeFileSync(path.join(dir, binaryName(program, platform)), data, { mode: 0o755 });
}
