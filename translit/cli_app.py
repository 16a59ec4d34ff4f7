"""The Typer application: argument parsing only; the work is in commands.py."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli import run_safely
from .commands import Request
from .fileio import WalkOptions
from .options import Options

EXAMPLES = """\
Examples:

  cat doc.txt | translit                 convert standard input to standard output

  translit a.txt -o a.lat.txt            convert one file into another

  translit docs -o out                   convert a folder tree into another folder

  translit -i *.txt --backup .bak        convert files in place, keeping the originals

  translit --diff report.txt             preview what would change (a unified diff when piped)

  translit --check docs/                 exit 1 if anything would change (for CI)

Exit status: 0 done (nothing would change), 1 something would change (--check, --diff),
2 error, 130 interrupted, 141 the reader of the output went away.
"""


class Apostrophe(str, enum.Enum):
    official = "official"
    ascii = "ascii"
    typographic = "typographic"


class Alphabet(str, enum.Enum):
    latin1995 = "latin1995"
    latin2026 = "latin2026"


class Capitals(str, enum.Enum):
    upper = "upper"
    title = "title"


class Layout(str, enum.Enum):
    auto = "auto"
    side = "side"
    inline = "inline"


class Color(str, enum.Enum):
    auto = "auto"
    always = "always"
    never = "never"


class Errors(str, enum.Enum):
    strict = "strict"
    replace = "replace"
    surrogateescape = "surrogateescape"


def _version(value: bool) -> None:
    if value:
        from . import __version__
        from .engine import get_transliterator

        digest = get_transliterator().rules_digest
        print(f"translit {__version__} (distribution translit-uz; rules {digest})")
        raise SystemExit(0)


ENGINE = "Conversion"
FILES = "Files and folders"
CHECKS = "Check and preview"
INPUT = "Input"


def command(
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(help="Files or folders to convert; none or - for standard input.",
                       show_default=False),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("-o", "--output", help="Output file; a folder when there are several "
                     "inputs or a folder input.", rich_help_panel=FILES, show_default=False),
    ] = None,
    in_place: Annotated[
        bool, typer.Option("-i", "--in-place", help="Rewrite each file (atomically).",
                           rich_help_panel=FILES)
    ] = False,
    backup: Annotated[
        Optional[str],
        typer.Option(metavar="SUFFIX", help="With -i, keep each original as FILE+SUFFIX.",
                     rich_help_panel=FILES, show_default=False),
    ] = None,
    include: Annotated[
        Optional[list[str]],
        typer.Option(metavar="GLOB", help="In folders, convert only files matching GLOB "
                     "(repeatable).", rich_help_panel=FILES, show_default=False),
    ] = None,
    exclude: Annotated[
        Optional[list[str]],
        typer.Option(metavar="GLOB", help="In folders, skip files and folders matching GLOB "
                     "(repeatable).", rich_help_panel=FILES, show_default=False),
    ] = None,
    follow_symlinks: Annotated[
        bool, typer.Option(help="Follow symbolic links in folders.", rich_help_panel=FILES)
    ] = False,
    jobs: Annotated[
        int, typer.Option("-j", "--jobs", min=0, help="Worker processes for many files "
                          "(0: one per CPU).", rich_help_panel=FILES)
    ] = 0,
    check: Annotated[
        bool, typer.Option(help="Write nothing; list the files that would change; exit 1 "
                           "if any would.", rich_help_panel=CHECKS)
    ] = False,
    diff: Annotated[
        bool, typer.Option(help="Write nothing; show what would change; exit 1 if anything "
                           "would.", rich_help_panel=CHECKS)
    ] = False,
    layout: Annotated[
        Layout, typer.Option(help="Preview layout in a terminal.", rich_help_panel=CHECKS)
    ] = Layout.auto,
    explain: Annotated[
        bool, typer.Option(help="In the preview, show the rules behind each change.",
                           rich_help_panel=CHECKS)
    ] = False,
    context: Annotated[
        int, typer.Option("-U", "--context", min=0, help="Unchanged lines around changes.",
                          rich_help_panel=CHECKS)
    ] = 3,
    apostrophe: Annotated[
        Apostrophe, typer.Option(help="official: ʻ (U+02BB) and ʼ (U+02BC); ascii: '; "
                                 "typographic: ‘ ’.", rich_help_panel=ENGINE)
    ] = Apostrophe.official,
    alphabet: Annotated[
        Alphabet, typer.Option(help="latin2026 is experimental (ö ğ ş ç).",
                               rich_help_panel=ENGINE)
    ] = Alphabet.latin1995,
    capitals: Annotated[
        Capitals, typer.Option(help="upper: ШАҲАР → SHAHAR; title: АҚШ → AQSh.",
                               rich_help_panel=ENGINE)
    ] = Capitals.upper,
    exceptions: Annotated[
        Optional[list[Path]],
        typer.Option(metavar="FILE", help="Your own word exceptions (TSV), over the built-in "
                     "ones (repeatable).", rich_help_panel=ENGINE, show_default=False),
    ] = None,
    contested: Annotated[
        bool, typer.Option(help="Also apply contested exceptions (актёр → aktor ...).",
                           rich_help_panel=ENGINE)
    ] = False,
    lookalikes: Annotated[
        bool, typer.Option(help="Read Latin look-alike letters in Cyrillic words as Cyrillic.",
                           rich_help_panel=ENGINE)
    ] = True,
    typed_apostrophes: Annotated[
        bool, typer.Option(help="Read ' ’ ʼ between two Cyrillic letters as ъ (ма'но → maʼno).",
                           rich_help_panel=ENGINE)
    ] = False,
    legacy_font: Annotated[
        Optional[str],
        typer.Option(metavar="NAME", help="Read an old 8-bit font's letters as what they stand "
                     "for (anyflip-2022, azkurs-1993).", rich_help_panel=ENGINE,
                     show_default=False),
    ] = None,
    ordinal_dates: Annotated[
        bool, typer.Option(help="Orthography mode: 1995 йил 24 август → 1995-yil 24-avgust.",
                           rich_help_panel=ENGINE)
    ] = False,
    rules: Annotated[
        Optional[Path],
        typer.Option(metavar="FILE", help="A rule table to use instead of the built-in one.",
                     rich_help_panel=ENGINE, show_default=False),
    ] = None,
    encoding: Annotated[
        str, typer.Option(help="Input encoding (any Python codec, e.g. cp1251); output is "
                          "UTF-8.", rich_help_panel=INPUT)
    ] = "utf-8",
    errors: Annotated[
        Errors, typer.Option(help="Undecodable input: strict stops, replace writes U+FFFD, "
                             "surrogateescape passes the bytes through.", rich_help_panel=INPUT)
    ] = Errors.strict,
    color: Annotated[
        Color, typer.Option("--color", "--colour", help="Colour in the preview and messages "
                            "(NO_COLOR and FORCE_COLOR are honoured).")
    ] = Color.auto,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No notes or summaries.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Show the version and the rules' hash.")
    ] = False,
) -> None:
    """Convert Uzbek Cyrillic text to Uzbek Latin (the 1995 alphabet), byte-exact elsewhere."""
    request = Request(
        paths=tuple(paths or ()),
        output=output,
        in_place=in_place,
        backup=backup,
        check=check,
        diff=diff,
        layout=layout.value,
        explain=explain,
        context=context,
        walk=WalkOptions(tuple(include or ()), tuple(exclude or ()), follow_symlinks),
        options=Options(
            apostrophe=apostrophe.value,
            alphabet=alphabet.value,
            capitals=capitals.value,
            exceptions=tuple(exceptions or ()),
            contested_exceptions=contested,
            lookalikes=lookalikes,
            typed_apostrophes=typed_apostrophes,
            legacy_font=legacy_font,
            ordinal_dates=ordinal_dates,
            rules=rules,
        ),
        encoding=encoding,
        errors=errors.value,
        jobs=jobs,
        color=color.value,
        quiet=quiet,
    )
    raise SystemExit(run_safely(request))


def build_app() -> typer.Typer:
    app = typer.Typer(
        add_completion=True,
        pretty_exceptions_show_locals=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.command(epilog=EXAMPLES)(command)
    return app
