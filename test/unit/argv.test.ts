// The read-only parser of uv's command line. Claims about how uv 0.13.9 reads a command line
// were checked against the pinned binary (.cache/uv-0.13.9/bin/uv, with UV_NO_CONFIG=1); the
// last three suites check the parser against that binary on every run.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { NEWEST_CHECKED_UV, OLDEST_CHECKED_UV, optionTakesValue, parseUvArgs, type ParsedUvArgs } from '../../src/uv/argv.js';
import {
  BLOCKING,
  classifyProbe,
  compareWithTables,
  describeDifferences,
  explainedAcrossVersions,
  isNewerUv,
  readUvCli,
  suggestTableEdits,
  type RunUvCli,
  type UvCli,
  type UvRunResult,
} from '../../src/uv/argv-check.js';
import { explain, getPython, getUv, runProgram, runUv, sandboxEnv } from '../helpers/uv.js';
import { offlineIndexArgs } from '../helpers/fixtures.js';
import { makeTempDir } from '../helpers/workspace.js';
import { UV_PIN } from '../setup/uv-binary.js';
import { CACHE_DIR } from '../helpers/paths.js';

const w = (s: string): string[] => s.split(' ').filter(Boolean);

/** The locations as compact [kind, flag, value?] tuples. */
function locs(args: string[]): (string | undefined)[][] {
  return parseUvArgs(args).locations.map((l) => (l.value === undefined ? [l.kind, l.flag] : [l.kind, l.flag, l.value]));
}

describe('empty and odd input', () => {
  it('parses an empty argv to nothing', () => {
    expect(parseUvArgs([])).toEqual({ command: [], locations: [], programIndex: -1, helpOrVersion: false, options: [] });
  });

  it('never throws, whatever it is given', () => {
    for (const bad of [undefined, null, 42, 'cache dir', [1, null, {}], ['-', '--', '---', '-=', '--=', ''], [Object.create(null), 'cache', 'dir']]) {
      expect(() => parseUvArgs(bad as unknown as string[])).not.toThrow();
    }
    // Not an array: nothing at all; a token that cannot be a string: an empty one.
    for (const bad of [undefined, 'cache dir', { 0: '--cache-dir', 1: '/c', length: 2 }])
      expect(parseUvArgs(bad as unknown as string[])).toEqual(parseUvArgs([]));
    expect(locs(['venv', Object.create(null)] as unknown as string[])).toEqual([]);
  });

  it('lists every option given to uv, as written, once per letter of a combined flag', () => {
    expect(parseUvArgs(w('-qn --offline cache -v dir')).options).toEqual(['-q', '-n', '--offline', '-v']);
    expect(parseUvArgs(w('pip install -qp3.12 --isolated x')).options).toEqual(['-q', '-p', '--isolated']);
  });

  it('records the index of the token holding each flag', () => {
    const parsed = parseUvArgs(w('-v --cache-dir /c cache dir -n --cache-dir=/d'));
    expect(parsed.locations.map((l) => [l.kind, l.index])).toEqual([
      ['cache', 1],
      ['no-cache', 5],
      ['cache', 6],
    ]);
  });
});

