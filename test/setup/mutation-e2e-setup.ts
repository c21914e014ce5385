// The global setup of `npm run mutation:e2e` (vitest.mutation-e2e.config.mts), which starts vitest once
// per mutant: only what the launcher's signal, exit-status and finding tests use (uv, python3), none of
// the full setup's fixtures, executables or Wine bed.
import type { TestProject } from 'vitest/node';
import { CACHE_DIR } from '../helpers/paths.js';
import { resolvePython } from './python.js';
import { resolveUv } from './uv-binary.js';

export default async function setup(project: TestProject): Promise<void> {
  const python = await resolvePython();
  const uv = await resolveUv(CACHE_DIR, python);
  project.provide('uvPath', uv.path);
  project.provide('uvVersion', uv.version);
  project.provide('pythonPath', python);
}
