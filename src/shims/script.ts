// The POSIX shim: a tiny Node script that loads the launcher (bin/uvx-safe, which runs the bundle).
//
// Why a script and not a symlink to bin/uvx-safe: a symlink runs bin/uvx-safe's `#!/usr/bin/env node`,
// so it needs a suitable node on the caller's PATH (IDEs, tox, cron often have none). The shim names
// the node that installed it by absolute path, so it is just as fast (no shell in between) and works
// from any PATH. Node sets process.argv[1] to the shim's own path, so the launcher sees `uv` or `uvx`
// as its name, and the marker in the first 256 bytes makes the uv finder skip the shim.
//
// When node's path cannot go on a `#!` line (whitespace, or longer than old kernels read), the shim
// is a shell/JavaScript polyglot: /bin/sh runs line 2 and execs node on the same file; Node skips
// the `#!` line and reads line 2 as a string followed by a comment.

import { LAUNCHER_MARKER } from '../uv/find.js';

/** Linux before 5.1 reads 127 bytes of a `#!` line; stay within that. */
const SHEBANG_MAX = 127;

export interface PosixShimInput {
  /** Absolute path of the node binary to run (process.execPath at install time). */
  node: string;
  /** Absolute path of the launcher's loader (bin/uvx-safe). */
  loader: string;
}

/** Whether `node` can be the interpreter of a `#!` line as it stands. */
export function shebangSafe(node: string): boolean {
  return node.startsWith('/') && !/[\s]/.test(node) && `#!${node}`.length <= SHEBANG_MAX;
}

/** Single-quoted for /bin/sh. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The shim's full text; the same for `uv` and `uvx` (the file name carries the identity). */
export function renderPosixShim({ node, loader }: PosixShimInput): string {
  const load = `require(${JSON.stringify(loader)});\n`;
  if (shebangSafe(node)) {
    return `#!${node}\n// ${LAUNCHER_MARKER}: a uvx-safe shim; \`uvx-safe safe shims uninstall\` removes it.\n${load}`;
  }
  return (
    `#!/bin/sh\n` +
    `':' //; exec ${shQuote(node)} "$0" "$@" # ${LAUNCHER_MARKER}: a uvx-safe shim\n` +
    load
  );
}
