import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { envLayer, fileLayer, findProjectLayer, pyprojectLayer, type Layer } from '../../src/config/layers.js';
import { mergeLayers, projectMaySetEnv } from '../../src/config/merge.js';
import { ConfigError } from '../../src/errors.js';

const layer = (name: Layer['name'], text: string, source = `/${name}.toml`) => fileLayer(text, source, name);

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

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
    expect(err.message).toMatch(/^\/u\/config\.toml:3: TOML syntax error/);
  });

  it('an unknown key names file, line and key', () => {
    const err = configError(() => layer('user', 'mode = "warn"\n\n[locations]\ncahce = "/x"\n', '/u/config.toml'));
    expect(err.message).toBe('/u/config.toml:4: locations.cahce: unknown key');
  });

  it('a wrong type names the key and what was expected', () => {
    expect(configError(() => layer('user', 'allowed-roots = "/one"')).message).toBe(
      '/user.toml:1: allowed-roots: expected an array, got "/one"',
    );
    expect(configError(() => layer('user', 'mode = "strict"')).message).toMatch(/mode: must be one of "enforce", "warn", "off"/);
    expect(configError(() => layer('user', 'data-root = 3')).message).toMatch(/data-root: expected a string, got 3/);
    expect(configError(() => layer('admin', 'locked = ["colour"]')).message).toMatch(/locked\.0: is not a key that can be locked/);
    expect(configError(() => layer('user', '[env]\n"BAD NAME" = "x"')).message).toMatch(/is not a valid variable name/);
  });

  it('[tool.uvx-safe] in pyproject.toml, with keys named under it', () => {
    expect(pyprojectLayer('[project]\nname = "x"\n', '/p/pyproject.toml')).toBeUndefined();
    expect(pyprojectLayer('[tool.uvx-safe]\nmode = "off"\n', '/p/pyproject.toml')?.config.mode).toBe('off');
    expect(configError(() => pyprojectLayer('[tool.uvx-safe]\nmood = "off"\n', '/p/pyproject.toml')).message).toBe(
      '/p/pyproject.toml:2: tool.uvx-safe.mood: unknown key',
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
    expect(() => envLayer({ UVX_SAFE_MODE: 'loud' }, 'linux', '/')).toThrowError(/^environment variable UVX_SAFE_MODE: must be one of/);
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
      layer('admin', 'mode = "enforce"\ndata-root = "/a"\n[locations]\ncache = "/ac"\ntool = "/at"'),
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
      'environment: mode is locked by the admin policy (/admin.toml); ignored',
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
      '/admin.toml: env.UV_CACHE_DIR: set locations with [locations] (or data-root), not [env]',
    );
  });

  it('projectMaySetEnv', () => {
    for (const ok of ['UV_LINK_MODE', 'UV_COMPILE_BYTECODE', 'UV_RESOLUTION']) expect(projectMaySetEnv(ok)).toBe(true);
    for (const no of ['UV_INDEX_URL', 'UV_EXTRA_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_INDEX', 'UV_FIND_LINKS', 'UV_KEYRING_PROVIDER', 'UV_INSECURE_HOST', 'UV_PUBLISH_TOKEN', 'UV_PYTHON_INSTALL_MIRROR', 'UV_INDEX_X_USERNAME', 'PATH', 'HTTPS_PROXY'])
      expect(projectMaySetEnv(no)).toBe(false);
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
