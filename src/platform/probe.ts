// The execution probe: can a program be written to a folder and started from it?
// A noexec mount (Linux, EACCES on exec) or an AppLocker/WDAC path rule (Windows, os error 1260)
// only shows when something is actually started there, so the probe writes a tiny program, runs
// it and removes it. `probeFolder` is pure (the file system comes through `ProbeHost`); the Node
// implementation is `nodeProbeHost`.

import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import { pathFor, type Platform } from './env.js';

/** What running the probe program did. */
export type RunOutcome =
  | { started: false; code: string }
  | { started: true; status: number | null; signal: string | null; ranCorrectly: boolean };

export interface ProbeHost {
  platform: Platform;
  /** Creates the probe program at `file` (never overwriting); throws the Node errno error on failure. */
  write(file: string): void;
  run(file: string): RunOutcome;
  /** Removes the probe file; throws on failure. */
  remove(file: string): void;
  /** A fresh name for the probe file, e.g. ".uvx-safe-probe-1234-1-ab12". */
  fileName(): string;
  /** Why no probe program exists on this host (then nothing is written), or undefined. */
  unavailable?: string;
  /** Why the system refused to start a program in `folder` (errno `code`): "noexec mount", "blocked by policy". */
  explainRefusal?(folder: string, code: string): string | undefined;
}

export interface ProbeResult {
  /** The folder the probe file went into. */
  folder: string;
  /** Null when not tried (no probe program on this host). */
  writable: boolean | null;
  /** Null when not tried (the folder is not writable, or no probe program on this host). */
  canRun: boolean | null;
  /** The errno code or exit status behind a failure, e.g. "EACCES", "EROFS", "exit 1". */
  error?: string;
  /** Set when the probe file could not be removed (it should never stay behind). */
  leftBehind?: string;
  /** When the system refused to start the probe: why, in words ("noexec mount (/mnt/x)", "blocked by policy (AppLocker/WDAC)"). */
  blockedBy?: string;
}

/** File names of the probe all start with this, so a leftover is recognisable. */
export const PROBE_PREFIX = '.uvx-safe-probe-';

function errnoCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}

/** Write, run, remove. Never throws; the probe file is removed whatever happened. */
export function probeFolder(folder: string, host: ProbeHost): ProbeResult {
  if (host.unavailable) return { folder, writable: null, canRun: null, error: host.unavailable };
  const file = pathFor(host.platform).join(folder, host.fileName());
  try {
    host.write(file);
  } catch (err) {
    const code = errnoCode(err);
    // A partly written file (disk full) must not stay either; an existing one is not ours to remove.
    const leftBehind = code === 'EEXIST' ? undefined : tryRemove(file, host);
    return { folder, writable: false, canRun: null, error: code, ...(leftBehind ? { leftBehind } : {}) };
  }
  let result: ProbeResult;
  try {
    const outcome = host.run(file);
    result = judgeRun(folder, outcome);
    const blockedBy = !outcome.started ? host.explainRefusal?.(folder, outcome.code) : undefined;
    if (blockedBy) result = { ...result, blockedBy };
  } catch (err) {
    result = { folder, writable: true, canRun: false, error: errnoCode(err) };
  }
  const leftBehind = tryRemove(file, host);
  return leftBehind ? { ...result, leftBehind } : result;
}

export function judgeRun(folder: string, outcome: RunOutcome): ProbeResult {
  if (!outcome.started) return { folder, writable: true, canRun: false, error: outcome.code };
  if (outcome.ranCorrectly) return { folder, writable: true, canRun: true };
  const error = outcome.signal ? `killed by ${outcome.signal}` : `exit ${outcome.status ?? '?'}`;
  return { folder, writable: true, canRun: false, error };
}

/** Returns the path when the file is still there afterwards. */
function tryRemove(file: string, host: ProbeHost): string | undefined {
  try {
    host.remove(file);
    return undefined;
  } catch (err) {
    return errnoCode(err) === 'ENOENT' ? undefined : file;
  }
}

/** POSIX probe: a shell script. A noexec mount refuses scripts as well as binaries (execve fails). */
const SCRIPT_MARKER = 'uvx-safe-probe-ran';
const SCRIPT = `#!/bin/sh\necho ${SCRIPT_MARKER}\n`;

