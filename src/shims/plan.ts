// What `safe shims install|uninstall --dir D` will do, decided before anything is written:
// every existing file is classified first, so a refusal leaves D exactly as it was.

import { UvxSafeError } from '../errors.js';
import { isLauncher } from '../uv/find.js';
import { pathFor, type Platform } from '../platform/env.js';
import type { ShimHost } from './host.js';
import { SHIM_NAMES, shimFileName, type ShimName } from './names.js';

/** A shim command that must not go on: a file that is not ours, a bad --dir or --exe. Exit 2. */
export class ShimRefusal extends UvxSafeError {}

/** What a shim is made from. */
export type ShimSource =
  /** The npm form on POSIX: a small script, the same text under both names (./script.ts). */
  | { kind: 'script'; content: string }
  /** A standalone executable (the running one, or --exe), hard-linked into D, or copied where it cannot be. */
  | { kind: 'program'; file: string };

export type Existing =
  | { kind: 'absent' }
  /** A file or symlink the uv finder recognises as uvx-safe (marker or realpath). */
  | { kind: 'own'; upToDate: boolean }
  | { kind: 'foreign'; why: string };

function upToDate(file: string, source: ShimSource | undefined, host: ShimHost): boolean {
  if (source === undefined) return false;
  if (source.kind === 'script') return host.entryKind(file) === 'file' && host.readText(file) === source.content;
  // The same file (a hard link), or a copy with the same bytes.
  return host.entryKind(file) === 'file' && (host.sameFile(file, source.file) || host.sameBytes(file, source.file));
}

/** Is `file` absent, one of our shims, or something else (a real uv, a folder ...)? */
export function classify(file: string, source: ShimSource | undefined, host: ShimHost, self: readonly string[]): Existing {
  const entry = host.entryKind(file);
  if (entry === 'absent') return { kind: 'absent' };
  if (entry === 'directory') return { kind: 'foreign', why: 'it is a folder' };
  if (entry === 'other') return { kind: 'foreign', why: 'it is not a regular file' };
  if (entry === 'symlink' && host.realpath(file) === undefined)
    return { kind: 'foreign', why: 'it is a broken symbolic link, not a uvx-safe shim' };
  if (!isLauncher(file, host, self)) return { kind: 'foreign', why: 'it is not a uvx-safe shim (a real uv?)' };
  // Only a regular file with exactly today's content is left alone; a symlink or older shim is rewritten.
  return { kind: 'own', upToDate: upToDate(file, source, host) };
}

export interface InstallInput {
  platform: Platform;
  /** --dir as given, and the folder it is relative to. */
  dir: string;
  cwd: string;
  source: ShimSource;
  /** Realpaths of the launcher's files, which count as our own. */
  self: readonly string[];
  /** Makes the names old shims are renamed to unique (the process id). */
  stamp: string;
  /** The environment, for the user-profile warning on Windows. */
  env: Record<string, string | undefined>;
}

export interface InstallStep {
  name: ShimName;
  file: string;
  action: 'create' | 'replace' | 'keep';
  /**
   * Windows: where the old shim is renamed before the new one takes its name. A running .exe cannot
   * be overwritten or deleted, but it can be renamed; the renamed file is removed when it can be.
   */
  aside?: string;
}

export interface InstallPlan {
  dir: string;
  createDir: boolean;
  steps: InstallStep[];
  /** Old shims renamed aside by an earlier install or uninstall (ours): removed, if no longer running. */
  leftovers: string[];
  /** One line each, printed after the install. */
  warnings: string[];
}

/** Resolves --dir and checks it is (or can become) a folder. */
export function resolveDir(dir: string, cwd: string, platform: Platform, host: ShimHost): { dir: string; exists: boolean } {
  const p = pathFor(platform);
  const abs = p.resolve(cwd, dir);
  const entry = host.entryKind(abs);
  if (entry === 'absent') return { dir: abs, exists: false };
  if (!host.isDirectory(abs)) throw new ShimRefusal(`--dir ${abs}: not a folder`, { hint: 'name a folder (created if missing) for the uv and uvx shims' });
  return { dir: abs, exists: true };
}

