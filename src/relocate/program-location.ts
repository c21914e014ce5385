// "May uv run this program?": one predicate for every program named by path (`--python`/`-p`,
// `UV_PYTHON`, a `.python-version` line or the global pin, the REQUEST of `uv python find|pin|list`,
// pip's `python` setting). The program, links followed, is allowed when it lies inside allowed-roots
// (and, named by a repository's file, not inside that repository unless safe-directories trusts it),
// or when it is a machine program: it and every folder above it only root / Administrators can
// change (src/platform/admin-only.ts). uv runs such programs anyway when it finds them on PATH, and
// users cannot plant them: AppLocker's default rules allow Program Files and Windows for that reason.
// Pure: where a path leads and who may change it come in.

import type { Platform } from '../platform/env.js';
import { insideAny, isInside } from './contain.js';
import { resolvesNote } from './path-words.js';

export interface ProgramRequest {
  /** What named it, as the user would find it: "--python ./py", "UV_PYTHON=/x", "/repo/.python-version:2". */
  origin: string;
  /** The program (or an environment folder uv takes it from), absolute, as named. */
  path: string;
  /** What runs with it: the virtual environment it belongs to, the interpreter inside a folder. */
  alsoRuns?: string[];
  /** The repository folder whose file named it (not a safe directory): the program may not lie inside. */
  repository?: string;
}

export interface ProgramFacts {
  canonical: (path: string) => string;
  /** Canonical allowed roots. */
  roots: readonly string[];
  platform: Platform;
  /** Why someone other than an administrator could change this canonical path; undefined: nobody can. */
  adminOnlyProblem: (real: string) => string | undefined;
}

export type ProgramVerdict =
  | { allowed: true; path: string; real: string; how: 'inside allowed-roots' | 'machine program' }
  | { allowed: false; path: string; real: string; why: 'repository' | 'outside'; problem?: string };

/** The verdict on one path: the first of `path` and `alsoRuns` that may not run, else the program's. */
export function mayRunProgram(request: ProgramRequest, facts: ProgramFacts): ProgramVerdict {
  let first: ProgramVerdict | undefined;
  for (const path of [request.path, ...(request.alsoRuns ?? [])]) {
    const verdict = judgeOne(path, request.repository, facts);
    if (!verdict.allowed) return verdict;
    first ??= verdict;
  }
  return first!;
}

function judgeOne(path: string, repository: string | undefined, facts: ProgramFacts): ProgramVerdict {
  const real = facts.canonical(path);
  if (repository !== undefined && isInside(real, facts.canonical(repository), facts.platform)) return { allowed: false, path, real, why: 'repository' };
  if (insideAny(real, facts.roots, facts.platform)) return { allowed: true, path, real, how: 'inside allowed-roots' };
  const problem = facts.adminOnlyProblem(real);
  return problem === undefined ? { allowed: true, path, real, how: 'machine program' } : { allowed: false, path, real, why: 'outside', problem };
}

/** The refusal's words for a verdict that does not allow: the message (origin, program, why) and what to do instead. */
export function programRefusal(
  request: ProgramRequest,
  verdict: Extract<ProgramVerdict, { allowed: false }>,
  rootList: string,
  platform: Platform,
): { message: string; hint: string } {
  const named = verdict.path === request.path ? `the program ${verdict.path}` : `the program ${request.path}, which runs ${verdict.path}`;
  const shown = `${request.origin} names ${named}${resolvesNote(verdict.path, verdict.real, platform)}`;
  if (verdict.why === 'repository')
    return {
      message: `${shown}: it lies inside the repository (${request.repository}), and a repository's file may not choose the program uv runs`,
      hint: `write a version (3.12) there instead, or list ${request.repository} in safe-directories of the admin or user config`,
    };
  const machine = platform === 'win32' ? 'C:\\Program Files' : '/usr/bin';
  return {
    message: `${shown}, which lies outside allowed-roots (${rootList}) and is not a machine program (${verdict.problem})`,
    hint: `put that Python inside allowed-roots, ask for a version instead (\`--python 3.12\`: uv finds the interpreter), or install it machine-wide (as ${machine}, which only administrators can change)`,
  };
}
