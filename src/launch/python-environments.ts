// Which Python environment `uv pip install|sync|uninstall` writes into, found the way uv 0.13 finds it
// (crates/uv-python/src/discovery.rs, virtualenv.rs), with stats only: no interpreter is run to judge
// where it would write (a planted one would already have run).
//
// Without `--system` and without an interpreter named by path or executable name, uv looks for an
// environment with `EnvironmentPreference::ExplicitSystem` (`from_system_flag(false, true)`): in
// `python_executables` order, `UV_INTERNAL__PARENT_INTERPRETER`, then
// `python_executables_from_virtual_environments` (`VIRTUAL_ENV`; `CONDA_PREFIX` unless
// `CondaEnvironmentKind::from_prefix_path` says it is the base environment;
// `virtualenv_from_working_dir`: from the working folder up, a folder holding `pyvenv.cfg`, else a
// `.venv` folder or link), then the base conda environment and the installed interpreters, of which
// `interpreter_satisfies_environment_preference` keeps only virtual environments: in practice the
// first Python on `PATH` (`PythonSource::SearchPathFirst`, `UV_PYTHON_SEARCH_PATH` replacing `PATH`)
// when it is one. The first that exists wins; with a version request uv passes over those that do not
// match, so then every candidate is judged.
//
// An interpreter is judged by where it installs, not the folder of the path that names it: CPython's
// getpath (Modules/getpath.py) takes a `pyvenv.cfg` beside the executable or one folder up, as
// named (a venv's `bin/python` is a link to the base interpreter); without one, the prefix comes from
// the real executable (links followed): its folder, or the folder above `bin`/`Scripts`.

import fs = require('node:fs');
import { pathFor, type EnvMap, type Platform } from '../platform/env.js';
import type { PipInterpreter } from '../relocate/pip-target.js';
import { candidateNames, pathEntries } from '../uv/find.js';

export interface FoundEnvironment {
  /** The folder the packages go to (a venv, a conda environment, an interpreter's prefix). */
  path: string;
  /** What chose it, for messages: "VIRTUAL_ENV", "CONDA_PREFIX", "the nearest .venv", ... */
  origin: string;
}

const isFile = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
const isDir = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;

function realpath(file: string): string {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return file;
  }
}

/** uv_fs::is_virtualenv_base: a folder holding a `pyvenv.cfg` file. */
function isVirtualenvBase(dir: string, platform: Platform): boolean {
  return isFile(pathFor(platform).join(dir, 'pyvenv.cfg'));
}

/** Where an interpreter installs packages (see the top of this file), and whether that is a virtual environment. */
export function interpreterPrefix(executable: string, platform: Platform): { prefix: string; venv: boolean } {
  const p = pathFor(platform);
  const here = p.dirname(executable);
  for (const dir of [here, p.dirname(here)]) if (isVirtualenvBase(dir, platform)) return { prefix: dir, venv: true };
  const real = p.dirname(realpath(executable));
  const prefix = /^(bin|scripts)$/i.test(p.basename(real)) ? p.dirname(real) : real;
  return { prefix, venv: false };
}

/** uv's virtualenv_python_executable: the interpreter inside an environment folder. */
export function environmentPython(dir: string, platform: Platform): string | undefined {
  const p = pathFor(platform);
  const names = platform === 'win32' ? ['Scripts/python.exe', 'bin/python.exe', 'python.exe'] : ['bin/python3', 'bin/python'];
  return names.map((name) => p.join(dir, name)).find(isFile);
}

/** CondaEnvironmentKind::from_prefix_path: the base environment is treated like a system Python. */
function isBaseConda(prefix: string, lookup: (name: string) => string | undefined, platform: Platform): boolean {
  const p = pathFor(platform);
  if (isFile(p.join(prefix, 'conda-meta', 'pixi'))) return false;
  if (lookup('_CONDA_ROOT') === prefix) return true;
  const current = lookup('CONDA_DEFAULT_ENV');
  if (current === undefined || current === prefix) return false;
  const name = p.basename(prefix);
  return name === '' ? false : name !== current;
}