describe('global location options, in every spelling, before and after the subcommand', () => {
  it.each([
    ['--cache-dir /c cache dir', [['cache', '--cache-dir', '/c']]],
    ['--cache-dir=/c cache dir', [['cache', '--cache-dir', '/c']]],
    ['cache dir --cache-dir /c', [['cache', '--cache-dir', '/c']]],
    ['cache --cache-dir /c dir', [['cache', '--cache-dir', '/c']]],
    ['sync --cache-dir=/c', [['cache', '--cache-dir', '/c']]],
    ['pip install --cache-dir /c pkg', [['cache', '--cache-dir', '/c']]],
    ['--directory d sync', [['directory', '--directory', 'd']]],
    ['sync --directory=d', [['directory', '--directory', 'd']]],
    ['--project p lock', [['project', '--project', 'p']]],
    ['lock --project=p', [['project', '--project', 'p']]],
    ['--config-file f.toml sync', [['config-file', '--config-file', 'f.toml']]],
    ['sync --config-file=f.toml', [['config-file', '--config-file', 'f.toml']]],
    ['-n cache dir', [['no-cache', '-n']]],
    ['--no-cache cache dir', [['no-cache', '--no-cache']]],
    // `--no-cache-dir` is uv's alias of --no-cache (pip's spelling): `uv --no-cache-dir cache dir` prints a temp dir.
    ['--no-cache-dir cache dir', [['no-cache', '--no-cache-dir']]],
    ['cache dir -n', [['no-cache', '-n']]],
    // Combined short flags: `uv -qn`, `uv -nq`, `uv -vvn` all turn the cache off.
    ['-qn cache dir', [['no-cache', '-n']]],
    ['-nq cache dir', [['no-cache', '-n']]],
    ['sync -vvn', [['no-cache', '-n']]],
    [
      // uv: `--cache-dir /a cache dir --cache-dir /b` prints /b (given twice on ONE side, uv refuses).
      '--cache-dir /a cache dir --cache-dir /b',
      [
        ['cache', '--cache-dir', '/a'],
        ['cache', '--cache-dir', '/b'],
      ],
    ],
  ])('uv %s', (line, expected) => {
    expect(locs(w(line))).toEqual(expected);
  });

  it('reads globals between and after value-taking options of the subcommand', () => {
    expect(locs(w('pip install --python 3.12 --cache-dir /c -r req.txt --project p'))).toEqual([
      ['python', '--python', '3.12'],
      ['cache', '--cache-dir', '/c'],
      ['project', '--project', 'p'],
    ]);
  });

  it('ignores other global options that take values, and their values', () => {
    const parsed = parseUvArgs(w('--color never --allow-insecure-host h --python-preference only-system cache dir'));
    expect(parsed.command).toEqual(['cache', 'dir']);
    expect(parsed.locations).toEqual([]);
  });
});

