// Writing and removing shim files for real (src/shims/place.ts): what each way of placing a shim
// leaves in the folder, and that a failure leaves the folder with its old shim and says what to do
// (issue 19; the plans themselves: shims.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { placeShim, removeIfIdle, removeShim } from '../../src/shims/place.js';
import { ShimRefusal } from '../../src/shims/plan.js';
import { skipOrFail } from '../helpers/system-tools.js';
import { thrown } from '../helpers/thrown.js';

let root: string;
let dir: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-place-')));
  dir = path.join(root, 'bin');
  fs.mkdirSync(dir);
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(root, { recursive: true, force: true });
});

const SCRIPT = { kind: 'script', content: '#!/bin/sh\n# uvx-safe shim\n' } as const;
const mode = (file: string) => fs.statSync(file).mode & 0o777;

const refusal = (fn: () => unknown) => thrown(ShimRefusal, fn);
const EBUSY = () => Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' });

/** `file` cannot be deleted, as a running program on Windows (renaming it still works). */
function busyWhileRunning(file: string): void {
  const rm = fs.rmSync;
  vi.spyOn(fs, 'rmSync').mockImplementation((target, options) => {
    if (target === file) throw EBUSY();
    rm(target, options);
  });
}

describe('placing a shim', () => {
  it('a script is written with mode 0755 whatever the umask, and nothing else is left in the folder', () => {
    // A worker thread may not set the umask (Stryker's runner uses them): there the mode is checked under the usual one.
    const before = isMainThread ? process.umask(0o077) : undefined;
    try {
      expect(placeShim({ name: 'uv', file: path.join(dir, 'uv'), action: 'create' }, SCRIPT, '1', [])).toBe('written');
    } finally {
      if (before !== undefined) process.umask(before);
    }
    expect(fs.readFileSync(path.join(dir, 'uv'), 'utf8')).toBe(SCRIPT.content);
    expect(mode(path.join(dir, 'uv'))).toBe(0o755);
    expect(fs.readdirSync(dir)).toEqual(['uv']);
  });

  it('a program is hard-linked where the volume allows (the same file)', () => {
    const program = path.join(root, 'uvx-safe');
    fs.writeFileSync(program, 'program\n', { mode: 0o755 });
    expect(placeShim({ name: 'uv', file: path.join(dir, 'uv'), action: 'create' }, { kind: 'program', file: program }, '1', [])).toBe('linked');
    expect(fs.statSync(path.join(dir, 'uv')).ino).toBe(fs.statSync(program).ino);
  });

  it('a program on another volume is copied, executable', (ctx) => {
    const other = '/dev/shm';
    if (!fs.existsSync(other) || fs.statSync(other).dev === fs.statSync(root).dev) skipOrFail(ctx, `needs ${other} on another file system than ${os.tmpdir()}`);
    const away = fs.mkdtempSync(path.join(other, 'uvx-safe-place-'));
    try {
      const program = path.join(away, 'uvx-safe');
      fs.writeFileSync(program, 'program\n', { mode: 0o700 });
      expect(placeShim({ name: 'uv', file: path.join(dir, 'uv'), action: 'create' }, { kind: 'program', file: program }, '1', [])).toBe('copied');
      expect(fs.readFileSync(path.join(dir, 'uv'), 'utf8')).toBe('program\n');
      expect(mode(path.join(dir, 'uv'))).toBe(0o755);
    } finally {
      fs.rmSync(away, { recursive: true, force: true });
    }
  });

  it('replacing: the old shim is set aside and removed once idle (Windows), or renamed over (POSIX); nothing busy', () => {
    const file = path.join(dir, 'uv');
    for (const aside of [`${file}.old-1`, undefined]) {
      fs.writeFileSync(file, 'old shim\n');
      const busy: string[] = [];
      placeShim({ name: 'uv', file, action: 'replace', ...(aside ? { aside } : {}) }, SCRIPT, '1', busy);
      expect(fs.readFileSync(file, 'utf8')).toBe(SCRIPT.content);
      expect(fs.readdirSync(dir)).toEqual(['uv']);
      expect(busy).toEqual([]);
    }
  });

  it('a link planted at the temporary name after it was cleared fails the write: its target is never written', () => {
    const victim = path.join(root, 'victim');
    fs.writeFileSync(victim, 'precious\n');
    const rm = fs.rmSync;
    vi.spyOn(fs, 'rmSync').mockImplementation((target, options) => {
      rm(target, options);
      // Another user's process wins the race for the name.
      if (String(target).endsWith('.tmp') && !fs.existsSync(String(target))) fs.symlinkSync(victim, String(target));
    });
    const err = refusal(() => placeShim({ name: 'uv', file: path.join(dir, 'uv'), action: 'create' }, SCRIPT, '1', []));
    expect(err.message).toContain('EEXIST');
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(fs.existsSync(path.join(dir, 'uv'))).toBe(false);
  });

  it('an aside that cannot be removed yet (it runs) is handed back in busy', () => {
    const file = path.join(dir, 'uv.exe');
    fs.writeFileSync(file, 'old shim\n');
    const aside = `${file}.old-1`;
    busyWhileRunning(aside);
    const busy: string[] = [];
    placeShim({ name: 'uv', file, action: 'replace', aside }, SCRIPT, '1', busy);
    expect(busy).toEqual([aside]);
    expect(fs.readFileSync(aside, 'utf8')).toBe('old shim\n');
    expect(fs.readFileSync(file, 'utf8')).toBe(SCRIPT.content);
  });

  it('a failure is refused naming the file, with a hint; the temporary file is gone and the old shim keeps its name', () => {
    const file = path.join(dir, 'uv');
    fs.writeFileSync(file, 'old shim\n');
    const rename = fs.renameSync;
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (String(from).endsWith('.tmp')) throw EBUSY();
      rename(from, to);
    });
    const err = refusal(() => placeShim({ name: 'uv', file, action: 'replace', aside: `${file}.old-1` }, SCRIPT, '1', []));
    expect(err.message).toContain(`cannot write ${file}`);
    expect(err.hint).toContain('may write there');
    expect(fs.readdirSync(dir)).toEqual(['uv']);
    expect(fs.readFileSync(file, 'utf8')).toBe('old shim\n');
  });

  it('a failure before anything was set aside leaves the old shim where it was', () => {
    const file = path.join(dir, 'uv');
    fs.writeFileSync(file, 'old shim\n');
    const missing = { kind: 'program', file: path.join(root, 'no-such-program') } as const;
    const err = refusal(() => placeShim({ name: 'uv', file, action: 'replace', aside: `${file}.old-1` }, missing, '1', []));
    expect(err.message).toContain(`cannot write ${file}`);
    expect(fs.readdirSync(dir)).toEqual(['uv']);
  });
});

