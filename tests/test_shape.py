"""The shape of the package: layers, one source for each fact, typing."""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

import translit
from translit.cli import app as cli_app
from translit.base import options

PACKAGE = Path(translit.__file__).parent

# What each folder of the package may import (README: Layout shows the same table). A module
# is checked by the folder it lives in; "" is the package's own public facade.
LAYERS: dict[str, set[str]] = {
    "base": set(),
    "tables": {"base"},
    "engine": {"base", "tables"},
    "directions": {"base", "tables", "engine"},
    "converter": {"base", "tables", "engine", "directions"},
    "stream": {"base", "engine", "converter"},
    "diff": {"base", "stream"},
    "formats": {"base", "engine", "converter", "stream"},
    "files": {"base", "tables", "engine", "converter", "stream", "diff", "formats"},
    "preview": {"base", "engine", "converter", "stream", "diff"},
    "cli": {"", "base", "tables", "engine", "converter", "stream", "diff", "formats", "files",
            "preview"},
    "": {"base", "tables", "engine", "converter"},
}
CORE = ("base", "tables", "engine", "directions", "converter", "stream")


def module_name(path: Path) -> str:
    """translit.engine.words for translit/engine/words.py (the package for __init__.py)."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache  # (the tree does not change during a run: read once, not per import)
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")
            if "__pycache__" not in path.parts}


@functools.cache
def imports_of(module: str) -> frozenset[str]:
    """The translit modules a module imports, by full name, at any depth of its code."""
    path = modules()[module]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            base = package[: len(package) - node.level + 1]
            if node.module:
                found.add(".".join([*base, node.module]))
            for alias in node.names if node.module is None else ():
                name = ".".join([*base, alias.name])  # from . import files: a module ...
                compiled = PACKAGE.parent.joinpath(*base, alias.name + ".pyi")
                if compiled.exists():  # (a compiled module, known by its interface)
                    continue
                found.add(name if name in modules() else ".".join(base))  # ... or a name
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("translit."))
    return frozenset(found)


def folder_of(module: str) -> str:
    """The layer folder a module lives in ("" for the package's own modules)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (PACKAGE / parts[-1]).is_dir() and len(parts) == 2 else ""


def test_every_module_lives_in_a_folder_with_a_rule():
    assert {folder_of(m) for m in modules()} == set(LAYERS)
    top = {m for m in modules() if folder_of(m) == ""}
    assert top == {"translit", "translit.__main__"}  # a new module goes into its layer's folder


def test_each_folder_imports_only_the_folders_below_it():
    for module in modules():
        if module == "translit.__main__":
            continue  # python -m translit: the command itself
        used = {folder_of(name) for name in imports_of(module)} - {folder_of(module)}
        assert used <= LAYERS[folder_of(module)], (module, used - LAYERS[folder_of(module)])


def test_no_import_cycles():
    graph = {m: imports_of(m) & set(modules()) for m in modules()}

    def reaches(start: str, goal: str) -> bool:
        seen, waiting = {start}, [start]
        while waiting:
            for n in graph[waiting.pop()]:
                if n == goal:
                    return True
                if n not in seen:
                    seen.add(n)
                    waiting.append(n)
        return False

    assert [m for m in graph if reaches(m, m)] == []
    # ... and the folders' rules admit no circle either: each layer sits on those below it
    order = list(LAYERS)[:-1]
    for folder, allowed in LAYERS.items():
        if folder:
            assert all(order.index(below) < order.index(folder) for below in allowed - {""})


def test_the_core_never_imports_the_files_layer_the_cli_or_the_preview():
    outer = {"files", "cli", "preview", "diff", "formats"}
    for folder in CORE:
        assert not LAYERS[folder] & outer, folder
    assert "translit.files.parallel" not in imports_of("translit.stream")


def test_readme_layout_table_is_the_layer_rules():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Layout\n", 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`translit/"):
            folder = cells[0].strip("`").removeprefix("translit/").strip("/")
            may = {name.strip("` ").removeprefix("translit/").strip("/")
                   for name in cells[2].split(",") if name.strip() not in ("", "nothing")}
            rows[folder] = {"" if name == "translit" else name for name in may}
    assert rows == {folder: allowed for folder, allowed in LAYERS.items() if folder}


