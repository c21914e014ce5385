// The admin's report, heard from src/log.ts: every error and warning said on a uv call becomes one line
// of the `report` file. Nothing happens until something is said; with `report` unset, nothing at all.
// A report that cannot be written is one warning for the call, never a failure or a wait.

import os = require('node:os');
import type { LaunchContext } from '../context.js';
import type { EffectiveConfig } from '../config/merge.js';
import { readAdminLayer } from '../config/layers.js';
import { mergeLayers } from '../config/merge.js';
import { warn, type Listener } from '../log.js';
import { appendLine, ReportWriteError, type ReportFile } from '../report/append.js';
import { reportLine, type ReportFacts } from '../report/line.js';
import { reportFile } from '../relocate/report-target.js';

/**
 * The admin policy alone, for what is said before the merged policy is known (a project file that
 * cannot be parsed, a bad variable): `report` is the admin's key only, so it is the same file.
 */
function adminOnly(ctx: LaunchContext): EffectiveConfig | undefined {
  try {
    const admin = readAdminLayer(ctx.host);
    return admin ? mergeLayers([admin]) : undefined;
  } catch {
    return undefined;
  }
}

function facts(ctx: LaunchContext, config: EffectiveConfig, launcher: string): ReportFacts {
  let user: string | null;
  try {
    user = ctx.host.user;
  } catch {
    user = null;
  }
  return {
    time: new Date(),
    user,
    host: os.hostname(),
    cwd: ctx.cwd,
    argv: [ctx.invokedAs, ...ctx.args],
    pid: process.pid,
    launcher,
    mode: config.mode.value,
  };
}

function why(err: unknown): string {
  if (err instanceof ReportWriteError) return err.message;
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? e?.message ?? String(err);
}

/**
 * A listener for log.ts that appends to the report `policy()` names (the merged policy once the
 * launcher has read it; before that, the admin policy read again on the first message). `launcher`:
 * uvx-safe's version, for each line.
 */
export function reportListener(ctx: LaunchContext, launcher: string, policy: () => EffectiveConfig | undefined): Listener {
  let off = false;
  let early: EffectiveConfig | undefined | null;
  return (level, message, said) => {
    if (off) return;
    const config = policy() ?? (early === undefined ? (early = adminOnly(ctx) ?? null) : early) ?? undefined;
    if (!config?.report) return;
    let file: ReportFile | undefined;
    try {
      file = reportFile(config, ctx.host);
      if (!file) return;
      appendLine(file, reportLine({ level, message, hint: said.hint, rule: said.rule ?? level }, facts(ctx, config, launcher)));
    } catch (err) {
      // Once per call, and never about itself (warn() comes back here).
      off = true;
      const where = file ? `the report file ${file.path}` : `the report file of ${config.report.origin.source}`;
      warn(`cannot append to ${where} (${why(err)}); this call is not reported`, {
        hint: 'the admin policy\'s `report` key names it: make its folder writable for every user, or see docs/config-reference.md#report',
        rule: 'report-failed',
      });
    }
  };
}
