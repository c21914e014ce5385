// The one gate every folder uvx-safe creates, and every file it writes, goes through: the launcher's
// locations, the state folder (cached uv version), `safe env`'s folders and `safe doctor`'s probe.
// In enforce nothing is created or written outside allowed-roots, whatever the caller thinks; a folder
// that cannot be made is a typed error naming the key and file that chose it; a folder owned by another
// user is refused (someone else could plant the programs uv will run from it).

import fs = require('node:fs');
import path = require('node:path');
import { FolderError, PolicyRefusal } from '../errors.js';
import { warn } from '../log.js';
import { errorWords } from '../platform/os-words.js';
import { canonicalPath, insideAny } from '../relocate/contain.js';
import type { RelocationPlan } from '../relocate/plan.js';

type Gate = Pick<RelocationPlan, 'mode' | 'roots' | 'rootsConfigured'>;

function realpathOrUndefined(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/** Whether the policy lets uvx-safe create or write at `target` (always, outside enforce or without roots). */
export function mayWrite(plan: Gate, target: string): boolean {
  if (plan.mode !== 'enforce' || !plan.rootsConfigured) return true;
  return insideAny(canonicalPath(target, process.platform, realpathOrUndefined), plan.roots, process.platform);
}

/** Throws the refusal when `target` lies outside allowed-roots in enforce. */
export function assertMayWrite(plan: Gate, target: string, what: string): void {
  if (!mayWrite(plan, target))
    throw new PolicyRefusal(`${what}: ${target} lies outside allowed-roots (${plan.roots.join(', ') || 'none present'}); nothing created (mode = enforce)`, {
      hint: plan.roots.length ? `use a folder inside ${plan.roots.join(', ')}` : 'create the allowed roots, or ask the admin to fix allowed-roots',
    });
}

function describe(err: unknown): string {
  return errorWords(err, process.platform);
}

/**
 * Node's recursive mkdir reports ENOENT for a read-only or otherwise refusing parent: redo it one level
 * at a time to find the real cause (EROFS, EACCES, ENOTDIR ...).
 */
function realMkdirError(dir: string, first: unknown): unknown {
  if ((first as NodeJS.ErrnoException).code !== 'ENOENT') return first;
  const missing: string[] = [];
  for (let current = path.resolve(dir); !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const level of missing) {
    try {
      fs.mkdirSync(level, { mode: 0o700 });
    } catch (err) {
      return err;
    }
  }
  return first;
}

/** Who owns `dir`, when that is not the user running uvx-safe (POSIX only; Windows ACLs are not modes). */
export function foreignOwner(stat: fs.Stats): number | undefined {
  const uid = process.getuid?.();
  return uid === undefined || stat.uid === uid ? undefined : stat.uid;
}

/**
 * mkdir -p `dir` (mode 0700) through the gate: refused outside allowed-roots in enforce, a typed error
 * when it cannot be made or is not a folder, refused (enforce) or warned about when another user owns it.
 */
export function makeFolder(plan: Gate, dir: string, what: string): void {
  assertMayWrite(plan, dir, what);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new FolderError(`cannot create ${what}: ${dir} (${describe(realMkdirError(dir, err))})`, { hint: `make ${dir} a folder you can write to (or move it aside), or point ${what} elsewhere inside allowed-roots` });
  }
  checkOwnFolder(plan, dir, what);
}

/** The folder must be a folder and, in enforce, the current user's. */
export function checkOwnFolder(plan: Gate, dir: string, what: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    throw new FolderError(`cannot use ${what}: ${dir} (${describe(err)})`, { hint: `make ${dir} a folder you can write to (or move it aside), or point ${what} elsewhere inside allowed-roots` });
  }
  if (!stat.isDirectory()) throw new FolderError(`cannot use ${what}: ${dir} is not a folder`, { hint: `make ${dir} a folder you can write to (or move it aside), or point ${what} elsewhere inside allowed-roots` });
  const owner = foreignOwner(stat);
  if (owner === undefined) return;
  const message = `${what}: ${dir} is owned by another user (uid ${owner}), who could put programs there that uv would run`;
  if (plan.mode === 'enforce')
    throw new PolicyRefusal(`${message}; refused (mode = enforce)`, { hint: `remove ${dir} (or have its owner give it to you): uvx-safe then creates it as yours`, rule: 'folder-owned-by-another-user' });
  if (plan.mode === 'warn') warn(`${message}; running anyway (mode = warn)`, { rule: 'folder-owned-by-another-user' });
}

/** Creates the plan's folders, then checks the data root they hang under. */
export function createFolders(plan: RelocationPlan): void {
  for (const dir of plan.mkdirs) makeFolder(plan, dir, plan.mkdirReasons[dir] ?? 'a location');
  if (plan.dataRoot && plan.mkdirs.length > 0 && fs.existsSync(plan.dataRoot)) checkOwnFolder(plan, plan.dataRoot, 'data-root');
}
