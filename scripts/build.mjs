// Bundles the launcher into one CommonJS file that bin/uvx-safe loads.
// One file keeps start-up to a single read and parse; the cold commands
// (doctor, env, shims, config tools) are dynamic imports, which esbuild wraps
// so their bodies only run when `uvx-safe safe ...` asks for them.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/uvx-safe.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: false,
});
