// `uvx-safe safe ...`: the launcher's own commands, loaded only when asked for.

import { reportError, UsageError } from '../errors.js';
import { isDebug } from '../log.js';
import { didYouMean } from '../text/suggest.js';
import type { LaunchContext } from '../context.js';

const HELP = `uvx-safe: a launcher for uv that keeps every folder uv writes to or runs from inside an allowlist.

Usage: uvx-safe [uv arguments]      run uv with the organisation's relocation policy
       uvx-safe safe <command>      the launcher's own commands:

  doctor [--json]                     check every location, the real uv and the policy
  env --shell bash|zsh|fish|sh|powershell|cmd [--no-hooks | --hooks-only] [--temp]
                                      print the relocation, the tool bin folder on PATH and the uv hooks
  env --persist [--machine] [--temp] [--remove]
                                      write the relocation where every new process inherits it (or undo it)
  shims install|uninstall --dir D     put uv and uvx shims that run uvx-safe into D
  shims install|uninstall --venv P    make the Python environment P's own uv a shim
  config show|validate [FILE]|schema  the merged config with origins; check a file; JSON Schema
  version [--json]                    uvx-safe's version and the runtime it runs on
  uv install|list|remove VERSION      the managed uv, installed from uv-source into {data-root}/uv
  wheel --exe EXE --out DIR [--from WHEEL|INDEX]
                                      build the governed uv wheel (its uv, uvx, find_uv_bin() run uvx-safe)

Set UVX_SAFE_DEBUG=1 to see every decision. Docs: https://github.com/uvx-safe/uvx-safe#readme
`;

type Command = (ctx: LaunchContext, args: string[]) => Promise<number>;

// Each entry is a dynamic import: esbuild keeps it in this bundle but runs it only when called.
const COMMANDS: Record<string, () => Promise<Command>> = {
  doctor: () => import('./doctor.js').then((m) => m.doctorCommand),
  env: () => import('./env.js').then((m) => m.envCommand),
  shims: () => import('./shims.js').then((m) => m.shimsCommand),
  config: () => import('./config.js').then((m) => m.configCommand),
  version: () => import('./version.js').then((m) => m.versionCommand),
  uv: () => import('./uv.js').then((m) => m.uvCommand),
  wheel: () => import('./wheel.js').then((m) => m.wheelCommand),
};

/** Runs one `safe` command; its errors become the launcher's one line on stderr here, as exit 2. */
export async function runSafeCommand(ctx: LaunchContext, args: string[]): Promise<number> {
  try {
    const [name, ...rest] = args;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    const load = COMMANDS[name];
    if (!load) throw new UsageError(`unknown command "safe ${name}"${didYouMean(name, Object.keys(COMMANDS))}`, { hint: 'see `uvx-safe safe --help`' });
    return await (await load())(ctx, rest);
  } catch (err) {
    return reportError(err, isDebug(ctx.env));
  }
}
