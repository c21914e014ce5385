// The `uv` Python package of the governed wheel: the API clients call on the real uv wheel
// (`uv.find_uv_bin()`, `uv._find_uv.UvNotFound`, `python -m uv`, the AttributeError for the build
// backend names), written for uvx-safe. find_uv_bin() looks where uv's own does (the scripts folder
// of the prefix or `--target` folder this package was installed into, the interpreter's, the base
// interpreter's, the user scheme's), this package's own folders first, and returns only a file that
// carries uvx-safe's mark: a real uv found first (another install on the interpreter's PATH) is
// passed over, never returned, and named when nothing governed is found (fail closed).

import { ELF_MARK, ELF_MARK_OFFSET, LAUNCHER_MARKER } from '../uv/find.js';

export function initPy(launcherVersion: string): string {
  return `"""uv, governed by uvx-safe.

The \`uv\` and \`uvx\` scripts of this package are the uvx-safe launcher, which runs the real uv
installed beside them inside the organisation's policy. Built by \`uvx-safe safe wheel\`.
"""

from __future__ import annotations

from ._find_uv import UvNotFound, find_uv_bin

__all__ = ["find_uv_bin"]

#: The uvx-safe release whose launcher this package carries (\`uvx-safe safe doctor\` reads it).
__uvx_safe__ = ${JSON.stringify(launcherVersion)}

_BUILD_BACKEND_HOOKS = frozenset(
    (
        "build_sdist",
        "build_wheel",
        "build_editable",
        "get_requires_for_build_sdist",
        "get_requires_for_build_wheel",
        "get_requires_for_build_editable",
        "prepare_metadata_for_build_wheel",
        "prepare_metadata_for_build_editable",
    )
)


def __getattr__(name: str) -> object:
    if name in _BUILD_BACKEND_HOOKS:
        raise AttributeError(
            f"\`uv.{name}\` is not available: the uv package is not a build backend; "
            "use the \`uv_build\` package as your build system"
        )
    raise AttributeError(f"module \`{__name__}\` has no attribute \`{name}\`")
`;
}

export function findUvPy(): string {
  return `"""Finding this package's uv: the uvx-safe launcher installed with it as the \`uv\` script."""

from __future__ import annotations

import os
import sys
import sysconfig

_MARK = ${JSON.stringify(LAUNCHER_MARKER)}.encode()
_ELF_MARK = ${JSON.stringify(ELF_MARK)}.encode()
_ELF_MARK_OFFSET = ${ELF_MARK_OFFSET}


class UvNotFound(FileNotFoundError): ...


def _is_launcher(path: str) -> bool:
    """True when the file carries uvx-safe's mark in its first 256 bytes."""
    try:
        with open(path, "rb") as file:
            head = file.read(256)
    except OSError:
        return False
    if _MARK in head:
        return True
    return head[:4] == b"\\x7fELF" and head[_ELF_MARK_OFFSET : _ELF_MARK_OFFSET + len(_ELF_MARK)] == _ELF_MARK


def _above(path: "str | None", tail: str) -> "str | None":
    """The folder above \`path\` once the trailing parts matching \`tail\` (\`/\`-separated, \`*\` allowed) are cut off."""
    from fnmatch import fnmatch

    if not path:
        return None
    parts = path.split(os.sep)
    wanted = tail.split("/")
    if len(parts) < len(wanted):
        return None
    for part, pattern in zip(parts[len(parts) - len(wanted) :], wanted):
        if not fnmatch(part, pattern):
            return None
    return os.sep.join(parts[: len(parts) - len(wanted)])


def _join(folder: "str | None", name: str) -> "str | None":
    return os.path.join(folder, name) if folder else None


def _user_scheme() -> str:
    if sys.version_info >= (3, 10):
        return sysconfig.get_preferred_scheme("user")
    if os.name == "nt":
        return "nt_user"
    if sys.platform == "darwin" and getattr(sys, "_framework", None):
        return "osx_framework_user"
    return "posix_user"


def _folders() -> "list[str | None]":
    package = os.path.dirname(os.path.abspath(__file__))
    if sys.platform == "win32":
        prefix_scripts = _join(_above(package, "Lib/site-packages/uv"), "Scripts")
    else:
        prefix_scripts = _join(_above(package, "lib/python*/site-packages/uv"), "bin")
    return [
        # The prefix this package was installed into (a venv, \`pip install --prefix\`, \`uv run --with\`).
        prefix_scripts,
        # \`pip install --target DIR\`: DIR/uv and DIR/bin.
        _join(_above(package, "uv"), "bin"),
        # The interpreter's scripts, the base interpreter's, the user scheme's (\`pip install --user\`).
        sysconfig.get_path("scripts"),
        sysconfig.get_path("scripts", vars={"base": sys.base_prefix}),
        sysconfig.get_path("scripts", scheme=_user_scheme()),
    ]


def find_uv_bin() -> str:
    """Return the path of the uv binary: the uvx-safe launcher of this package."""
    name = "uv" + (sysconfig.get_config_var("EXE") or "")
    searched: "list[str]" = []
    passed: "list[str]" = []
    for folder in _folders():
        if not folder or folder in searched:
            continue
        searched.append(folder)
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            if _is_launcher(path):
                return path
            passed.append(path)
    lines = "\\n".join(f" - {folder}" for folder in searched)
    message = f"Could not find the uv binary (the uvx-safe launcher) in any of the following locations:\\n{lines}\\n"
    if passed:
        message += "Passed over, not governed by uvx-safe: " + ", ".join(passed) + "\\n"
    raise UvNotFound(message)
`;
}

export function mainPy(): string {
  return `"""\`python -m uv\`: runs this package's uv (the uvx-safe launcher) with the arguments given."""

import os
import sys

from uv import find_uv_bin


def _virtual_env() -> str:
    value = os.environ.get("VIRTUAL_ENV")
    if value:
        return value
    return sys.prefix if os.path.exists(os.path.join(sys.prefix, "pyvenv.cfg")) else ""


def _run() -> None:
    uv = find_uv_bin()
    env = dict(os.environ)
    venv = _virtual_env()
    if venv:
        env.setdefault("VIRTUAL_ENV", venv)
    # Tells uv which interpreter started it, as the real uv package does.
    env["UV_INTERNAL__PARENT_INTERPRETER"] = sys.executable
    if sys.platform == "win32":
        import subprocess

        try:
            completed = subprocess.run([uv, *sys.argv[1:]], env=env, check=False)
        except KeyboardInterrupt:
            sys.exit(2)
        sys.exit(completed.returncode)
    os.execvpe(uv, [uv, *sys.argv[1:]], env)


if __name__ == "__main__":
    _run()
`;
}
