// The facts `safe doctor` gathers. These interfaces ARE the `--json` output (docs/doctor.md):
// field names are a public contract for fleet tools; add fields, never rename or remove them.

import type { LayerName } from '../config/layer.js';
import type { RuntimeFacts } from '../version.js';

export type Status = 'ok' | 'warn' | 'fail';

/** One line of the human output. */
export interface Check {
  /** Stable identifier: "policy.mode", "uv.version", "location.cache", "project.overlap", ... */
  id: string;
  /** The short name shown in the second column. */
  label: string;
  status: Status;
  message: string;
}

/** Where a value came from. */
export interface SourceFacts {
  /**
   * config: a config key (file or UVX_SAFE_* variable); data-root: derived from data-root;
   * env: an inherited uv variable (UV_CACHE_DIR ...); default: uv's own default folder (layer null)
   * or the launcher's built-in default (layer "default").
   */
  kind: 'config' | 'data-root' | 'env' | 'default';
  /** The config layer that set it (null for an inherited uv variable or uv's default). */
  layer: LayerName | 'default' | null;
  /** The config file, when a file set it. */
  file: string | null;
  /** The environment variable that set it (UV_CACHE_DIR, UVX_SAFE_DATA_ROOT, ...), when one did. */
  variable: string | null;
  /** True when the admin policy locks the key. */
  locked: boolean;
}

export interface LocationFacts {
  /** cache, temp, python, python-bin, tool, tool-bin, credentials, python-cache, pyx-credentials, project-env, or a flag's kind (venv, target, config-file ...) */
  name: string;
  path: string;
  source: SourceFacts;
  /** Null when no allowed-roots are configured or mode is off. */
  insideAllowedRoots: boolean | null;
  /** Whether the folder existed before doctor looked. */
  exists: boolean;
  /** Whether doctor created it, as the launcher would before running uv. */
  created: boolean;
  /** The folder the probe ran in: the location, or its nearest existing ancestor when it does not exist. */
  probedFolder: string | null;
  /** Null when not probed. */
  writable: boolean | null;
  /** Null when not probed (not writable, or no probe program on this host). */
  canRun: boolean | null;
  /** The errno code or exit status behind a failure ("EACCES", "EROFS", "exit 1"), else null. */
  error: string | null;
  status: Status;
  problems: string[];
}

export interface SettingFacts<T> {
  value: T;
  source: SourceFacts;
}

export interface PolicyFacts {
  mode: SettingFacts<string>;
  /** As configured (templates expanded), or null. */
  allowedRoots: SettingFacts<string[]> | null;
  /** Roots marked optional that are absent on this machine (skipped), as expanded. */
  skippedRoots: string[];
  dataRoot: SettingFacts<string> | null;
  /** Every layer, lowest first: admin, user, project, env, each found or not (schema 2). */
  layers: LayerFileFacts[];
  /** The admin's `locked` keys. */
  locked: string[];
  adminFile: string;
  userFile: string;
  /**
   * Variables that tried to replace or loosen the admin's file: UVX_SAFE_SYSTEM_CONFIG naming another
   * file while the admin's exists, a UVX_SAFE_* variable for a locked key, Windows' ProgramData moved
   * away from the admin's file; `undo` says what to do. The admin's values apply;
   * uv calls are refused in enforce (check policy.overridden).
   */
  overrides: { variable: string; adminFile: string; attempt: string; undo: string }[];
  warnings: string[];
  /** In enforce mode: what uv would be refused for. Any refusal means uv would not run. */
  refusals: string[];
}

/** One config layer as a fleet compares it: where it is, whether it exists, its bytes' hash. */
export interface LayerFileFacts {
  layer: LayerName;
  /** The file read or looked for (the project file found); null for env, and for project when none was found. */
  path: string | null;
  /** SHA-256 of the file's bytes, lower-case hex; null when it does not exist (or for env). */
  sha256: string | null;
  exists: boolean;
  /** env: the UVX_SAFE_* variables that set keys; null for the files. */
  variables: string[] | null;
  /** Schema 1's names, kept: `layer`, and `path` ("environment" for env, "" for no project file). */
  name: LayerName;
  source: string;
}

