import { describe, expect, it } from 'vitest';
import { fileLayer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
import type { HostInfo } from '../../src/platform/dirs.js';
import { planRelocation, projectEnvName, type PlanInput } from '../../src/relocate/plan.js';
import type { LocationFlag, ParsedUvArgs } from '../../src/uv/argv.js';
import { parsedArgs } from '../helpers/parsed-args.js';

const linux: HostInfo = { platform: 'linux', env: {}, home: '/home/me', user: 'me' };
const win: HostInfo = {
  platform: 'win32',
  env: { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local', APPDATA: 'C:\\Users\\me\\AppData\\Roaming', TEMP: 'C:\\Users\\me\\AppData\\Local\\Temp' },
  home: 'C:\\Users\\me',
  user: 'me',
};

const args = parsedArgs;

function plan(toml: string, over: Partial<PlanInput> = {}, host: HostInfo = linux) {
  const config = mergeLayers([fileLayer(toml, host.platform === 'win32' ? 'C:\\ProgramData\\uvx-safe\\config.toml' : '/etc/uvx-safe/config.toml', 'admin')]);
  return planRelocation({ config, args: args(), host, cwd: host.platform === 'win32' ? 'C:\\src\\app' : '/src/app', canonical: (p) => p, ...over });
}

describe('planRelocation', () => {
  it('with no config it changes nothing: a faithful pass-through', () => {
    const p = planRelocation({ config: mergeLayers([]), args: args(), host: linux, cwd: '/', canonical: (x) => x });
    expect(p.env).toEqual({});
    expect(p.mkdirs).toEqual([]);
    expect(p.refusals).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  it('moves every location under data-root and creates them', () => {
    const p = plan('allowed-roots = ["/dev"]\ndata-root = "/dev/uv"');
    expect(p.env).toEqual({
      UV_CACHE_DIR: '/dev/uv/cache',
      TMPDIR: '/dev/uv/tmp',
      UV_PYTHON_INSTALL_DIR: '/dev/uv/python',
      UV_PYTHON_BIN_DIR: '/dev/uv/bin',
      UV_TOOL_DIR: '/dev/uv/tools',
      UV_TOOL_BIN_DIR: '/dev/uv/bin',
      UV_CREDENTIALS_DIR: '/dev/uv/credentials',
      PYX_CREDENTIALS_DIR: '/dev/uv/credentials/pyx',
    });
    expect(p.mkdirs).toEqual(['/dev/uv/cache', '/dev/uv/tmp', '/dev/uv/python', '/dev/uv/bin', '/dev/uv/tools', '/dev/uv/credentials']);
    expect(p.refusals).toEqual([]);
    expect(p.decisions.every((d) => d.inside === true)).toBe(true);
  });

  it('on Windows sets TMP and TEMP', () => {
    const p = plan('allowed-roots = ["D:\\\\dev"]\ndata-root = "D:\\\\dev\\\\uv"', {}, win);
    expect(p.env.TMP).toBe('D:\\dev\\uv\\tmp');
    expect(p.env.TEMP).toBe('D:\\dev\\uv\\tmp');
    expect(p.env.TMPDIR).toBeUndefined();
    expect(p.env.UV_CACHE_DIR).toBe('D:\\dev\\uv\\cache');
  });

  it('[locations] beat data-root and may use templates', () => {
    const p = plan('data-root = "/dev/uv"\n[locations]\ncache = "{data-root}/../shared-cache"\ntool-bin = "{home}/bin"');
    expect(p.env.UV_CACHE_DIR).toBe('/dev/shared-cache');
    expect(p.env.UV_TOOL_BIN_DIR).toBe('/home/me/bin');
  });

  it('enforce refuses a data-root outside the allowlist, naming key and file', () => {
    const p = plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/home/me/uv"');
    expect(p.refusals[0]?.message).toBe(
      'data-root (/home/me/uv, from /etc/uvx-safe/config.toml) lies outside allowed-roots (/dev); refused (mode = enforce, from /etc/uvx-safe/config.toml)',
    );
  });

  it("enforce refuses uv's own defaults when the policy moves nothing", () => {
    const p = plan('mode = "enforce"\nallowed-roots = ["D:\\\\dev"]', {}, win);
    expect(p.refusals.map((r) => r.message)[0]).toBe(
      "uv's default cache folder (C:\\Users\\me\\AppData\\Local\\uv\\cache) lies outside allowed-roots (D:\\dev); refused (mode = enforce, from C:\\ProgramData\\uvx-safe\\config.toml)",
    );
    expect(p.refusals).toHaveLength(7);
  });

  it('warn mode warns instead, off mode says nothing', () => {
    const warn = plan('mode = "warn"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"', {
      args: args([{ kind: 'cache', flag: '--cache-dir', value: '/home/me/c', index: 1 }]),
    });
    expect(warn.refusals).toEqual([]);
    expect(warn.warnings).toEqual(['--cache-dir /home/me/c lies outside allowed-roots (/dev); running anyway (mode = warn)']);
    const off = plan('mode = "off"\nallowed-roots = ["/dev"]', {});
    expect(off.warnings).toEqual([]);
    expect(off.refusals).toEqual([]);
  });

  it('keeps an explicit --cache-dir inside the allowlist and does not judge UV_CACHE_DIR then', () => {
    const host = { ...linux, env: { UV_CACHE_DIR: '/elsewhere' } };
    const p = plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"', {
      host,
      args: args([{ kind: 'cache', flag: '--cache-dir', value: '../mine', index: 1 }]),
      cwd: '/dev/app',
    });
    expect(p.refusals).toEqual([]);
    expect(p.decisions.find((d) => d.name === 'cache')).toMatchObject({ path: '/dev/mine', source: 'flag', inside: true });
    expect(p.env.UV_CACHE_DIR).toBeUndefined();
  });

  it('keeps an inherited uv variable when allowed and refuses it when not', () => {
    const inside = plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"', {
      host: { ...linux, env: { UV_TOOL_DIR: '/dev/tools' } },
    });
    expect(inside.env.UV_TOOL_DIR).toBeUndefined();
    expect(inside.refusals).toEqual([]);
    const outside = plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"', {
      host: { ...linux, env: { UV_TOOL_DIR: '/home/me/tools', UV_PYTHON_CACHE_DIR: '/tmp/py' } },
    });
    expect(outside.refusals.map((r) => r.message)).toEqual([
      'UV_TOOL_DIR=/home/me/tools lies outside allowed-roots (/dev); refused (mode = enforce, from /etc/uvx-safe/config.toml)',
      'UV_PYTHON_CACHE_DIR=/tmp/py lies outside allowed-roots (/dev); refused (mode = enforce, from /etc/uvx-safe/config.toml)',
    ]);
  });

  it('an inherited TMPDIR is no choice of the user: temp is relocated all the same', () => {
    const p = plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"', { host: { ...linux, env: { TMPDIR: '/tmp' } } });
    expect(p.env.TMPDIR).toBe('/dev/uv/tmp');
    expect(p.refusals).toEqual([]);
  });

  it('checks python install --install-dir, venv paths, --target and --prefix', () => {
    const p = plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"', {
      args: args([
        { kind: 'python-install', flag: '-i', value: '/opt/py', index: 2 },
        { kind: 'target', flag: '--target', value: '/dev/t', index: 3 },
        { kind: 'out-dir', flag: '--out-dir', value: '/anywhere', index: 5 },
      ]),
    });
    expect(p.refusals.map((r) => r.message)).toEqual(['-i /opt/py lies outside allowed-roots (/dev); refused (mode = enforce, from /etc/uvx-safe/config.toml)']);
  });

  it('judges paths after realpath: a symlink out of the allowlist is refused', () => {
    const p = plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"', {
      canonical: (x) => x.replace('/dev/uv/cache', '/tmp/cache'),
    });
    expect(p.refusals.map((r) => r.message)).toEqual([
      'cache under data-root (/dev/uv/cache), which resolves to /tmp/cache lies outside allowed-roots (/dev); refused (mode = enforce, from /etc/uvx-safe/config.toml)',
    ]);
  });

  // Issue 14 item 7: a path that resolves elsewhere (a junction, a mapped or SUBST drive) shows the
  // path given, where it resolves, and the root as the admin wrote it.
  it('on Windows shows the path given, where it resolves, and each root as written', () => {
    const canonical = (x: string) => x.replace(/^S:\\/i, 'C:\\Users\\me\\work\\').replace(/^d:\\link/i, 'D:\\dev');
    const p = plan('mode = "enforce"\nallowed-roots = ["d:/DEV", "d:/link", "{env:LOCALAPPDATA}/ok"]\ndata-root = "d:/dev/uv"', {
      canonical,
      args: args([{ kind: 'cache', flag: '--cache-dir', value: 'S:\\cache' } as LocationFlag]),
    }, win);
    expect(p.refusals.map((r) => r.message)).toEqual([
      '--cache-dir S:\\cache, which resolves to C:\\Users\\me\\work\\cache lies outside allowed-roots ' +
        '(d:/DEV, d:/link (D:\\dev), {env:LOCALAPPDATA}/ok (C:\\Users\\me\\AppData\\Local\\ok)); refused (mode = enforce, from C:\\ProgramData\\uvx-safe\\config.toml)',
    ]);
  });

  it('--version and --help use no folder: uv defaults and inherited variables are not judged, nothing is made', () => {
    const p = plan('mode = "enforce"\nallowed-roots = ["/dev"]', {
      args: args([], { helpOrVersion: true }),
      host: { ...linux, env: { UV_CACHE_DIR: '/elsewhere' } },
    });
    expect(p.refusals).toEqual([]);
    const inside = plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"', { args: args([], { helpOrVersion: true }) });
    expect(inside.mkdirs).toEqual([]);
  });

  it('--version and --help still refuse a data-root outside allowed-roots', () => {
    const p = plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/elsewhere"', { args: args([], { helpOrVersion: true }) });
    expect(p.refusals.map((r) => r.message)).toContain(
      'data-root (/elsewhere, from /etc/uvx-safe/config.toml) lies outside allowed-roots (/dev); refused (mode = enforce, from /etc/uvx-safe/config.toml)',
    );
  });

  it('an allowed root that does not exist is an error, not a folder to create', () => {
    expect(() => plan('mode = "warn"\nallowed-roots = ["/dev", "/nope"]', { isDirectory: (d) => d === '/dev' })).toThrow(
      /allowed-roots\.1: \/nope does not exist \(or is not a folder\)$/,
    );
  });

  // Issue 14 item 5: a fleet with uneven machines (an offline share, a laptop without D:).
  it('an optional root that is absent is skipped and named in skippedRoots; a present one counts', () => {
    const toml = 'mode = "enforce"\nallowed-roots = ["/dev", { path = "/share", optional = true }, { path = "/d", optional = true }]\ndata-root = "/dev/uv"';
    const p = plan(toml, { isDirectory: (d) => d !== '/share' });
    expect(p.roots).toEqual(['/dev', '/d']);
    expect(p.skippedRoots).toEqual(['/share']);
    expect(p.refusals).toEqual([]);
    // optional = false, or the plain string, is an ordinary root: fatal when absent.
    expect(() => plan('allowed-roots = [{ path = "/nope", optional = false }]', { isDirectory: () => false })).toThrow(/allowed-roots\.0: \/nope does not exist/);
  });

  it('with every root optional and absent, enforce still refuses every location (fail closed)', () => {
    const p = plan('mode = "enforce"\nallowed-roots = [{ path = "/share", optional = true }]\ndata-root = "/share/uv"', { isDirectory: () => false });
    expect(p.roots).toEqual([]);
    expect(p.skippedRoots).toEqual(['/share']);
    expect(p.refusals.map((r) => r.message)[0]).toMatch(/^data-root \(\/share\/uv, from \/etc\/uvx-safe\/config\.toml\) lies outside allowed-roots \(none present; skipped: \/share\)/);
  });

  it('keeps the state folder inside allowed-roots in enforce, or has none', () => {
    expect(plan('mode = "enforce"\nallowed-roots = ["/dev"]\ndata-root = "/dev/uv"').stateDir).toBe('/dev/uv/.uvx-safe');
    expect(plan('mode = "enforce"\nallowed-roots = ["/dev"]').stateDir).toBeUndefined();
    expect(plan('mode = "warn"\nallowed-roots = ["/dev"]').stateDir).toBe('/home/me/.cache/uvx-safe');
  });

  it('[env] adds variables; an inherited value wins unless the admin locked the key', () => {
    const toml = 'locked = ["env.UV_PYTHON_DOWNLOADS"]\n[env]\nUV_PYTHON_DOWNLOADS = "never"\nUV_LINK_MODE = "copy"';
    const p = plan(toml, { host: { ...linux, env: { UV_PYTHON_DOWNLOADS: 'automatic', UV_LINK_MODE: 'hardlink' } } });
    expect(p.env).toEqual({ UV_PYTHON_DOWNLOADS: 'never' });
  });

  it('maps a project .venv outside the allowlist into project-env, keyed by its realpath', () => {
    const p = plan('allowed-roots = ["/dev"]\ndata-root = "/dev/uv"\n[locations]\nproject-env = "{data-root}/envs"', {
      projectRoots: ['/home/me/src/app'],
    });
    const name = projectEnvName('/home/me/src/app', 'linux');
    expect(name).toMatch(/^app-[0-9a-f]{12}$/);
    expect(p.env.UV_PROJECT_ENVIRONMENT).toBe(`/dev/uv/envs/${name}`);
    const allowed = plan('allowed-roots = ["/dev"]\ndata-root = "/dev/uv"\n[locations]\nproject-env = "{data-root}/envs"', {
      projectRoots: ['/dev/app'],
    });
    expect(allowed.env.UV_PROJECT_ENVIRONMENT).toBeUndefined();
    expect(projectEnvName('C:\\Src\\App', 'win32')).toBe(projectEnvName('c:\\src\\app', 'win32').replace(/^app/, 'App'));
  });

  it('shows where a relative path resolves, even when that path is the tail of the one written', () => {
    const p = plan('mode = "enforce"\nallowed-roots = ["/src/app"]', {
      args: args([{ kind: 'cache', flag: '--cache-dir', value: '../../home/me/t', index: 1 }]),
    });
    expect(p.refusals[0]?.message).toBe(
      '--cache-dir ../../home/me/t (/home/me/t) lies outside allowed-roots (/src/app); refused (mode = enforce, from /etc/uvx-safe/config.toml)',
    );
  });

  it('resolves relative location flags and variables from --directory, as uv does', () => {
    const p = plan('mode = "enforce"\nallowed-roots = ["/src/app/sub"]', {
      args: args([
        { kind: 'directory', flag: '--directory', value: 'sub', index: 0 },
        { kind: 'cache', flag: '--cache-dir', value: 'rel-cache', index: 2 },
      ]),
      host: { ...linux, env: { UV_TOOL_DIR: 'tools' } },
    });
    expect(p.decisions.find((d) => d.name === 'cache')?.path).toBe('/src/app/sub/rel-cache');
    expect(p.decisions.find((d) => d.name === 'tool')?.path).toBe('/src/app/sub/tools');
    expect(p.refusals.map((r) => r.message).join('\n')).not.toContain('rel-cache');
  });
});
