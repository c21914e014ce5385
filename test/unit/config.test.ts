import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseAdminFile, envLayer, fileLayer, findProjectLayer, pyprojectLayer, readAdminLayer, readConfigFile, type Layer } from '../../src/config/layers.js';
import { adminConfigPath } from '../../src/platform/dirs.js';
import { checkEnforceHasRoots, mergeLayers, projectMaySetEnv } from '../../src/config/merge.js';
import { adminOverrides, judgeOverrides } from '../../src/config/override.js';
import { configError } from '../helpers/config-error.js';

const layer = (name: Layer['name'], text: string, source = `/${name}.toml`) => fileLayer(text, source, name);


describe('parsing and validating one file', () => {
  it('reads every key', () => {
    const l = layer('admin', `
mode = "enforce"
allowed-roots = ["D:/dev", "/opt/dev"]
data-root = "{home}/dev/uv"
uv-path = "/usr/bin/uv"
uv-version = ">=0.13"
locked = ["mode", "locations.cache", "env.UV_DEFAULT_INDEX"]
[locations]
cache = "{data-root}/c"
project-env = "{data-root}/envs"
[env]
UV_DEFAULT_INDEX = "https://pypi.corp/simple"
`);
    expect(l.config.mode).toBe('enforce');
    expect(l.config.locations?.cache).toBe('{data-root}/c');
    expect(l.config.env?.UV_DEFAULT_INDEX).toBe('https://pypi.corp/simple');
  });

  it('a TOML syntax error names the file and line', () => {
    const err = configError(() => layer('user', 'mode = "warn"\nallowed-roots = [\n', '/u/config.toml'));
    expect(err.message).toMatch(/^\/u\/config\.toml:3:1: TOML syntax error/);
  });

  it('an unknown key names file, line and key', () => {
    const err = configError(() => layer('user', 'mode = "warn"\n\n[locations]\ncahce = "/x"\n', '/u/config.toml'));
    expect(err.message).toBe('/u/config.toml:4:1: locations.cahce: unknown key (did you mean "cache"?)');
  });

  it('a wrong type names the key and what was expected', () => {
    expect(configError(() => layer('user', 'allowed-roots = "/one"')).message).toBe(
      '/user.toml:1:1: allowed-roots: expected an array, got "/one"',
    );
    expect(configError(() => layer('user', 'mode = "strict"')).message).toMatch(/mode: "strict" must be one of "enforce", "warn", "off"$/);
    expect(configError(() => layer('user', 'data-root = 3')).message).toMatch(/data-root: expected a string, got 3/);
    expect(configError(() => layer('admin', 'locked = ["colour"]')).message).toBe(`/admin.toml:1:11: locked.0: "colour" is not a key that can be locked`);
    expect(configError(() => layer('user', '[env]\n"BAD NAME" = "x"')).message).toMatch(/is not a valid variable name/);
  });

  it('[tool.uvx-safe] in pyproject.toml, with keys named under it', () => {
    expect(pyprojectLayer('[project]\nname = "x"\n', '/p/pyproject.toml')).toBeUndefined();
    expect(pyprojectLayer('[tool.uvx-safe]\nmode = "off"\n', '/p/pyproject.toml')?.config.mode).toBe('off');
    expect(configError(() => pyprojectLayer('[tool.uvx-safe]\nmood = "off"\n', '/p/pyproject.toml')).message).toBe(
      '/p/pyproject.toml:2:1: tool.uvx-safe.mood: unknown key (did you mean "mode"?)',
    );
  });
});

