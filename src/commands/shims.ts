// `uvx-safe safe shims install|uninstall --dir D [--exe PATH]`: put `uv` and `uvx` shims that run
// uvx-safe into D, or take them out again. Planning is pure (src/shims/plan.ts), writing is in
// src/shims/place.ts; this file parses, picks what the shims are made from, and reports.
// `--venv P` replaces a Python environment's own uv instead (./shims-venv.ts).

import fs = require('node:fs');
import path = require('node:path');
import type { LaunchContext } from '../context.js';
import { warn } from '../log.js';
import { pathFor } from '../platform/env.js';
import type { ShimHost } from '../shims/host.js';
import { checkShimFolder, probeShimFolder } from '../shims/node-folder.js';
import { nodeShimHost } from '../shims/node-host.js';
import { pathWarnings } from '../shims/path-order.js';
import { deleteWhenFree } from '../shims/after-exit.js';
import { placeShim, removeIfIdle, removeShim } from '../shims/place.js';
import { ShimRefusal, planInstall, planUninstall } from '../shims/plan.js';
import { USAGE, parseArgs, type ShimArgs } from './shims-args.js';
import { chooseSource } from './shims-source.js';
import { errorWords } from '../platform/os-words.js';

const VERB = { create: 'installed', replace: 'updated', keep: 'unchanged' } as const;

function install(ctx: LaunchContext, args: ShimArgs): number {
  const platform = ctx.host.platform;
  const host = nodeShimHost(ctx.env, platform);
  const source = chooseSource(ctx, args.exe, host);
  const stamp = String(process.pid);
  const plan = planInstall({ platform, dir: args.dir, cwd: ctx.cwd, source, self: ctx.self, stamp, env: ctx.env }, host);
  // The shims are the launcher's own files, put where the installer says: allowed-roots (where uv
  // may write and run) does not judge them. The folder must be the installer's alone instead.
  const folderWarning = checkShimFolder(plan.dir, platform);
  if (plan.createDir) {
    try {
      // 0755 whatever the umask adds: a group-writable shim folder is what checkShimFolder refuses.
      fs.mkdirSync(plan.dir, { recursive: true, mode: 0o755 });
    } catch (err) {
      throw new ShimRefusal(`cannot create --dir ${plan.dir}: ${errorWords(err, platform, { machineInstall: true })}`, { hint: 'choose a --dir you can write to, or create it first' });
    }
  }
  const probeWarning = probeShimFolder(plan.dir, platform, source);
  const out: string[] = [];
  const busy: string[] = [];
  for (const step of plan.steps) {
    const how = step.action === 'keep' ? undefined : placeShim(step, source, stamp, busy);
    out.push(`${VERB[step.action]} ${step.file}${how === 'copied' ? ' (a copy: no hard link possible there)' : ''}`);
  }
  for (const file of plan.leftovers) if (!removeIfIdle(file)) busy.push(file);
  process.stdout.write(out.map((line) => `${line}\n`).join(''));
  const warnings = [folderWarning, probeWarning, ...plan.warnings, ...pathWarnings(plan.dir, host, ctx.self)];
  for (const line of warnings) if (line) warn(line);
  deleteWhenFree(busy, ctx.env);
  return 0;
}

function uninstall(ctx: LaunchContext, args: ShimArgs): number {
  const platform = ctx.host.platform;
  const host = nodeShimHost(ctx.env, platform);
  const { steps, leftovers } = planUninstall({ platform, dir: args.dir, cwd: ctx.cwd, self: ctx.self, stamp: String(process.pid) }, host);
  const out: string[] = [];
  const busy: string[] = [];
  for (const step of steps) {
    if (step.action === 'remove') {
      // A running one (this very program, or a hard link of it) is renamed aside: its name is gone
      // now, and the renamed file is deleted as soon as it no longer runs (deleteWhenFree).
      removeShim(step.file, step.aside, busy);
      out.push(`removed ${step.file}`);
    } else if (step.action === 'leave') {
      warn(`left ${step.file} alone: ${step.why}`);
    }
  }
  for (const file of leftovers) {
    if (removeIfIdle(file)) out.push(`removed ${file}`);
    else busy.push(file);
  }
  if (out.length === 0) out.push(`no uvx-safe shims in ${pathFor(platform).resolve(ctx.cwd, args.dir)}`);
  process.stdout.write(out.map((line) => `${line}\n`).join(''));
  deleteWhenFree(busy, ctx.env);
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
        'D should come before the real uv on PATH. D goes where you say (allowed-roots, where uv may\n' +
        'write, does not judge it), but only you, root or the administrators may be able to change it.\n' +
        'After upgrading the launcher, run install again from the new one. See docs/windows-shims.md.\n\n' +
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
