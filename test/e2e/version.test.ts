// `safe version` and doctor's first line name uvx-safe's version and the runtime, in every form.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launcherForms, needForm } from '../helpers/forms.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { explain, runLauncher, sandboxEnv, type SandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';
import { expectRefused } from '../helpers/refusal.js';

const VERSION = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
let root: string;
let env: SandboxEnv;
beforeAll(async () => {
  root = await makeTempDir('uvx-safe-version-');
  env = sandboxEnv(root);
});
afterAll(() => fs.promises.rm(root, { recursive: true, force: true }));

describe.each(launcherForms().map((form) => ({ form, name: form.name })))('$name form', ({ form }) => {
  beforeEach((ctx) => needForm(ctx, form));
  const runtime = form.name === 'npm' ? `Node ${process.version}, npm package` : /Bun \d+\.\d+\.\d+, standalone executable/;

  it('safe version prints the package version and the runtime', async () => {
    const r = await runLauncher(['safe', 'version'], { env, form });
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^uvx-safe ${VERSION.replace(/\./g, '\\.')} \\(`));
    expect(r.stdout).toMatch(runtime);
    const json = JSON.parse((await runLauncher(['safe', 'version', '--json'], { env, form })).stdout);
    expect(json).toMatchObject({ version: VERSION, form: form.name === 'npm' ? 'npm' : 'standalone' });
    if (form.name === 'npm') expect(json.bun).toBeUndefined();
    else expect(json.bun).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('safe doctor shows it on its first line and in --json', async () => {
    const human = await runLauncher(['safe', 'doctor'], { env, form });
    expect(human.stdout.split('\n')[0], explain(human)).toMatch(new RegExp(`^ok +uvx-safe +${VERSION.replace(/\./g, '\\.')}, `));
    expect(human.stdout.split('\n')[0]).toMatch(runtime);
    const report = JSON.parse((await runLauncher(['safe', 'doctor', '--json'], { env, form })).stdout);
    expect(report.launcher).toMatchObject({ version: VERSION, form: form.name === 'npm' ? 'npm' : 'standalone' });
  });

  it('safe version refuses an unknown argument with exit 2', async () => {
    const r = await runLauncher(['safe', 'version', '--bogus'], { env, form });
    expectRefused(r, 'safe version: unexpected argument "--bogus"');
  });
});
