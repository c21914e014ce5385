// Config layers, locks, refusals and bad config, end to end: bin/uvx-safe in front of the real uv,
// with the admin policy named by UVX_SAFE_SYSTEM_CONFIG, the user config under XDG_CONFIG_HOME and
// project files in the working tree. uv's own `cache dir` shows which cache it was given.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explain, getPython, getUv, runLauncher, sandboxEnv, type RunResult, type SandboxEnv } from '../helpers/uv.js';
import { PROJECT_ENV_ALLOWLIST } from '../../src/config/project-env.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { makeTempDir } from '../helpers/workspace.js';
import { expectRefused, messagesOf } from '../helpers/refusal.js';

let root: string;
let env: SandboxEnv;
/** The one allowlisted root of these tests. */
let allowed: string;
let adminFile: string;
let userFile: string;
/** A scratch folder outside the allowed root, never created by the tests themselves. */
let outside: string;

const toml = (lines: string[]) => `${lines.join('\n')}\n`;
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

beforeEach(async () => {
  root = fs.realpathSync(await makeTempDir('uvx-safe-policy-'));
  env = sandboxEnv(path.join(root, 'sandbox'));
  allowed = path.join(root, 'allowed');
  fs.mkdirSync(allowed);
  outside = path.join(root, 'outside');
  adminFile = path.join(root, 'etc', 'uvx-safe', 'config.toml');
  userFile = path.join(env.XDG_CONFIG_HOME, 'uvx-safe', 'config.toml');
  env = { ...env, UVX_SAFE_SYSTEM_CONFIG: adminFile };
  // UVX_SAFE_SYSTEM_CONFIG must name a file that exists: an empty policy until a test writes one.
  write(adminFile, '');
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

async function cacheDir(opts: { cwd?: string; extraEnv?: Record<string, string>; args?: string[] } = {}): Promise<RunResult> {
  return runLauncher([...(opts.args ?? []), 'cache', 'dir'], { env: { ...env, ...opts.extraEnv }, cwd: opts.cwd });
}

function expectCache(r: RunResult, dir: string): void {
  expect(r.exitCode, explain(r)).toBe(0);
  expect(r.stdout.trim(), explain(r)).toBe(dir);
}

describe('layers', () => {
  it('uses the admin data root, the user config over it, the project over both, UVX_SAFE_* over all', async () => {
    write(adminFile, toml([`allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/admin"`]));
    expectCache(await cacheDir(), `${allowed}/admin/cache`);

    // Relative paths resolve against the file that holds them.
    write(userFile, toml([`data-root = "${path.relative(path.dirname(userFile), allowed)}/user"`]));
    expectCache(await cacheDir(), `${allowed}/user/cache`);

    // The project file, found from a subfolder, applies what a project may set (a stricter mode); its
    // data-root is ignored with a warning: the user's stays, and nothing is made at the project's.
    const project = path.join(allowed, 'proj');
    const projectFile = path.join(project, 'uvx-safe.toml');
    const deep = path.join(project, 'src', 'pkg');
    fs.mkdirSync(deep, { recursive: true });
    write(projectFile, toml(['mode = "enforce"', 'data-root = "../proj-data"']));
    const ignored = `warning: uvx-safe: ${projectFile}: data-root cannot be set by a project config; ignored`;
    const fromDeep = await cacheDir({ cwd: deep });
    expectCache(fromDeep, `${allowed}/user/cache`);
    expect(fromDeep.stderr, explain(fromDeep)).toBe(ignored);
    expect(fs.existsSync(path.join(allowed, 'proj-data'))).toBe(false);
    const strict = await cacheDir({ cwd: deep, args: ['--cache-dir', outside] });
    expect(strict.exitCode, explain(strict)).toBe(2);
    expect(strict.stderr.split('\n').slice(0, 2), explain(strict)).toEqual([
      ignored,
      `error: uvx-safe: --cache-dir ${outside} lies outside allowed-roots (${allowed}); refused (mode = enforce, from ${projectFile})`,
    ]);
    expect(messagesOf(strict.stderr).at(-1)?.hint, explain(strict)).toContain(`use a folder inside ${allowed}`);

    expectCache(await cacheDir({ cwd: deep, extraEnv: { UVX_SAFE_DATA_ROOT: `${allowed}/env` } }), `${allowed}/env/cache`);
  });

  it('reads [tool.uvx-safe] from pyproject.toml, and --directory moves the project search', async () => {
    // Under the admin's warn, an outside --cache-dir runs with a warning; the project asks for enforce.
    write(adminFile, toml([`allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/admin"`]));
    const project = path.join(allowed, 'py');
    const pyproject = path.join(project, 'pyproject.toml');
    write(pyproject, toml(['[project]', 'name = "py"', 'version = "1"', '', '[tool.uvx-safe]', 'mode = "enforce"']));
    const outsideCache = ['--cache-dir', outside];
    const warned = await cacheDir({ cwd: env.HOME, args: outsideCache });
    expectCache(warned, outside);
    expect(warned.stderr).toContain('running anyway (mode = warn)');
    const refusal = `refused (mode = enforce, from ${pyproject})`;
    expectRefused(await cacheDir({ cwd: project, args: outsideCache }), `--cache-dir ${outside}`, refusal);
    expectRefused(await cacheDir({ cwd: env.HOME, args: ['--directory', project, ...outsideCache] }), `--cache-dir ${outside}`, refusal);
  });

  it('expands {home}, {env:NAME} and ~ in path values', async () => {
    write(adminFile, toml(['mode = "off"', 'data-root = "{env:DEV_ROOT}/uv"', '[locations]', 'tool = "~/tools"', 'python = "{home}/py"']));
    const r = await runLauncher(['tool', 'dir'], { env: { ...env, DEV_ROOT: allowed } });
    expect(r.stdout.trim(), explain(r)).toBe(`${env.HOME}/tools`);
    expectCache(await cacheDir({ extraEnv: { DEV_ROOT: allowed } }), `${allowed}/uv/cache`);
  });

  it('holds admin locks against the user, the project and the environment, with a warning naming each', async () => {
    write(adminFile, toml([`allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/admin"`, 'locked = ["data-root"]']));
    write(userFile, toml([`data-root = "${allowed}/user"`]));
    const r = await cacheDir({ extraEnv: { UVX_SAFE_DATA_ROOT: `${allowed}/env` } });
    expectCache(r, `${allowed}/admin/cache`);
    expect(r.stderr).toContain(`warning: uvx-safe: ${userFile}: data-root is locked by the admin policy (${adminFile}); ignored`);
    expect(r.stderr).toContain(`warning: uvx-safe: UVX_SAFE_DATA_ROOT sets data-root, which the admin locked, but the admin's policy at ${adminFile} applies; ignored`);
  });

  it('applies [env] to uv; an inherited value wins unless the admin locked it', async () => {
    write(adminFile, toml(['[env]', 'UV_LINK_MODE = "copy"', 'UV_HTTP_TIMEOUT = "77"']));
    const show = ['run', '--no-project', '--', 'python', '-c', 'import os; print(os.environ.get("UV_LINK_MODE"), os.environ.get("UV_HTTP_TIMEOUT"))'];
    const plain = await runLauncher(show, { env });
    expect(plain.stdout.trim(), explain(plain)).toBe('copy 77');
    const inherited = await runLauncher(show, { env: { ...env, UV_LINK_MODE: 'symlink', UV_HTTP_TIMEOUT: '5' } });
    expect(inherited.stdout.trim(), explain(inherited)).toBe('symlink 5');

    write(adminFile, toml(['locked = ["env.UV_HTTP_TIMEOUT"]', '[env]', 'UV_LINK_MODE = "copy"', 'UV_HTTP_TIMEOUT = "77"']));
    const locked = await runLauncher(show, { env: { ...env, UV_LINK_MODE: 'symlink', UV_HTTP_TIMEOUT: '5' } });
    expect(locked.stdout.trim(), explain(locked)).toBe('symlink 77');
  });
});

describe('enforce mode', () => {
  beforeEach(() => {
    write(adminFile, toml(['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/uv"`, 'locked = ["mode", "allowed-roots"]']));
  });

  it.each([
    [['--cache-dir', '{outside}'], '--cache-dir {outside}'],
    [['--cache-dir={outside}'], '--cache-dir {outside}'],
  ])('refuses %j before uv runs, naming the flag and the roots, creating nothing', async (args, named) => {
    const r = await cacheDir({ args: args.map((a) => a.replace('{outside}', outside)) });
    expectRefused(r, named.replace('{outside}', outside), `allowed-roots (${allowed})`, 'mode = enforce');
    expect(fs.existsSync(outside)).toBe(false);
    expect(fs.existsSync(path.join(allowed, 'uv'))).toBe(false);
  });

  it('refuses `python install -i` outside the roots, and keeps flags inside them', async () => {
    expectRefused(await runLauncher(['python', 'install', '-i', `${outside}/pythons`, '3.12'], { env }), `-i ${outside}/pythons`);
    expect(fs.existsSync(outside)).toBe(false);
    expectCache(await cacheDir({ args: ['--cache-dir', `${allowed}/mine`] }), `${allowed}/mine`);
  });

  it('refuses an inherited UV_CACHE_DIR outside the roots, and keeps one inside', async () => {
    expectRefused(await cacheDir({ extraEnv: { UV_CACHE_DIR: `${outside}/c` } }), `UV_CACHE_DIR=${outside}/c`);
    expectCache(await cacheDir({ extraEnv: { UV_CACHE_DIR: `${allowed}/inherited` } }), `${allowed}/inherited`);
  });

  it('refuses a root that only shares a prefix, or escapes through .. or a symlink', async () => {
    fs.mkdirSync(`${allowed}-evil`);
    expectRefused(await cacheDir({ args: ['--cache-dir', `${allowed}-evil/c`] }), `${allowed}-evil/c`);
    expectRefused(await cacheDir({ args: ['--cache-dir', `${allowed}/../escape`] }), 'lies outside');
    fs.symlinkSync(root, path.join(allowed, 'link-out'));
    expectRefused(await cacheDir({ args: ['--cache-dir', `${allowed}/link-out/c`] }), 'lies outside');
  });

  it("never reads the program's own arguments as uv's", async () => {
    const r = await runLauncher(
      ['run', '--no-project', '--', 'python', '-c', 'import sys; print(sys.argv[1:])', '--cache-dir', outside],
      { env },
    );
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe(`['--cache-dir', '${outside}']`);
  });

  it('lets --help and --version through without checks', async () => {
    const r = await runLauncher(['--cache-dir', outside, '--version'], { env });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toMatch(/^uv \d/);
  });
});

describe('warn and off modes', () => {
  it('warn runs uv with one warning line; off runs it silently', async () => {
    write(adminFile, toml(['mode = "warn"', `allowed-roots = ["${allowed}"]`]));
    const warned = await cacheDir({ args: ['--cache-dir', outside] });
    expectCache(warned, outside);
    expect(warned.stderr).toContain(`warning: uvx-safe: --cache-dir ${outside} lies outside allowed-roots`);
    expect(warned.stderr).toContain('running anyway (mode = warn)');

    write(adminFile, toml(['mode = "off"', `allowed-roots = ["${allowed}"]`]));
    const off = await cacheDir({ args: ['--cache-dir', outside] });
    expectCache(off, outside);
    expect(off.stderr).toBe('');
  });
});

describe('the untrusted project file', () => {
  it('cannot widen the roots, pick the uv binary, lock keys, or set index URLs and credentials', async () => {
    write(adminFile, toml(['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/uv"`]));
    const project = path.join(allowed, 'evil');
    const projectFile = path.join(project, '.uvx-safe.toml');
    write(
      projectFile,
      toml([
        'allowed-roots = ["/"]',
        `uv-path = "${outside}/evil-uv"`,
        'locked = ["mode"]',
        '[env]',
        'UV_INDEX_URL = "https://evil.example/simple"',
        'UV_DEFAULT_INDEX = "https://evil.example/simple"',
        'UV_INDEX_EXAMPLE_PASSWORD = "x"',
        'UV_HTTP_TIMEOUT = "9"',
      ]),
    );
    const r = await runLauncher(['run', '--no-project', '--', 'python', '-c', 'import os; print(os.environ.get("UV_DEFAULT_INDEX"), os.environ.get("UV_HTTP_TIMEOUT"))'], {
      env,
      cwd: project,
    });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe('None 9');
    for (const key of ['allowed-roots', 'uv-path', 'locked', 'env.UV_INDEX_URL', 'env.UV_DEFAULT_INDEX', 'env.UV_INDEX_EXAMPLE_PASSWORD'])
      expect(r.stderr, explain(r)).toMatch(new RegExp(`^warning: uvx-safe: ${projectFile}: ${key.replace('.', '\\.')} .*ignored$`, 'm'));

    // Nor choose where uv writes: data-root and [locations] are ignored, key by key, even outside the
    // admin's roots (where nothing is made); uv keeps the admin's data root.
    write(projectFile, toml([`data-root = "${outside}/elsewhere"`, '[locations]', `cache = "${outside}/elsewhere-cache"`]));
    const moved = await cacheDir({ cwd: project });
    expectCache(moved, `${allowed}/uv/cache`);
    expect(moved.stderr.split('\n'), explain(moved)).toEqual(
      ['data-root', 'locations.cache'].map((key) => `warning: uvx-safe: ${projectFile}: ${key} cannot be set by a project config; ignored`),
    );
    expect(fs.existsSync(outside)).toBe(false);
  });

  it('is data only: a JavaScript config in the project is never loaded', async () => {
    const project = path.join(allowed, 'js');
    const marker = path.join(root, 'ran');
    for (const name of ['uvx-safe.config.js', '.uvx-saferc.js', '.config/uvx-saferc.js', 'uvx-safe.config.ts', '.config/config.js'])
      write(path.join(project, name), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = {};\n`);
    const r = await cacheDir({ cwd: project });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('a project [env] is an allowlist', () => {
  it('UV_PYTHON naming a program in the repository never reaches uv; an allowlisted variable does', async () => {
    write(adminFile, toml(['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/uv"`]));
    const project = path.join(allowed, 'repo');
    const ran = path.join(root, 'repo-python-ran');
    // If uv ever starts it (to ask the interpreter about itself), it leaves a mark and is still a Python.
    const evil = path.join(project, 'evil-python');
    write(evil, `#!/bin/sh\necho ran > ${JSON.stringify(ran)}\nexec ${JSON.stringify(getPython())} "$@"\n`);
    fs.chmodSync(evil, 0o755);
    const projectFile = path.join(project, 'uvx-safe.toml');
    write(projectFile, toml(['[env]', `UV_PYTHON = "${evil}"`, `UV_CONFIG_FILE = "${project}/uv.toml"`, 'UV_HTTP_TIMEOUT = "9"']));
    write(path.join(project, 'uv.toml'), toml([`find-links = ["${project}/wheels"]`]));
    const show = 'import os, sys; print(sys.executable, os.environ.get("UV_PYTHON"), os.environ.get("UV_CONFIG_FILE"), os.environ.get("UV_HTTP_TIMEOUT"))';
    const r = await runLauncher(['run', '--no-project', '--', 'python', '-c', show], { env: { ...env, UV_PYTHON: undefined }, cwd: project });
    expect(r.exitCode, explain(r)).toBe(0);
    const [executable, ...rest] = r.stdout.trim().split(' ');
    expect(rest, explain(r)).toEqual(['None', 'None', '9']);
    expect(executable).not.toContain(project);
    expect(fs.existsSync(ran), 'uv started the repository\'s UV_PYTHON').toBe(false);
    for (const name of ['UV_PYTHON', 'UV_CONFIG_FILE'])
      expect(r.stderr).toMatch(new RegExp(`^warning: uvx-safe: ${projectFile}: env\\.${name} cannot be set by a project config .*; ignored$`, 'm'));
    // The same value from the user's own config is theirs to choose.
    write(userFile, toml(['[env]', `UV_PYTHON = "${evil}"`]));
    const user = await runLauncher(['run', '--no-project', '--', 'python', '-c', 'print(1)'], { env: { ...env, UV_PYTHON: undefined }, cwd: env.HOME });
    expect(user.exitCode, explain(user)).toBe(0);
    expect(fs.existsSync(ran)).toBe(true);
  });
});

describe('a project config owned by another user (git safe.directory)', () => {
  const NOBODY = 65534;

  it('is not applied, with a warning naming the file and its owner, unless safe-directories lists its folder', async (ctx) => {
    if (process.getuid?.() !== 0) skipOrFail(ctx, 'chown to another user needs root');
    // The admin's mode is warn; the planted file asks for enforce, which shows whether it applies.
    write(adminFile, toml([`allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/uv"`]));
    const shared = path.join(allowed, 'shared');
    const project = path.join(shared, 'me', 'app');
    fs.mkdirSync(project, { recursive: true });
    const planted = path.join(shared, '.uvx-safe.toml');
    write(planted, toml(['mode = "enforce"']));
    fs.chownSync(planted, NOBODY, NOBODY);
    const outsideCache = ['--cache-dir', outside];

    const r = await cacheDir({ cwd: project, args: outsideCache });
    expectCache(r, outside);
    expect(r.stderr.trim(), explain(r)).toMatch(
      new RegExp(`^warning: uvx-safe: ${planted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: owned by uid ${NOBODY}\\b.*; ignored \\(list ${shared.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in safe-directories`),
    );
    expect(r.stderr, explain(r)).toContain('running anyway (mode = warn)');

    // `safe config show` and `validate` say the same, and why.
    const show = await runLauncher(['safe', 'config', 'show'], { env, cwd: project, uv: 'none' });
    expect(show.stdout, explain(show)).toMatch(new RegExp(`^ignored  ${planted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: owned by uid ${NOBODY}`, 'm'));
    expect(show.stdout).toMatch(/^project +\(none found from /m);
    const validate = await runLauncher(['safe', 'config', 'validate'], { env, cwd: project, uv: 'none' });
    expect(validate.exitCode, explain(validate)).toBe(0);
    expect(validate.stderr).toContain(`warning: uvx-safe: ${planted}: owned by uid ${NOBODY}`);

    // The user (or admin) trusts the folder: the file applies.
    write(userFile, toml([`safe-directories = ["${shared}"]`]));
    expectRefused(await cacheDir({ cwd: project, args: outsideCache }), `--cache-dir ${outside}`, `refused (mode = enforce, from ${planted})`);
  });

  it('a file of ours in a folder another user owns is not applied either; root-owned files are', async (ctx) => {
    if (process.getuid?.() !== 0) skipOrFail(ctx, 'chown to another user needs root');
    // The admin's mode is warn; the file asks for enforce, which shows whether it applies.
    write(adminFile, toml([`allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/uv"`]));
    const theirs = path.join(allowed, 'theirs');
    const projectFile = path.join(theirs, 'pyproject.toml');
    write(projectFile, toml(['[project]', 'name = "x"', 'version = "0"', '[tool.uvx-safe]', 'mode = "enforce"']));
    fs.chownSync(theirs, NOBODY, NOBODY);
    const outsideCache = ['--cache-dir', outside];
    const r = await cacheDir({ cwd: theirs, args: outsideCache });
    expectCache(r, outside);
    expect(r.stderr).toContain(`warning: uvx-safe: ${projectFile}: its folder ${theirs} is owned by uid ${NOBODY}`);
    expect(r.stderr).toContain('running anyway (mode = warn)');
    // The launcher runs as root here: root's own files (the usual case in this suite) are read.
    fs.chownSync(theirs, 0, 0);
    expectRefused(await cacheDir({ cwd: theirs, args: outsideCache }), `--cache-dir ${outside}`, `refused (mode = enforce, from ${projectFile})`);
  });
});

describe('the project [env] allowlist', () => {
  it('names only variables the real uv reads (a misspelt name would allow nothing)', () => {
    const binary = fs.readFileSync(getUv());
    for (const name of Object.keys(PROJECT_ENV_ALLOWLIST)) expect(binary.includes(name), `${name} is not in ${getUv()}`).toBe(true);
  });
});

describe('a project may tighten mode, never loosen it', () => {
  it('mode = "off" in a project under an admin enforce or warn is ignored, with a warning', async () => {
    const project = path.join(allowed, 'loose');
    const projectFile = path.join(project, '.uvx-safe.toml');
    write(projectFile, toml(['mode = "off"']));
    const ignored = `warning: uvx-safe: ${projectFile}: mode = "off" is looser than`;

    write(adminFile, toml(['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/uv"`]));
    const enforced = await cacheDir({ cwd: project, args: ['--cache-dir', outside] });
    expect(enforced.exitCode, explain(enforced)).toBe(2);
    expect(enforced.stdout).toBe('');
    expect(enforced.stderr).toContain(`${ignored} "enforce" (from ${adminFile})`);
    expect(enforced.stderr).toContain(`error: uvx-safe: --cache-dir ${outside} lies outside allowed-roots (${allowed}); refused (mode = enforce, from ${adminFile})`);

    write(adminFile, toml(['mode = "warn"', `allowed-roots = ["${allowed}"]`]));
    const warned = await cacheDir({ cwd: project, args: ['--cache-dir', outside] });
    expectCache(warned, outside);
    expect(warned.stderr).toContain(`${ignored} "warn"`);
    expect(warned.stderr).toContain(`--cache-dir ${outside} lies outside allowed-roots`);

    // Tightening works: a project asks for enforce under an admin warn.
    write(projectFile, toml(['mode = "enforce"']));
    expectRefused(await cacheDir({ cwd: project, args: ['--cache-dir', outside] }), `refused (mode = enforce, from ${projectFile})`);
  });
});

describe('clear config errors', () => {
  it('an empty value says "must not be empty" with file and key', async () => {
    write(userFile, toml(['[locations]', 'cache = ""']));
    expectRefused(await cacheDir(), `${userFile}:2:1: locations.cache: must not be empty`);
    write(userFile, '');
    expectRefused(await cacheDir({ extraEnv: { UVX_SAFE_DATA_ROOT: '' } }), 'environment variable UVX_SAFE_DATA_ROOT: must not be empty');
  });

  it('a relative UVX_SAFE_DATA_ROOT is an error, and nothing is created in the working folder', async () => {
    const work = path.join(root, 'work');
    fs.mkdirSync(work);
    expectRefused(await cacheDir({ cwd: work, extraEnv: { UVX_SAFE_DATA_ROOT: 'uv-data' } }), 'environment variable UVX_SAFE_DATA_ROOT: "uv-data" is a relative path');
    expect(fs.readdirSync(work)).toEqual([]);
  });

  it('mode = "enforce" without allowed-roots is an error naming where mode came from', async () => {
    write(adminFile, toml(['mode = "enforce"', `data-root = "${allowed}/uv"`]));
    expectRefused(await cacheDir(), `${adminFile}:1:1: mode: "enforce" needs allowed-roots`);
    expect(fs.existsSync(path.join(allowed, 'uv'))).toBe(false);
    write(adminFile, '');
    expectRefused(await cacheDir({ extraEnv: { UVX_SAFE_MODE: 'enforce' } }), 'environment variable UVX_SAFE_MODE: mode: "enforce" needs allowed-roots');
  });
});

describe('bad config stops the launcher before uv runs (exit 2, one line: file, line, key)', () => {
  it.each([
    ['a TOML syntax error', 'mode = "warn"\ndata-root = \n', /config\.toml:2:13: TOML syntax error: invalid value$/m],
    ['a wrong type', 'mode = "warn"\n\nallowed-roots = "/just/one"\n', /config\.toml:3:1: allowed-roots: expected an array, got "\/just\/one"$/m],
    ['an unknown key', 'mode = "warn"\ncache-dir = "/x"\n', /config\.toml:2:1: cache-dir: unknown key$/m],
    ['an unknown mode', 'mode = "strict"\n', /config\.toml:1:1: mode: "strict" must be one of "enforce", "warn", "off"$/m],
    ['an unknown location', '[locations]\ncaches = "/x"\n', /config\.toml:2:1: locations\.caches: unknown key \(did you mean "cache"\?\)$/m],
    ['a location variable in [env]', '[env]\nUV_CACHE_DIR = "/x"\n', /config\.toml:2:1: env\.UV_CACHE_DIR: a location variable belongs in \[locations\]/],
  ])('%s in the user config', async (_what, text, pattern) => {
    write(userFile, text);
    const r = await runLauncher(['--version'], { env });
    expectRefused(r, userFile);
    expect(r.stderr).toMatch(pattern);
  });

  it('a bad UVX_SAFE_MODE names the variable', async () => {
    expectRefused(await runLauncher(['--version'], { env: { ...env, UVX_SAFE_MODE: 'loud' } }), 'UVX_SAFE_MODE');
  });
});

describe('uv-version', () => {
  it('runs uv inside the range, refuses outside it, and caches the version under the data root', async () => {
    write(adminFile, toml([`data-root = "${allowed}/uv"`, 'uv-version = ">=0.13, <1"']));
    const ok = await runLauncher(['--version'], { env });
    expect(ok.exitCode, explain(ok)).toBe(0);
    expect(fs.readFileSync(path.join(allowed, 'uv', '.uvx-safe', 'uv-versions.json'), 'utf8')).toContain(ok.stdout.split(' ')[1]!);

    write(adminFile, toml([`data-root = "${allowed}/uv"`, 'uv-version = ">=99"']));
    expectRefused(await runLauncher(['--version'], { env }), 'does not satisfy uv-version ">=99"', adminFile);
  });
});
