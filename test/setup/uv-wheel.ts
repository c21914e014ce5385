// The real uv wheel (the pinned release, for this machine) for the managed-uv tests, which serve it
// from a simple index on 127.0.0.1. Downloaded once with pip into the git-ignored .cache/.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ensureDirAtomically } from './atomic-dir.js';

/** <cacheDir>/uv-wheel-<pin>/uv-<pin>-...whl, downloaded on first use; returns the wheel's path. */
export async function ensureUvWheel(cacheDir: string, pin: string, python: string): Promise<string> {
  const target = path.join(cacheDir, `uv-wheel-${pin}`);
  const wheelIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith(`uv-${pin}-`) && f.endsWith('.whl')) : undefined);
  await ensureDirAtomically(target, async (dir) => wheelIn(dir) !== undefined, async (temp) => {
    console.log(`[global-setup] downloading the uv ${pin} wheel into ${target} (once)`);
    const args = ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', '--dest', temp, `uv==${pin}`];
    const result = await execa(python, args, { reject: false });
    if (result.exitCode !== 0)
      throw new Error(`Downloading the uv ${pin} wheel failed: \`${python} ${args.join(' ')}\` ${result.code ?? `exited ${result.exitCode}`}\n${result.stderr}`);
  });
  return path.join(target, wheelIn(target)!);
}
