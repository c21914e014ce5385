// `safe config validate`: everything the launcher would reject in a config file, found before the
// file is deployed. The same code as the launcher (parse, schema, merge), so the same messages.

import fs = require('node:fs');
import path = require('node:path');
import { ConfigError } from '../errors.js';
import type { HostInfo } from '../platform/dirs.js';
import { chooseAdminFile, envLayer, fileLayer, findProjectLayer, projectTrust, pyprojectLayer, readAdminLayer, readConfigText, PROJECT_FILES, type Layer, type LayerName } from './layers.js';
import { mergeLayers } from './merge.js';
import { findKey } from './parse.js';
import { didYouMean } from '../text/suggest.js';
import { rootPath } from './schema.js';
import { shellVariableProblem, TEMPLATE_VARIABLE } from './templates.js';
import { userConfigPath } from '../platform/dirs.js';
import { overrideWarning } from './override.js';
import { pathFor, type Platform } from '../platform/env.js';

export interface Checked {
  /** The file, or "environment". */
  source: string;
  layer?: LayerName;
  error?: ConfigError;
}

export interface ValidateResult {
  checked: Checked[];
  warnings: string[];
  /** The layers that passed, lowest first: the launcher's judgement of them is the caller's (src/launch/judge.ts). */
  layers: Layer[];
}

const KNOWN_TEMPLATE = new RegExp(`^(home|user|data-root|env:${TEMPLATE_VARIABLE})$`);

/** Unknown `{...}` templates in path values fail at run time; catch them now (with the line). */
function checkTemplates(layer: Layer, text: string, platform: Platform): void {
  const c = layer.config;
  const values: [string[], string | undefined][] = [
    ...(c['allowed-roots'] ?? []).map((value): [string[], string] => [['allowed-roots'], rootPath(value)]),
    [['data-root'], c['data-root']],
    [['uv-path'], c['uv-path']],
    ...(c['safe-directories'] ?? []).map((value): [string[], string] => [['safe-directories'], value]),
    typeof c.report === 'object' ? [['report', 'path'], c.report.path] : [['report'], c.report],
    ...Object.entries(c.locations ?? {}).map(([loc, value]): [string[], string | undefined] => [['locations', loc], value]),
  ];
  const prefix = layer.source.endsWith('pyproject.toml') ? 'tool.uvx-safe.' : '';
  for (const [keys, value] of values) {
    if (value === undefined) continue;
    // As the launcher on this machine reads it.
    const shellVariable = shellVariableProblem(value, platform);
    if (shellVariable) throw new ConfigError(layer.source, shellVariable, { key: prefix + keys.join('.'), ...findKey(text, keys) });
    for (const [, name] of value.matchAll(/\{([^{}]*)\}/g)) {
      // {data-root} inside data-root is known here too: the launcher refuses it with its own message.
      if (KNOWN_TEMPLATE.test(name!)) continue;
      throw new ConfigError(layer.source, `unknown template {${name}}${didYouMean(name!, ['data-root', 'home', 'user', 'env:NAME'])}`, {
        key: prefix + keys.join('.'),
        value,
        ...findKey(text, keys),
        hint: 'the templates are {data-root}, {home}, {user}, {env:NAME} and a leading ~',
      });
    }
  }
}

/** Which layer a file is checked as when none is named: project files by their name, else the admin policy. */
export function defaultLayerFor(file: string): LayerName {
  return (PROJECT_FILES as readonly string[]).includes(path.basename(file)) ? 'project' : 'admin';
}

/**
 * One file as layer `name`; throws the launcher's ConfigError. Returns the merge's warnings.
 * `platform`: whose path rules apply (this machine's, as the launcher here reads the file).
 */
export function validateFile(file: string, name: LayerName, platform: Platform = process.platform): { layer: Layer; warnings: string[] } {
  // The launcher's own reader: the same encodings are refused with the same line.
  const text = readConfigText(file);
  if (text === undefined)
    throw new ConfigError(file, 'does not exist', { hint: 'name an existing file; `uvx-safe safe config show` lists the files the launcher reads' });
  let layer: Layer | undefined;
  if (path.basename(file) === 'pyproject.toml') {
    layer = pyprojectLayer(text, file);
    if (!layer) throw new ConfigError(file, 'has no [tool.uvx-safe] table', { hint: 'put the settings under [tool.uvx-safe], or validate the uvx-safe.toml that holds them' });
    layer = { ...layer, name };
  } else layer = fileLayer(text, file, name);
  checkTemplates(layer, text, platform);
  // The merge rejects some things the schema cannot see (location variables in [env]) and warns
  // about keys this layer may not set (`locked` outside the admin policy, allowed-roots in a project).
  try {
    return { layer, warnings: mergeLayers([layer]).warnings };
  } catch (err) {
    // The merge knows the key but not the text (its one error: a location variable in [env]): add the line, as the parser does.
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(err.file, err.problem, { ...err.place, ...findKey(text, err.key?.split('.') ?? []) });
  }
}

function attempt<T>(source: string, layer: LayerName, fn: () => T): { checked: Checked; value?: T } {
  try {
    return { checked: { source, layer }, value: fn() };
  } catch (err) {
    if (err instanceof ConfigError) return { checked: { source, layer, error: err } };
    throw err;
  }
}

/** Every layer the launcher would read from `cwd`, each on its own, then their merge. */
export function validateAll(host: HostInfo, cwd: string): ValidateResult {
  const checked: Checked[] = [];
  const layers: Layer[] = [];
  const warnings: string[] = [];
  const p = pathFor(host.platform);
  // The file the launcher reads: the admin's, whatever UVX_SAFE_SYSTEM_CONFIG says, when it exists.
  const admin = chooseAdminFile(host);
  warnings.push(...admin.overrides.map(overrideWarning));
  const files: [string, LayerName][] = [
    [p.resolve(cwd, admin.file), 'admin'],
    [userConfigPath(host), 'user'],
  ];
  for (const [file, name] of files) {
    if (!fs.existsSync(file)) {
      // Missing is fine for the default admin path, an error for one UVX_SAFE_SYSTEM_CONFIG names.
      const missing = name === 'admin' ? attempt(file, name, () => readAdminLayer(host)).checked : undefined;
      if (missing?.error) checked.push({ ...missing, source: missing.error.file });
      continue;
    }
    const r = attempt(file, name, () => validateFile(file, name, host.platform));
    checked.push(r.checked);
    if (r.value) layers.push(r.value.layer);
  }
  // The same rule as the launcher: a project file another user owns is not read, only named.
  const ignored: string[] = [];
  const project = attempt('project config', 'project', () => findProjectLayer(cwd, projectTrust(host, layers), ignored));
  warnings.push(...ignored);
  if (project.checked.error) checked.push({ ...project.checked, source: project.checked.error.file });
  else if (project.value) {
    const r = attempt(project.value.source, 'project', () => validateFile(project.value!.source, 'project', host.platform));
    checked.push(r.checked);
    if (r.value) layers.push(r.value.layer);
  }
  const env = attempt('environment', 'env', () => envLayer(host.env, host.platform, cwd));
  if (env.checked.error) checked.push(env.checked);
  else if (env.value!.layer) {
    checked.push(env.checked);
    layers.push(env.value!.layer);
  }
  warnings.push(...(env.value?.warnings ?? []));
  return { checked, warnings, layers };
}
