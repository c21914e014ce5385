// Placeholder until `safe shims` is implemented (work in progress).
import { UsageError } from '../errors.js';
import type { LaunchContext } from '../launch/context.js';

export async function shimsCommand(_ctx: LaunchContext, _args: string[]): Promise<number> {
  throw new UsageError('"safe shims" is not implemented yet');
}
