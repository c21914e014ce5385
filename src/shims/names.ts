// Which files a shim install writes, per platform. The launcher tells uv from uvx by the basename
// it was started as (src/launch/context.ts), so the two shims differ only in their names.

import type { Platform } from '../platform/env.js';

export type ShimName = 'uv' | 'uvx';

export const SHIM_NAMES: readonly ShimName[] = ['uv', 'uvx'];

/** `uv`/`uvx` on POSIX; `uv.exe`/`uvx.exe` on Windows, the only form every program finds (docs/windows-shims.md). */
export function shimFileName(name: ShimName, platform: Platform): string {
  return platform === 'win32' ? `${name}.exe` : name;
}

/** The design of the Windows shims, for messages. */
export const WINDOWS_SHIMS_DOC = 'docs/windows-shims.md';
