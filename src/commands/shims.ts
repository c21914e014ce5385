// `uvx-safe safe shims install|uninstall --dir D [--exe PATH]`: put `uv` and `uvx` shims that run
// uvx-safe into D, or take them out again. Planning is pure (src/shims/plan.ts), writing is in
// src/shims/place.ts; this file parses, picks what the shims are made from, and reports.
// `--venv P` replaces a Python environment's own uv instead (./shims-venv.ts).

import fs = require('node:fs');
import path = require('node:path');
import { UsageError } from '../errors.js';
import type { LaunchContext } from '../launch/context.js';
import { currentFacts, selfIdentity } from '../launch/self.js';
import { assertMayWrite } from '../launch/folders.js';
import { prepare } from '../launch/prepare.js';
import { makeDebug, warn } from '../log.js';
import { pathFor } from '../platform/env.js';
import type { ShimHost } from '../shims/host.js';
import { nodeShimHost } from '../shims/node-host.js';
import { pathWarnings } from '../shims/path-order.js';
import { placeShim, removeIfIdle, removeShim } from '../shims/place.js';
import { ShimRefusal, planInstall, planUninstall, type ShimSource } from '../shims/plan.js';
import { renderPosixShim } from '../shims/script.js';
import { hasLauncherMark } from '../uv/find.js';

const USAGE = 'usage: uvx-safe safe shims install|uninstall --dir D | --venv P [--exe PATH]';

export interface ShimArgs {
  action: 'install' | 'uninstall';
  /** --dir D, or --venv P (then `dir` is P). */
  target: 'dir' | 'venv';
  dir: string;
  exe?: string;
}

function parseArgs(args: string[]): ShimArgs | 'help' {
  let action: ShimArgs['action'] | undefined;
  const values: { dir?: string; venv?: string; exe?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    const option = /^--(dir|venv|exe)(?:=(.*))?$/s.exec(arg);
    if (option) {
      const name = option[1] as 'dir' | 'venv' | 'exe';
      const value = option[2] ?? args[++i];
      if (value === undefined || value === '') throw new UsageError(`shims: --${name} needs a value; ${USAGE}`);
      values[name] = value;
    } else if ((arg === 'install' || arg === 'uninstall') && action === undefined) {
      action = arg;
    } else {
      throw new UsageError(`shims: unexpected argument "${arg}"; ${USAGE}`);
    }
  }
  if (action === undefined) throw new UsageError(`shims: say install or uninstall; ${USAGE}`);
  if (values.dir !== undefined && values.venv !== undefined) throw new UsageError(`shims: give --dir or --venv, not both; ${USAGE}`);
  const target = values.venv !== undefined ? 'venv' : 'dir';
  const dir = values.venv ?? values.dir;
  if (dir === undefined) throw new UsageError(`shims ${action}: --dir D or --venv P is required; ${USAGE}`);
  if (values.exe !== undefined && action === 'uninstall') throw new UsageError(`shims uninstall: --exe is for install only; ${USAGE}`);
  return { action, target, dir, exe: values.exe };
}

/** bin/uvx-safe next to the bundle this code runs from: it loads the bundle with its code cache. */
function loaderPath(): string {
  return fs.realpathSync.native(path.join(path.dirname(__filename), '..', 'bin', 'uvx-safe'));
}

/**
 * The standalone executable makes shims of itself; the npm form writes scripts on POSIX, and on
 * Windows installs the standalone executable named by --exe (the npm package does not carry it).
 */
export function chooseSource(ctx: LaunchContext, exe: string | undefined, host: ShimHost): ShimSource {
  const platform = ctx.host.platform;
  if (exe !== undefined) {
    const file = pathFor(platform).resolve(ctx.cwd, exe);
    if (!host.isFile(file)) throw new ShimRefusal(`--exe ${file}: no such file`);
    if (platform === 'win32' && !file.toLowerCase().endsWith('.exe')) throw new ShimRefusal(`--exe ${file}: not an .exe`);
    const head = host.readHead(file);
    if (head === undefined || !hasLauncherMark(head) || head.startsWith('#!'))
      throw new ShimRefusal(`--exe ${file}: not a standalone uvx-safe executable (npm run build:exe makes one)`);
    return { kind: 'program', file };
  }
  if (selfIdentity(currentFacts()).form === 'standalone') return { kind: 'program', file: process.execPath };
  if (platform === 'win32')
    throw new ShimRefusal(
      'shims install: on Windows the shims are copies of the standalone executable; name it with ' +
        '--exe PATH (uvx-safe-win-x64.exe), or run `safe shims install` from that executable',
    );
  return { kind: 'script', content: renderPosixShim({ node: process.execPath, loader: loaderPath() }) };
}

