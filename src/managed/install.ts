// Installing the managed uv: pick the version on the index, download and verify the wheel, extract
// uv and uvx into a temp folder inside the store, check that the binary runs and says the right
// version, then rename it to `{store}/<version>` — all under the store's lock, so parallel first
// runs install once. Only the installer bundle (dist/managed-install.cjs) holds this code.

import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs = require('node:fs');
import path = require('node:path');
import { UvSourceError, UvVersionError } from '../errors.js';
import type { Debug } from '../log.js';
import type { EnvMap } from '../platform/env.js';
import { parseUvVersionOutput, RANGE_HINT } from '../uv/version.js';
import { readNetrc } from './auth.js';
import { downloadVerified, type Progress } from './download.js';
import { extractBinaries } from './extract.js';
import { detectHost } from './host.js';
import { httpClient, type HttpClient } from './http.js';
import { acquireLock } from './lock.js';
import { listUvFiles } from './simple-index.js';
import type { UvSourceSpec } from './source.js';
import { binaryName, INSTALL_RECORD, installedVersions, pickInstalled, type InstallRecord, type InstalledUv } from './store.js';
import { describeHost, pickWheel, type HostPlatform, type WheelChoice } from './wheel.js';

export interface InstallRequest {
  source: UvSourceSpec;
  store: string;
  range?: string;
  rangeOrigin?: string;
  env: EnvMap;
  home: string;
  debug: Debug;
  /** Called with one line when something was installed, and with progress while downloading. */
  report: Reporter;
}

export interface Reporter {
  progress(version: string, received: number, total: number | undefined): void;
  done(line: string): void;
}

export interface Resolved {
  choice: WheelChoice;
  host: HostPlatform;
}

function whatSource(source: UvSourceSpec): string {
  return `uv-source ${source.shown} (from ${source.origin})`;
}

function client(req: Pick<InstallRequest, 'source' | 'env' | 'home' | 'debug'>): HttpClient {
  const index = req.source.kind === 'url' ? req.source.url : new URL('file:///');
  const auth = { index, env: req.env, platform: process.platform, netrc: readNetrc(req.env, req.home, process.platform) };
  return httpClient(auth, req.env, process.platform, req.debug);
}

/** The newest version on the source that satisfies the range and has a wheel for this machine. */
export async function resolveOnIndex(
  req: Pick<InstallRequest, 'source' | 'range' | 'rangeOrigin' | 'env' | 'home' | 'debug'>,
  host: HostPlatform = detectHost(),
): Promise<Resolved> {
  const http = client(req);
  try {
    const files = await listUvFiles(req.source, http);
    let choice: WheelChoice | undefined;
    try {
      choice = pickWheel(files, host, req.range);
    } catch (err) {
      throw new UvVersionError(`${req.rangeOrigin}: uv-version "${req.range}" is not a valid range: ${(err as Error).message}`, { hint: RANGE_HINT });
    }
    if (!choice) {
      const wanted = req.range ? ` satisfying uv-version "${req.range}" (from ${req.rangeOrigin})` : '';
      throw new UvSourceError(`${whatSource(req.source)} has no uv wheel for ${describeHost(host)}${wanted}`, {
        hint: 'publish a uv wheel for this platform on uv-source, or widen uv-version',
      });
    }
    req.debug(`index: uv ${choice.version} is the newest for ${describeHost(host)}: ${choice.file.filename}`);
    return { choice, host };
  } finally {
    await http.close();
  }
}

/** Runs the extracted uv: it must start from the store (noexec would stop it) and be the version named. */
function checkRuns(uv: string, version: string): void {
  let output: string;
  try {
    output = execFileSync(uv, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    throw new UvSourceError(`the uv extracted to ${uv} does not run (${e.code ?? e.stderr?.trim() ?? e.message}); nothing installed`, {
      hint: 'run `uvx-safe safe doctor`: data-root must be on a mount that allows running programs',
    });
  }
  const said = parseUvVersionOutput(output);
  if (said !== version)
    throw new UvSourceError(`the uv wheel for ${version} holds uv ${said ?? `"${output.trim()}"`}; refused, nothing installed`, { hint: 'fix the wheel on uv-source: its name and its uv must agree' });
}

/**
 * Removes a temp folder, best effort: a leftover is only disk space, removed by a later install
 * (removeLeftovers), and Bun's recursive rm fails under Wine with EFAULT on an empty folder.
 */
function removeQuietly(dir: string): void {
  try {
    fs.rmdirSync(dir);
    return;
  } catch {
    // Not empty, or gone: the recursive way below.
  }
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // Left for removeLeftovers.
  }
}

/** Temp folders older than this are a crashed install's leftovers. */
const LEFTOVER_MS = 60 * 60_000;

function removeLeftovers(store: string): void {
  for (const name of fs.readdirSync(store)) {
    if (!name.startsWith('.tmp-')) continue;
    const dir = path.join(store, name);
    const stat = fs.statSync(dir, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > LEFTOVER_MS) removeQuietly(dir);
  }
}

/**
 * Where a wheel may come from: a folder source's own files; for an index, https, or the index's own
 * origin (an http index is loopback only). The sha256 is checked anyway; this keeps credentials off
 * plain http and stops an index from pointing at a file on this machine.
 */
