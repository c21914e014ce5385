// The sandboxes hand uv the machine's own python3 (UV_PYTHON). A test that lets `uv pip install` run
// without a virtual environment writes into that interpreter: outside every sandbox, it survives the
// run and breaks later ones (seed-repro's "fails on noexec" tests then find the tool installed).
// The suite installs nothing into the system, so it checks: the interpreter's site-packages and
// scripts folder must be the same after the run as before, else the run fails naming what appeared.
import fs from 'node:fs';
import { execa } from 'execa';

async function folders(python: string): Promise<string[]> {
  const code = "import sysconfig; print(sysconfig.get_paths()['purelib']); print(sysconfig.get_paths()['scripts'])";
  const r = await execa(python, ['-c', code]);
  return [...new Set(r.stdout.split('\n').map((line) => line.trim()).filter(Boolean))];
}

function listing(dirs: string[]): Set<string> {
  const out = new Set<string>();
  for (const dir of dirs) for (const name of fs.readdirSync(dir, { withFileTypes: false }) as string[]) out.add(`${dir}/${name}`);
  return out;
}

/** Snapshots the interpreter now; the returned check fails the run when anything was added since. */
export async function guardMachinePython(python: string): Promise<() => void> {
  const dirs = await folders(python);
  const before = listing(dirs);
  return () => {
    const added = [...listing(dirs)].filter((entry) => !before.has(entry) && !entry.endsWith('__pycache__'));
    if (added.length === 0) return;
    // vitest reports an error thrown here but still exits 0: set the status ourselves.
    console.error(
      `[global-teardown] FAIL: a test installed into the machine's Python (${python}): ${added.join(', ')}. ` +
        `Remove it (${python} -m pip uninstall ...) and make that test use a virtual environment.`,
    );
    process.exitCode = 1;
  };
}
