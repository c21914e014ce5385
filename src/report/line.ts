// One line of the admin's report (the `report` key): what was said, to whom, where, as one JSON object
// small enough to be appended by one write that no parallel writer can split. Pure.

import type { Level } from '../log.js';

/** What was said: the message and hint as printed, and the stable id of what fired. */
export interface ReportEvent {
  level: Level;
  rule: string;
  message: string;
  hint?: string;
}

/** Who said it, where: read once per call. */
export interface ReportFacts {
  time: Date;
  /** The logon name the OS reports (never USER/USERNAME); null when it cannot be read. */
  user: string | null;
  host: string;
  cwd: string;
  /** The name the launcher was invoked by (uv, uvx, uvx-safe), then its arguments as received. */
  argv: string[];
  pid: number;
  launcher: string;
  /** The effective mode (the admin policy's when the call stopped before the merge). */
  mode: string;
}

/** The fields of a line, in order, with what each holds: docs/config-reference.md is generated from this. */
export const REPORT_FIELDS: readonly (readonly [string, string])[] = [
  ['time', 'when it was said, ISO 8601 in UTC with milliseconds ("2026-12-03T14:05:09.123Z")'],
  ['level', '"error" (a refusal or another error: the call stopped with exit status 2) or "warning" (said, and uv ran)'],
  ['rule', 'a stable id of what fired, to count by: `outside-allowed-roots:--cache-dir`, `outside-allowed-roots:UV_CACHE_DIR`, `outside-allowed-roots:locations.cache`, `outside-allowed-roots:uv-default.cache`, `outside-allowed-roots:data-root`, `interpreter-in-repository`, `interpreter-outside-allowed-roots` (a program named by path that is neither inside the roots nor a machine program), `install-target-in-program-folder`, `folder-owned-by-another-user`, `uv-pip-settings-unknown`, `config:KEY` (a config error), `config-ignored` (a key a layer may not set), `admin-policy-overridden:VARIABLE` (`UVX_SAFE_SYSTEM_CONFIG` naming another file than the admin\'s, or a `UVX_SAFE_*` variable for a locked key), `untrusted-project-file`, `recursion`, `uv-not-found`, `uv-version`, `folder`, `internal-error` ...'],
  ['message', 'the message as printed after `error: uvx-safe: ` or `warning: uvx-safe: `'],
  ['hint', 'the `hint:` as printed (what to do instead), or null'],
  ['user', 'the logon name the operating system reports for the process (as `{user}`), or null'],
  ['host', 'the machine\'s host name'],
  ['cwd', 'the working folder of the call'],
  ['argv', 'the name the launcher was called by (`uv`, `uvx`, `uvx-safe`), then every argument as received'],
  ['pid', 'the launcher\'s process id'],
  ['launcher', 'the uvx-safe version'],
  ['mode', 'the effective mode (`enforce`, `warn`, `off`); for a call stopped before the layers were merged (a project file that cannot be parsed), the admin policy\'s'],
  ['truncated', 'present (true) only when long values were shortened to keep the line under 4 KiB'],
];

/**
 * PIPE_BUF on Linux: a line this short is appended whole by one write on any local file system
 * (one write holds the inode's lock on ext4, xfs, btrfs, tmpfs; NTFS appends a write at once).
 */
export const LINE_LIMIT = 4096;

/** A line as written: the event and the facts, with the time as text. */
type Shape = { time: string; level: Level; rule: string; message: string; hint: string | null } & Omit<ReportFacts, 'time'> & { truncated?: true };

const cut = (text: string) => `${text.slice(0, Math.max(0, Math.floor(text.length / 2) - 1))}…`;

/** Shortens the longest value (or drops the later half of a long argv) until the line fits. */
function shorten(line: Shape): boolean {
  const strings: [keyof Shape, string][] = (['message', 'hint', 'cwd', 'rule', 'user', 'host'] as const)
    .filter((key) => typeof line[key] === 'string')
    .map((key) => [key, line[key] as string]);
  const argvLength = line.argv.reduce((n, arg) => n + arg.length + 3, 0);
  const [key, longest] = strings.reduce((a, b) => (b[1].length > a[1].length ? b : a), ['message', ''] as [keyof Shape, string]);
  if (argvLength > longest.length && line.argv.length > 0) {
    const at = line.argv.reduce((best, arg, i) => (arg.length > line.argv[best]!.length ? i : best), 0);
    if (line.argv[at]!.length > 64) line.argv[at] = cut(line.argv[at]!);
    else {
      const keep = Math.floor(line.argv.length / 2);
      const dropped = line.argv.length - keep;
      line.argv = [...line.argv.slice(0, keep), `… ${dropped} more`];
      if (keep === 0 && dropped === 1) return false;
    }
    return true;
  }
  if (longest.length < 8) return false;
  (line as Record<string, unknown>)[key] = cut(longest);
  return true;
}

/** The line (with its newline), at most LINE_LIMIT bytes. */
export function reportLine(event: ReportEvent, facts: ReportFacts): string {
  const line: Shape = {
    time: facts.time.toISOString(),
    level: event.level,
    rule: event.rule,
    message: event.message,
    hint: event.hint ?? null,
    user: facts.user,
    host: facts.host,
    cwd: facts.cwd,
    argv: [...facts.argv],
    pid: facts.pid,
    launcher: facts.launcher,
    mode: facts.mode,
  };
  let text = `${JSON.stringify(line)}\n`;
  while (Buffer.byteLength(text) > LINE_LIMIT) {
    line.truncated = true;
    if (!shorten(line)) break;
    text = `${JSON.stringify(line)}\n`;
  }
  return text;
}
