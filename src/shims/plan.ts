// What `safe shims install|uninstall --dir D` will do, decided before anything is written:
// every existing file is classified first, so a refusal leaves D exactly as it was.

import { UvxSafeError } from '../errors.js';
import { isLauncher } from '../uv/find.js';
import { pathFor, type Platform } from '../platform/env.js';
import type { ShimHost } from './host.js';
import { SHIM_NAMES, WINDOWS_SHIMS_DOC, shimFileName, type ShimName } from './names.js';

/** A shim command that must not go on: a file that is not ours, Windows, a bad --dir. Exit 2. */
export class ShimRefusal extends UvxSafeError {}

export type Existing =
  | { kind: 'absent' }
  /** A file or symlink the uv finder recognises as uvx-safe (marker or realpath). */
  | { kind: 'own'; upToDate: boolean }
  | { kind: 'foreign'; why: string };

/** Is `file` absent, one of our shims, or something else (a real uv, a folder ...)? */
export function classify(file: string, wanted: string | undefined, host: ShimHost, self: readonly string[]): Existing {
  const entry = host.entryKind(file);
  if (entry === 'absent') return { kind: 'absent' };
  if (entry === 'directory') return { kind: 'foreign', why: 'it is a folder' };
  if (entry === 'other') return { kind: 'foreign', why: 'it is not a regular file' };
  if (entry === 'symlink' && host.realpath(file) === undefined)
    return { kind: 'foreign', why: 'it is a broken symbolic link, not a uvx-safe shim' };
  if (!isLauncher(file, host, self)) return { kind: 'foreign', why: 'it is not a uvx-safe shim (a real uv?)' };
  // Only a regular file with exactly today's text is left alone; a symlink or older shim is rewritten.
  return { kind: 'own', upToDate: entry === 'file' && wanted !== undefined && host.readText(file) === wanted };
}

export interface InstallInput {
  platform: Platform;
  /** --dir as given, and the folder it is relative to. */
  dir: string;
  cwd: string;
  /** The shim's text (the same for every name). */
  content: string;
  /** Realpaths of the launcher's files, which count as our own. */
  self: readonly string[];
}

export interface InstallStep {
  name: ShimName;
  file: string;
  action: 'create' | 'replace' | 'keep';
}

export interface InstallPlan {
  dir: string;
  createDir: boolean;
  steps: InstallStep[];
}

/** Resolves --dir and checks it is (or can become) a folder. */
export function resolveDir(dir: string, cwd: string, platform: Platform, host: ShimHost): { dir: string; exists: boolean } {
  const p = pathFor(platform);
  const abs = p.resolve(cwd, dir);
  const entry = host.entryKind(abs);
  if (entry === 'absent') return { dir: abs, exists: false };
  if (!host.isDirectory(abs)) throw new ShimRefusal(`--dir ${abs}: not a folder`);
  return { dir: abs, exists: true };
}

export function planInstall(input: InstallInput, host: ShimHost): InstallPlan {
  if (input.platform === 'win32') {
    throw new ShimRefusal(
      `shims install: Windows needs uv.exe and uvx.exe shims, which are not built yet (.cmd shims mangle ` +
        `arguments and are not found by programs that look for uv.exe); see ${WINDOWS_SHIMS_DOC}, and until ` +
        'then run uvx-safe directly or use `uvx-safe safe env --shell powershell`',
    );
  }
  const p = pathFor(input.platform);
  const { dir, exists } = resolveDir(input.dir, input.cwd, input.platform, host);
  const steps: InstallStep[] = [];
  for (const name of SHIM_NAMES) {
    const file = p.join(dir, shimFileName(name, input.platform));
    const existing = exists ? classify(file, input.content, host, input.self) : ({ kind: 'absent' } as const);
    if (existing.kind === 'foreign')
      throw new ShimRefusal(
        `refusing to overwrite ${file}: ${existing.why}; move it away or choose another --dir (nothing was written)`,
      );
    steps.push({ name, file, action: existing.kind === 'absent' ? 'create' : existing.upToDate ? 'keep' : 'replace' });
  }
  return { dir, createDir: !exists, steps };
}

export interface UninstallStep {
  name: ShimName;
  file: string;
  action: 'remove' | 'absent' | 'leave';
  why?: string;
}

/** Removes only files that are our shims; anything else under a shim's name is left, with a note. */
export function planUninstall(input: Omit<InstallInput, 'content'>, host: ShimHost): UninstallStep[] {
  const p = pathFor(input.platform);
  const { dir, exists } = resolveDir(input.dir, input.cwd, input.platform, host);
  return SHIM_NAMES.map((name) => {
    const file = p.join(dir, shimFileName(name, input.platform));
    const existing = exists ? classify(file, undefined, host, input.self) : ({ kind: 'absent' } as const);
    if (existing.kind === 'own') return { name, file, action: 'remove' };
    if (existing.kind === 'absent') return { name, file, action: 'absent' };
    return { name, file, action: 'leave', why: existing.why };
  });
}
