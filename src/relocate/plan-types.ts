// The relocation plan's data: what the pure planner takes and what it decides. Shared by plan.ts and
// plan-project-env.ts, so neither imports the other's types.

import type { PolicyRefusal } from '../errors.js';
import type { EffectiveConfig } from '../config/merge.js';
import type { LocationKey, Mode } from '../config/schema.js';
import type { HostInfo } from '../platform/dirs.js';
import type { LocationFlagKind, ParsedUvArgs } from '../uv/argv.js';
import type { ProgramRequest } from './program-location.js';

export type DecisionSource = 'flag' | 'env' | 'config' | 'data-root' | 'uv-default';

export interface LocationDecision {
  /** The location, or the flag kind for one-off paths such as `--target`. */
  name: LocationKey | 'python-cache' | 'pyx-credentials' | 'python-request' | 'python-pin' | LocationFlagKind;
  path: string;
  source: DecisionSource;
  /** The flag, variable, config file or "uv's default" that chose it. */
  origin: string;
  /** The variables uvx-safe sets for it (empty when it only checks). */
  variables: string[];
  /** Undefined when no allowed-roots are configured or checks are off. */
  inside?: boolean;
}

export interface RelocationPlan {
  mode: Mode;
  /** Variables to set for uv, on top of the inherited environment. */
  env: Record<string, string>;
  /** Folders to create before uv starts (none for `--help`/`--version`: uv uses no folder then). */
  mkdirs: string[];
  /** For each folder of `mkdirs`: what it is and who chose it, for error messages. */
  mkdirReasons: Record<string, string>;
  /**
   * The launcher's own state folder (the cached uv version): under data-root when one is set, else
   * the user cache folder; undefined when that lies outside allowed-roots in enforce (nothing cached).
   */
  stateDir?: string;
  decisions: LocationDecision[];
  /** Canonical allowed roots present on this machine (empty when none are configured, or none is present). */
  roots: string[];
  /** Roots marked optional that are absent here, as expanded: skipped (`safe doctor` warns). */
  skippedRoots: string[];
  /**
   * allowed-roots is set (present or not): locations are judged against `roots`, so with every root
   * absent nothing is inside (fail closed), never "nothing to check".
   */
  rootsConfigured: boolean;
  warnings: string[];
  /** The report's id of each of `warnings` (src/report/); a refusal carries its own. */
  warningRules: Record<string, string>;
  /** In enforce mode: every location outside the allowlist. */
  refusals: PolicyRefusal[];
  dataRoot?: string;
}

export interface PlanInput {
  config: EffectiveConfig;
  args: ParsedUvArgs;
  host: HostInfo;
  cwd: string;
  /** Realpath of the longest existing prefix (see contain.ts). */
  canonical: (p: string) => string;
  /**
   * The workspace roots uv may use (src/launch/workspace.ts), when needed: usually one; more when
   * uvx-safe cannot tell which (each is judged); empty when uv uses no project.
   */
  projectRoots?: string[];
  /** Where `uv venv` without a path creates `.venv` apart from the project's environment; default: the working folder's. */
  venvDefaults?: string[];
  /** "uv sync", "uv run" ...: the command creates or uses the project's environment (project-env.ts). */
  projectEnvUse?: string;
  /**
   * The environments `uv pip install|sync|uninstall` (or `--active`) may write to, as uv finds them
   * (src/launch/python-environments.ts): each is judged.
   */
  pipEnvironments?: { path: string; origin: string }[];
  /** `target`/`prefix` from uv's own config files (a repository's [tool.uv.pip]), for those pip commands. */
  pipSettings?: { kind: 'target' | 'prefix'; value: string; origin: string }[];
  /**
   * Programs uv is told to run by path (`--python`, `UV_PYTHON`, version files: src/launch/python-requests.ts),
   * judged by one predicate (program-location.ts): inside the roots, or a machine program.
   */
  programRequests?: ProgramRequest[];
  /** Why someone other than an administrator could change a canonical path (src/platform/admin-only-node.ts); default: unknown. */
  adminOnlyProblem?: (real: string) => string | undefined;
  /** Where `uv python pin --global` writes (the user's uv config folder), for that command. */
  globalPin?: string;
  /** Whether a folder exists; an allowed root that does not is an error. Default: assume it does. */
  isDirectory?: (p: string) => boolean;
}
