// Issue 15: the differential test that keeps uvx-safe's judgement and the real uv in agreement.
// Seeded, generated cases (test/helpers/agreement-cases.ts): project layouts, workspaces with member
// and exclude globs in several TOML spellings, nested projects, PEP 723 scripts with odd headers,
// links, and flags and variables that move the project or its environment (--project, UV_PROJECT,
// --directory, UV_WORKING_DIR, --active, VIRTUAL_ENV, UV_PROJECT_ENVIRONMENT, UV_NO_PROJECT ...).
// For each case, uvx-safe's judgement is a call of prepare() in this process (enforce, allowed-roots =
// the case's allowed folder and a shared sandbox); the real uv, the oldest supported and the newest
// checked, then runs the command under ../shared/tools/landlock-run, which lets it write only inside
// those same folders. A `Permission denied` from uv is a write outside the roots: the test fails on
// every such case that uvx-safe let through. `discover` cases compare `uv workspace dir` with the
// workspace roots uvx-safe finds (src/launch/workspace.ts). UVX_SAFE_AGREEMENT_SEED picks another seed;
// UVX_SAFE_AGREEMENT_DEBUG=1 prints the cases uvx-safe refuses although uv wrote nothing outside.
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { hostInfo, type LaunchContext } from '../../src/context.js';
import { prepare } from '../../src/launch/prepare.js';
import { workspaceRoots } from '../../src/launch/workspace.js';
import { NEWEST_CHECKED_UV, OLDEST_CHECKED_UV } from '../../src/uv/argv.js';
import { makeCase, type AgreementCase } from '../helpers/agreement-cases.js';
import { LANDLOCK_RUN, needLandlock } from '../helpers/landlock.js';
import { getPython, sandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';

const SEED = Number(process.env.UVX_SAFE_AGREEMENT_SEED ?? 15);
const CASES = 200;
/** Shells running cases at once, per uv. */
const SHELLS = 2;

const wanted = new Set([OLDEST_CHECKED_UV, NEWEST_CHECKED_UV]);
const uvs = inject('argvCheckUvs').filter((uv) => wanted.has(uv.version));
const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await fs.promises.rm(root, { recursive: true, force: true });
});