/** Seconds a probe may take: a hung antivirus scan should not hang doctor. */
const PROBE_TIMEOUT_MS = 15_000;

let counter = 0;

/**
 * A program to copy into the folder and start (Windows, where a script would be judged by other
 * rules than a program): the file, its arguments, and what it must print.
 */
export interface ProbeProgram {
  file: string;
  args: string[];
  /** Matched against stdout: the program ran as itself. */
  expect: RegExp;
}

/** The real uv.exe as the probe program: `--version` prints "uv 0.13.9 ...". */
export function uvProbeProgram(uvExe: string): ProbeProgram {
  return { file: uvExe, args: ['--version'], expect: /^uv \d/m };
}

/**
 * The Node probe. POSIX: a `#!/bin/sh` script, chmod 700, which must print its marker.
 * Windows: a copy of a real program (`windowsProgram`: uv.exe for doctor, the standalone executable
 * for `safe shims install`). AppLocker and WDAC judge executables, and uv's own trampolines and
 * build-env Pythons are unsigned .exe files like uv.exe, so a copy of it meets exactly the rules
 * they would meet; a .cmd script would be judged by the separate script rules, and a signed system
 * .exe may pass a publisher rule uv's files fail. With no program to copy, the host is `unavailable`
 * and folders are reported as not probed.
 */
export function nodeProbeHost(platform: Platform = process.platform, windowsProgram?: string | ProbeProgram): ProbeHost {
  const win = platform === 'win32';
  const program = typeof windowsProgram === 'string' ? uvProbeProgram(windowsProgram) : windowsProgram;
  return {
    platform,
    unavailable: win && !program ? 'no uv.exe was found to copy as the probe program' : undefined,
    fileName() {
      counter += 1;
      const random = Math.random().toString(36).slice(2, 8);
      return `${PROBE_PREFIX}${process.pid}-${counter}-${random}${win ? '.exe' : ''}`;
    },
    write(file) {
      if (win) {
        // A copy, never a hard link: a link of the running executable could not be deleted afterwards.
        fs.copyFileSync(program!.file, file, fs.constants.COPYFILE_EXCL);
        return;
      }
      fs.writeFileSync(file, SCRIPT, { flag: 'wx', mode: 0o700 });
      fs.chmodSync(file, 0o700); // the umask may have taken the x bit away
    },
    run(file) {
      const r = spawnSync(file, win ? program!.args : [], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: PROBE_TIMEOUT_MS,
        windowsHide: true,
      });
      if (r.error) return { started: false, code: errnoCode(r.error) };
      const ranCorrectly = r.status === 0 && (win ? program!.expect.test(r.stdout) : r.stdout.includes(SCRIPT_MARKER));
      return { started: true, status: r.status, signal: r.signal, ranCorrectly };
    },
    remove(file) {
      fs.rmSync(file);
    },
    explainRefusal(folder, code) {
      return whyRefused(folder, code, platform, () => fs.readFileSync('/proc/self/mountinfo', 'utf8'));
    },
  };
}

/**
 * Why the system would not start a program in `folder`: on Linux a mount with the noexec flag (read
 * from mountinfo: the deepest mount point holding the folder), on Windows an AppLocker/WDAC rule (os
 * error 1260, which libuv reports as UNKNOWN, or a denied execute right).
 */
export function whyRefused(folder: string, code: string, platform: Platform, mountinfo: () => string): string | undefined {
  if (platform === 'win32') return ['UNKNOWN', 'EPERM', 'EACCES'].includes(code) ? 'blocked by policy (AppLocker/WDAC)' : undefined;
  if (code !== 'EACCES' || platform !== 'linux') return undefined;
  let best: { point: string; noexec: boolean } | undefined;
  try {
    for (const line of mountinfo().split('\n')) {
      // "id parent major:minor root mountpoint options ... - fstype source superoptions"
      const fields = line.split(' ');
      const point = fields[4]?.replace(/\\(\d{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
      if (!point || !(folder === point || folder.startsWith(point.endsWith('/') ? point : `${point}/`))) continue;
      if (!best || point.length >= best.point.length) best = { point, noexec: fields[5]!.split(',').includes('noexec') };
    }
  } catch {
    return undefined;
  }
  return best?.noexec ? `noexec mount (${best.point})` : undefined;
}
