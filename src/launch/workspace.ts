// The project and workspace uv resolves, read from disk as uv reads them (uv-workspace
// crates/uv-workspace/src/workspace.rs). Only read when a command needs it: none of this is on the
// path of a plain uv call. Where uvx-safe cannot tell what uv will decide (a pyproject.toml it
// cannot parse, a glob it refuses), every candidate is returned, so each is judged.

import fs = require('node:fs');
import path = require('node:path');
import { parse as parseToml } from 'smol-toml';
import { GlobPatternError, matchesWorkspaceGlob } from '../uv/glob-pattern.js';

/** What uv reads from one pyproject.toml to find the workspace. */
export type PyprojectFacts =
  | { kind: 'parsed'; project: boolean; managed: boolean; workspace?: { members: string[]; exclude: string[] } }
  /** Not parsed here (broken TOML, unreadable): uv fails on it, or reads what uvx-safe cannot. */
  | { kind: 'unknown' };

const isFile = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;

/**
 * uv's `path.ancestors().find(|p| p.join("pyproject.toml").is_file())` (a folder of that name does not
 * count). Lexical like Rust's `ancestors`: a start with `..` in it (`uv run ../x/s.py`) is walked as
 * written, and the kernel resolves each candidate.
 */
export function findProjectDir(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (isFile(`${dir.replace(/[\\/]+$/, '')}${path.sep}pyproject.toml`)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

/** The parts of `dir/pyproject.toml` that decide the workspace (uv's `PyProjectToml`). */
export function readPyproject(dir: string): PyprojectFacts {
  let data: Record<string, unknown>;
  try {
    data = parseToml(fs.readFileSync(`${dir.replace(/[\\/]+$/, '')}${path.sep}pyproject.toml`, 'utf8')) as Record<string, unknown>;
  } catch {
    return { kind: 'unknown' };
  }
  const table = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const uv = table(table(data.tool)?.uv);
  const ws = uv?.workspace;
  let workspace: { members: string[]; exclude: string[] } | undefined;
  if (ws !== undefined) {
    const t = table(ws);
    const members = t?.members === undefined ? [] : strings(t.members);
    const exclude = t?.exclude === undefined ? [] : strings(t.exclude);
    // A workspace table uv would reject (wrong types): uv fails; no guess here.
    if (!t || !members || !exclude) return { kind: 'unknown' };
    workspace = { members, exclude };
  }
  if (uv?.managed !== undefined && typeof uv.managed !== 'boolean') return { kind: 'unknown' };
  return { kind: 'parsed', project: data.project !== undefined, managed: uv?.managed !== false, ...(workspace ? { workspace } : {}) };
}

/**
 * uv-workspace `find_workspace`: the first ancestor (the project itself left out) holding a
 * pyproject.toml decides, however far up: a `[tool.uv.workspace]` that includes the project and does
 * not exclude it is the workspace root; anything else (another project, a table without a workspace,
 * a workspace that does not list it) means the project is its own root. Roots that may apply.
 */
function findWorkspaceAbove(projectDir: string): string[] {
  let dir = path.dirname(projectDir);
  for (;;) {
    if (isFile(path.join(dir, 'pyproject.toml'))) {
      const facts = readPyproject(dir);
      if (facts.kind === 'unknown') return [projectDir, dir];
      if (!facts.workspace) return [projectDir];
      try {
        // The glob crate treats `\\` as a separator on Windows too.
        const [project, root] = path.sep === '\\' ? [projectDir, dir].map((p) => p.replaceAll('\\', '/')) as [string, string] : [projectDir, dir];
        const included = matchesWorkspaceGlob(project, root, facts.workspace.members);
        const excluded = included && matchesWorkspaceGlob(project, root, facts.workspace.exclude);
        return [included && !excluded ? dir : projectDir];
      } catch (err) {
        if (err instanceof GlobPatternError) return [projectDir, dir];
        throw err;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return [projectDir];
    dir = parent;
  }
}

/**
 * The workspace roots (uv's `install_path`, where the project's `.venv` goes) uv may use for a project
 * search starting at `start` (absolute), as `VirtualProject::discover` finds them: the nearest
 * pyproject.toml; no `[project]` table, or its own `[tool.uv.workspace]`, makes it the root; else
 * `find_workspace` above it. Empty when uv uses no project environment: no pyproject.toml, or a
 * project with `tool.uv.managed = false`. Usually one root; more when uvx-safe cannot tell.
 */
export function workspaceRoots(start: string): string[] {
  const found = findProjectDir(start);
  if (found === undefined) return [];
  // A project's path is normalized (`ProjectWorkspace::from_project`); a root without [project] is
  // taken as found, `..` and all: its real path is what the kernel makes of that.
  const projectDir = path.resolve(found);
  const asFound = found.split(/[\\/]/).includes('..') ? realpathOr(found) : projectDir;
  const facts = readPyproject(found);
  if (facts.kind === 'unknown') return [...new Set([asFound, projectDir, ...findWorkspaceAbove(projectDir)])];
  if (!facts.project) return [asFound];
  if (!facts.managed) return [];
  return facts.workspace ? [projectDir] : findWorkspaceAbove(projectDir);
}

function realpathOr(dir: string): string {
  try {
    return fs.realpathSync.native(dir);
  } catch {
    return path.resolve(dir);
  }
}