describe('the environment layer', () => {
  it('maps UVX_SAFE_* to keys', () => {
    const { layer: l, warnings } = envLayer(
      { UVX_SAFE_MODE: 'enforce', UVX_SAFE_ALLOWED_ROOTS: '/a:/b', UVX_SAFE_LOCATIONS_PYTHON_BIN: '/pb', UVX_SAFE_DEBUG: '1' },
      'linux',
      '/cwd',
    );
    expect(l?.config).toEqual({ mode: 'enforce', 'allowed-roots': ['/a', '/b'], locations: { 'python-bin': '/pb' } });
    expect(warnings).toEqual([]);
  });

  it('splits allowed roots on ; on Windows and reads names case-insensitively', () => {
    const { layer: l } = envLayer({ uvx_safe_allowed_roots: 'C:\\a;D:\\b' }, 'win32', 'C:\\');
    expect(l?.config['allowed-roots']).toEqual(['C:\\a', 'D:\\b']);
  });

  it('names a bad variable and warns about an unknown one', () => {
    expect(() => envLayer({ UVX_SAFE_MODE: 'loud' }, 'linux', '/')).toThrowError(/^environment variable UVX_SAFE_MODE: "loud" must be one of/);
    expect(envLayer({ UVX_SAFE_MOOD: 'x' }, 'linux', '/').warnings).toEqual(['UVX_SAFE_MOOD is not a uvx-safe variable; ignored']);
  });
});

