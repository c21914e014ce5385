// The real uv clients (tox + tox-uv, hatch, nox, pre-commit + pre-commit-uv, pdm), pinned, each
// with the `uv` package (so its own uv binary) inside. Their wheels are downloaded from PyPI once
// into the git-ignored .cache/ (by the test set-up: the first test file that needs them); each run
// then builds one venv per client from those wheels, offline, in a folder of its own.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ensureDirAtomically } from './atomic-dir.js';
import { UV_PIN } from './uv-binary.js';

/** What each client venv holds (besides uv==UV_PIN). Versions resolved together on 2026-11-29. */
export const CLIENTS = {
  tox: ['tox==4.67.15', 'tox-uv==1.37.1', 'tox-uv-bare==1.37.1'],
  hatch: ['hatch==1.18.2'],
  nox: ['nox==2026.10.20'],
  'pre-commit': ['pre-commit==4.7.0', 'pre-commit-uv==4.4.1'],
  // hishel 2 (resolved by pip for pdm's "hishel>=1.4.0") lacks SyncSqliteStorage, which pdm 2.29.4 needs.
  pdm: ['pdm==2.29.4', 'hishel==1.4.0'],
  /** The governed wheel's clients (issue 17): pipx[uv] and build[uv], installed from a loopback index. */
  pipx: ['pipx==1.18.4'],
  build: ['build==1.6.1'],
  /** A bare environment with only the uv package: `python -m uv`. */
  uv: [],
} as const satisfies Record<string, readonly string[]>;

export type ClientName = keyof typeof CLIENTS;

/** Wheels the clients build with, offline: pre-commit-uv seeds its venvs (pip, setuptools, wheel) and its placeholder package is a setuptools project. */
const BUILD_WHEELS = ['setuptools==80.9.0', 'pip==26.3', 'wheel==0.48.0'];

function requirements(): string[] {
  return [`uv==${UV_PIN}`, ...Object.values(CLIENTS).flat(), ...BUILD_WHEELS];
}

/** .cache/client-wheels-<hash of the pins>: every wheel the client venvs need, downloaded once. */
export async function ensureClientWheels(cacheDir: string, python: string): Promise<string> {
  const reqs = requirements();
  const hash = createHash('sha256').update(reqs.join('\n')).digest('hex').slice(0, 12);
  const target = path.join(cacheDir, `client-wheels-${hash}`);
  const done = (dir: string) => path.join(dir, 'requirements.txt');
  const isValid = async (dir: string) => fs.existsSync(done(dir));
  await ensureDirAtomically(target, isValid, async (temp) => {
    console.log(`[test set-up] downloading the uv clients' wheels into ${target} (once)`);
    const args = ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--only-binary', ':all:', '-d', temp, ...reqs];
    const r = await execa(python, args, { reject: false });
    if (r.exitCode !== 0) throw new Error(`\`${python} ${args.join(' ')}\` failed: ${r.stderr.trim().split('\n').pop()}`);
    // Written last: its presence says the download finished.
    fs.writeFileSync(done(temp), `${reqs.join('\n')}\n`);
  });
  return target;
}

/**
 * Create <dir>/<client> with `uv venv` and install the client and uv==UV_PIN into it from
 * `wheels` only. Returns the venv. `uvCache` must be an executable folder (not the noexec profile).
 */
export async function makeClientVenv(
  client: ClientName,
  dir: string,
  opts: { uv: string; python: string; wheels: string; uvCache: string },
): Promise<string> {
  const venv = path.join(dir, client);
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, UV_CACHE_DIR: opts.uvCache, UV_NO_CONFIG: '1', UV_PYTHON_DOWNLOADS: 'never' };
  const run = async (args: string[]) => {
    const r = await execa(opts.uv, args, { env, extendEnv: false, reject: false });
    if (r.exitCode !== 0) throw new Error(`\`uv ${args.join(' ')}\` failed:\n${r.stderr}`);
  };
  await run(['venv', '--quiet', '--python', opts.python, venv]);
  const pkgs = [`uv==${UV_PIN}`, ...CLIENTS[client]];
  await run(['pip', 'install', '--quiet', '--offline', '--no-index', '--find-links', opts.wheels, '--python', path.join(venv, 'bin', 'python'), ...pkgs]);
  return venv;
}
