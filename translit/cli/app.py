"""The command line, parsed by Typer; the work is in commands.py.

Choices come from the `Literal` types in options.py (one source for each). Usage errors
are one line, like every other error, with exit status 2.
"""

# No `from __future__ import annotations` here: Typer reads every parameter's annotation,
# and as a string each is compiled and evaluated again on every call (about 80 of them).
import enum
import inspect
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, Literal, TypeAlias

import typer

try:  # Typer vendors Click from 0.28 on
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover
    from click import exceptions as click_errors  # type: ignore[import-not-found,no-redef,unused-ignore]

from .commands import Request, exit_on_error, run
from .simple import SPELLINGS
from ..files.operations import FileOptions, WalkOptions
from ..formats import FORMAT_CHOICES
from ..base.options import (
    ALPHABET_ALIASES,
    APOSTROPHES,
    CAPITALS,
    DECODE_ERRORS,
    LAYOUTS,
    QUOTES,
    TARGETS,
    Options,
    RecordOptions,
)
from ..engine.repairs import REPAIRS, Repair

# Exit (what --help and completion raise) and Abort: Typer's own from 0.28, Click's before.
_EXITS = tuple(e for e in (getattr(click_errors, "Exit", None), typer.Exit) if e is not None)
_ABORTS = tuple(e for e in (getattr(click_errors, "Abort", None), typer.Abort) if e is not None)
COLORS = ("auto", "always", "never")

HELP = """\
Convert Uzbek Cyrillic text to Uzbek Latin (the 1995 alphabet), byte-exact elsewhere.

\b
  cat doc.txt | translit             standard input to standard output
  translit a.txt -o a.lat.txt        one file into another
  translit docs -o out               a folder tree into another folder
  translit -i *.txt --backup .bak    in place, keeping the originals
  translit --diff report.txt         preview what would change
  translit --check docs/             exit 1 if anything would change (CI)

\b
Exit status: 0 done (nothing would change), 1 something would change
(--check, --diff), 2 error, 130 interrupted.
"""

CONVERSION = "Conversion"
FILES = "Files and folders"
PREVIEW = "Check and preview"
OUTPUT = "Messages"


def _choices(name: str, values: tuple[str, ...]) -> Any:
    """A `Literal` for Typer (its choices), made from the one tuple of allowed values
    (options.py): the value comes as the string itself. (An Enum made at each start cost
    about a millisecond for the nine of them, most of this module's import.)"""
    return Literal[values]


if TYPE_CHECKING:  # made at run time from the tuples; a type checker sees a value
    Apostrophe: TypeAlias = Any
    Alphabet: TypeAlias = Any
    TargetChoice: TypeAlias = Any
    Capitals: TypeAlias = Any
    DecodeErrors: TypeAlias = Any
    QuotesChoice: TypeAlias = Any
    Layout: TypeAlias = Any
    Color: TypeAlias = Any
    FormatChoice: TypeAlias = Any
else:
    Apostrophe = _choices("Apostrophe", APOSTROPHES)
    Alphabet = _choices("Alphabet", tuple(ALPHABET_ALIASES))
    TargetChoice = _choices("TargetChoice", TARGETS)
    Capitals = _choices("Capitals", CAPITALS)
    DecodeErrors = _choices("DecodeErrors", DECODE_ERRORS)
    QuotesChoice = _choices("QuotesChoice", QUOTES)
    Layout = _choices("Layout", LAYOUTS)
    Color = _choices("Color", COLORS)
    FormatChoice = _choices("FormatChoice", FORMAT_CHOICES)


def _version(value: bool) -> None:
    if value:
        from .. import __version__
        from ..converter.transliterator import get_transliterator

        digest = get_transliterator().rules_digest
        print(f"translit {__version__} (distribution translit-uz; rules {digest})")
        raise typer.Exit(0)


