// System tools some tests need (zsh, fish, Wine, mingw, ...). `npm test` installs nothing into the
// system: where a tool is missing the test skips with one line saying how to get it, except in CI
// (CI set to anything but empty, `false` or `0`), where .ci/run has installed everything and a missing tool
// is a failure, not a skip.
import { execFileSync } from 'node:child_process';

/** The absolute path of `program` on PATH, or undefined. */
export function which(program: string): string | undefined {
  try {
    const out = execFileSync('sh', ['-c', 'command -v "$1"', 'sh', program], { encoding: 'utf8' }).trim();
    return out.startsWith('/') ? out : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `CI` asks for CI behaviour, read as most CI-aware tools read it: any value but empty, `false`
 * or `0` (uv counts any value it finds set: crates/uv-client/src/linehaul.rs; `CI=false` opts out here).
 */
export function ciRequested(value: string | undefined): boolean {
  return value !== undefined && value !== '' && !['false', '0'].includes(value.toLowerCase());
}

export const IN_CI = ciRequested(process.env.CI);

/**
 * Skips the test with `reason` (one line), or fails it in CI. `reason` should say what is missing and
 * how to get it (the apt-get line, root, the platform).
 */
export function skipOrFail(ctx: { skip: (note?: string) => void }, reason: string): never {
  if (IN_CI) throw new Error(`CI=${process.env.CI}, so this test must run: ${reason}`);
  ctx.skip(reason);
  throw new Error('unreachable: ctx.skip throws');
}

/** The program's path; skips (fails under CI) when it is not installed. */
export function needTool(ctx: { skip: (note?: string) => void }, program: string, aptPackage = program): string {
  const found = which(program);
  if (!found) skipOrFail(ctx, `${program} is not installed (apt-get install -y ${aptPackage})`);
  return found!;
}

/**
 * One line naming the tools of `tools` ([program, Debian package]) that are not on PATH and the
 * apt-get line that brings them, ending with what is skipped; undefined when all are there.
 */
export function missingTools(tools: readonly [string, string][], skipped: string): string | undefined {
  const missing = tools.filter(([tool]) => !which(tool));
  if (missing.length === 0) return undefined;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
  return `${missing.map(([tool]) => tool).join(', ')} not installed (apt-get install -y ${packages}): ${skipped}`;
}
