// `uvx-safe safe ...`: the launcher's own commands, loaded only when asked for.

import { reportError, UsageError } from '../errors.js';
import { isDebug } from '../log.js';
import { didYouMean } from '../text/suggest.js';
import { asksForHelp, helpText, safeHelpText } from './help.js';
import type { LaunchContext } from '../context.js';

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
      process.stdout.write(safeHelpText());
      return 0;
    }
    const load = COMMANDS[name];
    // Help before the command runs: it never reads the policy (`safe uv list --help` with a broken policy).
    if (load && asksForHelp(rest)) {
      process.stdout.write(helpText(name));
      return 0;
    }
    if (!load) throw new UsageError(`unknown command "safe ${name}"${didYouMean(name, Object.keys(COMMANDS))}`, { hint: 'see `uvx-safe safe --help`' });
    return await (await load())(ctx, rest);
  } catch (err) {
    return reportError(err, isDebug(ctx.env));
  }
}