def command(
    ctx: typer.Context,
    paths: Annotated[list[str] | None, typer.Argument(
        help="Files or folders; none or - for standard input.", show_default=False)] = None,
    output: Annotated[str | None, typer.Option(
        *SPELLINGS["output"], metavar="PATH", rich_help_panel=FILES, show_default=False,
        help="Output file; a folder (PATH/) for several inputs or a folder.")] = None,
    in_place: Annotated[bool, typer.Option(
        *SPELLINGS["in_place"], rich_help_panel=FILES, help="Rewrite each file atomically.")] = False,
    backup: Annotated[str | None, typer.Option(
        "--backup", metavar="SUFFIX", rich_help_panel=FILES, show_default=False,
        help="-i: keep each original as FILE+SUFFIX.")] = None,
    include: Annotated[list[str] | None, typer.Option(
        "--include", metavar="GLOB", rich_help_panel=FILES, show_default=False,
        help="In folders, only files matching GLOB (repeatable).")] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", metavar="GLOB", rich_help_panel=FILES, show_default=False,
        help="In folders, skip what matches GLOB (repeatable).")] = None,
    format_name: Annotated[FormatChoice, typer.Option(
        "--format", metavar="FORMAT", rich_help_panel=FILES, show_default=False,
        help="auto (by name, then content), text, html, markdown, srt, vtt, po, json, "
             "jsonl, csv, tsv, parquet, docx, xlsx, pptx, odf.")] = "auto",
    rename: Annotated[bool, typer.Option(
        "--rename", rich_help_panel=FILES,
        help="Convert names too (with -o FOLDER).")] = False,
    only_converted: Annotated[bool, typer.Option(
        "--only-converted", rich_help_panel=FILES,
        help="Only converted files (with -o FOLDER).")] = False,
    follow_symlinks: Annotated[bool, typer.Option(
        "--follow-symlinks", rich_help_panel=FILES,
        help="Follow symbolic links in folders.")] = False,
    jobs: Annotated[int, typer.Option(
        *SPELLINGS["jobs"], min=0, metavar="N", rich_help_panel=FILES, show_default=False,
        help="Worker processes (0: one per CPU).")] = 0,
    encoding: Annotated[str, typer.Option(
        "--encoding", metavar="ENC", rich_help_panel=FILES, show_default=False,
        help="Input encoding (utf-8; cp1251 ...; auto finds it); output is UTF-8.")] = "utf-8",
    errors: Annotated[DecodeErrors, typer.Option(
        "--errors", metavar="MODE", rich_help_panel=FILES, show_default=False,
        help="Undecodable input: strict (stop), replace (U+FFFD), surrogateescape "
             "(keep the bytes).")] = "strict",
    check: Annotated[bool, typer.Option(
        *SPELLINGS["check"], rich_help_panel=PREVIEW,
        help="List files that would change; exit 1 if any.")] = False,
    diff: Annotated[bool, typer.Option(
        "--diff", rich_help_panel=PREVIEW,
        help="Show what would change; exit 1 if anything.")] = False,
    layout: Annotated[Layout | None, typer.Option(
        "--layout", metavar="LAYOUT", rich_help_panel=PREVIEW, show_default=False,
        help="auto, side, inline, unified (as git diff) or word-diff.")] = None,
    explain: Annotated[bool, typer.Option(
        "--explain", rich_help_panel=PREVIEW,
        help="Show the rule behind each change.")] = False,
    json_output: Annotated[bool, typer.Option(
        "--json", rich_help_panel=PREVIEW,
        help="With --diff: one JSON object per decision.")] = False,
    pager: Annotated[str | None, typer.Option(
        "--pager", metavar="CMD", rich_help_panel=PREVIEW, show_default=False,
        help="Pager for the preview (PAGER, less).")] = None,
    no_pager: Annotated[bool, typer.Option(
        "--no-pager", rich_help_panel=PREVIEW, help="Never page the preview.")] = False,
    context: Annotated[int | None, typer.Option(
        "-U", "--context", min=0, metavar="N", rich_help_panel=PREVIEW, show_default=False,
        help="Unchanged lines around changes (3).")] = None,
    apostrophe: Annotated[Apostrophe, typer.Option(
        "--apostrophe", metavar="STYLE", rich_help_panel=CONVERSION, show_default=False,
        help="official (ʻ ʼ), ascii (') or typographic (‘ ’).")] = "official",
    target: Annotated[TargetChoice | None, typer.Option(
        *SPELLINGS["target"], metavar="ALPHABET", rich_help_panel=CONVERSION, show_default=False,
        help="latin (1995, the default), latin2026 (experimental: ö ğ ş ç) or cyrillic.")] = None,
    alphabet: Annotated[Alphabet | None, typer.Option(
        "--alphabet", metavar="NAME", hidden=True,
        help="latin1995 or latin2026: the same as --to latin or --to latin2026.")] = None,
    capitals: Annotated[Capitals, typer.Option(
        "--capitals", metavar="STYLE", rich_help_panel=CONVERSION, show_default=False,
        help="upper (АҚШ → AQSH) or title (AQSh).")] = "upper",
    exceptions: Annotated[list[str] | None, typer.Option(
        "--exceptions", metavar="FILE", rich_help_panel=CONVERSION, show_default=False,
        help="Your word exceptions (TSV; repeatable).")] = None,
    contested: Annotated[bool, typer.Option(
        "--contested", rich_help_panel=CONVERSION,
        help="Also contested exceptions (актёр → aktor).")] = False,
    # (here, in the help: a flag for each repair of REPAIRS; see _with_repair_flags)
    quotes: Annotated[QuotesChoice, typer.Option(
        "--quotes", metavar="STYLE", rich_help_panel=CONVERSION, show_default=False,
        help="Quotes: guillemets «» „“, curly “”.")] = "unchanged",
    rules: Annotated[str | None, typer.Option(
        "--rules", metavar="FILE", rich_help_panel=CONVERSION, show_default=False,
        help="A rule table of your own.")] = None,
    keep: Annotated[list[str] | None, typer.Option(
        "--keep", metavar="FILE", rich_help_panel=CONVERSION, show_default=False,
        help="Words, phrases, re: patterns never converted (repeatable).")] = None,
    convert_addresses: Annotated[bool, typer.Option(
        "--convert-addresses", rich_help_panel=CONVERSION,
        help="Convert addresses and @handles too.")] = False,
    convert_all_languages: Annotated[bool, typer.Option(
        "--convert-all-languages", rich_help_panel=CONVERSION,
        help="Convert text in lang=\"ru\" etc. too.")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", rich_help_panel=CONVERSION,
        help="Cyrillic letters left unconverted are an error.")] = False,
    field: Annotated[list[str] | None, typer.Option(
        "--field", metavar="PATH", rich_help_panel=FILES, show_default=False,
        help="JSON Lines: only this field (a.b).")] = None,
    column: Annotated[list[str] | None, typer.Option(
        "--column", metavar="NAME", rich_help_panel=FILES, show_default=False,
        help="CSV, Parquet: only this column.")] = None,
    skip_bad_records: Annotated[bool, typer.Option(
        "--skip-bad-records", rich_help_panel=FILES,
        help="Copy unreadable records as they are.")] = False,
    stats: Annotated[bool, typer.Option(
        "--stats", rich_help_panel=FILES,
        help="Records per script, before and after.")] = False,
    color: Annotated[Color, typer.Option(
        "--color", "--colour", metavar="WHEN", rich_help_panel=OUTPUT, show_default=False,
        help="auto, always or never (NO_COLOR, FORCE_COLOR honoured).")] = "auto",
    quiet: Annotated[bool, typer.Option(
        *SPELLINGS["quiet"], rich_help_panel=OUTPUT, help="No notes or summaries.")] = False,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, rich_help_panel=OUTPUT,
        help="Show the version and the rules' hash.")] = False,
    **repairs: Any,
) -> Request:
    given = tuple(name for name, param in (("--layout", layout), ("--context", context),
                                           ("--pager", pager))
                  if param is not None) + tuple(name for name, flag in (
                      ("--explain", explain), ("--json", json_output), ("--no-pager", no_pager))
                      if flag)
    options = Options(
        apostrophe=_value(apostrophe),
        target=_target(target, alphabet),
        capitals=_value(capitals),
        exceptions=_files("--exceptions", exceptions),
        contested_exceptions=contested,
        rules=None if rules is None else _files("--rules", [rules])[0],
        keep_addresses=not convert_addresses,
        keep=_files("--keep", keep),
        convert_all_languages=convert_all_languages,
        quotes=_value(quotes),
        **_repair_options(repairs),
    )
    return Request(
        paths=tuple(paths or ()),
        output=output,
        in_place=in_place,
        backup=backup,
        check=check,
        diff=diff,
        layout=_value(layout) if layout is not None else "auto",
        explain=explain,
        # More lines than any file has is the whole file (past sys.maxsize no deque takes it).
        context=3 if context is None else min(context, sys.maxsize),
        preview_options=given,
        json=json_output,
        pager="" if no_pager else pager,
        walk=WalkOptions(tuple(include or ()), tuple(exclude or ()), follow_symlinks),
        settings=_file_options(options, encoding, _value(errors), strict, _value(format_name))._replace(
            records=RecordOptions(fields=tuple(field or ()), columns=tuple(column or ()),
                                  skip_bad_records=skip_bad_records, stats=stats)),
        jobs=jobs,
        color=_value(color),
        quiet=quiet,
        rename=rename,
        only_converted=only_converted,
    )


