"""What the `translit` command does, once its arguments are parsed (see cli/app.py).

It checks the request as a whole, finds the inputs, maps one operation of the files layer
(files/operations.py) over them, and reports each result as it comes (report.py). Modes: to standard
output, to -o (a file or a folder), in place (-i), --check, --diff.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Iterator

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
from ..base.terminal import is_terminal
if TYPE_CHECKING:
    from typing import Any, BinaryIO, NamedTuple
    from pathlib import Path
else:  # the same classes, made faster (see records.py)
    from ..base.records import NamedTuple

from ..files import operations as files
from ..files.fileio import StandardOutput, is_marked_backup
from ..files.operations import (STANDARD_OUTPUT, FileOptions, FileResult, Input, Problem, Skipped,
                               WalkOptions)
from .report import EXIT_ERROR, Report
from ..stream import ByteSink

# -o names for standard output, as Unix tools take them (written to the stream itself, not
# to a file of that name, nor refused as a link to /proc/self/fd/1).
STANDARD_OUTPUT_NAMES = ("-", "/dev/stdout")
PREVIEW_OPTIONS = ("--layout", "--explain", "--context", "--json", "--pager", "--no-pager")


class UsageProblem(Exception):
    """The command line asks for something that cannot be done (one line, exit status 2)."""


class Request(NamedTuple):
    """Everything the command was asked to do."""

    paths: tuple[str, ...] = ()
    output: str | None = None  # as typed: a trailing slash means a folder
    in_place: bool = False
    backup: str | None = None
    check: bool = False
    diff: bool = False
    layout: str = "auto"
    explain: bool = False
    context: int = 3
    preview_options: tuple[str, ...] = ()  # the preview options given (for the usage check)
    json: bool = False  # --diff --json: one JSON object per decision
    pager: str | None = None  # None: the default pager; "": none
    walk: WalkOptions = WalkOptions()
    settings: FileOptions = FileOptions()
    jobs: int = 0  # 0: one per CPU
    color: str = "auto"
    quiet: bool = False
    rename: bool = False  # -o FOLDER: convert Cyrillic file and folder names too
    only_converted: bool = False  # -o FOLDER: leave out the files translit does not convert

    @property
    def names(self) -> tuple[str, ...]:
        return self.paths or ("-",)


def run(request: Request, stdout: BinaryIO | None = None, stderr: BinaryIO | None = None) -> int:
    """Carry out `request`; return the exit status (0, 1 or 2)."""
    if stdout is None:
        sys.stdout.flush()  # what Python wrote before comes first
    out = files.LabelledFile(stdout or StandardOutput(sys.stdout.fileno()), STANDARD_OUTPUT,
                             "write")
    report = Report(stderr or sys.stderr.buffer, quiet=request.quiet,
                    checking=request.check or request.diff, color=request.color)
    try:
        check_request(request)
        if request.output in STANDARD_OUTPUT_NAMES:
            request = request._replace(output=None)
        from ..converter.transliterator import get_transliterator

        get_transliterator(request.settings.options)  # a bad rule file: one line, up front
        _run(request, out, report)
        out.flush()
    except UsageProblem as problem:
        report.failed(str(problem))
    except files.FileProblem as failed:  # standard output cannot be written
        report.failed(failed.problem)
    except ValueError as problem:  # RuleFileError, a bad option value
        report.failed(str(problem))
    return report.exit_status


def check_request(request: Request) -> None:
    """Refuse, up front, every combination of options that cannot be carried out."""
    try:
        files.check_encoding(request.settings.encoding)
    except ValueError as error:
        raise UsageProblem(str(error)) from None
    names = request.names
    writing = request.in_place or request.output is not None
    if request.output == "":  # (an unset "$out"): pathlib would take it for "."
        raise UsageProblem("-o '' names no file or folder")
    if request.in_place and request.output is not None:
        raise UsageProblem("-i and -o cannot be used together")
    if request.in_place and "-" in names:
        raise UsageProblem("-i needs files: standard input cannot be converted in place")
    if request.backup is not None and not request.in_place:
        raise UsageProblem("--backup only goes with -i")
    if request.backup is not None and (not request.backup or "/" in request.backup):
        raise UsageProblem("--backup needs a suffix such as .bak")
    if request.backup:
        _refuse_backups_onto_inputs(names, request.backup)
    if request.check and request.diff:
        raise UsageProblem("--check and --diff cannot be used together")
    if (request.check or request.diff) and writing:
        raise UsageProblem("--check and --diff write nothing; leave out -i and -o")
    if request.output is not None and "-" in names and len(names) > 1:
        raise UsageProblem("-o with standard input takes no other inputs")
    if request.diff and not files.ascii_compatible(request.settings.encoding):
        raise UsageProblem(f"--diff needs an encoding in which a line break is one byte "
                           f"(not {request.settings.encoding}); convert with -o and compare")
    given = [name for name in PREVIEW_OPTIONS if name in request.preview_options]
    if given and not request.diff:
        raise UsageProblem(f"{given[0]} only goes with --diff")
    if not (writing or request.check or request.diff):
        folders = [n for n in names if n != "-" and os.path.isdir(n)]
        if folders:
            raise UsageProblem(f"{folders[0]} is a folder: use -o OUT to convert it into "
                               "another folder, -i to convert it in place, or --check/--diff")
    if request.output is not None and "-" in names and _output_is_folder(request):
        raise UsageProblem(f"-o {request.output} is a folder: standard input needs a file "
                           f"name (-o {request.output.rstrip('/')}/NAME)")
    tree_only = [name for name, given in (("--rename", request.rename),
                                          ("--only-converted", request.only_converted)) if given]
    if tree_only and (request.output is None or not _output_is_folder(request)):
        raise UsageProblem(f"{tree_only[0]} only goes with -o FOLDER (it is about the files "
                           "of an output tree)")
    if request.rename and _writes_script(request) != "Latn":
        # Names are spelled to Latin (portable URLs and paths); a Cyrillic run used to
        # Latinise its Cyrillic names, which nobody asking for Cyrillic wants.
        raise UsageProblem("--rename spells Cyrillic file and folder names in Latin; it does "
                           "not go with --to cyrillic (names stay as they are without it)")


def _writes_script(request: Request) -> str:
    """The script the run writes (Latn, Cyrl), as its direction says."""
    from ..converter.transliterator import get_transliterator

    return str(get_transliterator(request.settings.options).direction.script)


def _refuse_backups_onto_inputs(names: tuple[str, ...], suffix: str) -> None:
    """-i --backup SUFFIX keeps each original as its real path + SUFFIX: never over another
    file named as an input (translit -i a a.txt --backup .txt lost a.txt); a backup translit
    made is no input (it is skipped), and is replaced by a newer original as always."""
    inputs = {}
    for name in names:
        if name != "-" and not is_marked_backup(name):
            inputs.update({os.path.abspath(name): name, os.path.realpath(name): name})
    for name in names:
        backup = inputs.get(os.path.realpath(name) + suffix)
        if name != "-" and backup is not None:
            raise UsageProblem(f"--backup {suffix} would keep the original of {name} as "
                               f"{backup}, which is an input too; choose another suffix")


def _output_is_folder(request: Request) -> bool:
    assert request.output is not None
    output = request.output
    if output.endswith(("/", os.sep)) or os.path.isdir(output):
        return True
    return len(request.names) > 1 or any(n != "-" and os.path.isdir(n) for n in request.names)


def _run(request: Request, stdout: files.LabelledFile, report: Report) -> None:
    folder = None
    if request.output is not None:
        from pathlib import Path  # here: the plain filter (no -o) needs no pathlib

        if _output_is_folder(request):
            folder = Path(request.output)
            # (os.path's tests: Path's raise for a folder one may not enter; making it names it)
            if os.path.exists(folder) and not os.path.isdir(folder):
                raise UsageProblem(f"-o {request.output} is a file; several inputs or a "
                                   "folder need a folder for -o")
    walk = request.walk._replace(backup_suffix=request.backup,
                                 encoding=request.settings.encoding, skip_folder=folder)
    others: list[Skipped] = []  # not converted: copied into an output tree
    items = list(_inputs(request, walk, report, others if folder is not None else None))
    settings = request.settings._replace(jobs=request.jobs or os.cpu_count() or 1)
    _say_unused_record_options(settings, items, report)
    if request.diff:
        _diff_all(request, items, settings, stdout, report)
        return
    if request.check:
        _each(items, _check_op, settings, report, listing=stdout, writes=False)
        report.summary("would change")
    elif request.in_place:
        anchors = _page_anchors(settings, {_absolute(i.path): i for i in items})
        _each(items, functools.partial(_in_place_op, request.backup, anchors), settings,
              report)
        if len(items) > 1:
            report.summary("converted")
    elif folder is not None:
        made = not os.path.lexists(folder)
        if not _make_folder(folder, report):
            return
        _to_tree(request, folder, items, others, settings, report)
        if made and report.errors:  # every input failed: no empty folder is left behind
            with contextlib.suppress(OSError):
                os.rmdir(folder)  # (only if nothing was written into it)
    elif request.output is not None:
        with report.progress(sum(map(files.input_size, items)), len(items)) as progress:
            for item in items:
                report.done(files.convert_file(item.path, Path(request.output), settings,
                                               progress=progress, detected=item.format))
    else:
        with report.progress(sum(map(files.input_size, items)), len(items)) as progress:
            for item in items:
                report.done(files.convert_to_stream(item.path, stdout, settings,
                                                    progress=progress, detected=item.format))


def _say_unused_record_options(settings: FileOptions, items: list[Input], report: Report) -> None:
    """Options of records given where no input has records: nothing named goes unused
    unsaid (in a folder of mixed files they apply to the files of records)."""
    records = settings.records
    given = [name for name, value in (("--field", records.fields), ("--column", records.columns),
                                      ("--skip-bad-records", records.skip_bad_records),
                                      ("--stats", records.stats)) if value]
    if given and not any(files.is_record_file(i.path, settings, i.format) for i in items):
        report.note(None, f"{', '.join(given)}: only for JSON Lines, CSV, TSV and Parquet; no "
                    "input is one")


def _inputs(request: Request, walk: WalkOptions, report: Report,
            others: list[Skipped] | None = None) -> Iterator[Input]:
    """The inputs to convert; what is skipped is reported, except the files translit does
    not convert, which go to `others` when they are copied into an output tree."""
    for found in files.find_inputs(request.names, walk):
        if isinstance(found, Skipped) and found.relative is not None and others is not None:
            others.append(found)
        elif isinstance(found, Skipped):
            report.skipped(found)
        elif isinstance(found, Problem):
            report.failed(found)
        else:
            yield found


def _make_folder(folder: Path, report: Report) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        report.failed(Problem(str(folder), error.strerror or str(error), "create folder"))
        return False
    return True


def _each(items: list[Input], operation: files.Operation, settings: FileOptions,
          report: Report, listing: ByteSink | None = None, writes: bool = True) -> None:
    with report.progress(sum(map(files.input_size, items)), len(items)) as progress, \
            contextlib.closing(files.run_each(operation, items, settings, progress,
                                              writes=writes)) as results:
        for result in results:  # closed however the loop ends: its workers end with it
            report.done(result, listing)


# The operations, one input each (module-level, so that worker processes can run them),
# given the settings by files.run_each (in a worker, with jobs=1); the files layer turns
# every problem, and any bug, into the result.


def _check_op(item: Input, settings: FileOptions, progress: files.Progress) -> FileResult:
    return files.check_file(item.path, settings, progress=progress, detected=item.format)


def _in_place_op(backup: str | None, anchors: dict[str, dict[str, str]], item: Input,
                 settings: FileOptions, progress: files.Progress) -> FileResult:
    if anchors:  # links to headings of the Markdown pages converted with it follow them
        from ..files.links import TreeLinks

        settings = settings._replace(relink=TreeLinks(None, _absolute(item.path), anchors))
    return files.convert_in_place(item.path, settings, backup=backup, progress=progress,
                                  detected=item.format)


def _to_target_op(targets: dict[Path | str, Path], names: dict[str, str] | None,
                  anchors: dict[str, dict[str, str]], item: Input, settings: FileOptions,
                  progress: files.Progress) -> FileResult:
    if names is not None or anchors:  # --rename: links to renamed files follow them; links
        from ..files.links import TreeLinks  # to headings of the tree's Markdown pages too

        settings = settings._replace(relink=TreeLinks(names, _posix(item.relative), anchors))
    return files.convert_file(item.path, targets[item.path], settings, progress=progress,
                              detected=item.format)


def _posix(relative: Path | str) -> str:
    return relative.as_posix() if hasattr(relative, "as_posix") else str(relative)


def _absolute(path: Path | str) -> str:
    return os.path.abspath(path).replace(os.sep, "/")


def _page_anchors(settings: FileOptions, pages: dict[str, Input]) -> dict[str, dict[str, str]]:
    """The anchors of the headings of the Markdown pages among `pages` (by their path in
    the tree), when there are several pages (one links to another): read before any is
    written, so that converting one in place cannot hide another's old anchors."""
    if len(pages) < 2:
        return {}
    import re
    import urllib.parse

    from ..converter.transliterator import get_transliterator
    from ..files.links import heading_anchors

    # A link to a heading of a Markdown page: its file's name (up to the ``#``).
    link_to_heading = re.compile(r"([^\s\"'()<>/\\]+\.(?:md|markdown|mdown|mkd))#", re.IGNORECASE)

    def read(path: str) -> str | None:
        try:
            with open(path, encoding=settings.encoding, errors="replace") as handle:
                return handle.read()
        except (OSError, LookupError):
            return None  # its conversion reports it

    kinds = {key: item.format.name for key, item in pages.items() if item.format is not None}
    if "markdown" not in kinds.values():
        return {}  # no page has headings' anchors made for it
    # Only the pages some page links to with a fragment are parsed for their headings.
    linked: set[str] = set()
    for key, kind in kinds.items():
        if kind in ("markdown", "html"):
            text = read(str(pages[key].path)) or ""
            linked.update(os.path.basename(urllib.parse.unquote(found))
                          for found in link_to_heading.findall(text))
    markdown = {key: str(pages[key].path) for key, kind in kinds.items()
                if kind == "markdown" and os.path.basename(key) in linked}
    if not markdown:
        return {}
    return heading_anchors(markdown, get_transliterator(settings.options), read)


