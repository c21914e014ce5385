// Run the real uv, or the launcher in front of it, in a clean, offline environment.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { inject } from 'vitest';
import type { LauncherForm } from './forms.js';
import { LAUNCHER, LAUNCHER_BUNDLE } from './paths.js';

export { LAUNCHER } from './paths.js';

/** The real uv binary chosen by the global setup (UVX_SAFE_TEST_UV or the pinned release). */
export function getUv(): string {
  return inject('uvPath');
}

/** The machine's python3 interpreter (absolute, not a shim). */
export function getPython(): string {
  return inject('pythonPath');
}

/** The minimal system PATH; sandboxEnv puts the python3 folder before it, runLauncher may put uv's first. */
export const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin';

/** An environment built from nothing (no inherited variable leaks in); keys always set are typed. */
export interface SandboxEnv extends Record<string, string | undefined> {
  HOME: string;
  XDG_CONFIG_HOME: string;
  XDG_CACHE_HOME: string;
  XDG_DATA_HOME: string;
  XDG_BIN_HOME: string;
  TMPDIR: string;
  PATH: string;
}

/**
 * A clean environment whose home, XDG folders and temp dir all lie under `root`, so every
 * default location uv uses (cache, tools, tool executables, temp) lands there. The folders
 * are created, because uv and Python expect HOME and TMPDIR to exist.
 *
 * Nothing is inherited: no UV_* or UVX_SAFE_* variable of the machine (or of a uv.toml,
 * thanks to UV_NO_CONFIG) can change what a test sees. uv gets the interpreter through
 * UV_PYTHON, and never downloads one or touches the network.
 */
export function sandboxEnv(root: string): SandboxEnv {
  const dir = (name: string) => {
    const p = path.join(root, name);
    fs.mkdirSync(p, { recursive: true });
    return p;
  };
  const python = getPython();
  return {
    HOME: dir('home'),
    XDG_CONFIG_HOME: dir('config'),
    XDG_CACHE_HOME: dir('cache'),
    XDG_DATA_HOME: dir('data'),
    XDG_BIN_HOME: dir('bin'),
    TMPDIR: dir('tmp'),
    // python3's folder first: not every uv command reads UV_PYTHON (`uv python find` does not in
    // 0.13.9), and a system /usr/bin/python3 found first would give those a different interpreter.
    PATH: `${path.dirname(python)}:${SYSTEM_PATH}`,
    UV_PYTHON: python,
    UV_PYTHON_DOWNLOADS: 'never',
    UV_OFFLINE: '1',
    UV_NO_CONFIG: '1',
    UV_NO_PROGRESS: '1',
    NO_COLOR: '1',
  };
}

export interface RunOptions {
  /** The complete environment (usually sandboxEnv(...) plus changes); a key set to undefined is left out. */
  env: Record<string, string | undefined>;
  /** Working folder; defaults to env.HOME, so uv never discovers a project around the checkout. */
  cwd?: string;
  /** Bytes for the child's standard input (a pipe); without it, stdin is closed. */
  input?: Buffer | string;
  /** Kill the child after this many ms (default 50 s, under vitest's 60 s test timeout). */
  timeoutMs?: number;
}

export interface RunResult {
  /** Undefined when the program could not be started or was killed. */
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  /** The errno code when the program could not be started at all, e.g. 'EACCES' on a noexec mount. */
  spawnError: string | undefined;
  /** The command line, for assertion messages. */
  command: string;
}

/**
 * The one variable the test process passes on to what it starts: under `npm run mutation:e2e` it
 * switches one mutant on in the launcher bundle (stryker.e2e.config.mjs). Unset otherwise.
 */
export function withActiveMutant(env: Record<string, string>): Record<string, string> {
  const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
  return mutant === undefined ? env : { ...env, __STRYKER_ACTIVE_MUTANT__: mutant };
}

/** Run any program with exactly `opts.env` (nothing inherited); never throws on failure. */
export async function runProgram(file: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const env = withActiveMutant(
    Object.fromEntries(Object.entries(opts.env).filter((e): e is [string, string] => e[1] !== undefined)),
  );
  const result = await execa(file, args, {
    env,
    extendEnv: false,
    cwd: opts.cwd ?? env.HOME,
    reject: false,
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
    timeout: opts.timeoutMs ?? 50_000,
  });
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
    // execa sets `code` for spawn errors only (ENOENT, EACCES, ...); it is absent for a non-zero exit.
    spawnError: 'code' in result && typeof result.code === 'string' ? result.code : undefined,
    command: [file, ...args].join(' '),
  };
}

/** Run the real uv. */
export function runUv(args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return runProgram(getUv(), args, opts);
}

export interface LauncherOptions extends RunOptions {
  /**
   * How the launcher finds the real uv: 'path' (default) puts uv's folder first on PATH and
   * removes UVX_SAFE_UV; 'env' sets UVX_SAFE_UV and leaves PATH alone; 'none' does neither.
   */
  uv?: 'path' | 'env' | 'none';
  /** Which shipped form runs (test/helpers/forms.ts); the npm form by default. */
  form?: LauncherForm;
}

/** Run bin/uvx-safe (with this Node, so the sandbox PATH needs no node), or another form, in front of the real uv. */
export async function runLauncher(args: readonly string[], opts: LauncherOptions): Promise<RunResult> {
  if (!fs.existsSync(LAUNCHER_BUNDLE)) {
    throw new Error(`${LAUNCHER_BUNDLE} is missing: run \`npm run build\` first (\`npm test\` does it through pretest).`);
  }
  const env = { ...opts.env };
  const mode = opts.uv ?? 'path';
  if (mode === 'path') {
    env.PATH = [path.dirname(getUv()), env.PATH].filter(Boolean).join(path.delimiter);
    delete env.UVX_SAFE_UV;
  } else if (mode === 'env') {
    env.UVX_SAFE_UV = getUv();
  }
  const [file, argv] = opts.form ? opts.form.command(args) : [process.execPath, [LAUNCHER, ...args]];
  return runProgram(file, argv, { ...opts, env });
}

/** Everything about a run, for the message of a failed assertion. */
export function explain(r: RunResult): string {
  return [
    `$ ${r.command}`,
    `exit ${r.exitCode ?? '-'} signal ${r.signal ?? '-'} spawn error ${r.spawnError ?? '-'}`,
    `--- stdout\n${r.stdout}`,
    `--- stderr\n${r.stderr}`,
  ].join('\n');
}