def _repair_flag(repair: Repair) -> inspect.Parameter:
    """The command line's flag of a repair (repairs.REPAIRS): ``--option-name``, with a value
    when the repair names one (``--legacy-font NAME``), else ``--option-name`` to turn on an
    option off by default and ``--no-option-name`` to turn off one on by default."""
    if repair.metavar:
        annotation: Any = Annotated[str | None, typer.Option(
            repair.flag, metavar=repair.metavar, rich_help_panel=CONVERSION,
            show_default=False, help=repair.help)]
        default = None
    else:
        annotation = Annotated[bool, typer.Option(
            repair.flag, rich_help_panel=CONVERSION, help=repair.help)]
        default = False
    return inspect.Parameter(repair.option, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                             default=default, annotation=annotation)


def _repair_options(given: dict[str, Any]) -> dict[str, Any]:
    """The `Options` fields of the repairs' flags: a flag's value, or for a flag without one,
    the opposite of the option's default when it is given."""
    values = {}
    for repair in REPAIRS:
        value = given[repair.option]
        values[repair.option] = value if repair.metavar else (
            not repair.default if value else repair.default)
    return values


def _with_repair_flags(function: Any) -> Any:
    """`function` as Typer sees it: its parameters, the repairs' flags among them where the
    comment in its parameters says (after --contested), in the registry's order."""
    parameters = [p for p in inspect.signature(function).parameters.values()
                  if p.kind is not inspect.Parameter.VAR_KEYWORD]
    at = [p.name for p in parameters].index("contested") + 1
    parameters[at:at] = [_repair_flag(repair) for repair in REPAIRS]
    function.__signature__ = inspect.Signature(parameters, return_annotation=Request)
    return function