def _to_tree(request: Request, folder: Path, items: list[Input], others: list[Skipped],
             settings: FileOptions, report: Report) -> None:
    """-o FOLDER: the inputs converted into the tree, the other files copied beside them
    (or left out with --only-converted), names converted too with --rename."""
    if request.only_converted:
        report.left_out += len(others)
        others = []
    targets: dict[Path | str, Path] = {}  # input -> where it goes
    sources: dict[Path, Path | str] = {}  # target -> the input that goes there
    rename = _renamer(settings) if request.rename else None
    renamed: dict[str, str] = {}  # --rename: path below the folder -> its new path
    for path, relative in [(i.path, i.relative) for i in items] + [
            (o.path, o.relative) for o in others if o.relative is not None]:
        new = rename(relative) if rename else relative
        target = folder / new
        if target in sources:
            report.failed(Problem(str(target), f"{sources[target]} and {path} would both be "
                                               f"written here; {path} is left out", "write"))
            continue
        targets[path], sources[target] = target, path
        renamed[_posix(relative)] = _posix(new)
    items = [item for item in items if item.path in targets]
    names = None
    if rename is not None:
        from ..files.links import TreeLinks, tree_names

        names = tree_names(renamed)
    anchors = _page_anchors(settings, {_posix(item.relative): item for item in items})
    _each(items, functools.partial(_to_target_op, targets, names, anchors), settings, report)
    for other in others:
        if other.path in targets:
            relink = None
            if names is not None and other.path.suffix.lower() == ".css":
                relink = TreeLinks(names, _posix(other.relative or other.path.name))
            report.done(files.copy_file(other.path, targets[other.path], relink=relink))
    if len(items) + len(others) > 1 or report.left_out:
        report.summary("converted")


