// `safe env --persist` on Linux: files that are uvx-safe's alone, so removing them undoes it
// exactly. The user's systemd session reads $XDG_CONFIG_HOME/environment.d/uvx-safe.conf
// (environment.d(5)); with --machine every user's session reads /etc/environment.d/uvx-safe.conf
// and every login shell /etc/profile.d/uvx-safe.sh.

import fs = require('node:fs');
import path = require('node:path');
import { UsageError } from '../errors.js';
import { environmentDText, shellText, type Piece } from './values.js';

/** The first line of every file written: what it is, and that it is ours to replace or remove. */
export const PERSIST_MARK = '# Written by `uvx-safe safe env --persist`';

export interface PersistFile {
  path: string;
  content: string;
}

export interface PersistValues {
  /** Variables and their values (literal text and per-user references). */
  variables: [string, Piece[]][];
  /** The tool bin folder, appended to PATH when not on it; undefined when the policy moves none. */
  toolBin?: Piece[];
}

export function linuxPaths(scope: 'user' | 'machine', configHome: string): string[] {
  return scope === 'user'
    ? [path.join(configHome, 'environment.d', 'uvx-safe.conf')]
    : ['/etc/environment.d/uvx-safe.conf', '/etc/profile.d/uvx-safe.sh'];
}

function environmentD(values: PersistValues, remove: string): string {
  const lines = [PERSIST_MARK, `# (systemd environment.d format); undo with \`${remove}\`.`];
  for (const [name, pieces] of values.variables) lines.push(`${name}=${environmentDText(name, pieces)}`);
  if (values.toolBin) lines.push(`PATH=\${PATH}:${environmentDText('the tool bin folder', values.toolBin)}`);
  return `${lines.join('\n')}\n`;
}

function profileD(values: PersistValues, remove: string): string {
  const lines = [PERSIST_MARK, `# (POSIX sh, read by login shells); undo with \`${remove}\`.`];
  for (const [name, pieces] of values.variables) lines.push(`export ${name}=${shellText(name, pieces)}`);
  if (values.toolBin) {
    const dir = shellText('the tool bin folder', values.toolBin);
    lines.push(`case ":\${PATH}:" in *:${dir}:*) ;; *) PATH="\${PATH}:"${dir} ;; esac`, 'export PATH');
  }
  return `${lines.join('\n')}\n`;
}

export function linuxFiles(scope: 'user' | 'machine', configHome: string, values: PersistValues): PersistFile[] {
  const remove = `uvx-safe safe env --persist${scope === 'machine' ? ' --machine' : ''} --remove`;
  return linuxPaths(scope, configHome).map((file) => ({ path: file, content: file.endsWith('.sh') ? profileD(values, remove) : environmentD(values, remove) }));
}

/** Ours: absent, or starting with the mark. A file of the same name written by someone else is never touched. */
function checkOurs(file: string): boolean {
  let head: string;
  try {
    head = fs.readFileSync(file, 'utf8').slice(0, PERSIST_MARK.length);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new UsageError(`safe env --persist: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: `make ${file} readable, or move it away` });
  }
  if (head !== PERSIST_MARK) throw new UsageError(`safe env --persist: ${file} exists and was not written by uvx-safe; left as it is`, { hint: 'move it away first' });
  return true;
}

/** Writes each file (through a temp file and a rename, 0644); returns the files written. */
export function writeLinuxFiles(files: readonly PersistFile[]): string[] {
  for (const file of files) checkOurs(file.path);
  for (const file of files) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true, mode: 0o755 });
    const temp = `${file.path}.tmp-${process.pid}`;
    fs.writeFileSync(temp, file.content, { mode: 0o644 });
    fs.chmodSync(temp, 0o644);
    fs.renameSync(temp, file.path);
  }
  return files.map((file) => file.path);
}

/** Removes the files uvx-safe wrote; returns those removed. */
export function removeLinuxFiles(paths: readonly string[]): string[] {
  const ours = paths.filter((file) => checkOurs(file));
  for (const file of ours) fs.rmSync(file);
  return ours;
}
