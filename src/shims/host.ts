// The file-system questions a shim plan asks, so the plan is pure and the Windows rules are
// testable anywhere (the real one is in ./node-host.ts).

import type { FindHost } from '../uv/find.js';

export type EntryKind = 'absent' | 'file' | 'symlink' | 'directory' | 'other';

export interface ShimHost extends FindHost {
  /** What is at `file` itself, without following a symlink. */
  entryKind(file: string): EntryKind;
  /** True for a folder, after symlinks. */
  isDirectory(file: string): boolean;
  /** The whole file as UTF-8 text (a shim is small), or undefined when unreadable. */
  readText(file: string): string | undefined;
  /** The names in a folder ([] when unreadable). */
  listDir(dir: string): string[];
  /** Both name one file (same device and inode: a hard link, or the same path). */
  sameFile(a: string, b: string): boolean;
  /** Both files hold the same bytes (sizes first; read only when equal). */
  sameBytes(a: string, b: string): boolean;
}