describe('command-specific location options', () => {
  it.each([
    // `uv python install -i=/x` and `-i/x` both use /x (checked with `uv python uninstall`, which creates the dir).
    ['python install -i /py 3.12', 'python-install', '-i', '/py'],
    ['python install -i/py 3.12', 'python-install', '-i', '/py'],
    ['python install -i=/py 3.12', 'python-install', '-i', '/py'],
    ['python install --install-dir /py 3.12', 'python-install', '--install-dir', '/py'],
    ['python install --install-dir=/py', 'python-install', '--install-dir', '/py'],
    ['python install -qi/py 3.12', 'python-install', '-i', '/py'],
    ['python install 3.12 -i /py', 'python-install', '-i', '/py'],
    ['python upgrade -i /py', 'python-install', '-i', '/py'],
    ['python uninstall --install-dir /py 3.12', 'python-install', '--install-dir', '/py'],
    ['pip install --target /t pkg', 'target', '--target', '/t'],
    ['pip install --target=/t pkg', 'target', '--target', '/t'],
    ['pip install -t /t pkg', 'target', '-t', '/t'],
    ['pip install -t/t pkg', 'target', '-t', '/t'],
    ['pip install pkg -t=/t', 'target', '-t', '/t'],
    ['pip install --prefix /p pkg', 'prefix', '--prefix', '/p'],
    ['pip install --prefix=/p pkg', 'prefix', '--prefix', '/p'],
    ['pip sync --target /t req.txt', 'target', '--target', '/t'],
    ['pip uninstall --prefix /p pkg', 'prefix', '--prefix', '/p'],
    ['build -o /dist', 'out-dir', '-o', '/dist'],
    ['build -o/dist', 'out-dir', '-o', '/dist'],
    ['build --out-dir /dist', 'out-dir', '--out-dir', '/dist'],
    ['build --out-dir=/dist --sdist', 'out-dir', '--out-dir', '/dist'],
    ['venv env', 'venv', 'venv PATH', 'env'],
    ['virtualenv env', 'venv', 'venv PATH', 'env'],
    ['v env', 'venv', 'venv PATH', 'env'],
    ['venv --seed env', 'venv', 'venv PATH', 'env'],
    ['venv -- -odd', 'venv', 'venv PATH', '-odd'],
    // `-` alone is a value, never a (empty) group of short flags.
    ['venv -', 'venv', 'venv PATH', '-'],
  ])('uv %s', (line, kind, flag, value) => {
    expect(locs(w(line))).toEqual([[kind, flag, value]]);
  });

  it.each([
    // The same letters mean something else elsewhere: `pip install -i` is the index URL,
    // `export -o` an output FILE, `python find`/`python list` take no install dir.
    'pip install -i https://example.org/simple pkg',
    'pip compile -o out.txt req.in',
    'export -o requirements.txt',
    'python find --install-dir=/py',
    'pip list --target /t',
    // `uv publish -p` is the password.
    'publish -p secret',
  ])('uv %s names no location', (line) => {
    expect(locs(w(line))).toEqual([]);
  });

  it.each([
    // No PATH: `uv venv` uses .venv in the project; the request is the interpreter uv runs.
    ['venv --python 3.12', [['python', '--python', '3.12']]],
    ['venv -p3.12 --seed', [['python', '-p', '3.12']]],
    ['venv -p 3.12 env --seed', [['python', '-p', '3.12'], ['venv', 'venv PATH', 'env']]],
    ['pip compile -p /x/python req.in', [['python', '-p', '/x/python']]],
    ['tool install --python=./py ruff', [['python', '--python', './py']]],
    ['lock -p/opt/py', [['python', '-p', '/opt/py']]],
    // The REQUEST of `uv python find|pin|list`: the first positional.
    ['python find ./venv/bin/python', [['python', 'python find REQUEST', './venv/bin/python']]],
    ['python pin --no-project /opt/py 3.12', [['python', 'python pin REQUEST', '/opt/py']]],
    ['python list 3.12', [['python', 'python list REQUEST', '3.12']]],
    ['python install 3.12', []],
  ])('uv %s names the interpreter', (line, expected) => {
    expect(locs(w(line))).toEqual(expected);
  });

  it('takes only the first venv positional as the path', () => {
    expect(locs(w('venv one two'))).toEqual([['venv', 'venv PATH', 'one']]);
  });
});

describe('values that look like subcommands or options', () => {
  it('takes a subcommand name as the value of a global option', () => {
    // `uv --directory run cache dir` works in a folder containing `run`: `run` is the directory.
    expect(parseUvArgs(w('--directory run sync'))).toMatchObject({
      command: ['sync'],
      locations: [{ kind: 'directory', value: 'run' }],
      programIndex: -1,
    });
    expect(parseUvArgs(w('--project cache cache dir'))).toMatchObject({
      command: ['cache', 'dir'],
      locations: [{ kind: 'project', value: 'cache' }],
    });
  });

  it('never takes an option-like token as a value (uv refuses the line instead)', () => {
    // uv: `uv --cache-dir -x cache dir` -> "error: unexpected argument '-x' found".
    expect(parseUvArgs(w('--cache-dir -x cache dir'))).toMatchObject({ command: ['cache', 'dir'], locations: [] });
    expect(locs(w('--cache-dir --project p cache dir'))).toEqual([['project', '--project', 'p']]);
    expect(locs(w('python install -i -n'))).toEqual([['no-cache', '-n']]);
  });

  it('takes what follows `=` even when it looks like an option, and `-` alone', () => {
    // uv: `uv --cache-dir=-x cache dir` prints -x; `uv --cache-dir - cache dir` prints -.
    expect(locs(w('--cache-dir=-x cache dir'))).toEqual([['cache', '--cache-dir', '-x']]);
    expect(locs(w('--cache-dir - cache dir'))).toEqual([['cache', '--cache-dir', '-']]);
  });

  it('records no location for a missing or empty value', () => {
    // uv: `--cache-dir=`, `--cache-dir ""` and `uv venv ""` -> "error: a value is required ...".
    expect(locs(['--cache-dir'])).toEqual([]);
    expect(locs(['--cache-dir=', 'cache', 'dir'])).toEqual([]);
    expect(locs(['cache', 'dir', '--cache-dir', ''])).toEqual([]);
    expect(locs(['python', 'install', '-i='])).toEqual([]);
    expect(locs(['venv', ''])).toEqual([]);
    // uv reads an empty REQUEST as an executable name (`No interpreter found for executable name ```).
    expect(locs(['python', 'find', ''])).toEqual([]);
  });

  it('takes a subcommand-like value for an option of the subcommand', () => {
    expect(parseUvArgs(w('tool run --from cache ruff')).programIndex).toBe(4);
  });
});