describe('removing a shim', () => {
  it('removes the file; a file that cannot be removed, with no name aside, is refused naming it, with a hint', () => {
    const file = path.join(dir, 'uv');
    fs.writeFileSync(file, 'shim\n');
    removeShim(file, undefined, []);
    expect(fs.existsSync(file)).toBe(false);
    fs.mkdirSync(file);
    const err = refusal(() => removeShim(file, undefined, []));
    expect(err.message).toContain(`cannot remove ${file}: ERR_FS_EISDIR`);
    expect(err.hint).toContain('may write there');
  });

  it('one that could not be removed at first but is free once renamed aside is gone, nothing busy', () => {
    const file = path.join(dir, 'uv.exe');
    fs.writeFileSync(file, 'shim\n');
    busyWhileRunning(file);
    const busy: string[] = [];
    removeShim(file, `${file}.old-1`, busy);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(busy).toEqual([]);
  });

  it('one that cannot be removed (it runs) is renamed aside and handed back in busy; a failing rename is refused', () => {
    const file = path.join(dir, 'uv.exe');
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'x'), '');
    const busy: string[] = [];
    removeShim(file, `${file}.old-1`, busy);
    expect(fs.existsSync(file)).toBe(false);
    expect(busy).toEqual([`${file}.old-1`]);
    fs.mkdirSync(file);
    const err = refusal(() => removeShim(file, path.join(root, 'missing', 'uv.exe.old-2'), []));
    expect(err.message).toContain(`cannot remove ${file}`);
    expect(err.hint).toContain('may write there');
  });

  it('removeIfIdle: true once the file is gone (or was), false while it cannot be removed', () => {
    const file = path.join(dir, 'uv.old-1');
    fs.writeFileSync(file, '');
    expect(removeIfIdle(file)).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
    expect(removeIfIdle(file)).toBe(true);
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'x'), '');
    expect(removeIfIdle(file)).toBe(false);
  });
});