export function checkWheelUrl(url: string, source: UvSourceSpec): void {
  const target = new URL(url);
  const ok =
    source.kind === 'folder'
      ? target.protocol === 'file:'
      : target.protocol === 'https:' || (target.protocol === 'http:' && target.origin === source.url.origin);
  if (!ok)
    throw new UvSourceError(`${whatSource(source)} links the uv wheel to ${url}: only https (or the index's own host) is accepted; refused, nothing installed`, {
      hint: 'serve the wheels over https, or from the index itself',
    });
}

/** The install record (store.ts): each extracted file's size and sha256, written before the folder moves into place. */
function writeInstallRecord(dir: string, version: string, source: string): void {
  const files: InstallRecord['files'] = {};
  for (const name of fs.readdirSync(dir)) {
    const bytes = fs.readFileSync(path.join(dir, name));
    files[name] = { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  const record: InstallRecord = { 'uvx-safe-managed-uv': 1, version, source, files };
  fs.writeFileSync(path.join(dir, INSTALL_RECORD), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

async function installChoice(req: InstallRequest, resolved: Resolved): Promise<InstalledUv> {
  const { choice } = resolved;
  checkWheelUrl(choice.file.url, req.source);
  const target = path.join(req.store, choice.version);
  const temp = path.join(req.store, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(temp, { mode: 0o700 });
  const http = client(req);
  try {
    const wheel = path.join(temp, choice.file.filename.replace(/[\\/]/g, '_'));
    const progress: Progress = (received, total) => req.report.progress(choice.version, received, total);
    await downloadVerified(choice.file, wheel, http, whatSource(req.source), progress);
    req.debug(`downloaded ${wheel}; sha256 matches the index`);
    const bin = path.join(temp, choice.version);
    extractBinaries(wheel, bin, process.platform);
    fs.rmSync(wheel);
    req.debug(`extracted uv and uvx into ${bin}`);
    checkRuns(path.join(bin, binaryName('uv', process.platform)), choice.version);
    writeInstallRecord(bin, choice.version, req.source.shown);
    // A version folder without a matching record was not installed here (the finder ignores it): replaced.
    if (fs.existsSync(target) && !installedVersions(req.store, process.platform).some((uv) => uv.version === choice.version)) {
      const doomed = path.join(req.store, `.tmp-remove-${process.pid}-${randomBytes(4).toString('hex')}`);
      fs.renameSync(target, doomed);
      removeQuietly(doomed);
    }
    try {
      fs.renameSync(bin, target);
    } catch (err) {
      // Another installer (a lock taken over as stale) got there first: its copy is as good.
      if (!installedVersions(req.store, process.platform).some((uv) => uv.version === choice.version)) throw err;
    }
    req.report.done(`installed uv ${choice.version} into ${target} (from ${req.source.shown})`);
    return { version: choice.version, path: path.join(target, binaryName('uv', process.platform)) };
  } finally {
    await http.close();
    removeQuietly(temp);
  }
}

/**
 * The installed uv that satisfies the range; installs the newest from the source when none does.
 * `force` resolves on the index even when one is installed (`safe uv install` then gets the newest).
 */
export async function ensureManagedUv(req: InstallRequest, force = false): Promise<InstalledUv & { installedNow: boolean }> {
  fs.mkdirSync(req.store, { recursive: true, mode: 0o700 });
  const lock = await acquireLock(path.join(req.store, '.install.lock'), req.debug);
  try {
    const present = pickInstalled(installedVersions(req.store, process.platform), req.range);
    if (present && !force) return { ...present, installedNow: false };
    removeLeftovers(req.store);
    const resolved = await resolveOnIndex(req);
    const same = installedVersions(req.store, process.platform).find((uv) => uv.version === resolved.choice.version);
    if (same) return { ...same, installedNow: false };
    return { ...(await installChoice(req, resolved)), installedNow: true };
  } finally {
    lock.release();
  }
}

/** Removes one installed version, under the lock (a running uv.exe on Windows makes this fail, said so). */
export async function removeInstalled(store: string, version: string, debug: Debug): Promise<boolean> {
  const dir = path.join(store, version);
  if (!fs.existsSync(dir)) return false;
  const lock = await acquireLock(path.join(store, '.install.lock'), debug);
  try {
    // Renamed away first, so that the hot path never sees a half-deleted version.
    const doomed = path.join(store, `.tmp-remove-${process.pid}-${randomBytes(4).toString('hex')}`);
    fs.renameSync(dir, doomed);
    removeQuietly(doomed);
    return true;
  } finally {
    lock.release();
  }
}

/**
 * `safe wheel --from` an index: the newest uv wheel the range allows for `host` (another machine's
 * platform), downloaded into `dir` with its sha256 checked. Returns the file.
 */
export async function downloadUvWheel(req: Omit<InstallRequest, 'store'>, host: HostPlatform, dir: string): Promise<string> {
  const { choice } = await resolveOnIndex(req, host);
  checkWheelUrl(choice.file.url, req.source);
  const http = client(req);
  try {
    const file = path.join(dir, choice.file.filename.replace(/[\\/]/g, '_'));
    await downloadVerified(choice.file, file, http, whatSource(req.source), (received, total) => req.report.progress(choice.version, received, total));
    req.debug(`downloaded ${file}; sha256 matches the index`);
    return file;
  } finally {
    await http.close();
  }
}
