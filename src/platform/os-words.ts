// The operating system's own words for what went wrong, for messages: Windows users read "Access is
// denied", not EPERM, and hints show paths of their system. Pure functions of an error and a platform.

import type { Platform } from './env.js';

/** POSIX readers get the errno and its meaning, as the tools they know print them. */
const POSIX_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'a file is in the way',
  ENOTDIR: 'a file is in the way',
  ENOSPC: 'no space left',
};

/** Windows' own phrases (its error 5, ERROR_ACCESS_DENIED; 193, ERROR_BAD_EXE_FORMAT), then ours. */
const WINDOWS_WORDS: Record<string, string> = {
  EACCES: 'Access is denied',
  EPERM: 'Access is denied',
  EFTYPE: 'not a Windows program',
  EEXIST: 'a file is in the way',
  ENOTDIR: 'a file is in the way',
  ENOSPC: 'there is not enough space on the disk',
  EBUSY: 'the file is in use by another program',
};

export interface WordsOptions {
  /** An install into a machine folder: on Windows, say that an administrator can (Program Files). */
  machineInstall?: boolean;
}

/**
 * What a file-system or spawn error means, in the words of `platform`: "EACCES, permission denied"
 * on POSIX; "Access is denied" on Windows, "(run as administrator)" added for a machine install.
 */
export function errorWords(err: unknown, platform: Platform, options: WordsOptions = {}): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (!code) return (err as Error | undefined)?.message ?? String(err);
  if (platform === 'win32') {
    const words = WINDOWS_WORDS[code];
    if (!words) return code;
    return options.machineInstall && words === 'Access is denied' ? `${words} (run as administrator)` : words;
  }
  return POSIX_WORDS[code] ? `${code}, ${POSIX_WORDS[code]}` : code;
}

/** A path to uv as a hint shows it: a Windows one on Windows. */
export function exampleUvPath(platform: Platform): string {
  return platform === 'win32' ? 'C:\\path\\to\\uv.exe' : '/path/to/uv';
}
