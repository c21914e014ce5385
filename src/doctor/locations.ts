// Each location of the plan: does it exist (or can it be created the way the launcher would),
// is it writable, and can programs run there (src/platform/probe.ts).
//
// A location that does not exist yet: the folders the launcher itself creates before starting uv
// (plan.mkdirs) are created here too, unless the policy refuses (then the launcher would create
// nothing). Any other missing location (uv's defaults, inherited variables) is left for uv to create,
// and the probe runs in its nearest existing ancestor: the mount or path rule uv will meet there.

import fs = require('node:fs');
import type { EffectiveConfig } from '../config/merge.js';
import { mayWrite } from '../launch/folders.js';
import type { Mode } from '../config/schema.js';
import { pathFor, type Platform } from '../platform/env.js';
import type { LocationDecision, RelocationPlan } from '../relocate/plan.js';
import { probeFolder, type ProbeHost, type ProbeResult } from '../platform/probe.js';
import { decisionSource } from './source.js';
import type { LocationFacts, Status } from './types.js';

/** Locations uv never starts programs from: a failed execution probe there is only a warning. */
const NOTHING_RUNS_FROM = new Set(['python-cache', 'config-file', 'credentials', 'pyx-credentials']);

export interface FolderHost {
  isDirectory(dir: string): boolean;
  /** mkdir -p with mode 0700, as createFolders does; throws the errno error. */
  mkdir(dir: string): void;
}

export const nodeFolderHost: FolderHost = {
  isDirectory(dir) {
    try {
      return fs.statSync(dir).isDirectory();
    } catch {
      return false;
    }
  },
  mkdir(dir) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  },
};

export function nearestExisting(dir: string, platform: Platform, host: FolderHost): string | undefined {
  const p = pathFor(platform);
  let current = p.resolve(dir);
  for (;;) {
    if (host.isDirectory(current)) return current;
    const parent = p.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Creates the plan's folders like the launcher would; returns the ones created and the failures.
 * Nothing outside allowed-roots in enforce (the launcher's gate, src/launch/folders.ts).
 */
export function createPlanFolders(plan: RelocationPlan, host: FolderHost): { created: Set<string>; failed: Map<string, string> } {
  const created = new Set<string>();
  const failed = new Map<string, string>();
  if (plan.refusals.length > 0) return { created, failed };
  for (const dir of plan.mkdirs) {
    if (host.isDirectory(dir)) continue;
    if (!mayWrite(plan, dir)) {
      failed.set(dir, 'outside allowed-roots, not created');
      continue;
    }
    try {
      host.mkdir(dir);
      created.add(dir);
    } catch (err) {
      failed.set(dir, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
    }
  }
  return { created, failed };
}

export interface LocationInput {
  decision: LocationDecision;
  mode: Mode;
  platform: Platform;
  /** Whether the folder existed before doctor created anything. */
  existed: boolean;
  created: boolean;
  /** Why creating it failed (errno code). */
  createError?: string;
  /** The probe's result, or undefined when there was no existing folder to probe. */
  probe?: ProbeResult;
  /** What is wrong with the owner or mode of a folder uvx-safe made (folderHygiene). */
  hygiene?: string;
}

/**
 * A folder uvx-safe makes must be the user's own and writable by nobody else: otherwise another user
 * can put the programs there that uv will run. POSIX only (Windows has ACLs, not modes).
 */
export function folderHygiene(dir: string): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (stat.uid !== uid) return `owned by another user (uid ${stat.uid}); refused in enforce mode`;
  if (stat.mode & 0o022) return `writable by group or others (mode ${(stat.mode & 0o777).toString(8)}): chmod go-w ${dir}`;
  return undefined;
}

/** The verdict on one location. Pure. */
export function judgeLocation(input: LocationInput, config: EffectiveConfig): LocationFacts {
  const { decision, mode, probe } = input;
  const problems: string[] = [];
  let status: Status = 'ok';
  const raise = (level: Status, message: string) => {
    problems.push(message);
    if (level === 'fail' || status === 'ok') status = level;
  };
  if (decision.inside === false && decision.name === 'project-env' && decision.source === 'uv-default')
    raise(
      mode === 'enforce' ? 'fail' : 'warn',
      `outside allowed-roots: sync, run, add, remove would be ${mode === 'enforce' ? 'refused' : 'warned about'}; ` +
        'move the project under an allowed root, or set locations.project-env',
    );
  else if (decision.inside === false)
    raise(mode === 'enforce' ? 'fail' : 'warn', `outside allowed-roots${mode === 'enforce' ? ' (refused in enforce mode)' : ''}`);
  if (input.createError) raise('fail', `cannot be created (${input.createError})`);
  if (input.hygiene) raise('fail', input.hygiene);
  if (!probe) {
    if (!input.createError) raise('fail', 'no existing folder to probe');
  } else if (probe.writable === null) {
    raise('warn', `not probed: ${probe.error}`);
  } else if (!probe.writable) {
    raise('fail', `not writable (${probe.error})`);
  } else if (probe.canRun === false) {
    const why = `cannot run programs here (${probe.error}${probe.blockedBy ? `: ${probe.blockedBy}` : ''})`;
    raise(NOTHING_RUNS_FROM.has(decision.name) ? 'warn' : 'fail', NOTHING_RUNS_FROM.has(decision.name) ? `${why}; uv runs nothing from it` : why);
  }
  if (probe?.leftBehind) raise('fail', `the probe file ${probe.leftBehind} could not be removed`);
  return {
    name: decision.name,
    path: decision.path,
    source: decisionSource(decision, config),
    insideAllowedRoots: decision.inside ?? null,
    exists: input.existed,
    created: input.created,
    probedFolder: probe?.folder ?? null,
    writable: probe?.writable ?? null,
    canRun: probe?.canRun ?? null,
    error: probe?.error ?? input.createError ?? null,
    status,
    problems,
  };
}

/** Inspects every location of the plan on the real file system. */
export function inspectLocations(
  plan: RelocationPlan,
  config: EffectiveConfig,
  platform: Platform,
  probeHost: ProbeHost,
  folders: FolderHost = nodeFolderHost,
): LocationFacts[] {
  const existedBefore = new Map(plan.decisions.map((d) => [d.path, folders.isDirectory(d.path)]));
  const { created, failed } = createPlanFolders(plan, folders);
  return plan.decisions.map((decision) => {
    const existed = existedBefore.get(decision.path) ?? false;
    const createError = failed.get(decision.path);
    const folder = nearestExisting(decision.path, platform, folders);
    // The probe writes a file: never outside allowed-roots in enforce (the location is FAIL there anyway).
    const probe =
      folder === undefined
        ? undefined
        : mayWrite(plan, folder)
          ? probeFolder(folder, probeHost)
          : { folder, writable: null, canRun: null, error: 'outside allowed-roots (mode = enforce)' };
    // Only the folders uvx-safe makes are held to its hygiene rule; uv's own defaults are uv's business.
    const hygiene = plan.mkdirs.includes(decision.path) ? folderHygiene(decision.path) : undefined;
    return judgeLocation(
      { decision, mode: plan.mode, platform, existed, created: created.has(decision.path), createError, probe, hygiene },
      config,
    );
  });
}
