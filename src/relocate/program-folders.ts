// The data root is not an install target (issue 15). uvx-safe itself runs programs from some folders:
// the managed uv (`{data-root}/uv`), uv's managed Pythons and their links (`python`, `python-bin`),
// tool environments and their links (`tool`, `tool-bin`), the cache (build environments) and its own
// state. A pip `--target`/`--prefix` (flag or uv setting), a `uv venv` path, the environment a pip
// write finds, the project environment or `--directory` that points into one of them would plant a
// "managed uv", Python or tool that later calls run, all inside allowed-roots. Pure.

import { pathFor, type Platform } from '../platform/env.js';
import { isInside } from './contain.js';
import type { LocationDecision } from './plan-types.js';

export interface ProgramFolder {
  path: string;
  /** "the managed uv folder {data-root}/uv", "locations.python" ... */
  what: string;
}

/** Decisions that name a place uv installs packages or an environment into. */
const INSTALL_TARGETS: ReadonlySet<LocationDecision['name']> = new Set(['target', 'prefix', 'venv', 'project-env']);
/** Locations whose folders hold programs uvx-safe or uv later run. */
const PROGRAM_LOCATIONS: ReadonlySet<LocationDecision['name']> = new Set(['python', 'python-bin', 'tool', 'tool-bin', 'cache']);

/** The folders programs are run from, as the plan placed them (canonical paths). */
export function programFolders(decisions: readonly LocationDecision[], dataRoot: string | undefined, canonical: (p: string) => string, platform: Platform): ProgramFolder[] {
  const p = pathFor(platform);
  const out: ProgramFolder[] = [];
  for (const d of decisions) if (PROGRAM_LOCATIONS.has(d.name)) out.push({ path: canonical(d.path), what: `the ${d.name} folder` });
  if (dataRoot) {
    out.push({ path: canonical(p.join(dataRoot, 'uv')), what: 'the managed uv folder' });
    out.push({ path: canonical(p.join(dataRoot, '.uvx-safe')), what: "uvx-safe's state folder" });
  }
  return out;
}

/**
 * One message per install target that lies in a program folder, or holds one (a `--target` of the
 * data root itself would write its `bin`); `directory`, when given, is judged one way only (a project
 * under the data root is not the data root's folders).
 */
export function installTargetsInProgramFolders(
  decisions: readonly LocationDecision[],
  folders: readonly ProgramFolder[],
  directory: { path: string; what: string } | undefined,
  canonical: (p: string) => string,
  platform: Platform,
): { message: string; hint: string }[] {
  const messages: { message: string; hint: string }[] = [];
  const hint = 'choose a folder outside the data root\'s uv, python, bin, tools and cache folders';
  for (const d of decisions) {
    if (!INSTALL_TARGETS.has(d.name)) continue;
    const target = canonical(d.path);
    const hit = folders.find((f) => isInside(target, f.path, platform) || isInside(f.path, target, platform));
    if (hit) messages.push({ message: `${d.name} ${d.path} (${d.origin}) points into ${hit.what} ${hit.path}, where uvx-safe runs programs from`, hint });
  }
  if (directory) {
    const dir = canonical(directory.path);
    const hit = folders.find((f) => isInside(dir, f.path, platform));
    if (hit) messages.push({ message: `${directory.what} points into ${hit.what} ${hit.path}, where uvx-safe runs programs from`, hint });
  }
  return messages;
}
