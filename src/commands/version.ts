// `uvx-safe safe version [--json]`: uvx-safe's version and the runtime it runs on.

import type { LaunchContext } from '../context.js';
import { currentFacts, selfIdentity } from '../launch/self.js';
import { VERSION, currentRuntime, versionLine } from '../version.js';
import { unexpectedArgument } from './help.js';

export async function versionCommand(ctx: LaunchContext, args: string[]): Promise<number> {
  const json = args[0] === '--json';
  if (args.length > (json ? 1 : 0)) throw unexpectedArgument('version', args[json ? 1 : 0]!);
  const runtime = currentRuntime(selfIdentity(currentFacts()).form);
  const out = json
    ? `${JSON.stringify({ version: VERSION, ...runtime, executable: ctx.launcherPath }, null, 2)}\n`
    : `${versionLine(runtime)}\n`;
  process.stdout.write(out);
  return 0;
}
