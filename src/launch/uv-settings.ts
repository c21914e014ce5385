// The second pass of prepare for `uv pip` commands whose target, prefix or interpreter uv's config files could choose: ask
// the real uv what it merged (src/uv/show-settings.ts) and judge again with its answer.

import { PolicyRefusal } from '../errors.js';
import { warn, type Debug } from '../log.js';
import type { LaunchContext } from '../context.js';
import { askUvPipSettings, ShowSettingsError, type UvPipSettings } from '../uv/show-settings.js';
import { childEnv, enforcePlan, prepare, type Prepared } from './prepare.js';

/**
 * When uv's config files could choose where a `uv pip` write lands (`askUvSettings`), asks the real uv
 * what it merged (`uv --show-settings`) and prepares again with that answer; else `prepared` as it is.
 * When uv cannot say, enforce refuses (the write cannot be judged) and warn warns.
 */
export function withUvSettings(ctx: LaunchContext, prepared: Prepared, uv: string, debug: Debug): Prepared {
  const sources = prepared.askUvSettings;
  if (!sources) return prepared;
  const command = `uv ${prepared.parsed.command.join(' ')}`;
  let settings: UvPipSettings;
  try {
    settings = askUvPipSettings(uv, prepared.uvArgs, childEnv(ctx, prepared.plan, process.pid), ctx.cwd);
  } catch (err) {
    if (!(err instanceof ShowSettingsError)) throw err;
    const message = `cannot tell where \`${command}\` writes or which Python it runs: \`uv --show-settings\` (asked because of ${sources.map((s) => s.file).join(', ')}) failed: ${err.message}`;
    const { mode } = prepared.policy.config;
    if (mode.value === 'enforce')
      throw new PolicyRefusal(`${message}; refused (mode = enforce, from ${mode.origin.source})`, { hint: 'fix the uv settings it names, or pass --target/--prefix/--python', rule: 'uv-pip-settings-unknown' });
    warn(`${message}; running anyway (mode = warn)`, { rule: 'uv-pip-settings-unknown' });
    return prepared;
  }
  debug(`uv's pip settings (${sources.map((s) => s.file).join(', ')}): ${JSON.stringify(settings)}`);
  const again = prepare(ctx, debug, { uvSettings: { settings, sources } });
  enforcePlan(again, debug, prepared);
  return again;
}

