"""Build hook: compile the optional accelerator (translit/engine/_accel.c) where a C compiler is,
and choose the command's scripts (see `command_scripts`): on Linux with a C compiler, the
command is the compiled launcher (scripts/translit-launcher.c).

translit works without it (the pure fast engine is the reference and the fallback); with
it, one process converts several times faster. Set TRANSLIT_NO_ACCEL=1 to build without
(and without the compiled launcher: a wheel of Python alone).
A failed compilation is a warning, never a failed install.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from typing import Any

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run by hand to build it in place (see the end): no hatchling needed
    BuildHookInterface = object


def compile_accelerator(root: str) -> str:
    """Compile translit/engine/_accel.c into the package folder; return the built file's path."""
    source = os.path.join(root, "translit", "engine", "_accel.c")
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    target = os.path.join(root, "translit", "engine", "_accel" + suffix)
    compiler = shlex.split(sysconfig.get_config_var("CC") or "cc")
    linker = shlex.split(sysconfig.get_config_var("LDSHARED") or "cc -shared")
    shared = shlex.split(sysconfig.get_config_var("CCSHARED") or "-fPIC")
    include = sysconfig.get_paths()["include"]
    with tempfile.TemporaryDirectory() as work:
        objects = os.path.join(work, "_accel.o")
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


def compile_launcher(root: str, folder: str) -> str:
    """Compile scripts/translit-launcher.c into `folder`; return the program's path."""
    source = os.path.join(root, "scripts", "translit-launcher.c")
    target = os.path.join(folder, "translit")
    compiler = shlex.split(sysconfig.get_config_var("CC") or "cc")
    subprocess.run([*compiler, "-O2", "-std=c11", "-Wall", source, "-o", target], check=True,
                   capture_output=True, timeout=300)
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
        try:
            target = compile_accelerator(self.root)
        except (OSError, subprocess.SubprocessError) as error:
            detail = getattr(error, "stderr", b"") or b""
            self.app.display_warning(
                f"translit: the accelerator was not built ({error}; "
                f"{detail.decode(errors='replace').strip()[:300]}); the pure engine is used")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version == "standard":  # an editable install imports it from the source folder
            build_data["force_include"][target] = "translit/engine/" + os.path.basename(target)

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
    print(compile_accelerator(os.path.dirname(os.path.abspath(__file__))), file=sys.stderr)
