#!/usr/bin/env python3
"""How long the quick `npm test` takes (npm run bench:suite). Goal: under 120 s on a 2-core machine.

One run of `npm test` first does the set-up a fresh checkout needs (the pinned uv, wheels, the
standalone executable) and is not counted; then BENCH_RUNS runs (default 3) are timed, each the whole
command as a developer types it (the build, vitest and its global setup). Prints each run's wall time
and CPU (user + system of every process under it), their medians, and the load average before each,
since other work on the machine lengthens the wall time. `BENCH_ALL=1` times `npm run test:all` (every
suite, as CI runs them) instead, without a goal.
"""
import os, resource, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
GOAL_S = 120.0
ALL = os.environ.get("BENCH_ALL") == "1"
COMMAND = ["npm", "run", "test:all"] if ALL else ["npm", "test"]
# CI set in the caller's environment would turn the quick run into the whole suite.
ENV = {k: v for k, v in os.environ.items() if k not in ("CI", "UVX_SAFE_TEST_ALL")}


def run_once():
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(COMMAND, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"bench: `{' '.join(COMMAND)}` failed (exit {done.returncode}); run it to see why\n{done.stderr.decode()[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    print(f"bench: {' '.join(COMMAND)}: one set-up run, then {RUNS} timed", flush=True)
    run_once()
    walls, cpus = [], []
    for i in range(RUNS):
        load = os.getloadavg()[0]
        wall, cpu = run_once()
        walls.append(wall)
        cpus.append(cpu)
        print(f"  run {i + 1}: {wall:6.1f} s wall, {cpu:6.1f} s CPU (load before: {load:.2f})", flush=True)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    verdict = "" if ALL else f"; goal {GOAL_S:.0f} s: {'met' if wall <= GOAL_S else 'NOT met'}"
    print(f"median: {wall:.1f} s wall, {cpu:.1f} s CPU on {os.cpu_count()} cores{verdict}")


if __name__ == "__main__":
    main()
