// `uvx-safe safe env`: a shell that evaluates the output, as a dotfile would, gives plain uv the
// same folders the launcher gives it, for a data root whose path is hostile to quoting. The shells
// are the real ones (zsh and fish skip, with the reason, where they are not installed).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explain, getUv, LAUNCHER, runLauncher, runProgram, sandboxEnv, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';
import { expectRefused } from '../helpers/refusal.js';
import { TOX_OVERRIDE_ENTRIES } from '../../src/shell/tox.js';
import { skipOrFail, which } from '../helpers/system-tools.js';

/** Spaces, both quotes, `$`, backticks, `!`, `%`, a backslash and non-ASCII: every quoting trap of a path. */
const HOSTILE = `data root 'single' "double" $HOME \`id\` !! %PATH% back\\slash café 日本`;

/** The uv commands that print where uv puts things; run by plain uv and through the launcher. */
const DIR_COMMANDS = [['cache', 'dir'], ['tool', 'dir'], ['tool', 'dir', '--bin'], ['python', 'dir'], ['python', 'dir', '--bin']];
const HOOKS = ['UV', 'TOX_UV_PATH', 'HATCH_ENV_TYPE_VIRTUAL_UV_PATH'];
/** What makes tox pass the policy on to its commands (src/shell/tox.ts), as a shell must read it back. */
const TOX = TOX_OVERRIDE_ENTRIES.join(';');

interface Workspace {
  root: string;
  dataRoot: string;
  policy: string;
  env: SandboxEnv;
}

let ws: Workspace;

beforeEach(async () => {
  const root = await makeTempDir('uvx-safe-env-');
  const dataRoot = path.join(root, 'allowed', HOSTILE);
  const policy = path.join(root, 'policy.toml');
  fs.mkdirSync(path.join(root, 'allowed')); // an allowed root must exist
  // JSON strings are valid TOML basic strings (same escapes), whatever the path holds.
  writePolicy(policy, { mode: 'enforce', allowedRoots: [path.join(root, 'allowed')], dataRoot, env: { UV_LINK_MODE: 'copy', UV_TEST_NOTE: `it's "$x" 100% !` } });
  ws = { root, dataRoot, policy, env: { ...sandboxEnv(path.join(root, 'sandbox')), UVX_SAFE_SYSTEM_CONFIG: policy } };
});

afterEach(async () => {
  await fs.promises.rm(ws.root, { recursive: true, force: true });
});

function writePolicy(file: string, p: { mode: string; allowedRoots: string[]; dataRoot: string; env?: Record<string, string> }): void {
  const lines = [
    `mode = ${JSON.stringify(p.mode)}`,
    `allowed-roots = ${JSON.stringify(p.allowedRoots)}`,
    `data-root = ${JSON.stringify(p.dataRoot)}`,
  ];
  if (p.env) lines.push('[env]', ...Object.entries(p.env).map(([k, v]) => `${k} = ${JSON.stringify(v)}`));
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

/** What each dir command prints through the launcher (the reference the shells must match). */
async function launcherDirs(env: SandboxEnv): Promise<string[]> {
  const out: string[] = [];
  for (const args of DIR_COMMANDS) {
    const r = await runLauncher(args, { env });
    expect(r.exitCode, explain(r)).toBe(0);
    out.push(r.stdout.trim());
  }
  return out;
}

/**
 * A script for `shell` that loads `safe env` the way a dotfile does, fails (status 3) if the launcher
 * failed, runs every dir command with plain uv ($UVBIN), and writes its environment to $ENVDUMP.
 */
function shellScript(shell: string, extraArgs: string): string {
  const uvLines = DIR_COMMANDS.map((args) => `"$UVBIN" ${args.join(' ')}`);
  const env = `"$NODE" "$LAUNCHER" safe env --shell ${shell} ${extraArgs}`;
  if (shell === 'fish') {
    return [`${env} | source`, 'test $pipestatus[1] -eq 0; or exit 3', ...uvLines, 'printenv -0 > "$ENVDUMP"'].join('\n');
  }
  return [`out="$(${env})" || exit 3`, 'eval "$out"', ...uvLines, 'printenv -0 > "$ENVDUMP"'].join('\n');
}

interface ShellRun {
  dirs: string[];
  env: Map<string, string>;
}

async function evalInShell(exe: string, shell: string, env: SandboxEnv, extraArgs = ''): Promise<ShellRun> {
  const dump = path.join(ws.root, `${shell}.env`);
  const args = shell === 'fish' ? ['--no-config', '-c'] : shell === 'zsh' ? ['-f', '-c'] : ['-c'];
  const r = await runProgram(exe, [...args, shellScript(shell, extraArgs)], {
    env: { ...env, NODE: process.execPath, LAUNCHER, UVBIN: getUv(), ENVDUMP: dump, LC_ALL: 'C.UTF-8' },
  });
  expect(r.exitCode, explain(r)).toBe(0);
  expect(r.stderr, explain(r)).toBe('');
  const entries = fs
    .readFileSync(dump, 'utf8')
    .split('\0')
    .filter((e) => e.includes('='))
    .map((e): [string, string] => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]);
  return { dirs: r.stdout.trim().split('\n'), env: new Map(entries) };
}

