// `npm run release` (scripts/release.mjs), checked on the artefacts the global setup built once:
// checksums, the SBOM against CycloneDX's schema, the Windows executable's version resource, the
// Authenticode signatures, the MSI's tables and the .deb's contents. Installing them is
// release-deb.test.ts and release-msi.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script (plain JavaScript, no types)
import { readVersionResource } from '../../scripts/release/exe-resource.mjs';
import { hasLauncherMark } from '../../src/uv/find.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { artefactNames, needRelease } from '../helpers/release.js';
import { needTool } from '../helpers/system-tools.js';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

describe('the artefacts', () => {
  it('are all there, and `sha256sum -c SHA256SUMS` passes over every one of them', async (ctx) => {
    const release = needRelease(ctx);
    const sha256sum = needTool(ctx, 'sha256sum', 'coreutils');
    const names = Object.values(artefactNames(release.version));
    expect(fs.readdirSync(release.dir).sort()).toEqual(['SHA256SUMS', ...names].sort());
    const r = await execa(sha256sum, ['-c', 'SHA256SUMS'], { cwd: release.dir, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\n').sort()).toEqual(names.map((n) => `${n}: OK`).sort());
  });
});

describe('the SBOM', () => {
  const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

  it('validates against the CycloneDX 1.6 JSON schema, and a broken copy does not', async (ctx) => {
    const release = needRelease(ctx);
    const text = fs.readFileSync(path.join(release.dir, artefactNames(release.version).sbom), 'utf8');
    expect(await validator.validate(text)).toBeNull();
    const broken = JSON.parse(text);
    broken.components[0].hashes = [{ alg: 'SHA-512', content: 'not hex' }];
    expect(await validator.validate(JSON.stringify(broken))).not.toBeNull();
  });

  it('lists the npm packages the bundles hold, with package-lock versions and hashes, and the Bun runtime', async (ctx) => {
    const release = needRelease(ctx);
    const sbom = JSON.parse(fs.readFileSync(path.join(release.dir, artefactNames(release.version).sbom), 'utf8'));
    const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')).packages;
    const libraries = sbom.components.filter((c: { type: string }) => c.type === 'library');
    expect(libraries.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['valibot', 'smol-toml']));
    for (const c of libraries) {
      const entry = lock[`node_modules/${c.name}`];
      expect(c.version, c.name).toBe(entry.version);
      expect(c.purl).toBe(`pkg:npm/${c.name.replace('@', '%40')}@${entry.version}`);
      expect(Buffer.from(c.hashes[0].content, 'hex').toString('base64')).toBe(entry.integrity.replace(/^sha512-/, ''));
    }
    // No test or build tool is in it: only what esbuild put into a bundle.
    expect(libraries.map((c: { name: string }) => c.name)).not.toEqual(expect.arrayContaining(['vitest']));
    const bun = sbom.components.find((c: { name: string }) => c.name === 'bun');
    expect(bun.version).toBe(lock['node_modules/bun'].version);
    expect(sbom.metadata.component).toMatchObject({ name: 'uvx-safe', version: release.version });
    // Each artefact (but the SBOM itself) with the same SHA-256 as SHA256SUMS.
    const sums = fs.readFileSync(path.join(release.dir, 'SHA256SUMS'), 'utf8');
    const files = sbom.components.filter((c: { type: string }) => c.type === 'file');
    expect(files).toHaveLength(5);
    for (const f of files) expect(sums).toContain(`${f.hashes[0].content}  ${f.name}\n`);
  });
});

describe('the Windows executable', () => {
  it('names itself uvx-safe in its version resource, with the package version, and keeps the uvx-safe mark', (ctx) => {
    const release = needRelease(ctx);
    const exe = path.join(release.dir, artefactNames(release.version).winExe);
    const resource = readVersionResource(exe);
    const four = `${release.version.replace(/-.*/, '')}.0`;
    expect(resource).toEqual({
      strings: {
        ProductName: 'uvx-safe',
        FileDescription: 'uvx-safe',
        CompanyName: pkg.author,
        LegalCopyright: `${pkg.author}, MIT License`,
        OriginalFilename: 'uvx-safe.exe',
        InternalName: 'uvx-safe',
        FileVersion: four,
        ProductVersion: four,
      },
      fileVersion: four,
      productVersion: four,
    });
    const head = Buffer.alloc(256);
    const fd = fs.openSync(exe, 'r');
    fs.readSync(fd, head, 0, 256, 0);
    fs.closeSync(fd);
    expect(hasLauncherMark(head.toString('latin1'))).toBe(true);
    // The test's control: Bun's own runtime says Bun.
    expect(JSON.stringify(resource)).not.toMatch(/Bun|Oven|bun\.exe/);
  });

  it.for(['winExe', 'msi'] as const)('%s: the Authenticode signature verifies, and a changed byte breaks it', async (kind, ctx) => {
    const release = needRelease(ctx);
    const osslsigncode = needTool(ctx, 'osslsigncode');
    const file = path.join(release.dir, artefactNames(release.version)[kind]);
    const verify = (f: string) => execa(osslsigncode, ['verify', '-CAfile', release.signingCert, '-in', f], { reject: false, all: true });
    const good = await verify(file);
    expect(good.exitCode, good.all).toBe(0);
    expect(good.all).toContain('Succeeded');
    // A copy with one byte changed in the middle (the program, not the signature).
    const tampered = path.join(path.dirname(release.signingCert), `tampered-${kind}`);
    fs.copyFileSync(file, tampered);
    const fd = fs.openSync(tampered, 'r+');
    const at = Math.floor(fs.statSync(tampered).size / 3);
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, at);
    b[0] = b[0]! ^ 0xff;
    fs.writeSync(fd, b, 0, 1, at);
    fs.closeSync(fd);
    try {
      expect((await verify(tampered)).exitCode).not.toBe(0);
    } finally {
      fs.rmSync(tampered, { force: true });
    }
  });
});

