// Writes docs/config.schema.json and docs/config-reference.md from the valibot schema in
// src/config/schema.ts (`npm run docs:config`). The same modules produce `safe config schema`,
// and test/unit/config-docs.test.ts fails when the committed files differ from what this writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'uvx-safe-docs-'));
try {
  // Bundle the two TypeScript generators the way scripts/build.mjs bundles the launcher.
  const entry = path.join(tmp, 'entry.ts');
  fs.writeFileSync(
    entry,
    `export { configJsonSchemaText } from ${JSON.stringify(path.join(root, 'src/config/json-schema.ts'))};\n` +
      `export { configReferenceMarkdown } from ${JSON.stringify(path.join(root, 'src/config/reference.ts'))};\n`,
  );
  const outfile = path.join(tmp, 'docs.cjs');
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', absWorkingDir: root });
  const { configJsonSchemaText, configReferenceMarkdown } = createRequire(import.meta.url)(outfile);
  const write = (name, text) => {
    fs.writeFileSync(path.join(root, 'docs', name), text);
    console.log(`wrote docs/${name}`);
  };
  write('config.schema.json', configJsonSchemaText());
  write('config-reference.md', configReferenceMarkdown());
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
