// The uv binaries that callers on this machine would start instead of the launcher (issues 10, 17):
// pdm's ~/.local/bin/uv and ~/.cargo/bin/uv, the uv inside the environments of tox, hatch, nox,
// pre-commit, pdm and pipx (found on PATH, in pipx's venvs and in uv's tool folders), an activated
// environment's uv and a real uv on PATH before the shims, pre-commit's hook environments, and what
// `python -m uv` (find_uv_bin()) runs for the current Python; a governed uv wheel is named as such. Each is a uvx-safe shim ("goes through uvx-safe") or
// a real uv ("bypasses it", with the command that fixes it). `findCallerUvs` is pure; the file
// system and the Python probe come through `CallersHost`.

import { isLauncher, KEPT_UV_DIR, keptUv, pathEntries, candidateNames, wheelUv, type FindHost } from '../uv/find.js';
import { getEnv, pathFor } from '../platform/env.js';
import { shQuote } from '../shims/script.js';
import type { CallerUv, Check } from './types.js';

export type { CallerUv };

/** Clients that run the uv of their own environment (find_uv_bin() or their scripts folder). */
export const CLIENT_COMMANDS = ['tox', 'hatch', 'nox', 'pre-commit', 'pdm', 'pipx'] as const;

/** The real fix for environments that clients make and remake at will (pre-commit hooks, pipx, build). */
const WHEEL_FIX = 'publish the governed uv wheel (`uvx-safe safe wheel`) on your index, so that installs get it (docs/clients.md)';


export interface CallersHost extends FindHost {
  home: string;
  /** Entries of a folder (names only), or [] when it cannot be read. */
  listDir(dir: string): string[];
  isDirectory(dir: string): boolean;
  /** The uv that `python -m uv` starts for `python` (find_uv_bin()), or undefined when it has none. */
  pythonMUv(python: string): string | undefined;
}

export interface CallersInput {
  /** Realpaths of the launcher's own files. */
  self: readonly string[];
  /** uv's tool folder as the launcher sets it (the policy's `tool` location), if any. */
  toolDir?: string;
}

/** As typed in a POSIX shell, or in PowerShell/cmd on Windows (double quotes; no `"` in Windows paths). */
export function quoteArg(value: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return /^[\w@%+=:,.\\/-]+$/.test(value) ? value : `"${value}"`;
  return /^[\w@%+=:,./-]+$/.test(value) ? value : shQuote(value);
}

function firstOnPath(name: string, host: FindHost): string | undefined {
  const p = pathFor(host.platform);
  for (const dir of pathEntries(host.env, host.platform))
    for (const { file } of candidateNames(name, host.env, host.platform)) {
      const candidate = p.join(dir, file);
      if (host.isFile(candidate)) return candidate;
    }
  return undefined;
}

/** Where pipx and `uv tool` keep their environments (each holds one venv per tool). */
function toolEnvRoots(host: CallersHost, input: CallersInput): { root: string; kind: string }[] {
  const p = pathFor(host.platform);
  const env = (name: string) => getEnv(host.env, name, host.platform);
  const dataHome = env('XDG_DATA_HOME') ?? p.join(host.home, '.local', 'share');
  const pipxHome = env('PIPX_HOME');
  const appData = env('APPDATA');
  const win = host.platform === 'win32';
  const roots = [
    ...(pipxHome ? [p.join(pipxHome, 'venvs')] : []),
    // pipx 1.3+: ~/.local/share/pipx (Windows: ~\pipx); older: ~/.local/pipx.
    win ? p.join(host.home, 'pipx', 'venvs') : p.join(dataHome, 'pipx', 'venvs'),
    p.join(host.home, '.local', 'pipx', 'venvs'),
  ].map((root) => ({ root, kind: 'pipx venv' }));
  // uv's tool folder: the policy's, UV_TOOL_DIR, uv's default (Windows: %APPDATA%\uv\tools).
  const uvDefault = win ? (appData ? p.join(appData, 'uv', 'tools') : undefined) : p.join(dataHome, 'uv', 'tools');
  for (const root of [input.toolDir, env('UV_TOOL_DIR'), uvDefault])
    if (root) roots.push({ root, kind: 'uv tool' });
  return roots;
}

