// Where a value came from, as facts (for --json) and as words (for the human output).

import { envVariableFor } from '../config/layer.js';
import type { EffectiveConfig, Setting } from '../config/merge.js';
import type { LocationDecision } from '../relocate/plan.js';
import type { SourceFacts } from './types.js';

export { envVariableFor };

export function settingSource(setting: Setting<unknown>, key: string): SourceFacts {
  const { layer, source } = setting.origin;
  if (layer === 'default') return { kind: 'default', layer, file: null, variable: null, locked: setting.locked };
  if (layer === 'env')
    return { kind: 'config', layer, file: null, variable: envVariableFor(key), locked: setting.locked };
  return { kind: 'config', layer, file: source, variable: null, locked: setting.locked };
}

export function decisionSource(decision: LocationDecision, config: EffectiveConfig): SourceFacts {
  switch (decision.source) {
    case 'config': {
      const setting = config.locations[decision.name as keyof EffectiveConfig['locations']];
      if (setting) return settingSource(setting, `locations.${decision.name}`);
      break;
    }
    case 'data-root':
      if (config.dataRoot) return { ...settingSource(config.dataRoot, 'data-root'), kind: 'data-root' };
      break;
    case 'env':
    case 'flag':
      return { kind: 'env', layer: null, file: null, variable: decision.origin, locked: false };
    case 'uv-default':
      break;
  }
  return { kind: 'default', layer: null, file: null, variable: null, locked: false };
}

/** "from admin /etc/uvx-safe/config.toml, locked", "data-root from ...", "inherited UV_CACHE_DIR", "uv's default". */
export function describeSource(source: SourceFacts): string {
  const where = source.file ?? source.variable ?? 'environment';
  const layer = source.layer && source.layer !== 'default' && source.layer !== 'env' ? `${source.layer} ` : '';
  const locked = source.locked ? ', locked' : '';
  switch (source.kind) {
    case 'default':
      // layer "default": the launcher's built-in default (mode); none: uv's own default folder.
      return source.layer === 'default' ? `built-in default${locked}` : "uv's default";
    case 'env':
      return `inherited ${where}`;
    case 'data-root':
      return `data-root from ${layer}${where}${locked}`;
    case 'config':
      return `from ${layer}${where}${locked}`;
  }
}
