#!/usr/bin/env python3
"""One CSV line per `uvx-safe safe doctor --json` report, for a fleet's spreadsheet or log collector.

    summarize.py REPORT.json|FOLDER ...      (a folder: every *.json in it; "-": standard input)

Columns: host, user, time, status (ok/warn/fail), exit (doctor's exit status), mode, launcher
version, form and sha256, the admin policy's path and sha256 (empty when there is none), the
checks that FAIL, the folders with stale shims, and the variables that tried to override the
admin's policy. Field meanings: docs/doctor.md; shape: docs/doctor.schema.json (schemaVersion 2).
Python 3.8+, standard library only.
"""

import csv
import json
import sys
from pathlib import Path

COLUMNS = [
    "host", "user", "time", "status", "exit", "mode",
    "launcher_version", "launcher_form", "launcher_sha256",
    "admin_policy", "admin_policy_sha256",
    "failing_checks", "stale_shims", "overrides",
]


def summarize(report):
    """The row of one report (a dict parsed from doctor's JSON)."""
    if report.get("schemaVersion") != 2:
        raise ValueError(f"schemaVersion {report.get('schemaVersion')!r}: this summary reads version 2")
    admin = next(layer for layer in report["policy"]["layers"] if layer["layer"] == "admin")
    return {
        "host": report["host"],
        "user": report["user"] or "",
        "time": report["time"],
        "status": report["status"],
        "exit": report["exitCode"],
        "mode": report["policy"]["mode"]["value"],
        "launcher_version": report["launcher"]["version"],
        "launcher_form": report["launcher"]["form"],
        "launcher_sha256": report["launcher"]["sha256"] or "",
        "admin_policy": admin["path"] if admin["exists"] else "",
        "admin_policy_sha256": admin["sha256"] or "",
        "failing_checks": " ".join(c["id"] for c in report["checks"] if c["status"] == "fail"),
        "stale_shims": " ".join(s["dir"] for s in report["shims"] if s["stale"]),
        "overrides": " ".join(o["variable"] for o in report["policy"]["overrides"]),
    }


def reports(args):
    for arg in args:
        if arg == "-":
            yield "<stdin>", sys.stdin.read()
            continue
        path = Path(arg)
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            yield str(file), file.read_text(encoding="utf-8")


def main(argv):
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    out.writeheader()
    for name, text in reports(argv):
        try:
            out.writerow(summarize(json.loads(text)))
        except (ValueError, KeyError, StopIteration) as err:
            print(f"{name}: not a doctor report: {err}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