describe('merging layers', () => {
  it('defaults to warn with no roots: a pass-through', () => {
    const config = mergeLayers([]);
    expect(config.mode.value).toBe('warn');
    expect(config.mode.origin.layer).toBe('default');
    expect(config.allowedRoots).toBeUndefined();
  });

  it('later layers win key by key, with origins', () => {
    const config = mergeLayers([
      layer('admin', 'mode = "off"\ndata-root = "/a"\n[locations]\ncache = "/ac"\ntool = "/at"'),
      layer('user', 'data-root = "/u"\n[locations]\ncache = "/uc"'),
      layer('project', 'mode = "warn"'),
    ]);
    expect(config.mode.value).toBe('warn');
    expect(config.mode.origin.source).toBe('/project.toml');
    expect(config.dataRoot?.value).toBe('/u');
    expect(config.locations.cache?.origin.source).toBe('/user.toml');
    expect(config.locations.tool?.origin.source).toBe('/admin.toml');
    expect(config.warnings).toEqual([]);
  });

  it("admin locks hold against every later layer, whole tables included", () => {
    const config = mergeLayers([
      layer('admin', 'mode = "enforce"\nlocked = ["mode", "locations", "env.UV_PYTHON_DOWNLOADS"]\n[env]\nUV_PYTHON_DOWNLOADS = "never"'),
      layer('user', 'mode = "off"\n[locations]\ncache = "/mine"\n[env]\nUV_PYTHON_DOWNLOADS = "automatic"\nUV_LINK_MODE = "copy"'),
      { name: 'env', source: 'environment', baseDir: '/', config: { mode: 'warn' } },
    ]);
    expect(config.mode).toMatchObject({ value: 'enforce', locked: true });
    expect(config.locations.cache).toBeUndefined();
    expect(config.env.UV_PYTHON_DOWNLOADS).toMatchObject({ value: 'never', locked: true });
    expect(config.env.UV_LINK_MODE?.value).toBe('copy');
    expect(config.warnings).toEqual([
      '/user.toml: mode is locked by the admin policy (/admin.toml); ignored',
      '/user.toml: locations.cache is locked by the admin policy (/admin.toml); ignored',
      '/user.toml: env.UV_PYTHON_DOWNLOADS is locked by the admin policy (/admin.toml); ignored',
    ]);
    // A variable against a lock is an override of the admin's file, not a warning of the merge (config/override.ts).
    expect(config.lockedOverrides).toEqual(['mode']);
  });

  it('a variable set to the locked value is no override; one that differs is, named by its variable', () => {
    const admin = layer('admin', 'mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/dev/d"\nlocked = ["mode", "locations"]');
    const env = (config: object) => ({ name: 'env' as const, source: 'environment', baseDir: '/', config });
    expect(mergeLayers([admin, env({ mode: 'enforce' })]).lockedOverrides).toEqual([]);
    const config = mergeLayers([admin, env({ mode: 'off', 'data-root': '/dev/e', locations: { 'python-bin': '/x' } })]);
    expect(config.lockedOverrides).toEqual(['mode', 'locations.python-bin']);
    expect(config.dataRoot?.value).toBe('/dev/e');
    const overrides = adminOverrides([], config, '/etc/uvx-safe/config.toml');
    expect(overrides.map((o) => o.variable)).toEqual(['UVX_SAFE_MODE', 'UVX_SAFE_LOCATIONS_PYTHON_BIN']);
    expect(() => judgeOverrides(overrides, config)).toThrowError(
      "UVX_SAFE_MODE sets mode, which the admin locked: the admin's policy at /admin.toml cannot be replaced or loosened; refused (mode = enforce, from /admin.toml)",
    );
    const warnMode = mergeLayers([layer('admin', 'locked = ["data-root"]\ndata-root = "/a"'), env({ 'data-root': '/b' })]);
    expect(judgeOverrides(adminOverrides([], warnMode, '/etc/uvx-safe/config.toml'), warnMode)).toEqual([
      "UVX_SAFE_DATA_ROOT sets data-root, which the admin locked, but the admin's policy at /admin.toml applies; ignored",
    ]);
  });

  it('a project file cannot widen the allowlist, pick uv, lock, or set indexes and credentials', () => {
    const config = mergeLayers([
      layer('user', 'allowed-roots = ["/dev"]'),
      layer(
        'project',
        'allowed-roots = ["/"]\nuv-path = "/evil/uv"\nuv-version = "*"\nlocked = ["mode"]\n[env]\nUV_DEFAULT_INDEX = "https://evil"\nUV_INDEX_CORP_PASSWORD = "x"\nLD_PRELOAD = "/evil.so"\nUV_LINK_MODE = "copy"',
        '/repo/uvx-safe.toml',
      ),
    ]);
    expect(config.allowedRoots?.value).toEqual(['/dev']);
    expect(config.uvPath).toBeUndefined();
    expect(config.locked).toEqual([]);
    expect(Object.keys(config.env)).toEqual(['UV_LINK_MODE']);
    expect(config.warnings).toHaveLength(7);
    expect(config.warnings).toContain('/repo/uvx-safe.toml: allowed-roots cannot be set by a project config; ignored');
    expect(config.warnings.every((w) => w.startsWith('/repo/uvx-safe.toml: '))).toBe(true);
  });

  it('refuses location variables in [env], in any layer', () => {
    expect(() => mergeLayers([layer('admin', '[env]\nUV_CACHE_DIR = "/x"')])).toThrowError(
      '/admin.toml: env.UV_CACHE_DIR: a location variable belongs in [locations] (or data-root), not [env]',
    );
  });

  it('projectMaySetEnv: an allowlist of uv settings that name no program, file, URL, source or credential', () => {
    for (const ok of ['UV_LINK_MODE', 'UV_COMPILE_BYTECODE', 'UV_RESOLUTION', 'UV_PRERELEASE', 'UV_NO_PROGRESS', 'UV_CONCURRENT_DOWNLOADS', 'UV_HTTP_TIMEOUT', 'UV_FROZEN', 'UV_LOCKED', 'UV_NO_SYNC', 'UV_PYTHON_PREFERENCE'])
      expect(projectMaySetEnv(ok), ok).toBe(true);
    const denied = [
      // The issue's own list: a program, a config file, dropping the admin's uv.toml, remote files, verification.
      'UV_PYTHON', 'UV_CONFIG_FILE', 'UV_NO_CONFIG', 'UV_NO_SYSTEM_CONFIG', 'UV_ISOLATED', 'UV_CONSTRAINT', 'UV_OVERRIDE', 'UV_BUILD_CONSTRAINT',
      'UV_NO_VERIFY_HASHES', 'UV_INSECURE_NO_ZIP_VALIDATION', 'UV_S3_ENDPOINT_URL', 'UV_WORKING_DIR', 'UV_WORKING_DIRECTORY', 'UV_PROJECT', 'UV_EXCLUDE_NEWER',
      // Indexes, mirrors, hosts, keyrings, certificates, credentials.
      'UV_INDEX_URL', 'UV_EXTRA_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_INDEX', 'UV_FIND_LINKS', 'UV_KEYRING_PROVIDER', 'UV_INSECURE_HOST', 'UV_SYSTEM_CERTS',
      'UV_NATIVE_TLS', 'UV_PUBLISH_TOKEN', 'UV_PYTHON_INSTALL_MIRROR', 'UV_PYTHON_DOWNLOADS_JSON_URL', 'UV_INDEX_X_USERNAME', 'UV_GITHUB_TOKEN',
      'UV_CREDENTIALS_DIR', 'UV_ENV_FILE', 'UV_GCS_ENDPOINT_URL', 'UV_MALWARE_CHECK_URL', 'UV_ASTRAL_MIRROR_URL', 'UV_SOME_FUTURE_VARIABLE',
      'PATH', 'HTTPS_PROXY', 'LD_PRELOAD',
    ];
    for (const no of denied) expect(projectMaySetEnv(no), no).toBe(false);
  });

  it('a project file sets only allowlisted [env] variables, with the usual warning for the rest', () => {
    const config = mergeLayers([
      layer('project', '[env]\nUV_PYTHON = "/repo/evil-python"\nUV_CONFIG_FILE = "uv.toml"\nUV_NO_CONFIG = "1"\nUV_LINK_MODE = "copy"', '/repo/uvx-safe.toml'),
    ]);
    expect(Object.keys(config.env)).toEqual(['UV_LINK_MODE']);
    expect(config.warnings).toEqual(
      ['UV_PYTHON', 'UV_CONFIG_FILE', 'UV_NO_CONFIG'].map(
        (name) => `/repo/uvx-safe.toml: env.${name} cannot be set by a project config (only uv settings that name no program, file, URL, source or credential); ignored`,
      ),
    );
    // The admin and user layers keep the full set.
    const trusted = mergeLayers([layer('admin', '[env]\nUV_CONFIG_FILE = "/etc/uv/uv.toml"'), layer('user', '[env]\nUV_PYTHON = "/usr/bin/python3"')]);
    expect(Object.keys(trusted.env).sort()).toEqual(['UV_CONFIG_FILE', 'UV_PYTHON']);
    expect(trusted.warnings).toEqual([]);
  });

  it('a project file may tighten mode, never loosen it; the user config may loosen an unlocked one', () => {
    const loosened = mergeLayers([layer('admin', 'mode = "enforce"'), layer('project', 'mode = "off"', '/repo/uvx-safe.toml')]);
    expect(loosened.mode).toMatchObject({ value: 'enforce', origin: { layer: 'admin' } });
    expect(loosened.warnings).toEqual([
      '/repo/uvx-safe.toml: mode = "off" is looser than "enforce" (from /admin.toml); a project config may only tighten mode; ignored',
    ]);
    // Against the built-in default too: "warn" is the floor for a project.
    expect(mergeLayers([layer('project', 'mode = "off"')]).mode.value).toBe('warn');
    const tightened = mergeLayers([layer('admin', 'mode = "off"'), layer('project', 'mode = "warn"')]);
    expect(tightened.mode).toMatchObject({ value: 'warn', origin: { layer: 'project' } });
    expect(mergeLayers([layer('admin', 'mode = "warn"'), layer('project', 'mode = "enforce"')]).mode.value).toBe('enforce');
    const user = mergeLayers([layer('admin', 'mode = "enforce"'), layer('user', 'mode = "off"')]);
    expect(user.mode).toMatchObject({ value: 'off', origin: { layer: 'user' } });
    expect(user.warnings).toEqual([]);
    // The project compares against the user's value, the one it would replace.
    expect(mergeLayers([layer('admin', 'mode = "enforce"'), layer('user', 'mode = "off"'), layer('project', 'mode = "warn"')]).mode.value).toBe('warn');
  });

  it('mode = "enforce" with no allowed-roots in the merged config is an error naming where mode came from', () => {
    expect(() => checkEnforceHasRoots(mergeLayers([layer('admin', 'mode = "enforce"')]))).toThrowError(
      '/admin.toml: mode: "enforce" needs allowed-roots, and no layer sets any',
    );
    expect(() => checkEnforceHasRoots(mergeLayers([layer('admin', 'mode = "warn"'), layer('project', 'mode = "enforce"', '/p/uvx-safe.toml')]))).toThrowError(
      /^\/p\/uvx-safe\.toml: mode: /,
    );
    const fromEnv = mergeLayers([envLayer({ UVX_SAFE_MODE: 'enforce' }, 'linux', '/').layer!]);
    expect(() => checkEnforceHasRoots(fromEnv)).toThrowError(/^environment variable UVX_SAFE_MODE: mode: /);
    expect(() => checkEnforceHasRoots(mergeLayers([layer('admin', 'allowed-roots = []\nmode = "enforce"')]))).toThrowError(/needs allowed-roots/);
    // Roots from another layer than the mode are fine.
    checkEnforceHasRoots(mergeLayers([layer('admin', 'allowed-roots = ["/dev"]'), layer('user', 'mode = "enforce"')]));
    checkEnforceHasRoots(mergeLayers([layer('admin', 'mode = "warn"')]));
  });
});

