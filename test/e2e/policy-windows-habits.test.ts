// Policy files as Windows admins write them (issue 14 items 3 and 4), the same in `safe config
// validate` and at launch. Encodings: a UTF-8 byte-order mark and
// CRLF line ends are read as they are; UTF-16 (PowerShell 5.1's `>` and Out-File, Notepad's
// "Unicode") and ANSI (Windows-1252, not valid UTF-8) are one line naming the file and saying to
// save it as UTF-8, the same in `safe config validate` and at launch (one reader), and nothing is
// created (an ANSI é read as U+FFFD once made a folder of that name).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvalid, expectRefused, policySandbox, type PolicySandbox } from '../helpers/refusal.js';
import { explain, runLauncher } from '../helpers/uv.js';

let box: PolicySandbox;
beforeAll(async () => {
  box = await policySandbox('uvx-safe-winhabits-');
  fs.mkdirSync(path.dirname(box.adminFile), { recursive: true });
});
afterAll(() => fs.promises.rm(box.root, { recursive: true, force: true }));

/** The policy's lines: a data root whose last folder has an é. */
const policyLines = () => ['mode = "enforce"', `allowed-roots = ["${box.allowed}"]`, `data-root = "${box.allowed}/café"`];

const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
};

/** What the line says after the file's name. */
const ENCODINGS: [string, (text: string) => Buffer, string][] = [
  ['UTF-16 LE with a byte-order mark', (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]), ': is saved as UTF-16 LE'],
  ['UTF-16 BE with a byte-order mark', (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(t)]), ': is saved as UTF-16 BE'],
  ['ANSI (Windows-1252)', (t) => Buffer.from(t, 'latin1'), ':3: is not valid UTF-8 (saved as ANSI?)'],
];

describe('a policy file saved', () => {
  it.each(ENCODINGS)('as %s: one line naming the file, "save it as UTF-8", at launch and in validate; nothing created', async (_name, encode, problem) => {
    fs.writeFileSync(box.adminFile, encode(`${policyLines().join('\r\n')}\r\n`));
    const launch = await runLauncher(['cache', 'dir'], { env: box.env });
    expectRefused(launch, `${box.adminFile}${problem}`, 'save it as UTF-8');
    expect(fs.readdirSync(box.allowed)).toEqual([]);
    const validate = await runLauncher(['safe', 'config', 'validate', box.adminFile], { env: box.env, uv: 'none' });
    // validate exits 1 on an invalid file (the launcher refuses with 2); the words are the same.
    expectInvalid(validate, `${box.adminFile}${problem}`, 'save it as UTF-8');
    expect(validate.stderr).toBe(launch.stderr);
  });

  it.each([
    ['UTF-8 with a byte-order mark and CRLF', (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t.replace(/\n/g, '\r\n'))])],
    ['UTF-8 with CRLF', (t: string) => Buffer.from(t.replace(/\n/g, '\r\n'))],
  ])('as %s: read as written', async (_name, encode) => {
    fs.writeFileSync(box.adminFile, encode(`${policyLines().join('\n')}\n`));
    const launch = await runLauncher(['cache', 'dir'], { env: box.env });
    expect(launch.exitCode, explain(launch)).toBe(0);
    expect(launch.stdout.trim(), explain(launch)).toBe(path.join(box.allowed, 'café', 'cache'));
    const validate = await runLauncher(['safe', 'config', 'validate', box.adminFile], { env: box.env, uv: 'none' });
    expect(validate.exitCode, explain(validate)).toBe(0);
    fs.rmSync(path.join(box.allowed, 'café'), { recursive: true, force: true });
  });
});

describe('%NAME% in a path value', () => {
  // Windows refuses it with a hint naming {env:NAME} (unit tests, and the Wine suite end to end).
  it('on POSIX is a folder name like any other, in validate and at launch alike', async () => {
    fs.writeFileSync(box.adminFile, ['mode = "enforce"', `allowed-roots = ["${box.allowed}"]`, `data-root = "${box.allowed}/%USERPROFILE%/uv"`, ''].join('\n'));
    const validate = await runLauncher(['safe', 'config', 'validate', box.adminFile], { env: box.env, uv: 'none' });
    expect(validate.exitCode, explain(validate)).toBe(0);
    const launch = await runLauncher(['cache', 'dir'], { env: { ...box.env, USERPROFILE: '/elsewhere' } });
    expect(launch.stdout.trim(), explain(launch)).toBe(path.join(box.allowed, '%USERPROFILE%', 'uv', 'cache'));
    fs.rmSync(path.join(box.allowed, '%USERPROFILE%'), { recursive: true, force: true });
  });

  it('{env:NAME} itself, with parentheses as in ProgramFiles(x86), is valid and expands', async () => {
    fs.writeFileSync(box.adminFile, ['mode = "enforce"', `allowed-roots = ["${box.allowed}"]`, 'data-root = "{env:ProgramFiles(x86)}/uv"', ''].join('\n'));
    const env = { ...box.env, 'ProgramFiles(x86)': box.allowed };
    const validate = await runLauncher(['safe', 'config', 'validate', box.adminFile], { env, uv: 'none' });
    expect(validate.exitCode, explain(validate)).toBe(0);
    const launch = await runLauncher(['cache', 'dir'], { env });
    expect(launch.stdout.trim(), explain(launch)).toBe(path.join(box.allowed, 'uv', 'cache'));
    fs.rmSync(path.join(box.allowed, 'uv'), { recursive: true, force: true });
  });
});
