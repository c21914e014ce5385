// `safe config show`: the merged config with the origin and lock of every key, like
// `git config --show-origin`, plus the layers searched and the merge's warnings. Pure.

import { envVariableFor, type Layer, type LayerName } from './layer.js';
import type { EffectiveConfig, Origin, Setting } from './merge.js';
import { LOCATION_KEYS } from './schema.js';

export interface LayerReport {
  layer: LayerName;
  /** The file, or "environment"; undefined for a project config that was not found. */
  source?: string;
  found: boolean;
  /** Project layer: where the search began. */
  searchedFrom?: string;
  /** Environment layer: the variables that set keys. */
  variables?: string[];
  /** Project layer: files skipped because another user owns them, with why. */
  ignored?: string[];
}

export interface SettingReport {
  value: unknown;
  layer: Origin['layer'];
  source: string;
  /** The UVX_SAFE_* variable, when the value comes from the environment. */
  variable?: string;
  locked: boolean;
}

export interface ShowReport {
  layers: LayerReport[];
  settings: Record<string, SettingReport>;
  locked: string[];
  lockSource?: string;
  warnings: string[];
}

export interface ShowInput {
  layers: Layer[];
  config: EffectiveConfig;
  adminFile: string;
  userFile: string;
  projectStart: string;
  warnings: string[];
  ignored?: string[];
}

function flatSettings(config: EffectiveConfig): [string, Setting<unknown> | undefined][] {
  return [
    ['mode', config.mode],
    ['allowed-roots', config.allowedRoots],
    ['data-root', config.dataRoot],
    ...LOCATION_KEYS.map((loc): [string, Setting<unknown> | undefined] => [`locations.${loc}`, config.locations[loc]]),
    ['uv-path', config.uvPath],
    ['uv-version', config.uvVersion],
    ['uv-source', config.uvSource],
    ['safe-directories', config.safeDirectories],
    ['report', config.report],
    ...Object.entries(config.env).map(([name, setting]): [string, Setting<unknown>] => [`env.${name}`, setting]),
  ];
}

export function showReport(input: ShowInput): ShowReport {
  const byName = (name: LayerName) => input.layers.find((layer) => layer.name === name);
  const env = byName('env');
  const project = byName('project');
  const layers: LayerReport[] = [
    { layer: 'admin', source: input.adminFile, found: byName('admin') !== undefined },
    { layer: 'user', source: input.userFile, found: byName('user') !== undefined },
    {
      ...(project
        ? { layer: 'project', source: project.source, found: true, searchedFrom: input.projectStart }
        : { layer: 'project', found: false, searchedFrom: input.projectStart }),
      ignored: input.ignored ?? [],
    },
    { layer: 'env', source: 'environment', found: env !== undefined, variables: env ? layerKeys(env).map(envVariableFor) : [] },
  ];

  const settings: Record<string, SettingReport> = {};
  for (const [key, setting] of flatSettings(input.config)) {
    if (!setting) continue;
    settings[key] = {
      value: setting.value,
      layer: setting.origin.layer,
      source: setting.origin.source,
      ...(setting.origin.layer === 'env' ? { variable: envVariableFor(key) } : {}),
      locked: setting.locked,
    };
  }
  return {
    layers,
    settings,
    locked: input.config.locked,
    ...(input.config.lockSource ? { lockSource: input.config.lockSource } : {}),
    warnings: input.warnings,
  };
}

/** The flat keys the environment layer sets: `mode`, `locations.cache`, ... (envLayer sets no [env] and no undefined value). */
function layerKeys(layer: Layer): string[] {
  return Object.entries(layer.config).flatMap(([key, value]) =>
    key === 'locations' ? Object.keys(value as Record<string, unknown>).map((sub) => `locations.${sub}`) : [key],
  );
}

function originText(s: SettingReport): string {
  if (s.layer === 'default') return 'default: built-in';
  return `${s.layer}: ${s.variable ?? s.source}`;
}

/** Plain text: the layers, then one `key = value   origin (locked)` line per key, then warnings. */
export function renderShowText(report: ShowReport): string {
  const out: string[] = ['# layers, lowest first'];
  out.push('default  built-in defaults');
  for (const layer of report.layers) {
    let text: string;
    if (layer.layer === 'env') text = layer.found ? layer.variables!.join(', ') : '(no UVX_SAFE_* variables set)';
    else if (layer.layer === 'project' && !layer.found) text = `(none found from ${layer.searchedFrom} up)`;
    else text = `${layer.source}${layer.found ? '' : ' (not found)'}`;
    out.push(`${layer.layer.padEnd(8)} ${text}`);
    for (const reason of layer.ignored ?? []) out.push(`ignored  ${reason}`);
  }
  out.push('', '# settings');
  const rows: [string, string][] = Object.entries(report.settings).map(([key, s]) => [
    `${key} = ${JSON.stringify(s.value)}`,
    `${originText(s)}${s.locked ? ' (locked)' : ''}`,
  ]);
  if (report.locked.length > 0) rows.push([`locked = ${JSON.stringify(report.locked)}`, `admin: ${report.lockSource}`]);
  const width = Math.min(60, Math.max(...rows.map(([left]) => left.length)));
  for (const [left, right] of rows) out.push(`${left.padEnd(width)}  ${right}`);
  if (report.warnings.length > 0) {
    out.push('', '# warnings');
    for (const warning of report.warnings) out.push(warning);
  }
  return `${out.join('\n')}\n`;
}
