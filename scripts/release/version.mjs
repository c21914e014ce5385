// The package version (semver) in the forms each package format accepts.

/** `1.2.3` or `1.2.3-rc.1`: the numeric part, or an error naming the version. */
export function numericParts(version) {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  if (!m) throw new Error(`version "${version}" is not semver (MAJOR.MINOR.PATCH[-PRE])`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The four numbers of a Windows version resource (16 bits each). */
export function windowsVersion(version) {
  const parts = [...numericParts(version), 0];
  if (parts.some((n) => n > 0xffff)) throw new Error(`version "${version}": a Windows version part is at most 65535`);
  return parts;
}

/**
 * An MSI ProductVersion: major.minor.build, at most 255.255.65535, and Windows Installer compares
 * only these three, so a pre-release cannot upgrade its own release (a release must bump PATCH).
 */
export function msiVersion(version) {
  const [a, b, c] = numericParts(version);
  if (a > 255 || b > 255 || c > 65535) throw new Error(`version "${version}": an MSI version is at most 255.255.65535`);
  return `${a}.${b}.${c}`;
}

/** A Debian version: `1.2.3-rc.1` sorts before `1.2.3` only when written `1.2.3~rc.1`. */
export function debianVersion(version) {
  numericParts(version);
  return version.replace(/\+.*$/, '').replace('-', '~');
}
