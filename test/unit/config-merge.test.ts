// The merge's rules that config.test.ts leaves implicit: who may lock, which settings come out of the
// merge at all, and what a refusal of the merge or of an override says to do instead (issue 19).
import { describe, expect, it } from 'vitest';
import { PolicyRefusal } from '../../src/errors.js';
import { fileLayer, type Layer } from '../../src/config/layers.js';
import { isLocked } from '../../src/config/layer.js';
import { checkEnforceHasRoots, mergeLayers } from '../../src/config/merge.js';
import { adminOverrides, judgeOverrides } from '../../src/config/override.js';
import { configError } from '../helpers/config-error.js';

const layer = (name: Layer['name'], text: string, source = `/${name}.toml`) => fileLayer(text, source, name);
const envVars = (config: Layer['config']): Layer => ({ name: 'env', source: 'environment', baseDir: '/', config });

describe('locks', () => {
  it('a key is locked by its own name or its table, never by a sibling or a prefix of its name', () => {
    expect(isLocked('env.UV_INDEX', ['env'])).toBe(true);
    expect(isLocked('env.UV_INDEX', ['env.UV_INDEX'])).toBe(true);
    expect(isLocked('env', ['env'])).toBe(true);
    expect(isLocked('env.UV_INDEX', ['env.UV_INDEX_URL'])).toBe(false);
    expect(isLocked('env', ['env.UV_INDEX'])).toBe(false);
    expect(isLocked('data-root', ['data'])).toBe(false);
  });

  it("only the admin's `locked` locks: a user's list is warned about and locks nothing", () => {
    const config = mergeLayers([
      layer('user', 'mode = "warn"\nlocked = ["mode"]'),
      layer('project', 'mode = "enforce"', '/repo/uvx-safe.toml'),
    ]);
    expect(config.mode).toMatchObject({ value: 'enforce', locked: false, origin: { layer: 'project' } });
    expect(config.locked).toEqual([]);
    expect(config.lockSource).toBeUndefined();
    expect(config.warnings).toEqual(['/user.toml: locked can only be set by the admin policy; ignored']);
  });

  it("the admin's list and its file come out of the merge; an admin file without locks names no lock source", () => {
    const locking = mergeLayers([layer('admin', 'mode = "warn"\nlocked = ["mode", "env"]')]);
    expect(locking.locked).toEqual(['mode', 'env']);
    expect(locking.lockSource).toBe('/admin.toml');
    const open = mergeLayers([layer('admin', 'mode = "warn"'), layer('user', 'mode = "off"')]);
    expect(open.lockSource).toBeUndefined();
    expect(open.mode).toMatchObject({ value: 'off', locked: false });
  });

  it('every setting read from the merge says whether it is locked, the built-in default mode included', () => {
    const config = mergeLayers([layer('admin', 'locked = ["mode", "env.UV_LINK_MODE"]\n[env]\nUV_LINK_MODE = "copy"\nUV_COMPILE_BYTECODE = "1"')]);
    expect(config.mode).toEqual({ value: 'warn', origin: { layer: 'default', source: 'built-in default' }, baseDir: '', locked: true });
    expect(config.env.UV_LINK_MODE?.locked).toBe(true);
    expect(config.env.UV_COMPILE_BYTECODE?.locked).toBe(false);
  });
});

