// doctor's `report` line: whether this machine's refusals reach the admin's report file. Nothing is
// written: the file is opened as the launcher opens it, without creating it, or its folder is asked.

import type { EffectiveConfig } from '../config/merge.js';
import { ConfigError } from '../errors.js';
import type { HostInfo } from '../platform/dirs.js';
import { appendProblem } from '../report/append.js';
import { reportFile } from '../relocate/report-target.js';
import type { Check } from './types.js';

/** No line when `report` is unset; ok when a line could be appended now; warn (never fail: uv still runs) when not. */
export function reportChecks(config: EffectiveConfig, host: HostInfo): Check[] {
  if (!config.report) return [];
  const check = (status: Check['status'], message: string): Check[] => [{ id: 'report', label: 'report', status, message }];
  let file;
  try {
    file = reportFile(config, host)!;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return check('warn', `${err.message}: refusals and warnings here go unreported`);
  }
  const problem = appendProblem(file);
  if (problem) return check('warn', `${file.path}: ${problem}: refusals and warnings here go unreported (report, from ${config.report.origin.source})`);
  return check('ok', `${file.path}: refusals and warnings are appended here (rotated at ${file.maxSize} bytes, ${file.keep} kept)`);
}
