// The ports of uv's own resolution rules (issue 15 item 3): the glob crate's patterns (workspace
// members/exclude), PEP 723 script blocks (uv-scripts `ScriptTag::parse`), workspace discovery
// (uv-workspace `find_workspace`) and the `uv run` target's folder. Cases from the crates' own tests;
// test/e2e/uv-agreement.test.ts holds the same rules against the real uv.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileGlob, globMatches, GlobPatternError, matchesWorkspaceGlob, normalizePosixPath } from '../../src/uv/glob-pattern.js';
import { parseScriptTag } from '../../src/uv/pep723.js';
import { findProjectDir as findProjectRoot, workspaceRoots } from '../../src/launch/workspace.js';
import { rustAbsolute, runSearchFrom, runsPep723 } from '../../src/launch/run-target.js';
import { parseUvArgs } from '../../src/uv/argv.js';

const matches = (pattern: string, text: string) => globMatches(compileGlob(pattern), text);

describe('glob patterns as uv 0.13 matches them (the glob crate, literal separator required)', () => {
  // Each of these was asked of uv 0.13.0 and 0.13.9 (`uv workspace dir` in a member).
  it('`*`, `?` and classes stop at `/`; `**` is a whole component; a leading dot needs no literal', () => {
    expect(matches('a*b', 'a_b')).toBe(true);
    expect(matches('packages/*', 'packages/a')).toBe(true);
    expect(matches('packages/*', 'packages/a/b')).toBe(false);
    expect(matches('pack*/b', 'packages/a/b')).toBe(false);
    expect(matches('packages/?', 'packages/a')).toBe(true);
    expect(matches('p?q', 'p/q')).toBe(false);
    expect(matches('a[/]b', 'a/b')).toBe(false);
    expect(matches('**/m', 'x/m')).toBe(true);
    expect(matches('a/*', 'a/.h')).toBe(true);
    expect(matches('libs/**', 'libs/x/y')).toBe(true);
    expect(matches('libs/**/z', 'libs/z')).toBe(true);
    expect(matches('libs/**/z', 'libs/x/y/z')).toBe(true);
    expect(matches('libs/**/z', 'libs/xz')).toBe(false);
    expect(matches('k[!e]tteh', 'kitteh')).toBe(true);
    expect(matches('k[!e]tteh', 'ketteh')).toBe(false);
    expect(matches('[a-c]x', 'bx')).toBe(true);
    expect(matches('[]]', ']')).toBe(true);
    expect(matches('[!]]', 'a')).toBe(true);
    expect(matches('abc-', 'abc-')).toBe(true);
    expect(matches('A*', 'a')).toBe(false); // case-sensitive
    expect(matches('*', '.hidden')).toBe(true); // no literal leading dot required
  });

  it('refuses what the crate refuses', () => {
    for (const bad of ['a/**b', 'a/bc**', 'a/*****', 'a**b', 'abc[def', 'abc[!def', 'abc[', 'abc[]', 'abc[!]'])
      expect(() => compileGlob(bad), bad).toThrow(GlobPatternError);
  });

  it('members are `escape(root)/normalize_path(glob)`; an absolute glob replaces the root', () => {
    expect(matchesWorkspaceGlob('/w/packages/a', '/w', ['./packages/*'])).toBe(true);
    expect(matchesWorkspaceGlob('/w/a', '/w', ['packages/../a'])).toBe(true);
    expect(matchesWorkspaceGlob('/w[1]/a', '/w[1]', ['a'])).toBe(true);
    expect(matchesWorkspaceGlob('/elsewhere/p', '/w', ['/elsewhere/*'])).toBe(true);
    expect(normalizePosixPath('./a//b/./c/..')).toBe('a/b');
    expect(normalizePosixPath('/../x')).toBe('/../x');
    // A `..` pops a name, never another `..`.
    expect(normalizePosixPath('../../x')).toBe('../../x');
    expect(normalizePosixPath('a/../../x')).toBe('../x');
    // A root with a trailing separator, or the file system's root itself.
    expect(matchesWorkspaceGlob('/w/pkgs/a', '/w/', ['pkgs/*'])).toBe(true);
    expect(matchesWorkspaceGlob('/pkgs/a', '/', ['pkgs/*'])).toBe(true);
  });

  it('character classes: ranges at their bounds, a `-` at either end is itself, `!` negates, each member alone', () => {
    expect(matches('[a-c]', 'a')).toBe(true);
    expect(matches('[a-c]', 'c')).toBe(true);
    expect(matches('[a-c]', 'd')).toBe(false);
    expect(matches('[a-]', 'a')).toBe(true);
    expect(matches('[a-]', '-')).toBe(true);
    expect(matches('[-a]', '-')).toBe(true);
    expect(matches('[axz]', 'm')).toBe(false);
    expect(matches('[ab]', 'a')).toBe(true);
    expect(matches('[ab]', 'c')).toBe(false);
    expect(matches('[b]', '[')).toBe(false);
    expect(matches('[!b]', '[')).toBe(true);
    expect(matches('[!ab]', 'b')).toBe(false);
    expect(matches('[!ab]', 'c')).toBe(true);
    expect(matches('[!a-c]', 'b')).toBe(false);
    expect(matches('[!a-c]', 'd')).toBe(true);
    expect(matches('x[ab]y', 'xby')).toBe(true);
    expect(matches('x[!a]y', 'x/y')).toBe(false);
  });

  it('says why the crate refuses a pattern', () => {
    expect(() => compileGlob('a/***')).toThrow('wildcards are either regular `*` or recursive `**`');
    expect(() => compileGlob('a**')).toThrow('recursive wildcards must form a single path component');
    expect(() => compileGlob('a/**b')).toThrow('recursive wildcards must form a single path component');
    expect(() => compileGlob('a[')).toThrow('invalid range pattern');
  });
});