describe('what comes out of the merge', () => {
  it('each key as its own setting: uv-path, uv-version, uv-source, safe-directories, report', () => {
    const config = mergeLayers([
      layer('admin', 'uv-path = "/opt/uv"\nuv-version = "0.13.9"\nuv-source = "https://mirror/uv"\nsafe-directories = ["/srv/*"]\nreport = "/var/log/uvx-safe.jsonl"'),
    ]);
    expect(config.uvPath?.value).toBe('/opt/uv');
    expect(config.uvVersion?.value).toBe('0.13.9');
    expect(config.uvSource?.value).toBe('https://mirror/uv');
    expect(config.safeDirectories?.value).toEqual(['/srv/*']);
    expect(config.report?.value).toBe('/var/log/uvx-safe.jsonl');
  });

  it('only the locations some layer set, and a key a layer holds as undefined does not replace a lower value', () => {
    expect(Object.keys(mergeLayers([]).locations)).toEqual([]);
    expect(Object.keys(mergeLayers([layer('admin', '[locations]\ncache = "/c"')]).locations)).toEqual(['cache']);
    // A layer built in code may carry optional keys as undefined (envLayer's tables, `{ ...layer }`).
    const config = mergeLayers([
      layer('admin', 'data-root = "/dev/uv"\n[locations]\ncache = "/c"'),
      { name: 'user', source: '/user.toml', baseDir: '/', config: { 'data-root': undefined, locations: { cache: undefined } } },
    ]);
    expect(config.dataRoot?.value).toBe('/dev/uv');
    expect(config.locations.cache?.value).toBe('/c');
    expect(config.warnings).toEqual([]);
  });

  it('a project setting the mode already in force is no loosening: no warning', () => {
    const config = mergeLayers([layer('admin', 'mode = "warn"'), layer('project', 'mode = "warn"', '/repo/uvx-safe.toml')]);
    expect(config.mode.origin.layer).toBe('project');
    expect(config.warnings).toEqual([]);
  });

  it('uvx-safe\'s own variables are refused in [env] too, in any case, with a hint to use [locations] or data-root', () => {
    for (const name of ['UVX_SAFE_MODE', 'uvx_safe_allowed_roots', 'TMPDIR', 'uv_cache_dir']) {
      const err = configError(() => mergeLayers([layer('user', `[env]\n${name} = "x"`)]));
      expect(err.key, name).toBe(`env.${name}`);
      expect(err.problem).toContain('belongs in [locations]');
      expect(err.hint).toContain('[locations]');
      expect(err.hint).toContain('data-root');
    }
    // A name that merely contains the prefix is an ordinary variable.
    expect(Object.keys(mergeLayers([layer('user', '[env]\nMY_UVX_SAFE_NOTE = "x"')]).env)).toEqual(['MY_UVX_SAFE_NOTE']);
  });

  it('"enforce" without roots says where to add them', () => {
    const err = configError(() => checkEnforceHasRoots(mergeLayers([layer('admin', 'mode = "enforce"')])));
    expect(err.hint).toContain('allowed-roots');
    expect(err.hint).toContain('admin policy');
  });
});

describe('a UVX_SAFE_* variable against a lock (an override of the admin\'s policy)', () => {
  const admin = layer('admin', 'mode = "enforce"\nallowed-roots = ["/dev"]\nlocked = ["mode", "data-root"]\ndata-root = "/dev/d"');

  it('in enforce: refused naming the variable, with the hint to unset it and the rule id of the report', () => {
    const config = mergeLayers([admin, envVars({ 'data-root': '/tmp/mine' })]);
    const [override] = adminOverrides([], config, '/etc/uvx-safe/config.toml');
    expect(override).toMatchObject({ variable: 'UVX_SAFE_DATA_ROOT', adminFile: '/admin.toml', undo: 'unset UVX_SAFE_DATA_ROOT' });
    let refusal: unknown;
    try {
      judgeOverrides([override!], config);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(PolicyRefusal);
    const { message, hint, rule } = refusal as PolicyRefusal;
    expect(message).toContain('UVX_SAFE_DATA_ROOT sets data-root');
    expect(hint).toBe("unset UVX_SAFE_DATA_ROOT; the admin's policy at /admin.toml applies");
    expect(rule).toBe('admin-policy-overridden:UVX_SAFE_DATA_ROOT');
  });

  it('the admin file named is the one holding the locks, else the one given', () => {
    const config = mergeLayers([admin, envVars({ mode: 'off' })]);
    expect(adminOverrides([], config, '/etc/uvx-safe/config.toml')[0]?.adminFile).toBe('/admin.toml');
    const file = { variable: 'UVX_SAFE_SYSTEM_CONFIG', adminFile: '/etc/uvx-safe/config.toml', attempt: 'names /tmp/p.toml', undo: 'unset UVX_SAFE_SYSTEM_CONFIG' };
    expect(adminOverrides([file], mergeLayers([]), '/etc/uvx-safe/config.toml')).toEqual([file]);
  });
});