describe('empty and relative values', () => {
  it('an empty string says "must not be empty", with file and key, for every path key, list entry and [env] value', () => {
    expect(configError(() => layer('user', 'data-root = ""')).message).toBe('/user.toml:1:1: data-root: must not be empty');
    expect(configError(() => layer('user', 'allowed-roots = ["/a", ""]')).message).toBe('/user.toml:1:24: allowed-roots.1: must not be empty');
    expect(configError(() => layer('user', '[locations]\ncache = ""')).message).toBe('/user.toml:2:1: locations.cache: must not be empty');
    expect(configError(() => layer('admin', 'uv-path = ""')).message).toBe('/admin.toml:1:1: uv-path: must not be empty');
    expect(configError(() => layer('admin', 'uv-version = ""')).message).toBe('/admin.toml:1:1: uv-version: must not be empty');
    expect(configError(() => layer('admin', '[env]\nUV_LINK_MODE = ""')).message).toBe('/admin.toml:2:1: env.UV_LINK_MODE: must not be empty');
    expect(configError(() => envLayer({ UVX_SAFE_DATA_ROOT: '' }, 'linux', '/')).message).toBe('environment variable UVX_SAFE_DATA_ROOT: must not be empty');
    expect(configError(() => envLayer({ UVX_SAFE_ALLOWED_ROOTS: '/a::/b' }, 'linux', '/')).message).toBe(
      'environment variable UVX_SAFE_ALLOWED_ROOTS: must not be empty',
    );
  });

  it('a relative path in a UVX_SAFE_* variable is an error, not a root per working folder', () => {
    expect(configError(() => envLayer({ UVX_SAFE_DATA_ROOT: 'uv-data' }, 'linux', '/w')).message).toBe(
      'environment variable UVX_SAFE_DATA_ROOT: "uv-data" is a relative path (it would change with the working folder)',
    );
    expect(() => envLayer({ UVX_SAFE_ALLOWED_ROOTS: '/a:dev' }, 'linux', '/')).toThrowError(/UVX_SAFE_ALLOWED_ROOTS: "dev" is a relative path/);
    expect(() => envLayer({ UVX_SAFE_LOCATIONS_CACHE: './c' }, 'linux', '/')).toThrowError(/UVX_SAFE_LOCATIONS_CACHE: ".\/c" is a relative path/);
    expect(() => envLayer({ UVX_SAFE_DATA_ROOT: 'D:dev' }, 'win32', 'C:\\')).toThrowError(/relative path/);
    for (const ok of ['/abs', '~', '~/uv', '{home}/uv', '{env:DEV}/uv']) expect(envLayer({ UVX_SAFE_DATA_ROOT: ok }, 'linux', '/').layer?.config['data-root']).toBe(ok);
    expect(envLayer({ UVX_SAFE_LOCATIONS_CACHE: '{data-root}/c' }, 'linux', '/').layer?.config.locations?.cache).toBe('{data-root}/c');
    expect(envLayer({ UVX_SAFE_DATA_ROOT: 'D:\\dev' }, 'win32', 'C:\\').layer?.config['data-root']).toBe('D:\\dev');
  });
});

