// The `{user}` template's value: the logon name the OS reports for this process, never a variable
// (USER, USERNAME and LOGNAME are anyone's to set: `USERNAME=..` would make a data root of
// `D:\dev\{user}` the shared root itself). Node's os.userInfo() asks the OS (getpwuid on POSIX,
// GetUserNameW on Windows, libuv's uv_os_get_passwd); Bun's reads USER or USERNAME, so the
// standalone executable asks the OS itself through its FFI (logon-name-bun.ts).

import os = require('node:os');
import type { Platform } from './env.js';

export interface Runtime {
  platform: Platform;
  bun: boolean;
}

const thisRuntime = (): Runtime => ({ platform: process.platform, bun: process.versions.bun !== undefined });

/** The OS's name for the user this process runs as; throws an Error saying why it cannot be read. */
export function logonName(runtime: Runtime = thisRuntime()): string {
  if (!runtime.bun) return os.userInfo().username;
  return (require('./logon-name-bun.js') as typeof import('./logon-name-bun.js')).logonNameFromOs(runtime.platform);
}

/**
 * Why `name` cannot be one folder name on `platform`, or undefined when it can: `{user}` must
 * never climb out of (`..`), step into (`a/b`) or re-root (`C:`) the path the admin wrote.
 */
export function unsafeSegment(name: string, platform: Platform): string | undefined {
  if (name === '') return 'is empty';
  if (name === '.' || name === '..') return `is "${name}"`;
  if (/[/\\:]/.test(name)) return 'holds a path separator or a colon';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) return 'holds a control character';
  // Windows drops a trailing dot or space from a file name: `me.` would be the folder `me`.
  if (platform === 'win32' && /[. ]$/.test(name)) return 'ends in a dot or a space';
  return undefined;
}
