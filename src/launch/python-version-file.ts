// `.python-version` files that name an interpreter by path: uv runs that program (its own behaviour),
// so in enforce the path is judged like any program location (src/launch/python-requests.ts). Found as
// uv 0.13 finds them (crates/uv-python/src/version_files.rs, `PythonVersionFile::discover`): the
// nearest `.python-version` or `.python-versions` from the working folder up, else the global pin in
// the user's uv config folder (`find_global`: `user_uv_config_dir()`); none with `--no-config`. uv may
// stop the local search at the workspace root and fall back to the global pin, so both are read here.
// Lines as `try_from_path` reads them: those that are empty or `#` comments once trimmed are skipped,
// the others are parsed untrimmed (`PythonRequest::parse`, src/uv/python-request.ts).
// Stats only, and only when a policy checks locations.

import fs = require('node:fs');
import { pathFor, type Platform } from '../platform/env.js';
import { pythonRequestPath, type EntryKind } from '../uv/python-request.js';

export interface VersionFilePath {
  file: string;
  line: number;
  /** The request as written. */
  request: string;
  /** Absolute: relative to uv's working folder (uv expands no `~`). */
  path: string;
  kind: 'dir' | 'file';
  /** The user's global pin rather than a repository's file. */
  global: boolean;
}

const NAMES = ['.python-version', '.python-versions'];

function fileIn(dir: string, platform: Platform): string | undefined {
  const p = pathFor(platform);
  return NAMES.map((name) => p.join(dir, name)).find((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile());
}

function nearest(start: string, platform: Platform): string | undefined {
  const p = pathFor(platform);
  let dir = p.resolve(start);
  for (;;) {
    const found = fileIn(dir, platform);
    if (found) return found;
    const parent = p.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** What is at `relative` from `base`: the stat `PythonRequest::parse` makes (`is_dir`, then `is_file`). */
export function entryAt(base: string, platform: Platform): (relative: string) => EntryKind {
  return (relative) => {
    const stats = fs.statSync(pathFor(platform).resolve(base, relative), { throwIfNoEntry: false });
    return stats?.isDirectory() ? 'dir' : stats?.isFile() ? 'file' : undefined;
  };
}

function pathRequests(file: string, global: boolean, uvCwd: string, platform: Platform): VersionFilePath[] {
  const p = pathFor(platform);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: VersionFilePath[] = [];
  const entry = entryAt(uvCwd, platform);
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const found = pythonRequestPath(raw, platform, entry);
    if (found) out.push({ file, line: i + 1, request: raw, path: p.resolve(uvCwd, found.path), kind: found.kind, global });
  });
  return out;
}

/** Path requests in the version files uv may read: the nearest local one and the global pin. */
export function versionFilePaths(uvCwd: string, userUvConfigDir: string, platform: Platform): VersionFilePath[] {
  const local = nearest(uvCwd, platform);
  const global = fileIn(userUvConfigDir, platform);
  return [...(local ? pathRequests(local, false, uvCwd, platform) : []), ...(global && global !== local ? pathRequests(global, true, uvCwd, platform) : [])];
}