export function findCallerUvs(host: CallersHost, input: CallersInput): CallerUv[] {
  const p = pathFor(host.platform);
  const win = host.platform === 'win32';
  const scripts = win ? 'Scripts' : 'bin';
  const uvName = win ? 'uv.exe' : 'uv';
  const found: { caller: string; path: string; prefix: string; fix?: string }[] = [];

  // Not environments (no pyvenv.cfg: `shims install --venv` would fail), and a shim there would put a
  // program under the profile: the fix is to remove the stray uv, after which pdm runs PATH's.
  for (const dir of ['.local', '.cargo']) {
    const file = p.join(host.home, dir, 'bin', uvName);
    const remove = win ? `del "${file}"` : `remove ${file}`; // a Windows path cannot hold a quote
    found.push({ caller: `~/${dir}/bin/uv (pdm tries it before PATH)`, path: file, prefix: p.join(host.home, dir), fix: `${remove}: pdm then runs the uv on PATH` });
  }
  for (const command of CLIENT_COMMANDS) {
    const script = firstOnPath(command, host);
    const real = script && host.realpath(script);
    if (real) found.push({ caller: `${command}'s environment`, path: p.join(p.dirname(real), uvName), prefix: p.dirname(p.dirname(real)) });
  }
  for (const { root, kind } of toolEnvRoots(host, input))
    for (const name of host.listDir(root)) {
      const prefix = p.join(root, name);
      found.push({ caller: `${kind} ${name}`, path: p.join(prefix, scripts, uvName), prefix });
    }
  // An activated environment, or `uv run`'s, holding the uv package: its uv comes before the shims.
  const venv = getEnv(host.env, 'VIRTUAL_ENV', host.platform);
  if (venv) found.push({ caller: `the activated environment (VIRTUAL_ENV)`, path: p.join(venv, scripts, uvName), prefix: venv });
  const first = firstOnPath('uv', host);
  const shimLater = first !== undefined && pathEntries(host.env, host.platform).some((dir) => {
    const candidate = p.join(dir, uvName);
    return candidate !== first && host.isFile(candidate) && isLauncher(candidate, host, input.self);
  });
  if (first && shimLater && !isLauncher(first, host, input.self)) {
    const dir = p.dirname(first);
    const inVenv = host.isFile(p.join(p.dirname(dir), 'pyvenv.cfg'));
    found.push({
      caller: 'the first uv on PATH, before the uvx-safe shims',
      path: first,
      prefix: p.dirname(dir),
      ...(inVenv ? {} : { fix: `put the uvx-safe shims folder before ${dir} on PATH` }),
    });
  }
  // pre-commit's hook environments (PRE_COMMIT_HOME, else ~/.cache/pre-commit): remade at will.
  const preCommitHome =
    getEnv(host.env, 'PRE_COMMIT_HOME', host.platform) ?? p.join(getEnv(host.env, 'XDG_CACHE_HOME', host.platform) ?? p.join(host.home, '.cache'), 'pre-commit');
  for (const repo of host.listDir(preCommitHome))
    for (const env of host.listDir(p.join(preCommitHome, repo)).filter((name) => name.startsWith('py_env-'))) {
      const prefix = p.join(preCommitHome, repo, env);
      found.push({ caller: `pre-commit hook environment ${repo}/${env}`, path: p.join(prefix, scripts, uvName), prefix, fix: WHEEL_FIX });
    }
  const python = firstOnPath('python3', host) ?? firstOnPath('python', host);
  const viaPython = python ? host.pythonMUv(python) : undefined;
  if (python && viaPython) {
    const dir = p.dirname(viaPython);
    found.push({ caller: `python -m uv (${python})`, path: viaPython, prefix: p.basename(dir) === scripts ? p.dirname(dir) : dir });
  }

  const seen = new Set<string>();
  const out: CallerUv[] = [];
  for (const entry of found) {
    if (!host.isFile(entry.path)) continue;
    const key = host.realpath(entry.path) ?? entry.path;
    if (seen.has(key)) continue;
    seen.add(key);
    const fix = entry.fix ?? `uvx-safe safe shims install --venv ${quoteArg(entry.prefix, host.platform)}`;
    if (isLauncher(entry.path, host, input.self)) {
      const kept = keptUv(entry.path, host, input.self);
      const shimDir = p.dirname(entry.path);
      const isVenvShim = host.isDirectory(p.join(shimDir, KEPT_UV_DIR));
      const governed = wheelUv(entry.path, host, input.self) !== undefined;
      out.push({
        caller: entry.caller,
        path: entry.path,
        throughUvxSafe: true,
        note: governed
          ? 'the governed uv wheel'
          : isVenvShim && !kept
            ? `the real uv kept in ${p.join(shimDir, KEPT_UV_DIR)} is missing: the launcher falls back to PATH`
            : null,
        fix: null,
      });
    } else {
      const reinstalled = host.isDirectory(p.join(p.dirname(entry.path), KEPT_UV_DIR));
      out.push({
        caller: entry.caller,
        path: entry.path,
        throughUvxSafe: false,
        note: reinstalled ? 'the uv package was reinstalled over the uvx-safe shim' : 'a real uv, not the governed uv wheel',
        fix,
      });
    }
  }
  return out;
}

export function callerChecks(callers: readonly CallerUv[]): Check[] {
  if (callers.length === 0)
    return [{ id: 'callers.none', label: 'callers', status: 'ok', message: 'no uv that a client would start instead of uvx-safe' }];
  return callers.map((c, i) => ({
    id: `callers.${i}`,
    label: 'callers',
    status: c.throughUvxSafe && (!c.note || c.note === 'the governed uv wheel') ? 'ok' : 'warn',
    message: c.throughUvxSafe
      ? `${c.caller}: ${c.path} goes through uvx-safe${c.note ? ` (${c.note})` : ''}`
      : `${c.caller}: ${c.path} bypasses it${c.note ? ` (${c.note})` : ''}; fix: ${c.fix}`,
  }));
}
