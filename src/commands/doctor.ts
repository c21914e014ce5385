// Placeholder until `safe doctor` is implemented (work in progress).
import { UsageError } from '../errors.js';
import type { LaunchContext } from '../launch/context.js';

export async function doctorCommand(_ctx: LaunchContext, _args: string[]): Promise<number> {
  throw new UsageError('"safe doctor" is not implemented yet');
}