def literals_written(module: object) -> dict[str, tuple[str, ...]]:
    """The ``Literal`` aliases a module writes (for type checkers only: base/checking.py)."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    found = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript)
                and getattr(node.value.value, "id", None) == "Literal"):
            values = node.value.slice
            items = values.elts if isinstance(values, ast.Tuple) else [values]
            if all(isinstance(item, ast.Constant) for item in items):  # (not one made of a tuple)
                found[node.targets[0].id] = tuple(item.value for item in items)
    return found


def test_each_choice_has_one_set_of_values():
    # A choice's values are a tuple at run time; the Literal beside it, which type checkers
    # read, must hold the same values in the same order (and none is written without one).
    from translit import formats
    from translit.directions import direction
    from translit.files import operations
    from translit.formats import registry

    for module, tuples in (
            (options, {"Apostrophe": options.APOSTROPHES, "Target": options.TARGETS,
                       "Capitals": options.CAPITALS, "DecodeErrors": options.DECODE_ERRORS,
                       "Quotes": options.QUOTES}),
            (registry, {"FormatName": registry.FORMAT_NAMES, "Kind": registry.KINDS}),
            (direction, {"Throughput": direction.THROUGHPUTS})):
        assert literals_written(module) == tuples, module.__name__
        for name, values in tuples.items():  # at run time, made from the tuple when asked for
            assert get_args(getattr(module, name)) == values
    assert set(operations.PARALLEL_MIN_BYTES) == set(direction.THROUGHPUTS)
    assert formats.FormatName is registry.FormatName
    for choice_type, values in ((cli_app.Apostrophe, options.APOSTROPHES),
                                (cli_app.TargetChoice, options.TARGETS),
                                (cli_app.Alphabet, tuple(options.ALPHABET_ALIASES)),
                                (cli_app.Capitals, options.CAPITALS),
                                (cli_app.DecodeErrors, options.DECODE_ERRORS),
                                (cli_app.QuotesChoice, options.QUOTES)):
        assert get_args(choice_type) == values  # the Literal Typer reads its choices from


def test_the_shortcuts_type_hints_are_read_at_run_time():
    # (their module reads typing at run time: the command's modules do not)
    import typing

    from translit.base.option_fields import OptionFields

    for shortcut in (translit.to_latin, translit.to_cyrillic, translit.to_latin_many,
                     translit.explain):
        hints = typing.get_type_hints(shortcut)
        assert typing.get_args(hints["options"])[0] is OptionFields, shortcut


def test_option_keywords_are_the_fields_of_options():
    fields = translit.Options._fields
    from translit.base.option_fields import OptionFields

    assert set(OptionFields.__annotations__) == set(fields)


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


FORMATS = PACKAGE / "formats"
FORMAT_HELPERS = {"__init__", "errors", "registry", "dispatch", "base", "markup", "package",
                  "drawing", "document", "formulas", "audit", "corpus", "streaming"}
# What the plain filter may import of the formats: the error and the registry it asks which
# format standard input is, the dispatch (lazy inside), and the package that re-exports them.
FORMATS_OF_THE_PLAIN_FILTER = ["translit.formats.dispatch", "translit.formats.errors",
                               "translit.formats.registry"]
FORMAT_MODULES = {p.stem for p in FORMATS.glob("*.py")} - FORMAT_HELPERS


def test_formats_never_import_each_other_the_files_layer_or_the_cli():
    assert FORMAT_MODULES >= {"html", "markdown", "subtitles", "po", "json", "docx", "xlsx",
                              "pptx", "odf", "text"}
    helpers = {"translit.formats"} | {f"translit.formats.{name}" for name in FORMAT_HELPERS}
    for module in FORMAT_MODULES | FORMAT_HELPERS:
        name = "translit.formats" if module == "__init__" else f"translit.formats.{module}"
        used = imports_of(name)
        inside = {m for m in used if m.startswith("translit.formats")}
        assert inside <= helpers, (module, inside)
        # (spans: the placeholder pattern, one for the formats and the Cyrillic direction;
        # records: the record classes' NamedTuple; the corpus formats convert through the
        # batch API and read the record options; limits: the caps on what one input may cost;
        # invisible: the characters a word holds that a reference may stand for, &shy;
        # checking: TYPE_CHECKING without typing's import)
        assert used - inside <= {
            "translit.converter.transliterator", "translit.stream", "translit.base.lazy",
            "translit.engine.invisible",
            "translit.engine.spans", "translit.base.records", "translit.converter.batch",
            "translit.engine.scripts", "translit.base.options", "translit.base.limits",
            "translit.base.checking"
        }, (module, used - inside)


def test_the_plain_filter_imports_no_format_and_no_parser():
    code = ("import sys, io; sys.argv = ['translit']; "
            "sys.stdin = io.TextIOWrapper(io.BytesIO(b'\\xd0\\xb0\\n'));"
            "from translit.cli.commands import Request, run; run(Request(), io.BytesIO(), io.BytesIO());"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('lxml', 'tree_sitter', 'yaml', 'openpyxl', 'rich', 'typer') or m.startswith("
            "'translit.formats.') or m in ('html.parser', 'zipfile')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(FORMATS_OF_THE_PLAIN_FILTER)


def test_the_plain_filter_imports_only_what_it_needs():
    # Start-up: dataclasses (with inspect), pathlib and importlib (with warnings) cost the
    # plain filter about a third of its start-up; it converts without any of them.
    script = PACKAGE.parent / "scripts" / "translit"
    result = subprocess.run([sys.executable, "-X", "importtime", str(script)],
                            input="Шаҳар\n".encode(), capture_output=True, timeout=60)
    assert result.returncode == 0 and result.stdout == b"Shahar\n", result.stderr
    imported = {line.rsplit("|", 1)[-1].strip()
                for line in result.stderr.decode().splitlines() if line.startswith("import time:")}
    assert "translit.converter.transliterator" in imported  # what is read is the list of what was imported
    assert not imported & {"dataclasses", "inspect", "pathlib", "typer", "rich", "tempfile",
                           "typing"}  # typing: about 3 ms (base/checking.py)
    # Nor the modules that only wrap C ones it takes directly (signal builds enums of its
    # numbers on import: 0.4 ms), nor importlib with warnings (__import__ does).
    assert not imported & {"signal", "importlib", "warnings", "bisect", "contextvars"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_to_cyrillic_imports_neither_typing_nor_tempfile(tmp_path, jobs):
    # Start-up of `translit --to cyrillic FILE -o OUT` (issue 20: against ICU on a few MB,
    # it counts): typing was 2 ms of it, tempfile with shutil and random 4 ms, in the
    # parent and (for the pickle of the first task) in each worker. (The workers' imports
    # are reported on the same standard error.)
    source = tmp_path / "in.txt"
    source.write_text("Toshkent shahri\n" * 300_000, encoding="utf-8")  # 4.8 MB: workers
    script = PACKAGE.parent / "scripts" / "translit"
    result = subprocess.run([sys.executable, "-X", "importtime", str(script), "--to", "cyrillic",
                             "--jobs", jobs, str(source), "-o", str(tmp_path / "out.txt")],
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip()
                for line in result.stderr.decode().splitlines() if line.startswith("import time:")}
    assert "translit.directions.reverse" in imported
    assert ("translit.files.parallel" in imported) == (jobs == "2")
    assert not imported & {"typing", "tempfile", "shutil", "random"}
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "Тошкент шаҳри\n" * 300_000


@pytest.mark.parametrize("argv, imported", [
    ([], "translit.cli.commands"),
    (["--jobs", "1"], "translit.cli.simple"),  # read without Typer (cli/simple.py)
    (["--apostrophe", "ascii"], "typer"),
])
def test_the_collector_waits_until_the_modules_are_imported(argv, imported):
    # Start-up makes many objects and frees few: a collection then is work for nothing
    # (10 million instructions of a start with options, most in Typer's import). The
    # collector runs again for the work, with the start-up's objects frozen out of its walks.
    code = ("import gc, sys\n"
            "from translit.cli import main as cli\n"
            "original = cli._collecting\n"
            "def collecting():\n"
            f"    print(gc.isenabled(), {imported!r} in sys.modules)\n"
            "    original()\n"
            "    print(gc.isenabled(), gc.get_freeze_count() > 0)\n"
            "cli._collecting = collecting\n"
            f"sys.argv = ['translit', *{argv!r}]\n"
            "cli.main()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 0, result.stderr
    # Off from main() on while the modules are imported; on for the work, frozen out.
    assert result.stdout.split() == ["False", "True", "True", "True"]


def test_the_steps_before_the_rules_have_one_owner(monkeypatch):
    """Both engines prepare text through repairs.Repairs, and nothing else repairs text:
    with its steps turned off, neither engine reads a look-alike, a typed apostrophe or a
    decomposed letter any more."""
    from translit.converter.transliterator import Transliterator
    from translit.base.options import Options
    from translit.engine.repairs import Repairs

    text = "Bатан ма'но и\u0306ил"  # a Latin B, an apostrophe typed for ъ, и + breve
    options = Options(typed_apostrophes=True)
    repaired = Transliterator(options)
    assert repaired.to_latin(text) == repaired.reference_to_latin(text) == "Vatan maʼno yil"
    monkeypatch.setattr(Repairs, "prepare", lambda self, text, refuse="": text)
    monkeypatch.setattr(Repairs, "prepare_mapped", lambda self, text: (text, None))
    bare = Transliterator(options)  # a new one: none of the cached tables
    assert bare.to_latin(text) == bare.reference_to_latin(text) == "Batan ma'no i\u0306il"
