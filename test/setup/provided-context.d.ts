// Values the global setup hands to the tests through project.provide() / inject().
// `export {}` makes this file a module, so the block below augments vitest's own
// ProvidedContext instead of replacing the 'vitest' module.
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the real uv binary the suite runs. */
    uvPath: string;
    /** Its version as `uv --version` prints it, e.g. "0.13.9". */
    uvVersion: string;
    /** Absolute path of the machine's python3 interpreter (the real one, not a pyenv shim). */
    pythonPath: string;
    /** Folder holding the test wheels (hello-cli, build-helper), for `--find-links`. */
    wheelsDir: string;
    /** The standalone Linux executable built from the current bundle; '' when there is no bundle or not linux-x64. */
    linuxExe: string;
    /** The uv releases the argv tables are checked against: the suite's uv, then the oldest supported, the pinned and the newest checked (deduplicated). */
    argvCheckUvs: { version: string; path: string }[];
    /** The real uv wheel of the pinned release for this machine, served by the managed-uv tests. */
    uvWheel: string;
    /** The Windows test bed (Wine prefixes, uv.exe, C fixtures), or null when Wine or mingw is missing. */
    wineBed: import('./wine-bed.js').WineBed | null;
    /** Why there is no bed: one line naming the missing tools and their apt-get line. */
    wineMissing: string | null;
    /** `npm run release`'s artefacts of the current sources (test/setup/release.ts), or null when its tools are missing. */
    release: import('./release.js').ReleaseBuild | null;
    /** Why there is no release: one line naming the missing tools and their apt-get line. */
    releaseMissing: string | null;
  }
}
