// `uvx-safe safe config show [--json] | validate [FILE] [--layer L] | schema`.
// Cold path: loaded only when asked for, so the JSON Schema converter never slows a uv call.

import { ConfigError, UsageError } from '../errors.js';
import type { LaunchContext } from '../context.js';
import { loadPolicy } from '../launch/prepare.js';
import { error, warn } from '../log.js';
import { configJsonSchemaText } from '../config/json-schema.js';
import type { Layer, LayerName } from '../config/layer.js';
import { readAdminLayer } from '../config/layers.js';
import { overrideWarning } from '../config/override.js';
import { judgeLayers } from '../launch/judge.js';
import { renderShowText, showReport } from '../config/show.js';
import { defaultLayerFor, validateAll, validateFile } from '../config/validate.js';
import { pathFor } from '../platform/env.js';
import { didYouMean } from '../text/suggest.js';
import { helpText } from './help.js';

const LAYERS: LayerName[] = ['admin', 'user', 'project'];

function parseFlags(args: string[], allowed: Record<string, 'flag' | 'value'>, command: string) {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(...(arg === '--' ? args.slice(i + 1) : [arg]));
      if (arg === '--') break;
      continue;
    }
    const [name, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = allowed[name];
    if (!kind) throw new UsageError(`safe config ${command}: unknown option ${name}${didYouMean(name, Object.keys(allowed))}`, { hint: 'see `uvx-safe safe config --help`' });
    if (kind === 'flag') flags[name] = true;
    else {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`safe config ${command}: ${name} needs a value`, { hint: 'see `uvx-safe safe config --help`' });
      flags[name] = value;
    }
  }
  return { flags, positional };
}

function noPositional(positional: string[], command: string): void {
  if (positional.length > 0) throw new UsageError(`safe config ${command}: unexpected argument "${positional[0]}"`, { hint: 'see `uvx-safe safe config --help`' });
}

function show(ctx: LaunchContext, args: string[]): number {
  const { flags, positional } = parseFlags(args, { '--json': 'flag' }, 'show');
  noPositional(positional, 'show');
  // Shown, not refused: the overrides of the admin's file are said as warnings (config/override.ts).
  const policy = loadPolicy(ctx, ctx.cwd, true);
  const report = showReport({ ...policy, warnings: [...policy.overrides.map(overrideWarning), ...policy.warnings], projectStart: ctx.cwd });
  process.stdout.write(flags['--json'] ? `${JSON.stringify(report, null, 2)}\n` : renderShowText(report));
  return 0;
}

function validate(ctx: LaunchContext, args: string[]): number {
  const { flags, positional } = parseFlags(args, { '--layer': 'value' }, 'validate');
  if (positional.length > 1) throw new UsageError(`safe config validate: one FILE at most, got ${positional.length}`, { hint: 'validate one file per call' });
  const layerFlag = flags['--layer'] as string | undefined;
  if (layerFlag !== undefined && !LAYERS.includes(layerFlag as LayerName))
    throw new UsageError(`safe config validate: --layer must be one of ${LAYERS.join(', ')}, not "${layerFlag}"`, { hint: `use --layer ${LAYERS.join('|')}` });

  const file = positional[0];
  if (file !== undefined) return validateOne(ctx, pathFor(ctx.host.platform).resolve(ctx.cwd, file), layerFlag as LayerName | undefined);
  if (layerFlag !== undefined) throw new UsageError('safe config validate: --layer needs a FILE', { hint: 'Usage: uvx-safe safe config validate FILE --layer admin|user|project' });

  const result = validateAll(ctx.host, ctx.cwd);
  for (const warning of result.warnings) warn(warning);
  const failed = result.checked.filter((checked) => checked.error);
  for (const checked of result.checked) {
    if (checked.error) say(checked.error);
    else process.stdout.write(`${checked.source}: valid (${checked.layer} layer)\n`);
  }
  // Every file on its own passed: now what the launcher says of them together, as for any uv call here.
  const judged = failed.length ? undefined : judgeLayers(result.layers, ctx.host, ctx.cwd);
  for (const warning of judged?.warnings ?? []) warn(warning);
  // The first of the plan's refusals, as the launcher says it (the others would follow once it is fixed).
  for (const problem of (judged?.errors ?? []).slice(0, 1)) say(problem);
  if (failed.length || judged?.errors.length) return VALIDATE_FAILED;
  if (result.checked.length === 0) process.stdout.write('no uvx-safe config found (built-in defaults apply)\n');
  return 0;
}

/** `safe config validate` found an error (the launcher's own refusals are 2; a failed check is 1, like doctor's). */
const VALIDATE_FAILED = 1;

function say(problem: { message: string; hint?: string }): void {
  error(problem.message, { hint: problem.hint });
}

/** uv's location variables of the shell validate runs in: the launcher would judge them, a file is judged without them. */
const SHELL_LOCATION = /^(UV_|PYX_|VIRTUAL_ENV$|CONDA_PREFIX$|UVX_SAFE_)/i;

/**
 * FILE as layer `name`: its schema and templates, then the launcher's judgement of it as deployed (over
 * the admin policy found here, unless it is the admin policy), without this shell's uv variables.
 */
function validateOne(ctx: LaunchContext, file: string, chosen: LayerName | undefined): number {
  const name = chosen ?? defaultLayerFor(file);
  let checked: ReturnType<typeof validateFile>;
  try {
    checked = validateFile(file, name);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    say(err);
    return VALIDATE_FAILED;
  }
  for (const warning of checked.warnings) warn(warning);
  const env = Object.fromEntries(Object.entries(ctx.host.env).filter(([key]) => !SHELL_LOCATION.test(key)));
  const host = { ...ctx.host, env };
  let beneath: Layer[] = [];
  if (name !== 'admin') {
    try {
      beneath = [readAdminLayer(host)].filter((layer): layer is Layer => layer !== undefined);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      say(err);
      return VALIDATE_FAILED;
    }
  }
  const judged = judgeLayers([...beneath, checked.layer], host, ctx.cwd);
  for (const warning of judged.warnings) if (!checked.warnings.includes(warning)) warn(warning);
  for (const problem of judged.errors.slice(0, 1)) say(problem);
  if (judged.errors.length) return VALIDATE_FAILED;
  process.stdout.write(`${file}: valid (${name} layer)\n`);
  return 0;
}

function schema(args: string[]): number {
  const { positional } = parseFlags(args, {}, 'schema');
  noPositional(positional, 'schema');
  process.stdout.write(configJsonSchemaText());
  return 0;
}

export async function configCommand(ctx: LaunchContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpText('config'));
    return 0;
  }
  switch (sub) {
    case 'show':
      return show(ctx, rest);
    case 'validate':
      return validate(ctx, rest);
    case 'schema':
      return schema(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(helpText('config'));
      return 0;
    default:
      throw new UsageError(`unknown command "safe config ${sub}"${didYouMean(sub, ['show', 'validate', 'schema'])}`, { hint: 'see `uvx-safe safe config --help`' });
  }
}
