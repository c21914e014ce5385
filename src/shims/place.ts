// Writing and removing shim files. Every new shim takes its name by a rename, so a running `uv`
// never sees half a file; on Windows an old shim (maybe running) is first renamed aside, since a
// running .exe cannot be overwritten or deleted, but can be renamed.

import fs = require('node:fs');
import path = require('node:path');
import { ShimRefusal, type InstallStep, type ShimSource } from './plan.js';
import { errorWords } from '../platform/os-words.js';

export type Placed = 'linked' | 'copied' | 'written';

/**
 * Makes the new shim under a temporary name in the same folder: a hard link where the volume allows,
 * else a copy. Whatever sits at that name is removed first (a symlink itself, never its target), and
 * the file is then created exclusively: a link planted there meanwhile fails the write, it is never followed.
 */
function makeTemp(source: ShimSource, tmp: string): Placed {
  fs.rmSync(tmp, { force: true });
  if (source.kind === 'script') {
    fs.writeFileSync(tmp, source.content, { mode: 0o755, flag: 'wx' });
    fs.chmodSync(tmp, 0o755); // the umask may have cleared bits
    return 'written';
  }
  try {
    fs.linkSync(source.file, tmp);
    return 'linked';
  } catch {
    // Another volume, or a file system without hard links (FAT): a copy is the same program.
    fs.copyFileSync(source.file, tmp, fs.constants.COPYFILE_EXCL);
    fs.chmodSync(tmp, 0o755);
    return 'copied';
  }
}

/**
 * Puts the shim of `step` in place. An old shim renamed aside that cannot be deleted yet (it runs)
 * is added to `busy`, for `deleteWhenFree` (./after-exit.ts).
 */
export function placeShim(step: InstallStep, source: ShimSource, stamp: string, busy: string[]): Placed {
  const tmp = path.join(path.dirname(step.file), `.${path.basename(step.file)}.uvx-safe-${stamp}.tmp`);
  let placed: Placed;
  let setAside = false;
  try {
    placed = makeTemp(source, tmp);
    // Only a replacing step has an aside (./plan.ts): the old shim it moves exists.
    if (step.aside !== undefined) {
      fs.renameSync(step.file, step.aside);
      setAside = true;
    }
    fs.renameSync(tmp, step.file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    // The old shim goes back to its name rather than leaving D without one.
    if (setAside) fs.renameSync(step.aside!, step.file);
    throw new ShimRefusal(`cannot write ${step.file}: ${errorWords(err, process.platform, { machineInstall: true })}`, { hint: 'check that you may write there (its owner, a read-only mount, a program holding the file open) and run it again' });
  }
  if (step.aside !== undefined && !removeIfIdle(step.aside)) busy.push(step.aside);
  return placed;
}

/** Removes a file renamed aside; false while it still runs (Windows), to be removed by a later install. */
export function removeIfIdle(file: string): boolean {
  try {
    fs.rmSync(file, { force: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes one of our shims. On Windows a running one (or a hard link of a running executable) is
 * renamed aside, which frees its name at once, and the renamed file is added to `busy`.
 */
export function removeShim(file: string, aside: string | undefined, busy: string[]): void {
  try {
    fs.rmSync(file);
  } catch (err) {
    if (aside === undefined) throw new ShimRefusal(`cannot remove ${file}: ${errorWords(err, process.platform, { machineInstall: true })}`, { hint: 'check that you may write there (its owner, a read-only mount, a program holding the file open) and run it again' });
    try {
      fs.renameSync(file, aside);
    } catch (renameErr) {
      throw new ShimRefusal(`cannot remove ${file}: ${errorWords(renameErr, process.platform, { machineInstall: true })}`, { hint: 'check that you may write there (its owner, a read-only mount, a program holding the file open) and run it again' });
    }
    if (!removeIfIdle(aside)) busy.push(aside);
  }
}
