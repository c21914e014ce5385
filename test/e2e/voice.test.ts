// The launcher speaks uv's language (design.md, "Messages"): `error:`/`hint:` lines, coloured on a
// terminal as uv colours them, plain through a pipe or with NO_COLOR, whatever form runs.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { expectRefused, policySandbox, writeLines, type PolicySandbox } from '../helpers/refusal.js';
import { explain, getUv, LAUNCHER, runLauncher } from '../helpers/uv.js';
import { needTool } from '../helpers/system-tools.js';

let box: PolicySandbox;
beforeEach(async () => {
  box = await policySandbox('uvx-safe-voice-');
  writeLines(box.adminFile, ['mode = "enforce"', `allowed-roots = ["${box.allowed}"]`]);
});
afterEach(async () => {
  await fs.promises.rm(box.root, { recursive: true, force: true });
});

/** stderr of the launcher written to a pseudo-terminal (python3's pty), as a user at a terminal sees it. */
async function onTerminal(args: string[], env: Record<string, string | undefined>): Promise<{ exitCode: number; stderr: string }> {
  const script = [
    'import os, subprocess, sys',
    'm, s = os.openpty()',
    'p = subprocess.run(sys.argv[1:], stderr=s, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)',
    'os.close(s)',
    'out = b""',
    'while True:',
    '    try: chunk = os.read(m, 65536)',
    '    except OSError: break',
    '    if not chunk: break',
    '    out += chunk',
    'sys.stdout.buffer.write(out); sys.exit(p.returncode)',
  ].join('\n');
  const full = { ...env, PATH: `${path.dirname(getUv())}:${env.PATH}` };
  const r = await execa('python3', ['-c', script, process.execPath, LAUNCHER, ...args], { env: full, extendEnv: false, reject: false, cwd: box.root });
  // The terminal turns \n into \r\n.
  return { exitCode: r.exitCode ?? -1, stderr: r.stdout.replace(/\r\n/g, '\n') };
}

const RED_ERROR = '\u001b[1m\u001b[31merror\u001b[39m\u001b[0m\u001b[1m:\u001b[0m uvx-safe: ';
const CYAN_HINT = '\u001b[36m\u001b[1mhint\u001b[0m\u001b[39m\u001b[1m:\u001b[0m ';

describe('a refusal in uv\'s voice', () => {
  it('through a pipe: plain `error: uvx-safe:` and `hint:` lines, whatever the terminal type', async () => {
    const r = await runLauncher(['--cache-dir', box.outside, 'cache', 'dir'], { env: { ...box.env, NO_COLOR: undefined, TERM: 'xterm-256color' } });
    const refusal = expectRefused(r, `--cache-dir ${box.outside} lies outside allowed-roots (${box.allowed})`);
    expect(refusal.hint).toBe(`use a folder inside ${box.allowed}, or leave --cache-dir out (uvx-safe places uv's cache itself)`);
    expect(r.stderr, explain(r)).not.toContain('\u001b[');
  });

  it('on a terminal: coloured as uv colours (bold red error, bold cyan hint); NO_COLOR and --color never turn it off', async (ctx) => {
    needTool(ctx, 'python3');
    const env = { ...box.env, NO_COLOR: undefined, TERM: 'xterm-256color' };
    const coloured = await onTerminal(['--cache-dir', box.outside, 'cache', 'dir'], env);
    expect(coloured.exitCode, coloured.stderr).toBe(2);
    expect(coloured.stderr).toContain(`${RED_ERROR}--cache-dir ${box.outside} lies outside allowed-roots`);
    expect(coloured.stderr).toContain(`\n\n${CYAN_HINT}use a folder inside ${box.allowed}`);

    for (const [args, extra] of [
      [[], { NO_COLOR: '1' }],
      [['--color', 'never'], {}],
      [[], { TERM: 'dumb' }],
    ] as const) {
      const plain = await onTerminal([...args, '--cache-dir', box.outside, 'cache', 'dir'], { ...env, ...extra });
      expect(plain.exitCode, plain.stderr).toBe(2);
      expect(plain.stderr, JSON.stringify({ args, extra })).toMatch(/^error: uvx-safe: --cache-dir .* lies outside allowed-roots/);
      expect(plain.stderr).not.toContain('\u001b[');
    }
  });

  it('FORCE_COLOR or uv\'s --color always colour a pipe too, as they do uv\'s own output', async () => {
    for (const [args, extra] of [
      [[], { FORCE_COLOR: '1' }],
      [['--color=always'], {}],
    ] as const) {
      const r = await runLauncher([...args, '--cache-dir', box.outside, 'cache', 'dir'], { env: { ...box.env, NO_COLOR: undefined, ...extra } });
      expect(r.exitCode, explain(r)).toBe(2);
      expect(r.stderr, explain(r)).toContain(RED_ERROR);
    }
  });
});
