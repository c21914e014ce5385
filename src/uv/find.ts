// Finding the real uv (design.md, "Finding the real uv"): the governed wheel's own uv when started
// as that wheel's script, then configured `uv-path`, then UVX_SAFE_UV,
// then the managed uv (when `uv-source` is set), then the real uv kept beside the shim it was started as
// (`safe shims install --venv`), then PATH, skipping every candidate that is a copy of this launcher or a shim of it.
// The file-system questions come through `FindHost`, so the Windows rules are testable anywhere.

import { UvNotFoundError } from '../errors.js';
import { getEnv, pathFor, type EnvMap, type Platform } from '../platform/env.js';
import { exampleUvPath } from '../platform/os-words.js';

/**
 * Written into bin/uvx-safe and every shim script, so that any copy of uvx-safe is recognised; the
 * standalone Windows executable carries it in its DOS stub (scripts/build-exe.mjs).
 */
export const LAUNCHER_MARKER = 'uvx-safe-launcher';

/**
 * The standalone Linux executable's mark: the ELF header has no room for text, but bytes 9-15 of
 * e_ident are padding the kernel ignores, and scripts/build-exe.mjs writes these seven there.
 */
export const ELF_MARK = 'uvxsafe';
export const ELF_MARK_OFFSET = 9;

export interface FindHost {
  platform: Platform;
  env: EnvMap;
  /** True for an existing regular file (after symlinks). */
  isFile(file: string): boolean;
  /** True when the current user may execute it (always true on Windows). */
  isExecutable(file: string): boolean;
  realpath(file: string): string | undefined;
  /** The first bytes of a file as latin1 text, or undefined when unreadable. */
  readHead(file: string): string | undefined;
}

export type UvSource = 'wheel' | 'uv-path' | 'UVX_SAFE_UV' | 'managed' | 'beside-shim' | 'PATH';

/**
 * The real uv that the governed `uv` wheel (`safe wheel`, src/wheel/build.ts) installs beside its
 * launcher scripts, a plain file because installers allow no folder among a wheel's scripts. The
 * launcher started as that `uv`/`uvx` runs it before any other uv: the wheel is one unit, its
 * version the package's (which clients check).
 */
export function wheelRealUvName(platform: Platform): string {
  return platform === 'win32' ? '.uvx-safe-real-uv.exe' : '.uvx-safe-real-uv';
}

/**
 * The folder, beside a shim that `safe shims install --venv` put in place of an environment's
 * uv, where the real uv it replaced is kept (src/shims/venv.ts). Started as that shim, the
 * launcher runs this uv; a launcher shim found on PATH with one beside it stands for it too.
 */
export const KEPT_UV_DIR = '.uvx-safe-real';

export interface UvChoice {
  path: string;
  source: UvSource;
  /** Where the choice came from, for messages: a config file, a variable, a PATH entry. */
  origin: string;
  /** Candidates passed over on PATH, with why. */
  skipped: { path: string; reason: string }[];
  /** Known without asking uv: the managed uv's version is its folder's name. */
  version?: string;
}

/** The managed uv step: only present when `uv-source` is set (see src/managed/choose.ts). */
export interface ManagedStep {
  /** The installed uv the policy wants, or undefined when none is installed yet. */
  find(): { path: string; version: string; origin: string } | undefined;
  /** The error when none is installed (the launcher installs one on it). */
  missing(): Error;
}

export interface FindOptions {
  configured?: { value: string; origin: string };
  /** Realpaths of this launcher's own files (bin script, bundle). */
  self: readonly string[];
  managed?: ManagedStep;
  /** The file the launcher was started as when that was a `uv`/`uvx` shim (absolute). */
  shim?: string;
}

const howToPoint = (platform: Platform) =>
  `install uv, or point at it with UVX_SAFE_UV=${exampleUvPath(platform)} or \`uv-path\` in the uvx-safe config`;

/**
 * Ours: the launcher's own file (after symlinks), or any file whose first 256 bytes carry our mark
 * (every shim script, and every copy or hard link of every standalone build, of any version). The
 * head is read for every candidate anyway, so the rule costs nothing more on the hot path.
 */
export function isLauncher(file: string, host: FindHost, self: readonly string[]): boolean {
  const real = host.realpath(file);
  if (real !== undefined && self.some((s) => samePath(s, real, host.platform))) return true;
  const head = host.readHead(file);
  return head !== undefined && hasLauncherMark(head);
}

/** The mark test on a file's first bytes (latin1 text). */
export function hasLauncherMark(head: string): boolean {
  if (head.includes(LAUNCHER_MARKER)) return true;
  return head.startsWith('\x7fELF') && head.slice(ELF_MARK_OFFSET, ELF_MARK_OFFSET + ELF_MARK.length) === ELF_MARK;
}

