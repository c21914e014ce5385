// Issue 15, item 5: interpreters named by files, `uv python pin --global`, and config values that
// cannot be names or paths. In enforce a `.python-version` naming a program by path is judged like
// any program location (inside allowed-roots; not inside the repository unless safe-directories lists
// it), the global pin is a location of its own, and `__proto__` or a NUL in the policy is an error at
// load naming the key. Real uv 0.13.9 behind the launcher.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectRefused, messagesOf, policySandbox, writeLines } from '../helpers/refusal.js';
import { NPM_FORM } from '../helpers/forms.js';
import { explain, getPython, getUv, runLauncher, runProgram, type SandboxEnv } from '../helpers/uv.js';

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

/** uid of `nobody`: the owner of a folder a user could write, outside the roots. */
const NOBODY = 65534;
let planted = 0;

/**
 * A "python" in a folder outside the roots that another user owns (as a user's own folder would be):
 * it leaves a mark when run, then is the machine's python.
 */
function plantOutside(name = 'python', dir = path.join(root, 'outside', 'bin')): { program: string; mark: string } {
  const program = path.join(dir, name);
  const mark = path.join(root, `ran-${name}-${(planted += 1)}`);
  writeLines(program, ['#!/bin/sh', `touch ${JSON.stringify(mark)}`, `exec ${JSON.stringify(getPython())} "$@"`]);
  fs.chmodSync(program, 0o755);
  fs.chownSync(dir, NOBODY, NOBODY);
  return { program, mark };
}

