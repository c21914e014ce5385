// Build the test wheels once per version of their sources: the folder name carries a hash
// of test/fixtures, so editing a recipe gives a fresh folder and never a stale wheel.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ensureDirAtomically } from './atomic-dir.js';

export const WHEEL_FILES = ['hello_cli-1.0-py3-none-any.whl', 'build_helper-1.0-py3-none-any.whl'];

/** sha256 over the relative paths and contents of every file under `dir` (bytecode caches excluded). */
export function hashTree(dir: string): string {
  const hash = createHash('sha256');
  const walk = (rel: string) => {
    const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name === '__pycache__' || entry.name.endsWith('.pyc')) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else {
        hash.update(child).update('\0').update(fs.readFileSync(path.join(dir, child))).update('\0');
      }
    }
  };
  walk('');
  return hash.digest('hex').slice(0, 16);
}

/** Make sure <cacheDir>/fixtures-<hash>/ holds the wheels built from `sourcesDir`; return that folder. */
export async function ensureFixtureWheels(cacheDir: string, sourcesDir: string, python: string): Promise<string> {
  const target = path.join(cacheDir, `fixtures-${hashTree(sourcesDir)}`);
  const isValid = async (dir: string) => WHEEL_FILES.every((f) => fs.existsSync(path.join(dir, f)));

  await ensureDirAtomically(target, isValid, async (temp) => {
    const script = path.join(sourcesDir, 'make_wheels.py');
    // No bytecode: a __pycache__ written into test/fixtures would be copied into the test trees.
    const result = await execa(python, [script, temp], { reject: false, env: { PYTHONDONTWRITEBYTECODE: '1' } });
    if (result.exitCode !== 0) {
      throw new Error(`Building the test wheels failed: \`${python} ${script} ${temp}\` ` +
        `${result.code ?? `exited ${result.exitCode}`}\n${result.stderr}`);
    }
  });
  return target;
}
