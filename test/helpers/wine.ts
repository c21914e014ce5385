// Running Windows programs under Wine in the test bed that the global setup built (test/setup/wine-bed.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { inject } from 'vitest';
import { NOBODY, wineEnv, type WineBed } from '../setup/wine-bed.js';
import { WINDOWS_EXE } from './paths.js';
import { skipOrFail } from './system-tools.js';
import { runProgram, type RunResult } from './uv.js';

export { WINDOWS_EXE } from './paths.js';

/** The bed, or a skip with one line (a failure in CI) when Wine or mingw is missing. */
export function needWineBed(ctx: { skip: (note?: string) => void }): WineBed {
  const bed = inject('wineBed');
  if (!bed) skipOrFail(ctx, inject('wineMissing') ?? 'no Windows test bed');
  if (!fs.existsSync(WINDOWS_EXE)) skipOrFail(ctx, `${WINDOWS_EXE} is missing: run \`npm run build:exe\``);
  return bed!;
}

/**
 * A Wine prefix of this test run's own at `target`, sharing the bed's drive C: through a link: its
 * drive letters (a suite maps D: to a folder of its run) and its registry are this run's, so two runs
 * in one checkout never point the cached prefix's D: at each other's folders. Only the registry files
 * are copied (milliseconds); the run's wineserver is its own too (Wine keys it by the prefix folder).
 * `own`: top-level folders of C: that are this run's own, empty (the others are linked).
 */
export function runPrefix(bedPrefix: string, target: string, own: readonly string[] = []): string {
  fs.mkdirSync(path.join(target, 'dosdevices'), { recursive: true });
  const driveC = path.join(bedPrefix, 'drive_c');
  if (own.length === 0) fs.symlinkSync(driveC, path.join(target, 'drive_c'));
  else {
    // Folders of C: this run writes (`own`, e.g. ProgramData: the admin policy's path) are its own
    // and start empty; every other entry links to the bed's drive C:.
    fs.mkdirSync(path.join(target, 'drive_c'));
    for (const entry of fs.readdirSync(driveC))
      if (!own.includes(entry)) fs.symlinkSync(path.join(driveC, entry), path.join(target, 'drive_c', entry));
    for (const entry of own) fs.mkdirSync(path.join(target, 'drive_c', entry), { recursive: true });
  }
  fs.symlinkSync('../drive_c', path.join(target, 'dosdevices', 'c:'));
  fs.symlinkSync('/', path.join(target, 'dosdevices', 'z:'));
  for (const file of ['system.reg', 'user.reg', 'userdef.reg', '.update-timestamp']) fs.copyFileSync(path.join(bedPrefix, file), path.join(target, file));
  return target;
}

/** `/tmp/x/uv.exe` as Windows sees it: Wine maps `/` to drive Z:. */
export function winPath(linuxPath: string): string {
  return `Z:${linuxPath.replace(/\//g, '\\')}`;
}

/**
 * Puts our executable into `dir` under each name: a hard link where possible (it is ~110 MB), or a
 * copy. A hard link shares the running executable's file, which Windows (and Wine) will not delete.
 */
export function installExe(dir: string, names: string[], how: 'link' | 'copy' = 'link'): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return names.map((name) => {
    const target = path.join(dir, name);
    try {
      if (how === 'copy') throw new Error('copy wanted');
      fs.linkSync(WINDOWS_EXE, target);
    } catch {
      fs.copyFileSync(WINDOWS_EXE, target);
    }
    return target;
  });
}

export interface WineRun {
  /** Windows variables (and Wine's own) on top of the bed's clean environment. */
  env?: Record<string, string | undefined>;
  /** Linux working folder (Wine shows it as Z:\...). */
  cwd: string;
  /** Folders Wine puts before its own PATH (Linux paths). */
  path?: string[];
  /** Run Wine as NOBODY with the bed's nobody-owned prefix. */
  asNobody?: boolean;
  /** Standard input for the program (a pipe). */
  input?: Buffer | string;
}

function bedEnv(bed: WineBed, opts: WineRun): Record<string, string | undefined> {
  const base = opts.asNobody ? wineEnv(bed.nobodyPrefix, opts.cwd, 'nobody') : wineEnv(bed.prefix, opts.cwd);
  return { ...base, ...(opts.path ? { WINEPATH: opts.path.map(winPath).join(';') } : {}), ...opts.env };
}