def _renamer(settings: FileOptions) -> Any:
    """--rename: each part of a path below the output folder, converted as text."""
    from pathlib import Path

    from ..converter.transliterator import get_transliterator

    convert = get_transliterator(settings.options).to_latin
    return lambda relative: Path(*(convert(part) for part in relative.parts))


# --- diff -------------------------------------------------------------------------------


def _diff_all(request: Request, items: list[Input], settings: FileOptions, stdout: files.LabelledFile,
              report: Report) -> None:
    # A corpus's records are listed record by record (row 12, field text): in a pipe by
    # diff_file as the other files' unified diffs, in a terminal in the preview's place
    # (through its pager, counted in its summary); they have no decisions for --json.
    if request.json:
        records = [item for item in items
                   if files.is_record_file(item.path, settings, item.format)]
        for item in records:
            report.done(_diff_one(item, request, settings, stdout))
        items = [item for item in items if item not in records]
    elif not _wants_preview(request, stdout):
        for item in items:
            report.done(_diff_one(item, request, settings, stdout))
        return
    if items:
        _preview_all(request, items, settings, report, stdout)


def _diff_one(item: Input, request: Request, settings: FileOptions,
              sink: ByteSink) -> FileResult:
    """One input's unified diff (a corpus's: its listing, row by row) written to `sink`."""
    return files.diff_file(item.path, sink, settings, context=request.context,
                           detected=item.format)