const VERB = { create: 'installed', replace: 'updated', keep: 'unchanged' } as const;

function install(ctx: LaunchContext, args: ShimArgs): number {
  const platform = ctx.host.platform;
  const host = nodeShimHost(ctx.env, platform);
  const source = chooseSource(ctx, args.exe, host);
  const stamp = String(process.pid);
  const plan = planInstall({ platform, dir: args.dir, cwd: ctx.cwd, source, self: ctx.self, stamp, env: ctx.env }, host);
  // Shims are programs: in enforce they go inside allowed-roots like every folder uvx-safe writes.
  const policy = prepare({ ...ctx, invokedAs: 'uvx-safe', args: [] }, makeDebug(ctx.env)).plan;
  assertMayWrite(policy, plan.dir, 'safe shims install --dir');
  if (plan.createDir) {
    try {
      fs.mkdirSync(plan.dir, { recursive: true });
    } catch (err) {
      throw new ShimRefusal(`cannot create --dir ${plan.dir}: ${(err as Error).message}`);
    }
  }
  const out: string[] = [];
  for (const step of plan.steps) {
    const how = step.action === 'keep' ? undefined : placeShim(step, source, stamp);
    out.push(`${VERB[step.action]} ${step.file}${how === 'copied' ? ' (a copy: no hard link possible there)' : ''}`);
  }
  for (const file of plan.leftovers) removeIfIdle(file);
  process.stdout.write(out.map((line) => `${line}\n`).join(''));
  for (const line of [...plan.warnings, ...pathWarnings(plan.dir, host, ctx.self)]) warn(line);
  return 0;
}

function uninstall(ctx: LaunchContext, args: ShimArgs): number {
  const platform = ctx.host.platform;
  const host = nodeShimHost(ctx.env, platform);
  const { steps, leftovers } = planUninstall({ platform, dir: args.dir, cwd: ctx.cwd, self: ctx.self, stamp: String(process.pid) }, host);
  const out: string[] = [];
  for (const step of steps) {
    if (step.action === 'remove') {
      const done = removeShim(step.file, step.aside);
      out.push(done === 'removed' ? `removed ${step.file}` : `renamed ${step.file} to ${step.aside} (it is running; delete it later)`);
    } else if (step.action === 'leave') {
      warn(`left ${step.file} alone: ${step.why}`);
    }
  }
  for (const file of leftovers) if (removeIfIdle(file)) out.push(`removed ${file}`);
  if (out.length === 0) out.push(`no uvx-safe shims in ${pathFor(platform).resolve(ctx.cwd, args.dir)}`);
  process.stdout.write(out.map((line) => `${line}\n`).join(''));
  return 0;
}

export async function shimsCommand(ctx: LaunchContext, args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    process.stdout.write(
      `${USAGE}\n\n` +
        'install    put `uv` and `uvx` shims that run uvx-safe into D (again: no change)\n' +
        '           (Windows: uv.exe and uvx.exe, hard links to or copies of the standalone executable:\n' +
        '           the running one, or the one named with --exe)\n' +
        'uninstall  remove them; any other file in D is left alone\n\n' +
        'D should come before the real uv on PATH. See docs/windows-shims.md.\n\n' +
        '--venv P   make the Python environment P\'s own uv (P/bin/uv and uvx; P\\Scripts\\uv.exe) shims, for\n' +
        '           clients that run it directly (tox-uv, nox, hatch, pre-commit-uv, `python -m uv`); the\n' +
        '           real uv is kept in P/bin/.uvx-safe-real/ and started by the shim; uninstall --venv puts\n' +
        '           it back. Reinstalling the uv package undoes it: run install --venv again (safe doctor\n' +
        '           tells). See docs/clients.md.\n',
    );
    return 0;
  }
  if (parsed.target === 'venv') {
    const { installVenv, uninstallVenv } = await import('./shims-venv.js');
    return parsed.action === 'install' ? installVenv(ctx, parsed) : uninstallVenv(ctx, parsed);
  }
  return parsed.action === 'install' ? install(ctx, parsed) : uninstall(ctx, parsed);
}
