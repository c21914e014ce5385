// Issue 15, item 5: interpreters named by files, `uv python pin --global`, and config values that
// cannot be names or paths. In enforce a `.python-version` naming a program by path is judged like
// any program location (inside allowed-roots; not inside the repository unless safe-directories lists
// it), the global pin is a location of its own, and `__proto__` or a NUL in the policy is an error at
// load naming the key. Real uv 0.13.9 behind the launcher.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectRefused, policySandbox, writeLines } from '../helpers/refusal.js';
import { explain, getPython, runLauncher, type SandboxEnv } from '../helpers/uv.js';

let root: string;
let env: SandboxEnv;
let allowed: string;
let adminFile: string;
let repo: string;

const policy = (extra: string[] = []) =>
  writeLines(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`, ...extra]);

beforeEach(async () => {
  ({ root, env, allowed, adminFile } = await policySandbox('uvx-safe-pyreq-'));
  policy();
  // uv chooses the interpreter from the version file (read: no UV_NO_CONFIG), not from UV_PYTHON.
  env = { ...env, UV_PYTHON: undefined, UV_NO_CONFIG: undefined };
  repo = path.join(allowed, 'repo');
  fs.mkdirSync(repo, { recursive: true });
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

/** A "python" planted in the repository: it leaves a mark when run, then is the machine's python. */
function plantPython(): { program: string; mark: string } {
  const program = path.join(repo, 'tools', 'python');
  const mark = path.join(root, 'planted-ran');
  writeLines(program, ['#!/bin/sh', `touch ${JSON.stringify(mark)}`, `exec ${JSON.stringify(getPython())} "$@"`]);
  fs.chmodSync(program, 0o755);
  return { program, mark };
}

describe('.python-version naming a program, in enforce', () => {
  it('an interpreter outside allowed-roots is refused, naming the file and line', async () => {
    writeLines(path.join(repo, '.python-version'), ['# the team interpreter', getPython()]);
    const r = await runLauncher(['python', 'find'], { env, cwd: repo });
    expectRefused(r, `${path.join(repo, '.python-version')}:2 names the interpreter ${getPython()}`, 'outside allowed-roots');
  });

  it("a program inside the repository is refused and never run; safe-directories lets the admin allow it", async () => {
    const { program, mark } = plantPython();
    writeLines(path.join(repo, '.python-version'), ['tools/python']);
    const r = await runLauncher(['python', 'find'], { env, cwd: repo });
    expectRefused(r, `${path.join(repo, '.python-version')}:1 names an interpreter inside the repository (${program})`, 'safe-directories');
    expect(fs.existsSync(mark)).toBe(false);
    // The machine's python3 is outside the roots too: allow its folder, then trust the repository.
    const machine = path.dirname(path.dirname(fs.realpathSync(getPython())));
    writeLines(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}", "${machine}"]`, `data-root = "${allowed}/data"`, `safe-directories = ["${repo}"]`]);
    const trusted = await runLauncher(['python', 'find'], { env, cwd: repo });
    expect(trusted.exitCode, explain(trusted)).toBe(0);
    // uv ran the program the file names (it reports the interpreter it execs).
    expect(fs.existsSync(mark)).toBe(true);
  });

  it('a version request is no program location: nothing to judge', async () => {
    writeLines(path.join(repo, '.python-version'), ['3']);
    const r = await runLauncher(['python', 'find'], { env, cwd: repo });
    expect(r.stderr, explain(r)).not.toContain('uvx-safe:');
  });
});

describe('uv python pin --global', () => {
  it("writes the user's uv config folder: refused when that lies outside allowed-roots, fine inside", async () => {
    const pin = path.join(env.XDG_CONFIG_HOME, 'uv', '.python-version');
    expectRefused(await runLauncher(['python', 'pin', '--global', '3'], { env, cwd: repo }), `uv python pin --global writes ${pin}`, 'outside allowed-roots');
    expect(fs.existsSync(pin)).toBe(false);
    const config = path.join(allowed, 'config');
    const r = await runLauncher(['python', 'pin', '--global', '3', '--no-project'], { env: { ...env, XDG_CONFIG_HOME: config }, cwd: repo });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(fs.readFileSync(path.join(config, 'uv', '.python-version'), 'utf8').trim()).toBe('3');
  });
});

describe('policy values that are not names or paths', () => {
  it('[env] __proto__ and a NUL in data-root are errors naming the key, before anything runs', async () => {
    writeLines(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, '', '[env]', '__proto__ = "x"']);
    expectRefused(await runLauncher(['--version'], { env, cwd: repo }), `${adminFile}:5:1: env.__proto__: "__proto__" is not a key name`);
    writeLines(adminFile, ['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/da\\u0000ta"`]);
    expectRefused(await runLauncher(['--version'], { env, cwd: repo }), `${adminFile}:3:1: data-root: contains a NUL character (U+0000)`);
  });
});
