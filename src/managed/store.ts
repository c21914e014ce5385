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

/**
 * The record `safe uv install` writes beside the binaries (before the version folder is renamed into
 * place): what it installed, their sizes and hashes at install time. A version folder without it, or
 * whose uv is no longer the size recorded, was not installed by uvx-safe (a planted or altered uv).
 */
export const INSTALL_RECORD = 'uvx-safe-install.json';

export interface InstallRecord {
  'uvx-safe-managed-uv': 1;
  version: string;
  source: string;
  files: Record<string, { size: number; sha256: string }>;
}

/** A version folder the finder passes over, and why. */
export interface IgnoredUv {
  version: string;
  dir: string;
  reason: string;
}

/** Why `dir` is not a uv that `safe uv install` installed, or undefined when it is (a read and a stat). */
function unrecorded(recordFile: string, version: string, uvFile: string, uvSize: number): string | undefined {
  let record: Partial<InstallRecord>;
  try {
    record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as Partial<InstallRecord>;
  } catch {
    return `no ${INSTALL_RECORD}`;
  }
  if (record['uvx-safe-managed-uv'] !== 1 || record.version !== version) return `${INSTALL_RECORD} is not a record of uv ${version}`;
  const size = record.files?.[uvFile]?.size;
  if (size !== uvSize) return `its ${uvFile} has ${uvSize} bytes, the install record says ${size ?? 'nothing'}`;
  return undefined;
}

/**
 * Installed versions, newest first, and the version folders passed over: one without its uv binary
 * is no installed uv at all; one without a matching install record is listed in `ignored`.
 */
export function readStore(store: string, platform: Platform): { installed: InstalledUv[]; ignored: IgnoredUv[] } {
  // No exception when nothing is installed yet: asking first is cheaper than throwing.
  if (!fs.statSync(store, { throwIfNoEntry: false })?.isDirectory()) return { installed: [], ignored: [] };
  const p = pathFor(platform);
  const installed: InstalledUv[] = [];
  const ignored: IgnoredUv[] = [];
  for (const name of fs.readdirSync(store)) {
    if (!VERSION_DIR.test(name)) continue;
    const dir = p.join(store, name);
    const uvFile = binaryName('uv', platform);
    const uv = p.join(dir, uvFile);
    const stat = fs.statSync(uv, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    const reason = unrecorded(p.join(dir, INSTALL_RECORD), name, uvFile, stat.size);
    if (reason) ignored.push({ version: name, dir, reason });
    else installed.push({ version: name, path: uv });
  }
  return { installed: installed.sort((a, b) => compareVersions(b.version, a.version)), ignored };
}

/** The installed versions (with their install record), newest first. */
export function installedVersions(store: string, platform: Platform): InstalledUv[] {
  return readStore(store, platform).installed;
}

/** The newest installed uv that satisfies `range` (any, when there is none). Throws for a malformed range. */
export function pickInstalled(installed: readonly InstalledUv[], range: string | undefined): InstalledUv | undefined {
  return installed.find((uv) => range === undefined || satisfies(uv.version, range));
}
