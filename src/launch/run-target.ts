// What `uv run TARGET` runs, read as uv reads it (uv's `ParsedRunCommand::from_args` and
// `RunCommand::script_dir`, crates/uv/src/commands/project/run.rs): a PEP 723 script runs in a script
// environment of its own; any other Python script, package folder or zipapp still uses a project,
// but uv searches for that project from the TARGET's folder, not the working folder (unless
// `--project` is given; crates/uv/src/lib.rs, "Determine the project directory").

import fs = require('node:fs');
import path = require('node:path');
import type { ParsedUvArgs } from '../uv/argv.js';
import { isPep723Script } from './project.js';

const SEPARATORS = path.sep === '\\' ? /[\\/]/ : /\//;

/** Rust's `Path::parent`, with uv's filter of the empty parent of a bare file name. */
function rustParent(target: string): string | undefined {
  const parts = target.split(SEPARATORS);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length < 2) return undefined;
  parts.pop();
  return parts.join(path.sep).replace(/[\\/]+$/, '') || path.sep;
}

/**
 * `std::path::absolute` on POSIX: joined to the working folder, `.` components and repeated `/`
 * dropped, `..` kept. (On Windows, `path.resolve`: Windows resolves `..` lexically itself.)
 */
export function rustAbsolute(cwd: string, p: string): string {
  if (path.sep === '\\') return path.resolve(cwd, p);
  const joined = p.startsWith('/') ? p : `${cwd}/${p}`;
  const parts = joined.split('/').filter((part) => part !== '' && part !== '.');
  return `/${parts.join('/')}`;
}

/** A zip archive's end record in the file's last 64 KiB: uv may read it as a zipapp (`is_python_zipapp`). */
function mayBeZip(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, 65_557);
      const tail = Buffer.alloc(length);
      fs.readSync(fd, tail, 0, length, size - length);
      return tail.includes(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

type Kind = 'none' | 'script' | 'other';

/** uv's `RunCommand` for the target, as far as it matters here: a Python script, another local target with a folder, or neither. */
function targetKind(args: ParsedUvArgs, file: string): Kind {
  const target = args.program!;
  const has = (...names: string[]) => names.some((name) => args.options?.includes(name));
  // stdin (its metadata cannot be read here) and remote scripts: the project is judged.
  if (target === '-' || /^https?:\/\//.test(target) || has('--module', '-m')) return 'none';
  if (has('--script', '-s', '--gui-script')) return 'script';
  if (target.toLowerCase() === 'python') return 'none';
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat?.isFile() && ['.py', '.pyc', '.pyw'].includes(path.extname(target).toLowerCase())) return 'script';
  if (stat?.isDirectory() && fs.statSync(path.join(file, '__main__.py'), { throwIfNoEntry: false })?.isFile()) return 'other';
  if (stat?.isFile() && mayBeZip(file)) return 'other';
  return 'none';
}

const isRun = (args: ParsedUvArgs) => !args.helpOrVersion && args.command.join(' ') === 'run' && args.program !== undefined;

/**
 * Where `uv run TARGET` starts its project search when `--project` is not given: the folder of a
 * script, package folder or zipapp named with a folder part; undefined for anything else (the working
 * folder). `uvCwd` is the folder uv runs in (after `--directory`). At most a stat for a bare name.
 */
export function runSearchFrom(args: ParsedUvArgs, uvCwd: string): string | undefined {
  if (!isRun(args)) return undefined;
  const parent = rustParent(args.program!);
  if (parent === undefined) return undefined;
  return targetKind(args, path.resolve(uvCwd, args.program!)) === 'none' ? undefined : rustAbsolute(uvCwd, parent);
}

/** Whether `uv run TARGET` runs a PEP 723 script (its own environment, not the project's). Reads the file. */
export function runsPep723(args: ParsedUvArgs, uvCwd: string): boolean {
  if (!isRun(args)) return false;
  const file = path.resolve(uvCwd, args.program!);
  return targetKind(args, file) === 'script' && isPep723Script(file);
}