export interface UvFacts {
  path: string | null;
  /** wheel, uv-path, UVX_SAFE_UV, managed, beside-shim or PATH (find.ts), null when not found. */
  foundBy: string | null;
  origin: string | null;
  /** As `uv --version` reports it, e.g. "0.13.9". */
  version: string | null;
  /** The `uv-version` range, and the file or variable that set it. */
  required: string | null;
  requiredSource: SourceFacts | null;
  satisfies: boolean | null;
  error: string | null;
  status: Status;
}

export interface ProjectFacts {
  /** The nearest folder holding a pyproject.toml, from the working folder up. */
  root: string | null;
  /** Null when there is no project or no cache path to compare. */
  sameFilesystemAsCache: boolean | null;
  /** UV_LINK_MODE as uv would see it (inherited or from [env]). */
  linkMode: string | null;
}

export interface DoctorReport {
  /** Version of this JSON shape (docs/doctor.schema.json): 2 since the fleet fields (issue 18). */
  schemaVersion: 2;
  /** The same number, under its first name. */
  schema: 2;
  status: Status;
  /** 0 when nothing would fail, 1 otherwise. */
  exitCode: 0 | 1;
  /** os.hostname(). */
  host: string;
  /** The OS's logon name of this process (as `{user}` reads it), or null when it cannot be read. */
  user: string | null;
  /** When doctor ran: ISO 8601, UTC. */
  time: string;
  platform: string;
  cwd: string;
  /** Which uvx-safe ran doctor: version, runtime (node, and bun for the standalone form), form, path. */
  launcher: LauncherFacts;
  policy: PolicyFacts;
  uv: UvFacts;
  /** The managed uv (uv-source), or null when uv-source is not set. */
  managedUv?: ManagedUvFacts | null;
  locations: LocationFacts[];
  project: ProjectFacts;
  /** uv binaries that clients would start instead of the launcher (src/doctor/callers.ts). */
  callers: CallerUv[];
  /** Folders holding uvx-safe shims (on PATH, or client environments), and which are stale (src/doctor/shims.ts). */
  shims: ShimFacts[];
  /** Every check, in output order (the human output is these, one per line). */
  checks: Check[];
}

export interface ShimFacts {
  /** The folder holding the shims: a --dir on PATH, or a Python environment's scripts folder. */
  dir: string;
  /** `dir` for a --dir, the environment for a --venv shim. */
  installedWith: 'dir' | 'venv';
  /** The shim files found there. */
  files: string[];
  /** The ones whose bytes differ from the launcher's (what `safe shims install` would write now). */
  stale: string[];
  /** The command that brings them up to date, or null. */
  fix: string | null;
}

export interface LauncherFacts extends RuntimeFacts {
  version: string;
  /** The launcher as started (bin/uvx-safe, a shim, the executable). */
  path: string;
  /** The file whose bytes run: the standalone executable, or the npm package's dist/uvx-safe.cjs. */
  file: string;
  /** SHA-256 of `file`, lower-case hex (null when it cannot be read). */
  sha256: string | null;
}

export interface CallerUv {
  /** Who would start it, e.g. "tox's environment", "pipx venv nox", "python -m uv (/usr/bin/python3)". */
  caller: string;
  path: string;
  /** True when it is a uvx-safe shim. */
  throughUvxSafe: boolean;
  /** Something worth knowing: a reinstalled uv package, a shim without its real uv ... */
  note: string | null;
  /** The command that makes it go through uvx-safe, when it bypasses it. */
  fix: string | null;
}

export interface ManagedUvFacts {
  /** `uv-source` as configured, and the file that set it. */
  source: string;
  sourceOrigin: string;
  /** `{data-root}/uv`. */
  store: string;
  /** Installed versions, newest first. */
  installed: string[];
  /** The installed version the launcher runs; null when none fits or uv-path / UVX_SAFE_UV come first. */
  used: string | null;
  /** `uv-path` or `UVX_SAFE_UV` when one of them comes before the managed uv. */
  overriddenBy: string | null;
  /** The newest version on the index that uv-version allows and that has a wheel for this machine. */
  newestAllowed: string | null;
  /** True when newestAllowed is newer than the one in use (or nothing is installed yet). */
  newerAvailable: boolean | null;
  /** Why the index could not be asked, or the store could not be read. */
  error: string | null;
  status: Status;
}