/** `uv.exe.old-1234`: a shim renamed aside by the process with that stamp. */
export function asideName(file: string, stamp: string): string {
  return `${file}.old-${stamp}`;
}

const ASIDE = /^uvx?(\.exe)?\.old-[A-Za-z0-9-]+$/i;

function leftoversIn(dir: string, platform: Platform, host: ShimHost, self: readonly string[]): string[] {
  const p = pathFor(platform);
  return host
    .listDir(dir)
    .filter((name) => ASIDE.test(name))
    .map((name) => p.join(dir, name))
    .filter((file) => host.entryKind(file) === 'file' && isLauncher(file, host, self));
}

/**
 * Windows' AppLocker default rules allow programs under C:\Windows and C:\Program Files only: shims
 * under the user profile are blocked there (os error 1260). A warning, since not every machine is locked down.
 */
export function profileWarning(dir: string, env: Record<string, string | undefined>, platform: Platform): string | undefined {
  if (platform !== 'win32') return undefined;
  const profile = Object.entries(env).find(([k, v]) => k.toUpperCase() === 'USERPROFILE' && v)?.[1];
  if (!profile) return undefined;
  const rel = pathFor(platform).relative(profile.toLowerCase(), dir.toLowerCase());
  if (rel.startsWith('..') || pathFor(platform).isAbsolute(rel)) return undefined;
  return (
    `${dir} lies under the user profile (${profile}), where AppLocker's default rules block programs ` +
    '(os error 1260); on a locked-down machine install the shims into an allowed folder, e.g. C:\\Program Files\\uvx-safe'
  );
}

export function planInstall(input: InstallInput, host: ShimHost): InstallPlan {
  const { platform } = input;
  const p = pathFor(platform);
  if (platform === 'win32' && input.source.kind === 'script')
    throw new ShimRefusal('shims install: on Windows the shims are the standalone uvx-safe executable', { hint: 'name it with --exe PATH (uvx-safe-win-x64.exe)' });
  const { dir, exists } = resolveDir(input.dir, input.cwd, platform, host);
  const steps: InstallStep[] = [];
  for (const name of SHIM_NAMES) {
    const file = p.join(dir, shimFileName(name, platform));
    const existing = exists ? classify(file, input.source, host, input.self) : ({ kind: 'absent' } as const);
    if (existing.kind === 'foreign')
      throw new ShimRefusal(`refusing to overwrite ${file}: ${existing.why} (nothing was written)`, {
        hint: 'move it away or choose another --dir',
      });
    const action = existing.kind === 'absent' ? 'create' : existing.upToDate ? 'keep' : 'replace';
    steps.push(action === 'replace' && platform === 'win32' ? { name, file, action, aside: asideName(file, input.stamp) } : { name, file, action });
  }
  const warning = profileWarning(dir, input.env, platform);
  return {
    dir,
    createDir: !exists,
    steps,
    leftovers: exists ? leftoversIn(dir, platform, host, input.self) : [],
    warnings: warning ? [warning] : [],
  };
}

export interface UninstallStep {
  name: ShimName;
  file: string;
  action: 'remove' | 'absent' | 'leave';
  why?: string;
  /** Windows: where a running shim that cannot be deleted is renamed instead. */
  aside?: string;
}

/** Removes only files that are our shims; anything else under a shim's name is left, with a note. */
export function planUninstall(
  input: Omit<InstallInput, 'source' | 'env'>,
  host: ShimHost,
): { steps: UninstallStep[]; leftovers: string[] } {
  const p = pathFor(input.platform);
  const { dir, exists } = resolveDir(input.dir, input.cwd, input.platform, host);
  const steps = SHIM_NAMES.map((name): UninstallStep => {
    const file = p.join(dir, shimFileName(name, input.platform));
    const existing = exists ? classify(file, undefined, host, input.self) : ({ kind: 'absent' } as const);
    if (existing.kind === 'own')
      return input.platform === 'win32' ? { name, file, action: 'remove', aside: asideName(file, input.stamp) } : { name, file, action: 'remove' };
    if (existing.kind === 'absent') return { name, file, action: 'absent' };
    return { name, file, action: 'leave', why: existing.why };
  });
  return { steps, leftovers: exists ? leftoversIn(dir, input.platform, host, input.self) : [] };
}
