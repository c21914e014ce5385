// Typed errors of the launcher. Each one carries the file, key, flag or variable at fault
// and becomes a single `uvx-safe: ...` line on stderr with exit status 2 (design.md, "Exit status").

import { error } from './log.js';

export const LAUNCHER_REFUSAL_STATUS = 2;

export class UvxSafeError extends Error {
  readonly exitCode: number = LAUNCHER_REFUSAL_STATUS;
  /** Extra lines shown only with UVX_SAFE_DEBUG=1. */
  readonly details: string[];
  constructor(message: string, details: string[] = []) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/**
 * Prints any error as the launcher's one line on stderr (its details and stack only with
 * UVX_SAFE_DEBUG) and returns the exit status. Shared by the launcher and the `safe` commands,
 * which live in a bundle of their own and so have their own copies of these classes.
 */
export function reportError(err: unknown, debug: boolean): number {
  if (isUvxSafeError(err)) {
    error(err.message);
    if (debug) for (const line of err.details) error(line);
    return err.exitCode;
  }
  error(`internal error: ${(err as Error)?.message ?? String(err)}`);
  if (debug) error((err as Error)?.stack ?? '');
  return LAUNCHER_REFUSAL_STATUS;
}

/**
 * True for an error of this module, from this bundle or another one (the installer and the `safe`
 * commands are bundles of their own, with their own copies of these classes).
 */
export function isUvxSafeError(err: unknown): err is UvxSafeError {
  if (err instanceof UvxSafeError) return true;
  const e = err as Partial<UvxSafeError> | undefined;
  return err instanceof Error && typeof e?.exitCode === 'number' && Array.isArray(e.details);
}

/** A config file that cannot be read, parsed or validated. */
export class ConfigError extends UvxSafeError {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly key?: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${key ? `${key}: ` : ''}${problem}`);
  }
}

/** A location (flag, variable or config key) lies outside allowed-roots in enforce mode. */
export class PolicyRefusal extends UvxSafeError {}

/** The real uv could not be found or started. */
export class UvNotFoundError extends UvxSafeError {}

/** The launcher was started by itself: a shim or wrapper loops back. */
export class RecursionError extends UvxSafeError {}

/** The real uv's version is outside `uv-version`. */
export class UvVersionError extends UvxSafeError {}

/**
 * A folder uvx-safe must create or use cannot be: mkdir failed (read-only, a file in the way), or
 * it is not a folder. Names the key and the file or variable that chose it.
 */
export class FolderError extends UvxSafeError {}

/** Bad arguments to the launcher's own `safe` commands. */
export class UsageError extends UvxSafeError {}

/** `uv-source` is set and no installed uv satisfies `uv-version`: the launcher installs one. */
export class ManagedUvMissing extends UvNotFoundError {}

/** The managed uv cannot be installed: index unreachable, no wheel, a hash missing or wrong. */
export class UvSourceError extends UvxSafeError {}
