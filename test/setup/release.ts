// The release artefacts the release tests check (test/e2e/release*.test.ts), built once by
// `npm run release`'s script into .cache/release-<hash of its inputs>/ and reused while the sources,
// scripts and lock file stay the same:
//   dist/      every artefact, signed with a throw-away certificate (signing/cert.pem, made here)
//   upgrade/   the MSI of the next patch version, built by the documented procedure (version bump,
//              release) in a scratch copy of the checkout: what an upgrade in place installs
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../helpers/paths.js';
import { missingTools } from '../helpers/system-tools.js';
import { ensureDirAtomically } from './atomic-dir.js';
import { hashTree } from './fixture-wheels.js';

const run = promisify(execFile);

/** Where the release of the current sources lies. */
export interface ReleaseBuild {
  dir: string;
  version: string;
  /** The throw-away certificate the .exe and .msi are signed with (PEM). */
  signingCert: string;
  /** The MSI of the next patch version, and that version. */
  upgradeMsi: string;
  upgradeVersion: string;
}

/** Tools the release needs, with the Debian packages that bring them. */
const TOOLS: [string, string][] = [
  ['wixl', 'wixl'],
  ['msibuild', 'msitools'],
  ['msiinfo', 'msitools'],
  ['dpkg-deb', 'dpkg'],
  ['osslsigncode', 'osslsigncode'],
  ['openssl', 'openssl'],
];

/** One line naming what is missing and how to get it, or undefined. */
export const missingReleaseTools = (): string | undefined => missingTools(TOOLS, 'the release tests skip');


/** The checkout's files a release is made from (what `npm pack` and the build read). */
const INPUT_FILES = ['package.json', 'package-lock.json', 'README.md', 'LICENSE', 'tsconfig.json'];
const INPUT_DIRS = ['bin', 'docs', 'scripts', 'src'];

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUT_FILES) hash.update(file).update(fs.readFileSync(path.join(REPO_ROOT, file)));
  for (const dir of INPUT_DIRS) hash.update(dir).update(hashTree(path.join(REPO_ROOT, dir)));
  return hash.digest('hex').slice(0, 16);
}

export const nextPatch = (version: string): string => version.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_, a, b, c) => `${a}.${b}.${Number(c) + 1}`);

async function makeCertificate(dir: string): Promise<{ cert: string; key: string }> {
  fs.mkdirSync(dir, { recursive: true });
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '3650', '-subj', '/CN=uvx-safe test signing (throw-away)']);
  return { cert, key };
}

async function release(checkout: string, out: string, env: NodeJS.ProcessEnv, only?: string): Promise<void> {
  await run(process.execPath, [path.join(checkout, 'scripts', 'release.mjs'), '--out', out, ...(only ? ['--only', only] : [])], {
    cwd: checkout,
    env,
    maxBuffer: 64 * 2 ** 20,
  });
}

/** The next version's MSI, by the documented procedure in a scratch copy of the checkout. */
async function buildUpgrade(out: string, version: string, signingEnv: NodeJS.ProcessEnv): Promise<void> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-release-upgrade-'));
  try {
    for (const entry of [...INPUT_FILES, ...INPUT_DIRS]) fs.cpSync(path.join(REPO_ROOT, entry), path.join(copy, entry), { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    await run('npm', ['version', '--no-git-tag-version', version], { cwd: copy });
    await release(copy, out, signingEnv, 'msi');
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

export async function ensureRelease(cacheDir: string): Promise<ReleaseBuild> {
  const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
  const upgradeVersion = nextPatch(version);
  const name = `release-${inputsHash()}`;
  const root = path.join(cacheDir, name);
  const layout = (dir: string): ReleaseBuild => ({
    dir: path.join(dir, 'dist'),
    version,
    signingCert: path.join(dir, 'signing', 'cert.pem'),
    upgradeMsi: path.join(dir, 'upgrade', `uvx-safe-${upgradeVersion}-x64.msi`),
    upgradeVersion,
  });
  await ensureDirAtomically(
    root,
    async (dir) => fs.existsSync(path.join(dir, '.ready')),
    async (temp) => {
      console.log(`[global-setup] building the release (npm run release, and the next version's MSI) into ${root} (once per change)`);
      const { cert, key } = await makeCertificate(path.join(temp, 'signing'));
      const env = { ...process.env, UVX_SAFE_SIGN_CERT: cert, UVX_SAFE_SIGN_KEY: key };
      await release(REPO_ROOT, layout(temp).dir, env);
      await buildUpgrade(path.join(temp, 'upgrade'), upgradeVersion, env);
      fs.writeFileSync(path.join(temp, '.ready'), '');
    },
  );
  // A release of older sources is ~350 MB that nothing uses any more.
  for (const entry of fs.readdirSync(cacheDir)) if (/^release-[0-9a-f]{16}$/.test(entry) && entry !== name) fs.rmSync(path.join(cacheDir, entry), { recursive: true, force: true });
  return layout(root);
}
