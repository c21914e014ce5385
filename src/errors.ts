// Typed errors of the launcher. Each one names the file, key, flag or variable at fault and says what
// to do instead (its hint); it becomes `error: uvx-safe: ...` and `hint: ...` on stderr with exit
// status 2 (design.md, "Messages" and "Exit status").

import { error } from './log.js';

export const LAUNCHER_REFUSAL_STATUS = 2;

export interface ErrorFacts {
  /** What to do instead: the folder to use, the key to set, the doc section. Every refusal has one. */
  hint: string;
  /** Lower-level reasons (uv's `Caused by:` lines). */
  causes?: string[];
  /** Extra lines shown only with UVX_SAFE_DEBUG=1. */
  details?: string[];
  /** A stable id of what fired, for the admin's report; by default one from the error's class and key (ruleOf). */
  rule?: string;
}

export class UvxSafeError extends Error {
  readonly exitCode: number = LAUNCHER_REFUSAL_STATUS;
  readonly hint: string | undefined;
  readonly causes: string[];
  readonly details: string[];
  readonly rule: string | undefined;
  /** What kind of error, for the report's rule: spelled out, since the bundle's class names are minified. */
  readonly kind: string = 'error';
  constructor(message: string, facts: ErrorFacts) {
    super(message);
    this.name = new.target.name;
    this.hint = facts.hint || undefined;
    this.causes = facts.causes ?? [];
    this.details = facts.details ?? [];
    this.rule = facts.rule;
  }
}

/** The report's id of an error: its own rule, else `config:KEY` for a config error, else its kind. */
export function ruleOf(err: UvxSafeError): string {
  if (err.rule) return err.rule;
  const key = (err as Partial<ConfigError>).key;
  if (err.kind === 'config' && key) return `config:${key.replace(/^tool\.uvx-safe\./, '')}`;
  return err.kind ?? 'error';
}

/**
 * Prints any error in the launcher's voice (its details and stack only with UVX_SAFE_DEBUG) and
 * returns the exit status. Shared by the launcher and the `safe` commands, which live in a bundle of
 * their own and so have their own copies of these classes.
 */
export function reportError(err: unknown, debug: boolean): number {
  if (isUvxSafeError(err)) {
    const causes = [...(err.causes ?? []), ...(debug ? err.details : [])];
    error(err.message, { hint: err.hint, causes, rule: ruleOf(err) });
    return err.exitCode;
  }
  error(`internal error: ${(err as Error)?.message ?? String(err)}`, {
    causes: debug ? [(err as Error)?.stack ?? ''] : [],
    hint: 'this is a bug in uvx-safe: please report it with the output of UVX_SAFE_DEBUG=1',
    rule: 'internal-error',
  });
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

/** Where in a config file a problem is, and what the value there was. */
export interface ConfigPlace {
  /** The dotted key, e.g. `locked.0`, `tool.uvx-safe.data-root`. */
  key?: string;
  line?: number;
  column?: number;
  /** The value at fault, shown in the message (as TOML would spell it). */
  value?: unknown;
  /** Overrides the default hint (the key's section of docs/config-reference.md). */
  hint?: string;
}

/** The section of docs/config-reference.md for a key (GitHub's heading anchors). */
export function referenceHint(key: string | undefined): string {
  const top = key?.replace(/^tool\.uvx-safe\./, '').split('.')[0];
  if (!top) return 'every key is described in docs/config-reference.md; `uvx-safe safe config show` lists the layers read';
  if (top === 'locations') {
    const loc = key!.replace(/^tool\.uvx-safe\./, '').split('.')[1];
    return `see docs/config-reference.md#locations${loc && !/^\d+$/.test(loc) ? loc.replace(/[^a-z0-9-]/g, '') : ''}`;
  }
  return `see docs/config-reference.md#${top.replace(/[^a-z0-9-]/g, '')}`;
}

/** A value as the message shows it: strings quoted, tables and arrays as JSON. */
export function showValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A config file (or variable) that cannot be read, parsed or validated: `file:line:col: key: message`. */
export class ConfigError extends UvxSafeError {
  override readonly kind: string = 'config';
  readonly key: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly place: ConfigPlace = {},
  ) {
    const { key, line, column } = place;
    const at = line ? `:${line}${column ? `:${column}` : ''}` : '';
    const shown = 'value' in place && place.value !== '' && place.value !== undefined;
    const said = shown && (problem.includes(showValue(place.value)) || problem.includes(String(place.value)));
    const value = shown && !said ? ` (got ${showValue(place.value)})` : '';
    super(`${file}${at}: ${key ? `${key}: ` : ''}${problem}${value}`, { hint: place.hint ?? referenceHint(key) });
    this.key = key;
    this.line = line;
    this.column = column;
  }
}

/** A location (flag, variable or config key) lies outside allowed-roots in enforce mode. */
export class PolicyRefusal extends UvxSafeError {
  override readonly kind: string = 'policy-refusal';
}

/** The real uv could not be found or started. */
export class UvNotFoundError extends UvxSafeError {
  override readonly kind: string = 'uv-not-found';
}

/** The launcher was started by itself: a shim or wrapper loops back. */
export class RecursionError extends UvxSafeError {
  override readonly kind: string = 'recursion';
}

/** The real uv's version is outside `uv-version`. */
export class UvVersionError extends UvxSafeError {
  override readonly kind: string = 'uv-version';
}

/**
 * A folder uvx-safe must create or use cannot be: mkdir failed (read-only, a file in the way), or
 * it is not a folder. Names the key and the file or variable that chose it.
 */
export class FolderError extends UvxSafeError {
  override readonly kind: string = 'folder';
}

/** Bad arguments to the launcher's own `safe` commands. */
export class UsageError extends UvxSafeError {
  override readonly kind: string = 'usage';
}

/** `uv-source` is set and no installed uv satisfies `uv-version`: the launcher installs one. */
export class ManagedUvMissing extends UvNotFoundError {
  override readonly kind: string = 'managed-uv-missing';
}

/** The managed uv cannot be installed: index unreachable, no wheel, a hash missing or wrong. */
export class UvSourceError extends UvxSafeError {
  override readonly kind: string = 'uv-source';
}
