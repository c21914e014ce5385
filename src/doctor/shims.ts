// The shims on PATH and in client environments: are they the launcher doctor runs as? After an
// upgrade of the launcher (a new executable, a new package) a hard link or copy made before keeps
// the old bytes until `safe shims install` runs again (issue 16). `findShims` is pure; the file
// system comes through `ShimHost`, and what the launcher would write now as `ShimSource`.

import { candidateNames, isLauncher, KEPT_UV_DIR, pathEntries } from '../uv/find.js';
import { pathFor } from '../platform/env.js';
import type { ShimHost } from '../shims/host.js';
import { classify, type ShimSource } from '../shims/plan.js';
import { SHIM_NAMES } from '../shims/names.js';
import { quoteArg } from './callers.js';
import type { Check, ShimFacts } from './types.js';

export interface ShimsInput {
  /** What `safe shims install` would write now; undefined where doctor cannot tell (npm form on Windows). */
  source: ShimSource | undefined;
  /** Realpaths of the launcher's own files. */
  self: readonly string[];
  /** Scripts folders of client environments known to hold a uvx-safe shim (from the callers check). */
  venvShims: readonly string[];
  /** How to run this launcher in the fix, e.g. "/opt/uvx-safe/uvx-safe" or "uvx-safe". */
  command: string;
}

/** Same form as the source: a script shim is compared with a script, an executable with an executable. */
function comparable(file: string, source: ShimSource, host: ShimHost): boolean {
  const isScript = (host.readHead(file) ?? '').startsWith('#!');
  return source.kind === 'script' ? isScript : !isScript;
}

export function findShims(host: ShimHost, input: ShimsInput): ShimFacts[] {
  const p = pathFor(host.platform);
  const key = (dir: string) => (host.platform === 'win32' ? dir.toLowerCase() : dir);
  const folders = new Map<string, { dir: string; installedWith: 'dir' | 'venv' }>();
  for (const dir of pathEntries(host.env, host.platform)) if (!folders.has(key(dir))) folders.set(key(dir), { dir, installedWith: 'dir' });
  for (const dir of input.venvShims) folders.set(key(dir), { dir, installedWith: 'venv' });
  const out: ShimFacts[] = [];
  const seen = new Set<string>();
  for (const { dir, installedWith: listed } of folders.values()) {
    const real = host.realpath(dir) ?? dir;
    if (seen.has(key(real))) continue;
    seen.add(key(real));
    const files: string[] = [];
    const stale: string[] = [];
    for (const name of SHIM_NAMES) {
      const file = candidateNames(name, host.env, host.platform)
        .map((c) => p.join(dir, c.file))
        .find((f) => host.isFile(f));
      if (!file || !isLauncher(file, host, input.self)) continue;
      files.push(file);
      if (!input.source || !comparable(file, input.source, host)) continue;
      const found = classify(file, input.source, host, input.self);
      if (found.kind === 'own' && !found.upToDate) stale.push(file);
    }
    if (files.length === 0) continue;
    const installedWith = listed === 'venv' || host.isDirectory(p.join(dir, KEPT_UV_DIR)) ? 'venv' : 'dir';
    const target = installedWith === 'venv' ? p.dirname(dir) : dir;
    const fix = stale.length ? `${input.command} safe shims install --${installedWith} ${quoteArg(target, host.platform)}` : null;
    out.push({ dir, installedWith, files, stale, fix });
  }
  return out;
}

export function shimChecks(shims: readonly ShimFacts[]): Check[] {
  return shims.map((s, i) => ({
    id: `shims.${i}`,
    label: 'shims',
    status: s.stale.length ? 'warn' : 'ok',
    message: s.stale.length
      ? `${s.stale.join(' and ')} ${s.stale.length > 1 ? 'differ' : 'differs'} from the running uvx-safe (a shim of an older launcher); fix: ${s.fix}`
      : `${s.files.join(' and ')} ${s.files.length > 1 ? 'are' : 'is'} the running uvx-safe`,
  }));
}
