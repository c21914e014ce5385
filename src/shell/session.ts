// What `safe env` gives a session besides the hooks: the plan's variables (the temp folder only when
// asked for, since it changes every program's temp), and PATH with the tool bin folder after the shims.
// Pure, apart from the FindHost that says which PATH entries hold a uvx-safe shim.

import type { RelocationPlan } from '../relocate/plan-types.js';
import { candidateNames, isLauncher, type FindHost } from '../uv/find.js';
import { pathFor, type Platform } from '../platform/env.js';

/** The names `--temp` sets, on every platform: Python's tempfile reads TMPDIR, TEMP and TMP in turn, Windows TMP and TEMP. */
export const SESSION_TEMP_VARIABLES = ['TMPDIR', 'TEMP', 'TMP'] as const;

/** The temp folder of the plan (when it moves temp), and the variables it set for it. */
function tempDecision(plan: RelocationPlan) {
  return plan.decisions.find((d) => d.name === 'temp' && d.variables.length > 0);
}

/** The plan's variables for a session: without the temp folder's unless `temp`, then with all three names. */
export function sessionVariables(plan: RelocationPlan, temp: boolean): Record<string, string> {
  const decision = tempDecision(plan);
  const out = { ...plan.env };
  for (const name of decision?.variables ?? []) delete out[name];
  if (temp && decision) for (const name of SESSION_TEMP_VARIABLES) out[name] = decision.path;
  return out;
}

/** The tool bin folder the plan sets (UV_TOOL_BIN_DIR), if it sets one. */
export function toolBinOf(plan: RelocationPlan): string | undefined {
  return plan.env.UV_TOOL_BIN_DIR;
}

function entryHoldsShim(entry: string, host: FindHost, self: readonly string[]): boolean {
  const p = pathFor(host.platform);
  return candidateNames('uv', host.env, host.platform).some(({ file, startable }) => {
    const candidate = p.join(entry, file);
    return startable && host.isFile(candidate) && isLauncher(candidate, host, self);
  });
}

function sameEntry(a: string, b: string, platform: Platform): boolean {
  const norm = (d: string) => {
    const n = pathFor(platform).normalize(d).replace(/[\\/]+$/, '');
    return platform === 'win32' ? n.toLowerCase() : n;
  };
  return norm(a) === norm(b);
}

/**
 * PATH with `toolBin` right after the last entry holding a uvx-safe shim (so a `uv` that `uv tool
 * install` put there never runs before the shims), or at the end when no shim is on PATH; undefined
 * when it is on PATH already. Every other entry is kept as it is.
 */
export function pathWithToolBin(pathValue: string, toolBin: string, host: FindHost, self: readonly string[]): string | undefined {
  const delimiter = host.platform === 'win32' ? ';' : ':';
  const entries = pathValue === '' ? [] : pathValue.split(delimiter);
  if (entries.some((entry) => entry !== '' && sameEntry(entry, toolBin, host.platform))) return undefined;
  let after = -1;
  entries.forEach((entry, i) => {
    if (entry !== '' && pathFor(host.platform).isAbsolute(entry) && entryHoldsShim(entry, host, self)) after = i;
  });
  const at = after < 0 ? entries.length : after + 1;
  return [...entries.slice(0, at), toolBin, ...entries.slice(at)].join(delimiter);
}