def _wants_preview(request: Request, stdout: files.LabelledFile) -> bool:
    """The preview in a terminal, when colour is forced, or when the person named what only
    the preview shows (--explain, --layout side|inline|word-diff: then in a pipe too, as
    plain text, so that it can be saved or mailed); else a unified diff that patch applies."""
    if request.color == "always" or (request.color == "auto" and os.environ.get("FORCE_COLOR")):
        return True
    if request.explain or request.layout not in ("auto", "unified"):
        return True
    return is_terminal(stdout)


def _preview_all(request: Request, items: list[Input], settings: FileOptions,
                 report: Report, stdout: files.LabelledFile) -> None:
    """The preview in a terminal, or --json: drawn from the conversion as it streams."""
    from ..converter.transliterator import get_transliterator
    from ..preview import PagedOutput, Preview, make_console

    transliterator = get_transliterator(settings.options)
    console = make_console(request.color)
    # Both write to standard output through `stdout`, whose failures name it (Python's
    # sys.stdout said "No space left on device" as the input file's problem).
    output: Any = _TextOut(stdout) if request.json else PagedOutput(
        console, pager_command(request.pager), warn=lambda message: report.note(None, message),
        file=_TextOut(stdout))
    preview = Preview(console, transliterator, output, layout=request.layout,
                      explain=request.explain, encoding=settings.encoding,
                      context=request.context, start_workers=_preview_workers(settings.jobs),
                      jobs=settings.jobs)
    # (what the report says comes after the pager: beside it, it would be painted over)
    with report.held(lambda: getattr(output, "process", None) is not None):
        _preview_items(request, items, settings, report, preview, output)


