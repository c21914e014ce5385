// `safe config validate` (src/config/validate.ts) as a function: every file the launcher would read,
// each checked on its own, with the line of what is wrong and what to do instead (issue 19). The
// e2e config-command tests run the same through the bundle; these reach each rule's mutants.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultLayerFor, validateAll, validateFile } from '../../src/config/validate.js';
import { configError } from '../helpers/config-error.js';
import { skipOrFail } from '../helpers/system-tools.js';

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-validate-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('templates in path values', () => {
  it('an unknown template is an error naming the key, its line and the templates there are, in every path key', () => {
    const cases: [string, string][] = [
      ['allowed-roots = ["/a", "{hmoe}/dev"]', 'allowed-roots'],
      ['allowed-roots = [{ path = "{hmoe}/dev", optional = true }]', 'allowed-roots'],
      ['data-root = "{hmoe}/uv"', 'data-root'],
      ['uv-path = "{hmoe}/uv"', 'uv-path'],
      ['safe-directories = ["{hmoe}/dev"]', 'safe-directories'],
      ['mode = "warn"\n[locations]\ncache = "{hmoe}/c"', 'locations.cache'],
    ];
    for (const [text, key] of cases) {
      const file = write('policy.toml', text);
      const err = configError(() => validateFile(file, 'admin'));
      expect(err.key, text).toBe(key);
      expect(err.problem, text).toBe('unknown template {hmoe} (did you mean "home"?)');
      expect(err.line, text).toBe(text.split('\n').findIndex((line) => line.includes('{hmoe}')) + 1);
      expect(err.hint, text).toContain('{data-root}, {home}, {user}, {env:NAME}');
    }
  });

  it("the report's path, as a string or in its table", () => {
    for (const [text, key] of [
      ['report = "{env:LOGS}/{hmoe}.jsonl"', 'report'],
      ['[report]\npath = "{env:LOGS}/{hmoe}.jsonl"', 'report.path'],
    ] as const) {
      const err = configError(() => validateFile(write('policy.toml', text), 'admin'));
      expect(err.key, text).toBe(key);
      expect(err.problem, text).toContain('unknown template {hmoe}');
    }
  });

  it('the known templates pass, and {data-root} in data-root is left to the launcher', () => {
    const file = write(
      'policy.toml',
      'allowed-roots = ["{home}/dev", "/srv/{user}"]\ndata-root = "{env:DEV}/uv"\nsafe-directories = ["~/x"]\nreport = "{data-root}/r.jsonl"\n[locations]\ncache = "{data-root}/c"',
    );
    expect(validateFile(file, 'admin').warnings).toEqual([]);
    expect(validateFile(write('loop.toml', 'data-root = "{data-root}/uv"'), 'admin').layer.config['data-root']).toBe('{data-root}/uv');
    expect(configError(() => validateFile(write('loop.toml', 'uv-path = "{data-root}/uv/{}"'), 'admin')).problem).toBe('unknown template {}');
  });

  it('suggests the template meant', () => {
    for (const [typo, meant] of [['hmoe', 'home'], ['usr', 'user'], ['data_root', 'data-root'], ['emv:NAME', 'env:NAME']]) {
      const err = configError(() => validateFile(write('policy.toml', `data-root = "/x/{${typo}}"`), 'admin'));
      expect(err.problem, typo).toBe(`unknown template {${typo}} (did you mean "${meant}"?)`);
    }
  });

  it("Windows: cmd's %NAME% is refused naming the key and its line, with the {env:NAME} to write", () => {
    const file = write('policy.toml', 'mode = "warn"\n[locations]\ncache = "%LOCALAPPDATA%\\\\uv"');
    const err = configError(() => validateFile(file, 'admin', 'win32'));
    expect(err.key).toBe('locations.cache');
    expect(err.line).toBe(3);
    expect(err.problem).toContain('{env:LOCALAPPDATA}');
    // On POSIX `%` means nothing: a folder's name like any other.
    expect(validateFile(file, 'admin', 'linux').warnings).toEqual([]);
  });

  it('in a pyproject.toml the key is named under tool.uvx-safe', () => {
    const file = write('pyproject.toml', '[project]\nname = "app"\n\n[tool.uvx-safe]\nmode = "warn"\nsafe-directories = ["{hmoe}"]\n');
    const err = configError(() => validateFile(file, 'project'));
    expect(err.key).toBe('tool.uvx-safe.safe-directories');
    expect(err.line).toBe(6);
  });
});

