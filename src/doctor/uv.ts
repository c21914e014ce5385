// The real uv: which one the launcher would start, how it was found, its version, and whether
// that satisfies `uv-version`. `judgeUv` is pure; `inspectUv` asks the real uv.

import { spawnSync } from 'node:child_process';
import type { EffectiveConfig } from '../config/merge.js';
import { UvxSafeError } from '../errors.js';
import { chooseUv } from '../launch/uv-choice.js';
import type { LaunchContext } from '../context.js';
import type { RelocationPlan } from '../relocate/plan.js';
import type { UvChoice } from '../uv/find.js';
import { parseUvVersionOutput, satisfies } from '../uv/version.js';
import { settingSource } from './source.js';
import type { UvFacts } from './types.js';

export interface UvInput {
  /** The chosen uv, or why none was found. */
  choice: UvChoice | { error: string };
  /** What `uv --version` printed, or why it could not be run. */
  versionOutput?: { stdout: string } | { error: string };
  config: EffectiveConfig;
}

export function judgeUv(input: UvInput): UvFacts {
  const range = input.config.uvVersion;
  const facts: UvFacts = {
    path: null,
    foundBy: null,
    origin: null,
    version: null,
    required: range?.value ?? null,
    requiredSource: range ? settingSource(range, 'uv-version') : null,
    satisfies: null,
    error: null,
    status: 'ok',
  };
  if ('error' in input.choice) return { ...facts, error: input.choice.error, status: 'fail' };
  Object.assign(facts, { path: input.choice.path, foundBy: input.choice.source, origin: input.choice.origin });
  const out = input.versionOutput;
  if (!out || 'error' in out) return { ...facts, error: `cannot run \`uv --version\`: ${out?.error ?? 'not run'}`, status: 'fail' };
  const version = parseUvVersionOutput(out.stdout);
  if (!version) return { ...facts, error: `cannot read a version from \`uv --version\`: "${out.stdout.trim()}"`, status: 'fail' };
  facts.version = version;
  if (!range) return facts;
  try {
    facts.satisfies = satisfies(version, range.value);
  } catch (err) {
    return { ...facts, error: `uv-version "${range.value}" is not a valid range: ${(err as Error).message}`, status: 'fail' };
  }
  if (!facts.satisfies) return { ...facts, error: `uv ${version} does not satisfy uv-version "${range.value}"`, status: 'fail' };
  return facts;
}

export function inspectUv(ctx: LaunchContext, config: EffectiveConfig, plan: RelocationPlan): UvFacts {
  let choice: UvInput['choice'];
  try {
    choice = chooseUv(ctx, config, plan);
  } catch (err) {
    if (!(err instanceof UvxSafeError)) throw err;
    return judgeUv({ choice: { error: err.message }, config });
  }
  // Asked directly, not through the launcher's version cache: doctor reports what uv says now.
  const r = spawnSync(choice.path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000, windowsHide: true });
  const versionOutput = r.error
    ? { error: (r.error as NodeJS.ErrnoException).code ?? r.error.message }
    : r.status !== 0
      ? { error: `exit ${r.status ?? r.signal}: ${r.stderr.trim()}` }
      : { stdout: r.stdout };
  return judgeUv({ choice, versionOutput, config });
}
