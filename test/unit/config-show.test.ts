// `safe config show` (src/config/show.ts) as a function: the layers searched, each setting with where
// it came from and whether it is locked, and the warnings (issue 19; end to end: config-command.test.ts).
import { describe, expect, it } from 'vitest';
import { envLayer, fileLayer, type Layer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
import { renderShowText, showReport } from '../../src/config/show.js';

const admin = fileLayer('mode = "enforce"\nallowed-roots = ["/dev"]\nlocked = ["mode"]\n[env]\nUV_LINK_MODE = "copy"', '/etc/uvx-safe/config.toml', 'admin');
const user = fileLayer('uv-version = "0.13.9"', '/home/ann/.config/uvx-safe/config.toml', 'user');
const env = envLayer({ UVX_SAFE_DATA_ROOT: '/dev/uv', UVX_SAFE_LOCATIONS_CACHE: '/dev/c' }, 'linux', '/w').layer!;

function report(layers: Layer[], extra: { ignored?: string[]; warnings?: string[] } = {}) {
  return showReport({
    layers,
    config: mergeLayers(layers),
    adminFile: '/etc/uvx-safe/config.toml',
    userFile: '/home/ann/.config/uvx-safe/config.toml',
    projectStart: '/w/app',
    warnings: extra.warnings ?? [],
    ...(extra.ignored ? { ignored: extra.ignored } : {}),
  });
}

describe('safe config show', () => {
  it('lists every layer searched, found or not, and the variables of the environment layer', () => {
    const shown = report([admin, user, env], { ignored: ['/w/uvx-safe.toml: owned by uid 7; ignored'] });
    expect(shown.layers).toEqual([
      { layer: 'admin', source: '/etc/uvx-safe/config.toml', found: true },
      { layer: 'user', source: '/home/ann/.config/uvx-safe/config.toml', found: true },
      { layer: 'project', found: false, searchedFrom: '/w/app', ignored: ['/w/uvx-safe.toml: owned by uid 7; ignored'] },
      { layer: 'env', source: 'environment', found: true, variables: ['UVX_SAFE_DATA_ROOT', 'UVX_SAFE_LOCATIONS_CACHE'] },
    ]);
    const project = fileLayer('mode = "enforce"', '/w/uvx-safe.toml', 'project');
    expect(report([project]).layers).toEqual([
      { layer: 'admin', source: '/etc/uvx-safe/config.toml', found: false },
      { layer: 'user', source: '/home/ann/.config/uvx-safe/config.toml', found: false },
      { layer: 'project', source: '/w/uvx-safe.toml', found: true, searchedFrom: '/w/app', ignored: [] },
      { layer: 'env', source: 'environment', found: false, variables: [] },
    ]);
  });

  it('gives each setting set its origin, the variable for one from the environment, and its lock', () => {
    const shown = report([admin, user, env]);
    expect(shown.settings).toEqual({
      mode: { value: 'enforce', layer: 'admin', source: '/etc/uvx-safe/config.toml', locked: true },
      'allowed-roots': { value: ['/dev'], layer: 'admin', source: '/etc/uvx-safe/config.toml', locked: false },
      'data-root': { value: '/dev/uv', layer: 'env', source: 'environment', variable: 'UVX_SAFE_DATA_ROOT', locked: false },
      'locations.cache': { value: '/dev/c', layer: 'env', source: 'environment', variable: 'UVX_SAFE_LOCATIONS_CACHE', locked: false },
      'uv-version': { value: '0.13.9', layer: 'user', source: '/home/ann/.config/uvx-safe/config.toml', locked: false },
      'env.UV_LINK_MODE': { value: 'copy', layer: 'admin', source: '/etc/uvx-safe/config.toml', locked: false },
    });
    expect(shown.locked).toEqual(['mode']);
    expect(shown.lockSource).toBe('/etc/uvx-safe/config.toml');
    expect('lockSource' in report([user])).toBe(false);
    const machine = fileLayer('uv-path = "/opt/uv"\nuv-source = "https://mirror/uv"\nsafe-directories = ["/srv/*"]\nreport = "/var/log/u.jsonl"', '/etc/p.toml', 'admin');
    const origin = { layer: 'admin', source: '/etc/p.toml', locked: false };
    expect(report([machine]).settings).toEqual({
      mode: { value: 'warn', layer: 'default', source: 'built-in default', locked: false },
      'uv-path': { value: '/opt/uv', ...origin },
      'uv-source': { value: 'https://mirror/uv', ...origin },
      'safe-directories': { value: ['/srv/*'], ...origin },
      report: { value: '/var/log/u.jsonl', ...origin },
    });
  });

  it('as text: layers lowest first, one aligned line per setting with its origin, the locks, then the warnings', () => {
    const text = renderShowText(report([admin, user, env], { ignored: ['/w/uvx-safe.toml: owned by uid 7; ignored'], warnings: ['UVX_SAFE_X is not a uvx-safe variable; ignored'] }));
    expect(text).toBe(
      [
        '# layers, lowest first',
        'default  built-in defaults',
        'admin    /etc/uvx-safe/config.toml',
        'user     /home/ann/.config/uvx-safe/config.toml',
        'project  (none found from /w/app up)',
        'ignored  /w/uvx-safe.toml: owned by uid 7; ignored',
        'env      UVX_SAFE_DATA_ROOT, UVX_SAFE_LOCATIONS_CACHE',
        '',
        '# settings',
        'mode = "enforce"            admin: /etc/uvx-safe/config.toml (locked)',
        'allowed-roots = ["/dev"]    admin: /etc/uvx-safe/config.toml',
        'data-root = "/dev/uv"       env: UVX_SAFE_DATA_ROOT',
        'locations.cache = "/dev/c"  env: UVX_SAFE_LOCATIONS_CACHE',
        'uv-version = "0.13.9"       user: /home/ann/.config/uvx-safe/config.toml',
        'env.UV_LINK_MODE = "copy"   admin: /etc/uvx-safe/config.toml',
        'locked = ["mode"]           admin: /etc/uvx-safe/config.toml',
        '',
        '# warnings',
        'UVX_SAFE_X is not a uvx-safe variable; ignored',
        '',
      ].join('\n'),
    );
  });

  it('as text with nothing set: files not found, the built-in mode, no locks, no warnings', () => {
    expect(renderShowText(report([]))).toBe(
      [
        '# layers, lowest first',
        'default  built-in defaults',
        'admin    /etc/uvx-safe/config.toml (not found)',
        'user     /home/ann/.config/uvx-safe/config.toml (not found)',
        'project  (none found from /w/app up)',
        'env      (no UVX_SAFE_* variables set)',
        '',
        '# settings',
        'mode = "warn"  default: built-in',
        '',
      ].join('\n'),
    );
  });
});
