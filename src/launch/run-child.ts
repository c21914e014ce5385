// Runs the real uv with inherited stdio and ends this process the way uv ended:
// the same exit status, or death by the same signal (so a shell sees 128+N, unlike Volta's exit 1).
// Signals sent to the launcher reach uv, which applies its own rules to them (crates/uv/src/child.rs,
// run_to_completion): uv passes SIGINT on to its program only when stdin is not a terminal (a
// terminal's Ctrl-C reaches the whole foreground group already), after 200 ms, and passes the
// other signals below on at once. uv shares our stdin and our process group, so handing every one
// of them to uv unjudged gives uv's own result: the program sees what it would see under uv alone,
// and a uv command without a handler (uv pip install, uv add) ends as it would alone.

import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import path = require('node:path');
import { reportError, UvNotFoundError } from '../errors.js';
import type { Debug } from '../log.js';
import { errorWords, exampleUvPath } from '../platform/os-words.js';
import { exitProcess, fitsRuntimeExit, openProcessStatus } from '../platform/exit-status-win32-bun.js';

/**
 * uv's list (run_to_completion) but SIGINT; SIGINFO does not exist on Linux. Node would start its
 * inspector on SIGUSR1: a listener replaces that, so uv gets it as it would alone.
 */
const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGWINCH', 'SIGPIPE'];
/**
 * uv waits this long before it passes a SIGINT on (the terminal may still be delivering one); we wait
 * as long, so that a Ctrl-C to the whole group reaches uv from us after uv has judged its own.
 */
const SIGINT_FORWARD_DELAY_MS = 200;

export interface ChildSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * The one line for a uv the system would not start. Windows refuses a spawn that AppLocker or WDAC
 * blocks (os error 1260, which libuv does not know: UNKNOWN) or that the user may not read (EPERM,
 * EACCES); Linux refuses one on a noexec mount (EACCES).
 */
export function spawnFailure(file: string, err: NodeJS.ErrnoException, platform: NodeJS.Platform): UvNotFoundError {
  const code = err.code ?? err.message;
  const folder = (platform === 'win32' ? path.win32 : path.posix).dirname(file);
  const where = `cannot start uv at ${file} (${code})`;
  if (code === 'ENOENT') return new UvNotFoundError(`${where}: no such file`, { hint: `point at the real uv with UVX_SAFE_UV=${exampleUvPath(platform)} or \`uv-path\` in the uvx-safe config` });
  if (platform === 'win32' && code === 'EFTYPE')
    return new UvNotFoundError(`cannot start uv at ${file}: ${errorWords(err, platform)}`, { hint: 'point UVX_SAFE_UV or `uv-path` at the real uv.exe' });
  if (platform === 'win32' && (code === 'UNKNOWN' || code === 'EPERM' || code === 'EACCES'))
    return new UvNotFoundError(`${where}: Windows refused to run a program from ${folder}, most likely blocked by policy (AppLocker/WDAC)`, {
      hint: 'move uv into a folder programs may run from, or point at one with `uv-path` in the uvx-safe config',
    });
  if (code === 'EACCES')
    return new UvNotFoundError(`${where}: permission denied; ${folder} may be mounted noexec or the file lacks the execute bit`, {
      hint: 'move uv into a folder programs may run from, or point at one with `uv-path` in the uvx-safe config',
    });
  return new UvNotFoundError(where, { hint: 'run `uvx-safe safe doctor`: it checks the real uv and the folders it runs from' });
}

export function runChild(spec: ChildSpec, debug: Debug): void {
  let child: ChildProcess;
  try {
    child = spawn(spec.file, spec.args, { stdio: 'inherit', env: spec.env, windowsHide: false });
  } catch (err) {
    // Windows reports a refused program (EPERM, AppLocker's UNKNOWN) by throwing here, in Node and
    // in Bun alike, where POSIX emits 'error' below.
    throw spawnFailure(spec.file, err as NodeJS.ErrnoException, process.platform);
  }
  // Opened at once, while the runtime still holds the child's handle (the pid names only it).
  const whole = wholeStatusReader(child.pid, debug);
  const handlers = new Map<NodeJS.Signals, () => void>();

  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      debug(`received ${signal}, forwarding to uv (pid ${child.pid})`);
      child.kill(signal);
    }
  };
  if (process.platform !== 'win32') {
    handlers.set('SIGINT', () => setTimeout(() => forward('SIGINT'), SIGINT_FORWARD_DELAY_MS).unref());
    for (const signal of FORWARDED) handlers.set(signal, () => forward(signal));
  } else {
    // Windows delivers Ctrl-C to every process on the console: wait for uv to decide.
    handlers.set('SIGINT', () => {});
    handlers.set('SIGBREAK', () => {});
  }
  for (const [signal, handler] of handlers) process.on(signal, handler);

  child.on('error', (err: NodeJS.ErrnoException) => {
    const failure = spawnFailure(spec.file, err, process.platform);
    process.exitCode = reportError(failure, false);
  });

  child.on('exit', (code, signal) => {
    for (const [sig, handler] of handlers) process.removeListener(sig, handler);
    if (signal) {
      debug(`uv was ended by ${signal}; ending the same way`);
      process.kill(process.pid, signal);
      // Only reached if the signal is ignored or blocked here: fall back to the shell's convention.
      const number = signalNumber(signal);
      setTimeout(() => process.exit(128 + number), 100);
      return;
    }
    const status = whole ? whole(code) : code ?? 1;
    if (whole && !fitsRuntimeExit(status)) {
      debug(`uv exited ${status}: ending with ExitProcess, which keeps all 32 bits`);
      exitProcess(status);
    }
    process.exitCode = status;
  });
}

/**
 * Windows under Bun (the standalone executable): a reader of uv's whole 32-bit status, since Bun
 * reports only its low byte (exit-status-win32-bun.ts). Elsewhere the runtime's code is whole.
 * Should the process not open (it always does: it is our own child), the runtime's code is used.
 */
function wholeStatusReader(pid: number | undefined, debug: Debug): ((code: number | null) => number) | undefined {
  if (process.platform !== 'win32' || process.versions.bun === undefined || pid === undefined) return undefined;
  const because = (error: unknown) => (error instanceof Error ? error.message : String(error));
  try {
    const status = openProcessStatus(pid);
    return (code) => {
      try {
        return status.read();
      } catch (error) {
        debug(`cannot read uv's whole exit status (${because(error)}); passing on ${code}`);
        return code ?? 1;
      }
    };
  } catch (error) {
    debug(`cannot open uv's process for its exit status (${because(error)}); its low byte is passed on`);
    return undefined;
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 1;
}
