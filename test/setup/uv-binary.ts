// Which uv the suite runs: UVX_SAFE_TEST_UV if set, else a pinned release installed once
// from its PyPI wheel (which carries the binary in bin/) into the git-ignored .cache/.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { NEWEST_CHECKED_UV, OLDEST_CHECKED_UV } from '../../src/uv/argv.js';
import { ensureDirAtomically } from './atomic-dir.js';

/** The uv release the suite is written against; the error texts the tests match are this version's. */
export const UV_PIN = '0.13.9';

export interface UvBinary {
  path: string;
  version: string;
}

/** `uv --version` prints "uv 0.13.9 (x86_64-unknown-linux-gnu)"; return "0.13.9", or undefined if uv won't run. */
export async function uvVersion(uvPath: string): Promise<string | undefined> {
  const result = await execa(uvPath, ['--version'], { reject: false });
  if (result.exitCode !== 0) return undefined;
  return /^uv (\S+)/.exec(result.stdout.trim())?.[1];
}

/** The uv from UVX_SAFE_TEST_UV, or the pinned one under `cacheDir` (installed on first use). */
export async function resolveUv(cacheDir: string, python: string): Promise<UvBinary> {
  const override = process.env.UVX_SAFE_TEST_UV;
  if (override) {
    const uvPath = path.resolve(override);
    if (!fs.existsSync(uvPath)) {
      throw new Error(`UVX_SAFE_TEST_UV=${override}: no such file. Point it at a uv binary, or unset it to use uv ${UV_PIN}.`);
    }
    const version = await uvVersion(uvPath);
    if (!version) throw new Error(`UVX_SAFE_TEST_UV=${override}: \`${uvPath} --version\` did not print a uv version`);
    return { path: uvPath, version };
  }
  return { path: await ensurePinnedUv(cacheDir, UV_PIN, python), version: UV_PIN };
}

/** Install uv==`pin` with pip into <cacheDir>/uv-<pin> unless a working copy is there; return its binary. */
export async function ensurePinnedUv(cacheDir: string, pin: string, python: string): Promise<string> {
  const target = path.join(cacheDir, `uv-${pin}`);
  const binary = (dir: string) => path.join(dir, 'bin', 'uv');
  const isValid = async (dir: string) => fs.existsSync(binary(dir)) && (await uvVersion(binary(dir))) === pin;

  await ensureDirAtomically(target, isValid, async (temp) => {
    console.log(`[global-setup] installing uv ${pin} into ${target} (once; set UVX_SAFE_TEST_UV to use another uv)`);
    const args = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', temp, `uv==${pin}`];
    const result = await execa(python, args, { reject: false });
    if (result.exitCode !== 0) {
      throw new Error(
        `Installing uv ${pin} failed: \`${python} ${args.join(' ')}\` ` +
          `${result.code ?? `exited ${result.exitCode}`}\n${result.stderr}\n` +
          `Set UVX_SAFE_TEST_UV to an existing uv binary to skip this install.`,
      );
    }
  });
  return binary(target);
}

/**
 * The uv releases test/unit/argv.test.ts holds the argv tables against: the oldest supported, the
 * suite's uv and the newest checked one (NEWEST_CHECKED_UV, a constant: a uv published on PyPI
 * later does not change the suite; `npm run argv:check-latest` checks that one).
 */
export async function resolveArgvCheckUvs(cacheDir: string, python: string, suiteUv: UvBinary): Promise<UvBinary[]> {
  const uvs = new Map<string, UvBinary>([[suiteUv.version, suiteUv]]);
  for (const version of [OLDEST_CHECKED_UV, UV_PIN, NEWEST_CHECKED_UV]) {
    if (!uvs.has(version)) uvs.set(version, { version, path: await ensurePinnedUv(cacheDir, version, python) });
  }
  return [...uvs.values()];
}
