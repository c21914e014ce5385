// A wheel from the index to a file, its sha256 checked against the index's own. A wheel the index
// gives no sha256 for, or whose bytes do not match it, is refused before anything is extracted.

import { createHash } from 'node:crypto';
import fs = require('node:fs');
import { fileURLToPath } from 'node:url';
import { UvSourceError } from '../errors.js';
import type { HttpClient } from './http.js';
import type { IndexFile } from './wheel.js';

export type Progress = (received: number, total: number | undefined) => void;

async function* fileChunks(file: string): AsyncIterable<Uint8Array> {
  yield* fs.createReadStream(file);
}

export async function downloadVerified(
  file: IndexFile,
  dest: string,
  client: HttpClient,
  what: string,
  progress: Progress,
): Promise<void> {
  if (!file.sha256)
    throw new UvSourceError(`${what} gives no sha256 for ${file.filename}; refused, nothing installed`, {
      hint: 'the index must publish hashes (a #sha256= fragment, or a <wheel>.sha256 file beside each wheel in a folder)',
    });
  let chunks: AsyncIterable<Uint8Array>;
  let total: number | undefined;
  if (file.url.startsWith('file:')) {
    const local = fileURLToPath(file.url);
    total = fs.statSync(local).size;
    chunks = fileChunks(local);
  } else {
    const response = await client.get(new URL(file.url), what);
    const length = Number(response.headers.get('content-length'));
    total = Number.isFinite(length) && length > 0 ? length : undefined;
    if (!response.body) throw new UvSourceError(`${what}: ${file.filename} came back empty`, { hint: 'check the index serves the wheel itself' });
    chunks = response.body as AsyncIterable<Uint8Array>;
  }
  const hash = createHash('sha256');
  const fd = fs.openSync(dest, 'w', 0o600);
  let received = 0;
  try {
    for await (const chunk of chunks) {
      hash.update(chunk);
      fs.writeSync(fd, chunk);
      received += chunk.length;
      progress(received, total);
    }
  } catch (err) {
    if (err instanceof UvSourceError) throw err;
    throw new UvSourceError(`${what}: downloading ${file.filename} failed: ${(err as Error).message}`, { hint: 'run it again; if it keeps failing, check the network path to uv-source' });
  } finally {
    fs.closeSync(fd);
  }
  const actual = hash.digest('hex');
  if (actual !== file.sha256)
    throw new UvSourceError(`${file.filename} from ${what} has sha256 ${actual}, but the index says ${file.sha256}; refused, nothing installed`, {
      hint: 'the wheel or its hash was changed on the way: tell whoever runs uv-source',
    });
}