describe('PEP 723 blocks as uv-scripts finds them', () => {
  const tag = (text: string) => parseScriptTag(Buffer.from(text)).kind;
  it('accepts the plain block, with a shebang, CRLF, and trailing comment lines', () => {
    expect(tag('# /// script\n# dependencies = []\n# ///\nprint(1)\n')).toBe('script');
    expect(tag('#!/usr/bin/env python3\n# /// script\n# ///\n')).toBe('script');
    expect(tag('# /// script\r\n# dependencies = []\r\n# ///\r\n')).toBe('script');
    expect(tag('# /// script\n#\n# ///\n#\n# ///\n')).toBe('script');
  });
  it('sees no block when the first `# /// script` is not a whole line at a line start', () => {
    expect(tag('# /// script \n# ///\n')).toBe('none'); // trailing space
    expect(tag('x = 1 # /// script\n# /// script\n# ///\n')).toBe('none'); // the first occurrence decides
    expect(tag('# /// scripts\n# ///\n')).toBe('none');
    expect(tag('print(1)\n')).toBe('none');
  });
  it('fails where uv fails: unclosed, duplicate, not UTF-8', () => {
    expect(tag('# /// script\n# dependencies = []\n')).toBe('error');
    expect(tag('# /// script\n# ///\n\n# /// script\n# ///\n')).toBe('error');
    expect(parseScriptTag(Buffer.from([0xff, 0x0a, ...Buffer.from('# /// script\n# ///\n')])).kind).toBe('error');
  });
});

