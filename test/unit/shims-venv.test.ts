// `safe shims install|uninstall --venv`: the pure plans (POSIX and Windows), and how the uv
// finder starts the real uv kept beside a shim without ever looping.
import { describe, expect, it } from 'vitest';
import type { EntryKind, ShimHost } from '../../src/shims/host.js';
import { ShimRefusal } from '../../src/shims/plan.js';
import { renderPosixShim } from '../../src/shims/script.js';
import { planVenvInstall, planVenvUninstall, scriptsDir } from '../../src/shims/venv.js';
import { findUv, KEPT_UV_DIR, LAUNCHER_MARKER } from '../../src/uv/find.js';

interface FakeEntry {
  kind?: EntryKind;
  real?: string;
  /** The file's bytes; files with equal text have the same content. Default: a uv binary. */
  text?: string;
  exec?: boolean;
}

const UV_BYTES = '\x7fELF uv 0.13.9';

function host(platform: NodeJS.Platform, files: Record<string, FakeEntry>, env: Record<string, string> = {}): ShimHost {
  const norm = (f: string) => (platform === 'win32' ? f.toLowerCase() : f);
  const table = new Map(Object.entries(files).map(([k, v]) => [norm(k), v]));
  const get = (f: string) => table.get(norm(f));
  const kind = (f: string): EntryKind => (get(f) ? (get(f)!.kind ?? 'file') : 'absent');
  const text = (f: string) => (kind(f) === 'file' ? (get(f)!.text ?? UV_BYTES) : undefined);
  return {
    platform,
    env,
    entryKind: kind,
    isDirectory: (f) => kind(f) === 'directory',
    isFile: (f) => kind(f) === 'file' || (kind(f) === 'symlink' && get(f)!.real !== undefined),
    isExecutable: (f) => get(f)?.exec !== false,
    realpath: (f) => (kind(f) === 'absent' ? undefined : kind(f) === 'symlink' ? get(f)!.real : f),
    readHead: (f) => text(f)?.slice(0, 256) ?? (get(f)?.real ? text(get(f)!.real!)?.slice(0, 256) : undefined),
    readText: text,
    listDir: () => [],
    sameFile: (a, b) => norm(a) === norm(b),
    sameBytes: (a, b) => text(a) !== undefined && text(a) === text(b),
  };
}

const SELF = ['/opt/uvx-safe/bin/uvx-safe', '/opt/uvx-safe/dist/uvx-safe.cjs'];
const SHIM = renderPosixShim({ node: '/usr/bin/node', loader: '/opt/uvx-safe/bin/uvx-safe' });
const SCRIPT = { kind: 'script', content: SHIM } as const;
const V = '/home/me/proj/.venv';
const dirs = { [V]: { kind: 'directory' as const }, [`${V}/bin`]: { kind: 'directory' as const } };
/** An environment after an install: both shims in place, the real uv and uvx kept. */
const SHIMMED: Record<string, FakeEntry> = {
  ...dirs,
  [`${V}/bin/uv`]: { text: SHIM },
  [`${V}/bin/uvx`]: { text: SHIM },
  [`${V}/bin/${KEPT_UV_DIR}`]: { kind: 'directory' },
  [`${V}/bin/${KEPT_UV_DIR}/uv`]: {},
  [`${V}/bin/${KEPT_UV_DIR}/uvx`]: { text: 'uvx bytes' },
};
const install = (h: ShimHost, venv = '.venv') =>
  planVenvInstall({ platform: h.platform, venv, cwd: '/home/me/proj', self: SELF, stamp: '9' }, SCRIPT, h);
const uninstall = (h: ShimHost, venv = '.venv') =>
  planVenvUninstall({ platform: h.platform, venv, cwd: '/home/me/proj', self: SELF, stamp: '9' }, h);

