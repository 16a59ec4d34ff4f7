"""What the `translit` command does, without the argument parsing (see cli.py).

Modes: convert to stdout, to -o, in place (-i), --check, --diff. Errors are reported as
``translit: PATH: what went wrong`` and the other files are still processed.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from .engine import get_transliterator
from .fileio import (
    Input,
    Skipped,
    UsageProblem,
    WalkOptions,
    atomic_replace,
    check_not_same_file,
    find_inputs,
    is_binary,
    make_backup,
    output_path,
)
from .options import Options
from .rules import RuleFileError
from .stream import InputDecodeError, StreamConverter, convert_stream, is_interactive

EXIT_OK, EXIT_CHANGES, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 0, 1, 2, 130, 141
PROGRESS_MIN_BYTES = 32 << 20  # show a progress bar for work larger than this ...
PROGRESS_MIN_FILES = 64  # ... or for this many files
PARALLEL_MIN_BYTES = 4 << 20  # below this much work, worker processes cost more than they save


@dataclasses.dataclass(frozen=True)
class Request:
    paths: tuple[str, ...] = ()
    output: Path | None = None
    in_place: bool = False
    backup: str | None = None
    check: bool = False
    diff: bool = False
    layout: str = "auto"
    explain: bool = False
    context: int = 3
    walk: WalkOptions = WalkOptions()
    options: Options = Options()
    encoding: str = "utf-8"
    errors: str = "strict"
    jobs: int = 0  # 0: one per CPU
    color: str = "auto"
    quiet: bool = False


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What happened to one input."""

    name: str
    changed: bool = False
    error: str | None = None


class Unchanged(Exception):
    """Raised inside an in-place replacement to leave the file untouched."""


def run(request: Request, stdout: BinaryIO | None = None, stderr: BinaryIO | None = None) -> int:
    """Carry out `request`; return the exit status."""
    report = Reporter(stderr or sys.stderr.buffer, request.quiet)
    try:
        return _run(request, stdout or sys.stdout.buffer, report)
    except (UsageProblem, RuleFileError, LookupError) as problem:
        report.error(None, str(problem))
        return EXIT_ERROR


def _run(request: Request, stdout: BinaryIO, report: Reporter) -> int:
    _check_request(request)
    get_transliterator(request.options)  # fail early on a bad rule or exception file
    items = _inputs(request, report)
    if request.diff:
        outcomes = _diff_all(request, items, stdout, report)
    elif request.check:
        outcomes = _map(request, items, _check_one, report, listing=stdout)
    elif request.in_place:
        outcomes = _map(request, items, _in_place_one, report)
    elif request.output is not None:
        outcomes = _to_output(request, items, report)
    else:
        outcomes = [report.done(_to_stream(request, item, stdout, report)) for item in items]
    report.summary(request, outcomes)
    return _exit_status(request, outcomes, report)


def _exit_status(request: Request, outcomes: Sequence[Outcome], report: Reporter) -> int:
    if report.errors:
        return EXIT_ERROR
    if (request.check or request.diff) and any(o.changed for o in outcomes):
        return EXIT_CHANGES
    return EXIT_OK


def _check_request(request: Request) -> None:
    codecs.lookup(request.encoding)  # LookupError: "unknown encoding: ..."
    names = request.paths or ("-",)
    if request.in_place and request.output is not None:
        raise UsageProblem("-i and -o cannot be used together")
    if request.in_place and "-" in names:
        raise UsageProblem("-i needs files: standard input cannot be converted in place")
    if request.backup is not None and not request.in_place:
        raise UsageProblem("--backup only goes with -i")
    if request.backup is not None and (not request.backup or "/" in request.backup):
        raise UsageProblem("--backup needs a suffix such as .bak")
    if (request.check or request.diff) and (request.in_place or request.output is not None):
        raise UsageProblem("--check and --diff write nothing; leave out -i and -o")
    if request.output is not None and "-" in names and len(names) > 1:
        raise UsageProblem("-o with standard input takes no other inputs")


def _inputs(request: Request, report: Reporter) -> list[Input]:
    folder_output = request.output if _output_is_folder(request) else None
    items = []
    for found in find_inputs(request.paths, request.walk, skip_folder=folder_output):
        if isinstance(found, Skipped):
            report.skipped(found)
        elif not found.is_stdin and _is_binary(found.path):
            report.skipped(Skipped(found.path, "binary file (it has a NUL byte)"))
        else:
            items.append(found)
    return items


def _is_binary(path: Path) -> bool:
    try:
        # Only regular files: a pipe (translit <(cmd)) cannot be read twice.
        return path.is_file() and is_binary(path)
    except OSError:
        return False  # reported when it is opened


def _output_is_folder(request: Request) -> bool:
    if request.output is None:
        return False
    names = request.paths or ("-",)
    return len(names) > 1 or request.output.is_dir() or any(Path(n).is_dir() for n in names)


# --- one input -------------------------------------------------------------------------


def _converter(request: Request) -> StreamConverter:
    return StreamConverter(
        get_transliterator(request.options), encoding=request.encoding, errors=request.errors
    )