describe('aliases map to canonical names', () => {
  it.each([
    ['tool uvx ruff', ['tool', 'run']],
    ['tool run ruff', ['tool', 'run']],
    ['virtualenv', ['venv']],
    ['v', ['venv']],
    ['pip ls', ['pip', 'list']],
    ['tool ls', ['tool', 'list']],
    ['python ls', ['python', 'list']],
    ['tool update ruff', ['tool', 'upgrade']],
    ['tool ensurepath', ['tool', 'update-shell']],
    ['cache clear', ['cache', 'clean']],
    ['-q pip -v install pkg', ['pip', 'install']],
    ['--cache-dir /c python install 3.12', ['python', 'install']],
    ['auth helper --protocol bazel get', ['auth', 'helper', 'get']],
  ])('uv %s -> %j', (line, command) => {
    expect(parseUvArgs(w(line)).command).toEqual(command);
  });

  it('recognises no subcommand after `--`', () => {
    // uv: `uv --cache-dir /a -- cache dir` -> "unexpected argument 'cache' found".
    expect(parseUvArgs(w('--cache-dir /a -- cache dir'))).toMatchObject({ command: [], programIndex: -1 });
    expect(parseUvArgs(w('cache -- dir')).command).toEqual(['cache']);
  });
});

describe('programs started by uv run, uv tool run and uvx', () => {
  it.each<[string, number, (string | undefined)[][]]>([
    // uv: `uv run --no-project python -c 'import sys;print(sys.argv)' --cache-dir /evil`
    // prints ['-c', '--cache-dir', '/evil']: the program's arguments, not uv's.
    ["run --with x python -c print(1) --cache-dir /evil", 3, []],
    ['run python -c pass -n --project /p', 1, []],
    // uv: `uv run --no-project --cache-dir /tmp/c3 python ...` creates /tmp/c3, never the program's.
    ['run --cache-dir /c script.py', 3, [['cache', '--cache-dir', '/c']]],
    ['run --python 3.12 --cache-dir X script', 5, [['python', '--python', '3.12'], ['cache', '--cache-dir', 'X']]],
    ['run -p 3.12 -n script --no-cache', 4, [['python', '-p', '3.12'], ['no-cache', '-n']]],
    ['--cache-dir /c run script.py --cache-dir /evil', 3, [['cache', '--cache-dir', '/c']]],
    ['run --with run script', 3, []],
    ['run -w run --env-file .env script', 5, []],
    ['run -m http.server --directory /srv', 2, []],
    ['run --script x.py --cache-dir /evil', 2, []],
    ['run -- python --cache-dir /evil', 2, []],
    // After `--` even an option-like token is the program.
    ['run --no-project -- --cache-dir /evil', 3, []],
    ['run --cache-dir=/c -- python', 3, [['cache', '--cache-dir', '/c']]],
    // uvx = `uv tool uvx` (the launcher invoked as uvx prepends "tool", "uvx").
    ['tool uvx --from pkg tool --cache-dir x', 4, []],
    ['tool run --from pkg tool --cache-dir x', 4, []],
    ['tool uvx --cache-dir /c ruff check --cache-dir x', 4, [['cache', '--cache-dir', '/c']]],
    ['tool uvx -w pkg -n ruff -n', 5, [['no-cache', '-n']]],
    ['tool uvx --python 3.12 ruff', 4, [['python', '--python', '3.12']]],
    ['tool uvx python3.12', 2, []],
    // `-` (the script on stdin) is the program, not a flag: what follows is its own.
    ['run - --cache-dir /evil', 1, []],
    // Unknown options are read as flags: we stop at the next positional, never read further.
    ['run --frobnicate value script --cache-dir /evil', 2, []],
  ])('uv %s', (line, programIndex, expected) => {
    const args = w(line);
    const parsed = parseUvArgs(args);
    expect(parsed.programIndex).toBe(programIndex);
    expect(locs(args)).toEqual(expected);
    // Nothing at or after the program is ever reported.
    expect(parsed.locations.every((l) => l.index < programIndex)).toBe(true);
  });

  it('reports no program when run/tool run name none, and for other commands', () => {
    expect(parseUvArgs(w('run --cache-dir /c')).programIndex).toBe(-1);
    expect(parseUvArgs(w('tool uvx')).programIndex).toBe(-1);
    expect(parseUvArgs(w('tool install ruff --cache-dir /c'))).toMatchObject({
      programIndex: -1,
      locations: [{ kind: 'cache', value: '/c' }],
    });
    expect(parseUvArgs(w('pip install ruff')).programIndex).toBe(-1);
  });
});