describe('workspace roots and the `uv run` target folder, on disk', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-ws-')));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const project = (name: string, extra = '') => `[project]\nname = "${name}"\nversion = "1"\n${extra}`;

  it('the first pyproject.toml above a project decides, however far up', () => {
    write('a/pyproject.toml', project('a', '[tool.uv.workspace]\nmembers = ["**"]\n'));
    write('a/mid/pyproject.toml', project('mid'));
    write('a/mid/p/pyproject.toml', project('p'));
    write('a/q/r/pyproject.toml', project('r'));
    expect(workspaceRoots(path.join(root, 'a/mid/p'))).toEqual([path.join(root, 'a/mid/p')]);
    expect(workspaceRoots(path.join(root, 'a/q/r/src'))).toEqual([path.join(root, 'a')]);
  });

  it('a table without [project] is its own root; managed = false means no project; a folder named pyproject.toml does not count', () => {
    write('b/pyproject.toml', project('b', '[tool.uv.workspace]\nmembers = ["*"]\n'));
    write('b/x/pyproject.toml', '[dependency-groups]\ndev = []\n');
    write('b/y/pyproject.toml', project('y', '[tool.uv]\nmanaged = false\n'));
    fs.mkdirSync(path.join(root, 'b/z/pyproject.toml'), { recursive: true });
    expect(workspaceRoots(path.join(root, 'b/x'))).toEqual([path.join(root, 'b/x')]);
    expect(workspaceRoots(path.join(root, 'b/y'))).toEqual([]);
    expect(workspaceRoots(path.join(root, 'b/z'))).toEqual([path.join(root, 'b')]);
  });

  it('a key spelled with escapes is still the workspace; broken TOML above yields both candidates', () => {
    write('c/pyproject.toml', project('c', '[tool."uv"."\\u0077orkspace"]\nmembers = ["m"]\n'));
    write('c/m/pyproject.toml', project('m'));
    expect(workspaceRoots(path.join(root, 'c/m'))).toEqual([path.join(root, 'c')]);
    write('d/pyproject.toml', '[project\n');
    write('d/m/pyproject.toml', project('m'));
    expect(workspaceRoots(path.join(root, 'd/m'))).toEqual([path.join(root, 'd/m'), path.join(root, 'd')]);
  });

  it('`uv run dir/script.py` searches from dir; a PEP 723 script uses no project', () => {
    write('e/tools/plain.py', 'print(1)\n');
    write('e/tools/inline.py', '# /// script\n# dependencies = []\n# ///\n');
    const run = (line: string) => parseUvArgs(line.split(' '));
    expect(runSearchFrom(run('run tools/plain.py'), path.join(root, 'e'))).toBe(path.join(root, 'e/tools'));
    expect(runSearchFrom(run('run ../e/tools/plain.py'), path.join(root, 'e'))).toBe(`${path.join(root, 'e')}/../e/tools`);
    expect(runSearchFrom(run('run plain.py'), path.join(root, 'e/tools'))).toBeUndefined();
    expect(runSearchFrom(run('run tools/missing.py'), path.join(root, 'e'))).toBeUndefined();
    expect(runSearchFrom(run('run --script tools/missing'), path.join(root, 'e'))).toBe(path.join(root, 'e/tools'));
    expect(runsPep723(run('run tools/inline.py'), path.join(root, 'e'))).toBe(true);
    expect(runsPep723(run('run tools/plain.py'), path.join(root, 'e'))).toBe(false);
    expect(runsPep723(run('run -m tools/inline.py'), path.join(root, 'e'))).toBe(false);
    expect(rustAbsolute('/w', './a//b/../c/')).toBe('/w/a/b/../c');
  });

  // What uv rejects or reads otherwise (mutation testing, docs/design.md "Testing"): a workspace table of
  // the wrong types is no guess (both candidates); members/exclude decide; a glob the crate refuses too.
  it('workspace tables: wrong types give both candidates; exclude, unlisted members and missing keys leave the project its own root', () => {
    const roots = (name: string, workspace: string, projectExtra = '') => {
      write(`g/${name}/pyproject.toml`, project('ws', workspace));
      write(`g/${name}/p/pyproject.toml`, project('p', projectExtra));
      return workspaceRoots(path.join(root, `g/${name}/p`));
    };
    const both = (name: string) => [path.join(root, `g/${name}/p`), path.join(root, `g/${name}`)];
    const own = (name: string) => [path.join(root, `g/${name}/p`)];
    expect(roots('ok', '[tool.uv.workspace]\nmembers = ["p"]\n')).toEqual([path.join(root, 'g/ok')]);
    expect(roots('str', '[tool.uv.workspace]\nmembers = "p"\n')).toEqual(both('str'));
    expect(roots('num', '[tool.uv.workspace]\nmembers = ["p", 1]\n')).toEqual(both('num'));
    expect(roots('excl-num', '[tool.uv.workspace]\nmembers = ["p"]\nexclude = [2]\n')).toEqual(both('excl-num'));
    expect(roots('not-table', '[tool.uv]\nworkspace = ["p"]\n')).toEqual(both('not-table'));
    expect(roots('managed-str', '[tool.uv]\nmanaged = "no"\n')).toEqual(both('managed-str'));
    expect(roots('glob', '[tool.uv.workspace]\nmembers = ["a**"]\n')).toEqual(both('glob'));
    expect(roots('excluded', '[tool.uv.workspace]\nmembers = ["*"]\nexclude = ["p"]\n')).toEqual(own('excluded'));
    expect(roots('unlisted', '[tool.uv.workspace]\nmembers = ["q"]\n')).toEqual(own('unlisted'));
    expect(roots('no-members', '[tool.uv.workspace]\nexclude = []\n')).toEqual(own('no-members'));
    expect(roots('no-exclude', '[tool.uv.workspace]\nmembers = ["p"]\n')).toEqual([path.join(root, 'g/no-exclude')]);
    // tool.uv that is not a table is no workspace and no managed = false.
    expect(roots('uv-array', 'tool = { uv = [1] }\n')).toEqual(own('uv-array'));
    // The project's own broken workspace table: both it and what lies above.
    expect(roots('own-broken', '[tool.uv.workspace]\nmembers = ["p"]\n', '[tool.uv.workspace]\nmembers = 3\n')).toEqual([
      path.join(root, 'g/own-broken/p'),
      path.join(root, 'g/own-broken'),
    ]);
  });

  it('a search that meets no pyproject.toml up to the root ends there', () => {
    const start = path.join(root, 'h/deep/er');
    fs.mkdirSync(start, { recursive: true });
    // What lies above the scratch folder is the host's: the answer is the first ancestor with a pyproject.toml, if any.
    let above: string | undefined;
    for (let dir = path.dirname(root); above === undefined; dir = path.dirname(dir)) {
      if (fs.statSync(path.join(dir, 'pyproject.toml'), { throwIfNoEntry: false })?.isFile()) above = dir;
      if (path.dirname(dir) === dir) break;
    }
    expect(findProjectRoot(start)).toBe(above);
    if (above === undefined) expect(workspaceRoots(start)).toEqual([]);
  });

  // Every kind of target uv tells apart (mutation testing, docs/design.md "Testing"): which folder the
  // project search starts from decides which .venv the launcher judges.
  it('`uv run` targets: package folders, zipapps, .pyw/.pyc, stdin, URLs, modules, and what is no `uv run`', () => {
    write('f/tools/pkg/__main__.py', 'print(1)\n');
    fs.mkdirSync(path.join(root, 'f/tools/plain-dir'), { recursive: true });
    write('f/tools/app.pyz', Buffer.concat([Buffer.from('#!python\n'), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]).toString('latin1'));
    write('f/tools/notes.txt', 'just text\n');
    write('f/tools/gui.pyw', '# /// script\n# dependencies = []\n# ///\n');
    write('f/tools/old.pyc', 'x');
    // A URL is never read as a file, even where one of that name exists.
    write('f/https:/example.org/tools/gui.py', '# /// script\n# dependencies = []\n# ///\n');
    write('f/http:/example.org/tools/gui.py', '# /// script\n# dependencies = []\n# ///\n');
    const cwd = path.join(root, 'f');
    const tools = path.join(root, 'f/tools');
    const from = (line: string) => runSearchFrom(parseUvArgs(line.split(' ')), cwd);
    expect(from('run tools/pkg/')).toBe(tools);
    expect(from('run tools/pkg')).toBe(tools);
    expect(from('run tools/plain-dir')).toBeUndefined();
    expect(from('run tools/app.pyz')).toBe(tools);
    expect(from('run tools/notes.txt')).toBeUndefined();
    expect(from('run tools/gui.pyw')).toBe(tools);
    expect(from('run tools/old.pyc')).toBe(tools);
    for (const flag of ['-s', '--gui-script']) expect(from(`run ${flag} tools/missing`), flag).toBe(tools);
    expect(from('run --script /missing')).toBe('/');
    for (const line of ['run -', 'run https://example.org/tools/gui.py', 'run http://example.org/tools/gui.py', 'run -m tools/pkg', 'run --module tools/pkg'])
      expect(from(line), line).toBeUndefined();
    for (const line of ['run --help tools/gui.pyw', 'tool run tools/gui.pyw', 'run'])
      expect(from(line), line).toBeUndefined();
    const pep723 = (line: string) => runsPep723(parseUvArgs(line.split(' ')), cwd);
    expect(pep723('run tools/gui.pyw')).toBe(true);
    expect(pep723('run --help tools/gui.pyw')).toBe(false);
    expect(pep723('tool run tools/gui.pyw')).toBe(false);
    expect(pep723('run -m tools/gui.pyw')).toBe(false);
    expect(pep723('run https://example.org/tools/gui.py')).toBe(false);
  });
});
