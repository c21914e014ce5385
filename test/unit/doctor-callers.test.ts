// `safe doctor`'s list of the uv binaries clients would start instead of the launcher.
import { describe, expect, it } from 'vitest';
import { callerChecks, findCallerUvs, type CallersHost } from '../../src/doctor/callers.js';
import { KEPT_UV_DIR, LAUNCHER_MARKER } from '../../src/uv/find.js';

interface FakeFile {
  real?: string;
  head?: string;
  dir?: boolean;
}

const SHIM = `#!/usr/bin/node\n// ${LAUNCHER_MARKER}\n`;
const SELF = ['/opt/uvx-safe/bin/uvx-safe'];

function host(
  files: Record<string, FakeFile>,
  env: Record<string, string>,
  pythonMUv: Record<string, string> = {},
  platform: NodeJS.Platform = 'linux',
  home = '/home/me',
): CallersHost {
  const get = (f: string) => files[f];
  const sep = platform === 'win32' ? '\\' : '/';
  return {
    platform,
    env,
    home,
    isFile: (f) => !!get(f) && !get(f)!.dir,
    isExecutable: () => true,
    realpath: (f) => (get(f) ? (get(f)!.real ?? f) : undefined),
    readHead: (f) => (get(f) ? (get(f)!.head ?? '\x7fELF') : undefined),
    isDirectory: (f) => !!get(f)?.dir,
    listDir: (d) =>
      Object.keys(files)
        .filter((f) => f.startsWith(`${d}${sep}`) && !f.slice(d.length + 1).includes(sep))
        .map((f) => f.slice(d.length + 1))
        .sort(),
    pythonMUv: (py) => pythonMUv[py],
  };
}

