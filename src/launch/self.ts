// Who is running: the npm form (Node loading dist/uvx-safe.cjs through bin/uvx-safe or a shim) or a
// standalone executable (Bun-compiled, `npm run build:exe`). Each form has its own way of telling
// its name (uv, uvx, uvx-safe) and its own files, which the finder must never start as uv.

import type { Platform } from '../platform/env.js';

/** Set to true by `bun build --define` in scripts/build-exe.mjs; undefined in the npm bundle. */
declare const UVX_SAFE_STANDALONE: boolean | undefined;

export type Form = 'npm' | 'standalone';

export interface ProcessFacts {
  argv: readonly string[];
  execPath: string;
  /** `__filename` of the bundle (in a Bun executable a virtual path, or the build machine's). */
  filename: string;
  platform: Platform;
  /** Set by the build of the standalone executable. */
  standalone: boolean;
}

export interface SelfIdentity {
  form: Form;
  /** The path whose basename says uv, uvx or uvx-safe. */
  namePath: string;
  /** The launcher as started, for hooks that run it again. */
  launcherPath: string;
  /** Files of this launcher (before realpath): never to be started as uv. */
  files: string[];
}

/** In a Bun executable the script lives in a virtual file system: `/$bunfs/...` or `B:\~BUN\...`. */
export function isVirtualPath(file: string): boolean {
  return file.startsWith('/$bunfs/') || /^[A-Za-z]:\\~BUN\\/.test(file);
}

export function currentFacts(): ProcessFacts {
  return {
    argv: process.argv,
    execPath: process.execPath,
    filename: __filename,
    platform: process.platform,
    standalone: typeof UVX_SAFE_STANDALONE !== 'undefined' && UVX_SAFE_STANDALONE === true,
  };
}

/**
 * A standalone executable is named by its own file (process.execPath: a copy or hard link named
 * `uv.exe` is the uv shim; argv[1] is virtual). The npm form is named by the script Node runs
 * (argv[1]: bin/uvx-safe, or a shim script called `uv`).
 */
export function selfIdentity(facts: ProcessFacts): SelfIdentity {
  const standalone = facts.standalone || (facts.argv[1] !== undefined && isVirtualPath(facts.argv[1]));
  if (standalone) return { form: 'standalone', namePath: facts.execPath, launcherPath: facts.execPath, files: [facts.execPath] };
  const script = facts.argv[1] ?? facts.filename;
  const files = [script, facts.filename].filter((f) => f !== '' && !isVirtualPath(f));
  return { form: 'npm', namePath: script, launcherPath: script, files };
}