/** virtualenv_from_working_dir: from `cwd` up, a folder inside a venv (pyvenv.cfg), else a `.venv`. */
function workingDirEnvironment(cwd: string, platform: Platform): FoundEnvironment | undefined {
  const p = pathFor(platform);
  let dir = p.resolve(cwd);
  for (;;) {
    if (isVirtualenvBase(dir, platform)) return { path: dir, origin: 'the working folder lies in this environment' };
    const dotVenv = p.join(dir, '.venv');
    const entry = fs.lstatSync(dotVenv, { throwIfNoEntry: false });
    if (entry && (entry.isDirectory() || entry.isSymbolicLink())) return { path: dotVenv, origin: 'the nearest .venv' };
    const parent = p.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The first of `names` on the search path, folder by folder (python_executables_from_search_path;
 * `UV_PYTHON_SEARCH_PATH` replaces `PATH`); `skip` passes over folders.
 */
function firstOnSearchPath(names: readonly string[], input: Pick<FindInput, 'env' | 'lookup' | 'platform'>, skip?: (dir: string) => boolean): string | undefined {
  const { platform } = input;
  const p = pathFor(platform);
  const searchPath = input.lookup('UV_PYTHON_SEARCH_PATH');
  const env = searchPath === undefined ? input.env : { ...input.env, PATH: searchPath, Path: undefined };
  for (const dir of pathEntries(env, platform)) {
    if (skip?.(dir)) continue;
    for (const name of names)
      for (const { file, startable } of candidateNames(name, env, platform)) if (startable && isFile(p.join(dir, file))) return p.join(dir, file);
  }
  return undefined;
}

export interface FindInput {
  /** The variables uv sees. */
  lookup: (name: string) => string | undefined;
  env: EnvMap;
  /** uv's working folder (--directory applied). */
  uvCwd: string;
  /** The launcher's working folder, against which relative variables resolve. */
  cwd: string;
  platform: Platform;
  /** A version request (`-p 3.12`) lets uv pass over environments that do not match: judge them all. */
  versionRequest: boolean;
}

/** The environments `uv pip install|sync|uninstall` would write into, in uv's order, up to the one it takes. */
export function pipFoundEnvironments(input: FindInput): FoundEnvironment[] {
  const { lookup, platform } = input;
  const p = pathFor(platform);
  const out: FoundEnvironment[] = [];
  // True when uv takes this one and looks no further.
  const add = (found: FoundEnvironment | undefined, python: string | undefined): boolean => {
    if (!found) return false;
    out.push(found);
    return python !== undefined && !input.versionRequest;
  };
  const parent = lookup('UV_INTERNAL__PARENT_INTERPRETER');
  if (parent !== undefined) {
    const file = p.resolve(input.cwd, parent);
    if (add({ path: interpreterPrefix(file, platform).prefix, origin: `UV_INTERNAL__PARENT_INTERPRETER=${parent}` }, isFile(file) ? file : undefined)) return out;
  }
  const active = lookup('VIRTUAL_ENV');
  if (active !== undefined) {
    const dir = p.resolve(input.cwd, active);
    if (add({ path: dir, origin: 'VIRTUAL_ENV' }, environmentPython(dir, platform))) return out;
  }
  const conda = lookup('CONDA_PREFIX');
  if (conda !== undefined && !isBaseConda(conda, lookup, platform)) {
    const dir = p.resolve(input.cwd, conda);
    if (add({ path: dir, origin: 'CONDA_PREFIX' }, environmentPython(dir, platform))) return out;
  }
  const working = workingDirEnvironment(input.uvCwd, platform);
  if (add(working, working && environmentPython(working.path, platform))) return out;
  if (conda !== undefined && isBaseConda(conda, lookup, platform) && isVirtualenvBase(conda, platform)) {
    const dir = p.resolve(input.cwd, conda);
    if (add({ path: dir, origin: 'CONDA_PREFIX (base)' }, environmentPython(dir, platform))) return out;
  }
  const first = firstOnSearchPath(['python3', 'python'], input);
  if (first) {
    const { prefix, venv } = interpreterPrefix(first, platform);
    if (venv) add({ path: prefix, origin: `the first Python on PATH (${first}), a virtual environment` }, first);
  }
  return out;
}

/**
 * The folder a pip write lands in for a named interpreter (pip-target.ts): a folder given as such (uv
 * takes the environment's interpreter), else the interpreter's prefix. Names are looked up on the
 * search path as uv does (`--system` passing over virtual environments); undefined when nothing is
 * found (uv then fails without writing).
 */
export function pipInterpreterEnvironment(target: PipInterpreter, input: Omit<FindInput, 'versionRequest'> & { home: string }): FoundEnvironment | undefined {
  const { platform } = input;
  const p = pathFor(platform);
  let file: string | undefined;
  if ('path' in target) {
    // uv expands no `~` (src/uv/python-request.ts).
    file = p.resolve(input.uvCwd, target.path);
    if (isDir(file)) return { path: file, origin: target.origin };
  } else {
    const isVenvScripts = (dir: string) => isVirtualenvBase(p.dirname(dir), platform) || isVirtualenvBase(dir, platform);
    file = firstOnSearchPath(target.names, input, target.systemOnly ? isVenvScripts : undefined);
  }
  if (file === undefined) return undefined;
  return { path: interpreterPrefix(file, platform).prefix, origin: 'path' in target ? target.origin : `${target.origin}: ${file}` };
}
