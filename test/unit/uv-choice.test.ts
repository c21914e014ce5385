// Which uv runs and whether the policy lets it (src/launch/uv-choice.ts): uv-path and UVX_SAFE_UV
// before the managed uv, `uv self update` of a managed uv refused, uv-version checked (and the version
// cached only in a state folder the policy allows). The launcher's own runs prove the same end to end
// (test/e2e/launcher.test.ts, managed-uv tests); these reach the rules in a unit run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLayer } from '../../src/config/layers.js';
import { mergeLayers } from '../../src/config/merge.js';
import type { LaunchContext } from '../../src/context.js';
import { ConfigError, PolicyRefusal, UvVersionError } from '../../src/errors.js';
import { checkSelfUpdate, checkVersion, chooseUv } from '../../src/launch/uv-choice.js';
import { planRelocation } from '../../src/relocate/plan.js';
import type { UvChoice } from '../../src/uv/find.js';
import { parsedArgs } from '../helpers/parsed-args.js';

let root: string;
let allowed: string;
let fakeUv: string;
const ADMIN = '/etc/uvx-safe/config.toml';

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-uvchoice-')));
  allowed = path.join(root, 'allowed');
  fs.mkdirSync(allowed);
  // A stand-in that answers `--version` as uv does: only its version is read here.
  fakeUv = path.join(root, 'bin', 'uv');
  fs.mkdirSync(path.dirname(fakeUv));
  fs.writeFileSync(fakeUv, '#!/bin/sh\necho "uv 0.13.9"\n', { mode: 0o755 });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const config = (lines: string[]) => mergeLayers([fileLayer(`${lines.join('\n')}\n`, ADMIN, 'admin')]);
const host = (env: Record<string, string> = {}) => ({ platform: 'linux' as const, env, home: path.join(root, 'home'), user: 'me' });
const planOf = (c: ReturnType<typeof config>) => planRelocation({ config: c, args: parsedArgs(), host: host(), cwd: allowed, canonical: (p) => p });
const context = (env: Record<string, string> = {}): LaunchContext => ({
  invokedAs: 'uvx-safe',
  args: [],
  env: { PATH: '', ...env },
  cwd: allowed,
  host: host({ PATH: '', ...env }),
  self: [],
  launcherPath: path.join(root, 'launcher', 'uvx-safe'),
});
const managed: UvChoice = { path: '/data/uv/0.13.9/uv', source: 'managed', origin: 'managed uv 0.13.9', skipped: [], version: '0.13.9' };

