"""Build hook: compile the optional accelerator (translit/engine/_accel.c) where a C compiler is,
and choose the command's scripts (see `command_scripts`).

translit works without it (the pure fast engine is the reference and the fallback); with
it, one process converts several times faster. Set TRANSLIT_NO_ACCEL=1 to build without.
A failed compilation is a warning, never a failed install.
"""

from __future__ import annotations

import os
import shlex
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


def command_scripts(root: str) -> dict[str, str]:
    """The command's scripts: where `env --block-signal` works, a launcher that blocks
    SIGINT, SIGTERM and SIGHUP before Python starts, in front of the Python part; else the
    Python part alone, which blocks them from its first instruction (scripts/translit)."""
    python_part = os.path.join(root, "scripts", "translit")
    if env_blocks_signals():
        return {os.path.join(root, "scripts", "translit-launcher"): "translit",
                python_part: "_translit"}
    return {python_part: "translit"}


class AcceleratorHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        build_data["shared_scripts"].update(command_scripts(self.root))
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


if __name__ == "__main__":  # python hatch_build.py: build it in place, for development
    print(compile_accelerator(os.path.dirname(os.path.abspath(__file__))), file=sys.stderr)