describe('finding the uv binaries that callers start', () => {
  it('lists pdm\'s home folders, client environments on PATH, pipx and uv tool venvs, and python -m uv', () => {
    const h = host(
      {
        '/home/me/.local/bin/uv': {},
        '/home/me/.local/bin/tox': { real: '/home/me/.local/share/pipx/venvs/tox/bin/tox' },
        '/home/me/.local/share/pipx/venvs/tox/bin/tox': {},
        '/home/me/.local/share/pipx/venvs/tox/bin/uv': {},
        '/home/me/.local/share/pipx/venvs': { dir: true },
        '/home/me/.local/share/pipx/venvs/tox': { dir: true },
        '/home/me/.local/share/pipx/venvs/pre-commit': { dir: true },
        '/home/me/.local/share/pipx/venvs/pre-commit/bin/uv': { head: SHIM },
        '/home/me/.local/share/pipx/venvs/pre-commit/bin/.uvx-safe-real': { dir: true },
        [`/home/me/.local/share/pipx/venvs/pre-commit/bin/${KEPT_UV_DIR}/uv`]: {},
        '/data/uv/tools/nox': { dir: true },
        '/data/uv/tools/nox/bin/uv': {},
        '/usr/bin/python3': {},
        '/srv/env/bin/uv': {},
      },
      { PATH: '/home/me/.local/bin:/usr/bin' },
      { '/usr/bin/python3': '/srv/env/bin/uv' },
    );
    const callers = findCallerUvs(h, { self: SELF, toolDir: '/data/uv/tools' });
    expect(callers.map((c) => [c.caller, c.path, c.throughUvxSafe, c.fix])).toEqual([
      // Not a venv (shims install --venv would fail there), and a shim there is a program under the profile.
      ['~/.local/bin/uv (pdm tries it before PATH)', '/home/me/.local/bin/uv', false, 'remove /home/me/.local/bin/uv: pdm then runs the uv on PATH'],
      ["tox's environment", '/home/me/.local/share/pipx/venvs/tox/bin/uv', false, 'uvx-safe safe shims install --venv /home/me/.local/share/pipx/venvs/tox'],
      ['pipx venv pre-commit', '/home/me/.local/share/pipx/venvs/pre-commit/bin/uv', true, null],
      ['uv tool nox', '/data/uv/tools/nox/bin/uv', false, 'uvx-safe safe shims install --venv /data/uv/tools/nox'],
      ['python -m uv (/usr/bin/python3)', '/srv/env/bin/uv', false, 'uvx-safe safe shims install --venv /srv/env'],
    ]);
  });

  it('says when the uv package was reinstalled over a shim, and when a shim lost its real uv', () => {
    const h = host(
      {
        '/v/bin/nox': {},
        '/v/bin/uv': {},
        [`/v/bin/${KEPT_UV_DIR}`]: { dir: true },
        '/w/bin/hatch': {},
        '/w/bin/uv': { head: SHIM },
        [`/w/bin/${KEPT_UV_DIR}`]: { dir: true },
      },
      { PATH: '/v/bin:/w/bin' },
    );
    const callers = findCallerUvs(h, { self: SELF });
    expect(callers).toEqual([
      { caller: "hatch's environment", path: '/w/bin/uv', throughUvxSafe: true, note: expect.stringMatching(/is missing: the launcher falls back to PATH/), fix: null },
      { caller: "nox's environment", path: '/v/bin/uv', throughUvxSafe: false, note: 'the uv package was reinstalled over the uvx-safe shim', fix: 'uvx-safe safe shims install --venv /v' },
    ]);
    const checks = callerChecks(callers);
    expect(checks.map((c) => c.status)).toEqual(['warn', 'warn']);
    expect(checks[1]!.message).toBe(
      "nox's environment: /v/bin/uv bypasses it (the uv package was reinstalled over the uvx-safe shim); fix: uvx-safe safe shims install --venv /v",
    );
  });

  it('counts one binary once, quotes the fix, and says when there is nothing', () => {
    const h = host(
      { '/my env/bin/tox': {}, '/my env/bin/pdm': {}, '/my env/bin/uv': {} },
      { PATH: '/my env/bin' },
    );
    const callers = findCallerUvs(h, { self: SELF });
    expect(callers).toHaveLength(1);
    expect(callers[0]!.fix).toBe("uvx-safe safe shims install --venv '/my env'");
    expect(callerChecks([])).toEqual([{ id: 'callers.none', label: 'callers', status: 'ok', message: 'no uv that a client would start instead of uvx-safe' }]);
  });

  it('on Windows, looks in Scripts\\uv.exe of ~\\pipx\\venvs and %APPDATA%\\uv\\tools', () => {
    const h = host(
      {
        'C:\\Users\\me\\pipx\\venvs\\tox': { dir: true },
        'C:\\Users\\me\\pipx\\venvs\\tox\\Scripts\\uv.exe': {},
        'C:\\Users\\me\\AppData\\Roaming\\uv\\tools\\nox': { dir: true },
        'C:\\Users\\me\\AppData\\Roaming\\uv\\tools\\nox\\Scripts\\uv.exe': { head: SHIM },
      },
      { PATH: '', APPDATA: 'C:\\Users\\me\\AppData\\Roaming' },
      {},
      'win32',
      'C:\\Users\\me',
    );
    expect(findCallerUvs(h, { self: SELF }).map((c) => [c.caller, c.throughUvxSafe, c.fix])).toEqual([
      ['pipx venv tox', false, 'uvx-safe safe shims install --venv C:\\Users\\me\\pipx\\venvs\\tox'],
      ['uv tool nox', true, null],
    ]);
  });
});

describe('the fix for pdm\'s home-folder uv on Windows (issue 14)', () => {
  it('removes the stray uv.exe with a Windows command, never a shim under the profile', () => {
    const h = host({ 'C:\\Users\\x\\.cargo\\bin\\uv.exe': {} }, { PATH: 'C:\\Windows' }, {}, 'win32', 'C:\\Users\\x');
    expect(findCallerUvs(h, { self: SELF }).map((c) => c.fix)).toEqual(['del "C:\\Users\\x\\.cargo\\bin\\uv.exe": pdm then runs the uv on PATH']);
  });
});
