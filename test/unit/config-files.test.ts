// Reading the layers from disk and the environment (src/config/layers.ts): what a file that cannot be
// read, a pyproject.toml that is not ours, a UVX_SAFE_* variable and the whole load come to (issue 19).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stats } from 'node:fs';
import {
  envLayer,
  findProjectLayer,
  loadLayers,
  nodeAdminFileSystem,
  pyprojectLayer,
  readAdminLayer,
  readConfigFile,
} from '../../src/config/layers.js';
import type { ProjectTrust } from '../../src/config/trust.js';
import { configError } from '../helpers/config-error.js';
import { skipOrFail } from '../helpers/system-tools.js';

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-layers-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const noAdminFile = { exists: () => false, same: () => false };
const linuxHost = (env: Record<string, string | undefined>) => ({ platform: 'linux' as const, env, home: '/home/ann', user: 'ann' });

describe('a config file that cannot be read', () => {
  it('under a path whose parent is a file is absent, as a missing one', () => {
    const file = path.join(dir, 'plain');
    fs.writeFileSync(file, 'x');
    expect(readConfigFile(path.join(file, 'config.toml'), 'admin')).toBeUndefined();
  });

  it('that is a folder is an error naming it, with what to do', () => {
    const folder = path.join(dir, 'config.toml');
    fs.mkdirSync(folder);
    const err = configError(() => readConfigFile(folder, 'user'));
    expect(err.file).toBe(folder);
    expect(err.problem).toBe('cannot be read (EISDIR)');
    expect(err.hint).toContain('must be able to read it');
  });
});

describe('the admin policy named by UVX_SAFE_SYSTEM_CONFIG', () => {
  it('is the admin layer', () => {
    const file = path.join(dir, 'policy.toml');
    fs.writeFileSync(file, 'mode = "warn"');
    expect(readAdminLayer(linuxHost({ UVX_SAFE_SYSTEM_CONFIG: file }), noAdminFile)).toMatchObject({ name: 'admin', source: file, baseDir: dir });
  });

  it('relative or missing: refused with a hint to fix or unset the variable', () => {
    const relative = configError(() => readAdminLayer(linuxHost({ UVX_SAFE_SYSTEM_CONFIG: 'p.toml' }), noAdminFile));
    expect(relative.hint).toContain('absolute path');
    expect(relative.hint).toContain('unset it');
    const missing = configError(() => readAdminLayer(linuxHost({ UVX_SAFE_SYSTEM_CONFIG: path.join(dir, 'nope.toml') }), noAdminFile));
    expect(missing.hint).toContain('point it at the policy file');
  });

  it('the same file under two names (a link) is one file; two files or a missing one are not', () => {
    const file = path.join(dir, 'policy.toml');
    fs.writeFileSync(file, '');
    fs.symlinkSync(file, path.join(dir, 'link.toml'));
    fs.writeFileSync(path.join(dir, 'other.toml'), '');
    expect(nodeAdminFileSystem.exists(file)).toBe(true);
    expect(nodeAdminFileSystem.exists(path.join(dir, 'nope.toml'))).toBe(false);
    expect(nodeAdminFileSystem.same(path.join(dir, 'link.toml'), file)).toBe(true);
    expect(nodeAdminFileSystem.same(path.join(dir, 'other.toml'), file)).toBe(false);
    expect(nodeAdminFileSystem.same(path.join(dir, 'nope.toml'), path.join(dir, 'nope.toml'))).toBe(false);
  });
});

describe('pyproject.toml and the project search', () => {
  it('a pyproject.toml that never mentions uvx-safe is not ours even when uv could not read it', () => {
    expect(pyprojectLayer('[project\nname = "app"', '/p/pyproject.toml')).toBeUndefined();
    expect(() => pyprojectLayer('[project\nname = "uvx-safe-demo"', '/p/pyproject.toml')).toThrowError(/^\/p\/pyproject\.toml:1:9: unclosed table header/);
    expect(pyprojectLayer('[tool.uvx-safe]\nmode = "warn"', '/p/pyproject.toml')).toMatchObject({ name: 'project', source: '/p/pyproject.toml', baseDir: '/p' });
  });

  it('a uvx-safe.toml found is the project layer', () => {
    fs.writeFileSync(path.join(dir, 'uvx-safe.toml'), 'mode = "warn"');
    expect(findProjectLayer(dir)).toMatchObject({ name: 'project', source: path.join(dir, 'uvx-safe.toml'), baseDir: dir });
  });

  it('asks no owner of a pyproject.toml that never mentions uvx-safe (the hot path of every uv call in a project)', () => {
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "app"\n');
    const asked: string[] = [];
    const trust: ProjectTrust = {
      platform: 'linux',
      safeDirectories: [],
      me: () => (asked.push('me'), { uid: 1000 }),
      ownerOf: (file) => (asked.push(file), { uid: 1000 }),
      statDir: (d) => (asked.push(d), {} as Stats),
    };
    expect(findProjectLayer(dir, trust)).toBeUndefined();
    expect(asked).toEqual([]);
  });
});