describe('planning install --venv on POSIX', () => {
  it('keeps the real uv and uvx in bin/.uvx-safe-real before writing the shims', () => {
    const plan = install(host('linux', { ...dirs, [`${V}/bin/uv`]: {}, [`${V}/bin/uvx`]: { text: 'uvx bytes' } }));
    expect(plan).toEqual({
      venv: V,
      dir: `${V}/bin`,
      keptDir: `${V}/bin/${KEPT_UV_DIR}`,
      manifest: `${V}/bin/${KEPT_UV_DIR}/manifest.json`,
      steps: [
        { name: 'uv', file: `${V}/bin/uv`, kept: `${V}/bin/${KEPT_UV_DIR}/uv`, save: 'link', shim: 'write' },
        { name: 'uvx', file: `${V}/bin/uvx`, kept: `${V}/bin/${KEPT_UV_DIR}/uvx`, save: 'link', shim: 'write' },
      ],
    });
  });

  it('is idempotent: a second run keeps both shims and saves nothing', () => {
    const h = host('linux', SHIMMED);
    expect(install(h).steps.map((s) => [s.save, s.shim])).toEqual([['none', 'keep'], ['none', 'keep']]);
  });

  it('resumes a run that stopped after keeping the real uv (same bytes on both sides)', () => {
    const h = host('linux', { ...dirs, [`${V}/bin/uv`]: {}, [`${V}/bin/${KEPT_UV_DIR}`]: { kind: 'directory' }, [`${V}/bin/${KEPT_UV_DIR}/uv`]: {} });
    const [uv] = install(h).steps;
    expect(uv).toMatchObject({ save: 'none', shim: 'write', note: expect.stringMatching(/^resumed/) });
  });

  it('keeps the new uv when the uv package was reinstalled over the shim', () => {
    const h = host('linux', {
      ...dirs,
      [`${V}/bin/uv`]: { text: '\x7fELF uv 0.14.0' },
      [`${V}/bin/${KEPT_UV_DIR}`]: { kind: 'directory' },
      [`${V}/bin/${KEPT_UV_DIR}/uv`]: {},
    });
    expect(install(h).steps[0]).toMatchObject({ save: 'replace', shim: 'write', note: expect.stringMatching(/reinstalled/) });
  });

  it('wraps only uv when the environment has no uvx', () => {
    expect(install(host('linux', { ...dirs, [`${V}/bin/uv`]: {} })).steps.map((s) => s.name)).toEqual(['uv']);
  });

  it('refuses, before writing anything, an environment without uv, a symlinked uv, a lost real uv, or not an environment', () => {
    expect(() => install(host('linux', dirs))).toThrowError(/has no uv in \/home\/me\/proj\/\.venv\/bin$/);
    const linked = host('linux', { ...dirs, [`${V}/bin/uv`]: { kind: 'symlink', real: '/tools/uv/bin/uv' }, '/tools/uv/bin/uv': {} });
    expect(() => install(linked)).toThrowError(/symbolic link to \/tools\/uv\/bin\/uv; run this on the environment that holds that file/);
    const lost = host('linux', { ...dirs, [`${V}/bin/uv`]: { text: SHIM } });
    expect(() => install(lost)).toThrowError(/already a uvx-safe shim but the real uv it replaced is missing/);
    expect(() => install(host('linux', dirs), 'nowhere')).toThrowError(ShimRefusal);
    const binGiven = host('linux', dirs);
    expect(() => install(binGiven, '.venv/bin')).toThrowError(/no bin folder in it/);
    expect(() => install(binGiven, '.venv/bin')).toThrowError(expect.objectContaining({ hint: 'give the environment itself (/home/me/proj/.venv)' }));
    const inTheWay = host('linux', { ...dirs, [`${V}/bin/uv`]: {}, [`${V}/bin/${KEPT_UV_DIR}`]: {} });
    expect(() => install(inTheWay)).toThrowError(/is in the way/);
  });
});

