// The `report` key -> the file to append to and its rotation. Pure: templates are expanded as in any
// other path value ({data-root} is the merged data root), nothing is read from disk.

import type { EffectiveConfig, Setting } from '../config/merge.js';
import { REPORT_DEFAULT_KEEP, REPORT_DEFAULT_MAX_SIZE, type ReportValue } from '../config/schema.js';
import { expandPath } from '../config/templates.js';
import type { HostInfo } from '../platform/dirs.js';
import { pathFor } from '../platform/env.js';
import { isInside } from './contain.js';
import { parseByteSize } from '../text/byte-size.js';
import type { ReportFile } from '../report/append.js';

/** The report file `config` names, or undefined when `report` is unset. Throws the ConfigError of a template that cannot be expanded. */
export function reportFile(config: EffectiveConfig, host: HostInfo): ReportFile | undefined {
  const setting = config.report;
  if (!setting) return undefined;
  const table: ReportValue = typeof setting.value === 'string' ? { path: setting.value } : setting.value;
  const expand = (s: Setting<string>, key: string, dataRoot?: string) =>
    expandPath({ raw: s.value, key, source: s.origin.source, baseDir: s.baseDir }, host, dataRoot);
  const dataRoot = config.dataRoot ? expand(config.dataRoot, 'data-root') : undefined;
  const key = typeof setting.value === 'string' ? 'report' : 'report.path';
  const file = expand({ ...setting, value: table.path }, key, dataRoot);
  const size = table['max-size'] ?? REPORT_DEFAULT_MAX_SIZE;
  const p = pathFor(host.platform);
  return {
    path: file,
    maxSize: typeof size === 'number' ? size : parseByteSize(size)!,
    keep: table.keep ?? REPORT_DEFAULT_KEEP,
    mayMakeFolder: dataRoot !== undefined && isInside(p.dirname(file), dataRoot, host.platform),
  };
}
