// The project's environment in the relocation plan (issue 8): an inherited UV_PROJECT_ENVIRONMENT,
// `locations.project-env` (one environment per workspace), or the workspace root's own `.venv`,
// refused or warned about for the commands that use it when it lies outside allowed-roots. Pure.

import { getEnv, pathFor } from '../platform/env.js';
import { insideAny } from './contain.js';
import type { LocationDecision, PlanInput } from './plan-types.js';
import { expandPath } from '../config/templates.js';

export function projectEnvName(projectRoot: string, platform: NodeJS.Platform): string {
  const p = pathFor(platform);
  const key = platform === 'win32' ? projectRoot.toLowerCase() : projectRoot;
  // Loaded here, not at the top: node:crypto costs every uv call ~3 ms of start-up, and only
  // `project-env` needs it.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return `${p.basename(projectRoot) || 'project'}-${hash}`;
}

export interface ProjectEnvContext {
  input: PlanInput;
  dataRoot: string | undefined;
  roots: string[];
  /** The roots as refusals show them (plan.ts). */
  rootList: string;
  checking: boolean;
  env: Record<string, string>;
  mkdirs: string[];
  mkdirReasons: Record<string, string>;
  decisions: LocationDecision[];
  judge: (decision: LocationDecision, what: string) => void;
  report: (message: string, hint: string, rule: string) => void;
}

/**
 * The project's environment: an inherited UV_PROJECT_ENVIRONMENT (judged), `locations.project-env`
 * (one environment per workspace, keyed by the workspace root, unless its own .venv is allowed), or
 * the workspace root's own `.venv`, listed always and refused (enforce) or warned about for the
 * commands that create or use it when it lies outside allowed-roots.
 */
export function planProjectEnv(ctx: ProjectEnvContext): void {
  const { input, roots, env } = ctx;
  const { config, host, cwd, canonical, projectEnvUse } = input;
  const p = pathFor(host.platform);
  const projectRoots = input.projectRoots ?? [];
  // uv ignores an empty UV_PROJECT_ENVIRONMENT (getEnv reads it as unset), and resolves a relative
  // one from the workspace root.
  const inherited = getEnv(host.env, 'UV_PROJECT_ENVIRONMENT', host.platform);
  if (inherited !== undefined) {
    for (const base of projectRoots.length ? projectRoots : [cwd]) {
      const value = p.resolve(base, inherited);
      ctx.judge({ name: 'project-env', path: value, source: 'env', origin: 'UV_PROJECT_ENVIRONMENT', variables: [] }, `UV_PROJECT_ENVIRONMENT=${inherited}`);
    }
    return;
  }
  const setting = config.locations['project-env'];
  const venvInside = (root: string) => insideAny(canonical(p.join(root, '.venv')), roots, host.platform);
  // A project whose own .venv is already allowed keeps it: uv and editors find it there. When uvx-safe
  // cannot tell which of several roots uv takes, it is kept only if every one's is allowed.
  // (`every` of no roots is true: without a project nothing is moved.)
  if (setting && !projectRoots.every(venvInside)) {
    const projectRoot = projectRoots[0]!;
    const base = expandPath({ raw: setting.value, key: 'locations.project-env', source: setting.origin.source, baseDir: setting.baseDir }, host, ctx.dataRoot);
    const target = p.join(base, projectEnvName(canonical(projectRoot), host.platform));
    env.UV_PROJECT_ENVIRONMENT = target;
    ctx.mkdirs.push(base);
    ctx.mkdirReasons[base] ??= `locations.project-env (from ${setting.origin.source})`;
    ctx.judge(
      { name: 'project-env', path: target, source: 'config', origin: setting.origin.source, variables: ['UV_PROJECT_ENVIRONMENT'] },
      `locations.project-env (from ${setting.origin.source})`,
    );
    return;
  }
  for (const root of projectRoots) {
    const rootVenv = p.join(root, '.venv');
    const decision: LocationDecision = { name: 'project-env', path: rootVenv, source: 'uv-default', origin: "the project's .venv", variables: [] };
    ctx.decisions.push(decision);
    if (!ctx.checking) continue;
    decision.inside = venvInside(root);
    if (decision.inside === false && projectEnvUse)
      ctx.report(
        `the project environment ${rootVenv} (used by \`${projectEnvUse}\`) lies outside allowed-roots (${ctx.rootList})`,
        'move the project under an allowed root, or ask the admin to set locations.project-env (docs/config-reference.md#locationsproject-env)',
        'outside-allowed-roots:project-env',
      );
  }
}
