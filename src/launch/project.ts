// The project on disk, found as uv finds it: a PEP 723 script (the workspace is workspace.ts's; the
// environment `uv pip` writes to is python-environments.ts's). Only read when a command needs it:
// none of this is on the path of a plain uv call.

import fs = require('node:fs');
import { parse as parseToml } from 'smol-toml';
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