describe('--help, -h, --version, -V', () => {
  it.each([
    ['--help', true],
    ['-h', true],
    ['--version', true],
    ['-V', true],
    ['-qV', true],
    ['--version cache dir', true],
    ['cache dir --help', true],
    ['pip install -h pkg', true],
    ['run --help', true],
    ['--cache-dir /c tool uvx --help', true],
    // uv: `uv tool uvx -V` and `--version` print "uvx 0.13.9"; `uv tool run --version` is refused.
    ['tool uvx --version', true],
    ['tool uvx -V', true],
    ['tool run --version', false],
    // -V/--version belong to uv itself only: `uv cache dir --version` -> "unexpected argument".
    ['cache dir --version', false],
    ['cache dir -V', false],
    // `uv format --version X` is the Ruff version to use.
    ['format --version 0.6.0', false],
    // `uv help [COMMAND]` only prints help.
    ['help', true],
    ['help run', true],
    // The program's own --help/--version are not uv's.
    ['run python --help', false],
    ['run -- --version', false],
    ['tool uvx ruff --version', false],
    ['tool uvx --from pkg tool -h', false],
    ['', false],
    ['cache dir', false],
    // Other flags of uv itself and of uvx are neither.
    ['--offline cache dir', false],
    ['-q cache dir', false],
    ['tool uvx --offline ruff', false],
  ])('uv %s -> %s', (line, expected) => {
    expect(parseUvArgs(w(line)).helpOrVersion).toBe(expected);
  });
});

