// When a Python request names a program by path, as uv reads it (crates/uv-python/src/discovery.rs,
// `PythonRequest::parse`), for `--python`/`-p`, `UV_PYTHON`, a `.python-version` line and the REQUEST
// of `uv python find|pin|list`. uv's order: `any`/`default`; a version or an implementation (`3.12`,
// `312`, `python3.12`, `cpython@3.12`, `pypy`, `>=3.11`); an existing folder, then an existing file,
// relative to uv's working folder (uv has changed into `--directory` by then); on Windows the same
// name with `.exe`; a value holding the platform's separator (on Windows `/` too) is a file even when
// absent; else a download key or an executable name looked up on PATH, which is no path. A folder uv
// takes the interpreter from (`virtualenv_python_executable`), a file it starts as named, so a bare
// name that is a file here is started from PATH (no path either). uv expands no `~`.
// Pure: what is at a path comes from `entry`, asked only for a name that is neither a version nor
// holds a separator.

import { pathFor, type Platform } from '../platform/env.js';
import { optionTakesValue } from './argv.js';

export type EntryKind = 'dir' | 'file' | undefined;

const IMPLEMENTATIONS = ['cpython', 'cp', 'pypy', 'pp', 'graalpy', 'gp', 'pyodide'];
// Narrower than uv's grammar on purpose: a value read as a version here is one uv reads as a version
// (so it is never judged as a path); anything else that exists in the working folder is judged.
const RELEASE = '(?:\\d{1,3}|\\d{1,2}\\.\\d{1,2}(?:\\.\\d{1,2})?(?:(?:a|b|rc)\\d{1,2})?)(?:t|\\+freethreaded)?';
const VERSION = new RegExp(`^(?:(?:python|${IMPLEMENTATIONS.join('|')})@?)?${RELEASE}$`);

/** A version or implementation request (`3.12`, `python3.12`, `cpython@3.12`, `pypy`, `any`): never a path. */
export function isVersionLike(value: string): boolean {
  const lower = value.toLowerCase();
  return lower === 'any' || lower === 'default' || IMPLEMENTATIONS.includes(lower) || VERSION.test(lower);
}

/** Whether uv reads `value` as a path even when nothing is there (it holds a separator). */
export function holdsSeparator(value: string, platform: Platform): boolean {
  return value.includes('/') || (platform === 'win32' && value.includes('\\'));
}

/**
 * The path uv takes `value` for (relative to uv's working folder, `.exe` added where uv adds it) and
 * whether it is a folder, or undefined for a version, a download key or an executable name. An empty
 * value is no request (clap's `Maybe`).
 */
export function pythonRequestPath(value: string, platform: Platform, entry: (relative: string) => EntryKind): { path: string; kind: 'dir' | 'file' } | undefined {
  if (value === '' || isVersionLike(value)) return undefined;
  const separator = holdsSeparator(value, platform);
  const found = entry(value);
  // A bare name that is a file here is still started by name: uv queries `Interpreter::query(path)`
  // with the path as given, and `Command::new("py")` looks a name without a separator up on PATH.
  if (found === 'dir' || (found === 'file' && separator)) return { path: value, kind: found };
  if (platform === 'win32' && separator && pathFor(platform).extname(value) === '' && entry(`${value}.exe`) === 'file') return { path: `${value}.exe`, kind: 'file' };
  return separator ? { path: value, kind: 'file' } : undefined;
}

/**
 * Whether `command`'s `--python` falls back to `UV_PYTHON` (clap `env = EnvVars::UV_PYTHON` in
 * crates/uv-cli/src/lib.rs): every command that takes `--python` but `uv pip compile`, held against the
 * real uv's help by test/unit/program-location.test.ts.
 */
export function readsUvPython(command: readonly string[]): boolean {
  return optionTakesValue(command, '--python') && command.join(' ') !== 'pip compile';
}
