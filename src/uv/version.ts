// `uv-version`: the range the real uv must satisfy. Ranges accept both uv's (PEP 440) and npm's
// spellings: ">=0.13, <0.14", ">=0.13 <0.14", "~=0.13.2", "^0.13", "~0.13.2", "0.13.*", "==0.13.9",
// alternatives joined by "||". Pure, except `cachedUvVersion`, which asks uv once per binary.

import { execFileSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { UvVersionError } from '../errors.js';

type Version = [number, number, number];

function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)(?:\.(\d+|[x*]))?(?:\.(\d+|[x*]))?/.exec(text.trim());
  if (!match) return undefined;
  const num = (s?: string) => (s === undefined || s === 'x' || s === '*' ? 0 : Number(s));
  return [num(match[1]), num(match[2]), num(match[3])];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** Orders "X.Y.Z" texts (for sorting); texts that are not versions sort first. */
export function compareVersions(a: string, b: string): number {
  const [va, vb] = [parseVersion(a), parseVersion(b)];
  if (!va || !vb) return va ? 1 : vb ? -1 : 0;
  return compare(va, vb);
}

/** How many leading parts of a version text are given (wildcards count as not given). */
function givenParts(text: string): number {
  return text.replace(/^v/, '').split('.').filter((part) => /^\d+$/.test(part)).length;
}

function bump(version: Version, parts: number): Version {
  if (parts <= 1) return [version[0] + 1, 0, 0];
  if (parts === 2) return [version[0], version[1] + 1, 0];
  return [version[0], version[1], version[2] + 1];
}

function comparatorMatches(comparator: string, version: Version): boolean {
  const match = /^(>=|<=|==|!=|~=|>|<|=|\^|~)?\s*(.+)$/.exec(comparator);
  if (!match) throw new Error(`"${comparator}" is not a version comparator`);
  const op = match[1];
  const text = match[2]!;
  const target = parseVersion(text);
  if (!target) throw new Error(`"${text}" is not a version`);
  const parts = givenParts(text);
  const c = compare(version, target);
  switch (op) {
    case '>=': return c >= 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '<': return c < 0;
    case '!=': return !(c >= 0 && compare(version, bump(target, parts)) < 0);
    case '~=': return c >= 0 && compare(version, bump(target, Math.max(parts - 1, 1))) < 0;
    case '^': {
      const lead = target[0] > 0 ? 1 : target[1] > 0 || parts < 3 ? 2 : 3;
      return c >= 0 && compare(version, bump(target, Math.min(lead, parts))) < 0;
    }
    case '~': return c >= 0 && compare(version, bump(target, Math.min(parts, 2))) < 0;
    // "=", "==" or bare: a prefix match ("0.13", "0.13.*"); with three parts, below the next patch: exact.
    default:
      return c >= 0 && compare(version, bump(target, parts)) < 0;
  }
}

/** Throws a plain Error for a malformed range. */
export function satisfies(versionText: string, range: string): boolean {
  const version = parseVersion(versionText);
  if (!version) throw new Error(`"${versionText}" is not a version`);
  return range.split('||').some((alternative) => {
    const comparators = alternative
      .split(/,|\s+(?=[<>=!~^\d])/)
      .map((c) => c.trim())
      .filter(Boolean);
    if (comparators.length === 0) throw new Error('the range is empty');
    return comparators.every((comparator) => comparatorMatches(comparator, version));
  });
}

/** "uv 0.13.9 (x86_64-unknown-linux-gnu)" -> "0.13.9" */
export function parseUvVersionOutput(output: string): string | undefined {
  return /^uv\s+(\d+\.\d+\.\d+\S*)/m.exec(output)?.[1];
}

/**
 * The real uv's version, cached by binary path, size and mtime in the launcher's state folder,
 * so that the hot path spawns uv only once per uv binary. No state folder: nothing is cached.
 */
export function cachedUvVersion(uvPath: string, stateDir: string | undefined): string {
  const stat = fs.statSync(uvPath);
  const key = `${uvPath}|${stat.size}|${stat.mtimeMs}`;
  const cacheFile = stateDir === undefined ? undefined : path.join(stateDir, 'uv-versions.json');
  let cache: Record<string, string> = {};
  try {
    if (cacheFile === undefined) throw new Error('no state folder');
    cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Record<string, string>;
    if (typeof cache[key] === 'string') return cache[key];
  } catch {
    cache = {};
  }
  const output = execFileSync(uvPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const version = parseUvVersionOutput(output);
  if (!version) throw new UvVersionError(`cannot read the version of ${uvPath} from "${output.trim()}"`, { hint: 'point at the real uv with UVX_SAFE_UV=/path/to/uv or `uv-path` in the uvx-safe config' });
  if (cacheFile === undefined) return version;
  try {
    // The caller made the folder through the launcher's gate (src/launch/folders.ts).
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ ...cache, [key]: version }));
    fs.renameSync(tmp, cacheFile);
  } catch {
    // A cache that cannot be written only costs one more `uv --version` next time.
  }
  return version;
}

/** How a range is written; shared by every uv-version error. */
export const RANGE_HINT = 'write a PEP 440 range such as ">=0.13, <0.14" (docs/config-reference.md#uv-version)';

export function checkUvVersion(version: string, range: string, rangeOrigin: string, uvPath: string): void {
  let ok: boolean;
  try {
    ok = satisfies(version, range);
  } catch (err) {
    throw new UvVersionError(`${rangeOrigin}: uv-version "${range}" is not a valid range: ${(err as Error).message}`, { hint: RANGE_HINT });
  }
  if (!ok)
    throw new UvVersionError(`uv ${version} at ${uvPath} does not satisfy uv-version "${range}" (from ${rangeOrigin})`, {
      hint: 'install a uv in that range (or ask the admin for uv-source, which installs one), or point at one with UVX_SAFE_UV or `uv-path`',
    });
}
