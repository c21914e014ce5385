// The admin's file wins over UVX_SAFE_SYSTEM_CONFIG (issue 18), and the suite names its policies with
// that variable: on a machine with an admin policy at the real path every such test would see the
// machine's policy instead. Stop with what to do, rather than let results depend on the host's /etc.
import fs from 'node:fs';
import path from 'node:path';

export const HOST_ADMIN_FILE = '/etc/uvx-safe/config.toml';

/** Throws when `files` (the host's admin path, the Wine bed's %ProgramData% one) hold a policy. */
export function guardHostAdminFile(files: readonly string[]): void {
  const found = files.filter((file) => fs.existsSync(file));
  if (found.length === 0) return;
  throw new Error(
    `${found.join(', ')} exists: an admin policy at its platform path wins over the policies the tests name with ` +
      'UVX_SAFE_SYSTEM_CONFIG, so the suite cannot run on this machine as it is. Run it in a container, or with an empty ' +
      "folder over it in a private mount namespace: unshare -m sh -c 'mount -t tmpfs tmpfs /etc/uvx-safe && npm test'",
  );
}

/** The admin path inside a Wine prefix: C:\ProgramData\uvx-safe\config.toml. */
export function wineAdminFile(prefix: string): string {
  return path.join(prefix, 'drive_c', 'ProgramData', 'uvx-safe', 'config.toml');
}
