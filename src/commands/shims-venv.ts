// `uvx-safe safe shims install|uninstall --venv P`: the environment's own uv becomes a shim, its
// real uv is kept beside it (src/shims/venv.ts decides; this file writes). Each change is one
// rename within the scripts folder, so a crash leaves either the real uv or the shim with the real
// uv kept, and the next run finishes the job.

import crypto = require('node:crypto');
import fs = require('node:fs');
import path = require('node:path');
import type { LaunchContext } from '../context.js';
import { warn } from '../log.js';
import { checkShimFolder, probeShimFolder } from '../shims/node-folder.js';
import { nodeShimHost } from '../shims/node-host.js';
import { deleteWhenFree } from '../shims/after-exit.js';
import { placeShim, removeIfIdle } from '../shims/place.js';
import { ShimRefusal } from '../shims/plan.js';
import { planVenvInstall, planVenvUninstall, type VenvInput, type VenvInstallPlan } from '../shims/venv.js';
import type { ShimArgs } from './shims-args.js';
import { chooseSource } from './shims-source.js';

export interface KeptFileRecord {
  /** The file name in the scripts folder (uv, uvx.exe ...). */
  file: string;
  sha256: string;
  size: number;
}

/** The manifest beside the kept binaries: what was kept, so uninstall and doctor can check it. */
export interface KeptManifest {
  'uvx-safe-kept-uv': 1;
  /** The environment whose scripts folder this is. */
  venv: string;
  files: Partial<Record<'uv' | 'uvx', KeptFileRecord>>;
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function tempBeside(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.uvx-safe-${process.pid}.tmp`);
}

function fail(what: string, err: unknown): never {
  throw new ShimRefusal(`${what}: ${(err as Error).message}`, { hint: 'check that you may write to the environment (its owner, a read-only mount), then run the command again' });
}

/** Puts a second name on `from` at `to` (replacing `to` atomically): a hard link, else a full copy. */
function keepCopy(from: string, to: string): void {
  const tmp = tempBeside(to);
  try {
    fs.rmSync(tmp, { force: true });
    try {
      fs.linkSync(from, tmp);
    } catch {
      // No hard links here (some network and FAT file systems): a copy, flushed before the rename.
      fs.copyFileSync(from, tmp, fs.constants.COPYFILE_EXCL);
      fs.chmodSync(tmp, fs.statSync(from).mode & 0o7777);
      const fd = fs.openSync(tmp, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    fs.renameSync(tmp, to);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    fail(`cannot keep ${from} at ${to}`, err);
  }
}

function writeAtomically(file: string, content: string, mode: number): void {
  const tmp = tempBeside(file);
  try {
    fs.rmSync(tmp, { force: true }); // a symlink planted at this name is removed, never followed
    fs.writeFileSync(tmp, content, { mode, flag: 'wx' });
    fs.chmodSync(tmp, mode); // the umask may have cleared bits
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    fail(`cannot write ${file}`, err);
  }
}

export function readManifest(file: string): KeptManifest | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as KeptManifest;
    return parsed && parsed['uvx-safe-kept-uv'] === 1 && typeof parsed.files === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function writeManifest(plan: VenvInstallPlan): void {
  const manifest: KeptManifest = { 'uvx-safe-kept-uv': 1, venv: plan.venv, files: {} };
  for (const step of plan.steps) {
    if (!fs.existsSync(step.kept)) continue;
    manifest.files[step.name] = { file: path.basename(step.file), sha256: sha256(step.kept), size: fs.statSync(step.kept).size };
  }
  writeAtomically(plan.manifest, `${JSON.stringify(manifest, null, 2)}\n`, 0o644);
}

function venvInput(ctx: LaunchContext, args: ShimArgs): VenvInput {
  return { platform: ctx.host.platform, venv: args.dir, cwd: ctx.cwd, self: ctx.self, stamp: String(process.pid) };
}

export function installVenv(ctx: LaunchContext, args: ShimArgs): number {
  const host = nodeShimHost(ctx.env, ctx.host.platform);
  const source = chooseSource(ctx, args.exe, host);
  const plan = planVenvInstall(venvInput(ctx, args), source, host);
  // Put where the installer says (allowed-roots is where uv writes, not this); the environment's
  // scripts folder must be the installer's alone, and programs should be able to run there.
  const folderWarning = checkShimFolder(plan.dir, ctx.host.platform);
  const probeWarning = probeShimFolder(plan.dir, ctx.host.platform, source);
  const out: string[] = [];
  const busy: string[] = [];
  if (plan.steps.some((s) => s.save !== 'none')) {
    try {
      fs.mkdirSync(plan.keptDir, { recursive: true, mode: 0o755 });
    } catch (err) {
      fail(`cannot create ${plan.keptDir}`, err);
    }
  }
  // 1. Keep every real file first; 2. record them; 3. only then put the shims in their place.
  for (const step of plan.steps) {
    if (step.note) warn(step.note);
    if (step.save !== 'none') keepCopy(step.file, step.kept);
  }
  if (plan.steps.some((s) => s.save !== 'none') || !fs.existsSync(plan.manifest)) writeManifest(plan);
  for (const step of plan.steps) {
    if (step.shim === 'write')
      placeShim({ name: step.name, file: step.file, action: step.aside ? 'replace' : 'create', aside: step.aside }, source, String(process.pid), busy);
    out.push(`${step.shim === 'keep' ? 'unchanged' : 'installed'} ${step.file} (the real ${step.name} is kept at ${step.kept})`);
  }
  process.stdout.write(out.map((line) => `${line}\n`).join(''));
  for (const line of [folderWarning, probeWarning]) if (line) warn(line);
  deleteWhenFree(busy, ctx.env);
  return 0;
}

export function uninstallVenv(ctx: LaunchContext, args: ShimArgs): number {
  const host = nodeShimHost(ctx.env, ctx.host.platform);
  const plan = planVenvUninstall(venvInput(ctx, args), host);
  const manifest = readManifest(plan.manifest);
  const out: string[] = [];
  const busy: string[] = [];
  for (const step of plan.steps) {
    if (step.action === 'restore') {
      const recorded = manifest?.files[step.name];
      if (recorded && recorded.sha256 !== sha256(step.kept))
        warn(`${step.kept} differs from what ${plan.manifest} recorded (sha256 ${recorded.sha256}); restoring it anyway`);
      try {
        // Windows: a running shim cannot be replaced, but can be renamed out of the way first.
        if (step.aside && fs.existsSync(step.file)) fs.renameSync(step.file, step.aside);
        fs.renameSync(step.kept, step.file);
      } catch (err) {
        fail(`cannot put ${step.kept} back at ${step.file}`, err);
      }
      if (step.aside && !removeIfIdle(step.aside)) busy.push(step.aside);
      out.push(`restored ${step.file}`);
    } else if (step.action === 'remove-shim') {
      try {
        fs.rmSync(step.file);
      } catch (err) {
        fail(`cannot remove ${step.file}`, err);
      }
      warn(`removed the shim ${step.file}, but ${step.why}: reinstall the uv package to get it back`);
      out.push(`removed ${step.file}`);
    } else if (step.action === 'drop-kept') {
      fs.rmSync(step.kept);
    } else {
      warn(`left ${step.kept}: ${step.why}`);
    }
  }
  if (!plan.steps.some((s) => s.action === 'leave-kept')) {
    fs.rmSync(plan.manifest, { force: true });
    try {
      fs.rmdirSync(plan.keptDir);
    } catch {
      // Absent, or holds something we did not put there: left alone.
    }
  }
  if (out.length === 0) out.push(`no uvx-safe shims in ${plan.dir}`);
  process.stdout.write(out.map((line) => `${line}\n`).join(''));
  deleteWhenFree(busy, ctx.env);
  return 0;
}
