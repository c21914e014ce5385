// The Windows executable's version resource (VS_VERSIONINFO): what Explorer's Details tab, Intune's
// file-version detection, software inventory and AppLocker publisher rules read. Bun's runtime says
// `Bun`, `bun.exe`, `Oven`; these say uvx-safe and the package version.
//
// Bun's own --windows-title/--windows-version options work only when compiling on Windows, and a
// compiled executable cannot be edited afterwards (Bun appends its `.bun` section after `.rsrc`,
// which `resedit` cannot move). So the resource is written into a copy of Bun's Windows runtime,
// which `bun build --compile --compile-executable-path` then turns into uvx-safe.exe.
import fs from 'node:fs';
import * as PE from 'pe-library';
import * as ResEdit from 'resedit';
import { windowsVersion } from './version.mjs';

const ENGLISH_US = { lang: 1033, codepage: 1200 };

/** The string table the executable carries, from package.json. */
export function versionStrings(pkg) {
  return {
    ProductName: pkg.name,
    FileDescription: pkg.name,
    CompanyName: pkg.author,
    LegalCopyright: `${pkg.author}, ${pkg.license} License`,
    OriginalFilename: `${pkg.name}.exe`,
    InternalName: pkg.name,
    FileVersion: pkg.version,
    ProductVersion: pkg.version,
  };
}

/** Writes `runtime` with a version resource for `pkg` (name, version, author, license) to `out`. */
export function writeVersionResource(runtime, out, pkg) {
  // The runtime's own Authenticode signature is dropped: it would not match the changed file.
  const exe = ResEdit.NtExecutable.from(fs.readFileSync(runtime), { ignoreCert: true });
  const res = ResEdit.NtExecutableResource.from(exe);
  const [info] = ResEdit.Resource.VersionInfo.fromEntries(res.entries);
  if (!info) throw new Error(`${runtime}: no version resource to replace`);
  for (const lang of info.getAllLanguagesForStringValues()) info.removeAllStringValues(lang);
  info.lang = ENGLISH_US.lang;
  info.setStringValues(ENGLISH_US, versionStrings(pkg));
  const [a, b, c, d] = windowsVersion(pkg.version);
  info.setFileVersion(a, b, c, d, ENGLISH_US.lang);
  info.setProductVersion(a, b, c, d, ENGLISH_US.lang);
  info.outputToResourceEntries(res.entries);
  res.outputResource(exe);
  fs.writeFileSync(out, Buffer.from(exe.generate()), { mode: 0o755 });
}

/**
 * The version resource of a built executable: its strings and the fixed file/product versions.
 * A Bun executable has its `.bun` section after `.rsrc`; reading does not move anything, so the
 * section-order check of pe-library is given the sections up to the resource only.
 */
export function readVersionResource(file) {
  const exe = PE.NtExecutable.from(fs.readFileSync(file), { ignoreCert: true });
  const rsrc = exe.getSectionByEntry(PE.Format.ImageDirectoryEntry.Resource);
  const upToResource = {
    getAllSections: () => exe.getAllSections().filter((s) => s.info.virtualAddress <= (rsrc?.info.virtualAddress ?? 0) || s === exe.getSectionByEntry(PE.Format.ImageDirectoryEntry.BaseRelocation)),
    getSectionByEntry: (entry) => exe.getSectionByEntry(entry),
  };
  const res = ResEdit.NtExecutableResource.from(upToResource);
  const [info] = ResEdit.Resource.VersionInfo.fromEntries(res.entries);
  if (!info) return undefined;
  const [lang] = info.getAllLanguagesForStringValues();
  const fixed = info.fixedInfo;
  const quad = (ms, ls) => [ms >>> 16, ms & 0xffff, ls >>> 16, ls & 0xffff].join('.');
  return {
    strings: lang ? info.getStringValues(lang) : {},
    fileVersion: quad(fixed.fileVersionMS, fixed.fileVersionLS),
    productVersion: quad(fixed.productVersionMS, fixed.productVersionLS),
  };
}
