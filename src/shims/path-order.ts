// After an install: is D on PATH, and before every real uv/uvx? Only then do `uv` and `uvx` run
// uvx-safe. The rules follow the uv finder's (src/uv/find.ts): PATH entries in order, Windows'
// case-insensitive `Path` split on `;`, PATHEXT names, launcher copies never counting as the real uv.

import { candidateNames, isLauncher, pathEntries } from '../uv/find.js';
import { pathFor, type Platform } from '../platform/env.js';
import type { ShimHost } from './host.js';
import { SHIM_NAMES } from './names.js';

/** One spelling per folder: no trailing separator, and lower case on Windows. */
export function normalizeDir(dir: string, platform: Platform): string {
  const p = pathFor(platform);
  let out = p.normalize(dir);
  while (out.length > 1 && /[\\/]$/.test(out) && !(platform === 'win32' && /^[A-Za-z]:[\\/]$/.test(out)))
    out = out.slice(0, -1);
  return platform === 'win32' ? out.toLowerCase() : out;
}

function sameDir(a: string, b: string, platform: Platform, host: ShimHost): boolean {
  if (normalizeDir(a, platform) === normalizeDir(b, platform)) return true;
  const ra = host.realpath(a);
  const rb = host.realpath(b);
  return ra !== undefined && rb !== undefined && normalizeDir(ra, platform) === normalizeDir(rb, platform);
}

export interface PathCheck {
  /** Index of D among the PATH entries, -1 when absent. */
  index: number;
  /** Real uv/uvx files on PATH before D, which run instead of the shims. */
  shadowedBy: string[];
}

export function checkPathOrder(dir: string, host: ShimHost, self: readonly string[]): PathCheck {
  const { env, platform } = host;
  const entries = pathEntries(env, platform);
  const index = entries.findIndex((entry) => sameDir(entry, dir, platform, host));
  const shadowedBy: string[] = [];
  if (index < 0) return { index, shadowedBy };
  const p = pathFor(platform);
  for (const name of SHIM_NAMES) {
    // The first real file of this name before D, as a shell would find it.
    found: for (const entry of entries.slice(0, index)) {
      for (const { file } of candidateNames(name, env, platform)) {
        const candidate = p.join(entry, file);
        if (!host.isFile(candidate) || !host.isExecutable(candidate) || isLauncher(candidate, host, self)) continue;
        shadowedBy.push(candidate);
        break found;
      }
    }
  }
  return { index, shadowedBy };
}

/** The warning lines (one each) for a finished install; none when D is on PATH ahead of the real uv. */
export function pathWarnings(dir: string, host: ShimHost, self: readonly string[]): string[] {
  const check = checkPathOrder(dir, host, self);
  if (check.index < 0)
    return [`${dir} is not on PATH, so "uv" and "uvx" do not run the shims yet; add it to PATH before the real uv`];
  if (check.shadowedBy.length > 0)
    return [
      `${dir} comes after ${check.shadowedBy.join(' and ')} on PATH, so those run instead of the shims; ` +
        `put ${dir} earlier on PATH`,
    ];
  return [];
}
