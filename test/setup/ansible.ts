// ansible-core, pinned, for the Ansible example's test (examples/ansible): installed from PyPI once
// into the git-ignored .cache/ by the first test that needs it (pip --target: no venv, whose
// absolute paths would not survive the move into place), then reused offline.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ensureDirAtomically } from './atomic-dir.js';

/** The newest ansible-core for the machine's Python 3.11 (2.20 needs 3.12). */
export const ANSIBLE_CORE_PIN = '2.19.14';

export interface Ansible {
  /** The folder to put on PYTHONPATH. */
  lib: string;
  /** The ansible-playbook script, run as `python SCRIPT ...`. */
  playbook: string;
}

export async function ensureAnsible(cacheDir: string, python: string): Promise<Ansible> {
  const target = path.join(cacheDir, `ansible-core-${ANSIBLE_CORE_PIN}`);
  const done = (dir: string) => path.join(dir, 'installed.txt');
  await ensureDirAtomically(target, async (dir) => fs.existsSync(done(dir)), async (temp) => {
    console.log(`[test set-up] installing ansible-core ${ANSIBLE_CORE_PIN} into ${target} (once)`);
    const args = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--only-binary', ':all:', '--target', temp, `ansible-core==${ANSIBLE_CORE_PIN}`];
    const r = await execa(python, args, { reject: false });
    if (r.exitCode !== 0) throw new Error(`\`${python} ${args.join(' ')}\` failed: ${r.stderr.trim().split('\n').pop()}`);
    // Written last: its presence says the install finished.
    fs.writeFileSync(done(temp), `ansible-core==${ANSIBLE_CORE_PIN}\n`);
  });
  return { lib: target, playbook: path.join(target, 'bin', 'ansible-playbook') };
}
