// The one gate for every folder uvx-safe creates (src/launch/folders.ts), at the unit level: mutation
// testing found it reached only by the e2e tests (docs/design.md "Testing"). Scratch folders only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FolderError, PolicyRefusal } from '../../src/errors.js';
import { assertMayWrite, checkOwnFolder, createFolders, foreignOwner, makeFolder, mayWrite } from '../../src/launch/folders.js';
import type { RelocationPlan } from '../../src/relocate/plan.js';

let root: string;
let allowed: string;
let outside: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-folders-')));
  allowed = path.join(root, 'allowed');
  outside = path.join(root, 'outside');
  fs.mkdirSync(allowed);
  fs.mkdirSync(outside);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const gate = (mode: RelocationPlan['mode'], roots = [allowed], rootsConfigured = true) => ({ mode, roots, rootsConfigured });
/** A folder some other user owns: one chowned away when we are root, else the root's own `/`. */
function foreignFolder(): string {
  if (process.getuid?.() !== 0) return '/';
  const dir = path.join(allowed, 'theirs');
  fs.mkdirSync(dir);
  fs.chownSync(dir, 12345, 12345);
  return dir;
}
function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('mayWrite / assertMayWrite', () => {
  it('enforce with roots: inside yes, outside no, a symlink out of a root no', () => {
    fs.symlinkSync(outside, path.join(allowed, 'link'));
    expect(mayWrite(gate('enforce'), path.join(allowed, 'new', 'deeper'))).toBe(true);
    expect(mayWrite(gate('enforce'), path.join(outside, 'x'))).toBe(false);
    expect(mayWrite(gate('enforce'), path.join(allowed, 'link', 'x'))).toBe(false);
  });

  it('anything goes in warn and off, and without roots', () => {
    for (const mode of ['warn', 'off'] as const) expect(mayWrite(gate(mode), path.join(outside, 'x')), mode).toBe(true);
    expect(mayWrite(gate('enforce', [], false), path.join(outside, 'x'))).toBe(true);
  });

  it('refuses naming what, where and the roots, with the way out; none present says so', () => {
    const err = thrown(() => assertMayWrite(gate('enforce'), path.join(outside, 'x'), 'the state folder'));
    expect(err).toBeInstanceOf(PolicyRefusal);
    expect((err as PolicyRefusal).message).toBe(`the state folder: ${outside}/x lies outside allowed-roots (${allowed}); nothing created (mode = enforce)`);
    expect((err as PolicyRefusal).hint).toBe(`use a folder inside ${allowed}`);
    const none = thrown(() => assertMayWrite(gate('enforce', [], true), path.join(outside, 'x'), 'cache')) as PolicyRefusal;
    expect(none.message).toContain('lies outside allowed-roots (none present)');
    expect(none.hint).toBe('create the allowed roots, or ask the admin to fix allowed-roots');
  });
});

