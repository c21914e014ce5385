// Placeholder until `safe env` is implemented (work in progress).
import { UsageError } from '../errors.js';
import type { LaunchContext } from '../launch/context.js';

export async function envCommand(_ctx: LaunchContext, _args: string[]): Promise<number> {
  throw new UsageError('"safe env" is not implemented yet');
}
