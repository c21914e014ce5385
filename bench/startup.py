#!/usr/bin/env python3
"""Start-up benchmark of the launcher (npm run bench:startup).

Runs, interleaved so that machine noise hits every command alike:
  uv        the real uv alone:                 uv --version
  floor     a six-line Node script that spawns uv with inherited stdio (the floor of any Node launcher)
  launcher  bin/uvx-safe --version              (bare: no config at all)
  policy    bin/uvx-safe --version              with an admin policy, user config and project config
            that relocate every location under a data root
  exe       dist/exe/uvx-safe-linux-x64 --version   the standalone executable (npm run build:exe), bare
  exe-policy  the same with the policy case's three config files
  sync, run   bin/uvx-safe sync / run python -c pass in enforce, in a project without config files (the
            common path: the workspace search and the project environment's judgement), with a stand-in
            uv that exits at once (/bin/true), against floor-stub: the floor spawning the same stand-in
and prints the median wall time and peak memory (max RSS of the largest process in the tree, from
wait4: for the Node cases that is Node itself) of each,
with the launcher's ratios to the floor. Goals: the npm form <= 1.15x the floor's time and <= 1.3x
its memory; the standalone executable <= 0.5x the npm form's time (each case against its npm twin).
Python drives it because wait4 gives per-run peak memory; the commands measured are Node and uv.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
WARMUP = 5


def find_uv():
    if os.environ.get("UVX_SAFE_TEST_UV"):
        return os.environ["UVX_SAFE_TEST_UV"]
    pinned = sorted(d for d in os.listdir(os.path.join(ROOT, ".cache")) if d.startswith("uv-")) if os.path.isdir(os.path.join(ROOT, ".cache")) else []
    for d in reversed(pinned):
        candidate = os.path.join(ROOT, ".cache", d, "bin", "uv")
        if os.path.exists(candidate):
            return candidate
    found = shutil.which("uv")
    if not found:
        sys.exit("bench: no uv found; run `npm test` once (it installs the pinned uv) or set UVX_SAFE_TEST_UV")
    return found


def run_once(argv, env, cwd):
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
    ])
    _, status, usage = os.wait4(pid, 0)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(argv)} failed with {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_maxrss / 1024  # KiB -> MiB on Linux


def main():
    uv = find_uv()
    node = shutil.which("node") or sys.exit("bench: node is not on PATH")
    launcher = os.path.join(ROOT, "bin", "uvx-safe")
    exe = os.path.join(ROOT, "dist", "exe", "uvx-safe-linux-x64")
    if not os.path.exists(os.path.join(ROOT, "dist", "uvx-safe.cjs")):
        sys.exit("bench: dist/uvx-safe.cjs is missing: run `npm run build`")
    work = tempfile.mkdtemp(prefix="uvx-safe-bench-")
    try:
        floor = os.path.join(work, "floor.cjs")
        with open(floor, "w") as f:
            f.write(
                "const { spawn } = require('node:child_process');\n"
                "const child = spawn(process.env.BENCH_UV, process.argv.slice(2), { stdio: 'inherit' });\n"
                "child.on('exit', (code, signal) => {\n"
                "  if (signal) process.kill(process.pid, signal);\n"
                "  else process.exitCode = code;\n"
                "});\n"
            )
        home = os.path.join(work, "home")
        bare_home = os.path.join(work, "bare-home")
        os.makedirs(bare_home)
        project = os.path.join(work, "dev", "src", "app", "pkg", "sub")
        os.makedirs(project)
        os.makedirs(os.path.join(home, ".config", "uvx-safe"))
        admin = os.path.join(work, "admin.toml")
        with open(admin, "w") as f:
            f.write(f'mode = "enforce"\nallowed-roots = ["{work}/dev"]\ndata-root = "{work}/dev/uv"\n'
                    'uv-version = ">=0.13"\nlocked = ["mode"]\n[env]\nUV_PYTHON_DOWNLOADS = "never"\n')
        with open(os.path.join(home, ".config", "uvx-safe", "config.toml"), "w") as f:
            f.write('[locations]\ncache = "{data-root}/cache"\n')
        with open(os.path.join(work, "dev", "src", "app", "pyproject.toml"), "w") as f:
            f.write('[project]\nname = "app"\nversion = "0"\n\n[tool.uvx-safe]\n[tool.uvx-safe.env]\nUV_LINK_MODE = "copy"\n')

        # The managed case: the same files plus uv-source, and "its" uv already installed (no network).
        version = subprocess.check_output([uv, "--version"], text=True).split()[1]
        managed_admin = os.path.join(work, "admin-managed.toml")
        with open(admin) as src, open(managed_admin, "w") as f:
            f.write('uv-source = "https://pypi.invalid/simple"\n' + src.read())
        os.makedirs(os.path.join(work, "dev", "uv", "uv", version))
        os.symlink(uv, os.path.join(work, "dev", "uv", "uv", version, "uv"))
        # As `safe uv install` leaves it: the install record the finder checks (src/managed/store.ts).
        import hashlib, json
        # In chunks: a child's peak memory (wait4's ru_maxrss) starts at this process's own peak, which
        # reading the whole uv binary at once would raise to its size for every case measured.
        sha = hashlib.sha256()
        with open(uv, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                sha.update(chunk)
        digest = sha.hexdigest()
        record = {"uvx-safe-managed-uv": 1, "version": version, "source": "https://pypi.invalid/simple", "files": {"uv": {"size": os.path.getsize(uv), "sha256": digest}}}
        with open(os.path.join(work, "dev", "uv", "uv", version, "uvx-safe-install.json"), "w") as f:
            json.dump(record, f)

        # The bare cases see no config at all; the policy case sees all three files (and a cached uv version).
        base = {"PATH": f"{os.path.dirname(uv)}:/usr/bin:/bin", "HOME": bare_home, "BENCH_UV": uv}
        policy_env = dict(base, HOME=home, UVX_SAFE_SYSTEM_CONFIG=admin)
        cases = {
            "uv": ([uv, "--version"], base, work),
            "floor": ([node, floor, "--version"], base, work),
            "launcher": ([node, launcher, "--version"], base, work),
            "policy": ([node, launcher, "--version"], policy_env, project),
            "managed": ([node, launcher, "--version"], dict(policy_env, PATH="/usr/bin:/bin", UVX_SAFE_SYSTEM_CONFIG=managed_admin), project),
        }
        # The common path: enforce, a project with only pyproject.toml, a stand-in uv, so that the
        # launcher's own work (workspace search, project environment) is what differs from the floor.
        stub = shutil.which("true") or "/bin/true"
        plain = os.path.join(work, "dev", "plain")
        os.makedirs(os.path.join(plain, "src"))
        with open(os.path.join(plain, "pyproject.toml"), "w") as f:
            f.write('[project]\nname = "plain"\nversion = "0"\ndependencies = []\n')
        enforce_admin = os.path.join(work, "admin-enforce.toml")
        with open(enforce_admin, "w") as f:
            f.write(f'mode = "enforce"\nallowed-roots = ["{work}/dev"]\ndata-root = "{work}/dev/uv"\n')
        stub_env = dict(base, BENCH_UV=stub, UVX_SAFE_UV=stub, UVX_SAFE_SYSTEM_CONFIG=enforce_admin)
        cases["floor-stub"] = ([node, floor, "sync"], stub_env, plain)
        cases["sync"] = ([node, launcher, "sync"], stub_env, plain)
        cases["run"] = ([node, launcher, "run", "python", "-c", "pass"], stub_env, os.path.join(plain, "src"))
        if os.path.exists(exe):
            cases["exe"] = ([exe, "--version"], base, work)
            cases["exe-policy"] = ([exe, "--version"], policy_env, project)
        else:
            print("bench: no standalone executable (npm run build:exe): its cases are left out")
        results = {name: [] for name in cases}
        for i in range(WARMUP + RUNS):
            for name, (argv, env, cwd) in cases.items():
                os.chdir(cwd)
                sample = run_once(argv, env, cwd)
                if i >= WARMUP:
                    results[name].append(sample)
        os.chdir(ROOT)

        med = {name: (statistics.median(t for t, _ in s), statistics.median(m for _, m in s)) for name, s in results.items()}
        print(f"uvx-safe start-up, {RUNS} interleaved runs each (after {WARMUP} warm-up), median; node {subprocess.check_output([node, '--version'], text=True).strip()}, {subprocess.check_output([uv, '--version'], text=True).strip()}")
        twin = {"exe": "launcher", "exe-policy": "policy"}
        print(f"{'case':<11} {'wall ms':>9} {'peak MiB':>9} {'time/floor':>11} {'mem/floor':>10} {'time/npm':>9} {'mem/npm':>8}")
        for name, (t, m) in med.items():
            vs_npm = f"{t / med[twin[name]][0]:>8.2f}x {m / med[twin[name]][1]:>7.2f}x" if name in twin else ""
            f = "floor-stub" if name in ("sync", "run") else "floor"
            print(f"{name:<11} {t:>9.1f} {m:>9.1f} {t / med[f][0]:>10.2f}x {m / med[f][1]:>9.2f}x {vs_npm}")
        floor_of = lambda n: "floor-stub" if n in ("sync", "run") else "floor"
        goal_ok = all(med[n][0] / med[floor_of(n)][0] <= 1.15 and med[n][1] / med[floor_of(n)][1] <= 1.3 for n in ("launcher", "policy", "managed", "sync", "run"))
        print(f"npm form goal (<= 1.15x time, <= 1.3x memory of the floor): {'met' if goal_ok else 'NOT met'}")
        if "exe" in med:
            exe_ok = all(med[n][0] / med[twin[n]][0] <= 0.5 for n in ("exe", "exe-policy"))
            print(f"standalone goal (<= 0.5x the npm form's time): {'met' if exe_ok else 'NOT met'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