def _convert(
    request: Request,
    source: BinaryIO,
    sink: BinaryIO | None,
    *,
    interactive: bool = False,
    progress: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> bool:
    """Stream `source` converted into `sink`; return whether the content changed."""
    stats = convert_stream(
        source,
        sink,
        get_transliterator(request.options),
        encoding=request.encoding,
        errors=request.errors,
        interactive=interactive,
        track_changes=True,
        progress=progress,
        jobs=jobs,
    )
    return stats.changed


@contextlib.contextmanager
def _opened(item: Input) -> Iterator[BinaryIO]:
    if item.is_stdin:
        yield sys.stdin.buffer
    else:
        with open(item.path, "rb") as handle:
            yield handle


def _guarded(item: Input, work: Callable[[], Outcome]) -> Outcome:
    """Run the work for one input, turning expected failures into an Outcome."""
    try:
        return work()
    except InputDecodeError as error:
        return Outcome(str(item.path), error=str(error))
    except UsageProblem as problem:
        return Outcome(str(item.path), error=str(problem))
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise
        return Outcome(str(item.path), error=_os_error(error))


def _os_error(error: OSError) -> str:
    message = error.strerror or str(error)
    if error.filename is not None and error.filename2 is not None:
        return f"{message} ({error.filename2})"
    return message


def _jobs(request: Request) -> int:
    return request.jobs or os.cpu_count() or 1


def _check_one(request: Request, item: Input, progress=None, jobs: int = 1) -> Outcome:
    def work() -> Outcome:
        with _opened(item) as source:
            changed = _convert(request, source, None, progress=progress, jobs=jobs)
        return Outcome(str(item.path), changed=changed)

    return _guarded(item, work)


def _in_place_one(request: Request, item: Input, progress=None, jobs: int = 1) -> Outcome:
    def work() -> Outcome:
        if item.path.exists() and not item.path.is_file():
            raise UsageProblem("not a regular file; -i can only rewrite files")
        backup = None
        if request.backup:
            backup = lambda: make_backup(item.path, request.backup)  # noqa: E731
        try:
            with open(item.path, "rb") as source:
                with atomic_replace(item.path, like=item.path, before_replace=backup) as out:
                    if not _convert(request, source, out, progress=progress, jobs=jobs):
                        raise Unchanged
        except Unchanged:
            return Outcome(str(item.path), changed=False)
        return Outcome(str(item.path), changed=True)

    return _guarded(item, work)


def _to_file_one(
    request: Request, item: Input, target: Path, progress=None, jobs: int = 1
) -> Outcome:
    def work() -> Outcome:
        if not item.is_stdin:
            check_not_same_file(item.path, target)
        target.parent.mkdir(parents=True, exist_ok=True)
        with _opened(item) as source, atomic_replace(target) as out:
            changed = _convert(request, source, out, progress=progress, jobs=jobs)
        return Outcome(str(item.path), changed=changed)

    return _guarded(item, work)


def _to_stream(request: Request, item: Input, stdout: BinaryIO, report: Reporter) -> Outcome:
    def work() -> Outcome:
        with _opened(item) as source:
            interactive = item.is_stdin and is_interactive(source)
            with report.progress_for([item]) as progress:
                _convert(request, source, stdout, interactive=interactive, progress=progress,
                         jobs=_jobs(request))
        stdout.flush()
        return Outcome(str(item.path))

    return _guarded(item, work)


def _to_output(request: Request, items: list[Input], report: Reporter) -> list[Outcome]:
    assert request.output is not None
    if not _output_is_folder(request):
        with report.progress_for(items) as progress:
            return [report.done(_to_file_one(request, item, request.output, progress,
                                             _jobs(request))) for item in items]
    request.output.mkdir(parents=True, exist_ok=True)
    return _map(request, items, _to_folder_one, report)


def _to_folder_one(request: Request, item: Input, progress=None, jobs: int = 1) -> Outcome:
    assert request.output is not None
    target = output_path(item, request.output, True)
    return _to_file_one(request, item, target, progress, jobs)


# --- many inputs ------------------------------------------------------------------------


def _map(
    request: Request, items: list[Input], one, report: Reporter, listing: BinaryIO | None = None
) -> list[Outcome]:
    """Apply `one` to every input, in worker processes when that pays; results in order.

    Files are shared out among the workers; a single file (or a few) may instead be split
    among them (see parallel.py). Each outcome is reported as soon as it is known, and with
    `listing` the names of changed files are written there (for --check).
    """
    jobs = _jobs(request)
    sizes = [_size(item) for item in items]
    with report.progress_for(items, sizes) as progress:
        small = sum(sizes) < PARALLEL_MIN_BYTES
        if jobs < 2 or len(items) < jobs or small or not hasattr(os, "fork"):
            results = (one(request, item, progress, jobs) for item in items)
            return [report.done(outcome, listing) for outcome in results]
        from .parallel import worker_pool  # only here: it costs start-up time

        with worker_pool(min(jobs, len(items))) as pool:
            outcomes = []
            tasks = [(one, request, item) for item in items]
            for size, outcome in zip(sizes, pool.imap(_work, tasks)):
                outcomes.append(report.done(outcome, listing))
                progress(size)
        return outcomes


def _work(task) -> Outcome:
    one, request, item = task
    return one(request, item)


def _size(item: Input) -> int:
    try:
        return 0 if item.is_stdin else item.path.stat().st_size
    except OSError:
        return 0


# --- diff -------------------------------------------------------------------------------


def _diff_all(
    request: Request, items: list[Input], stdout: BinaryIO, report: Reporter
) -> list[Outcome]:
    from .diffing import hunks, line_pairs, write_unified_diff

    if _wants_preview(request, stdout):
        return [report.done(outcome) for outcome in _preview_all(request, items)]
    outcomes = []
    for item in items:
        def work(item: Input = item) -> Outcome:
            with _opened(item) as source:
                pairs = line_pairs(source, _converter(request))
                changed = write_unified_diff(stdout, item.path, hunks(pairs, request.context))
            return Outcome(str(item.path), changed=changed)

        outcomes.append(report.done(_guarded(item, work)))
    return outcomes


def _wants_preview(request: Request, stdout: BinaryIO) -> bool:
    """The Rich preview in a terminal, or when colour is forced; else a plain diff."""
    if request.color == "always" or (request.color == "auto" and os.environ.get("FORCE_COLOR")):
        return True
    try:
        return os.isatty(stdout.fileno())
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False


def _preview_all(request: Request, items: list[Input]) -> list[Outcome]:
    from .diffing import hunks, line_pairs
    from .preview import Preview, make_console, show_paged

    console = make_console(request.color)
    preview = Preview(console, get_transliterator(request.options), layout=request.layout,
                      explain=request.explain, encoding=request.encoding)
    outcomes = []
    with console.capture() as captured:
        for item in items:
            def work(item: Input = item) -> Outcome:
                with _opened(item) as source:
                    pairs = line_pairs(source, _converter(request))
                    changed = preview.file(str(item.path), hunks(pairs, request.context))
                return Outcome(str(item.path), changed=changed)

            outcomes.append(_guarded(item, work))
        preview.print_summary()
    show_paged(console, captured.get())
    return outcomes


# --- messages ---------------------------------------------------------------------------


class Reporter:
    """One-line messages on stderr (coloured by Rich in a terminal), and the progress bar."""

    def __init__(self, stderr: BinaryIO, quiet: bool) -> None:
        self.stderr = stderr
        self.quiet = quiet
        self.errors = 0
        self._console = None

    def _is_terminal(self) -> bool:
        try:
            return os.isatty(self.stderr.fileno())
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            return False

    def _say(self, prefix: str, name: str | None, message: str, style: str) -> None:
        where = f"{name}: " if name else ""
        if not self._is_terminal():
            self.stderr.write(f"translit: {where}{message}\n".encode("utf-8", "replace"))
            self.stderr.flush()
            return
        from rich.text import Text

        console = self._rich_console()
        line = Text("translit: ", style=style).append(where + message, style="" if prefix else style)
        console.print(line, soft_wrap=True, highlight=False)

    def _rich_console(self):
        if self._console is None:
            from .preview import make_console

            self._console = make_console("auto", stderr=True)
        return self._console

    def done(self, outcome: Outcome, listing: BinaryIO | None = None) -> Outcome:
        """Report an input's error at once; with `listing`, write the name if it changed."""
        if outcome.error:
            self.error(outcome.name, outcome.error)
        elif listing is not None and outcome.changed and not self.quiet:
            listing.write(os.fsencode(outcome.name) + b"\n")
            listing.flush()
        return outcome

    def error(self, name: str | None, message: str) -> None:
        self.errors += 1
        self._say("error", name, message, "bold red")

    def skipped(self, skipped: Skipped) -> None:
        if not self.quiet:
            self._say("note", str(skipped.path), f"skipped: {skipped.why}", "yellow")

    def summary(self, request: Request, outcomes: Sequence[Outcome]) -> None:
        """A count for --check, and for -i on several files."""
        if self.quiet or not (request.check or (request.in_place and len(outcomes) > 1)):
            return
        done = [o for o in outcomes if not o.error]
        changed = sum(o.changed for o in done)
        verb = "would change" if request.check else "converted"
        failed = len(outcomes) - len(done)
        line = f"{changed} file(s) {verb}, {len(done) - changed} unchanged"
        self._say("note", None, line + (f", {failed} failed" if failed else ""), "")

    @contextlib.contextmanager
    def progress_for(
        self, items: Sequence[Input], sizes: Sequence[int] | None = None
    ) -> Iterator[Callable[[int], None]]:
        """A callback advancing a bar on stderr by bytes done (a no-op when none is shown)."""
        total = sum(sizes if sizes is not None else map(_size, items))
        if self.quiet or not self._is_terminal() or (
            total < PROGRESS_MIN_BYTES and len(items) < PROGRESS_MIN_FILES
        ):
            yield _ignore
            return
        from rich.progress import Progress

        with Progress(console=self._rich_console(), transient=True) as bar:
            task = bar.add_task("converting", total=total or None)
            yield lambda n: bar.advance(task, n)


def _ignore(_: int) -> None:
    pass
