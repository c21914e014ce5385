// The project on disk, found as uv finds it: a PEP 723 script (the workspace is workspace.ts's), the
// environment `uv pip` would write to. Only read when a command needs it: none of this is on the path
// of a plain uv call.

import fs = require('node:fs');
import path = require('node:path');
import { parse as parseToml } from 'smol-toml';
import { pathFor, type EnvMap, type Platform } from '../platform/env.js';
import type { PipInterpreter } from '../relocate/pip-target.js';
import { candidateNames, pathEntries } from '../uv/find.js';
import { parseScriptTag } from '../uv/pep723.js';

export { findProjectDir as findProjectRoot } from './workspace.js';

/**
 * Whether uv runs `file` in a script environment of its own: a PEP 723 block uv accepts
 * (src/uv/pep723.ts) whose TOML parses. A block uv refuses makes the command fail; one whose TOML
 * uvx-safe cannot parse counts as no script, so the project environment is judged.
 */
export function isPep723Script(file: string): boolean {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return false;
  }
  const tag = parseScriptTag(bytes);
  if (tag.kind !== 'script') return false;
  try {
    parseToml(tag.metadata);
    return true;
  } catch {
    return false;
  }
}

/** The nearest `.venv` folder from `start` up, as `uv pip` finds one without VIRTUAL_ENV. */
export function findVenvUpwards(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const venv = path.join(dir, '.venv');
    if (fs.statSync(venv, { throwIfNoEntry: false })?.isDirectory()) return venv;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The folder a pip write lands in for a named interpreter (pip-target.ts): a folder given as such (a
 * venv), else the folder holding the interpreter, its link not followed (a venv's `bin/python` links
 * to the base interpreter, but the venv is what is written). Names are looked up on PATH as uv does
 * (`--system` passing over virtual environments);
 * undefined when nothing is found (uv then fails without writing).
 */
export function pipInterpreterFolder(target: PipInterpreter, cwd: string, env: EnvMap, home: string, platform: Platform): string | undefined {
  const p = pathFor(platform);
  const isDir = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const isFile = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  if ('path' in target) {
    const file = p.resolve(cwd, target.path.startsWith('~') ? home + target.path.slice(1) : target.path);
    return isDir(file) ? file : p.dirname(file);
  }
  const isVenvScripts = (dir: string) => isFile(p.join(dir, '..', 'pyvenv.cfg'));
  for (const name of target.names)
    for (const dir of pathEntries(env, platform)) {
      if (target.systemOnly && isVenvScripts(dir)) continue;
      for (const { file, startable } of candidateNames(name, env, platform))
        if (startable && isFile(p.join(dir, file))) return dir;
    }
  return undefined;
}