describe('makeFolder', () => {
  it('creates the folder and its parents, for this user only (0700)', () => {
    const dir = path.join(allowed, 'a', 'b');
    makeFolder(gate('enforce'), dir, 'cache');
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('creates nothing outside allowed-roots in enforce', () => {
    const dir = path.join(outside, 'a');
    expect(() => makeFolder(gate('enforce'), dir, 'cache')).toThrow(PolicyRefusal);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('a folder that cannot be made names the real cause, not ENOENT', () => {
    fs.writeFileSync(path.join(allowed, 'file'), '');
    const err = thrown(() => makeFolder(gate('enforce'), path.join(allowed, 'file', 'sub'), 'locations.cache (from /etc/uvx-safe/config.toml)')) as FolderError;
    expect(err).toBeInstanceOf(FolderError);
    expect(err.message).toMatch(new RegExp(`^cannot create locations\\.cache \\(from /etc/uvx-safe/config\\.toml\\): ${allowed}/file/sub \\(.*(ENOTDIR|not a directory|EEXIST)`, 'i'));
    expect(err.hint).toMatch(/point locations\.cache \(from \/etc\/uvx-safe\/config\.toml\) elsewhere inside allowed-roots$/);
  });

  it('a dangling symlink on the way is reported through the level that fails', () => {
    fs.symlinkSync(path.join(root, 'gone', 'away'), path.join(allowed, 'dangling'));
    const err = thrown(() => makeFolder(gate('warn'), path.join(allowed, 'dangling', 'sub'), 'cache')) as FolderError;
    expect(err).toBeInstanceOf(FolderError);
    expect(err.message).not.toMatch(/ENOENT|no such file/i);
  });
});

describe("checkOwnFolder: a folder must be a folder, and in enforce the user's own", () => {
  it('a file, or nothing, is an error naming it', () => {
    fs.writeFileSync(path.join(allowed, 'file'), '');
    expect(() => checkOwnFolder(gate('enforce'), path.join(allowed, 'file'), 'data-root')).toThrow(`cannot use data-root: ${allowed}/file is not a folder`);
    expect(thrown(() => checkOwnFolder(gate('off'), path.join(allowed, 'none'), 'data-root'))).toBeInstanceOf(FolderError);
  });

  it("another user's folder: refused in enforce, a warning in warn, nothing in off", () => {
    const theirs = foreignFolder();
    const err = thrown(() => checkOwnFolder(gate('enforce'), theirs, 'data-root')) as PolicyRefusal;
    expect(err).toBeInstanceOf(PolicyRefusal);
    expect(err.message).toMatch(/^data-root: .* is owned by another user \(uid \d+\), who could put programs there that uv would run; refused \(mode = enforce\)$/);
    expect(err.hint).toBe(`remove ${theirs} (or have its owner give it to you): uvx-safe then creates it as yours`);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      checkOwnFolder(gate('warn'), theirs, 'data-root');
      checkOwnFolder(gate('off'), theirs, 'data-root');
      const said = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(said).toMatch(/is owned by another user .*; running anyway \(mode = warn\)/);
      expect(said.match(/owned by another user/g)).toHaveLength(1);
    } finally {
      stderr.mockRestore();
    }
    checkOwnFolder(gate('enforce'), allowed, 'data-root');
  });

  it('foreignOwner: the uid of a folder not ours, undefined for ours', () => {
    const mine = process.getuid?.() ?? 0;
    expect(foreignOwner({ uid: mine } as fs.Stats)).toBeUndefined();
    expect(foreignOwner({ uid: mine + 1 } as fs.Stats)).toBe(mine + 1);
  });
});

describe('createFolders', () => {
  const plan = (over: Partial<RelocationPlan>): RelocationPlan =>
    ({ mode: 'enforce', roots: [allowed], rootsConfigured: true, mkdirs: [], mkdirReasons: {}, ...over }) as RelocationPlan;

  it("makes the plan's folders, naming each by its reason", () => {
    const cache = path.join(allowed, 'uv', 'cache');
    createFolders(plan({ mkdirs: [cache, path.join(allowed, 'uv', 'tmp')], dataRoot: path.join(allowed, 'uv') }));
    expect(fs.existsSync(cache)).toBe(true);
    const err = thrown(() => createFolders(plan({ mkdirs: [path.join(outside, 'c')], mkdirReasons: { [path.join(outside, 'c')]: 'cache under data-root (from /a.toml)' } })));
    expect((err as Error).message).toMatch(/^cache under data-root \(from \/a\.toml\): /);
    expect((thrown(() => createFolders(plan({ mkdirs: [path.join(outside, 'd')] }))) as Error).message).toMatch(/^a location: /);
  });

  it("checks the data-root's owner once folders were made under it, not when none were", () => {
    const theirs = foreignFolder();
    expect(() => createFolders(plan({ mkdirs: [], dataRoot: theirs }))).not.toThrow();
    if (theirs === '/') return; // cannot make folders under another user's / without root
    expect(() => createFolders(plan({ mkdirs: [path.join(theirs, 'cache')], dataRoot: theirs }))).toThrow(/data-root: .* is owned by another user/);
  });
});