const noAdminFile = { exists: () => false, same: () => false };

describe('the admin policy file', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const host = (env: Record<string, string>) => ({ platform: 'linux' as const, env, home: '/h', user: 'u' });

  it('UVX_SAFE_SYSTEM_CONFIG naming a missing file is an error; the default path missing means no policy', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-admin-'));
    const missing = path.join(dir, 'nope.toml');
    expect(configError(() => readAdminLayer(host({ UVX_SAFE_SYSTEM_CONFIG: missing }), noAdminFile)).message).toBe(
      `environment variable UVX_SAFE_SYSTEM_CONFIG: names ${missing}, which does not exist`,
    );
    expect(() => readAdminLayer(host({ UVX_SAFE_SYSTEM_CONFIG: 'policy.toml' }), noAdminFile)).toThrowError(/UVX_SAFE_SYSTEM_CONFIG: "policy.toml" is a relative path/);
    const file = path.join(dir, 'policy.toml');
    fs.writeFileSync(file, 'mode = "warn"');
    expect(readAdminLayer(host({ UVX_SAFE_SYSTEM_CONFIG: file }), noAdminFile)?.config.mode).toBe('warn');
    // An empty variable is unset: the platform path, never the "does not exist" error of a named file.
    expect(adminConfigPath(host({ UVX_SAFE_SYSTEM_CONFIG: '' }))).toBe('/etc/uvx-safe/config.toml');
    expect(chooseAdminFile(host({ UVX_SAFE_SYSTEM_CONFIG: '' }), noAdminFile)).toEqual({ file: '/etc/uvx-safe/config.toml', named: false, overrides: [] });
    // And a default path with no file there is no policy (a scratch path standing in for it).
    expect(readConfigFile(path.join(dir, 'etc', 'uvx-safe', 'config.toml'), 'admin')).toBeUndefined();
  });
});

