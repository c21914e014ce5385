// A CycloneDX 1.6 SBOM (JSON) of what the released programs contain: the npm packages esbuild put
// into the bundles (dist/bundles.meta.json, which scripts/build.mjs writes from esbuild's metafile)
// with their versions, licences and integrity hashes from package-lock.json, and the Bun runtime
// the standalone executables are compiled from. Each artefact is listed as a file with its SHA-256.
//
// Not @cyclonedx/cyclonedx-npm: it describes the npm dependency tree, and every bundled package is a
// devDependency (the npm package has no runtime dependencies), so it lists none of them with
// --omit dev, and all the build and test tools without; what ships is what esbuild bundled.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sha256 } from './checksums.mjs';

/** `node_modules/@scope/name/...` or `node_modules/name/...` -> the package folder, else undefined. */
function packageDirOf(input) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m ? `node_modules/${m[1]}` : undefined;
}

const purl = (name, version) => `pkg:npm/${name.replace('@', '%40')}@${version}`;

/** An npm integrity string (sha512-<base64>) as a CycloneDX hash. */
function hashesOf(integrity) {
  const m = /^sha(256|384|512)-(.+)$/.exec(integrity ?? '');
  return m ? [{ alg: `SHA-${m[1]}`, content: Buffer.from(m[2], 'base64').toString('hex') }] : [];
}

function npmComponent(lockEntry, name) {
  return {
    type: 'library',
    'bom-ref': purl(name, lockEntry.version),
    name,
    version: lockEntry.version,
    purl: purl(name, lockEntry.version),
    ...(lockEntry.license ? { licenses: [{ license: { id: lockEntry.license } }] } : {}),
    hashes: hashesOf(lockEntry.integrity),
  };
}

/**
 * The SBOM document. `artefacts` are the release files ({ file, kind }); `bundlesMeta` maps each
 * bundle to its inputs; `lock` is package-lock.json; `bun` the runtime's version.
 */
export async function renderSbom({ pkg, lock, bundlesMeta, bunVersion, artefacts, timestamp }) {
  const bundledDirs = new Set(Object.values(bundlesMeta).flat().map(packageDirOf).filter(Boolean));
  const libraries = [...bundledDirs].sort().map((dir) => {
    const entry = lock.packages[dir];
    if (!entry) throw new Error(`release: ${dir} is bundled but not in package-lock.json`);
    return npmComponent(entry, dir.slice('node_modules/'.length));
  });
  const bun = {
    type: 'framework',
    'bom-ref': `pkg:npm/bun@${bunVersion}`,
    name: 'bun',
    version: bunVersion,
    description: 'The runtime inside the standalone executables (bun build --compile)',
    purl: `pkg:npm/bun@${bunVersion}`,
    licenses: [{ license: { id: 'MIT' } }],
    externalReferences: [{ type: 'website', url: 'https://bun.sh' }],
  };
  const self = purl(pkg.name, pkg.version);
  const files = [];
  for (const { file, kind } of artefacts) {
    files.push({
      type: 'file',
      'bom-ref': `file:${path.basename(file)}`,
      name: path.basename(file),
      version: pkg.version,
      description: kind,
      hashes: [{ alg: 'SHA-256', content: await sha256(file) }],
    });
  }
  const standalone = new Set(artefacts.filter((a) => a.runtime).map((a) => `file:${path.basename(a.file)}`));
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${crypto.randomUUID()}`,
    version: 1,
    metadata: {
      timestamp,
      tools: { components: [{ type: 'application', name: 'uvx-safe scripts/release/sbom.mjs', version: pkg.version }] },
      component: {
        type: 'application',
        'bom-ref': self,
        name: pkg.name,
        version: pkg.version,
        description: pkg.description,
        purl: self,
        licenses: [{ license: { id: pkg.license } }],
        externalReferences: [
          { type: 'website', url: pkg.homepage },
          { type: 'vcs', url: pkg.repository.url.replace(/^git\+/, '') },
          { type: 'issue-tracker', url: pkg.bugs.url },
        ],
      },
    },
    components: [...libraries, bun, ...files],
    dependencies: [
      { ref: self, dependsOn: libraries.map((c) => c['bom-ref']) },
      // Every artefact carries the launcher and its bundled libraries; the executables also Bun.
      ...files.map((f) => ({ ref: f['bom-ref'], dependsOn: [self, ...libraries.map((c) => c['bom-ref']), ...(standalone.has(f['bom-ref']) ? [bun['bom-ref']] : [])] })),
      ...libraries.map((c) => ({ ref: c['bom-ref'], dependsOn: [] })),
      { ref: bun['bom-ref'], dependsOn: [] },
    ],
  };
}

export async function writeSbom(out, input) {
  fs.writeFileSync(out, `${JSON.stringify(await renderSbom(input), null, 2)}\n`);
  return out;
}
