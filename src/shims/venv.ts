// What `safe shims install|uninstall --venv P` will do, decided before anything is written.
//
// Clients such as tox-uv, nox, hatch, pre-commit-uv and `python -m uv` never look at PATH first:
// they run the uv that the `uv` Python package put into their own environment (find_uv_bin()).
// So the shim has to take that file's place: P/bin/uv (P\Scripts\uv.exe) becomes a uvx-safe shim,
// and the real binary is kept beside it in KEPT_UV_DIR, where the launcher finds it when started
// as that shim (src/uv/find.ts). A small manifest records what was kept, with its checksum.
//
// Never losing a binary: the real file is first hard-linked (or copied) into KEPT_UV_DIR, then the
// shim is renamed over it; uninstall renames the kept file back over the shim. Every step is one
// atomic rename, so a run that dies midway leaves either the real uv or a shim with the real uv
// kept, and running install or uninstall again finishes the job.

import { isLauncher, KEPT_UV_DIR } from '../uv/find.js';
import { pathFor, type Platform } from '../platform/env.js';
import type { ShimHost } from './host.js';
import { SHIM_NAMES, shimFileName, type ShimName } from './names.js';
import { classify, ShimRefusal, type ShimSource } from './plan.js';

export const MANIFEST_FILE = 'manifest.json';

/** Same bytes: one file under two names (a hard link), or equal contents. */
function sameContent(a: string, b: string, host: ShimHost): boolean {
  return host.sameFile(a, b) || host.sameBytes(a, b);
}

/** The environment's scripts folder: bin/ on POSIX, Scripts\ on Windows. */
export function scriptsDir(venv: string, platform: Platform): string {
  return pathFor(platform).join(venv, platform === 'win32' ? 'Scripts' : 'bin');
}

/** Where the real `name` of the scripts folder `dir` is kept. */
export function keptFile(dir: string, name: ShimName, platform: Platform): string {
  return pathFor(platform).join(dir, KEPT_UV_DIR, shimFileName(name, platform));
}

export interface VenvInput {
  platform: Platform;
  /** --venv as given, and the folder it is relative to. */
  venv: string;
  cwd: string;
  /** Realpaths of the launcher's files, which count as our own. */
  self: readonly string[];
  /** Makes the names files are renamed aside to unique (the process id). */
  stamp: string;
}

/**
 * Windows: where the file at a shim's place is renamed before another takes its name. A running .exe
 * (the real uv, or a shim) cannot be overwritten or deleted, but it can be renamed.
 */
function asideName(file: string, input: VenvInput): string | undefined {
  if (input.platform !== 'win32') return undefined;
  const p = pathFor(input.platform);
  return p.join(p.dirname(file), KEPT_UV_DIR, `${p.basename(file)}.old-${input.stamp}`);
}

export interface VenvInstallStep {
  name: ShimName;
  /** bin/uv: becomes the shim. */
  file: string;
  /** bin/.uvx-safe-real/uv: holds the real uv. */
  kept: string;
  /**
   * link: keep the real file at `kept` (hard link, else copy); replace: the same, over an older kept
   * uv (the `uv` package was reinstalled over the shim); none: the real uv is kept already.
   */
  save: 'link' | 'replace' | 'none';
  /** write: (re)write the shim at `file`; keep: today's shim is there. */
  shim: 'write' | 'keep';
  /** Windows: where the file at `file` goes before the shim takes its name. */
  aside?: string;
  /** Said to the user, when something unusual was found. */
  note?: string;
}

export interface VenvInstallPlan {
  venv: string;
  dir: string;
  keptDir: string;
  manifest: string;
  steps: VenvInstallStep[];
}

/** What is at a shim's place: nothing, our shim, a real program (regular file), or something we refuse to touch. */
type Found = 'absent' | 'own' | 'real' | { refuse: string };

function inspect(file: string, host: ShimHost, self: readonly string[]): Found {
  const entry = host.entryKind(file);
  if (entry === 'absent') return 'absent';
  if (entry === 'directory') return { refuse: 'it is a folder' };
  if (entry === 'other') return { refuse: 'it is not a regular file' };
  if (entry === 'symlink') {
    const target = host.realpath(file);
    if (target !== undefined && isLauncher(file, host, self)) return 'own';
    return {
      refuse:
        target === undefined
          ? 'it is a broken symbolic link'
          : `it is a symbolic link to ${target}; run this on the environment that holds that file`,
    };
  }
  return isLauncher(file, host, self) ? 'own' : 'real';
}

/** Resolves --venv and its scripts folder, which must exist. */
export function resolveVenv(input: VenvInput, host: ShimHost): { venv: string; dir: string } {
  const p = pathFor(input.platform);
  const venv = p.resolve(input.cwd, input.venv);
  if (!host.isDirectory(venv)) throw new ShimRefusal(`--venv ${venv}: not a folder`, { hint: 'name the Python environment (the folder holding bin/ or Scripts\\)' });
  const dir = scriptsDir(venv, input.platform);
  if (!host.isDirectory(dir)) {
    const base = p.basename(venv).toLowerCase();
    const hint = base === 'bin' || base === 'scripts' ? `give the environment itself (${p.dirname(venv)})` : 'name a Python environment (made by `uv venv` or `python -m venv`)';
    throw new ShimRefusal(`--venv ${venv}: no ${p.basename(dir)} folder in it, so it is not a Python environment`, { hint });
  }
  return { venv, dir };
}