describe('the MSI', () => {
  async function table(msi: string, name: string): Promise<string[][]> {
    const r = await execa('msiinfo', ['export', msi, name]);
    return r.stdout.split(/\r?\n/).slice(3).filter(Boolean).map((line) => line.split('\t'));
  }

  it('carries the package version, the fixed upgrade code, and the executable with its file version', async (ctx) => {
    const release = needRelease(ctx);
    needTool(ctx, 'msiinfo', 'msitools');
    const msi = path.join(release.dir, artefactNames(release.version).msi);
    const props = Object.fromEntries((await table(msi, 'Property')).map(([k, v]) => [k, v]));
    expect(props).toMatchObject({ ProductName: 'uvx-safe', ProductVersion: release.version, UpgradeCode: '{8D6F2A6E-3C1B-4F7E-9A51-6C0E2B7D4F13}' });
    expect(props.SecureCustomProperties!.split(';')).toEqual(expect.arrayContaining(['POLICY', 'REMOVEPOLICY']));
    const [file] = await table(msi, 'File');
    expect(file!.slice(2, 5)).toEqual(['uvx-safe.exe', String(fs.statSync(path.join(release.dir, artefactNames(release.version).winExe)).size), `${release.version}.0`]);
    // The old version goes inside the new one's transaction: after InstallInitialize (1500).
    const sequence = Object.fromEntries((await table(msi, 'InstallExecuteSequence')).map(([a, , n]) => [a, Number(n)]));
    expect(sequence.RemoveExistingProducts).toBeGreaterThan(sequence.InstallInitialize!);
    expect(sequence.RemoveExistingProducts).toBeLessThan(sequence.RemoveFiles!);
  });
});

describe('the .deb', () => {
  it('holds the executable with its shims as hard links, the profile script as a conffile, and the admin folder', async (ctx) => {
    const release = needRelease(ctx);
    const deb = path.join(release.dir, artefactNames(release.version).deb);
    const listing = (await execa(needTool(ctx, 'dpkg-deb', 'dpkg'), ['-c', deb])).stdout;
    const entries = listing.split('\n').map((line) => line.split(/\s+/).slice(5).join(' '));
    expect(entries).toEqual(
      expect.arrayContaining([
        './opt/uvx-safe/bin/uv',
        './opt/uvx-safe/bin/uvx link to ./opt/uvx-safe/bin/uv',
        './opt/uvx-safe/uvx-safe link to ./opt/uvx-safe/bin/uv',
        './usr/bin/uvx-safe -> /opt/uvx-safe/uvx-safe',
        './etc/profile.d/uvx-safe.sh',
        './etc/uvx-safe/',
      ]),
    );
    expect(listing).not.toContain('config.toml');
    expect((await execa('dpkg-deb', ['-f', deb, 'Package', 'Version', 'Architecture'])).stdout.split('\n')).toEqual([
      'Package: uvx-safe',
      `Version: ${release.version.replace('-', '~')}`,
      'Architecture: amd64',
    ]);
    expect((await execa('dpkg-deb', ['-I', deb, 'conffiles'])).stdout.trim()).toBe('/etc/profile.d/uvx-safe.sh');
  });
});

describe('package.json', () => {
  it('is ready to publish: metadata, and `npm pack --dry-run` holds exactly the runtime files and docs', async () => {
    expect(pkg).toMatchObject({ license: 'MIT', author: expect.any(String), homepage: expect.stringMatching(/^https:/), bugs: { url: expect.stringMatching(/^https:/) } });
    expect(pkg.repository.url).toMatch(/^git\+https:.*\.git$/);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['uv', 'python']));
    expect(pkg.private).toBeUndefined();
    const r = await execa('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: REPO_ROOT });
    const files = (JSON.parse(r.stdout)[0].files as { path: string }[]).map((f) => f.path).sort();
    const docs = fs.readdirSync(path.join(REPO_ROOT, 'docs')).map((f) => `docs/${f}`);
    const expected = ['LICENSE', 'README.md', 'package.json', 'bin/uvx-safe', 'dist/uvx-safe.cjs', 'dist/uvx-safe.cjs.cache', 'dist/safe-commands.cjs', 'dist/managed-install.cjs', ...docs];
    expect(files).toEqual(expected.sort());
  });
});
