// A program started as the leader of a process group of its own (as a shell starts a foreground job),
// for signal tests: Ctrl-C reaches the whole group, `kill PID` the leader alone. Linux only (/proc).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { withActiveMutant } from './uv.js';

export interface GroupRun {
  child: ChildProcess;
  /** The leader's end: its exit code or the signal that killed it. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): { stdout: string; stderr: string };
  /** Kills whatever is left of the group (cleanup only: checks must look before this). */
  killGroup(): void;
}

/** Start `file args` leading a new process group, stdin a pipe (so never a terminal). */
export function startGroup(file: string, args: readonly string[], opts: { env: Record<string, string>; cwd: string }): GroupRun {
  const child = spawn(file, args, { detached: true, env: withActiveMutant(opts.env), cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    ended,
    output: () => ({ stdout, stderr }),
    killGroup() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    },
  };
}

/** Whether `pid` names a process that has not been reaped (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z /s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The parent of `pid`, from /proc. */
export function parentOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * Polls `check` until it returns a value other than undefined; a bounded wait, not a timing claim:
 * after `limitMs` it fails with `what` and the last state `describe` gives.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined,
  describe: () => string = () => '',
  limitMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still not so after ${limitMs / 1000} s. ${describe()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for a line `ready PID` on the group's stdout and returns PID. */
export function readyPid(run: GroupRun): Promise<number> {
  return waitFor(
    'the program under uv printed "ready PID"',
    () => {
      const match = /^ready (\d+)$/m.exec(run.output().stdout);
      return match ? Number(match[1]) : undefined;
    },
    () => JSON.stringify(run.output()),
  );
}

/** The children of `pid`, from /proc. */
export function childrenOf(pid: number): number[] {
  const tasks = fs.readdirSync(`/proc/${pid}/task`);
  return tasks.flatMap((tid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}
