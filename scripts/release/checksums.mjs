// SHA256SUMS in the format `sha256sum -c SHA256SUMS` reads: "<hex>  <file name>", one per artefact.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export async function sha256(file) {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

export async function writeChecksums(dir, files) {
  const lines = [];
  for (const file of [...files].sort()) lines.push(`${await sha256(file)}  ${path.relative(dir, file)}`);
  const out = path.join(dir, 'SHA256SUMS');
  fs.writeFileSync(out, `${lines.join('\n')}\n`);
  return out;
}