describe('unknown options', () => {
  it('reads an unknown option as a flag and carries on', () => {
    expect(parseUvArgs(w('--frobnicate --cache-dir /c cache --whatever=1 dir'))).toMatchObject({
      command: ['cache', 'dir'],
      locations: [{ kind: 'cache', value: '/c' }],
    });
    expect(parseUvArgs(w('-Z9 cache dir')).command).toEqual(['cache', 'dir']);
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real uv: the suite's (0.13.9), and for the tables the oldest supported and newest checked.

const uvEnv = () => ({ UV_NO_CONFIG: '1', COLUMNS: '200', NO_COLOR: '1', PATH: process.env.PATH ?? '' });

/** Runs this uv binary for the cross-check (wide, colourless help; no config file). */
const uvRunner = (uvPath: string) => async (args: readonly string[]) => {
  const r = await runProgram(uvPath, args, { env: uvEnv(), cwd: process.cwd() });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
};

/**
 * The cross-check asks each uv a few hundred questions (`--help` of every command, a probe per hidden
 * entry): 10-15 s a binary. A binary's answers never change, so they are kept in the suite's cache,
 * keyed by the binary (path, size, mtime) and the environment it is asked in; a question not kept
 * yet is asked of uv. The mutation run re-reads the tables for every mutant of argv.ts and
 * argv-check.ts, which this makes a matter of milliseconds.
 */
const recorded = new Map<string, { run: RunUvCli; save: () => void }>();
function recordedRunner(uvPath: string): { run: RunUvCli; save: () => void } {
  const known = recorded.get(uvPath);
  if (known) return known;
  const stat = fs.statSync(uvPath);
  const key = createHash('sha256')
    .update(JSON.stringify([fs.realpathSync(uvPath), stat.size, stat.mtimeMs, { ...uvEnv(), PATH: undefined }]))
    .digest('hex')
    .slice(0, 16);
  const file = path.join(CACHE_DIR, 'uv-cli-answers', `${key}.json`);
  let answers: Record<string, UvRunResult> = {};
  try {
    answers = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, UvRunResult>;
  } catch {
    // Not asked yet (or unreadable): every answer comes from uv.
  }
  let added = false;
  const ask = uvRunner(uvPath);
  const recorder = {
    run: async (args: readonly string[]) => {
      const question = JSON.stringify(args);
      const kept = answers[question];
      if (kept) return kept;
      const answer = await ask(args);
      answers[question] = answer;
      added = true;
      return answer;
    },
    save: () => {
      if (!added) return;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(answers));
      fs.renameSync(tmp, file);
      added = false;
    },
  };
  recorded.set(uvPath, recorder);
  return recorder;
}

afterAll(() => {
  for (const recorder of recorded.values()) recorder.save();
});

/** What each uv the suite checks says about its command line, read once per binary. */
const clis = new Map<string, Promise<UvCli>>();
function cliOf(uv: { version: string; path: string }): Promise<UvCli> {
  if (!clis.has(uv.path)) {
    clis.set(uv.path, readUvCli(recordedRunner(uv.path).run));
  }
  return clis.get(uv.path)!;
}
const argvUvs = inject('argvCheckUvs');

describe('the tables agree with `uv <command> --help`', () => {
  it('every listed option of the suite`s uv takes a value exactly when the parser says so, in every command', async () => {
    const cli = await cliOf({ version: inject('uvVersion'), path: getUv() });
    expect(cli.nodes.size).toBeGreaterThan(50);
    const mismatches: string[] = [];
    let checked = 0;
    for (const node of cli.nodes.values()) {
      for (const [name, valueName] of node.options) {
        checked++;
        if (optionTakesValue(node.command, name) !== (valueName !== undefined)) {
          mismatches.push(`uv ${node.command.join(' ')} ${name}: uv ${valueName ? 'takes' : 'takes no'} value`);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(mismatches).toEqual([]);
    // The suite's uv alone: no difference at all that blocks, hidden entries included.
    expect(describeDifferences(cli.version, compareWithTables(cli).filter((d) => BLOCKING.has(d.kind)))).toEqual([]);
  });

  it('checks the oldest supported, the pinned and the newest checked uv', () => {
    const versions = argvUvs.map((uv) => uv.version);
    expect(versions).toEqual(expect.arrayContaining([OLDEST_CHECKED_UV, UV_PIN, NEWEST_CHECKED_UV]));
    expect(isNewerUv(OLDEST_CHECKED_UV, NEWEST_CHECKED_UV)).toBe(false);
    // The suite's pinned uv lies inside the checked range.
    expect(isNewerUv(UV_PIN, NEWEST_CHECKED_UV) || isNewerUv(OLDEST_CHECKED_UV, UV_PIN)).toBe(false);
  });

  it.each(argvUvs.map((uv) => [uv.version, uv] as const))(
    'uv %s: every command, subcommand, value and location option is read as uv reads it',
    async (_version, uv) => {
      const all = await Promise.all(argvUvs.map(cliOf));
      const cli = await cliOf(uv);
      expect(cli.version).toBe(uv.version);
      // An option that takes a value in any checked uv is read as taking one (docs/design.md).
      const diffs = explainedAcrossVersions(compareWithTables(cli), all.filter((c) => c !== cli));
      expect(describeDifferences(cli.version, diffs.filter((d) => BLOCKING.has(d.kind)))).toEqual([]);
      // Hidden table entries were asked of uv itself (aliases, `uvx`, build-backend, ...).
      expect(cli.nodes.get('tool')?.subcommands).toEqual(expect.arrayContaining(['uvx', 'ls', 'update', 'ensurepath']));
      expect(cli.nodes.has('build-backend build-wheel')).toBe(true);
      expect(cli.nodes.get('')?.probed.get('--python-preference')).toBe('value');
    },
  );
});

describe('the cross-check finds what a newer uv would change', () => {
  /** The suite's uv, with its help texts edited as a newer release might print them. */
  const edited = (edit: (args: readonly string[], stdout: string) => string) => async (args: readonly string[]) => {
    if (args.join(' ') === 'tool sandbox --help') {
      return { exitCode: 0, stdout: 'Usage: uv tool sandbox\n\nOptions:\n  -h, --help  Display the help\n', stderr: '' };
    }
    const r = await recordedRunner(getUv()).run(args);
    return { ...r, stdout: edit(args, r.stdout) };
  };
  const helpOf = (args: readonly string[], ...command: string[]) => args.join(' ') === [...command, '--help'].join(' ');

  it('reports a new subcommand, a new value option, a new folder option and an option that became a flag', async () => {
    const cli = await readUvCli(
      edited((args, out) => {
        if (helpOf(args, 'tool')) return out.replace('\nCommands:\n', '\nCommands:\n  sandbox       Run a tool in a sandbox\n');
        if (helpOf(args, 'tool', 'install')) {
          return out.replace('\nOptions:\n', '\nOptions:\n      --bin-dir <BIN_DIR>  Where to link\n      --label <LABEL>  A label\n');
        }
        if (helpOf(args, 'venv')) return out.replace(/--prompt <PROMPT>/, '--prompt        ');
        return out;
      }),
    );
    const diffs = compareWithTables(cli);
    expect(diffs).toEqual(
      expect.arrayContaining([
        { kind: 'subcommand-missing', node: 'tool', name: 'sandbox' },
        { kind: 'value-missing', node: 'tool install', option: '--bin-dir', valueName: 'BIN_DIR' },
        { kind: 'folder-option', node: 'tool install', option: '--bin-dir', valueName: 'BIN_DIR' },
        { kind: 'value-missing', node: 'tool install', option: '--label', valueName: 'LABEL' },
        { kind: 'value-extra', node: 'venv', option: '--prompt' },
      ]),
    );
    expect(diffs.filter((d) => BLOCKING.has(d.kind))).toHaveLength(5);
    expect(suggestTableEdits(diffs)).toEqual([
      "SUBCOMMANDS['tool']: add 'sandbox'",
      "VALUE_OPTIONS['tool install']: add '--bin-dir --label'",
    ]);
    // `--prompt` takes a value in the real uv: checked together, the tables' reading stands.
    const real = await cliOf({ version: inject('uvVersion'), path: getUv() });
    expect(explainedAcrossVersions(diffs, [real]).some((d) => d.kind === 'value-extra')).toBe(false);
  });

  it('reads uv`s answer to a probe: value, flag, unknown option', () => {
    const r = (exitCode: number, stderr: string) => ({ exitCode, stdout: '', stderr });
    expect(classifyProbe('--x', r(0, ''))).toBe('value');
    expect(classifyProbe('--color', r(2, "error: invalid value 'x' for '--color <COLOR_CHOICE>'"))).toBe('value');
    expect(classifyProbe('--offline', r(2, "error: unexpected value 'x' for '--offline' found; no more were expected"))).toBe('flag');
    expect(classifyProbe('-q', r(2, "error: unexpected argument '-=' found"))).toBe('flag');
    expect(classifyProbe('--frob', r(2, "error: unexpected argument '--frob' found\n"))).toBe('unknown');
    expect(classifyProbe('--y', r(2, 'error: something else\nmore'))).toBe('error: something else');
  });
});

/** The cache dir the parser says uv will use: 'temp' for --no-cache, else the last --cache-dir, else the default. */
function parserCacheDir(parsed: ParsedUvArgs, cwd: string, defaultDir: string): string {
  if (parsed.locations.some((l) => l.kind === 'no-cache')) return 'temp';
  const last = parsed.locations.filter((l) => l.kind === 'cache').pop();
  return last?.value !== undefined ? path.resolve(cwd, last.value) : defaultDir;
}

describe('the parser picks the cache dir that uv reports (`uv ... cache dir`)', () => {
  it.each([
    'cache dir',
    '--cache-dir @A cache dir',
    '--cache-dir=@A cache dir',
    '--cache-dir rel cache dir',
    '--color never --cache-dir @A cache dir',
    '--directory run cache dir',
    '--project cache cache dir',
    '-n cache dir',
    '-vn cache dir',
    '--no-cache-dir cache dir',
    '--cache-dir @A -n cache dir',
    '--cache-dir=-x cache dir',
    'cache dir --cache-dir @A',
    'cache dir --cache-dir=@A -n',
    '--cache-dir @A cache dir --cache-dir @B',
    'cache --cache-dir @A dir',
    '--no-progress --offline cache dir --no-cache',
  ])('uv %s', async (line) => {
    const root = await makeTempDir('uvx-safe-argv-');
    try {
      const env = sandboxEnv(root);
      // A working folder holding folders named like subcommands, for `--directory run`.
      const cwd = path.join(root, 'work');
      for (const dir of ['run', 'cache']) fs.mkdirSync(path.join(cwd, dir), { recursive: true });
      const args = w(line.replaceAll('@A', path.join(root, 'A')).replaceAll('@B', path.join(root, 'B')));

      const r = await runUv(args, { env, cwd });
      expect(r.exitCode, explain(r)).toBe(0);
      const printed = r.stdout.trim();
      const uvSays = printed.startsWith(env.TMPDIR + path.sep) ? 'temp' : path.resolve(cwd, printed);

      const parsed = parseUvArgs(args);
      expect(parsed.command).toEqual(['cache', 'dir']);
      expect(parserCacheDir(parsed, cwd, path.join(env.XDG_CACHE_HOME, 'uv')), explain(r)).toBe(uvSays);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('uv run / uvx use the cache dir the parser found, never the program`s', () => {
  it.each([
    'run --no-project --cache-dir @A python -c pass --cache-dir @B',
    'run --no-project python -c pass --cache-dir @B',
    '--cache-dir @A run --no-project -- python -c pass --cache-dir @B',
    'run --python @PY --no-project --cache-dir @A python -c pass -n --cache-dir @B',
    '--cache-dir @A tool uvx @IDX --from hello-cli hello-cli --cache-dir @B',
    'tool run @IDX --from hello-cli hello-cli --cache-dir @B',
    'tool uvx @IDX --cache-dir @A -w hello-cli hello-cli --cache-dir @B -n',
  ])('uv %s', async (template) => {
    const root = await makeTempDir('uvx-safe-argv-');
    try {
      const env = sandboxEnv(root);
      const args = w(template).flatMap((t) =>
        t === '@IDX'
          ? offlineIndexArgs()
          : [t.replace('@A', path.join(root, 'A')).replace('@B', path.join(root, 'B')).replace('@PY', getPython())],
      );
      const r = await runUv(args, { env, cwd: env.HOME });
      expect(r.exitCode, explain(r)).toBe(0);

      const parsed = parseUvArgs(args);
      expect(parsed.programIndex).toBeGreaterThan(0);
      const expected = parserCacheDir(parsed, env.HOME, path.join(env.XDG_CACHE_HOME, 'uv'));
      expect(fs.existsSync(path.join(expected, 'CACHEDIR.TAG')), `${expected}\n${explain(r)}`).toBe(true);
      expect(fs.existsSync(path.join(root, 'B')), explain(r)).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
