// PEP 723 script blocks (src/uv/pep723.ts, a port of uv-scripts `ScriptTag::parse`) held against the
// real uv: `uv python find --script FILE` reads the block and writes nothing; it answers with an
// interpreter or a TOML error in the block's content (a block), "does not contain a PEP 723 metadata tag" (none) or another error (uv
// refuses the file). Each case is a shape the port decides on: where the tag may stand, which lines
// belong to the block, which `# ///` closes it, what makes a second block a duplicate.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScriptTag, type ScriptTag } from '../../src/uv/pep723.js';
import { explain, getUv, runUv, sandboxEnv } from '../helpers/uv.js';
import { makeTempDir } from '../helpers/workspace.js';

const block = '# /// script\n# dependencies = []\n# ///\n';
const CASES: [string, string | Uint8Array][] = [
  ['the plain block', block],
  ['no final newline', '# /// script\n# ///'],
  ['after a line ending in CR alone', `x = 1\r${block}`],
  ['after CRLF', `x = 1\r\n${block}`],
  ['the tag inside a line', `x = 1 ${block}`],
  ['the tag with a trailing space', '# /// script \n# ///\n'],
  ['a `#x` line inside the block ends it', '# /// script\n#x\n# ///\n'],
  ['an empty `#` line inside', '# /// script\n#\n# dependencies = []\n# ///\n'],
  ['the closing tag as the first line', '# /// script\n# ///\nprint(1)\n'],
  ['the last `# ///` closes', '# /// script\n# ///\n# more = 1\n# ///\nprint(1)\n'],
  ['unclosed', '# /// script\n# dependencies = []\n'],
  ['not UTF-8 before the tag', Buffer.concat([Buffer.from([0xff, 0x0a]), Buffer.from(block)])],
  ['not UTF-8 after the tag', Buffer.concat([Buffer.from(block), Buffer.from([0x23, 0xff, 0x0a])])],
  ['a second script block', `${block}\n${block}`],
  ['a second block of another type', `${block}\n# /// pyproject\n# ///\n`],
  ['a second script block, unclosed', `${block}\n# /// script\nprint(1)\n`],
  ['a second script block ended by a `#x` line', `${block}\nprint(1)\n# /// script\n#x\n# ///\n`],
  ['a second script block whose `# ///` is followed by a comment line', `${block}\nprint(1)\n# /// script\n# ///\n# more\n`],
  ['a second script block whose `# ///` is followed by `#x`', `${block}\nprint(1)\n# /// script\n# ///\n#x\n`],
  ['a second script block whose `# ///` is followed by `#`', `${block}\nprint(1)\n# /// script\n# ///\n#\n`],
  ['a second tag with an empty type', `${block}\nprint(1)\n# /// \n# ///\n`],
  ['a second tag with a type of other characters', `${block}\nprint(1)\n# /// scr.ipt\n# ///\n`],
  ['a second tag with a space in the type', `${block}\nprint(1)\n# /// script x\n# ///\n`],
  ['a second tag whose block ends at `#x` before a closing', `${block}\nprint(1)\n# /// script\n# a\n#x\n# ///\n`],
  ['a second `# ///script` without the space', `${block}\nprint(1)\n# ///script\n# ///\n`],
];

type Kind = ScriptTag['kind'];
let root: string;
const uvSays = new Map<string, Kind>();

beforeAll(async () => {
  root = await makeTempDir('uvx-safe-pep723-');
  const env = sandboxEnv(path.join(root, 'sandbox'));
  await Promise.all(
    CASES.map(async ([name, text], i) => {
      const file = path.join(root, `case${i}.py`);
      fs.writeFileSync(file, text);
      const r = await runUv(['python', 'find', '--script', file], { env, cwd: root });
      // A TOML error is about the block's content: uv found the block (the metadata then holds `///`).
      const found = r.exitCode === 0 || /TOML parse error/.test(r.stderr);
      const kind: Kind = found ? 'script' : /does not contain a PEP 723 metadata tag/.test(r.stderr) ? 'none' : 'error';
      if (kind === 'error' && !/PEP 723|tag|UTF-8|utf-8/i.test(r.stderr)) throw new Error(`${name}: ${explain(r)}`);
      uvSays.set(name, kind);
    }),
  );
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe(`PEP 723 blocks: the port and the real uv (${'`uv python find --script`'}) agree`, () => {
  it.each(CASES.map(([name, text]) => [name, text] as const))('%s', (name, text) => {
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    expect(parseScriptTag(bytes).kind, getUv()).toBe(uvSays.get(name));
  });

  it('the cases are not all alike', () => {
    expect(new Set(uvSays.values())).toEqual(new Set(['script', 'none', 'error']));
  });
});

describe('PEP 723 metadata and reasons', () => {
  it('the metadata is the block without its `# ` prefixes, empty `#` lines kept, up to the last `# ///`', () => {
    expect(parseScriptTag(Buffer.from('# /// script\n# a = 1\n#\n# b = 2\n# ///\n'))).toEqual({ kind: 'script', metadata: 'a = 1\n\nb = 2\n' });
    expect(parseScriptTag(Buffer.from('# /// script\n# a = 1\n# ///\n# b = 2\n# ///\nx'))).toEqual({ kind: 'script', metadata: 'a = 1\n///\nb = 2\n' });
    expect(parseScriptTag(Buffer.from('# /// script\n# ///'))).toEqual({ kind: 'script', metadata: '\n' });
  });

  it('says why uv refuses a file', () => {
    expect(parseScriptTag(Buffer.from('# /// script\n'))).toEqual({ kind: 'error', reason: 'unclosed block' });
    expect(parseScriptTag(Buffer.from(`${block}\n${block}`))).toEqual({ kind: 'error', reason: 'duplicate block' });
    expect(parseScriptTag(Buffer.concat([Buffer.from(block), Buffer.from([0xff])]))).toEqual({ kind: 'error', reason: 'not UTF-8' });
  });
});
