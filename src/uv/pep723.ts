// A PEP 723 `script` block found exactly as uv finds one: a port of uv-scripts `ScriptTag::parse`
// (crates/uv-scripts/src/lib.rs). The first `# /// script` in the file decides: it must start a
// line and be the whole line (no trailing space); the block's lines are `#` or `# ...`; the LAST
// `# ///` among them closes it; a second complete `script` block after it is an error. uv runs a
// file with such a block in a script environment of its own (the cache, or VIRTUAL_ENV with
// `--active`), and any other file in the project's. Pure.

export type ScriptTag =
  | { kind: 'none' }
  /** uv refuses the file (unclosed or duplicate block, not UTF-8): the command fails. */
  | { kind: 'error'; reason: string }
  | { kind: 'script'; metadata: string };

const OPEN = '# /// script';

/** Rust's `str::lines`: split on `\n`, a trailing `\r` dropped from each line, no empty last line. */
function rustLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

export function parseScriptTag(contents: Uint8Array): ScriptTag {
  const bytes = Buffer.from(contents.buffer, contents.byteOffset, contents.byteLength);
  const index = bytes.indexOf(OPEN, 0, 'latin1');
  if (index < 0) return { kind: 'none' };
  // The opening pragma must be the first line, or immediately preceded by a newline.
  if (!(index === 0 || bytes[index - 1] === 0x0d || bytes[index - 1] === 0x0a)) return { kind: 'none' };
  let text: string;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, index));
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(index));
  } catch {
    return { kind: 'error', reason: 'not UTF-8' };
  }
  const lines = rustLines(text);
  if (lines[0] !== OPEN) return { kind: 'none' };

  const toml: string[] = [];
  for (const line of lines.slice(1)) {
    if (!line.startsWith('#')) break;
    const rest = line.slice(1);
    if (rest === '') {
      toml.push('');
      continue;
    }
    if (!rest.startsWith(' ')) break;
    toml.push(rest.slice(1));
  }
  let closing = -1;
  for (let i = toml.length - 1; i >= 0; i--) {
    if (toml[i] === '///') {
      closing = i + 1;
      break;
    }
  }
  if (closing < 0) return { kind: 'error', reason: 'unclosed block' };
  const metadata = toml.slice(0, closing - 1);

  // No second complete `script` block after this one.
  const postlude = lines.slice(closing + 1);
  for (let i = 0; i < postlude.length; ) {
    const line = postlude[i++]!;
    if (!line.startsWith('# /// ')) continue;
    const type = line.slice('# /// '.length);
    if (type === '' || !/^[A-Za-z0-9-]+$/.test(type)) continue;
    let closed = false;
    while (i < postlude.length) {
      const inner = postlude[i++]!;
      if (!inner.startsWith('#')) break;
      const content = inner.slice(1);
      if (!(content === '' || content.startsWith(' '))) break;
      if (inner === '# ///') {
        const next = postlude[i];
        if (next === undefined || !next.startsWith('#')) {
          closed = true;
          break;
        }
        const nextContent = next.slice(1);
        if (!(nextContent === '' || nextContent.startsWith(' '))) {
          closed = true;
          break;
        }
      }
    }
    if (type === 'script' && closed) return { kind: 'error', reason: 'duplicate block' };
  }
  return { kind: 'script', metadata: `${metadata.join('\n')}\n` };
}