export function planVenvInstall(input: VenvInput, source: ShimSource, host: ShimHost): VenvInstallPlan {
  const p = pathFor(input.platform);
  const { venv, dir } = resolveVenv(input, host);
  const keptDir = p.join(dir, KEPT_UV_DIR);
  if (host.entryKind(keptDir) !== 'absent' && !host.isDirectory(keptDir))
    throw new ShimRefusal(`${keptDir} is in the way: it should be the folder holding the real uv (nothing was written)`, { hint: `move ${keptDir} away and run this again` });
  const steps: VenvInstallStep[] = [];
  for (const name of SHIM_NAMES) {
    const file = p.join(dir, shimFileName(name, input.platform));
    const kept = keptFile(dir, name, input.platform);
    const found = inspect(file, host, input.self);
    const keptKind = host.entryKind(kept);
    if (keptKind !== 'absent' && keptKind !== 'file')
      throw new ShimRefusal(`${kept} is not a regular file (nothing was written)`, { hint: `move ${kept} away and run this again` });
    const haveKept = keptKind === 'file';
    if (typeof found === 'object')
      throw new ShimRefusal(`refusing to replace ${file}: ${found.refuse} (nothing was written)`, { hint: 'move it away, or reinstall the uv package into the environment, and run this again' });
    if (found === 'real') {
      if (!haveKept) steps.push({ name, file, kept, save: 'link', shim: 'write' });
      else if (sameContent(file, kept, host))
        // A run that stopped between keeping the real file and writing the shim.
        steps.push({ name, file, kept, save: 'none', shim: 'write', note: `resumed: ${kept} already holds it` });
      else
        steps.push({
          name,
          file,
          kept,
          save: 'replace',
          shim: 'write',
          note: `${file} was replaced since the last install (the uv package reinstalled or upgraded): keeping the new one`,
        });
    } else if (found === 'own') {
      if (!haveKept && name === 'uv')
        throw new ShimRefusal(`${file} is already a uvx-safe shim but the real uv it replaced is missing from ${keptDir}`, {
          hint: `reinstall the uv package into ${venv} (e.g. \`${p.join(dir, 'python')} -m pip install --force-reinstall uv\`) and run this again`,
        });
      const existing = classify(file, source, host, input.self);
      const upToDate = existing.kind === 'own' && existing.upToDate;
      steps.push({ name, file, kept, save: 'none', shim: upToDate ? 'keep' : 'write' });
    } else if (haveKept) {
      steps.push({ name, file, kept, save: 'none', shim: 'write', note: `${file} was missing; the real one is kept in ${keptDir}` });
    } else if (name === 'uv') {
      throw new ShimRefusal(`${venv} has no ${p.basename(file)} in ${dir}`, {
        hint: 'install the uv package into it first, or use `safe shims install --dir` for a folder on PATH',
      });
    }
    // No uvx and none kept: nothing to wrap (the launcher needs only the real uv).
  }
  for (const step of steps) {
    const aside = step.shim === 'write' && host.entryKind(step.file) !== 'absent' ? asideName(step.file, input) : undefined;
    if (aside) step.aside = aside;
  }
  return { venv, dir, keptDir, manifest: p.join(keptDir, MANIFEST_FILE), steps };
}

export interface VenvUninstallStep {
  name: ShimName;
  file: string;
  kept: string;
  /**
   * restore: rename the kept real file over the shim; remove-shim: our shim with nothing kept (say so);
   * drop-kept: the real file is back already and `kept` is the same bytes (a leftover link);
   * leave-kept: the real file was replaced by another one: the kept one stays, with a note.
   */
  action: 'restore' | 'remove-shim' | 'drop-kept' | 'leave-kept';
  why?: string;
  /** Windows: where the shim goes before the real file takes its name back. */
  aside?: string;
}

export interface VenvUninstallPlan {
  venv: string;
  dir: string;
  keptDir: string;
  manifest: string;
  steps: VenvUninstallStep[];
}

export function planVenvUninstall(input: VenvInput, host: ShimHost): VenvUninstallPlan {
  const p = pathFor(input.platform);
  const { venv, dir } = resolveVenv(input, host);
  const keptDir = p.join(dir, KEPT_UV_DIR);
  const steps: VenvUninstallStep[] = [];
  for (const name of SHIM_NAMES) {
    const file = p.join(dir, shimFileName(name, input.platform));
    const kept = keptFile(dir, name, input.platform);
    const found = inspect(file, host, input.self);
    const haveKept = host.entryKind(kept) === 'file';
    if (found === 'own') {
      const aside = asideName(file, input);
      steps.push(
        haveKept
          ? { name, file, kept, action: 'restore', ...(aside ? { aside } : {}) }
          : { name, file, kept, action: 'remove-shim', why: `no real ${name} was kept in ${keptDir}` },
      );
    } else if (haveKept) {
      if (found === 'absent') steps.push({ name, file, kept, action: 'restore' });
      else if (found === 'real' && sameContent(file, kept, host)) steps.push({ name, file, kept, action: 'drop-kept' });
      else
        steps.push({
          name,
          file,
          kept,
          action: 'leave-kept',
          why:
            found === 'real'
              ? `${file} is another ${name} now (the uv package was reinstalled), so the one kept at ${kept} stays; delete it if you do not need it`
              : `${file} is in the way (${found.refuse}), so the real one stays at ${kept}`,
        });
    }
  }
  return { venv, dir, keptDir, manifest: p.join(keptDir, MANIFEST_FILE), steps };
}
