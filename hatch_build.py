"""Build hook: compile the optional accelerators (translit/engine/_accel.c,
translit/preview/_drawing.c) where a C compiler is, and choose the command's scripts (see
`command_scripts`): on Linux with a C compiler, the command is the compiled launcher
(scripts/translit-launcher.c).

translit works without them (the pure Python paths are the reference and the fallback);
with them, one process converts several times faster, and the preview draws faster. Set
TRANSLIT_NO_ACCEL=1 to build without (and without the compiled launcher: a wheel of Python
alone). A failed compilation is a warning, never a failed install; each module is built on
its own, so that one that fails does not cost the wheel the other.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from typing import Any

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run by hand to build it in place (see the end): no hatchling needed
    BuildHookInterface = object


# The optional compiled modules, each a single C file: the fast engine's accelerator, and
# the preview's marks and drawing.
EXTENSIONS = ("translit/engine/_accel.c", "translit/preview/_drawing.c")


def compile_available(root: str, warn: Callable[[str], object]) -> list[str]:
    """Compile each of EXTENSIONS that compiles here; `warn` of each that does not (the
    others are still built: the engine's accelerator needs nothing of the preview's module,
    nor the preview's of the engine's). Return the built files' paths."""
    targets = []
    for source in EXTENSIONS:
        try:
            targets.append(compile_extension(root, source))
        except (OSError, subprocess.SubprocessError) as error:
            detail = getattr(error, "stderr", b"") or b""
            warn(f"translit: {source} was not built ({error}; "
                 f"{detail.decode(errors='replace').strip()[:300]}); its pure Python path "
                 "is used")
    return targets


def compile_extension(root: str, source: str) -> str:
    """Compile `source` (a C file below `root`) beside it; return the built file's path."""
    source = os.path.join(root, *source.split("/"))
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    target = os.path.splitext(source)[0] + suffix
    compiler = shlex.split(sysconfig.get_config_var("CC") or "cc")
    linker = shlex.split(sysconfig.get_config_var("LDSHARED") or "cc -shared")
    shared = shlex.split(sysconfig.get_config_var("CCSHARED") or "-fPIC")
    include = sysconfig.get_paths()["include"]
    with tempfile.TemporaryDirectory() as work:
        objects = os.path.join(work, "module.o")
        subprocess.run([*compiler, *shared, "-O2", "-std=c11", "-Wall", "-I", include, "-c",
                        source, "-o", objects], check=True, capture_output=True, timeout=300)
        subprocess.run([*linker, objects, "-o", target], check=True, capture_output=True,
                       timeout=300)
    return target


def env_blocks_signals() -> bool:
    """Whether `env --block-signal` works here (GNU coreutils 8.31 and later)."""
    try:
        return subprocess.run(["env", "--block-signal=INT,TERM,HUP", "true"],
                              capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def compile_launcher(root: str, folder: str, *flags: str) -> str:
    """Compile scripts/translit-launcher.c into `folder` (with the compiler's `flags`
    besides); return the program's path."""
    source = os.path.join(root, "scripts", "translit-launcher.c")
    target = os.path.join(folder, "translit")
    compiler = shlex.split(sysconfig.get_config_var("CC") or "cc")
    subprocess.run([*compiler, "-O2", "-std=c11", "-Wall", *flags, source, "-o",
                    target], check=True, capture_output=True, timeout=300)
    return target


def command_scripts(root: str, launcher: str | None = None) -> dict[str, str]:
    """The command's scripts: a launcher that blocks SIGINT, SIGTERM and SIGHUP before Python
    starts, in front of the Python part: `launcher` (compiled by `compile_launcher`) if
    given, else the shell launcher where `env --block-signal` works; else the Python part
    alone, which blocks them from its first instruction (scripts/translit)."""
    python_part = os.path.join(root, "scripts", "translit")
    if launcher is not None:
        return {launcher: "translit", python_part: "_translit"}
    if env_blocks_signals():
        return {os.path.join(root, "scripts", "translit-launcher"): "translit",
                python_part: "_translit"}
    return {python_part: "translit"}


class AcceleratorHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    _launcher_folder: str | None = None

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        launcher = self._launcher()
        build_data["shared_scripts"].update(command_scripts(self.root, launcher))
        if launcher is not None:  # a program for this platform: the wheel's tag says which
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
        if os.environ.get("TRANSLIT_NO_ACCEL"):
            return
        targets = compile_available(self.root, self.app.display_warning)
        if not targets:
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version == "standard":  # an editable install imports them from the source folder
            for target in targets:
                build_data["force_include"][target] = os.path.relpath(
                    target, self.root).replace(os.sep, "/")

    def _launcher(self) -> str | None:
        """The compiled launcher (Linux: it finds the Python part through /proc), or None
        (no compiler, a warning said, or TRANSLIT_NO_ACCEL: the shell launcher or none)."""
        if not sys.platform.startswith("linux") or os.environ.get("TRANSLIT_NO_ACCEL"):
            return None
        self._launcher_folder = tempfile.mkdtemp(prefix="translit-launcher-")
        try:
            return compile_launcher(self.root, self._launcher_folder)
        except (OSError, subprocess.SubprocessError) as error:
            detail = getattr(error, "stderr", b"") or b""
            self.app.display_warning(
                f"translit: the command's launcher was not compiled ({error}; "
                f"{detail.decode(errors='replace').strip()[:300]}); a shell launcher is used "
                "where `env --block-signal` works")
            return None

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._launcher_folder is not None:
            shutil.rmtree(self._launcher_folder, ignore_errors=True)


if __name__ == "__main__":  # python hatch_build.py: build it in place, for development
    built = compile_available(os.path.dirname(os.path.abspath(__file__)),
                              lambda warning: print(warning, file=sys.stderr))
    print(*built, sep="\n", file=sys.stderr)
    sys.exit(0 if len(built) == len(EXTENSIONS) else 1)
