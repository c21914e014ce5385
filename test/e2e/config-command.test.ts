// `uvx-safe safe config show|validate|schema`, run through bin/uvx-safe in a clean sandbox:
// origins of every layer (admin via UVX_SAFE_SYSTEM_CONFIG, user, project found from a subfolder,
// environment), locks, the launcher's one-line errors with file:line: key, and the committed schema.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';
import { adminNamespaceUnavailable, runWithAdminPolicy, writeNoAdminPolicy } from '../helpers/admin-policy.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { explain, LAUNCHER, runLauncher, sandboxEnv, type RunResult, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';
import { expectInvalid, expectRefused } from '../helpers/refusal.js';

let root: string;
let env: SandboxEnv;

beforeEach(async () => {
  root = await makeTempDir('uvx-safe-config-');
  env = sandboxEnv(path.join(root, 'sandbox'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const config = (args: string[], cwd?: string, extra: Record<string, string> = {}) =>
  runLauncher(['safe', 'config', ...args], { env: { ...env, ...extra }, cwd, uv: 'none' });

/** The four layers of the issue: admin (locks mode), user (tries mode, sets data-root), project (an allowed [env] setting), environment. */
function fourLayers() {
  // The allowed root exists: the launcher (and validate) refuse a root that does not.
  const dev = path.join(root, 'dev');
  fs.mkdirSync(dev, { recursive: true });
  const admin = write(
    path.join(root, 'policy', 'admin.toml'),
    `mode = "enforce"\nallowed-roots = ["${dev}"]\nlocked = ["mode", "allowed-roots"]\n[env]\nUV_LINK_MODE = "copy"\n`,
  );
  const user = write(path.join(env.XDG_CONFIG_HOME, 'uvx-safe', 'config.toml'), `mode = "off"\ndata-root = "${dev}/uv"\n`);
  const project = write(path.join(root, 'proj', 'uvx-safe.toml'), '[env]\nUV_COMPILE_BYTECODE = "1"\n');
  const sub = path.join(root, 'proj', 'src', 'pkg');
  fs.mkdirSync(sub, { recursive: true });
  return { admin, user, project, sub, vars: { UVX_SAFE_SYSTEM_CONFIG: admin, UVX_SAFE_UV_VERSION: '>=0.13' } };
}

/** A refusal (test/helpers/refusal.ts) whose message is `line`. */
function expectRefusal(r: RunResult, line: string): void {
  expect(expectRefused(r).message, explain(r)).toBe(line);
}

/** validate's verdict on a bad file: exit 1, one error (with its hint) whose message is `line`. */
function expectInvalidLine(r: RunResult, line: string): void {
  expect(expectInvalid(r).message, explain(r)).toBe(line);
}

describe('safe config show', () => {
  it('names the origin of every key, layer by layer, and the locks', async () => {
    const l = fourLayers();
    const r = await config(['show'], l.sub, l.vars);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stderr, explain(r)).toBe('');
    const lines = r.stdout.split('\n');
    const line = (start: string) => lines.find((text) => text.startsWith(start)) ?? `(no line starting ${start})`;
    // Layers found, each with its file.
    expect(line('admin ')).toContain(l.admin);
    expect(line('user ')).toContain(l.user);
    expect(line('project ')).toContain(l.project);
    expect(line('env ')).toContain('UVX_SAFE_UV_VERSION');
    // Each key with its value, origin and lock.
    expect(line('mode = "enforce"')).toMatch(new RegExp(`admin: ${l.admin} \\(locked\\)$`));
    expect(line(`allowed-roots = ["${root}/dev"]`)).toMatch(/\(locked\)$/);
    expect(line(`data-root = "${root}/dev/uv"`)).toMatch(new RegExp(`user: ${l.user}$`));
    expect(line('env.UV_COMPILE_BYTECODE = "1"')).toMatch(new RegExp(`project: ${l.project}$`));
    expect(line('uv-version = ">=0.13"')).toMatch(/env: UVX_SAFE_UV_VERSION$/);
    expect(line('env.UV_LINK_MODE = "copy"')).toMatch(new RegExp(`admin: ${l.admin}$`));
    expect(line('locked = ')).toContain(l.admin);
    // The user's attempt to change the locked mode is a warning in the report.
    expect(r.stdout).toContain(`${l.user}: mode is locked by the admin policy (${l.admin}); ignored`);
  });

  it('--json gives the same facts to scripts', async () => {
    const l = fourLayers();
    const r = await config(['show', '--json'], l.sub, l.vars);
    expect(r.exitCode, explain(r)).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.layers).toEqual([
      { layer: 'admin', source: l.admin, found: true },
      { layer: 'user', source: l.user, found: true },
      { layer: 'project', source: l.project, found: true, searchedFrom: l.sub, ignored: [] },
      { layer: 'env', source: 'environment', found: true, variables: ['UVX_SAFE_UV_VERSION'] },
    ]);
    expect(report.settings.mode).toEqual({ value: 'enforce', layer: 'admin', source: l.admin, locked: true });
    expect(report.settings['data-root']).toMatchObject({ layer: 'user', source: l.user, locked: false });
    expect(report.settings['env.UV_COMPILE_BYTECODE']).toEqual({ value: '1', layer: 'project', source: l.project, locked: false });
    expect(report.settings['uv-version']).toMatchObject({ layer: 'env', variable: 'UVX_SAFE_UV_VERSION' });
    expect(report.locked).toEqual(['mode', 'allowed-roots']);
    expect(report.lockSource).toBe(l.admin);
    expect(report.warnings).toHaveLength(1);
  });

  it('with no config at all shows the built-in default and the files it looked for', async (ctx) => {
    // The default admin path missing means no policy (the sandbox names no UVX_SAFE_SYSTEM_CONFIG): an
    // empty /etc/uvx-safe in a private mount namespace, whatever this machine has there.
    const ns = writeNoAdminPolicy(path.join(root, 'ns'));
    const why = await adminNamespaceUnavailable(ns);
    if (why) skipOrFail(ctx, why);
    const r = await runWithAdminPolicy(ns, process.execPath, [LAUNCHER, 'safe', 'config', 'show', '--json'], { env });
    expect(r.exitCode, explain(r)).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.settings).toEqual({ mode: { value: 'warn', layer: 'default', source: 'built-in default', locked: false } });
    expect(report.layers.map((l: { found: boolean }) => l.found)).toEqual([false, false, false, false]);
    expect(report.layers[0].source).toBe('/etc/uvx-safe/config.toml');
  });

  it('refuses a UVX_SAFE_SYSTEM_CONFIG that names a missing file, in show, validate and the launcher', async () => {
    const none = path.join(root, 'none.toml');
    const line = `environment variable UVX_SAFE_SYSTEM_CONFIG: names ${none}, which does not exist`;
    expectRefusal(await config(['show'], undefined, { UVX_SAFE_SYSTEM_CONFIG: none }), line);
    expect(expectInvalid(await config(['validate'], undefined, { UVX_SAFE_SYSTEM_CONFIG: none })).message).toBe(line);
    const launch = await runLauncher(['cache', 'dir'], { env: { ...env, UVX_SAFE_SYSTEM_CONFIG: none } });
    expectRefusal(launch, line);
  });

  it('stops with the launcher\'s one-line error when a layer is invalid', async () => {
    const user = write(path.join(env.XDG_CONFIG_HOME, 'uvx-safe', 'config.toml'), 'data-root = "/x"\nmode = true\n');
    expectRefusal(await config(['show']), `${user}:2:1: mode: true must be one of "enforce", "warn", "off"`);
  });
});

describe('safe config validate FILE', () => {
  it('accepts a good admin policy: exit 0, nothing on stderr', async () => {
    const dev = path.join(root, 'dev');
    fs.mkdirSync(dev);
    const file = write(
      path.join(root, 'good.toml'),
      `mode = "enforce"\nallowed-roots = ["${dev}"]\ndata-root = "${dev}/uv"\nlocked = ["mode", "env.UV_DEFAULT_INDEX"]\n` +
        '[locations]\ntemp = "{data-root}/t"\n[env]\nUV_DEFAULT_INDEX = "https://pypi.example/simple"\n',
    );
    const r = await config(['validate', file]);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stderr, explain(r)).toBe('');
    expect(r.stdout).toBe(`${file}: valid (admin layer)`);
  });

  it('a wrong type: exit 2, file:line: key', async () => {
    const file = write(path.join(root, 'type.toml'), 'mode = "enforce"\n\nallowed-roots = "/srv/dev"\n');
    expectInvalidLine(await config(['validate', file]), `${file}:3:1: allowed-roots: expected an array, got "/srv/dev"`);
  });

  it('an unknown key, also inside a table', async () => {
    const top = write(path.join(root, 'unknown.toml'), 'mode = "warn"\ncache-dir = "/x"\n');
    expectInvalidLine(await config(['validate', top]), `${top}:2:1: cache-dir: unknown key`);
    const nested = write(path.join(root, 'nested.toml'), '[locations]\ncache = "/x"\nbin = "/y"\n');
    expectInvalidLine(await config(['validate', nested]), `${nested}:3:1: locations.bin: unknown key`);
  });

  it('a TOML syntax error, with its line', async () => {
    const file = write(path.join(root, 'syntax.toml'), 'mode = "warn"\ndata-root = /srv\n');
    expectInvalidLine(await config(['validate', file]), `${file}:2:13: invalid value /srv: a string needs quotes ("/srv")`);
    const open = write(path.join(root, 'open.toml'), 'data-root = "/srv\nmode = "warn"\n');
    expectInvalidLine(await config(['validate', open]), `${open}:1:18: unterminated string: the closing quote is missing`);
  });

  it('what only the merge rejects: a location variable in [env]', async () => {
    const file = write(path.join(root, 'env.toml'), 'mode = "warn"\n[env]\nUV_CACHE_DIR = "/tmp/c"\n');
    expectInvalidLine(await config(['validate', file]), `${file}:3:1: env.UV_CACHE_DIR: a location variable belongs in [locations] (or data-root), not [env] (got "/tmp/c")`);
  });

  it('an unknown template in a path, which the launcher would only meet at run time', async () => {
    const file = write(path.join(root, 'template.toml'), 'data-root = "/srv/uv"\n[locations]\ncache = "{data_root}/c"\n');
    expectInvalidLine(
      await config(['validate', file]),
      `${file}:3:1: locations.cache: unknown template {data_root} (did you mean "data-root"?) (got "{data_root}/c")`,
    );
  });

  it('the launcher rejects the same file with the same line', async () => {
    const file = write(path.join(root, 'type.toml'), 'mode = "enforce"\n\nallowed-roots = "/srv/dev"\n');
    const validate = await config(['validate', file]);
    const launch = await runLauncher(['--version'], { env: { ...env, UVX_SAFE_SYSTEM_CONFIG: file } });
    expect(expectRefused(launch)).toEqual(expectInvalid(validate));
  });

  // One judgement, two doors: each file passes its schema, and stops every uv call; validate says so
  // with the launcher's own words (the launcher runs `uv cache dir` under it as the admin policy).
  it.each([
    ['enforce with no allowed-roots', () => 'mode = "enforce"\n'],
    ['a data-root outside the roots', () => `mode = "enforce"\nallowed-roots = ["${root}/dev"]\ndata-root = "${root}/elsewhere/uv"\n`],
    ['a root that does not exist', () => `mode = "enforce"\nallowed-roots = ["${root}/dev", "${root}/nope"]\ndata-root = "${root}/dev/uv"\n`],
    ['a relative root', () => `mode = "warn"\nallowed-roots = ["dev"]\ndata-root = "${root}/dev/uv"\n`],
  ])('%s: exit 1 with the launcher\'s words, file:line:col and a hint', async (_what, text) => {
    fs.mkdirSync(path.join(root, 'dev'), { recursive: true });
    const file = write(path.join(root, 'etc', 'policy.toml'), text());
    const validate = await config(['validate', file]);
    const said = expectInvalid(validate);
    expect(validate.stdout, explain(validate)).toBe('');
    const launch = await runLauncher(['cache', 'dir'], { env: { ...env, UVX_SAFE_SYSTEM_CONFIG: file } });
    expect(expectRefused(launch)).toEqual(said);
    expect(said.message, explain(validate)).toContain(file);
  });

  it('a project file is checked as one: keys it may not set are warnings', async () => {
    const file = write(
      path.join(root, 'proj', 'uvx-safe.toml'),
      'allowed-roots = ["/"]\ndata-root = "/srv/dev/uv"\n[locations]\npython = "/srv/dev/py"\n[env]\nUV_LINK_MODE = "copy"\n',
    );
    const r = await config(['validate', file]);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toBe(`${file}: valid (project layer)`);
    expect(r.stderr.split('\n')).toEqual(
      ['allowed-roots', 'data-root', 'locations.python'].map((key) => `warning: uvx-safe: ${file}: ${key} cannot be set by a project config; ignored`),
    );
  });

  it('a missing file and a bad --layer are errors', async () => {
    expectInvalidLine(await config(['validate', path.join(root, 'nope.toml')]), `${path.join(root, 'nope.toml')}: does not exist`);
    expectRefused(await config(['validate', '--layer', 'system', path.join(root, 'x.toml')]), '--layer must be one of admin, user, project');
  });
});

