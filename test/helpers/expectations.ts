// Assertions shared by the seed reproduction and the relocation tests: did the test tool run,
// and did the package whose build runs a tool really get built.
import { expect } from 'vitest';
import { BUILD_HELPER_STAMP } from './fixtures.js';
import { explain, runProgram, type RunResult, type SandboxEnv } from './uv.js';

/** hello-cli ran and received exactly `args`. */
export function expectHelloRan(r: RunResult, args: string[]): void {
  expect(r.exitCode, explain(r)).toBe(0);
  expect(r.stdout, explain(r)).toContain('hello from hello-cli');
  expect(r.stdout, explain(r)).toContain(`argv: [${args.map((a) => `'${a}'`).join(', ')}]`);
}

/** The package got built, and its build really ran build-helper (the stamp is in the wheel). */
export async function expectStampImportable(python: string, env: SandboxEnv): Promise<void> {
  const r = await runProgram(python, ['-c', 'import needs_build_tool; print(needs_build_tool.STAMP)'], { env });
  expect(r.exitCode, explain(r)).toBe(0);
  expect(r.stdout.trim()).toBe(BUILD_HELPER_STAMP);
}
