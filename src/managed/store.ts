// The managed uv store: `{data-root}/uv/<version>/uv` (and uvx). On the hot path: one readdir
// and a stat per candidate, nothing else. Installing lives in the installer bundle (install.ts).

import fs = require('node:fs');
import { pathFor, type Platform } from '../platform/env.js';
import { compareVersions, satisfies } from '../uv/version.js';

export interface InstalledUv {
  version: string;
  /** The uv binary. */
  path: string;
}

export function storeDir(dataRoot: string, platform: Platform): string {
  return pathFor(platform).join(dataRoot, 'uv');
}

export function binaryName(program: 'uv' | 'uvx', platform: Platform): string {
  return platform === 'win32' ? `${program}.exe` : program;
}

/** Plain "X.Y.Z" folder names only: temp folders (`.tmp-...`) and the lock never look like one. */
export const VERSION_DIR = /^\d+\.\d+\.\d+$/;

/** Installed versions, newest first. A folder without its uv binary is not an installed uv. */
export function installedVersions(store: string, platform: Platform): InstalledUv[] {
  // No exception when nothing is installed yet: asking first is cheaper than throwing.
  if (!fs.statSync(store, { throwIfNoEntry: false })?.isDirectory()) return [];
  const p = pathFor(platform);
  const found: InstalledUv[] = [];
  for (const name of fs.readdirSync(store)) {
    if (!VERSION_DIR.test(name)) continue;
    const uv = p.join(store, name, binaryName('uv', platform));
    if (fs.statSync(uv, { throwIfNoEntry: false })?.isFile()) found.push({ version: name, path: uv });
  }
  return found.sort((a, b) => compareVersions(b.version, a.version));
}

/** The newest installed uv that satisfies `range` (any, when there is none). Throws for a malformed range. */
export function pickInstalled(installed: readonly InstalledUv[], range: string | undefined): InstalledUv | undefined {
  return installed.find((uv) => range === undefined || satisfies(uv.version, range));
}
