// The programs uv is told to run by path, gathered for the plan's one predicate
// (src/relocate/program-location.ts): the command line's `--python`/`-p` (or the REQUEST of `uv python
// find|pin|list`), else `UV_PYTHON` where that command reads it, else pip's `python` setting from uv's
// own config files (asked of uv, show-settings.ts); and the path lines of the version files uv may read
// (judged whatever the command line says, as before). `uv python pin --global` writes a location of its
// own. Read only when a policy checks locations; a request that is no path costs no stat.

import { pathFor, type Platform } from '../platform/env.js';
import type { ProgramRequest } from '../relocate/program-location.js';
import type { ParsedUvArgs } from '../uv/argv.js';
import { pythonRequestPath, readsUvPython } from '../uv/python-request.js';
import { environmentPython, interpreterPrefix } from './python-environments.js';
import { entryAt, versionFilePaths } from './python-version-file.js';

export interface RequestInput {
  parsed: ParsedUvArgs;
  /** The variables uv sees. */
  lookup: (name: string) => string | undefined;
  /** uv's working folder (--directory applied): relative requests resolve from there. */
  uvCwd: string;
  userUvConfigDir: string;
  platform: Platform;
  /** `--no-config`/`UV_NO_CONFIG`: uv reads no version file. */
  noConfig: boolean;
  /** Whether the admin trusts a repository folder (safe-directories). */
  isSafe: (dir: string) => boolean;
  /** pip's `python` from uv's merged settings, when uv was asked; `repository` when a project's file may have set it. */
  pipSetting?: { value: string; origin: string; repository?: string };
}

/** The request as a program to judge: what else runs with it (its environment, the interpreter in a folder). */
function programRequest(value: string, origin: string, input: Pick<RequestInput, 'uvCwd' | 'platform'>, repository?: string): ProgramRequest | undefined {
  const found = pythonRequestPath(value, input.platform, entryAt(input.uvCwd, input.platform));
  if (!found) return undefined;
  const path = pathFor(input.platform).resolve(input.uvCwd, found.path);
  // A folder: uv takes the interpreter inside it. A file in a virtual environment runs with that
  // environment's site-packages (its .pth files run code): both are judged.
  const alsoRuns = found.kind === 'dir' ? [environmentPython(path, input.platform)] : [interpreterPrefix(path, input.platform)].filter((env) => env.venv).map((env) => env.prefix);
  const also = alsoRuns.filter((x): x is string => x !== undefined);
  return { origin, path, ...(also.length ? { alsoRuns: also } : {}), ...(repository ? { repository } : {}) };
}

/** The request uv takes from the command line, its variable or its settings, with what named it. */
function explicitRequest(input: RequestInput): { value: string; origin: string; repository?: string } | undefined {
  const { parsed } = input;
  const flag = parsed.locations.filter((f) => f.kind === 'python' && f.index >= 0).pop();
  if (flag?.value !== undefined) return { value: flag.value, origin: flag.flag.endsWith(' REQUEST') ? `uv ${flag.flag.replace(' REQUEST', '')} ${flag.value}` : `${flag.flag} ${flag.value}` };
  const variable = readsUvPython(parsed.command) ? input.lookup('UV_PYTHON') : undefined;
  if (variable) return { value: variable, origin: `UV_PYTHON=${variable}` };
  return input.pipSetting;
}

export function pythonProgramRequests(input: RequestInput): { programRequests: ProgramRequest[]; globalPin?: string } {
  const { parsed, platform } = input;
  const p = pathFor(platform);
  const pinGlobal = parsed.command.join(' ') === 'python pin' && (parsed.options ?? []).includes('--global');
  const globalPin = pinGlobal ? p.join(input.userUvConfigDir, '.python-version') : undefined;
  const programRequests: ProgramRequest[] = [];
  const explicit = explicitRequest(input);
  const named = explicit && programRequest(explicit.value, explicit.origin, input, explicit.repository);
  if (named) programRequests.push(named);
  if (!input.noConfig)
    for (const found of versionFilePaths(input.uvCwd, input.userUvConfigDir, platform)) {
      const dir = p.dirname(found.file);
      const request = programRequest(found.request, `${found.file}:${found.line}`, input, found.global || input.isSafe(dir) ? undefined : dir);
      if (request) programRequests.push(request);
    }
  return { programRequests, globalPin };
}
