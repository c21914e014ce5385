// Runs the real uv with inherited stdio and ends this process the way uv ended:
// the same exit status, or death by the same signal (so a shell sees 128+N, unlike Volta's exit 1).
// Signal handling follows uv's own parent logic (crates/uv/src/child.rs): a terminal's Ctrl-C
// already reaches the whole foreground group, so SIGINT is only forwarded when stdin is not a TTY
// (then it was probably sent to us alone); the other termination signals are always forwarded.

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { UvNotFoundError } from '../errors.js';
import type { Debug } from '../log.js';

const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGALRM'];
/** How long a SIGINT sent to us alone waits before it reaches uv, as uv itself does. */
const SIGINT_FORWARD_DELAY_MS = 200;

export interface ChildSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
}

export function runChild(spec: ChildSpec, debug: Debug): void {
  const child = spawn(spec.file, spec.args, { stdio: 'inherit', env: spec.env, windowsHide: false });
  const handlers = new Map<NodeJS.Signals, () => void>();

  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      debug(`received ${signal}, forwarding to uv (pid ${child.pid})`);
      child.kill(signal);
    }
  };
  const onSigint = () => {
    // node:tty is loaded only here: it costs every uv call start-up time, and only a SIGINT needs it.
    const { isatty } = require('node:tty') as typeof import('node:tty');
    if (isatty(0)) return debug('received SIGINT from the terminal; uv has it too');
    setTimeout(() => forward('SIGINT'), SIGINT_FORWARD_DELAY_MS).unref();
  };
  if (process.platform !== 'win32') {
    handlers.set('SIGINT', onSigint);
    for (const signal of FORWARDED) handlers.set(signal, () => forward(signal));
  } else {
    // Windows delivers Ctrl-C to every process on the console: wait for uv to decide.
    handlers.set('SIGINT', () => {});
    handlers.set('SIGBREAK', () => {});
  }
  for (const [signal, handler] of handlers) process.on(signal, handler);

  child.on('error', (err: NodeJS.ErrnoException) => {
    const failure = new UvNotFoundError(`cannot start uv at ${spec.file}: ${err.code ?? err.message}`);
    process.stderr.write(`uvx-safe: ${failure.message}\n`);
    process.exitCode = failure.exitCode;
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
    process.exitCode = code ?? 1;
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 1;
}
