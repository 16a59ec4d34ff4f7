"""The shape of the package: layers, one source for each fact, typing."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import get_args

import translit
from translit import cli_app, options

PACKAGE = Path(translit.__file__).parent
CORE = ("rules", "model", "reference", "fastpath", "engine", "options", "stream")


def imports_of(module: str) -> set[str]:
    """The translit modules a module imports (at any depth of its code)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module is None:  # from . import files
                found.update(alias.name for alias in node.names)
            else:
                found.add(node.module)
    return {name.split(".")[0] for name in found if name}


def test_no_import_cycles():
    modules = [p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")]
    graph = {m: imports_of(m) & set(modules) for m in modules}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n}))
                   for n in graph[start])

    cycles = [m for m in modules if reaches(m, m, {m})]
    assert cycles == []


def test_the_core_never_imports_the_files_layer_the_cli_or_the_preview():
    outer = {"files", "fileio", "walking", "commands", "report", "cli", "cli_app", "preview",
             "diffing"}
    for module in CORE:
        assert not imports_of(module) & outer, module
    assert "parallel" not in imports_of("stream")  # splitting over processes is the files layer's


def test_each_choice_has_one_source():
    assert options.APOSTROPHES == get_args(options.Apostrophe)
    for enum_type, values in ((cli_app.Apostrophe, options.APOSTROPHES),
                              (cli_app.Alphabet, options.ALPHABETS),
                              (cli_app.Capitals, options.CAPITALS),
                              (cli_app.DecodeErrors, options.DECODE_ERRORS)):
        assert tuple(member.value for member in enum_type) == values


def test_option_keywords_are_the_fields_of_options():
    fields = {f.name: f.type for f in dataclasses.fields(translit.Options)}
    assert set(options.OptionFields.__annotations__) == set(fields)


def test_a_type_checker_catches_a_wrong_option(tmp_path):
    code = tmp_path / "use.py"
    code.write_text("import translit\n"
                    "translit.to_latin('x', apostrophe='fancy')\n"
                    "translit.to_latin('x', apostrofe='ascii')\n"
                    "translit.to_latin('x', apostrophe='ascii', ordinal_dates=True)\n")
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(code)],
                            capture_output=True, text=True, timeout=300,
                            cwd=PACKAGE.parent)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 2, result.stdout
    assert "use.py:2:" in errors[0] and "use.py:3:" in errors[1]


def test_the_package_ships_py_typed():
    assert (PACKAGE / "py.typed").is_file()