def _preview_items(request: Request, items: list[Input], settings: FileOptions, report: Report,
                   preview: Any, output: Any) -> None:
    from ..preview import DISPLAY_BYTES, JsonDecisions

    try:
        for item in items:
            if not request.json and files.is_record_file(item.path, settings, item.format):
                report.done(preview.listing(functools.partial(
                    _diff_one, item, request, settings)))
                continue
            show: Any = JsonDecisions(preview.marker, output) if request.json else \
                functools.partial(preview.show, regular=_is_regular(item))
            report.done(files.preview_file(
                item.path, show, settings, detected=item.format,
                max_line_bytes=None if request.json else DISPLAY_BYTES))
        preview.close()
        if not request.json and preview.summary.files_seen:  # not after an error alone
            preview.print_summary()
    except BrokenPipeError:
        if getattr(output, "process", None) is None:
            raise  # standard output was closed (| head -1): 141, as in every mode
        # The pager was closed (q): the preview ends there, as the person chose.
        if preview.summary.files_changed:
            report.would_change = True  # what was shown would change
    except BaseException as stopped:
        if not isinstance(stopped, Exception) and not request.json:  # Ctrl-C, SIGTERM ...
            output.cut_short("(translit was interrupted: the preview is cut short here)")
        raise
    finally:
        preview.stop()  # before the output: the workers hold the pager's pipe open too
        output.close()


def _preview_workers(jobs: int) -> Any:
    """What forks the preview's workers (`preview.Pool`), given the function they run."""
    def start(function: Any) -> Any:
        from ..files.parallel import Workers

        return Workers(function, jobs)

    return start


def _is_regular(item: Input) -> bool:
    """Whether `item` is a regular file (standard input too, when redirected from one):
    its lines never wait for a writer."""
    import stat

    try:
        mode = os.fstat(0).st_mode if item.is_stdin else os.stat(item.path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(mode)


def pager_command(pager: str | None) -> str | None:
    """--pager CMD (--no-pager: ""), else TRANSLIT_PAGER, PAGER, or less; None for none.
    As git reads them, a variable set to nothing (or blanks) means no pager, and so does
    --pager ' '; and less is not run on a dumb terminal unless asked for (it asks to press
    RETURN there before it shows a line).

    >>> pager_command("more"), pager_command(""), pager_command(" ")
    ('more', None, None)
    """
    chosen = pager
    for variable in ("TRANSLIT_PAGER", "PAGER"):
        if chosen is None:
            chosen = os.environ.get(variable)
    if chosen is None:
        return None if os.environ.get("TERM") == "dumb" else "less"
    return chosen if chosen.strip() else None


class _TextOut:
    """Text written as UTF-8 to the byte stream of standard output (`buffer`, which takes
    text already encoded, as a TextIOWrapper's does)."""

    encoding = "utf-8"

    def __init__(self, sink: files.LabelledFile) -> None:
        self.sink = self.buffer = sink

    def write(self, text: str) -> int:
        return self.sink.write(text.encode("utf-8", "surrogateescape"))

    def flush(self) -> None:
        self.sink.flush()

    def close(self) -> None:
        self.sink.flush()

    def fileno(self) -> int:
        return self.sink.fileno()

    def isatty(self) -> bool:
        return os.isatty(self.fileno())


def exit_on_error(message: str, stderr: BinaryIO | None = None) -> int:
    """For errors found before a Report exists (argument parsing)."""
    Report(stderr or sys.stderr.buffer).failed(message)
    return EXIT_ERROR
