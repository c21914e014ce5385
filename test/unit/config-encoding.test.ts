// decodeConfigBytes: the one reader of config file bytes (issue 14 item 3).
import { describe, expect, it } from 'vitest';
import { decodeConfigBytes, parseTomlText } from '../../src/config/parse.js';

const FILE = 'C:\\ProgramData\\uvx-safe\\config.toml';
const text = 'mode = "enforce"\r\ndata-root = \'D:\\dev\\café\'\r\n';
const bom = (bytes: number[], body: Buffer) => Buffer.concat([Buffer.from(bytes), body]);

describe('decodeConfigBytes', () => {
  it('reads UTF-8, with or without a byte-order mark, CRLF kept for TOML (which allows it)', () => {
    expect(decodeConfigBytes(Buffer.from(text), FILE)).toBe(text);
    expect(decodeConfigBytes(bom([0xef, 0xbb, 0xbf], Buffer.from(text)), FILE)).toBe(text);
    expect(parseTomlText(decodeConfigBytes(bom([0xef, 0xbb, 0xbf], Buffer.from(text)), FILE), FILE)).toEqual({ mode: 'enforce', 'data-root': 'D:\\dev\\café' });
  });

  it.each([
    ['UTF-16 LE', [0xff, 0xfe], Buffer.from(text, 'utf16le')],
    ['UTF-16 BE', [0xfe, 0xff], Buffer.from(text, 'utf16le').swap16()],
  ])('refuses %s with a byte-order mark, saying to save it as UTF-8', (name, mark, body) => {
    expect(() => decodeConfigBytes(bom(mark, body), FILE)).toThrowError(`${FILE}: is saved as ${name}`);
  });

  it('refuses bytes that are not UTF-8 (ANSI), naming the first such line, never U+FFFD', () => {
    expect(() => decodeConfigBytes(Buffer.from(text, 'latin1'), FILE)).toThrowError(`${FILE}:2: is not valid UTF-8 (saved as ANSI?)`);
    expect(() => decodeConfigBytes(Buffer.from([0x61, 0x0a, 0x62, 0x0a, 0xc3]), FILE)).toThrowError(`${FILE}:3: is not valid UTF-8`);
  });
});