function samePath(a: string, b: string, platform: Platform): boolean {
  return platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** PATH entries in order; empty entries (the current folder on POSIX) are never searched. */
export function pathEntries(env: EnvMap, platform: Platform): string[] {
  const value = getEnv(env, 'PATH', platform) ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  return value
    .split(delimiter)
    .map((entry) => (platform === 'win32' ? entry.replace(/^"(.*)"$/, '$1') : entry))
    .filter((entry) => pathFor(platform).isAbsolute(entry)); // '' (the current folder on POSIX) is not absolute
}

/** File names to try in one folder. Windows honours PATHEXT's order but only ever starts `.exe`. */
export function candidateNames(name: string, env: EnvMap, platform: Platform): { file: string; startable: boolean }[] {
  if (platform !== 'win32') return [{ file: name, startable: true }];
  const exts = (getEnv(env, 'PATHEXT', platform) ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
  if (!exts.some((ext) => ext.toLowerCase() === '.exe')) exts.push('.EXE');
  return exts.map((ext) => ({ file: name + ext.toLowerCase(), startable: ext.toLowerCase() === '.exe' }));
}

function checkExplicit(value: string, origin: string, source: UvSource, host: FindHost, self: readonly string[]): UvChoice {
  const p = pathFor(host.platform);
  if (!p.isAbsolute(value)) throw new UvNotFoundError(`${origin}: "${value}" must be an absolute path to the uv binary`, { hint: 'give the absolute path of the real uv' });
  if (host.platform === 'win32' && !value.toLowerCase().endsWith('.exe'))
    throw new UvNotFoundError(`${origin}: "${value}" is not a uv.exe; on Windows only an .exe is started`, { hint: 'name the real uv.exe' });
  if (!host.isFile(value)) throw new UvNotFoundError(`${origin}: "${value}" does not exist or is not a file`, { hint: 'name the real uv binary (`which -a uv` lists the ones on PATH)' });
  if (!host.isExecutable(value)) throw new UvNotFoundError(`${origin}: "${value}" is not executable`, { hint: 'name the real uv binary, or give it the execute bit' });
  if (isLauncher(value, host, self))
    throw new UvNotFoundError(`${origin}: "${value}" is uvx-safe itself, not the real uv`, { hint: 'name the real uv binary, not a shim' });
  return { path: value, source, origin, skipped: [] };
}

/**
 * The real uv kept in KEPT_UV_DIR beside the launcher file `shim`, if there is a runnable one.
 * Never a launcher: a shim copied there by mistake would loop.
 */
export function keptUv(shim: string, host: FindHost, self: readonly string[]): string | undefined {
  const p = pathFor(host.platform);
  const kept = p.join(p.dirname(shim), KEPT_UV_DIR, host.platform === 'win32' ? 'uv.exe' : 'uv');
  if (!host.isFile(kept) || !host.isExecutable(kept) || isLauncher(kept, host, self)) return undefined;
  return kept;
}

/** The real uv of the governed wheel beside the launcher file `shim`, if there is a runnable one (never a launcher). */
export function wheelUv(shim: string, host: FindHost, self: readonly string[]): string | undefined {
  const p = pathFor(host.platform);
  const real = p.join(p.dirname(shim), wheelRealUvName(host.platform));
  if (!host.isFile(real) || !host.isExecutable(real) || isLauncher(real, host, self)) return undefined;
  return real;
}

export function findUv(options: FindOptions, host: FindHost): UvChoice {
  if (options.shim) {
    // Started as the `uv`/`uvx` script of the governed wheel: the real uv it carries.
    const real = wheelUv(options.shim, host, options.self);
    if (real) return { path: real, source: 'wheel', origin: `the governed uv wheel's own uv, beside ${options.shim}`, skipped: [] };
  }
  if (options.configured) {
    return checkExplicit(options.configured.value, options.configured.origin, 'uv-path', host, options.self);
  }
  const fromEnv = getEnv(host.env, 'UVX_SAFE_UV', host.platform);
  if (fromEnv) return checkExplicit(fromEnv, 'UVX_SAFE_UV', 'UVX_SAFE_UV', host, options.self);
  if (options.managed) {
    const found = options.managed.find();
    if (!found) throw options.managed.missing();
    return { path: found.path, source: 'managed', origin: found.origin, skipped: [], version: found.version };
  }
  if (options.shim) {
    // A client ran an environment's own uv (find_uv_bin(), `python -m uv`): start the uv it replaced.
    const kept = keptUv(options.shim, host, options.self);
    if (kept) return { path: kept, source: 'beside-shim', origin: `kept beside the shim ${options.shim}`, skipped: [] };
  }

  const p = pathFor(host.platform);
  const skipped: UvChoice['skipped'] = [];
  for (const dir of pathEntries(host.env, host.platform)) {
    for (const { file, startable } of candidateNames('uv', host.env, host.platform)) {
      const candidate = p.join(dir, file);
      if (!host.isFile(candidate)) continue;
      if (!startable) skipped.push({ path: candidate, reason: 'only uv.exe is started on Windows' });
      else if (isLauncher(candidate, host, options.self)) {
        const kept = keptUv(candidate, host, options.self);
        if (kept) return { path: kept, source: 'PATH', origin: `PATH entry ${dir} (kept beside its shim)`, skipped };
        const carried = wheelUv(candidate, host, options.self);
        if (carried) return { path: carried, source: 'PATH', origin: `PATH entry ${dir} (the governed uv wheel's own uv)`, skipped };
        skipped.push({ path: candidate, reason: 'uvx-safe itself' });
      }
      else if (!host.isExecutable(candidate)) skipped.push({ path: candidate, reason: 'not executable' });
      else return { path: candidate, source: 'PATH', origin: `PATH entry ${dir}`, skipped };
    }
  }
  const passed = skipped.length
    ? ` (passed over: ${skipped.map((s) => `${s.path}, ${s.reason}`).join('; ')})`
    : '';
  throw new UvNotFoundError(`the real uv was not found on PATH${passed}`, { hint: howToPoint(host.platform) });
}