describe('the UVX_SAFE_* variables', () => {
  it('UVX_SAFE_UV_VERSION is uv-version; the layer is named "environment"', () => {
    const { layer } = envLayer({ UVX_SAFE_UV_VERSION: '0.13.9' }, 'linux', '/w');
    expect(layer).toEqual({ name: 'env', source: 'environment', baseDir: '/w', config: { 'uv-version': '0.13.9' } });
  });

  it('POSIX names are case-sensitive: uvx_safe_mode is another variable (no layer, no warning)', () => {
    expect(envLayer({ uvx_safe_mode: 'enforce' }, 'linux', '/')).toEqual({ warnings: [] });
  });

  it('other variables, unset ones, empty unknown ones and the launcher\'s own are passed over in silence', () => {
    const env = {
      PATH: '/usr/bin',
      HOME: '/home/ann',
      UVX_SAFE_MODE: undefined,
      UVX_SAFE_COLOUR: '',
      UVX_SAFE_DEBUG: '1',
      UVX_SAFE_UV: '/opt/uv',
      UVX_SAFE_SYSTEM_CONFIG: '/etc/p.toml',
      UVX_SAFE_UV_SOURCE_PASSWORD: 'x',
    };
    expect(envLayer(env, 'linux', '/')).toEqual({ warnings: [] });
    expect(envLayer({ UVX_SAFE_COLOUR: 'x' }, 'linux', '/').warnings).toEqual(['UVX_SAFE_COLOUR is not a uvx-safe variable; ignored']);
  });

  it('a relative path or a bad value is refused naming the variable, with its own hint', () => {
    const relative = configError(() => envLayer({ UVX_SAFE_DATA_ROOT: 'uv-data' }, 'linux', '/w'));
    expect(relative.hint).toBe('set UVX_SAFE_DATA_ROOT to an absolute path');
    const bad = configError(() => envLayer({ UVX_SAFE_MODE: 'strict' }, 'linux', '/'));
    expect(bad.file).toBe('environment variable UVX_SAFE_MODE');
    // The key's own section of the reference, as in a file (the variable's message has no key of its own).
    expect(bad.hint).toBe('see docs/config-reference.md#mode');
  });
});

describe('loading every layer', () => {
  it('admin, user, project, environment, lowest first, with the files read and the warnings', () => {
    const admin = path.join(dir, 'etc', 'policy.toml');
    const user = path.join(dir, 'xdg', 'uvx-safe', 'config.toml');
    const project = path.join(dir, 'repo');
    fs.mkdirSync(path.dirname(admin), { recursive: true });
    fs.mkdirSync(path.dirname(user), { recursive: true });
    fs.mkdirSync(project);
    fs.writeFileSync(admin, 'mode = "warn"');
    fs.writeFileSync(user, 'data-root = "/dev/uv"');
    fs.writeFileSync(path.join(project, 'uvx-safe.toml'), 'mode = "enforce"');
    const host = linuxHost({ UVX_SAFE_SYSTEM_CONFIG: admin, XDG_CONFIG_HOME: path.join(dir, 'xdg'), UVX_SAFE_UV_VERSION: '0.13.9', UVX_SAFE_X: '1' });
    const loaded = loadLayers(host, project, project);
    expect(loaded.layers.map((l) => [l.name, l.source])).toEqual([
      ['admin', admin],
      ['user', user],
      ['project', path.join(project, 'uvx-safe.toml')],
      ['env', 'environment'],
    ]);
    expect(loaded).toMatchObject({ adminFile: admin, userFile: user, adminOverrides: [], ignored: [], warnings: ['UVX_SAFE_X is not a uvx-safe variable; ignored'] });
    // Nothing but the defaults: no layers, no warnings.
    expect(loadLayers(linuxHost({ XDG_CONFIG_HOME: path.join(dir, 'none') }), dir, dir)).toMatchObject({ layers: [], warnings: [], ignored: [] });
  });

  it("a project file another user owns is ignored and named, unless the user's safe-directories lists its folder", (ctx) => {
    if (process.getuid?.() !== 0) skipOrFail(ctx, 'needs root, to give a file to another user (chown)');
    const project = path.join(dir, 'shared');
    fs.mkdirSync(project);
    const planted = path.join(project, 'uvx-safe.toml');
    fs.writeFileSync(planted, 'mode = "off"');
    fs.chownSync(planted, 4242, 4242);
    const xdg = path.join(dir, 'xdg');
    const host = linuxHost({ XDG_CONFIG_HOME: xdg });
    const loaded = loadLayers(host, project, project);
    expect(loaded.layers).toEqual([]);
    expect(loaded.ignored).toHaveLength(1);
    expect(loaded.ignored[0]).toContain(`${planted}: owned by uid 4242`);
    expect(loaded.warnings).toEqual(loaded.ignored);
    fs.mkdirSync(path.join(xdg, 'uvx-safe'), { recursive: true });
    fs.writeFileSync(path.join(xdg, 'uvx-safe', 'config.toml'), `safe-directories = [${JSON.stringify(project)}]`);
    expect(loadLayers(host, project, project).layers.map((l) => l.source)).toEqual([path.join(xdg, 'uvx-safe', 'config.toml'), planted]);
  });
});
