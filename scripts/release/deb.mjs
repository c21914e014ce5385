// uvx-safe_<version>_amd64.deb, built with dpkg-deb from a staged tree:
//   /opt/uvx-safe/uvx-safe            the standalone Linux executable
//   /opt/uvx-safe/bin/uv, uvx         its shims: hard links (one copy of the bytes on disk and in the package)
//   /usr/bin/uvx-safe                 a symbolic link, so `uvx-safe safe doctor` works from any shell
//   /etc/profile.d/uvx-safe.sh        puts /opt/uvx-safe/bin first on PATH (a conffile)
//   /etc/uvx-safe/                    the admin's folder: the package ships it empty and never writes into it
// No maintainer scripts: dpkg's own handling is the whole story. Remove deletes the program files and
// the folder /etc/uvx-safe when the admin put nothing there; purge also deletes the conffile. The
// admin's config.toml belongs to no package, so neither ever deletes it (see docs/release.md).
import fs from 'node:fs';
import path from 'node:path';
import { run } from './run.mjs';
import { debianVersion } from './version.mjs';

export const DEB_PREFIX = '/opt/uvx-safe';

/** The profile.d script: the shims first on PATH for login shells, once. */
export const PROFILE_SCRIPT = `# Installed by the uvx-safe package: its uv and uvx shims come before any other uv.
case ":\${PATH}:" in
  *:${DEB_PREFIX}/bin:*) ;;
  *) PATH="${DEB_PREFIX}/bin\${PATH:+:\${PATH}}"; export PATH ;;
esac
`;

function control(pkg, version, installedKiB) {
  return [
    `Package: ${pkg.name}`,
    `Version: ${debianVersion(version)}`,
    'Architecture: amd64',
    `Maintainer: ${pkg.author} <${pkg.bugs.url}>`,
    `Installed-Size: ${installedKiB}`,
    'Section: devel',
    'Priority: optional',
    `Homepage: ${pkg.homepage}`,
    `Description: ${pkg.description.split('(')[0].trim()}`,
    ' Shims named uv and uvx run the launcher, which reads the admin policy in',
    ' /etc/uvx-safe/config.toml and starts the real uv with every location inside it.',
    '',
  ].join('\n');
}

/** Installed size in KiB, counting each hard-linked file once (as dpkg does). */
function installedKiB(tree) {
  const seen = new Set();
  let bytes = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      const st = fs.lstatSync(file);
      if (seen.has(st.ino)) continue;
      seen.add(st.ino);
      bytes += entry.isDirectory() ? 0 : st.size;
    }
  };
  walk(tree);
  return Math.ceil(bytes / 1024);
}

/** Builds the .deb from the Linux executable into `outDir`; `work` is an empty scratch folder. */
export function buildDeb({ exe, pkg, version, outDir, work, licenseFile }) {
  const tree = path.join(work, 'deb');
  fs.rmSync(tree, { recursive: true, force: true });
  const at = (p) => path.join(tree, p);
  for (const dir of ['DEBIAN', 'opt/uvx-safe/bin', 'usr/bin', 'etc/profile.d', 'etc/uvx-safe', 'usr/share/doc/uvx-safe'])
    fs.mkdirSync(at(dir), { recursive: true, mode: 0o755 });
  const main = at('opt/uvx-safe/uvx-safe');
  fs.copyFileSync(exe, main);
  fs.chmodSync(main, 0o755);
  for (const shim of ['uv', 'uvx']) fs.linkSync(main, at(`opt/uvx-safe/bin/${shim}`));
  fs.symlinkSync(`${DEB_PREFIX}/uvx-safe`, at('usr/bin/uvx-safe'));
  fs.writeFileSync(at('etc/profile.d/uvx-safe.sh'), PROFILE_SCRIPT, { mode: 0o644 });
  fs.copyFileSync(licenseFile, at('usr/share/doc/uvx-safe/copyright'));
  fs.writeFileSync(at('DEBIAN/conffiles'), '/etc/profile.d/uvx-safe.sh\n');
  fs.writeFileSync(at('DEBIAN/control'), control(pkg, version, installedKiB(tree)));
  for (const dir of ['', 'DEBIAN', 'opt', 'opt/uvx-safe', 'opt/uvx-safe/bin', 'usr', 'usr/bin', 'etc', 'etc/profile.d', 'etc/uvx-safe', 'usr/share', 'usr/share/doc', 'usr/share/doc/uvx-safe'])
    fs.chmodSync(at(dir), 0o755);
  for (const file of ['DEBIAN/conffiles', 'DEBIAN/control', 'usr/share/doc/uvx-safe/copyright']) fs.chmodSync(at(file), 0o644);
  const out = path.join(outDir, `${pkg.name}_${debianVersion(version)}_amd64.deb`);
  // --root-owner-group: root:root whoever builds. gzip, not dpkg's default xz: xz takes minutes for the
  // 110 MB executable on a 2-core machine (gzip 15 s) for a package 25% smaller; every dpkg reads gzip.
  run('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', tree, out], { hint: 'apt-get install -y dpkg' });
  fs.rmSync(tree, { recursive: true, force: true });
  return out;
}