_with_repair_flags(command)


def _target(target: Any, alphabet: Any) -> Any:
    """--to, or --alphabet (its older name for the Latin targets); not two different ones."""
    chosen, alias = _value(target), _value(alphabet)
    if alias is not None:
        alias = ALPHABET_ALIASES[alias]
        if chosen is not None and chosen != alias:
            raise click_errors.UsageError(f"--alphabet {_value(alphabet)} and --to {chosen} "
                                          "disagree (--alphabet is --to's older name)")
        chosen = alias
    return chosen or "latin"


def _value(choice: Any) -> Any:
    return choice.value if isinstance(choice, enum.Enum) else choice


def _file_options(options: Options, encoding: str, errors: str, strict: bool,
                  format_name: str) -> FileOptions:
    from ..files.operations import check_encoding

    try:
        check_encoding(encoding)
    except ValueError as error:
        raise click_errors.UsageError(str(error)) from None
    return FileOptions(options=options, encoding=encoding, errors=errors,  # type: ignore[arg-type]
                       strict=strict, format=format_name)


def build_app() -> typer.Typer:
    app = typer.Typer(
        add_completion=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    app.command(help=HELP, no_args_is_help=False)(command)
    return app


def _files(option: str, names: list[str] | None) -> tuple[Path, ...]:
    """The files an option names (taken as text: pathlib reads an empty name, an unset
    "$f", as the current folder, which then "is a directory")."""
    if names and "" in names:
        raise typer.BadParameter("'' names no file", param_hint=f"'{option}'")
    return tuple(Path(name) for name in names or ())


def parse_and_run(argv: list[str], stdout: BinaryIO | None = None,
                  stderr: BinaryIO | None = None) -> int:
    """Parse `argv`; run the request; usage errors are one line with exit status 2."""
    cli: Any = typer.main.get_command(build_app())
    try:
        request = cli.main(args=argv, prog_name="translit", standalone_mode=False)
    except click_errors.UsageError as error:
        hint = " (translit --help lists the options)"
        return exit_on_error(error.format_message().replace("\n", " ") + hint, stderr)
    except _EXITS as done:
        return int(getattr(done, "exit_code", 0) or 0)
    except click_errors.ClickException as error:
        return exit_on_error(error.format_message(), stderr)
    except _ABORTS:
        raise KeyboardInterrupt from None
    except OSError as error:  # --help or --version written to a full disk, a closed output
        if isinstance(error, BrokenPipeError):
            raise
        sys.stdout = open(os.devnull, "w")  # what is left unwritten is not retried at exit
        return exit_on_error(f"standard output: cannot write: {error.strerror or error}", stderr)
    if not isinstance(request, Request):  # --help, --version, completion
        return int(request or 0)
    return run(request, stdout, stderr)