describe('safe config validate (every layer found)', () => {
  it('checks each layer and names each bad one', async () => {
    const l = fourLayers();
    const r = await config(['validate'], l.sub, l.vars);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toBe(`${l.admin}: valid (admin layer)\n${l.user}: valid (user layer)\n${l.project}: valid (project layer)\nenvironment: valid (env layer)`);

    write(l.user, 'data-root = 5\n');
    write(l.project, '[tool]\nx = 1\n');
    const bad = await config(['validate'], l.sub, l.vars);
    expect(bad.exitCode, explain(bad)).toBe(1);
    expect(bad.stderr, explain(bad)).toContain(`error: uvx-safe: ${l.user}:1:1: data-root: expected a string, got 5`);
    expect(bad.stderr, explain(bad)).toContain(`error: uvx-safe: ${l.project}:1:2: tool: unknown key`);
    expect(bad.stdout).toContain(`${l.admin}: valid (admin layer)`);
  });
});

describe('safe config schema', () => {
  it('prints JSON Schema for editors, identical to the committed docs/config.schema.json', async () => {
    const r = await config(['schema']);
    expect(r.exitCode, explain(r)).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toMatch(/config\.schema\.json$/);
    expect(schema.title).toBe('uvx-safe configuration');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(['mode', 'allowed-roots', 'data-root', 'locations', 'uv-path', 'uv-version', 'uv-source', 'env', 'safe-directories', 'report', 'locked']);
    // runLauncher trims the final newline; the file ends with one.
    const committed = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'config.schema.json'), 'utf8');
    expect(`${r.stdout}\n`, 'docs/config.schema.json is stale: run `npm run docs:config`').toBe(committed);
  });
});
