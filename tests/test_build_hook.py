"""The build hook (hatch_build.py): which compiled modules a wheel ships."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent


def _hatch_build():
    spec = importlib.util.spec_from_file_location("hatch_build_under_test", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wheel_data(monkeypatch, tmp_path, compile_extension) -> tuple[dict, list[str], object]:
    """What the hook gives a standard wheel, with `compile_extension` standing in for the
    compiler (and no launcher compiled): the build data, the warnings, the module."""
    hatch_build = _hatch_build()
    monkeypatch.setattr(hatch_build, "compile_extension", compile_extension)
    monkeypatch.setattr(hatch_build, "command_scripts", lambda root, launcher=None: {})
    monkeypatch.setattr(hatch_build.AcceleratorHook, "_launcher", lambda self: None)  # (none)
    monkeypatch.delenv("TRANSLIT_NO_ACCEL", raising=False)
    warnings: list[str] = []
    hook = hatch_build.AcceleratorHook()
    hook.root, hook.target_name = str(tmp_path), "wheel"
    hook.app = SimpleNamespace(display_warning=warnings.append)
    build_data: dict = {"shared_scripts": {}, "force_include": {}}
    hook.initialize("standard", build_data)
    return build_data, warnings, hatch_build


def test_a_module_that_does_not_compile_leaves_the_other_one_in_the_wheel(monkeypatch, tmp_path):
    """The preview's _drawing.c failing to compile (an old compiler, say) cost the wheel the
    engine's accelerator too, which had compiled: both were built in one step, and its
    failure a warning that shipped neither."""
    def compile_extension(root: str, source: str) -> str:
        if source.endswith("_drawing.c"):
            raise subprocess.CalledProcessError(1, ["cc"], stderr=b"_drawing.c: error")
        return os.path.join(root, *source.split("/"))[:-2] + ".so"

    build_data, warnings, _ = _wheel_data(monkeypatch, tmp_path, compile_extension)
    accelerator = os.path.join(str(tmp_path), "translit", "engine", "_accel.so")
    assert build_data["force_include"] == {accelerator: "translit/engine/_accel.so"}
    assert build_data["pure_python"] is False
    assert len(warnings) == 1 and "translit/preview/_drawing.c" in warnings[0]


def test_no_module_compiled_is_a_pure_wheel(monkeypatch, tmp_path):
    def compile_extension(root: str, source: str) -> str:
        raise OSError("no compiler")

    build_data, warnings, hatch_build = _wheel_data(monkeypatch, tmp_path, compile_extension)
    assert build_data == {"shared_scripts": {}, "force_include": {}}
    assert len(warnings) == len(hatch_build.EXTENSIONS)
