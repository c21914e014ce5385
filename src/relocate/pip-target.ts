// Which interpreter's environment `uv pip install|sync|uninstall` writes into when the user names one.
// Pure. uv 0.13 treats a path (`--python /usr/bin/python3`, `UV_PYTHON=...`) or an executable name
// (`--python python3.12`) as an explicit system request, and `--system`/`UV_SYSTEM_PYTHON` as the first
// Python on PATH: the packages and their console scripts then land in that interpreter's environment,
// wherever it is. A version request (`3.12`, `cpython@3.12`, `>=3.11`) still selects only virtual
// environments, which pipWritesFoundEnv (project-env.ts) judges.

import type { Platform } from '../platform/env.js';
import type { ParsedUvArgs } from '../uv/argv.js';
import { truthy } from '../uv/env-flags.js';
import { holdsSeparator, isVersionLike, pythonRequestPath, type EntryKind } from '../uv/python-request.js';

export const PIP_WRITES = ['pip install', 'pip sync', 'pip uninstall'];

const has = (args: ParsedUvArgs, ...names: string[]) => names.some((name) => args.options?.includes(name));

/**
 * uv's version requests: `3`, `3.12`, `python3.12`, `>=3.11`, `any`, `default`, `cpython@3.12`,
 * `pypy3.10`, `cp312` (PythonRequest::parse tries versions, with the `python` prefix too, before paths
 * and executable names; `python` alone is an executable name).
 */
export function isVersionRequest(request: string): boolean {
  if (holdsSeparator(request, 'win32')) return false;
  // isVersionLike takes `any`, `default` and a bare implementation name; an implementation with a
  // version, however written, is a request too.
  return isVersionLike(request) || /^[<>=!~\d]/.test(request) || request.includes('@') || /^(cpython|pypy|graalpy|pyodide|cp|pp|gp)\d/i.test(request);
}

/** The interpreter a pip write targets: a path, or names to look up on PATH; undefined when none is named. */
export type PipInterpreter = { origin: string } & ({ path: string } | { names: string[]; systemOnly?: boolean });

/** `python` and `system` from a repository's `[tool.uv.pip]` / uv.toml `[pip]`, with where they were read. */
export interface PipSettingInterpreter {
  python?: { value: string; origin: string };
  system?: string;
}

/** uv's order: a flag, then its variable, then its config files. */
export function pipInterpreter(
  args: ParsedUvArgs,
  lookup: (name: string) => string | undefined,
  platform: Platform,
  settings?: PipSettingInterpreter,
  /** What is at a path relative to uv's working folder: a bare name that exists there is a path to uv. */
  entry: (relative: string) => EntryKind = () => undefined,
): PipInterpreter | undefined {
  if (args.helpOrVersion || !PIP_WRITES.includes(args.command.join(' '))) return undefined;
  // --target/--prefix decide where the files go; they are judged as flags of their own.
  if (has(args, '--target', '-t', '--prefix')) return undefined;
  const flag = args.locations.filter((f) => f.kind === 'python').pop();
  const fromEnv = lookup('UV_PYTHON');
  const request = flag?.value ?? fromEnv ?? settings?.python?.value;
  const origin = flag ? `${flag.flag} ${flag.value}` : fromEnv !== undefined ? `UV_PYTHON=${fromEnv}` : `${settings?.python?.origin} (${request})`;
  const asPath = request === undefined ? undefined : pythonRequestPath(request, platform, entry);
  if (asPath) return { origin, path: asPath.path };
  if (request !== undefined && !isVersionRequest(request)) return { origin, names: [request] };
  const systemVariable = lookup('UV_SYSTEM_PYTHON');
  const system = has(args, '--system')
    ? '--system'
    : systemVariable !== undefined
      ? truthy(systemVariable) ? 'UV_SYSTEM_PYTHON' : undefined
      : settings?.system;
  // `--system` passes over virtual environments on PATH, as uv does.
  if (system) return { origin: system, names: platform === 'win32' ? ['python'] : ['python3', 'python'], systemOnly: true };
  return undefined;
}