describe("the admin's file wins over UVX_SAFE_SYSTEM_CONFIG", () => {
  const host = (platform: 'linux' | 'win32', env: Record<string, string>) => ({ platform, env, home: '/h', user: 'u' });
  const adminFileAt = (file: string) => ({ exists: (f: string) => f === file, same: (a: string, b: string) => a === b });
  const PROGRAM_DATA = 'C:\\ProgramData\\uvx-safe\\config.toml';

  it('without an admin file the variable names the policy; with one, the admin file is read and the variable is an override', () => {
    const named = { UVX_SAFE_SYSTEM_CONFIG: '/tmp/trial.toml' };
    expect(chooseAdminFile(host('linux', named), noAdminFile)).toEqual({ file: '/tmp/trial.toml', named: true, overrides: [] });
    expect(chooseAdminFile(host('linux', {}), adminFileAt('/etc/uvx-safe/config.toml'))).toEqual({ file: '/etc/uvx-safe/config.toml', named: false, overrides: [] });
    expect(chooseAdminFile(host('linux', named), adminFileAt('/etc/uvx-safe/config.toml'))).toEqual({
      file: '/etc/uvx-safe/config.toml',
      named: false,
      overrides: [{ variable: 'UVX_SAFE_SYSTEM_CONFIG', adminFile: '/etc/uvx-safe/config.toml', attempt: 'names /tmp/trial.toml', undo: 'unset UVX_SAFE_SYSTEM_CONFIG' }],
    });
    // Naming the admin's own file (or a link to it) overrides nothing.
    expect(chooseAdminFile(host('linux', { UVX_SAFE_SYSTEM_CONFIG: '/etc/uvx-safe/config.toml' }), adminFileAt('/etc/uvx-safe/config.toml')).overrides).toEqual([]);
    // Windows: %ProgramData%\uvx-safe\config.toml.
    expect(chooseAdminFile(host('win32', { UVX_SAFE_SYSTEM_CONFIG: 'C:\\t\\p.toml', ProgramData: 'C:\\ProgramData' }), adminFileAt(PROGRAM_DATA))).toMatchObject({
      file: PROGRAM_DATA,
      overrides: [{ attempt: 'names C:\\t\\p.toml' }],
    });
  });

  it("Windows: a %ProgramData% of the user's own cannot move the admin's file away from C:\\ProgramData", () => {
    const mine = 'C:\\Users\\me\\pd\\uvx-safe\\config.toml';
    const both = { exists: (f: string) => f === PROGRAM_DATA || f === mine, same: (a: string, b: string) => a === b };
    expect(chooseAdminFile(host('win32', { ProgramData: 'C:\\Users\\me\\pd' }), both)).toEqual({
      file: PROGRAM_DATA,
      named: false,
      overrides: [{ variable: 'ProgramData', adminFile: PROGRAM_DATA, attempt: `names another folder, with a policy at ${mine}`, undo: 'remove your own ProgramData variable (HKCU\\Environment)' }],
    });
    // Nothing at the variable's folder: the admin's file, and no override to report.
    expect(chooseAdminFile(host('win32', { ProgramData: 'C:\\Users\\me\\pd' }), adminFileAt(PROGRAM_DATA))).toEqual({ file: PROGRAM_DATA, named: false, overrides: [] });
    // A machine whose ProgramData really is elsewhere (nothing at C:\\ProgramData): the variable's folder.
    expect(chooseAdminFile(host('win32', { ProgramData: 'D:\\ProgramData' }), adminFileAt('D:\\ProgramData\\uvx-safe\\config.toml')).file).toBe('D:\\ProgramData\\uvx-safe\\config.toml');
    // Another spelling of C:\\ProgramData is the same folder: one stat less, nothing to report.
    expect(chooseAdminFile(host('win32', { ProgramData: 'c:\\programdata' }), adminFileAt('c:\\programdata\\uvx-safe\\config.toml')).overrides).toEqual([]);
  });
});

