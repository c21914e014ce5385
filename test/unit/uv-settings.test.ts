// uv's config sources (config-sources.ts, mirroring uv's settings discovery) and the reading of
// `uv --show-settings` (show-settings.ts): pure parts, no uv started.
import { describe, expect, it } from 'vitest';
import { parseUvArgs } from '../../src/uv/argv.js';
import { uvConfigSources, userUvConfigDir } from '../../src/uv/config-sources.js';
import { decodeRustDebugString, parsePipSettings, ShowSettingsError } from '../../src/uv/show-settings.js';

const pipSettings = (fields: string) => `PipInstallSettings {\n    package: [],\n    settings: PipSettings {\n${fields}\n    },\n}\n`;
const plain = `        python: None,\n        system: false,\n        break_system_packages: false,\n        target: None,\n        prefix: None,`;

describe('parsePipSettings', () => {
  it('reads None and false as nothing', () => {
    expect(parsePipSettings(pipSettings(plain))).toEqual({ system: false, breakSystemPackages: false });
  });

  it('reads target, prefix and python as uv printed them, escapes decoded', () => {
    const text = pipSettings(
      [
        '        python: Some(\n            "/x/py\\tthon",\n        ),',
        '        system: true,',
        '        break_system_packages: true,',
        '        target: Some(\n            Target(\n                "/a/\\"b\\\\c",\n            ),\n        ),',
        '        prefix: Some(\n            Prefix(\n                "rel dir/\\u{7f}",\n            ),\n        ),',
      ].join('\n'),
    );
    expect(parsePipSettings(text)).toEqual({ python: '/x/py\tthon', system: true, breakSystemPackages: true, target: '/a/"b\\c', prefix: 'rel dir/\u007f' });
  });

  it('ignores fields of the same names outside PipSettings', () => {
    const text = `GlobalSettings {\n    python_preference: Managed,\n}\n${pipSettings(plain)}`;
    expect(parsePipSettings(text).target).toBeUndefined();
  });

  it('fails on output it cannot read, rather than guessing', () => {
    expect(() => parsePipSettings('GlobalSettings {}\n')).toThrow(ShowSettingsError);
    expect(() => decodeRustDebugString('bad\\q')).toThrow(ShowSettingsError);
    expect(() => decodeRustDebugString('\\xff')).toThrow(/not valid UTF-8/);
  });
});

describe('uvConfigSources', () => {
  const files = new Set<string>();
  const texts: Record<string, string> = {};
  const sources = (argv: string[], vars: Record<string, string> = {}, platform: NodeJS.Platform = 'linux') =>
    uvConfigSources({
      args: parseUvArgs(argv),
      lookup: (name) => vars[name],
      projectStart: '/w/repo/sub',
      uvCwd: '/w/repo/sub',
      platform,
      home: '/home/u',
      isFile: (file) => files.has(file),
      readText: (file) => texts[file],
    });
  const reset = (entries: Record<string, string>) => {
    files.clear();
    for (const key of Object.keys(texts)) delete texts[key];
    for (const [file, text] of Object.entries(entries)) {
      files.add(file);
      texts[file] = text;
    }
  };

  it('finds every uv.toml and pyproject.toml with [tool.uv] from the project up, then the user and system files', () => {
    reset({
      '/w/repo/pyproject.toml': '[tool . "uv"]\n',
      '/w/pyproject.toml': '[project]\nname = "w"\n',
      '/uv.toml': '',
      '/home/u/.config/uv/uv.toml': '',
      '/etc/uv/uv.toml': '',
    });
    expect(sources(['pip', 'install', 'x'])).toEqual([
      { kind: 'project', file: '/w/repo/pyproject.toml' },
      { kind: 'project', file: '/uv.toml' },
      { kind: 'user', file: '/home/u/.config/uv/uv.toml' },
      { kind: 'system', file: '/etc/uv/uv.toml' },
    ]);
  });

  it('a --config-file (or UV_CONFIG_FILE, already a flag here) is the only file, even with --no-config', () => {
    reset({ '/w/repo/uv.toml': '' });
    expect(sources(['--no-config', 'pip', 'install', '--config-file', '../c.toml', 'x'])).toEqual([{ kind: 'config-file', file: '/w/repo/c.toml' }]);
  });

  it('--no-config, UV_NO_CONFIG and pip --isolated read nothing; UV_NO_SYSTEM_CONFIG skips the system file', () => {
    reset({ '/w/repo/uv.toml': '', '/etc/uv/uv.toml': '' });
    expect(sources(['pip', 'install', '--no-config', 'x'])).toEqual([]);
    expect(sources(['pip', 'install', 'x'], { UV_NO_CONFIG: 'true' })).toEqual([]);
    expect(sources(['pip', 'install', '--isolated', 'x'])).toEqual([]);
    expect(sources(['pip', 'install', 'x'], { UV_NO_SYSTEM_CONFIG: '1' })).toEqual([{ kind: 'project', file: '/w/repo/uv.toml' }]);
  });

  it('XDG_CONFIG_DIRS: the first entry holding uv/uv.toml, up to an empty entry; a relative XDG_CONFIG_HOME is ignored', () => {
    reset({ '/b/uv/uv.toml': '', '/c/uv/uv.toml': '', '/home/u/.config/uv/uv.toml': '' });
    expect(sources(['pip', 'install', 'x'], { XDG_CONFIG_DIRS: '/a:/b:/c', XDG_CONFIG_HOME: 'rel' })).toEqual([
      { kind: 'user', file: '/home/u/.config/uv/uv.toml' },
      { kind: 'system', file: '/b/uv/uv.toml' },
    ]);
    expect(sources(['pip', 'install', 'x'], { XDG_CONFIG_DIRS: '/a::/b' }).filter((s) => s.kind === 'system')).toEqual([]);
  });

  it("Windows: %APPDATA%\\uv\\uv.toml and %SYSTEMDRIVE%\\ProgramData\\uv\\uv.toml", () => {
    expect(userUvConfigDir('win32', (name) => (name === 'APPDATA' ? 'C:\\Users\\u\\AppData\\Roaming' : undefined), 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\uv');
    reset({ 'C:\\ProgramData\\uv\\uv.toml': '' });
    const found = uvConfigSources({
      args: parseUvArgs(['pip', 'install', 'x']),
      lookup: (name) => (name === 'SYSTEMDRIVE' ? 'C:' : undefined),
      projectStart: 'C:\\w',
      uvCwd: 'C:\\w',
      platform: 'win32',
      home: 'C:\\Users\\u',
      isFile: (file) => files.has(file),
    });
    expect(found).toEqual([{ kind: 'system', file: 'C:\\ProgramData\\uv\\uv.toml' }]);
  });
});