describe('which uv: uv-path, then UVX_SAFE_UV, before the managed uv', () => {
  it('uv-path is the uv, even with uv-source set (the managed uv, which needs a data root, is not consulted)', () => {
    const c = config([`uv-path = "${fakeUv}"`, 'uv-source = "https://example.invalid/uv"']);
    expect(chooseUv(context(), c, planOf(c))).toMatchObject({ path: fakeUv, source: 'uv-path', origin: `uv-path (from ${ADMIN})` });
  });

  it('UVX_SAFE_UV likewise', () => {
    const c = config(['uv-source = "https://example.invalid/uv"']);
    expect(chooseUv(context({ UVX_SAFE_UV: fakeUv }), c, planOf(c))).toMatchObject({ path: fakeUv, source: 'UVX_SAFE_UV' });
  });

  it('neither: the first uv on PATH; uv-source with nothing installed: the managed uv is wanted and missing', () => {
    const c = config([]);
    expect(chooseUv(context({ PATH: path.dirname(fakeUv) }), c, planOf(c))).toMatchObject({ path: fakeUv, source: 'PATH' });
    const managedWanted = config(['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/uv"`, 'uv-source = "https://example.invalid/uv"']);
    expect(() => chooseUv(context({ PATH: path.dirname(fakeUv) }), managedWanted, planOf(managedWanted))).toThrow(/^no installed uv in .* satisfies/);
  });

  it('a uv-path template that cannot be expanded names the key', () => {
    const c = config(['uv-path = "{env:UVX_SAFE_TEST_UNSET}/uv"']);
    expect(() => chooseUv(context(), c, planOf(c))).toThrow(`${ADMIN}: uv-path: {env:UVX_SAFE_TEST_UNSET} is used`);
  });

  it('uv-source alone needs a data root: a config error naming uv-source', () => {
    const c = config(['uv-source = "https://example.invalid/uv"']);
    expect(() => chooseUv(context(), c, planOf(c))).toThrow(ConfigError);
    expect(() => chooseUv(context(), c, planOf(c))).toThrow(/uv-source: needs data-root/);
  });

  it('started as uvx-safe, the launcher is no shim: a real uv beside it is not taken for the wheel\'s own', () => {
    const ctx = context({ UVX_SAFE_UV: fakeUv });
    fs.mkdirSync(path.dirname(ctx.launcherPath));
    fs.copyFileSync(fakeUv, path.join(path.dirname(ctx.launcherPath), '.uvx-safe-real-uv'));
    fs.chmodSync(path.join(path.dirname(ctx.launcherPath), '.uvx-safe-real-uv'), 0o755);
    const c = config([]);
    expect(chooseUv(ctx, c, planOf(c)).source).toBe('UVX_SAFE_UV');
    expect(chooseUv({ ...ctx, invokedAs: 'uv' }, c, planOf(c)).source).toBe('wheel');
  });
});

describe('`uv self update` of a managed uv', () => {
  const c = config(['uv-version = ">=0.13"', 'uv-source = "https://example.invalid/uv"']);

  it('is refused, naming the range and the source, with what to do instead', () => {
    let thrown: unknown;
    try {
      checkSelfUpdate(parsedArgs([], { command: ['self', 'update'] }), managed, c);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PolicyRefusal);
    const refusal = thrown as PolicyRefusal;
    expect(refusal.message).toContain(`uv-version ">=0.13" (from ${ADMIN})`);
    expect(refusal.message).toContain(`uv-source https://example.invalid/uv (from ${ADMIN})`);
    expect(refusal.hint).toContain('safe uv install');
  });

  it('without uv-version: the newest', () => {
    expect(() => checkSelfUpdate(parsedArgs([], { command: ['self', 'update'] }), managed, config(['uv-source = "https://example.invalid/uv"']))).toThrow(
      /uv-version \(not set: the newest\)/,
    );
  });

  it('not for a uv the policy does not manage, for --help, or for another command', () => {
    const update = parsedArgs([], { command: ['self', 'update'] });
    expect(() => checkSelfUpdate(update, { ...managed, source: 'PATH' }, c)).not.toThrow();
    expect(() => checkSelfUpdate(parsedArgs([], { command: ['self', 'update'], helpOrVersion: true }), managed, c)).not.toThrow();
    expect(() => checkSelfUpdate(parsedArgs([], { command: ['self', 'version'] }), managed, c)).not.toThrow();
  });
});

describe('uv-version', () => {
  const choice = (over: Partial<UvChoice> = {}): UvChoice => ({ path: fakeUv, source: 'PATH', origin: 'PATH', skipped: [], ...over });
  const enforce = (extra: string[] = []) => config(['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${allowed}/uv"`, ...extra]);

  it('unset: uv is not even asked', () => {
    const c = enforce();
    expect(() => checkVersion(c, planOf(c), choice({ path: path.join(root, 'none') }), () => {})).not.toThrow();
  });

  it("a uv outside the range is refused, naming its version, the range and where it was set", () => {
    const c = enforce(['uv-version = ">=0.14"']);
    expect(() => checkVersion(c, planOf(c), choice(), () => {})).toThrow(UvVersionError);
    expect(() => checkVersion(c, planOf(c), choice(), () => {})).toThrow(`uv 0.13.9 at ${fakeUv} does not satisfy uv-version ">=0.14" (from ${ADMIN})`);
    // A managed uv's version is its folder's name: uv is not run.
    expect(() => checkVersion(c, planOf(c), choice({ path: path.join(root, 'none'), version: '0.14.1' }), () => {})).not.toThrow();
  });

  it('the version read is cached in the state folder the policy allows', () => {
    const c = enforce(['uv-version = ">=0.13"']);
    const plan = planOf(c);
    expect(plan.stateDir).toBe(path.join(allowed, 'uv', '.uvx-safe'));
    checkVersion(c, plan, choice(), () => {});
    expect(Object.values(JSON.parse(fs.readFileSync(path.join(allowed, 'uv', '.uvx-safe', 'uv-versions.json'), 'utf8')))).toEqual(['0.13.9']);
  });

  it('with no state folder allowed, nothing is written (one more `uv --version` next time)', () => {
    const c = config(['mode = "enforce"', `allowed-roots = ["${allowed}"]`, `data-root = "${root}/outside"`, 'uv-version = ">=0.13"']);
    const plan = planOf(c);
    expect(plan.stateDir).toBeUndefined();
    checkVersion(c, plan, choice(), () => {});
    expect(fs.existsSync(path.join(root, 'outside'))).toBe(false);
  });

  it('a state folder that cannot be made costs only the cache', () => {
    const c = enforce(['uv-version = ">=0.13"']);
    fs.writeFileSync(path.join(allowed, 'uv'), 'a file where the data root should be');
    const seen: string[] = [];
    checkVersion(c, planOf(c), choice(), (line) => seen.push(line));
    expect(seen.join('\n')).toMatch(/uv version not cached: cannot create uvx-safe's state folder/);
  });

  it('a uv whose version cannot be read: a uv-version error naming it, with a hint', () => {
    const c = enforce(['uv-version = ">=0.13"']);
    const missing = path.join(root, 'none', 'uv');
    let thrown: unknown;
    try {
      checkVersion(c, planOf(c), choice({ path: missing }), () => {});
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UvVersionError);
    expect((thrown as UvVersionError).message).toMatch(new RegExp(`^cannot read the version of ${missing}: .*ENOENT`));
    expect((thrown as UvVersionError).hint).toContain('safe doctor');
    // One that answers something else keeps its own words.
    fs.writeFileSync(fakeUv, '#!/bin/sh\necho "not uv"\n');
    expect(() => checkVersion(c, planOf(c), choice(), () => {})).toThrow(new RegExp(`^cannot read the version of ${fakeUv} from "not uv"$`));
  });
});