describe('finding the project config', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes the nearest file from the working folder up, skipping pyproject.toml without our table', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-find-'));
    const sub = path.join(dir, 'a', 'b');
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(dir, 'uvx-safe.toml'), 'mode = "off"');
    fs.writeFileSync(path.join(dir, 'a', 'pyproject.toml'), '[project]\nname = "a"');
    expect(findProjectLayer(sub)?.source).toBe(path.join(dir, 'uvx-safe.toml'));
    fs.writeFileSync(path.join(dir, 'a', 'pyproject.toml'), '[project]\nname = "a"\n[tool.uvx-safe]\nmode = "enforce"');
    expect(findProjectLayer(sub)?.config.mode).toBe('enforce');
    fs.writeFileSync(path.join(sub, '.uvx-safe.toml'), 'mode = "warn"');
    expect(findProjectLayer(sub)?.source).toBe(path.join(sub, '.uvx-safe.toml'));
  });

  it('never loads code: a .config/config.js or uvx-safe.js is not read', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-find-'));
    fs.mkdirSync(path.join(dir, '.config'));
    const marker = path.join(dir, 'ran');
    const code = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = {}`;
    fs.writeFileSync(path.join(dir, '.config', 'config.js'), code);
    fs.writeFileSync(path.join(dir, 'uvx-safe.config.js'), code);
    findProjectLayer(dir);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