describe('planning uninstall --venv', () => {
  it('renames each kept real file back over its shim', () => {
    const h = host('linux', SHIMMED);
    expect(uninstall(h).steps.map((s) => [s.name, s.action])).toEqual([['uv', 'restore'], ['uvx', 'restore']]);
  });

  it('drops a kept copy equal to the real file, and keeps (with the reason) one that differs', () => {
    const h = host('linux', {
      ...dirs,
      [`${V}/bin/uv`]: {},
      [`${V}/bin/uvx`]: { text: 'uvx 0.14' },
      [`${V}/bin/${KEPT_UV_DIR}`]: { kind: 'directory' },
      [`${V}/bin/${KEPT_UV_DIR}/uv`]: {},
      [`${V}/bin/${KEPT_UV_DIR}/uvx`]: { text: 'uvx 0.13' },
    });
    const steps = uninstall(h).steps;
    expect(steps[0]).toMatchObject({ action: 'drop-kept' });
    expect(steps[1]).toMatchObject({ action: 'leave-kept', why: expect.stringMatching(/reinstalled/) });
  });

  it('restores a kept uv whose place is empty; a shim with nothing kept is removed, said why', () => {
    const h = host('linux', {
      ...dirs,
      [`${V}/bin/uvx`]: { text: SHIM },
      [`${V}/bin/${KEPT_UV_DIR}`]: { kind: 'directory' },
      [`${V}/bin/${KEPT_UV_DIR}/uv`]: {},
    });
    expect(uninstall(h).steps).toEqual([
      { name: 'uv', file: `${V}/bin/uv`, kept: `${V}/bin/${KEPT_UV_DIR}/uv`, action: 'restore' },
      { name: 'uvx', file: `${V}/bin/uvx`, kept: `${V}/bin/${KEPT_UV_DIR}/uvx`, action: 'remove-shim', why: expect.stringMatching(/no real uvx was kept/) },
    ]);
  });

  it('has nothing to do in an environment never shimmed', () => {
    expect(uninstall(host('linux', { ...dirs, [`${V}/bin/uv`]: {} })).steps).toEqual([]);
  });
});

describe('planning --venv on Windows', () => {
  const W = 'C:\\Users\\me\\proj\\.venv';
  const wdirs = { [W]: { kind: 'directory' as const }, [`${W}\\Scripts`]: { kind: 'directory' as const } };
  // The Windows shim is the standalone exe, marked in its DOS stub (docs/windows-shims.md): hard-linked or copied.
  const EXE_SHIM = `MZ ${LAUNCHER_MARKER}`;
  const EXE = 'C:\\Program Files\\uvx-safe\\uvx-safe.exe';
  const PROGRAM = { kind: 'program', file: EXE } as const;

  it('wraps Scripts\\uv.exe and uvx.exe, keeping them in Scripts\\.uvx-safe-real', () => {
    const h = host('win32', { ...wdirs, [`${W}\\Scripts\\UV.EXE`]: {}, [`${W}\\Scripts\\uvx.exe`]: { text: 'uvx' } });
    expect(scriptsDir(W, 'win32')).toBe(`${W}\\Scripts`);
    const plan = planVenvInstall({ platform: 'win32', venv: '.venv', cwd: 'C:\\Users\\me\\proj', self: SELF, stamp: '9' }, PROGRAM, h);
    const real = `${W}\\Scripts\\${KEPT_UV_DIR}`;
    expect(plan.keptDir).toBe(real);
    // A running uv.exe cannot be overwritten: it is renamed aside (into the kept folder) before the shim takes its name.
    expect(plan.steps).toEqual([
      { name: 'uv', file: `${W}\\Scripts\\uv.exe`, kept: `${real}\\uv.exe`, save: 'link', shim: 'write', aside: `${real}\\uv.exe.old-9` },
      { name: 'uvx', file: `${W}\\Scripts\\uvx.exe`, kept: `${real}\\uvx.exe`, save: 'link', shim: 'write', aside: `${real}\\uvx.exe.old-9` },
    ]);
  });

  it('is idempotent and reversible with the exe shims in place', () => {
    const h = host('win32', {
      ...wdirs,
      [EXE]: { text: EXE_SHIM },
      [`${W}\\Scripts\\uv.exe`]: { text: EXE_SHIM },
      [`${W}\\Scripts\\uvx.exe`]: { text: EXE_SHIM },
      [`${W}\\Scripts\\${KEPT_UV_DIR}`]: { kind: 'directory' },
      [`${W}\\Scripts\\${KEPT_UV_DIR}\\uv.exe`]: {},
      [`${W}\\Scripts\\${KEPT_UV_DIR}\\uvx.exe`]: { text: 'uvx' },
    });
    const input = { platform: 'win32' as const, venv: W, cwd: 'C:\\', self: SELF, stamp: '9' };
    expect(planVenvInstall(input, PROGRAM, h).steps.map((s) => s.shim)).toEqual(['keep', 'keep']);
    const back = planVenvUninstall(input, h).steps;
    expect(back.map((s) => [s.action, s.aside])).toEqual([
      ['restore', `${W}\\Scripts\\${KEPT_UV_DIR}\\uv.exe.old-9`],
      ['restore', `${W}\\Scripts\\${KEPT_UV_DIR}\\uvx.exe.old-9`],
    ]);
  });

  it('says that a venv has Scripts, not bin', () => {
    const h = host('win32', { [W]: { kind: 'directory' } });
    expect(() => planVenvInstall({ platform: 'win32', venv: W, cwd: 'C:\\', self: SELF, stamp: '9' }, PROGRAM, h)).toThrowError(
      /no Scripts folder in it/,
    );
  });
});

