// The launcher under ../shared/tools/landlock-run: the kernel lets it (and the uv it starts, and
// everything uv starts) write only inside the folders named, and start programs only from Node's,
// uv's and Python's folders and the system's. A write outside them fails with EACCES, so "nothing was
// written outside the roots" is the kernel's word, not a look at a few paths afterwards.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';
import { skipOrFail } from './system-tools.js';
import { getPython, getUv, runLauncher, type LauncherOptions, type RunResult } from './uv.js';

export const LANDLOCK_RUN = path.resolve(REPO_ROOT, '..', 'shared', 'tools', 'landlock-run');

/** Skips (fails under CI) when the tool or the kernel's Landlock is missing. */
export function needLandlock(ctx: { skip: (note?: string) => void }): void {
  if (!fs.existsSync(LANDLOCK_RUN)) skipOrFail(ctx, `${LANDLOCK_RUN} is missing (the shared tools folder sits beside the checkout)`);
  let abi = 0;
  try {
    abi = Number(execFileSync('python3', [LANDLOCK_RUN, '--probe'], { encoding: 'utf8' }).trim());
  } catch {
    abi = 0;
  }
  if (!(abi >= 1)) skipOrFail(ctx, 'this kernel has no Landlock (landlock-run --probe)');
}

/** runLauncher, with writes allowed only under `write` and programs started only from the toolchain's folders (and `exec`). */
export function runLauncherLandlocked(args: readonly string[], opts: LauncherOptions & { write: string[]; exec?: string[] }): Promise<RunResult> {
  const python = getPython();
  const execs = [path.dirname(process.execPath), path.dirname(getUv()), path.dirname(python), path.dirname(fs.realpathSync(python)), ...(opts.exec ?? [])];
  const rule = [...opts.write.flatMap((dir) => ['--write', dir]), ...execs.flatMap((dir) => ['--exec', dir])];
  return runLauncher(args, {
    ...opts,
    form: {
      name: 'npm',
      command: (launcherArgs) => ['python3', [LANDLOCK_RUN, ...rule, '--', process.execPath, path.join(REPO_ROOT, 'bin', 'uvx-safe'), ...launcherArgs]],
      linkAs: () => {
        throw new Error('not for landlocked runs');
      },
    },
  });
}
