// `safe env --persist` of the standalone Windows executable under Wine, in a scratch copy of the test
// bed's prefix (hard links, the registry files copied), so the bed's registry is never written:
// `reg query HKCU\Environment` shows the values (REG_EXPAND_SZ, %USERNAME% for a per-user data root),
// a new cmd.exe sees them expanded, and --remove puts the registry back exactly (TEMP/TMP included).
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wineEnv } from '../setup/wine-bed.js';
import { writeLines } from '../helpers/refusal.js';
import { explain, runProgram } from '../helpers/uv.js';
import { needWineBed, winPath, WINDOWS_EXE } from '../helpers/wine.js';
import { makeTempDir } from '../helpers/workspace.js';

describe('safe env --persist under Wine', () => {
  let root: string | undefined;
  let prefix: string;
  let home: string;

  beforeAll(async () => {
    root = fs.realpathSync(await makeTempDir('uvx-safe-persist-win-'));
    home = path.join(root, 'home');
    fs.mkdirSync(home);
  });

  afterAll(async () => {
    if (!root) return;
    if (prefix) await execa('wineserver', ['-k'], { env: wineEnv(prefix, home), extendEnv: false, reject: false });
    fs.rmSync(root, { recursive: true, force: true });
  });

  const wine = (args: string[], env: Record<string, string> = {}) =>
    runProgram('wine', args, { env: { ...wineEnv(prefix, home), ...env }, cwd: root!, timeoutMs: 120_000 });
  const query = async () => {
    const r = await wine(['reg', 'query', 'HKCU\\Environment']);
    expect(r.exitCode, explain(r)).toBe(0);
    return r.stdout;
  };

  it('writes HKCU\\Environment, which a new cmd.exe sees; --remove restores it exactly', { timeout: 300_000 }, async (ctx) => {
    const bed = needWineBed(ctx);
    prefix = path.join(root!, 'prefix');
    // cp -al: ~700 MB of the prefix shared, not copied (a full copy across file systems); the files at
    // its top (the registry) replaced by copies of their own, since Wine rewrites them.
    const linked = await execa('cp', ['-al', bed.prefix, prefix], { reject: false });
    if (linked.exitCode !== 0) await execa('cp', ['-a', bed.prefix, prefix]);
    for (const file of fs.readdirSync(prefix)) {
      const at = path.join(prefix, file);
      if (fs.lstatSync(at).isFile()) {
        fs.copyFileSync(path.join(bed.prefix, file), `${at}.copy`);
        fs.renameSync(`${at}.copy`, at);
      }
    }
    const allowed = path.join(root!, 'allowed');
    fs.mkdirSync(allowed);
    const policy = path.join(root!, 'policy.toml');
    writeLines(policy, ['mode = "enforce"', `allowed-roots = [${JSON.stringify(winPath(allowed))}]`, `data-root = ${JSON.stringify(`${winPath(allowed)}\\{user}\\uv`)}`]);
    const policyEnv = { UVX_SAFE_SYSTEM_CONFIG: winPath(policy) };

    const before = await query();
    let r = await wine([WINDOWS_EXE, 'safe', 'env', '--persist', '--temp'], policyEnv);
    expect(r.exitCode, explain(r)).toBe(0);
    const shown = await query();
    const data = `${winPath(allowed)}\\%USERNAME%\\uv`;
    for (const [name, sub] of [['UV_CACHE_DIR', 'cache'], ['UV_TOOL_BIN_DIR', 'bin'], ['TEMP', 'tmp'], ['TMP', 'tmp'], ['TMPDIR', 'tmp']])
      expect(shown, explain(r)).toContain(`    ${name}    REG_EXPAND_SZ    ${data}\\${sub}\r\n`);
    expect(shown).toMatch(new RegExp(`^ {4}Path {4}REG_EXPAND_SZ {4}.*${`${data}\\bin`.replace(/[\\%]/g, '\\$&')}\\r$`, 'm'));

    // A process started afresh (as Explorer would start one) gets the registry's environment, expanded.
    const fresh = await runProgram('wine', ['cmd.exe', '/c', 'echo %UV_CACHE_DIR%& echo %TEMP%& echo %PATH%'], { env: wineEnv(prefix, home), cwd: root!, timeoutMs: 120_000 });
    const lines = fresh.stdout.trim().split(/\r?\n/);
    const user = `${winPath(allowed)}\\root\\uv`;
    expect(lines[0], explain(fresh)).toBe(`${user}\\cache`);
    expect(lines[1], explain(fresh)).toBe(`${user}\\tmp`);
    expect(lines[2]!.split(';'), explain(fresh)).toContain(`${user}\\bin`);

    r = await wine([WINDOWS_EXE, 'safe', 'env', '--persist', '--remove'], policyEnv);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(await query()).toBe(before);
    const key = await wine(['reg', 'query', 'HKCU\\Software\\uvx-safe']);
    expect(key.exitCode, 'no uvx-safe key left').not.toBe(0);
  });
});