const SHELLS: [string, string | undefined][] = [
  ['bash', which('bash')],
  ['sh', which('sh')],
  ['zsh', which('zsh')],
  ['fish', which('fish')],
];

describe.each(SHELLS)('safe env --shell %s', (shell, exe) => {
  /** Skips the test, saying why, when this shell is not installed. */
  const needShell = (ctx: { skip: (note?: string) => void }) => {
    if (!exe) skipOrFail(ctx, `${shell} is not installed (apt-get install -y ${shell})`);
  };

  it("gives plain uv the launcher's folders, [env] and hooks to the launcher", async (ctx) => {
    needShell(ctx);
    const run = await evalInShell(exe!, shell, ws.env);
    // The launcher is not in the loop for plain uv, so `safe env` made the folders (TMPDIR above all).
    for (const sub of ['cache', 'tmp', 'tools', 'bin', 'python']) expect(fs.statSync(path.join(ws.dataRoot, sub)).isDirectory(), sub).toBe(true);
    const expected = await launcherDirs(ws.env);
    expect(expected[0]).toBe(path.join(ws.dataRoot, 'cache'));
    expect(run.dirs).toEqual(expected);
    // The session's temp folder moves only with --temp (below).
    expect(run.env.get('TMPDIR')).toBe(ws.env.TMPDIR);
    // The tool bin folder, at the end of PATH: no shim is on this PATH.
    expect(run.env.get('PATH')).toBe(`${ws.env.PATH}:${path.join(ws.dataRoot, 'bin')}`);
    expect(run.env.get('UV_CACHE_DIR')).toBe(path.join(ws.dataRoot, 'cache'));
    expect(run.env.get('UV_LINK_MODE')).toBe('copy');
    expect(run.env.get('UV_TEST_NOTE')).toBe(`it's "$x" 100% !`);
    for (const hook of HOOKS) expect(run.env.get(hook), hook).toBe(LAUNCHER);
    expect(run.env.get('TOX_OVERRIDE')).toBe(TOX);
    // Nothing of the launcher's own bookkeeping leaks into the shell.
    expect(run.env.has('UVX_SAFE_PARENT_PID')).toBe(false);
    expect(run.env.has('UVX_SAFE_DEPTH')).toBe(false);
  });

  it('--temp moves TMPDIR, TEMP and TMP into the data root for the session', async (ctx) => {
    needShell(ctx);
    const run = await evalInShell(exe!, shell, ws.env, '--temp');
    for (const name of ['TMPDIR', 'TEMP', 'TMP']) expect(run.env.get(name), name).toBe(path.join(ws.dataRoot, 'tmp'));
    expect(fs.statSync(path.join(ws.dataRoot, 'tmp')).isDirectory()).toBe(true);
  });

  it('--no-hooks leaves UV, TOX_UV_PATH and HATCH_ENV_TYPE_VIRTUAL_UV_PATH unset', async (ctx) => {
    needShell(ctx);
    const run = await evalInShell(exe!, shell, ws.env, '--no-hooks');
    for (const hook of [...HOOKS, 'TOX_OVERRIDE']) expect(run.env.has(hook), hook).toBe(false);
    expect(run.env.get('UV_CACHE_DIR')).toBe(path.join(ws.dataRoot, 'cache'));
  });

  it('--hooks-only sets the hooks and TOX_OVERRIDE (keeping the user`s own), no folder, and creates nothing', async (ctx) => {
    needShell(ctx);
    const run = await evalInShell(exe!, shell, { ...ws.env, TOX_OVERRIDE: 'testenv.deps=httpx' }, '--hooks-only');
    for (const hook of HOOKS) expect(run.env.get(hook), hook).toBe(LAUNCHER);
    expect(run.env.get('TOX_OVERRIDE')).toBe(`testenv.deps=httpx;${TOX}`);
    for (const name of ['UV_CACHE_DIR', 'UV_TOOL_DIR', 'UV_LINK_MODE', 'UV_TEST_NOTE']) expect(run.env.has(name), name).toBe(false);
    expect(run.env.get('TMPDIR')).toBe(ws.env.TMPDIR);
    expect(fs.existsSync(ws.dataRoot)).toBe(false);
    // Plain uv keeps its own folders: only the tools that read a hook reach the launcher.
    expect(run.dirs[0]).toBe(path.join(ws.env.XDG_CACHE_HOME, 'uv'));
  });
});

