// The launcher as a pass-through: arguments, stdio, exit statuses and signals, compared with the
// real uv run directly. No config here: with none, uvx-safe must be indistinguishable from uv.
// Every test runs against every form shipped for Linux: npm (Node + bin/uvx-safe) and the
// standalone executable (test/helpers/forms.ts).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launcherForms, needForm } from '../helpers/forms.js';
import { alive, childrenOf, parentOf, readyPid, startGroup, waitFor } from '../helpers/process-group.js';
import { explain, getUv, runLauncher as runWith, runProgram, runUv, sandboxEnv, withActiveMutant, type LauncherOptions, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';
import { expectRefused } from '../helpers/refusal.js';

let root: string;
let env: SandboxEnv;

beforeAll(async () => {
  root = await makeTempDir('uvx-safe-launcher-');
  env = sandboxEnv(root);
});
afterAll(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

/** `uv run` a Python one-liner outside any project; the same prefix direct and through the launcher. */
const python = (code: string, ...args: string[]) => ['run', '--no-project', '--', 'python', '-c', code, ...args];
const PRINT_ARGV = 'import sys, json; print(json.dumps(sys.argv[1:]))';
/** The signals uv's `run` passes on to its program on Linux (crates/uv/src/child.rs), as Python names them. */
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGWINCH', 'SIGPIPE'] as const;

/** The real uv's folder first on PATH, as runLauncher({uv: 'path'}) does: for processes we spawn ourselves. */
const pathWithUv = () => `${path.dirname(getUv())}:${env.PATH}`;

describe.each(launcherForms().map((form) => ({ form, name: form.name })))('$name form', ({ form }) => {
  beforeEach((ctx) => needForm(ctx, form));
  const runLauncher = (args: readonly string[], opts: LauncherOptions) => runWith(args, { ...opts, form });
  const [LAUNCHER_FILE, LAUNCHER_ARGS] = form.command([]);

  describe('arguments', () => {
    const awkward = [
      'plain',
      'with space',
      '',
      '  leading and trailing  ',
      'double"quote',
      "single'quote",
      'back\\slash',
      '$HOME',
      '${PATH}',
      '*',
      '?.py',
      '`echo hi`',
      '$(echo hi)',
      ';',
      '|',
      '&&',
      '>out',
      '%PATH%',
      '!event',
      'tab\there',
      'new\nline',
      'ünïcödé ✓ 日本語 🐍',
      '--',
      '--cache-dir',
      '/not/a/cache',
      '-n',
      '--help',
      '-',
    ];

    it('reach the program byte for byte, exactly as with uv alone', async () => {
      const direct = await runUv(python(PRINT_ARGV, ...awkward), { env });
      const launched = await runLauncher(python(PRINT_ARGV, ...awkward), { env });
      expect(direct.exitCode, explain(direct)).toBe(0);
      expect(launched.exitCode, explain(launched)).toBe(0);
      expect(JSON.parse(direct.stdout)).toEqual(awkward);
      expect(launched.stdout).toBe(direct.stdout);
      expect(launched.stderr).toBe(direct.stderr);
    });

    it('reach uv unchanged when they are uv options after the program separator', async () => {
      const args = python(PRINT_ARGV, '--', '--cache-dir', 'x', '--', '-q');
      const launched = await runLauncher(args, { env });
      expect(launched.exitCode, explain(launched)).toBe(0);
      expect(JSON.parse(launched.stdout)).toEqual(['--', '--cache-dir', 'x', '--', '-q']);
    });
  });

  describe('exit status', () => {
    it("is the program's status passed through uv", async () => {
      const direct = await runUv(python('raise SystemExit(7)'), { env });
      const launched = await runLauncher(python('raise SystemExit(7)'), { env });
      expect(direct.exitCode).toBe(7);
      expect(launched.exitCode, explain(launched)).toBe(7);
    });

    it("is uv's own usage error, with uv's message and nothing of the launcher's", async () => {
      const direct = await runUv(['no-such-command'], { env });
      const launched = await runLauncher(['no-such-command'], { env });
      expect(direct.exitCode).toBe(2);
      expect(launched.exitCode).toBe(2);
      expect(launched.stderr).toBe(direct.stderr);
      expect(launched.stderr).not.toMatch(/uvx-safe/);
    });

    it('is 0 with the same output for --version, and the launcher prints nothing of its own', async () => {
      const direct = await runUv(['--version'], { env });
      const launched = await runLauncher(['--version'], { env });
      expect(launched.exitCode).toBe(0);
      expect(launched.stdout).toBe(direct.stdout);
      expect(launched.stderr).toBe('');
    });
  });

  describe('stdio', () => {
    it('carries 300 kB of binary stdin through to stdout unchanged', async () => {
      const input = Buffer.alloc(300 * 1024);
      for (let i = 0; i < input.length; i++) input[i] = (i * 7919 + (i >> 8)) & 0xff;
      const code = 'import sys; sys.stdout.buffer.write(sys.stdin.buffer.read())';
      const result = await execa(LAUNCHER_FILE, [...LAUNCHER_ARGS, ...python(code)], {
        env: withActiveMutant({ ...env, PATH: pathWithUv() }),
        extendEnv: false,
        cwd: env.HOME,
        input,
        encoding: 'buffer',
        reject: false,
      });
      expect(result.exitCode, String(result.stderr)).toBe(0);
      expect(Buffer.compare(Buffer.from(result.stdout as Uint8Array), input)).toBe(0);
    });

    it('is inherited, not piped: the program sees a terminal when uv would', async () => {
      // `script` gives the launcher a pseudo-terminal; a piping launcher would make isatty() false.
      const code = 'import sys; print("tty", sys.stdin.isatty(), sys.stdout.isatty(), sys.stderr.isatty())';
      const command = [LAUNCHER_FILE, ...LAUNCHER_ARGS, ...python(code)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const result = await execa('script', ['-qfec', command, '/dev/null'], {
        env: withActiveMutant({ ...env, PATH: pathWithUv() }),
        extendEnv: false,
        cwd: env.HOME,
        reject: false,
      });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain('tty True True True');
    });
  });

  describe('signals', () => {
    // The program under uv writes down every signal it gets; its stop signal then ends it the
    // way a program without a handler ends (death by that signal, which uv reports as 128+N).
    const RECORDER = [
      'import os, signal, sys',
      'out, stop = sys.argv[1], int(sys.argv[2])',
      'def record(n, frame):',
      '    with open(out, "a") as f: f.write(f"{n}\\n")',
      '    if n == stop:',
      '        signal.signal(n, signal.SIG_DFL)',
      '        os.kill(os.getpid(), n)',
      `for n in (${FORWARDED_SIGNALS.map((s) => `signal.${s}`).join(', ')}): signal.signal(n, record)`,
      'print("ready", os.getpid(), flush=True)',
      'while True: signal.pause()',
    ].join('\n');
    let runs = 0;
    const UV_ALONE = (): [string, string[]] => [getUv(), []];

    /**
     * Starts `file args` (uv, or the launcher, running RECORDER) leading a process group, sends the
     * signals with `send`, and reports how the leader ended, what the program recorded, and which of
     * the program and uv were still running once the leader had ended: looked at before the group is
     * killed, which is cleanup only.
     */
    async function signalled(
      [file, leading]: [string, string[]],
      stop: NodeJS.Signals,
      send: (leader: number, recorded: () => string[]) => Promise<void>,
    ) {
      const record = path.join(root, `signals-${form.name}-${++runs}`);
      const run = startGroup(file, [...leading, ...python(RECORDER, record, String(os.constants.signals[stop]))], {
        env: { ...env, PATH: pathWithUv() },
        cwd: env.HOME,
      });
      const recorded = () => (fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n') : []);
      try {
        const program = await readyPid(run);
        const uv = parentOf(program);
        await send(run.child.pid!, recorded);
        const end = await waitFor(
          'the leader of the group ended',
          () => (run.child.exitCode !== null || run.child.signalCode !== null ? { code: run.child.exitCode, signal: run.child.signalCode } : undefined),
          () => JSON.stringify({ recorded: recorded(), ...run.output() }),
        );
        const running = await waitFor(
          'the program and uv ended once the leader had',
          () => ([program, uv].some(alive) ? undefined : []),
          () => `still running: ${[program, uv].filter(alive).join(', ')}`,
          5_000,
        ).catch(() => [program, uv].filter(alive));
        return { status: shellStatus(end.code, end.signal), end, recorded: recorded(), running };
      } finally {
        run.killGroup();
      }
    }
    /** What a shell shows: the exit code, or 128+N for death by signal N. */
    const shellStatus = (code: number | null, signal: NodeJS.Signals | null) => (signal ? 128 + os.constants.signals[signal] : code);
    const signalTo = (signal: NodeJS.Signals, group: boolean) => async (leader: number) => {
      process.kill(group ? -leader : leader, signal);
    };

    it.each([
      { what: 'Ctrl-C (SIGINT to the whole group)', signal: 'SIGINT' as const, group: true, status: 130 },
      { what: 'SIGINT to the launcher alone (no terminal)', signal: 'SIGINT' as const, group: false, status: 130 },
      { what: 'SIGTERM to the launcher alone', signal: 'SIGTERM' as const, group: false, status: 143 },
      { what: 'SIGHUP to the launcher alone', signal: 'SIGHUP' as const, group: false, status: 129 },
    ])('$what reaches the program under uv, which ends; the launcher ends as uv alone ($status), leaving nothing running', async ({
      signal,
      group,
      status,
    }) => {
      const direct = await signalled(UV_ALONE(), signal, signalTo(signal, group));
      const launched = await signalled([LAUNCHER_FILE, LAUNCHER_ARGS], signal, signalTo(signal, group));
      const number = String(os.constants.signals[signal]);
      expect(direct.recorded, 'uv alone').toEqual([number]);
      expect(direct.status).toBe(status);
      expect(launched.recorded).toEqual([number]);
      expect(launched.running).toEqual([]);
      expect(launched.end).toEqual(direct.end);
    });

    it("every other signal uv passes on reaches the program through the launcher, as through uv alone", async () => {
      const others = FORWARDED_SIGNALS.filter((s) => !['SIGINT', 'SIGTERM', 'SIGHUP'].includes(s));
      // One at a time, each seen before the next (a pending signal sent twice is delivered once); SIGTERM ends it.
      const sendAll = async (leader: number, recorded: () => string[]) => {
        for (const [i, signal] of [...others, 'SIGTERM' as const].entries()) {
          process.kill(leader, signal);
          await waitFor(`the program recorded ${signal}`, () => (recorded().length > i ? true : undefined), () => recorded().join(','));
        }
      };
      const direct = await signalled(UV_ALONE(), 'SIGTERM', sendAll);
      const launched = await signalled([LAUNCHER_FILE, LAUNCHER_ARGS], 'SIGTERM', sendAll);
      const numbers = [...others, 'SIGTERM' as const].map((s) => String(os.constants.signals[s]));
      expect(direct.recorded, 'uv alone').toEqual(numbers);
      expect(launched.recorded).toEqual(numbers);
      expect(launched.running).toEqual([]);
      expect(launched.end).toEqual(direct.end);
    });

    it('uv ended by a signal the launcher passes on ends the launcher by it too (uv pip waiting on an index, SIGHUP to uv alone)', async () => {
      // uv has no handler outside `uv run`: SIGHUP kills it. The launcher, which listens for SIGHUP
      // while uv runs, must stop listening and die by it, not exit 129 or wait.
      const silent = net.createServer(() => {}); // accepts and never answers
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const connected = new Promise<void>((resolve) => silent.once('connection', () => resolve()));
      const { port } = silent.address() as net.AddressInfo;
      const target = path.join(root, `${form.name}-pip-target`);
      const run = startGroup(
        LAUNCHER_FILE,
        [...LAUNCHER_ARGS, 'pip', 'install', '--target', target, '--index-url', `http://127.0.0.1:${port}/simple`, 'hello-cli'],
        { env: { ...env, PATH: pathWithUv(), UV_OFFLINE: '0' } as Record<string, string>, cwd: env.HOME },
      );
      try {
        await connected;
        const [uv] = childrenOf(run.child.pid!);
        expect(uv, JSON.stringify(run.output())).toBeDefined();
        process.kill(uv!, 'SIGHUP');
        expect(await run.ended).toEqual({ code: null, signal: 'SIGHUP' });
      } finally {
        run.killGroup();
        silent.close();
      }
    });

    it('uv itself killed by a signal ends the launcher by the same signal (not exit 1, as Volta does)', async () => {
      // The program's parent is uv: kill uv alone with SIGKILL, which it cannot turn into an exit code.
      const run = startGroup(LAUNCHER_FILE, [...LAUNCHER_ARGS, ...python(RECORDER, path.join(root, 'killed-uv'), '15')], {
        env: { ...env, PATH: pathWithUv() },
        cwd: env.HOME,
      });
      try {
        process.kill(parentOf(await readyPid(run)), 'SIGKILL');
        expect(await run.ended).toEqual({ code: null, signal: 'SIGKILL' });
      } finally {
        run.killGroup();
      }
    });
  });

  describe('finding the real uv', () => {
    it('fails with one line and exit 2 when no uv is on PATH', async () => {
      const result = await runLauncher(['--version'], { env, uv: 'none' });
      expectRefused(result, 'the real uv was not found on PATH', 'UVX_SAFE_UV=/path/to/uv');
    });

    it('uses UVX_SAFE_UV when given, and fails clearly when it names nothing runnable', async () => {
      const given = await runLauncher(['--version'], { env, uv: 'env' });
      expect(given.exitCode, explain(given)).toBe(0);
      expect(given.stdout).toMatch(/^uv \d+\.\d+\.\d+/);

      const missing = await runLauncher(['--version'], { env: { ...env, UVX_SAFE_UV: path.join(root, 'nope', 'uv') }, uv: 'none' });
      expectRefused(missing, `UVX_SAFE_UV: "${path.join(root, 'nope', 'uv')}" does not exist`);

      const plain = path.join(root, 'not-executable-uv');
      fs.writeFileSync(plain, 'not a program', { mode: 0o644 });
      const notExec = await runLauncher(['--version'], { env: { ...env, UVX_SAFE_UV: plain }, uv: 'none' });
      expectRefused(notExec, 'is not executable');
    });

    // The spawn itself fails (POSIX reports it as the child's 'error' event, after every check of the
    // file passed): a uv whose interpreter line names nothing. Mutation testing found this path unproven.
    it('fails with one line and exit 2 when the system cannot start uv, naming the way out', async () => {
      const uv = path.join(root, form.name, 'broken-interpreter', 'uv');
      fs.mkdirSync(path.dirname(uv), { recursive: true });
      fs.writeFileSync(uv, '#!/nonexistent/interpreter\n', { mode: 0o755 });
      const result = await runLauncher(['--version'], { env: { ...env, UVX_SAFE_UV: uv }, uv: 'none' });
      expectRefused(result, `cannot start uv at ${uv} (ENOENT): no such file`, 'point at the real uv with UVX_SAFE_UV=/path/to/uv');
    });

    it('fails with one line and exit 2 when uv-path in the config names a missing file', async () => {
      const admin = path.join(root, 'admin-uv-path.toml');
      fs.writeFileSync(admin, 'uv-path = "/opt/none/uv"\n');
      const result = await runLauncher(['--version'], { env: { ...env, UVX_SAFE_SYSTEM_CONFIG: admin } });
      expectRefused(result, '/opt/none/uv', admin);
    });

    it('never starts itself: a link named uv ahead of the real uv on PATH is passed over', async () => {
      const shimDir = path.join(root, form.name, 'shim-first');
      const shim = form.linkAs(shimDir, 'uv');
      const shimEnv = { ...env, PATH: `${shimDir}:${pathWithUv()}`, UVX_SAFE_DEBUG: '1' };
      const result = await runProgram(shim, ['--version'], { env: shimEnv });
      expect(result.exitCode, explain(result)).toBe(0);
      expect(result.stdout).toBe((await runUv(['--version'], { env })).stdout);
      expect(result.stderr).toContain('started as uv (');
      expect(result.stderr).toContain(`uv: ${getUv()}`);
      expect(result.stderr).toContain(`passed over ${shim}: uvx-safe itself`);
    });

    it('never starts a copy of itself: a byte copy named uv ahead of the real uv on PATH is passed over', async () => {
      // Not a link: another file with the same bytes (bin/uvx-safe, or the whole executable).
      const copyDir = path.join(root, form.name, 'copy-first');
      fs.mkdirSync(copyDir, { recursive: true });
      const copy = path.join(copyDir, 'uv');
      fs.copyFileSync(form.name === 'npm' ? LAUNCHER_ARGS[0]! : LAUNCHER_FILE, copy);
      fs.chmodSync(copy, 0o755);
      const result = await runLauncher(['--version'], {
        env: { ...env, PATH: `${copyDir}:${pathWithUv()}`, UVX_SAFE_DEBUG: '1' },
        uv: 'none',
      });
      expect(result.exitCode, explain(result)).toBe(0);
      expect(result.stdout).toBe((await runUv(['--version'], { env })).stdout);
      expect(result.stderr).toContain(`passed over ${copy}: uvx-safe itself`);
    });

    it('stops a loop at once: with only a wrapper named uv on PATH that calls uvx-safe again', async () => {
      // A wrapper the finder cannot recognise (no marker, not a link to the launcher) that runs it again:
      // the recursion guard in the environment must end the loop at the second hop.
      const loopDir = path.join(root, form.name, 'loop');
      fs.mkdirSync(loopDir, { recursive: true });
      const again = [LAUNCHER_FILE, ...LAUNCHER_ARGS].map((a) => `'${a}'`).join(' ');
      fs.writeFileSync(path.join(loopDir, 'uv'), `#!/bin/sh\nexec ${again} "$@"\n`, { mode: 0o755 });
      // A loop that never ends is killed at the bound and shows as no exit code (signal SIGTERM).
      const result = await runProgram(path.join(loopDir, 'uv'), ['--version'], {
        env: { ...env, PATH: `${loopDir}:${env.PATH}` },
        timeoutMs: 20_000,
      });
      expectRefused(result, 'the real uv was not found', '(a loop)');
    });
  });

  describe('invoked as uvx', () => {
    it('behaves as uvx through a link named uvx', async () => {
      const dir = path.join(root, form.name, 'as-uvx');
      form.linkAs(dir, 'uvx');
      const realUvx = path.join(path.dirname(getUv()), 'uvx');
      const direct = await runProgram(realUvx, ['--version'], { env });
      const launched = await runProgram(path.join(dir, 'uvx'), ['--version'], { env: { ...env, PATH: pathWithUv() } });
      expect(launched.exitCode, explain(launched)).toBe(0);
      expect(launched.stdout).toBe(direct.stdout);
      const help = await runProgram(path.join(dir, 'uvx'), ['--help'], { env: { ...env, PATH: pathWithUv() } });
      expect(help.stdout.split('\n')[0]).toBe((await runProgram(realUvx, ['--help'], { env })).stdout.split('\n')[0]);
    });
  });

  describe('a repository is data', () => {
    it("reads nothing of the working folder's .env or bunfig.toml (Bun executables would, by default)", async () => {
      const repo = path.join(root, form.name, 'repo-with-dotenv');
      fs.mkdirSync(repo, { recursive: true });
      const evilCache = path.join(root, form.name, 'evil-cache');
      const ran = path.join(root, form.name, 'preload-ran');
      fs.writeFileSync(path.join(repo, '.env'), `UV_CACHE_DIR=${evilCache}\nUVX_SAFE_DEBUG=1\n`);
      fs.writeFileSync(path.join(repo, 'preload.js'), `require('fs').writeFileSync(${JSON.stringify(ran)}, 'ran');\n`);
      fs.writeFileSync(path.join(repo, 'bunfig.toml'), 'preload = ["./preload.js"]\n');
      const direct = await runUv(['cache', 'dir'], { env, cwd: repo });
      const launched = await runLauncher(['cache', 'dir'], { env, cwd: repo });
      expect(launched.exitCode, explain(launched)).toBe(0);
      expect(launched.stdout).toBe(direct.stdout);
      expect(launched.stdout).not.toContain(evilCache);
      expect(launched.stderr).toBe('');
      expect(fs.existsSync(ran)).toBe(false);
    });
  });

  describe('debug output', () => {
    it('explains the chosen uv, the argv and the changed environment on stderr with UVX_SAFE_DEBUG=1', async () => {
      const dataRoot = path.join(root, 'debug-data');
      const result = await runLauncher(['cache', 'dir'], {
        env: { ...env, UVX_SAFE_DEBUG: '1', UVX_SAFE_DATA_ROOT: dataRoot },
      });
      expect(result.exitCode, explain(result)).toBe(0);
      expect(result.stdout.trim()).toBe(path.join(dataRoot, 'cache'));
      expect(result.stderr).toContain(`uv: ${getUv()} (`);
      expect(result.stderr).toContain(`argv: ${JSON.stringify([getUv(), 'cache', 'dir'])}`);
      expect(result.stderr).toContain(`env: UV_CACHE_DIR=${path.join(dataRoot, 'cache')}`);
      for (const line of result.stderr.trim().split('\n')) expect(line).toMatch(/^debug: uvx-safe: /);
      // The npm form: `npm run build` made a V8 code cache for this Node, and the launcher started
      // from it. The standalone form carries its bytecode and says which runtime it is.
      expect(result.stderr).toContain(form.name === 'npm' ? 'code cache used' : 'standalone, Bun ');
    });
  });
});
