// The project on disk, found as uv finds it: the nearest pyproject.toml, its workspace root (the
// nearest ancestor whose [tool.uv.workspace] lists it), a PEP 723 script, the environment `uv pip`
// would write to. Only read when a command needs it: none of this is on the path of a plain uv call.

import fs = require('node:fs');
import path = require('node:path');
import { parseTomlText } from '../config/parse.js';
import { pathFor, type EnvMap, type Platform } from '../platform/env.js';
import type { PipInterpreter } from '../relocate/pip-target.js';
import { isWorkspaceMember } from '../relocate/project-env.js';
import { candidateNames, pathEntries } from '../uv/find.js';

/** The nearest folder holding a pyproject.toml, from `start` up (as uv finds its project). */
export function findProjectRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'pyproject.toml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

interface WorkspaceTable {
  members: string[];
  exclude: string[];
}

/** The file's text, or undefined; most candidates do not exist, so no exception is thrown for those. */
function readIfFile(file: string): string | undefined {
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function workspaceTable(dir: string): WorkspaceTable | undefined {
  const file = path.join(dir, 'pyproject.toml');
  const text = readIfFile(file);
  if (text === undefined) return undefined;
  if (!text.includes('workspace')) return undefined;
  try {
    const uv = (parseTomlText(text, file).tool as { uv?: { workspace?: { members?: unknown; exclude?: unknown } } } | undefined)?.uv;
    const ws = uv?.workspace;
    if (!ws) return undefined;
    const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return { members: list(ws.members), exclude: list(ws.exclude) };
  } catch {
    return undefined; // uv reports a broken pyproject.toml itself
  }
}

/**
 * The workspace root a project belongs to, as uv finds it: the project itself when its own
 * pyproject.toml has [tool.uv.workspace], else the nearest ancestor with one that lists the project
 * among its members (and does not exclude it); the project itself otherwise.
 */
export function findWorkspaceRoot(projectRoot: string): string {
  if (workspaceTable(projectRoot)) return projectRoot;
  let dir = path.dirname(projectRoot);
  for (;;) {
    const table = workspaceTable(dir);
    if (table) {
      const relative = path.relative(dir, projectRoot).split(path.sep).join('/');
      return isWorkspaceMember(relative, table.members, table.exclude) ? dir : projectRoot;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return projectRoot;
    dir = parent;
  }
}

/** Whether `file` is a PEP 723 script (a `# /// script` block): uv runs it in a script environment. */
export function isPep723Script(file: string): boolean {
  try {
    return /^# \/\/\/ script\s*$/m.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

/** The nearest `.venv` folder from `start` up, as `uv pip` finds one without VIRTUAL_ENV. */
export function findVenvUpwards(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const venv = path.join(dir, '.venv');
    if (fs.statSync(venv, { throwIfNoEntry: false })?.isDirectory()) return venv;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The folder a pip write lands in for a named interpreter (pip-target.ts): a folder given as such (a
 * venv), else the folder holding the interpreter, its link not followed (a venv's `bin/python` links
 * to the base interpreter, but the venv is what is written). Names are looked up on PATH as uv does
 * (`--system` passing over virtual environments);
 * undefined when nothing is found (uv then fails without writing).
 */
export function pipInterpreterFolder(target: PipInterpreter, cwd: string, env: EnvMap, home: string, platform: Platform): string | undefined {
  const p = pathFor(platform);
  const isDir = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const isFile = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  if ('path' in target) {
    const file = p.resolve(cwd, target.path.startsWith('~') ? home + target.path.slice(1) : target.path);
    return isDir(file) ? file : p.dirname(file);
  }
  const isVenvScripts = (dir: string) => isFile(p.join(dir, '..', 'pyvenv.cfg'));
  for (const name of target.names)
    for (const dir of pathEntries(env, platform)) {
      if (target.systemOnly && isVenvScripts(dir)) continue;
      for (const { file, startable } of candidateNames(name, env, platform))
        if (startable && isFile(p.join(dir, file))) return dir;
    }
  return undefined;
}