describe('safe env', () => {
  it('hooks run the launcher, which gives the same folders as the shell', async () => {
    const run = await evalInShell(which('bash')!, 'bash', ws.env);
    const hookEnv = Object.fromEntries(run.env) as SandboxEnv;
    const viaHook = await runProgram(run.env.get('UV')!, ['cache', 'dir'], { env: { ...hookEnv, UVX_SAFE_UV: getUv(), PATH: `${path.dirname(process.execPath)}:${hookEnv.PATH}` } });
    expect(viaHook.exitCode, explain(viaHook)).toBe(0);
    expect(viaHook.stdout.trim()).toBe(path.join(ws.dataRoot, 'cache'));
  });

  it('prints the same text every time, without needing uv, and nothing on stderr', async () => {
    const a = await runLauncher(['safe', 'env', '--shell', 'bash'], { env: ws.env, uv: 'none' });
    const b = await runLauncher(['safe', 'env', '--shell', 'bash'], { env: ws.env, uv: 'none' });
    expect(a.exitCode, explain(a)).toBe(0);
    expect(a.stderr).toBe('');
    expect(b.stdout).toBe(a.stdout);
    const names = a.stdout.split('\n').filter((l) => l.startsWith('export ')).map((l) => l.slice(7, l.indexOf('=')));
    expect(names).toEqual(['PATH', 'PYX_CREDENTIALS_DIR', 'UV_CACHE_DIR', 'UV_CREDENTIALS_DIR', 'UV_LINK_MODE', 'UV_PYTHON_BIN_DIR', 'UV_PYTHON_INSTALL_DIR', 'UV_TEST_NOTE', 'UV_TOOL_BIN_DIR', 'UV_TOOL_DIR', ...HOOKS, 'TOX_OVERRIDE']);
  });

  it('defaults to the login shell from $SHELL and refuses without one', async () => {
    const zsh = await runLauncher(['safe', 'env'], { env: { ...ws.env, SHELL: '/usr/bin/zsh' }, uv: 'none' });
    expect(zsh.exitCode, explain(zsh)).toBe(0);
    expect(zsh.stdout.split('\n')[0]).toContain('--shell zsh');
    const fish = await runLauncher(['safe', 'env'], { env: { ...ws.env, SHELL: '/usr/local/bin/fish' }, uv: 'none' });
    expect(fish.stdout).toMatch(/^set -gx UV_CACHE_DIR /m);
    const none = await runLauncher(['safe', 'env'], { env: { ...ws.env, SHELL: undefined }, uv: 'none' });
    expectRefused(none, 'safe env: $SHELL is not set', 'name the shell with --shell');
    const tcsh = await runLauncher(['safe', 'env'], { env: { ...ws.env, SHELL: '/bin/tcsh' }, uv: 'none' });
    expectRefused(tcsh, 'SHELL=/bin/tcsh');
  });

  it('names a wrong argument with exit status 2', async () => {
    for (const args of [['--shell', 'csh'], ['--shell'], ['--bogus'], ['--no-hooks', '--hooks-only']]) {
      const r = await runLauncher(['safe', 'env', ...args], { env: ws.env, uv: 'none' });
      expectRefused(r, args.at(-1)!);
    }
  });

  it('refuses, like the launcher, a data root outside allowed-roots in enforce mode, creating nothing', async () => {
    const outside = path.join(ws.root, 'outside', HOSTILE);
    writePolicy(ws.policy, { mode: 'enforce', allowedRoots: [path.join(ws.root, 'allowed')], dataRoot: outside });
    const r = await runLauncher(['safe', 'env', '--shell', 'bash'], { env: ws.env, uv: 'none' });
    expectRefused(r, 'data-root (', ') lies outside allowed-roots');
    const launcher = await runLauncher(['cache', 'dir'], { env: ws.env });
    expect(launcher.exitCode).toBe(2);
    expect(r.stderr).toBe(launcher.stderr);
    expect(fs.existsSync(path.join(ws.root, 'outside'))).toBe(false);
  });

  it('warns, like the launcher, in warn mode and still prints the statements', async () => {
    const outside = path.join(ws.root, 'outside', 'data');
    writePolicy(ws.policy, { mode: 'warn', allowedRoots: [path.join(ws.root, 'allowed')], dataRoot: outside });
    const r = await runLauncher(['safe', 'env', '--shell', 'sh'], { env: ws.env, uv: 'none' });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stderr).toMatch(/^warning: uvx-safe: data-root \(.*\) lies outside allowed-roots/);
    expect(r.stdout).toContain(`export UV_CACHE_DIR='${outside}/cache'`);
  });

  it('prints the hooks alone when no policy relocates anything', async () => {
    const r = await runLauncher(['safe', 'env', '--shell', 'powershell'], { env: { ...ws.env, UVX_SAFE_SYSTEM_CONFIG: '/dev/null' }, uv: 'none' });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.split('\n').slice(1).filter(Boolean)).toEqual([...HOOKS.map((h) => `$env:${h} = '${LAUNCHER}'`), `$env:TOX_OVERRIDE = '${TOX}'`]);
  });
});