/** Runs a Windows program (a Linux path or a Windows one) under Wine; never throws. */
export function runWine(bed: WineBed, program: string, args: readonly string[], opts: WineRun): Promise<RunResult> {
  const env = bedEnv(bed, opts);
  const run = { env, cwd: opts.cwd, input: opts.input };
  if (opts.asNobody) return runProgram('setpriv', [...SETPRIV_NOBODY, 'wine', program, ...args], run);
  return runProgram('wine', [program, ...args], run);
}

/** Starts a Windows program under Wine in the background (no pipes); the pid is the program's own. */
export function startWine(bed: WineBed, program: string, args: readonly string[], opts: WineRun): ChildProcess {
  const env = Object.fromEntries(Object.entries(bedEnv(bed, opts)).filter((e): e is [string, string] => e[1] !== undefined));
  return spawn('wine', [program, ...args], { env, cwd: opts.cwd, stdio: 'ignore' });
}

/** Linux pids of the processes whose command line holds `marker` (Wine shows a Windows program's). */
export function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * Runs an exact Windows command line, the way a Windows shell or CreateProcess starts a program
 * (Wine would otherwise build the command line itself, with its own quoting).
 */
export function runCommandLine(bed: WineBed, commandLine: string, opts: WineRun): Promise<RunResult> {
  const file = path.join(opts.cwd, `cmdline-${Math.random().toString(36).slice(2)}.txt`);
  fs.writeFileSync(file, commandLine);
  return runWine(bed, bed.runCmdlineExe, [winPath(file)], opts).finally(() => fs.rmSync(file, { force: true }));
}

const SETPRIV_NOBODY = ['--reuid', String(NOBODY.uid), '--regid', String(NOBODY.gid), '--clear-groups'];

/** A command for root's prefix, or for nobody's through setpriv; no pipes, never throws. */
function wineTool(bed: WineBed, home: string, nobody: boolean, args: string[]) {
  const env = nobody ? wineEnv(bed.nobodyPrefix, home, 'nobody') : wineEnv(bed.prefix, home);
  const [file, rest] = nobody ? ['setpriv', [...SETPRIV_NOBODY, ...args]] : [args[0]!, args.slice(1)];
  return execa(file, rest, { env, extendEnv: false, reject: false, stdio: 'ignore', timeout: 60_000 });
}

/**
 * Starts the bed's wine servers (root's and nobody's) and Wine's own services for a suite, so every
 * start then costs ~0.1 s, not ~0.5 s. The services must not be started by a test's first program:
 * they would inherit its stdout pipe and hold it open (the test would wait for them until the server
 * ends). Nothing here has a pipe. Should the suite die before stopWineServers, a server still ends a
 * minute after its last process.
 */
export async function startWineServers(bed: WineBed, home: string): Promise<void> {
  await Promise.all(
    [false, true].map(async (nobody) => {
      await wineTool(bed, home, nobody, ['wineserver', '--persistent=60']);
      await wineTool(bed, home, nobody, ['wine', 'cmd.exe', '/c', 'exit']);
    }),
  );
}

/** Ends the bed's wine servers, so nothing lingers after the suite. */
export async function stopWineServers(bed: WineBed, home: string): Promise<void> {
  await Promise.all([false, true].map((nobody) => wineTool(bed, home, nobody, ['wineserver', '-k'])));
}

/** What the stand-in uv.exe (record-args.c) recorded. */
export interface Recorded {
  cmdline: string;
  argv: string[];
  env: string[];
  /** Present when RECORD_ARGS_STDIN was set. */
  stdin?: string;
}

export function readRecord(file: string): Recorded {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Recorded;
}

/** The environment entries of a record whose name is `name`, in any case. */
export function recordedVariables(record: Recorded, name: string): string[] {
  return record.env.filter((entry) => entry.slice(0, entry.indexOf('=', 1)).toUpperCase() === name.toUpperCase());
}

/**
 * Starts root's wine server of `prefix` alone (a suite with a prefix of its own and no nobody runs),
 * with no pipes, so that the services Wine starts never hold a test's stdout; stop it with stopPrefixServer.
 */
export async function startPrefixServer(prefix: string, home: string): Promise<void> {
  const env = wineEnv(prefix, home);
  for (const args of [['wineserver', '--persistent=60'], ['wine', 'cmd.exe', '/c', 'exit']])
    await execa(args[0]!, args.slice(1), { env, extendEnv: false, reject: false, stdio: 'ignore', timeout: 60_000 });
}

export async function stopPrefixServer(prefix: string, home: string): Promise<void> {
  await execa('wineserver', ['-k'], { env: wineEnv(prefix, home), extendEnv: false, reject: false, stdio: 'ignore', timeout: 60_000 });
}
