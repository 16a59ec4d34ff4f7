"""The shape of the package: layers, one source for each fact, typing."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import get_args

import translit
from translit import cli_app, options

PACKAGE = Path(translit.__file__).parent
CORE = ("rules", "words", "rendering", "repairs", "spans", "model", "reference", "fastpath",
        "latin", "reverse", "engine", "options", "stream", "lazy", "records", "scripts", "batch",
        "codepages")


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
                              (cli_app.TargetChoice, options.TARGETS),
                              (cli_app.Alphabet, tuple(options.ALPHABET_ALIASES)),
                              (cli_app.Capitals, options.CAPITALS),
                              (cli_app.DecodeErrors, options.DECODE_ERRORS),
                              (cli_app.QuotesChoice, options.QUOTES)):
        assert tuple(member.value for member in enum_type) == values


def test_option_keywords_are_the_fields_of_options():
    fields = translit.Options._fields
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


FORMATS = PACKAGE / "formats"
FORMAT_HELPERS = {"__init__", "base", "markup", "package", "drawing", "document", "formulas",
                  "audit", "corpus"}
FORMAT_MODULES = {p.stem for p in FORMATS.glob("*.py")} - FORMAT_HELPERS


def format_imports(module: str) -> tuple[set[str], set[str]]:
    """(modules of translit.formats, modules of translit) that a format module imports."""
    tree = ast.parse((FORMATS / f"{module}.py").read_text(encoding="utf-8"))
    inside, outside = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level in (1, 2):
            names = [node.module] if node.module else [a.name for a in node.names]
            target = inside if node.level == 1 else outside
            for name in filter(None, names):
                name = name.split(".")[0]
                folder = FORMATS if node.level == 1 else PACKAGE
                # from . import FormatError: a name of the package itself
                target.add(name if (folder / f"{name}.py").exists() else "__init__")
    return inside, outside


def test_formats_never_import_each_other_the_files_layer_or_the_cli():
    assert FORMAT_MODULES >= {"html", "markdown", "subtitles", "po", "json", "docx", "xlsx",
                              "pptx", "odf", "text"}
    for module in FORMAT_MODULES | FORMAT_HELPERS:
        inside, outside = format_imports(module)
        assert inside <= FORMAT_HELPERS | {"__init__"}, (module, inside)
        # (spans: the placeholder pattern, one for the formats and the Cyrillic direction;
        # records: the record classes' NamedTuple; the corpus formats convert through the
        # batch API and read the record options; limits: the caps on what one input may cost)
        assert outside <= {"engine", "stream", "lazy", "spans", "records", "batch", "scripts",
                           "options", "limits"}, (module, outside)


def test_the_core_never_imports_the_formats():
    for module in CORE:
        assert "formats" not in imports_of(module), module


def test_the_plain_filter_imports_no_format_and_no_parser():
    code = ("import sys, io; sys.argv = ['translit']; "
            "sys.stdin = io.TextIOWrapper(io.BytesIO(b'\\xd0\\xb0\\n'));"
            "from translit.commands import Request, run; run(Request(), io.BytesIO(), io.BytesIO());"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('lxml', 'tree_sitter', 'yaml', 'openpyxl', 'rich', 'typer') or m.startswith("
            "'translit.formats.') or m in ('html.parser', 'zipfile')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_plain_filter_imports_only_what_it_needs():
    # Start-up: dataclasses (with inspect), pathlib and importlib (with warnings) cost the
    # plain filter about a third of its start-up; it converts without any of them.
    script = PACKAGE.parent / "scripts" / "translit"
    result = subprocess.run([sys.executable, "-X", "importtime", str(script)],
                            input="Шаҳар\n".encode(), capture_output=True, timeout=60)
    assert result.returncode == 0 and result.stdout == b"Shahar\n", result.stderr
    imported = {line.rsplit("|", 1)[-1].strip()
                for line in result.stderr.decode().splitlines() if line.startswith("import time:")}
    assert "translit.engine" in imported  # what is read is the list of what was imported
    assert not imported & {"dataclasses", "inspect", "pathlib", "typer", "rich", "tempfile"}


def test_the_steps_before_the_rules_have_one_owner(monkeypatch):
    """Both engines prepare text through repairs.Repairs, and nothing else repairs text:
    with its steps turned off, neither engine reads a look-alike, a typed apostrophe or a
    decomposed letter any more."""
    from translit.engine import Transliterator
    from translit.options import Options
    from translit.repairs import Repairs

    text = "Bатан ма'но и\u0306ил"  # a Latin B, an apostrophe typed for ъ, и + breve
    options = Options(typed_apostrophes=True)
    repaired = Transliterator(options)
    assert repaired.to_latin(text) == repaired.reference_to_latin(text) == "Vatan maʼno yil"
    monkeypatch.setattr(Repairs, "prepare", lambda self, text, refuse="": text)
    monkeypatch.setattr(Repairs, "prepare_mapped", lambda self, text: (text, None))
    bare = Transliterator(options)  # a new one: none of the cached tables
    assert bare.to_latin(text) == bare.reference_to_latin(text) == "Batan ma'no i\u0306il"
