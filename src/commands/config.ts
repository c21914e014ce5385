// `uvx-safe safe config show [--json] | validate [FILE] [--layer L] | schema`.
// Cold path: loaded only when asked for, so the JSON Schema converter never slows a uv call.

import { LAUNCHER_REFUSAL_STATUS, UsageError } from '../errors.js';
import type { LaunchContext } from '../context.js';
import { loadPolicy } from '../launch/prepare.js';
import { error, warn } from '../log.js';
import { configJsonSchemaText } from '../config/json-schema.js';
import type { LayerName } from '../config/layer.js';
import { renderShowText, showReport } from '../config/show.js';
import { defaultLayerFor, validateAll, validateFile } from '../config/validate.js';
import { pathFor } from '../platform/env.js';

const HELP = `Usage: uvx-safe safe config show [--json]
       uvx-safe safe config validate [FILE] [--layer admin|user|project]
       uvx-safe safe config schema

  show      the merged config: every key with its value, origin (layer and file or variable) and lock,
            the layers searched, and warnings
  validate  check FILE as it would be deployed (as the admin policy; uvx-safe.toml, .uvx-safe.toml and
            pyproject.toml as a project config; --layer chooses), or, without FILE, every layer found
            from here. Exit status 0 when valid, 2 with one line naming file, line and key when not
  schema    the JSON Schema of a config file, for editors
`;

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
    if (!kind) throw new UsageError(`safe config ${command}: unknown option ${name}`, { hint: 'see `uvx-safe safe config --help`' });
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
  const policy = loadPolicy(ctx, ctx.cwd);
  const report = showReport({ ...policy, projectStart: ctx.cwd });
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
  if (file !== undefined) {
    const resolved = pathFor(ctx.host.platform).resolve(ctx.cwd, file);
    const layer = (layerFlag as LayerName | undefined) ?? defaultLayerFor(resolved);
    // A ConfigError propagates: main prints its one line and exits 2, exactly as the launcher does.
    const { warnings } = validateFile(resolved, layer);
    for (const warning of warnings) warn(warning);
    process.stdout.write(`${resolved}: valid (${layer} layer)\n`);
    return 0;
  }
  if (layerFlag !== undefined) throw new UsageError('safe config validate: --layer needs a FILE', { hint: 'Usage: uvx-safe safe config validate FILE --layer admin|user|project' });

  const result = validateAll(ctx.host, ctx.cwd);
  for (const warning of result.warnings) warn(warning);
  let failed = false;
  for (const checked of result.checked) {
    if (checked.error) {
      error(checked.error.message);
      failed = true;
    } else process.stdout.write(`${checked.source}: valid (${checked.layer} layer)\n`);
  }
  if (result.mergeError) {
    error(result.mergeError.message);
    failed = true;
  }
  if (result.checked.length === 0) process.stdout.write('no uvx-safe config found (built-in defaults apply)\n');
  return failed ? LAUNCHER_REFUSAL_STATUS : 0;
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
    process.stdout.write(HELP);
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
      process.stdout.write(HELP);
      return 0;
    default:
      throw new UsageError(`unknown command "safe config ${sub}"`, { hint: 'see `uvx-safe safe config --help`' });
  }
}