describe('finding the real uv kept beside a shim', () => {
  const files = {
    [`${V}/bin/uv`]: { text: SHIM },
    [`${V}/bin/${KEPT_UV_DIR}/uv`]: {},
    '/usr/bin/uv': {},
  };

  it('started as the shim, the launcher runs the kept uv, not the one on PATH', () => {
    const h = host('linux', files, { PATH: '/usr/bin' });
    expect(findUv({ self: SELF, shim: `${V}/bin/uv` }, h)).toMatchObject({
      path: `${V}/bin/${KEPT_UV_DIR}/uv`,
      source: 'beside-shim',
    });
  });

  it('explicit choices still win: uv-path, then UVX_SAFE_UV', () => {
    const h = host('linux', { ...files, '/cfg/uv': {} }, { PATH: '/usr/bin', UVX_SAFE_UV: '/usr/bin/uv' });
    expect(findUv({ self: SELF, shim: `${V}/bin/uv`, configured: { value: '/cfg/uv', origin: 'uv-path' } }, h).path).toBe('/cfg/uv');
    expect(findUv({ self: SELF, shim: `${V}/bin/uv` }, h).path).toBe('/usr/bin/uv');
  });

  it('a shimmed environment on PATH stands for its kept uv', () => {
    const h = host('linux', files, { PATH: `${V}/bin:/usr/bin` });
    expect(findUv({ self: SELF }, h)).toMatchObject({ path: `${V}/bin/${KEPT_UV_DIR}/uv`, source: 'PATH' });
  });

  it('never loops: a launcher copied into the kept folder is passed over', () => {
    const h = host('linux', { [`${V}/bin/uv`]: { text: SHIM }, [`${V}/bin/${KEPT_UV_DIR}/uv`]: { text: SHIM }, '/usr/bin/uv': {} }, {
      PATH: `${V}/bin:/usr/bin`,
    });
    const choice = findUv({ self: SELF, shim: `${V}/bin/uv` }, h);
    expect(choice).toMatchObject({ path: '/usr/bin/uv', source: 'PATH' });
    expect(choice.skipped).toEqual([{ path: `${V}/bin/uv`, reason: 'uvx-safe itself' }]);
  });

  it('finds uv.exe kept beside a Windows shim', () => {
    const W = 'C:\\v\\Scripts';
    const h = host('win32', { [`${W}\\uv.exe`]: { text: `MZ ${LAUNCHER_MARKER}` }, [`${W}\\${KEPT_UV_DIR}\\uv.exe`]: {} }, { PATH: '' });
    expect(findUv({ self: SELF, shim: `${W}\\uv.exe` }, h).path).toBe(`${W}\\${KEPT_UV_DIR}\\uv.exe`);
  });
});
