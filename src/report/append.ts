// Appending one line to the report file: one open, one write, one close, never a wait.
//
// - O_APPEND: every write lands at the end, so whole lines from parallel calls interleave, never mix
//   (one write of a line under PIPE_BUF; see line.ts). No lock: nothing to wait for.
// - O_NOFOLLOW: a symbolic link planted at the report path is not followed (ELOOP); O_NONBLOCK: a
//   FIFO planted there fails at once instead of waiting for a reader; anything but a regular file, or
//   a file another user owns (other than root, who may pre-create a shared file), is not written.
// - Rotation by size, lock-free: the call that finds the file at max-size renames it to a name of its
//   own (rename is atomic, so only one call gets it), shifts FILE.1.. up to `keep`, and renames it to
//   FILE.1; a call that loses the race, or that had the old file open, appends to whichever file it
//   holds: no line is lost, at worst a rotation holds a few lines past max-size.

import fs = require('node:fs');
import path = require('node:path');

export interface ReportFile {
  path: string;
  /** Rotate once the file has reached this many bytes. */
  maxSize: number;
  /** Old files kept: FILE.1 (newest) ... FILE.keep. */
  keep: number;
  /** A missing folder of the file is created only when it lies under the data root (else: a missing share is a failure, not a new local folder). */
  mayMakeFolder: boolean;
}

const { O_WRONLY, O_APPEND, O_CREAT } = fs.constants;
// Undefined on Windows: there the path is checked with lstat before it is opened.
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;
const FLAGS = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK;

/** Owner read/write, group read: a collector in the folder's group (a setgid folder) may read it; the umask may narrow it. */
export const REPORT_FILE_MODE = 0o640;

/** An error of the report itself, with what went wrong in words. */
export class ReportWriteError extends Error {}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function open(file: ReportFile): number {
  if (O_NOFOLLOW === 0 && fs.lstatSync(file.path, { throwIfNoEntry: false })?.isSymbolicLink())
    throw new ReportWriteError('it is a symbolic link, which is not followed');
  try {
    return fs.openSync(file.path, FLAGS, REPORT_FILE_MODE);
  } catch (err) {
    if (code(err) === 'ELOOP') throw new ReportWriteError('it is a symbolic link, which is not followed');
    if (code(err) === 'ENXIO') throw new ReportWriteError('it is not a regular file');
    if (code(err) !== 'ENOENT' || !file.mayMakeFolder) throw err;
  }
  fs.mkdirSync(path.dirname(file.path), { recursive: true, mode: 0o700 });
  return fs.openSync(file.path, FLAGS, REPORT_FILE_MODE);
}

/** Why this open file must not be written to, or undefined. */
function refuse(stats: fs.Stats): string | undefined {
  if (!stats.isFile()) return 'it is not a regular file';
  const uid = process.getuid?.();
  // Another user could read what this user's calls say (argv, folders): only theirs, or root's.
  if (uid !== undefined && stats.uid !== uid && stats.uid !== 0) return `it is owned by another user (uid ${stats.uid})`;
  return undefined;
}

function renameIfThere(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if (code(err) !== 'ENOENT') throw err;
  }
}

/**
 * Rotates the file `held` (open, at max-size) if it is still the one at the path. True when the
 * caller should open the path again (rotated, by this call or another one); false to append to `held`.
 */
function rotate(file: ReportFile, held: fs.Stats): boolean {
  const now = fs.lstatSync(file.path, { throwIfNoEntry: false });
  if (!now || now.ino !== held.ino || now.dev !== held.dev) return true;
  // node:crypto is loaded here, not at the top: it costs every uv call ~3 ms of start-up.
  const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
  const claimed = `${file.path}.${process.pid}-${randomBytes(4).toString('hex')}.rotating`;
  try {
    fs.renameSync(file.path, claimed);
  } catch (err) {
    if (code(err) === 'ENOENT') return true;
    // Cannot rename here (a shared folder's sticky bit, a read-only share): keep appending.
    return false;
  }
  try {
    const got = fs.lstatSync(claimed);
    if (got.ino !== held.ino || got.dev !== held.dev) {
      // Another call rotated first and this one took its fresh file: put it back if nothing replaced it.
      try {
        fs.linkSync(claimed, file.path);
        fs.unlinkSync(claimed);
        return true;
      } catch {
        // Rotate it after all: its lines move to FILE.1, none is lost.
      }
    }
    for (let i = file.keep - 1; i >= 1; i--) renameIfThere(`${file.path}.${i}`, `${file.path}.${i + 1}`);
    fs.renameSync(claimed, `${file.path}.1`);
  } catch {
    // Half-rotated (a rename refused): the lines stay in the files they are in.
  }
  return true;
}

/**
 * Why a line could not be appended to the report file now, or undefined when it could; writes nothing
 * and creates nothing (`safe doctor`). Root passes mode bits, so for root only a read-only mount shows.
 */
export function appendProblem(file: ReportFile): string | undefined {
  try {
    const fd = fs.openSync(file.path, FLAGS & ~O_CREAT);
    try {
      return refuse(fs.fstatSync(fd));
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if (code(err) === 'ELOOP') return 'it is a symbolic link, which is not followed';
    if (code(err) === 'ENXIO') return 'it is not a regular file';
    if (code(err) !== 'ENOENT') return code(err) ?? String(err);
  }
  // Not there yet: the first line creates it, in its folder (made first only under the data root).
  let dir = path.dirname(file.path);
  while (!fs.existsSync(dir)) {
    if (!file.mayMakeFolder) return `its folder ${dir} does not exist`;
    const parent = path.dirname(dir);
    if (parent === dir) return `its folder ${dir} does not exist`;
    dir = parent;
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return undefined;
  } catch (err) {
    return `its folder ${dir} cannot be written to (${code(err) ?? String(err)})`;
  }
}

/** Appends `line` (one whole line) to the report file; throws when it cannot (the caller warns). */
export function appendLine(file: ReportFile, line: string): void {
  const bytes = Buffer.from(line);
  let fd = open(file);
  try {
    let stats = fs.fstatSync(fd);
    const refused = refuse(stats);
    if (refused) throw new ReportWriteError(refused);
    if (stats.size >= file.maxSize && rotate(file, stats)) {
      fs.closeSync(fd);
      fd = -1;
      fd = open(file);
      stats = fs.fstatSync(fd);
      const again = refuse(stats);
      if (again) throw new ReportWriteError(again);
    }
    const written = fs.writeSync(fd, bytes);
    if (written !== bytes.length) throw new ReportWriteError(`only ${written} of ${bytes.length} bytes were written`);
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}
