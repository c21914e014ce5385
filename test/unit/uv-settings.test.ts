// uv's config sources (config-sources.ts, mirroring uv's settings discovery) and the reading of
// `uv --show-settings` (show-settings.ts): pure parts, no uv started.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUvArgs } from '../../src/uv/argv.js';
import { uvConfigSources, userUvConfigDir } from '../../src/uv/config-sources.js';
import { askUvPipSettings, decodeRustDebugString, parsePipSettings, ShowSettingsError } from '../../src/uv/show-settings.js';
import { getUv, sandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';

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
    // The message shows the whole escape uv printed.
    expect(() => decodeRustDebugString('a\\xffb')).toThrow('(\\xff)');
  });

  it("decodes every escape Rust's Debug writes for a path", () => {
    expect(decodeRustDebugString('a\\nb\\rc\\0d\\te\\\'f\\"g\\\\h\\u{1F600}')).toBe('a\nb\rc\0d\te\'f"g\\h\u{1F600}');
  });

  it('reads the top-level PipSettings block only, wherever it starts', () => {
    const nested = `Other {\n        settings: PipSettings {\n            target: Some(\n                "/nested",\n            ),\n        },\n}\n`;
    expect(parsePipSettings(nested + pipSettings(plain)).target).toBeUndefined();
    const first = `    settings: PipSettings {\n${plain.replace('target: None', 'target: Some(\n            "/t",\n        )')}\n    },\n`;
    expect(parsePipSettings(first).target).toBe('/t');
  });

  it('names what it could not read', () => {
    expect(() => parsePipSettings('GlobalSettings {}\n')).toThrow(/no PipSettings/);
    expect(() => parsePipSettings(pipSettings(plain.replace('        system: false,\n', '')))).toThrow(new ShowSettingsError('no system in PipSettings'));
    expect(() => parsePipSettings(pipSettings(plain.replace('target: None', 'target: Some(Weird)')))).toThrow(/an unexpected value: Some\(Weird\)/);
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
  it('the last --config-file, whatever other location flags say', () => {
    reset({ '/w/repo/uv.toml': '' });
    expect(sources(['--config-file', 'a.toml', 'pip', 'install', '--config-file=/b.toml', '--cache-dir', '/c', 'x'])).toEqual([
      { kind: 'config-file', file: '/b.toml' },
    ]);
    expect(sources(['--cache-dir', '/c', 'pip', 'install', 'x'])).toEqual([{ kind: 'project', file: '/w/repo/uv.toml' }]);
  });

  it('--isolated means no config for uv pip only; uv tool and uv self read no project file', () => {
    reset({ '/w/repo/uv.toml': '', '/home/u/.config/uv/uv.toml': '' });
    const all = [
      { kind: 'project', file: '/w/repo/uv.toml' },
      { kind: 'user', file: '/home/u/.config/uv/uv.toml' },
    ];
    expect(sources(['sync', '--isolated'])).toEqual(all);
    expect(sources(['tool', 'install', 'ruff'])).toEqual(all.slice(1));
    expect(sources(['self', 'update'])).toEqual(all.slice(1));
    expect(sources(['python', 'install'])).toEqual(all);
  });

  it('UV_NO_CONFIG and UV_NO_SYSTEM_CONFIG read as clap reads a boolean: the true words, any case, untrimmed', () => {
    reset({ '/w/repo/uv.toml': '', '/etc/uv/uv.toml': '' });
    for (const value of ['1', 'TRUE', 'yes', 'On', 'y', 't']) expect(sources(['pip', 'install', 'x'], { UV_NO_CONFIG: value }), value).toEqual([]);
    // uv refuses these ("expected a boolish value") or reads them as false: the files count.
    for (const value of ['0', 'false', ' 1', '1 ', 'x', '']) expect(sources(['pip', 'install', 'x'], { UV_NO_CONFIG: value }), value).toHaveLength(2);
    expect(sources(['pip', 'install', 'x'], { UV_NO_SYSTEM_CONFIG: ' 1' })).toHaveLength(2);
  });

  it('a pyproject.toml counts only with a [tool.uv] table, or when it does not parse', () => {
    const found = (text: string) => {
      reset({ '/w/repo/pyproject.toml': text });
      return sources(['pip', 'install', 'x']).length;
    };
    expect(found('[tool.uv.pip]\ntarget = "/t"\n')).toBe(1);
    expect(found('[tool]\n"\\u0075v" = {}\n')).toBe(1);
    // The letters "uv" without the table: parsed, no table, no source.
    expect(found('[project]\nname = "uvicorn-app"\n')).toBe(0);
    expect(found('[tool.ruff]\n# uv lint settings\n')).toBe(0);
    expect(found('uv = 1\n')).toBe(0);
    // A file uv cannot read either: uv is asked (it warns or fails itself).
    expect(found('[tool.uv\n')).toBe(1);
  });

  it('the user file under XDG_CONFIG_HOME when absolute, else ~/.config; the system default /etc/xdg', () => {
    reset({ '/x/uv/uv.toml': '', '/home/u/.config/uv/uv.toml': '', '/etc/xdg/uv/uv.toml': '', '/etc/uv/uv.toml': '' });
    expect(sources(['pip', 'install', 'x'], { XDG_CONFIG_HOME: '/x' })).toEqual([
      { kind: 'user', file: '/x/uv/uv.toml' },
      { kind: 'system', file: '/etc/xdg/uv/uv.toml' },
    ]);
    expect(userUvConfigDir('linux', () => undefined, '/home/u')).toBe('/home/u/.config/uv');
  });

  it('Windows without %APPDATA%: the profile\'s AppData\\Roaming; without %SYSTEMDRIVE% or the file, no system file', () => {
    expect(userUvConfigDir('win32', () => undefined, 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\uv');
    const windows = (drive: string | undefined, isFile: (file: string) => boolean) =>
      uvConfigSources({
        args: parseUvArgs(['pip', 'install', 'x']),
        lookup: (name) => (name === 'SYSTEMDRIVE' ? drive : undefined),
        projectStart: 'C:\\w',
        uvCwd: 'C:\\w',
        platform: 'win32',
        home: 'C:\\Users\\u',
        isFile,
      });
    expect(windows('C:', () => false)).toEqual([]);
    expect(windows(undefined, (file) => file.endsWith('ProgramData\\uv\\uv.toml'))).toEqual([]);
  });

  it('reads the real file system when not told otherwise', async () => {
    const root = await makeTempDir('uvx-safe-config-sources-');
    try {
      const project = path.join(root, 'p');
      fs.mkdirSync(path.join(project, 'sub'), { recursive: true });
      fs.writeFileSync(path.join(project, 'pyproject.toml'), '[tool.uv]\n');
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "uvx"\n');
      fs.mkdirSync(path.join(root, 'uv.toml')); // a folder is no file
      const found = uvConfigSources({
        args: parseUvArgs(['pip', 'install', 'x']),
        lookup: (name) => (name === 'UV_NO_SYSTEM_CONFIG' ? '1' : undefined),
        projectStart: path.join(project, 'sub'),
        uvCwd: project,
        platform: 'linux',
        home: path.join(root, 'home'),
      });
      expect(found).toEqual([{ kind: 'project', file: path.join(project, 'pyproject.toml') }]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('askUvPipSettings (the real uv)', () => {
  const definedEnv = (root: string) => Object.fromEntries(Object.entries(sandboxEnv(root)).filter((e): e is [string, string] => e[1] !== undefined));

  it("reads what uv merged (flags, variables, a config file relative to uv's working folder)", async () => {
    const root = await makeTempDir('uvx-safe-show-settings-');
    try {
      const env = definedEnv(root);
      fs.writeFileSync(path.join(root, 'c.toml'), '[pip]\nprefix = "from-file"\n');
      const settings = askUvPipSettings(getUv(), ['pip', 'install', '--config-file', 'c.toml', '--target', '/t', 'x'], env, root);
      expect(settings).toEqual({ target: '/t', prefix: 'from-file', python: env.UV_PYTHON, system: false, breakSystemPackages: false });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("fails with uv's status and its first error line when uv refuses the command line", async () => {
    const root = await makeTempDir('uvx-safe-show-settings-');
    try {
      expect(() => askUvPipSettings(getUv(), ['pip', 'install', '--frobnicate'], definedEnv(root), root)).toThrow(
        /^it exited with 2: error: unexpected argument '--frobnicate' found$/,
      );
      expect(() => askUvPipSettings(path.join(root, 'no-uv'), ['pip', 'install', 'x'], definedEnv(root), root)).toThrow(/ENOENT/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
