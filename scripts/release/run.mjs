// Running the packaging tools: a failure names the command and shows its output.
import { spawnSync } from 'node:child_process';

/** Runs `file args`, returns its stdout; throws with the command and its stderr when it fails. */
export function run(file, args, options = {}) {
  const r = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, ...options });
  if (r.error?.code === 'ENOENT') throw new Error(`release: ${file} is not installed (${options.hint ?? `apt-get install -y ${file}`})`);
  if (r.status !== 0) {
    throw new Error(`release: \`${file} ${args.join(' ')}\` failed (${r.status ?? r.signal ?? r.error?.message})\n${r.stderr ?? ''}${r.stdout ?? ''}`);
  }
  return r.stdout ?? '';
}