describe('.python-version naming a program, in enforce', () => {
  it("an interpreter outside allowed-roots that a user could change is refused, naming the file and line; the machine's is accepted", async () => {
    const { program, mark } = plantOutside();
    writeLines(path.join(repo, '.python-version'), ['# the team interpreter', program]);
    const r = await runLauncher(['python', 'find'], { env, cwd: repo });
    expectRefused(r, `${path.join(repo, '.python-version')}:2 names the program ${program}`, 'outside allowed-roots', 'is not a machine program', `owned by uid ${NOBODY}`);
    expect(fs.existsSync(mark)).toBe(false);
    writeLines(path.join(repo, '.python-version'), ['# the team interpreter', getPython()]);
    const machine = await runLauncher(['python', 'find'], { env, cwd: repo });
    expect(machine.exitCode, explain(machine)).toBe(0);
    expect(machine.stderr, explain(machine)).toBe('');
  });

  it("a program inside the repository is refused and never run; safe-directories lets the admin allow it", async () => {
    const { program, mark } = plantPython();
    writeLines(path.join(repo, '.python-version'), ['tools/python']);
    const r = await runLauncher(['python', 'find'], { env, cwd: repo });
    expectRefused(r, `${path.join(repo, '.python-version')}:1 names the program ${program}: it lies inside the repository (${repo})`, 'safe-directories');
    expect(fs.existsSync(mark)).toBe(false);
    // The planted program runs the machine's python3, outside the roots but root's alone: trust the repository.
    policy([`safe-directories = ["${repo}"]`]);
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

describe('--python, -p, UV_PYTHON and uvx --python naming a program by path, in enforce', () => {
  const show = ['--no-project', '--', 'python', '-c', 'print(42)'];

  it('uv run --python: a Python a user could change, outside the roots, runs in warn and is refused in enforce', async () => {
    const { program, mark } = plantOutside();
    writeLines(adminFile, ['mode = "warn"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
    const warned = await runLauncher(['run', '--python', program, ...show], { env, cwd: repo });
    expect(warned.exitCode, explain(warned)).toBe(0);
    expect(warned.stdout).toBe('42');
    expect(warned.stderr).toContain(`--python ${program} names the program ${program}`);
    expect(warned.stderr).toContain('running anyway (mode = warn)');
    expect(fs.existsSync(mark), 'uv ran the program --python names').toBe(true);
    fs.rmSync(mark);
    policy();
    const r = await runLauncher(['run', '-p', program, ...show], { env, cwd: repo });
    expectRefused(r, `-p ${program} names the program ${program}`, 'outside allowed-roots', `owned by uid ${NOBODY}`, 'install it machine-wide');
    expect(fs.existsSync(mark)).toBe(false);
  });

  it('an inherited UV_PYTHON is judged for the commands that read it; `uv pip compile` does not read it', async () => {
    const { program, mark } = plantOutside();
    expectRefused(await runLauncher(['run', ...show], { env: { ...env, UV_PYTHON: program }, cwd: repo }), `UV_PYTHON=${program} names the program ${program}`);
    expectRefused(await runLauncher(['sync'], { env: { ...env, UV_PYTHON: program }, cwd: repo }), `UV_PYTHON=${program}`);
    expect(fs.existsSync(mark)).toBe(false);
    // `uv cache dir` runs no interpreter: UV_PYTHON is nothing to it.
    const cache = await runLauncher(['cache', 'dir'], { env: { ...env, UV_PYTHON: program }, cwd: repo });
    expect(cache.exitCode, explain(cache)).toBe(0);
  });

  it('uv venv --python: refused, and no environment is made; the machine python still makes one', async () => {
    const { program, mark } = plantOutside();
    const venv = path.join(allowed, 'env');
    expectRefused(await runLauncher(['venv', '--python', program, venv], { env, cwd: repo }), `--python ${program}`, 'is not a machine program');
    expect(fs.existsSync(venv)).toBe(false);
    expect(fs.existsSync(mark)).toBe(false);
    const machine = await runLauncher(['venv', '--python', getPython(), venv], { env, cwd: repo });
    expect(machine.exitCode, explain(machine)).toBe(0);
    expect(messagesOf(machine.stderr), explain(machine)).toEqual([]);
    expect(fs.existsSync(path.join(venv, 'pyvenv.cfg'))).toBe(true);
  });

  it('uvx --python: refused before uv starts', async () => {
    const { program, mark } = plantOutside();
    const uvx = NPM_FORM.linkAs(path.join(root, 'as-uvx'), 'uvx');
    const r = await runProgram(uvx, ['--python', program, 'ruff'], { env: { ...env, PATH: `${path.dirname(getUv())}:${env.PATH}` }, cwd: repo });
    expectRefused(r, `--python ${program} names the program ${program}`);
    expect(fs.existsSync(mark)).toBe(false);
  });

  it('a Python inside the roots runs; a link inside the roots to one outside is judged where it leads', async () => {
    const inside = path.join(allowed, 'py', 'bin');
    const { program, mark } = plantOutside('python', inside);
    fs.chownSync(inside, 0, 0);
    const r = await runLauncher(['run', '--python', program, ...show], { env, cwd: repo });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toBe('42');
    expect(fs.existsSync(mark)).toBe(true);
    const outside = plantOutside();
    const link = path.join(allowed, 'link-python');
    fs.symlinkSync(outside.program, link);
    expectRefused(await runLauncher(['run', '--python', link, ...show], { env, cwd: repo }), `--python ${link} names the program ${link}, which resolves to ${outside.program}`);
    expect(fs.existsSync(outside.mark)).toBe(false);
  });

  it('resolves a relative request as uv does: from --directory; a bare folder name is a path, a bare file name a name on PATH', async () => {
    // Two planted programs of one name: in the working folder and in the --directory folder.
    const here = plantOutside('py', path.join(root, 'outside', 'here'));
    const there = plantOutside('py', path.join(root, 'outside', 'there'));
    writeLines(adminFile, ['mode = "warn"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
    const warned = await runLauncher(['--directory', path.dirname(there.program), 'run', '--python', './py', ...show], { env, cwd: path.dirname(here.program) });
    expect(warned.exitCode, explain(warned)).toBe(0);
    // The real uv ran the one in --directory, and the warning named that one.
    expect([fs.existsSync(there.mark), fs.existsSync(here.mark)]).toEqual([true, false]);
    expect(warned.stderr).toContain(`--python ./py names the program ${there.program}`);
    // `py` with no separator, a file here: uv starts it by name, from PATH (none there), not ./py.
    const bare = await runLauncher(['run', '--python', 'py', ...show], { env, cwd: path.dirname(here.program) });
    expect(bare.stderr, explain(bare)).toContain('No interpreter found at path `py`');
    expect(messagesOf(bare.stderr), explain(bare)).toEqual([]);
    expect(fs.existsSync(here.mark)).toBe(false);
    // `envdir` with no separator, a folder here: uv takes envdir/bin/python3.
    const envdir = path.join(root, 'outside', 'work', 'envdir');
    const inEnv = plantOutside('python3', path.join(envdir, 'bin'));
    const folder = await runLauncher(['run', '--python', 'envdir', ...show], { env, cwd: path.dirname(envdir) });
    expect(folder.exitCode, explain(folder)).toBe(0);
    expect(fs.existsSync(inEnv.mark), 'uv ran envdir/bin/python3 for --python envdir').toBe(true);
    expect(folder.stderr).toContain(`--python envdir names the program ${envdir}, which lies outside allowed-roots`);
    fs.rmSync(inEnv.mark);
    policy();
    expectRefused(await runLauncher(['run', '--python', 'envdir', ...show], { env, cwd: path.dirname(envdir) }), `--python envdir names the program ${envdir}`);
    expect(fs.existsSync(inEnv.mark)).toBe(false);
  });

  it('uv python find PATH and the machine python by -p: the request is judged, the machine one accepted', async () => {
    const { program, mark } = plantOutside();
    expectRefused(await runLauncher(['python', 'find', program], { env, cwd: repo }), `uv python find ${program} names the program ${program}`);
    expect(fs.existsSync(mark)).toBe(false);
    const machine = await runLauncher(['run', '-p', getPython(), ...show], { env: { ...env, UV_PYTHON: undefined }, cwd: repo });
    expect(machine.exitCode, explain(machine)).toBe(0);
    expect(machine.stderr, explain(machine)).toBe('');
  });
});

describe("uv's pip.python setting for the pip commands that do not write", () => {
  it('a repository\'s [tool.uv.pip] python makes `uv pip list` and `uv pip compile` run that program: judged like --python', async () => {
    const { program, mark } = plantPython();
    writeLines(path.join(repo, 'pyproject.toml'), ['[project]', 'name = "x"', 'version = "0"', '', '[tool.uv.pip]', 'python = "tools/python"']);
    writeLines(adminFile, ['mode = "warn"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/data"`]);
    const warned = await runLauncher(['pip', 'list'], { env, cwd: repo });
    expect(warned.exitCode, explain(warned)).toBe(0);
    expect(fs.existsSync(mark), 'uv pip list ran the program [tool.uv.pip] python names').toBe(true);
    expect(warned.stderr).toContain(`names the program ${program}: it lies inside the repository (${repo})`);
    fs.rmSync(mark);
    policy();
    for (const command of [['pip', 'list'], ['pip', 'compile', '-']]) {
      expectRefused(await runLauncher(command, { env, cwd: repo, input: 'x\n' }), `pip setting python (uv's settings: ${path.join(repo, 'pyproject.toml')}) names the program ${program}`, 'safe-directories');
      expect(fs.existsSync(mark)).toBe(false);
    }
    // Outside the roots, by an absolute path: refused as any program a user could change.
    const outside = plantOutside();
    writeLines(path.join(repo, 'pyproject.toml'), ['[project]', 'name = "x"', 'version = "0"', '', '[tool.uv.pip]', `python = "${outside.program}"`]);
    expectRefused(await runLauncher(['pip', 'freeze'], { env, cwd: repo }), `names the program ${outside.program}`, 'is not a machine program');
    // The flag beats the setting: the machine python runs, the setting is not asked for.
    const flagged = await runLauncher(['pip', 'list', '--python', getPython()], { env, cwd: repo });
    expect(flagged.exitCode, explain(flagged)).toBe(0);
    expect(fs.existsSync(outside.mark)).toBe(false);
  });
});
