// Windows: deleting shims that are still running. A running .exe, and every hard link of it, can be
// renamed but not deleted, and `safe shims uninstall` run from the executable itself (the shim
// uv.exe, or the launcher whose hard links the shims are) is exactly that case (issue 14 item 8).
// The old shim is renamed aside at once (its name is free), and a small cmd.exe started detached
// deletes the renamed file as soon as it can: it retries every second or three for about a minute,
// so it succeeds moments after this process ends. A file still in use after that (another program runs
// that shim) is removed by the next install or uninstall, which deletes every leftover of ours.

import { spawn } from 'node:child_process';
import { getEnv, type EnvMap } from '../platform/env.js';

/** Attempts, with a pause of about a second (`ping -n 2`) then three seconds between them. */
const TRIES = 30;
const QUICK_TRIES = 10;
/** cmd.exe reads at most 8191 characters of a command line. */
const MAX_LINE = 8000;

/**
 * Files cmd.exe can name safely: Windows paths hold no `"`, but `%` (and `!` under delayed expansion)
 * could be read as a variable on a command line, where no escape exists. Those are left to the next
 * install or uninstall.
 */
export function cleanable(file: string): boolean {
  return !/[%!"]/.test(file);
}

/**
 * The cmd.exe command line that deletes `file` (`cleanable`) once it is free: delete, and while it is
 * still there pause and try again. No loop and no parentheses (Wine's cmd misreads nested ones):
 * `if exist F cmd1 & cmd2 ...` runs everything after it only while F exists, so the chain ends as
 * soon as the file is gone.
 */
export function cleanerCommandLine(file: string): string {
  const del = `del /f /q "${file}" >nul 2>&1`;
  const steps: string[] = [];
  for (let i = 0; i < TRIES; i++) {
    const step = `${del} & if exist "${file}" ping -n ${i < QUICK_TRIES ? 2 : 4} 127.0.0.1 >nul & `;
    if (`/d /q /s /c "${steps.join('')}${step}${del}"`.length > MAX_LINE) break;
    steps.push(step);
  }
  return `/d /q /s /c "${steps.join('')}${del}"`;
}

/** Starts the cleaner for `files` and returns at once; it outlives this process (no job object). */
export function deleteWhenFree(all: readonly string[], env: EnvMap): void {
  const files = all.filter(cleanable);
  if (files.length === 0) return;
  const cmd = getEnv(env, 'ComSpec', 'win32') ?? 'C:\\Windows\\System32\\cmd.exe';
  for (const file of files) {
    try {
      const child = spawn(cmd, [cleanerCommandLine(file)], {
        detached: true,
        stdio: 'ignore',
        windowsHide: true,
        windowsVerbatimArguments: true,
      });
      child.on('error', () => {}); // no cmd.exe: the next install or uninstall removes it
      child.unref();
    } catch {
      // As above.
    }
  }
}
