// `uvx-safe safe shims install|uninstall --dir D`: put `uv` and `uvx` shims that run uvx-safe into D,
// or take them out again. Planning is pure (src/shims/plan.ts); this file parses, writes and reports.

import fs = require('node:fs');
import path = require('node:path');
import { UsageError } from '../errors.js';
import type { LaunchContext } from '../launch/context.js';
import { assertMayWrite } from '../launch/folders.js';
import { prepare } from '../launch/prepare.js';
import { makeDebug, warn } from '../log.js';
import { nodeShimHost } from '../shims/node-host.js';
import { pathWarnings } from '../shims/path-order.js';
import { ShimRefusal, planInstall, planUninstall, type InstallPlan } from '../shims/plan.js';
import { renderPosixShim } from '../shims/script.js';

const USAGE = 'usage: uvx-safe safe shims install|uninstall --dir D';

interface ShimArgs {
  action: 'install' | 'uninstall';
  dir: string;
}

function parseArgs(args: string[]): ShimArgs | 'help' {
  let action: ShimArgs['action'] | undefined;
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--dir') {
      dir = args[++i];
      if (dir === undefined || dir === '') throw new UsageError(`shims: --dir needs a folder; ${USAGE}`);
    } else if (arg.startsWith('--dir=')) {
      dir = arg.slice('--dir='.length);
      if (dir === '') throw new UsageError(`shims: --dir needs a folder; ${USAGE}`);
    } else if ((arg === 'install' || arg === 'uninstall') && action === undefined) {
      action = arg;
    } else {
      throw new UsageError(`shims: unexpected argument "${arg}"; ${USAGE}`);
    }
  }
  if (action === undefined) throw new UsageError(`shims: say install or uninstall; ${USAGE}`);
  if (dir === undefined) throw new UsageError(`shims ${action}: --dir D is required; ${USAGE}`);
  return { action, dir };
}

/** bin/uvx-safe next to the bundle this code runs from: it loads the bundle with its code cache. */
function loaderPath(): string {
  return fs.realpathSync.native(path.join(path.dirname(__filename), '..', 'bin', 'uvx-safe'));
}

/** Write through a temporary file and a rename, so a running `uv` never sees half a shim. */
function writeShim(file: string, content: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.uvx-safe-${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, content, { mode: 0o755 });
    fs.chmodSync(tmp, 0o755); // the umask may have cleared bits
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new ShimRefusal(`cannot write ${file}: ${(err as Error).message}`);
  }
}

function install(ctx: LaunchContext, dir: string): number {
  const platform = ctx.host.platform;
  const host = nodeShimHost(ctx.env, platform);
  const content = renderPosixShim({ node: process.execPath, loader: loaderPath() });
  const plan: InstallPlan = planInstall({ platform, dir, cwd: ctx.cwd, content, self: ctx.self }, host);
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
    if (step.action !== 'keep') writeShim(step.file, content);
    out.push(`${step.action === 'keep' ? 'unchanged' : step.action === 'create' ? 'installed' : 'updated'} ${step.file}`);
  }
  process.stdout.write(out.map((line) => `${line}\n`).join(''));
  for (const line of pathWarnings(plan.dir, host, ctx.self)) warn(line);
  return 0;
}

function uninstall(ctx: LaunchContext, dir: string): number {
  const platform = ctx.host.platform;
  const host = nodeShimHost(ctx.env, platform);
  const steps = planUninstall({ platform, dir, cwd: ctx.cwd, self: ctx.self }, host);
  const out: string[] = [];
  for (const step of steps) {
    if (step.action === 'remove') {
      try {
        fs.rmSync(step.file);
      } catch (err) {
        throw new ShimRefusal(`cannot remove ${step.file}: ${(err as Error).message}`);
      }
      out.push(`removed ${step.file}`);
    } else if (step.action === 'leave') {
      warn(`left ${step.file} alone: ${step.why}`);
    }
  }
  if (out.length === 0) out.push(`no uvx-safe shims in ${path.resolve(ctx.cwd, dir)}`);
  process.stdout.write(out.map((line) => `${line}\n`).join(''));
  return 0;
}

export async function shimsCommand(ctx: LaunchContext, args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    process.stdout.write(
      `${USAGE}\n\n` +
        'install    write `uv` and `uvx` shims that run this uvx-safe into D (again: no change)\n' +
        'uninstall  remove them; any other file in D is left alone\n\n' +
        'D should come before the real uv on PATH. On Windows see docs/windows-shims.md.\n',
    );
    return 0;
  }
  return parsed.action === 'install' ? install(ctx, parsed.dir) : uninstall(ctx, parsed.dir);
}
