// The launcher as a pass-through: arguments, stdio, exit statuses and signals, compared with the
// real uv run directly. No config here: with none, uvx-safe must be indistinguishable from uv.
// Every test runs against every form shipped for Linux: npm (Node + bin/uvx-safe) and the
// standalone executable (test/helpers/forms.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launcherForms, type LauncherForm } from '../helpers/forms.js';
import { explain, getUv, runLauncher as runWith, runProgram, runUv, sandboxEnv, type LauncherOptions, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';

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

/** The real uv's folder first on PATH, as runLauncher({uv: 'path'}) does: for processes we spawn ourselves. */
const pathWithUv = () => `${path.dirname(getUv())}:${env.PATH}`;

describe.each(launcherForms().map((form) => ({ form, name: form.name })))('$name form', ({ form }) => {
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
        env: { ...env, PATH: pathWithUv() },
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
        env: { ...env, PATH: pathWithUv() },
        extendEnv: false,
        cwd: env.HOME,
        reject: false,
      });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain('tty True True True');
    });
  });

  describe('signals', () => {
    /** Start `cmd` as the leader of a new process group (as a terminal's foreground job), stdin a pipe. */
    function startGroup(file: string, args: string[]) {
      const child = spawn(file, args, {
        detached: true,
        env: { ...env, PATH: pathWithUv() },
        cwd: env.HOME,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      const started = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`program did not start: ${stderr}`)), 30_000);
        child.stdout.on('data', () => {
          const match = /^ready (\d+)$/m.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
      });
      return { child, ended, started, output: () => ({ stdout, stderr }) };
    }

    // Python prints its pid, then waits; KeyboardInterrupt ends it the way Python does on Ctrl-C.
    const WAITER = 'import os, sys, time; print("ready", os.getpid(), flush=True); time.sleep(60)';

    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };

    async function endAfter(
      file: string,
      args: string[],
      send: (leader: number) => void,
    ): Promise<{ code: number | null; signal: NodeJS.Signals | null; program: number }> {
      const run = startGroup(file, args);
      const program = await run.started;
      send(run.child.pid!);
      const end = await Promise.race([
        run.ended,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('did not end within 15 s')), 15_000)),
      ]).finally(() => {
        try {
          process.kill(-run.child.pid!, 'SIGKILL');
        } catch {
          // the group is gone already
        }
      });
      return { ...end, program };
    }

    const waitGone = async (pid: number) => {
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      return !alive(pid);
    };

    it('Ctrl-C to the foreground group ends the launcher as it ends uv alone (130), leaving nothing running', async () => {
      const ctrlC = (leader: number) => process.kill(-leader, 'SIGINT');
      const direct = await endAfter(getUv(), python(WAITER), ctrlC);
      const launched = await endAfter(LAUNCHER_FILE, [...LAUNCHER_ARGS, ...python(WAITER)], ctrlC);
      // uv alone: the shell sees 130, as exit status 130 or death by SIGINT.
      const shellStatus = (r: { code: number | null; signal: NodeJS.Signals | null }) =>
        r.signal ? 128 + os.constants.signals[r.signal] : r.code;
      expect(shellStatus(direct)).toBe(130);
      expect({ code: launched.code, signal: launched.signal }).toEqual({ code: direct.code, signal: direct.signal });
      expect(await waitGone(launched.program)).toBe(true);
    });

    it('SIGTERM to the launcher alone reaches uv and its program, and the launcher ends as uv did (143)', async () => {
      const term = (leader: number) => process.kill(leader, 'SIGTERM');
      const direct = await endAfter(getUv(), python(WAITER), term);
      const launched = await endAfter(LAUNCHER_FILE, [...LAUNCHER_ARGS, ...python(WAITER)], term);
      expect({ code: launched.code, signal: launched.signal }).toEqual({ code: direct.code, signal: direct.signal });
      const status = launched.signal === 'SIGTERM' ? 143 : launched.code;
      expect(status).toBe(143);
      expect(await waitGone(launched.program)).toBe(true);
    });

    it('uv itself killed by a signal ends the launcher by the same signal (not exit 1, as Volta does)', async () => {
      // The program's parent is uv: kill uv alone with SIGKILL, which it cannot turn into an exit code.
      const killUv = (program: number) => {
        const stat = fs.readFileSync(`/proc/${program}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        process.kill(ppid, 'SIGKILL');
      };
      const run = startGroup(LAUNCHER_FILE, [...LAUNCHER_ARGS, ...python(WAITER)]);
      const program = await run.started;
      killUv(program);
      const end = await run.ended;
      try {
        process.kill(-run.child.pid!, 'SIGKILL');
      } catch {
        // the group is gone already
      }
      expect(end).toEqual({ code: null, signal: 'SIGKILL' });
    });

    it('SIGHUP to the launcher alone ends uv and its program too (129)', async () => {
      const hup = (leader: number) => process.kill(leader, 'SIGHUP');
      const direct = await endAfter(getUv(), python(WAITER), hup);
      const launched = await endAfter(LAUNCHER_FILE, [...LAUNCHER_ARGS, ...python(WAITER)], hup);
      expect({ code: launched.code, signal: launched.signal }).toEqual({ code: direct.code, signal: direct.signal });
      expect(await waitGone(launched.program)).toBe(true);
    });
  });

  describe('finding the real uv', () => {
    it('fails with one line and exit 2 when no uv is on PATH', async () => {
      const result = await runLauncher(['--version'], { env, uv: 'none' });
      expect(result.exitCode, explain(result)).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^uvx-safe: .*real uv was not found.*UVX_SAFE_UV/);
    });

    it('uses UVX_SAFE_UV when given, and fails clearly when it names nothing runnable', async () => {
      const given = await runLauncher(['--version'], { env, uv: 'env' });
      expect(given.exitCode, explain(given)).toBe(0);
      expect(given.stdout).toMatch(/^uv \d+\.\d+\.\d+/);

      const missing = await runLauncher(['--version'], { env: { ...env, UVX_SAFE_UV: path.join(root, 'nope', 'uv') }, uv: 'none' });
      expect(missing.exitCode).toBe(2);
      expect(missing.stderr).toMatch(/^uvx-safe: UVX_SAFE_UV: ".*nope\/uv" does not exist/);
      expect(missing.stderr.trim().split('\n')).toHaveLength(1);

      const plain = path.join(root, 'not-executable-uv');
      fs.writeFileSync(plain, 'not a program', { mode: 0o644 });
      const notExec = await runLauncher(['--version'], { env: { ...env, UVX_SAFE_UV: plain }, uv: 'none' });
      expect(notExec.exitCode).toBe(2);
      expect(notExec.stderr).toMatch(/is not executable/);
    });

    it('fails with one line and exit 2 when uv-path in the config names a missing file', async () => {
      const admin = path.join(root, 'admin-uv-path.toml');
      fs.writeFileSync(admin, 'uv-path = "/opt/none/uv"\n');
      const result = await runLauncher(['--version'], { env: { ...env, UVX_SAFE_SYSTEM_CONFIG: admin } });
      expect(result.exitCode, explain(result)).toBe(2);
      expect(result.stderr).toContain('/opt/none/uv');
      expect(result.stderr).toContain(admin);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
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
      const started = Date.now();
      const result = await runProgram(path.join(loopDir, 'uv'), ['--version'], {
        env: { ...env, PATH: `${loopDir}:${env.PATH}` },
        timeoutMs: 10_000,
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(result.exitCode, explain(result)).toBe(2);
      expect(result.stderr).toMatch(/real uv was not found.*loop/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
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
      for (const line of result.stderr.trim().split('\n')) expect(line).toMatch(/^uvx-safe/);
      // The npm form: `npm run build` made a V8 code cache for this Node, and the launcher started
      // from it. The standalone form carries its bytecode and says which runtime it is.
      expect(result.stderr).toContain(form.name === 'npm' ? 'code cache used' : 'standalone, Bun ');
    });
  });
});
