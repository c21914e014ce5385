// Placeholder until `safe config` is implemented (work in progress).
import { UsageError } from '../errors.js';
import type { LaunchContext } from '../launch/context.js';

export async function configCommand(_ctx: LaunchContext, _args: string[]): Promise<number> {
  throw new UsageError('"safe config" is not implemented yet');
}
