// Fill a folder completely, then move it into place with one rename, so a run that is
// killed half-way never leaves a folder that a later run would take for a finished one.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Build `target` with `fill(tempDir)` unless `isValid(target)` already holds.
 * The temp folder is a sibling (same file system, so rename is atomic). If another
 * process finishes first, its folder is kept and ours is thrown away.
 */
export async function ensureDirAtomically(
  target: string,
  isValid: (dir: string) => Promise<boolean>,
  fill: (tempDir: string) => Promise<void>,
): Promise<void> {
  if (await isValid(target)) return;

  const temp = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  await fs.mkdir(path.dirname(target), { recursive: true });
  try {
    await fill(temp);
    if (!(await isValid(temp))) {
      throw new Error(`${temp} was filled but does not pass its own check`);
    }
    // A leftover invalid target (say, an older install with another version) blocks the rename.
    if (!(await isValid(target))) await fs.rm(target, { recursive: true, force: true });
    try {
      await fs.rename(temp, target);
    } catch (err) {
      // Lost a race against a parallel run: fine if the winner's folder is good.
      if (!(await isValid(target))) throw err;
    }
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}