describe('one file', () => {
  it('is checked as a project file by its name, else as the admin policy', () => {
    for (const name of ['pyproject.toml', 'uvx-safe.toml', '.uvx-safe.toml']) expect(defaultLayerFor(path.join('/r', name)), name).toBe('project');
    for (const name of ['config.toml', 'uvx-safe.toml.bak', 'policy.toml']) expect(defaultLayerFor(path.join('/etc', name)), name).toBe('admin');
  });

  it('missing, or a pyproject.toml without our table: an error saying what to name instead', () => {
    const missing = configError(() => validateFile(path.join(dir, 'nope.toml'), 'admin'));
    expect(missing.problem).toBe('does not exist');
    expect(missing.hint).toContain('name an existing file');
    const bare = configError(() => validateFile(write('pyproject.toml', '[project]\nname = "uvx-safe-demo"\n'), 'project'));
    expect(bare.problem).toBe('has no [tool.uvx-safe] table');
    expect(bare.hint).toContain('[tool.uvx-safe]');
  });

  it('checked as the layer named, with the warnings the merge gives that layer', () => {
    const pyproject = write('pyproject.toml', '[tool.uvx-safe]\nallowed-roots = ["/"]\n');
    const asProject = validateFile(pyproject, 'project');
    expect(asProject.layer.name).toBe('project');
    expect(asProject.warnings).toEqual([`${pyproject}: allowed-roots cannot be set by a project config; ignored`]);
    const asAdmin = validateFile(pyproject, 'admin');
    expect(asAdmin.layer.name).toBe('admin');
    expect(asAdmin.warnings).toEqual([]);
  });

  it("the merge's refusal of a location variable in [env] gets the line of the key", () => {
    const file = write('policy.toml', 'mode = "warn"\n\n[env]\nUV_LINK_MODE = "copy"\nUV_CACHE_DIR = "/x"\n');
    const err = configError(() => validateFile(file, 'admin'));
    expect(err.key).toBe('env.UV_CACHE_DIR');
    expect(err.line).toBe(5);
    expect(err.hint).toContain('[locations]');
  });
});

describe('every file the launcher would read', () => {
  const host = (env: Record<string, string>) => ({
    platform: 'linux' as const,
    env: { XDG_CONFIG_HOME: path.join(dir, 'xdg'), ...env },
    home: dir,
    user: 'ann',
  });

  it('admin, user, project and environment, each checked, the layers that passed kept', () => {
    const admin = write('etc/policy.toml', 'mode = "warn"\nallowed-roots = ["/dev"]');
    const user = write('xdg/uvx-safe/config.toml', 'locked = ["mode"]');
    const project = write('repo/uvx-safe.toml', 'mode = "enforce"');
    const result = validateAll(host({ UVX_SAFE_SYSTEM_CONFIG: admin, UVX_SAFE_MODE: 'warn', UVX_SAFE_X: '1' }), path.dirname(project));
    expect(result.checked).toEqual([
      { source: admin, layer: 'admin' },
      { source: user, layer: 'user' },
      { source: project, layer: 'project' },
      { source: 'environment', layer: 'env' },
    ]);
    expect(result.layers.map((l) => l.name)).toEqual(['admin', 'user', 'project', 'env']);
    expect(result.warnings).toEqual(['UVX_SAFE_X is not a uvx-safe variable; ignored']);
  });

  it('no files and no variables: nothing to check (the default admin path may be missing)', () => {
    expect(validateAll(host({}), dir)).toEqual({ checked: [], warnings: [], layers: [] });
  });

  it('each error is kept with the file it names, and the other layers are still checked', () => {
    const missing = path.join(dir, 'etc', 'nope.toml');
    const user = write('xdg/uvx-safe/config.toml', 'mood = "warn"');
    const project = write('repo/uvx-safe.toml', 'mode = = "x"');
    const result = validateAll(host({ UVX_SAFE_SYSTEM_CONFIG: missing, UVX_SAFE_DATA_ROOT: 'relative' }), path.dirname(project));
    expect(result.checked.map((c) => [c.source, c.layer])).toEqual([
      ['environment variable UVX_SAFE_SYSTEM_CONFIG', 'admin'],
      [user, 'user'],
      [project, 'project'],
      ['environment', 'env'],
    ]);
    const problems = result.checked.map((c) => c.error?.problem);
    expect(problems[0]).toBe(`names ${missing}, which does not exist`);
    expect(problems[1]).toMatch(/^unknown key/);
    expect(problems[2]).toMatch(/^invalid value/);
    expect(problems[3]).toMatch(/^"relative" is a relative path/);
    expect(result.layers).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('a missing policy named by UVX_SAFE_SYSTEM_CONFIG is one error, whatever else is missing', () => {
    const result = validateAll(host({ UVX_SAFE_SYSTEM_CONFIG: path.join(dir, 'nope.toml') }), dir);
    expect(result.checked.map((c) => c.source)).toEqual(['environment variable UVX_SAFE_SYSTEM_CONFIG']);
  });

  it('a project file the search reads but validation refuses (an unknown template) is an error, not a layer', () => {
    const admin = write('etc/policy.toml', 'mode = "warn"');
    const project = write('repo/uvx-safe.toml', 'mode = "warn"\n\n[locations]\ncache = "{hmoe}/c"\n');
    const result = validateAll(host({ UVX_SAFE_SYSTEM_CONFIG: admin }), path.dirname(project));
    expect(result.checked.map((c) => [c.source, c.error?.key])).toEqual([
      [admin, undefined],
      [project, 'locations.cache'],
    ]);
    expect(result.layers.map((l) => l.name)).toEqual(['admin']);
  });

  it("a project file another user owns is named among the warnings, not checked (the launcher's rule)", (ctx) => {
    if (process.getuid?.() !== 0) skipOrFail(ctx, 'needs root, to give a file to another user (chown)');
    const project = write('repo/uvx-safe.toml', 'mood = "x"');
    fs.chownSync(project, 4242, 4242);
    const result = validateAll(host({}), path.dirname(project));
    expect(result.checked).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain(`${project}: owned by uid 4242`);
  });
});
