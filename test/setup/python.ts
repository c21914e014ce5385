// Find the machine's real python3. `python3` on PATH may be a pyenv shim (a shell script
// that needs PYENV_ROOT/HOME); the tests run uv with a sandboxed HOME, where a shim would
// break, so we ask the interpreter for its own absolute path once, here, with the real env.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

export async function resolvePython(): Promise<string> {
  const result = await execa('python3', ['-c', 'import sys; print(sys.executable)'], { reject: false });
  if (result.failed || result.exitCode !== 0) {
    throw new Error(
      `The tests need python3 on PATH (uv builds and runs the test packages with it), ` +
        `but \`python3 -c "import sys; print(sys.executable)"\` failed: ` +
        `${result.code ?? `exit ${result.exitCode}`} ${result.stderr}`.trim(),
    );
  }
  const exe = result.stdout.trim();
  if (!path.isAbsolute(exe) || !fs.existsSync(exe)) {
    throw new Error(`python3 reported sys.executable = "${exe}", which is not an existing absolute path`);
  }
  return exe;
}