interface Judged {
  c: AgreementCase;
  /** Why uvx-safe refused (its first refusal), or undefined when it lets the command run. */
  refusal?: string;
  /** The environment uv runs with: the case's, plus what the plan sets. */
  uvEnv: Record<string, string>;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function judge(c: AgreementCase, env: Record<string, string>): Judged {
  const ctx: LaunchContext = { invokedAs: 'uv', args: c.args, env, cwd: c.cwd, host: hostInfo(env, 'linux'), self: [], launcherPath: '' };
  try {
    const { plan } = prepare(ctx, () => {});
    return { c, refusal: plan.refusals[0]?.message, uvEnv: { ...env, ...plan.env } };
  } catch (err) {
    return { c, refusal: `(thrown) ${(err as Error).message}`, uvEnv: env };
  }
}

it('runs against the oldest supported and the newest checked uv', () => {
  expect(uvs.map((uv) => uv.version).sort()).toEqual([...wanted].sort());
});

describe.each(uvs)('uvx-safe and uv $version agree where uv writes', (uv) => {
  it(`${CASES} seeded cases (seed ${SEED}): no write outside allowed-roots that uvx-safe lets through`, { timeout: 170_000 }, async (ctx) => {
    needLandlock(ctx);
    const started = Date.now();
    const root = fs.realpathSync(await makeTempDir(`uvx-safe-agree-${uv.version}-`));
    roots.push(root);
    const sandbox = path.join(root, 'sandbox');
    const base = { ...sandboxEnv(sandbox) } as Record<string, string>;
    delete base.UV_NO_CONFIG; // config files are part of what is judged
    const adminFile = path.join(root, 'etc', 'config.toml');
    const cases = Array.from({ length: CASES }, (_, i) => makeCase(path.join(root, 'cases'), i, SEED));
    const allowed = [sandbox, ...new Set(cases.map((c) => c.allowed))];
    fs.mkdirSync(path.dirname(adminFile), { recursive: true });
    fs.writeFileSync(adminFile, [`mode = "enforce"`, `allowed-roots = ${JSON.stringify(allowed)}`, `data-root = "${sandbox}/data"`].join('\n'));
    base.UVX_SAFE_SYSTEM_CONFIG = adminFile;

    const judged = cases.map((c) => judge(c, { ...base, ...c.env }));
    const out = path.join(sandbox, 'out');
    fs.mkdirSync(out, { recursive: true });
    // One landlocked shell per slice of cases: the kernel lets uv write only in `allowed`.
    const shells = Array.from({ length: SHELLS }, (_, s) =>
      judged
        .filter((_, i) => i % SHELLS === s)
        .map(({ c, uvEnv }) => {
          const vars = Object.entries(uvEnv).map(([k, v]) => quote(`${k}=${v}`));
          return `cd ${quote(c.cwd)} && env -i ${vars.join(' ')} ${quote(uv.path)} ${c.args.map(quote).join(' ')} >${out}/${c.id}.out 2>${out}/${c.id}.err; echo $? >${out}/${c.id}.rc`;
        })
        .join('\n'),
    );
    const python = getPython();
    const rule = [...allowed.flatMap((d) => ['--write', d]), ...[path.dirname(uv.path), path.dirname(python), path.dirname(fs.realpathSync(python))].flatMap((d) => ['--exec', d])];
    const runs = await Promise.all(
      shells.map((script, s) => {
        const file = path.join(root, `shell-${s}.sh`);
        fs.writeFileSync(file, script);
        return execa('python3', [LANDLOCK_RUN, ...rule, '--', 'sh', file], { reject: false, timeout: 160_000 });
      }),
    );
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0);

    const read = (id: number, ext: string) => fs.readFileSync(path.join(out, `${id}.${ext}`), 'utf8');
    const missed: string[] = [];
    const disagree: string[] = [];
    const tally = { writes: 0, deniedAndRefused: 0, ranAndAllowed: 0, overRefused: 0, discover: 0, discoverCompared: 0 };
    for (const { c, refusal } of judged) {
      const rc = Number(read(c.id, 'rc').trim());
      const stderr = read(c.id, 'err');
      const describe = () =>
        [`case ${c.id} (seed ${SEED}): cd ${c.cwd} && uv ${c.args.join(' ')}`, `  env: ${JSON.stringify(c.env)}`, ...c.layout.map((l) => `  ${l}`), `  uvx-safe: ${refusal ?? 'allowed'}`, `  uv exit ${rc}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`].join('\n');
      if (c.kind === 'discover') {
        tally.discover++;
        if (rc !== 0) continue;
        tally.discoverCompared++;
        const found = read(c.id, 'out').trim();
        const ours = workspaceRoots(c.start!);
        if (!ours.includes(found)) disagree.push(`${describe()}\n  uv's workspace root: ${found}; uvx-safe's: ${ours.join(', ') || 'none'}`);
        continue;
      }
      tally.writes++;
      const denied = /Permission denied|os error 13/.test(stderr);
      if (denied && refusal === undefined) missed.push(describe());
      else if (denied) tally.deniedAndRefused++;
      else if (refusal === undefined) tally.ranAndAllowed++;
      else {
        tally.overRefused++;
        if (process.env.UVX_SAFE_AGREEMENT_DEBUG) console.log(`over-refused:\n${describe()}`);
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`[uv-agreement] uv ${uv.version}, seed ${SEED}: ${CASES} cases in ${seconds} s: ${JSON.stringify(tally)}`);
    expect(missed, `uv wrote outside allowed-roots where uvx-safe let it:\n${missed.join('\n\n')}`).toEqual([]);
    expect(disagree, `uvx-safe found another workspace root than uv:\n${disagree.join('\n\n')}`).toEqual([]);
    // Not vacuous: the cases did make uv write outside the roots, and did let it work inside them.
    expect(tally.deniedAndRefused).toBeGreaterThan(5);
    expect(tally.ranAndAllowed).toBeGreaterThan(5);
    expect(tally.discoverCompared).toBeGreaterThan(5);
  });
});
