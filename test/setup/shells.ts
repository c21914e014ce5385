// zsh and fish for the `safe env` tests. Where they are missing and this is a root shell with
// apt-get (as on the CI machine), install them once; otherwise those tests skip with the reason.
import { execa } from 'execa';

const SHELLS = ['zsh', 'fish'];

async function has(program: string): Promise<boolean> {
  return (await execa('sh', ['-c', `command -v ${program}`], { reject: false })).exitCode === 0;
}

export async function ensureTestShells(): Promise<void> {
  const missing: string[] = [];
  for (const shell of SHELLS) if (!(await has(shell))) missing.push(shell);
  if (missing.length === 0) return;
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !(await has('apt-get'))) {
    console.warn(`[global-setup] ${missing.join(' and ')} not installed (needs root and apt-get); their tests will skip`);
    return;
  }
  console.warn(`[global-setup] installing ${missing.join(' ')} with apt-get (once)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = await execa('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, reject: false, timeout: 300_000 });
  if (result.exitCode !== 0) {
    // A fresh image often has no package lists yet.
    await execa('apt-get', ['update'], { env, reject: false, timeout: 300_000 });
    result = await execa('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, reject: false, timeout: 300_000 });
  }
  if (result.exitCode !== 0)
    console.warn(`[global-setup] apt-get could not install ${missing.join(' ')}; their tests will skip: ${result.stderr.trim().split('\n').pop()}`);
}
