// `.python-version` files that name an interpreter by path: uv runs that program (its own behaviour),
// so in enforce the path is judged like any program location. Found as uv 0.13 finds them
// (crates/uv-python/src/version_files.rs, `PythonVersionFile::discover`): the nearest
// `.python-version` or `.python-versions` from the working folder up, else the global pin in the user's
// uv config folder (`find_global`: `user_uv_config_dir()`); none with `--no-config`. uv may stop the
// local search at the workspace root and fall back to the global pin, so both are read here. Lines:
// trimmed, not empty, not `#` comments; a path request is one uvx-safe's isPathRequest calls a path.
// Stats only, and only when a policy checks locations.

import fs = require('node:fs');
import { pathFor, type Platform } from '../platform/env.js';
import { isPathRequest } from '../relocate/pip-target.js';

export interface VersionFilePath {
  file: string;
  line: number;
  /** The request as written. */
  request: string;
  /** Absolute: `~` expanded, relative to uv's working folder. */
  path: string;
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

function pathRequests(file: string, global: boolean, uvCwd: string, home: string, platform: Platform): VersionFilePath[] {
  const p = pathFor(platform);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: VersionFilePath[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const request = raw.trim();
    if (request === '' || request.startsWith('#') || !isPathRequest(request)) return;
    const expanded = request.startsWith('~') ? home + request.slice(1) : request;
    out.push({ file, line: i + 1, request, path: p.resolve(uvCwd, expanded), global });
  });
  return out;
}

/** Path requests in the version files uv may read: the nearest local one and the global pin. */
export function versionFilePaths(uvCwd: string, userUvConfigDir: string, home: string, platform: Platform): VersionFilePath[] {
  const local = nearest(uvCwd, platform);
  const global = fileIn(userUvConfigDir, platform);
  return [...(local ? pathRequests(local, false, uvCwd, home, platform) : []), ...(global && global !== local ? pathRequests(global, true, uvCwd, home, platform) : [])];
}

export interface InterpreterRequest {
  path: string;
  /** "/repo/.python-version:1" */
  origin: string;
  /** The repository folder the request may not point into (undefined: the global pin, or a safe directory). */
  repository?: string;
}

/**
 * What the plan judges of the interpreters uv is told to run by files: the path requests of the
 * version files (not read with --no-config/UV_NO_CONFIG, as uv), and where `uv python pin --global`
 * writes. `isSafe` says whether the admin trusts a repository folder (safe-directories).
 */
export function interpreterFileFacts(input: {
  command: string[];
  options: readonly string[];
  noConfig: boolean;
  uvCwd: string;
  userUvConfigDir: string;
  home: string;
  platform: Platform;
  isSafe: (dir: string) => boolean;
}): { interpreterRequests: InterpreterRequest[]; globalPin?: string } {
  const p = pathFor(input.platform);
  const pinGlobal = input.command.join(' ') === 'python pin' && input.options.includes('--global');
  const globalPin = pinGlobal ? p.join(input.userUvConfigDir, '.python-version') : undefined;
  if (input.noConfig) return { interpreterRequests: [], globalPin };
  const interpreterRequests = versionFilePaths(input.uvCwd, input.userUvConfigDir, input.home, input.platform).map((found) => {
    const dir = p.dirname(found.file);
    return { path: found.path, origin: `${found.file}:${found.line}`, repository: found.global || input.isSafe(dir) ? undefined : dir };
  });
  return { interpreterRequests, globalPin };
}
