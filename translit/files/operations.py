"""The files layer: every per-file operation of the command, as a public function.

Each function converts, checks or diffs one file and returns a `FileResult`; none raises
for a problem with the file (a missing input, an unwritable output, a decode error): the
problem is in the result, naming the path that failed and whether it was being read or
written. The command only maps these functions over its inputs and reports the results.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Тошкент шаҳри\\n", encoding="utf-8")
>>> check_file(folder / "a.txt").changed
True
>>> result = convert_in_place(folder / "a.txt")
>>> result.changed, (folder / "a.txt").read_text(encoding="utf-8")
(True, 'Toshkent shahri\\n')
>>> convert_in_place(folder / "a.txt").changed
False
>>> print(convert_file(folder / "missing.txt", folder / "b.txt").problem)  # doctest: +ELLIPSIS
/...missing.txt: cannot read: No such file or directory
"""

from __future__ import annotations

import codecs
import contextlib
import _contextvars as contextvars  # contextvars.py's names, without loading it (start-up)
import functools
import os
import stat
import sys
from collections.abc import Callable, Generator, Iterable, Iterator

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
from ..base.limits import LimitExceeded
if TYPE_CHECKING:
    from typing import Any, NamedTuple
    from pathlib import Path

    from ..base.options import DecodeErrors
else:  # the same classes, made faster (see records.py)
    from ..base.records import NamedTuple

from ..stream import codepages
from .. import formats
from ..converter.transliterator import get_transliterator
from .fileio import (
    Busy,
    ChangedUnderneath,
    FolderNotWritable,
    Identity,
    atomic_replace,
    folder_syncs_deferred,
    replaces_batched,
    check_unchanged,
    lock_for_conversion,
    refuse_if_held_open,
    make_backup,
    mark_backup,
    remove_abandoned_temporaries,
)
from ..base.options import DECODE_ERRORS, CheckedRecord, Options, RecordOptions, check_choice
from ..base.terminal import is_terminal
from ..base.visible import visible
from ..stream import ByteSink, InputDecodeError, StreamStats, convert_stream, is_interactive
from ..stream import ascii_compatible as stream_ascii_compatible
from .walking import Input, Problem, Skipped, WalkOptions, find_inputs

__all__ = [
    "FileOptions",
    "FileProblem",
    "FileResult",
    "Input",
    "LabelledFile",
    "Operation",
    "Problem",
    "Progress",
    "Skipped",
    "WalkOptions",
    "check_encoding",
    "check_file",
    "convert_file",
    "convert_in_place",
    "convert_records",
    "convert_to_stream",
    "copy_file",
    "diff_file",
    "find_inputs",
    "format_of",
    "guarded",
    "input_size",
    "is_record_file",
    "line_pairs_of",
    "open_input",
    "preview_file",
    "run_each",
    "worth_workers",
]

# A smaller file is not worth splitting over processes, by the direction's throughput
# (direction.py): for the slower directions a smaller one is. To Cyrillic (each worker
# makes its tables and decides the words it meets first again), two workers took 1.24× the
# wall time of one process on 1 MB of the corpus's Latin, 1.03× on 2 MB, 1.00× on 3 MB,
# 0.90× on 4 MB and 0.73× on 16 MB (medians of 7 alternating runs, 2026-12-06, 2 CPUs):
# split from 4 MB. (It was split from 1 MB, when the direction was a hundredth as fast.)
PARALLEL_MIN_BYTES = {"fast": 16 << 20, "medium": 4 << 20, "slow": 1 << 20}
# Whether many files are worth worker processes. Files that are written (-o, -i) cost a
# durable write each (a temporary file, fsync, a rename: about a millisecond), far more than
# sending them to a worker: from MANY_FILES_MIN_BYTES in all they are shared out. An
# operation that writes nothing (--check) weighs its work against the workers' cost, in CPU
# nanoseconds on one core (measured with --jobs 1 and with workers on folders of small and
# of large files, bench/bench.py's folder rows, issue 23): a file costs its opening and
# reading, then its bytes at the direction's speed; two workers cost their fork, start and
# end, and every file sent to one its message, its result and the memory a worker copies as
# it runs. Workers are forked only where the work is WORKERS_WORTH times their cost, so that
# they take little more CPU than one process would (a check of small files to Latin: its
# work, ~60 µs a file, is only three times a message's).
MANY_FILES_MIN_BYTES = 4 << 20
FILE_NS = 25_000
BYTE_NS = {"fast": 4, "medium": 25, "slow": 300}  # (medium: one process to Cyrillic, 2026-12-06)
WORKER_NS = 15_000_000
MESSAGE_NS = 20_000
WORKERS_WORTH = 8


class _FileValues(NamedTuple):
    options: Options = Options()
    encoding: str = "utf-8"
    errors: DecodeErrors = "strict"
    strict: bool = False
    jobs: int = 1
    format: str = "auto"
    relink: Callable[[str], str] | None = None
    records: RecordOptions = RecordOptions()


class FileOptions(CheckedRecord, _FileValues):
    """How files are read and written; `options` says how the text is converted.

    encoding: the input's encoding (any Python text codec); the output is always UTF-8.
    errors: undecodable input: ``strict`` stops with a located error, ``replace`` writes
        U+FFFD, ``surrogateescape`` passes the bytes through.
    strict: Cyrillic letters left unconverted (Kazakh ә, Ukrainian ї ...) are an error,
        and nothing is written.
    jobs: worker processes to split one large UTF-8 file over (1: this process only).
    format: how to read the files: ``auto`` (by the name's ending, then by content; plain
        text for standard input) or a format's name (``html``, ``docx`` ...; see formats).
    relink: how a page writes a link (HTML, Markdown): in an output tree whose names
        ``--rename`` converted, the links to renamed files follow them (links.TreeLinks).
    records: how the records of a corpus are converted (JSON Lines, CSV, TSV, Parquet:
        --field, --column, --skip-bad-records, --stats).
    """

    __slots__ = ()

    def _checked(self) -> FileOptions:
        check_choice("errors", self.errors, DECODE_ERRORS)
        check_choice("format", self.format, formats.FORMAT_CHOICES)
        check_encoding(self.encoding)
        return self


class FileResult(NamedTuple):
    """What happened to one input."""

    path: str  # the input, as named ("-" for standard input)
    output: str | None = None  # where its conversion was written, if anywhere
    changed: bool = False  # the conversion differs from the input
    skipped: str | None = None  # why it was not converted (walks only)
    problem: Problem | None = None  # what went wrong, naming the path that failed
    leftovers: tuple[tuple[str, int], ...] = ()  # Cyrillic letters left as they were
    notes: tuple[str, ...] = ()  # anything else worth telling (abandoned temporaries removed)
    copied: bool = False  # not converted (an image, a style sheet): copied as it is

    @property
    def ok(self) -> bool:
        return self.problem is None


class FileProblem(Exception):
    """A problem with one path, raised inside the files layer and turned into a result."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _Unchanged(Exception):
    """Raised inside an in-place replacement to leave the file untouched."""


def check_encoding(encoding: str) -> None:
    """Refuse an unknown codec, or one that does not turn bytes into text (base64, zlib).

    >>> check_encoding("base64")
    Traceback (most recent call last):
    ...
    ValueError: base64 is not a text encoding (it turns bytes into bytes)
    """
    if encoding == codepages.AUTO:
        return
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ValueError(f"unknown encoding: {encoding}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError(f"{encoding} is not a text encoding (it turns bytes into bytes)")


def ascii_compatible(encoding: str) -> bool:
    """A line break and ASCII letters are single bytes of their own (UTF-8, cp1251 ...)."""
    if encoding == codepages.AUTO:
        return True  # mostly (UTF-8, the legacy code pages): each file's is checked again
    return stream_ascii_compatible(encoding)


# --- reading and writing with the path that failed -------------------------------------


STANDARD_OUTPUT = "standard output"  # the name a problem writing it gives it


class LabelledFile:
    """A binary file whose OSErrors name its path and say whether reading or writing."""

    def __init__(self, handle: Any, path: str, action: str) -> None:
        self.handle, self.path, self.action = handle, path, action
        self.read_as: str | None = None  # the encoding --encoding auto found it in
        self.head = b""  # the first bytes read (for a decode error's hint)
        self.terminal = is_terminal(handle)
        self.ended = False  # a terminal's input was ended (Ctrl-D)

    def _fail(self, error: OSError) -> FileProblem:
        return FileProblem(Problem(self.path, _reason(error), self.action))

    def read(self, size: int = -1) -> bytes:
        if self.ended:
            return b""
        try:
            data: bytes = self.handle.read(size)
        except OSError as error:
            raise self._fail(error) from None
        # A buffered read comes back short only at the end of the input, and a terminal's end
        # (Ctrl-D) is told once: reading on would wait for the person to press it again.
        if self.terminal and (size is None or size < 0 or len(data) < size):
            self.ended = True
        if len(self.head) < codepages.SNIFF_BYTES:
            self.head += data[:codepages.SNIFF_BYTES - len(self.head)]
        return data

    def write(self, data: bytes) -> int:
        try:
            written: int = self.handle.write(data)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._fail(error) from None
        return written

    def flush(self) -> None:
        try:
            self.handle.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._fail(error) from None

    def fileno(self) -> int:
        fd: int = self.handle.fileno()
        return fd

    def tell(self) -> int:
        position: int = self.handle.tell()
        return position


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


@contextlib.contextmanager
def _doing(action: str, path: Path | str) -> Iterator[None]:
    """OSErrors in the block are a problem with `path` while doing `action`."""
    try:
        yield
    except (FileProblem, BrokenPipeError, Busy, ChangedUnderneath):
        raise
    except FolderNotWritable as error:
        raise FileProblem(_folder_problem(str(path), error)) from None
    except OSError as error:
        raise FileProblem(Problem(str(path), _reason(error), action)) from None


def _folder_problem(path: str, error: FolderNotWritable) -> Problem:
    """The folder is named (as the user named it, where that is the same folder), and why
    translit must write there, though the file itself may be writable."""
    folder = os.path.dirname(path) or "."
    if os.path.realpath(folder) != os.path.realpath(str(error.filename)):
        folder = str(error.filename)
    return Problem(folder, f"{error.strerror} (translit replaces {os.path.basename(path)} "
                           "atomically: it writes a new file in this folder and renames it "
                           "over the old)", "write into folder")


def _refuse_read_only(path: Path, name: str) -> None:
    """-i does not replace a file its user may not write (as -o, ruff and black refuse)."""
    if not os.access(path, os.W_OK):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        raise FileProblem(Problem(name, f"it is read-only (mode {mode:o}); -i leaves it as it "
                                        f"is (make it writable first: chmod u+w)", "write"))


def guarded(name: str, work: Callable[[], FileResult]) -> FileResult:
    """Run the work for input `name`; a problem (or a bug) becomes the result's problem."""
    said = _READ_AS.set([])  # what --encoding auto found, said in the result's notes
    try:
        result = work()
        return result._replace(notes=(*result.notes, *_READ_AS.get())) if _READ_AS.get() else result
    except FileProblem as failed:
        return FileResult(name, problem=failed.problem)
    except InputDecodeError as error:
        return FileResult(name, problem=Problem(name, str(error) + _decode_hint(name, error)))
    except Busy as error:
        return FileResult(name, problem=Problem(name, _reason(error)))
    except ChangedUnderneath as error:
        return FileResult(name, problem=Problem(name, _reason(error)))
    except (formats.FormatError, LimitExceeded) as error:
        return FileResult(name, problem=Problem(name, str(error)))
    except BrokenPipeError:
        raise
    except OSError as error:
        return FileResult(name, problem=Problem(name, _reason(error)))
    except Exception as error:
        if os.environ.get("TRANSLIT_DEBUG"):
            raise
        return FileResult(name, problem=Problem(name, internal_error(error)))
    finally:
        _READ_AS.reset(said)


_READ_AS: contextvars.ContextVar[list[str]] = contextvars.ContextVar("read_as")
_STDIN: contextvars.ContextVar[LabelledFile | None] = contextvars.ContextVar("stdin", default=None)


def _head(source: LabelledFile) -> tuple[bytes, bool]:
    """The first bytes of `source` still to read, not consumed, and whether that is all."""
    try:
        fd = source.fileno()
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            start = source.tell()
            return os.pread(fd, codepages.SNIFF_BYTES, start), (
                info.st_size - start <= codepages.SNIFF_BYTES)
    except (AttributeError, OSError, ValueError):
        pass
    peek = getattr(source.handle, "peek", None)
    head = peek(codepages.SNIFF_BYTES)[:codepages.SNIFF_BYTES] if peek is not None else b""
    return head, False


def _resolved(source: LabelledFile, settings: FileOptions) -> FileOptions:
    """With ``--encoding auto``, the settings with the encoding `source` is found in (said
    in a note when it is not UTF-8)."""
    if settings.encoding != codepages.AUTO:
        return settings
    encoding = source.read_as = codepages.guess(*_head(source))
    if encoding != "utf-8":
        notes = _READ_AS.get(None)
        if notes is not None:
            name = "standard input" if source.path == "-" else source.path
            notes.append(f"{name}: read as {encoding} (its bytes are not UTF-8; "
                         "--encoding auto)")
    return settings._replace(encoding=encoding)


def _decode_hint(name: str, error: InputDecodeError) -> str:
    """For a file that is not UTF-8: the encoding it likely is in."""
    if codecs.lookup(error.encoding).name != "utf-8":
        return ""
    stdin = _STDIN.get()
    if name == "-":
        head = stdin.head if stdin is not None else b""
    else:
        try:
            with open(name, "rb") as handle:
                head = handle.read(codepages.SNIFF_BYTES)
        except OSError:
            return ""
    if codepages.is_utf8(head, complete=len(head) < codepages.SNIFF_BYTES):
        return ""  # the error is further on: no sign of a legacy code page
    likely = codepages.likely_not_utf8(head)
    return f"; it looks like {likely}: try --encoding {likely} (or --encoding auto)"


def internal_error(error: BaseException) -> str:
    """The one line shown for a bug (TRANSLIT_DEBUG=1 shows the traceback instead)."""
    return (f"internal error ({type(error).__name__}: {error}); please report it "
            "(TRANSLIT_DEBUG=1 or --debug shows the traceback)")


@contextlib.contextmanager
def open_input(path: Path | str) -> Iterator[tuple[LabelledFile, os.stat_result]]:
    if str(path) == "-":
        stdin = sys.stdin.buffer
        with _doing("read", "standard input"):
            info = os.fstat(stdin.fileno())
        source = LabelledFile(stdin, "-", "read")
        _STDIN.set(source)  # read once: a decode error's hint looks at what was read
        yield source, info
        return
    with _doing("read", path):
        handle = open(path, "rb")  # closed below
    with handle:
        with _doing("read", path):
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(21, "Is a directory")
        yield LabelledFile(handle, str(path), "read"), info


def _leftovers(stats: StreamStats) -> tuple[tuple[str, int], ...]:
    return tuple(stats.leftovers.most_common())


def _notes(name: str, stats: StreamStats) -> tuple[str, ...]:
    """What the conversion found worth telling, each naming the input."""
    return tuple(f"{name}: {note}" for note in stats.notes)


def _check_strict(name: str, stats: StreamStats, settings: FileOptions) -> None:
    if settings.strict and stats.leftovers:
        summary = leftover_summary(_leftovers(stats), "the tables do not convert")
        if stats.left_at:  # a document: where the first piece left is
            summary += f", first in {stats.left_at}"
        raise FileProblem(Problem(name, f"{summary} (--strict); nothing written"))


def format_of(name: str, source: LabelledFile, settings: FileOptions,
              detected: formats.Format | None = None) -> formats.Format:
    """The format `source` is read in: ``--format``; else `detected` (found by the walk that
    found the file), else by its name and first bytes."""
    if detected is not None and settings.format == "auto":
        return detected
    head = None
    if settings.format == "auto" and name != "-":
        peek = getattr(source.handle, "peek", None)
        head = peek(formats.SNIFF_BYTES)[:formats.SNIFF_BYTES] if peek is not None else None
    found = formats.choose(settings.format, name, head)
    if isinstance(found, formats.NotConverted):
        raise FileProblem(Problem(name, f"translit does not convert {found.why}; --format "
                                        "text would convert it as plain text"))
    return found


def _convert(source: LabelledFile, info: os.stat_result, sink: Any, settings: FileOptions, *,
             interactive: bool = False, progress: Callable[[int], None] | None = None,
             detected: formats.Format | None = None) -> StreamStats:
    """Convert `source` into `sink` (None: nowhere) through its format's converter; a large
    plain text over worker processes where it pays."""
    transliterator = get_transliterator(settings.options)
    found = format_of(source.path, source, settings, detected)
    if found.document:
        _refuse_terminal(source.path, found, sink)
    else:
        settings = _resolved(source, settings)  # a document (a zip) has no text encoding
    if found.kind == "records":  # converted nowhere: checked (--check names the rows)
        return convert_records(found, source, sink, settings, checking=sink is None,
                               progress=progress)
    if (found.kind == "plain" and settings.jobs > 1 and not interactive
            and stat.S_ISREG(info.st_mode)
            and info.st_size >= PARALLEL_MIN_BYTES[transliterator.direction.throughput]
            and codecs.lookup(settings.encoding).name == "utf-8" and hasattr(os, "fork")):
        from .parallel import convert_in_parallel

        return convert_in_parallel(source, sink, settings.options, jobs=settings.jobs,
                                   errors=settings.errors, track_changes=True,
                                   progress=progress)
    converter = formats.converter_for(found, transliterator, encoding=settings.encoding,
                                      errors=settings.errors, relink=settings.relink)
    return convert_stream(source, sink, interactive=interactive and not found.document,
                          progress=progress, converter=converter)


def convert_records(found: formats.Format, source: Any, sink: Any, settings: FileOptions, *,
                    checking: bool = False, progress: Callable[[int], None] | None = None,
                    on_change: Callable[[int, str, str, str], None] | None = None
                    ) -> StreamStats:
    """Convert a record format's `source` into `sink` (None: nowhere) record by record
    (formats/corpus.py); `on_change` gets each changed value (row, field, before, after).
    What there is to tell about the records (bad ones, scripts, rows that would change when
    `checking`) is in the figures' notes."""
    from ..formats.corpus import RecordJob

    settings = _resolved(source, settings)  # --encoding auto (--diff comes here directly)
    job = RecordJob(get_transliterator(settings.options), settings.records,
                    format_name=found.name, encoding=settings.encoding, errors=settings.errors,
                    on_change=on_change)
    found.load().convert(source, sink, job)
    if progress is not None:
        progress(job.bytes_in)
    stats = StreamStats(bytes_in=job.bytes_in, bytes_out=job.bytes_out, changed=job.changed,
                        leftovers=job.leftovers)
    stats.notes += job.notes(checking)
    return stats


# --- the operations -------------------------------------------------------------------


def check_file(path: Path | str, settings: FileOptions = FileOptions(), *,
               progress: Callable[[int], None] | None = None,
               detected: formats.Format | None = None) -> FileResult:
    """Whether converting `path` would change it; nothing is written. (`detected`, in
    every operation: the file's format, when a walk already found it.)"""
    name = str(path)

    def work() -> FileResult:
        with open_input(path) as (source, info):
            stats = _convert(source, info, None, settings, progress=progress, detected=detected)
        _check_strict(name, stats, settings)
        return FileResult(name, changed=stats.changed, leftovers=_leftovers(stats),
                          notes=_notes(name, stats))

    return guarded(name, work)


def convert_to_stream(path: Path | str, sink: ByteSink, settings: FileOptions = FileOptions(),
                      *, progress: Callable[[int], None] | None = None,
                      detected: formats.Format | None = None) -> FileResult:
    """Convert `path` ("-": standard input) and write the result to `sink` (stdout).

    A pipe or terminal is passed on line by line. With `settings.strict` the output is
    held (in a temporary file beyond a few megabytes) until it is known to be complete.
    """
    name = str(path)

    def work() -> FileResult:
        with open_input(path) as (source, info):
            _refuse_input_as_output(name, info, sink)
            interactive = name == "-" and is_interactive(source.handle)
            target: Any = LabelledFile(sink, STANDARD_OUTPUT, "write")
            if not settings.strict:
                stats = _convert(source, info, target, settings, interactive=interactive,
                                 progress=progress, detected=detected)
            else:
                import shutil
                import tempfile

                with tempfile.SpooledTemporaryFile(8 << 20) as held:
                    stats = _convert(source, info, held, settings, progress=progress,
                                     detected=detected)
                    _check_strict(name, stats, settings)
                    held.seek(0)
                    shutil.copyfileobj(held, target)
            target.flush()
        return FileResult(name, output="-", changed=stats.changed, leftovers=_leftovers(stats),
                          notes=_notes(name, stats))

    return guarded(name, work)


def _refuse_terminal(name: str, found: formats.Format, sink: Any) -> None:
    """A document is a zip package: its bytes on a terminal are noise that can leave the
    terminal in a strange state (gzip and curl refuse too)."""
    if is_terminal(sink):
        raise FileProblem(Problem(name, f"a {found.title} document is binary: not written to a "
                                        "terminal; name an output file (-o OUT) or redirect "
                                        "standard output"))


def _refuse_input_as_output(name: str, info: os.stat_result, sink: ByteSink) -> None:
    """translit x.txt >> x.txt would read its own output until the disk is full."""
    try:
        out = os.fstat(sink.fileno())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return
    if stat.S_ISREG(out.st_mode) and (out.st_dev, out.st_ino) == (info.st_dev, info.st_ino):
        raise FileProblem(Problem(name, "input file is output file"))


def convert_file(source: Path | str, target: Path | str, settings: FileOptions = FileOptions(),
                 *, progress: Callable[[int], None] | None = None,
                 detected: formats.Format | None = None) -> FileResult:
    """Convert `source` ("-": standard input) into the file `target`, atomically.

    An existing target keeps its mode, and is refused if you may not write it (as cp
    does) or if it is a symbolic link to another file; a device or a pipe (/dev/null,
    /dev/stdout) is written directly. Missing folders of `target` are created.
    """
    from pathlib import Path

    name, target = str(source), Path(target)

    def work() -> FileResult:
        existing = _existing_target(target)
        direct = existing is not None and not stat.S_ISREG(existing.st_mode)
        notes: tuple[str, ...] = ()
        if not direct:
            _make_folder(target.parent)
            notes = _remove_abandoned(target.parent)
        with open_input(source) as (reader, info):
            if existing is not None and (existing.st_dev, existing.st_ino) == (
                    info.st_dev, info.st_ino) and stat.S_ISREG(existing.st_mode):
                raise FileProblem(Problem(name, "-o names the input file itself; use -i to "
                                            "convert a file in place"))
            if direct:
                with _doing("write", target), open(target, "ab") as handle:
                    writer = LabelledFile(handle, str(target), "write")
                    stats = _convert(reader, info, writer, settings, progress=progress,
                                     detected=detected)
                    _check_strict(name, stats, settings)
            else:
                with _doing("write", target), atomic_replace(target, mode_of=existing) as out:
                    writer = LabelledFile(out, str(target), "write")
                    stats = _convert(reader, info, writer, settings, progress=progress,
                                     detected=detected)
                    _check_strict(name, stats, settings)
        return FileResult(name, output=str(target), changed=stats.changed,
                          leftovers=_leftovers(stats), notes=notes + _notes(name, stats))

    return guarded(name, work)


def copy_file(source: Path | str, target: Path | str, *,
              relink: Callable[[str], str] | None = None) -> FileResult:
    """Copy a file translit does not convert (an image, a font) into an output tree, byte
    for byte and atomically, with its permissions; refused where `convert_file` would be.
    With `relink`, the file is a style sheet whose links (``url(…)``) follow the renamed
    files of the tree (see links.py), every other byte as it was."""
    from pathlib import Path

    name, target = str(source), Path(target)

    def work() -> FileResult:
        existing = _existing_target(target)
        _make_folder(target.parent)
        notes = _remove_abandoned(target.parent)
        with open_input(source) as (reader, info):
            if existing is not None and (existing.st_dev, existing.st_ino) == (
                    info.st_dev, info.st_ino):
                raise FileProblem(Problem(str(target), "it is the input file itself", "write"))
            with _doing("write", target), atomic_replace(target, mode_of=info) as out:
                writer = LabelledFile(out, str(target), "write")
                if relink is not None:  # a style sheet, read whole (no more is left)
                    from .links import relinked_style_sheet

                    writer.write(relinked_style_sheet(reader.read(), relink))
                while block := reader.read(1 << 20):
                    writer.write(block)
        return FileResult(name, output=str(target), notes=notes, copied=True)

    return guarded(name, work)


def _existing_target(target: Path) -> os.stat_result | None:
    """The target's status if it exists; refuse what must not be written over."""
    try:
        link = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FileProblem(Problem(str(target), _reason(error), "write")) from None
    if stat.S_ISLNK(link.st_mode):
        try:
            info = os.stat(target)
        except FileNotFoundError:
            raise FileProblem(Problem(str(target), "a symbolic link to a missing file; "
                                               "remove it or name another file", "write")) from None
        if stat.S_ISREG(info.st_mode):
            raise FileProblem(Problem(str(target), f"it is a symbolic link to "
                                               f"{os.readlink(target)}; name that file itself",
                                  "write"))
        return info
    if stat.S_ISDIR(link.st_mode):
        raise FileProblem(Problem(str(target), "Is a directory", "write"))
    if stat.S_ISREG(link.st_mode) and not os.access(target, os.W_OK):
        raise FileProblem(Problem(str(target), "Permission denied", "write"))
    return link


def _make_folder(folder: Path) -> None:
    if os.path.isdir(folder):  # (Path.is_dir() raises where one may not look: mkdir says why)
        return
    with _doing("create folder", folder):
        folder.mkdir(parents=True, exist_ok=True)


_cleaned_folders: set[str] = set()
_cleaned_spellings: set[str] = set()


def _remove_abandoned(folder: Path) -> tuple[str, ...]:
    """Once per folder and process: remove temporaries that killed runs left there."""
    from pathlib import Path

    given = str(folder)  # the same absolute spelling again (a folder's next file): done,
    if given in _cleaned_spellings:  # without resolving it again (a stat per component)
        return ()
    key = os.path.realpath(folder)
    if os.path.isabs(given):
        _cleaned_spellings.add(given)
    if key in _cleaned_folders:
        return ()
    _cleaned_folders.add(key)
    return tuple(f"removed {path}, left by an interrupted translit run"
                 for path in remove_abandoned_temporaries(Path(key)))


def convert_in_place(path: Path | str, settings: FileOptions = FileOptions(), *,
                     backup: str | None = None,
                     progress: Callable[[int], None] | None = None,
                     detected: formats.Format | None = None) -> FileResult:
    """Rewrite `path` with its conversion, atomically; an unchanged file is not touched.

    The file is locked against a second translit; it is replaced only if it is still the
    very file that was read, unchanged (else it is left alone and that is the problem).
    With `backup`, the original is kept as PATH+SUFFIX.
    """
    from pathlib import Path

    name, path = str(path), Path(path)

    def work() -> FileResult:
        if name == "-":
            raise FileProblem(Problem(name, "standard input cannot be converted in place"))
        with _doing("read", path):
            if not stat.S_ISREG(os.stat(path).st_mode):  # before opening: a FIFO would block
                raise FileProblem(Problem(name, "not a regular file; -i can only rewrite files"))
        with open_input(path) as (source, info):
            if not stat.S_ISREG(info.st_mode):
                raise FileProblem(Problem(name, "not a regular file; -i can only rewrite files"))
            fd = source.fileno()
            lock_for_conversion(fd)
            refuse_if_held_open(fd)
            read = Identity.of(info)
            folder = Path(os.path.realpath(path)).parent
            notes = _remove_abandoned(folder)
            kept: list[Path] = []

            def before_replace() -> None:
                check_unchanged(path, read)  # the path first: it tells replaced from changed
                check_unchanged(path, read, Identity.of(os.fstat(fd)))
                refuse_if_held_open(fd)
                _refuse_read_only(path, name)  # here: an unchanged file is never refused
                if backup:
                    with _doing("write", f"{name}{backup}"):
                        kept.append(make_backup(path, backup, fd))

            try:
                with _doing("write", path), atomic_replace(
                        path, mode_of=info, before_replace=before_replace) as out:
                    writer = LabelledFile(out, name, "write")
                    stats = _convert(source, info, writer, settings, progress=progress,
                                     detected=detected)
                    if stats.bytes_in != read.size:
                        check_unchanged(path, read, Identity.of(os.fstat(fd)))
                    _check_strict(name, stats, settings)
                    if not stats.changed:
                        raise _Unchanged
            except _Unchanged:
                return FileResult(name, changed=False, leftovers=_leftovers(stats),
                                  notes=notes + _notes(name, stats))
            for made in kept:
                mark_backup(made)
        return FileResult(name, output=name, changed=True, leftovers=_leftovers(stats),
                          notes=notes + _notes(name, stats))

    return guarded(name, work)


def line_pairs_of(source: LabelledFile, settings: FileOptions, *,
                  max_line_bytes: int | None = None, detected: formats.Format | None = None
                  ) -> tuple[Iterator[Any], Callable[[], StreamStats]]:
    """(input line, converted line) pairs of `source` in its format, and a function that
    gives the conversion's figures once the pairs are used up. Plain text and the text
    formats pair the lines of the file; a document pairs its paragraphs (the text a person
    reads, not its XML)."""
    from ..diff import format_line_pairs, line_pairs, paragraph_pairs

    found = format_of(source.path, source, settings, detected)
    if not found.document:
        settings = _resolved(source, settings)  # a document (a zip) has no text encoding
        _refuse_lines_of_wide_encoding(source, settings.encoding)
    converter = formats.converter_for(found, get_transliterator(settings.options),
                                      encoding=settings.encoding, errors=settings.errors,
                                      paragraphs=True)
    if found.document:
        convert_stream(source, None, converter=converter)
        return paragraph_pairs(converter.paragraphs), lambda: converter.stats
    if found.kind == "plain":
        return (line_pairs(source, converter, max_line_bytes=max_line_bytes),
                lambda: converter.stats)
    return format_line_pairs(source, converter), lambda: converter.stats


def _refuse_lines_of_wide_encoding(source: LabelledFile, encoding: str) -> None:
    """Lines are paired by their b"\\n": not those of a file in UTF-16 or UTF-32 (found
    by --encoding auto; an encoding given on the command line is refused up front)."""
    if not ascii_compatible(encoding):
        found = " (found by --encoding auto)" if source.read_as else ""
        raise FileProblem(Problem(source.path, f"--diff needs an encoding in which a line break "
                                               f"is one byte, not {encoding}{found}; convert "
                                               f"with -o and compare"))


def diff_file(path: Path | str, sink: ByteSink, settings: FileOptions = FileOptions(), *,
              context: int = 3, detected: formats.Format | None = None) -> FileResult:
    """Write a unified diff of what converting `path` would change (GNU diff's hunks); of a
    document, the diff of its paragraphs' text."""
    from ..diff import hunk_stream, write_unified_diff

    name = str(path)

    def work() -> FileResult:
        # (an encoding whose line break is not one byte is refused where lines are read:
        # by line_pairs_of, and for records by RecordJob.lines)
        with open_input(path) as (source, _):
            out = LabelledFile(sink, STANDARD_OUTPUT, "write")
            found = format_of(source.path, source, settings, detected)
            if found.kind == "records":
                return _diff_records(name, found, source, out, settings)
            pairs, stats = line_pairs_of(source, settings, detected=found)
            changed = write_unified_diff(out, name, hunk_stream(pairs, context))
        _check_strict(name, stats(), settings)
        return FileResult(name, changed=changed, leftovers=_leftovers(stats()),
                          notes=_notes(name, stats()))

    return guarded(name, work)


def preview_file(path: Path | str, show: Callable[[str, Iterator[Any], str], bool],
                 settings: FileOptions = FileOptions(), *, max_line_bytes: int | None = None,
                 detected: formats.Format | None = None) -> FileResult:
    """What converting `path` would change, as its pairs of lines (input line, converted
    line: `translit.diff.LinePair`; of a document, its paragraphs) handed as they come to
    ``show(name, pairs, encoding)``, which draws them (the preview: `preview.Preview.show`)
    or writes them as JSON (``--json``: `preview.JsonDecisions`) and returns whether any
    would change; `encoding` is the one the input was read in. Nothing is written; a
    problem is in the result. `max_line_bytes`: a longer line is shown cut (the preview).

    >>> import tempfile, pathlib
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "page.txt"
    >>> _ = page.write_text("Салом\\nhello\\n", encoding="utf-8")
    >>> def show(name, pairs, encoding):
    ...     changed = [(pair.number, pair.after) for pair in pairs if pair.changed]
    ...     print(changed, encoding)
    ...     return bool(changed)
    >>> preview_file(page, show).changed
    [(1, b'Salom\\n')] utf-8
    True
    """
    name = str(path)

    def work() -> FileResult:
        with open_input(path) as (source, _):
            pairs, _stats = line_pairs_of(source, settings, max_line_bytes=max_line_bytes,
                                          detected=detected)
            changed = show(name, pairs, source.read_as or settings.encoding)
        return FileResult(name, changed=changed)

    return guarded(name, work)


def _diff_records(name: str, found: formats.Format, source: LabelledFile, out: LabelledFile,
                  settings: FileOptions) -> FileResult:
    """A record format's preview: each changed value, as ``row 12, field text`` and the
    value before (-) and after (+), a line break shown as ⏎."""
    started = False

    def show(row: int, field: str, before: str, after: str) -> None:
        nonlocal started
        # (a value or a name with an escape sequence would drive the terminal: escaped)
        shown = visible(name)
        lines = [] if started else [f"--- {shown}", f"+++ {shown} (converted)"]
        started = True
        lines += (f"row {row}, field {visible(field)}",
                  "-" + visible(before.replace("\n", "⏎")), "+" + visible(after.replace("\n", "⏎")))
        out.write(("\n".join(lines) + "\n").encode("utf-8", "surrogateescape"))

    stats = convert_records(found, source, None, settings, on_change=show)
    _check_strict(name, stats, settings)
    return FileResult(name, changed=stats.changed, leftovers=_leftovers(stats),
                      notes=_notes(name, stats))


def is_record_file(path: Path | str, settings: FileOptions,
                   detected: formats.Format | None = None) -> bool:
    """Whether `path` is read as records (JSON Lines, CSV, TSV, Parquet); `detected`: its
    format, when a walk found it."""
    if settings.format != "auto":
        return formats.BY_NAME[settings.format].kind == "records"
    # A record format is known by its name only (none is told by its content): this looks
    # at the name, it does not find the format (that is done once, when the file is read).
    found = detected if detected is not None else formats.by_name(str(path))
    return isinstance(found, formats.Format) and found.kind == "records"


# --- many files -----------------------------------------------------------------------


Progress = Callable[[int], None] | None
Operation = Callable[[Input, FileOptions, Progress], FileResult]


def run_each(operation: Operation, items: list[Input], settings: FileOptions,
             progress: Progress = None, *, writes: bool = True
             ) -> Generator[FileResult, None, None]:
    """Apply ``operation(item, settings, progress)`` to every input, results in order.

    With several inputs, ``settings.jobs`` > 1 and work enough to pay for them (see
    `worth_workers`; `writes`: the operation writes a file for each input), the files are
    shared out among that many worker processes (each given the settings with ``jobs=1``: a
    worker does not split a file again); otherwise they are done here one by one, and
    ``settings.jobs`` lets one large file be split among workers instead.

    >>> def size_of(item, settings, progress):
    ...     return FileResult(str(item.path), notes=(f"jobs={settings.jobs}",))
    >>> [r.notes for r in run_each(size_of, [Input("a.txt", "a.txt")], FileOptions(jobs=2))]
    [('jobs=2',)]
    """
    jobs = settings.jobs
    sizes = [input_size(item) for item in items]
    if jobs < 2 or len(items) < jobs or not hasattr(os, "fork") or not worth_workers(
            sizes, settings, writes=writes):
        with folder_syncs_deferred():  # each folder made durable once, at the end
            yield from _done_in_batches(operation, items, settings, progress)
        return
    from .parallel import workers

    # The workers are forked with the operation in hand, so that a message carries inputs
    # only: an operation may hold what every file needs (the whole input → output map of
    # -o FOLDER), and sent with each file it made a folder quadratic in its size. Small
    # files go in batches, so that a message's cost is shared by several of them.
    batch_files = max(1, min(BATCH_FILES, len(items) // (4 * jobs)))
    batches = list(_batches(sizes, batch_files))
    in_worker = functools.partial(_batch_in_worker, operation, settings._replace(jobs=1))
    with workers(in_worker, min(jobs, len(items))) as pool:
        tasks = ((items[start:end],) for start, end in batches)
        for (start, end), results in zip(batches, pool.map(tasks, 2 * jobs)):
            for size, result in zip(sizes[start:end], results):
                if progress is not None:
                    progress(size)
                yield result


def worth_workers(sizes: list[int], settings: FileOptions, *, writes: bool) -> bool:
    """Whether files of these sizes are worth `settings.jobs` worker processes: files that
    are written (`writes`), from MANY_FILES_MIN_BYTES in all; others where their estimated
    work is WORKERS_WORTH times what the workers and their messages cost.

    A check of 2,000 small files (work ~60 µs a file) is done in one process, and the same
    files converted into a folder (each written durably) or checked to 2026 Latin (the
    slow direction) are shared out; so is a check of larger files:

    >>> two = FileOptions(jobs=2)
    >>> worth_workers([8192] * 2000, two, writes=False)
    False
    >>> worth_workers([8192] * 2000, two, writes=True)
    True
    >>> worth_workers([8192] * 2000, FileOptions(Options(target="latin2026"), jobs=2),
    ...               writes=False)
    True
    >>> worth_workers([1 << 20] * 100, two, writes=False)
    True
    >>> worth_workers([8192] * 50, two, writes=True)  # a few files: not worth forking
    False
    """
    if writes:  # each file's durable write outweighs its message: the bytes decide
        return sum(sizes) >= MANY_FILES_MIN_BYTES
    per_byte = BYTE_NS[get_transliterator(settings.options).direction.throughput]
    work = len(sizes) * FILE_NS + per_byte * sum(sizes)
    cost = settings.jobs * WORKER_NS + len(sizes) * MESSAGE_NS
    return work >= WORKERS_WORTH * cost


BATCH_FILES = 32  # at most this many files in one message to a worker ...
BATCH_BYTES = 256 << 10  # ... and together no larger than this (unless one file is)


def _batches(sizes: list[int], most: int) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive runs of at most `most` files and about BATCH_BYTES.

    >>> list(_batches([10, 10, 10, BATCH_BYTES, 10], 2))
    [(0, 2), (2, 3), (3, 4), (4, 5)]
    """
    start = total = 0
    for index, size in enumerate(sizes):
        if index > start and (index - start == most or total + size > BATCH_BYTES):
            yield start, index
            start, total = index, 0
        total += size
    if start < len(sizes):
        yield start, len(sizes)


def _batch_in_worker(operation: Operation, settings: FileOptions, batch: list[Input]
                     ) -> list[FileResult]:
    with folder_syncs_deferred():  # durable before the results go back
        return list(_done_in_batches(operation, batch, settings, None))


def _done_in_batches(operation: Operation, items: list[Input], settings: FileOptions,
                     progress: Progress) -> Iterator[FileResult]:
    """The operation on each input, the new outputs made durable and renamed in batches
    (`replaces_batched`): a result is given once its file is in place, or says why it is
    not; a result with no file waiting (a check, a file converted in place) at once."""
    with replaces_batched() as batch:
        held: list[tuple[FileResult, str | None]] = []  # each result, and its waiting target
        for item in items:
            waiting = len(batch.pending)
            result = operation(item, settings, progress)
            held.append((result, batch.pending[-1].destination if len(batch.pending) > waiting
                         else None))
            if batch.full() or not batch.pending:
                yield from _committed(held, batch.commit())
                held = []
        yield from _committed(held, batch.commit())


def _committed(held: list[tuple[FileResult, str | None]], failed: dict[str, OSError]
               ) -> Iterator[FileResult]:
    for result, target in held:
        error = failed.get(target) if target is not None else None
        yield result if error is None else _not_written(result, error)


def _not_written(result: FileResult, error: OSError) -> FileResult:
    """The result of a file whose output could not be made durable or put in place, as
    when that fails inside the operation: the output named, the file's notes dropped."""
    def fail() -> FileResult:
        with _doing("write", result.output or result.path):
            raise error
    return guarded(result.path, fail)


def input_size(item: Input) -> int:
    """The size of an input in bytes (0 for standard input or when it cannot be known)."""
    try:
        return 0 if item.is_stdin else os.stat(item.path).st_size
    except OSError:
        return 0


def leftover_summary(leftovers: Iterable[tuple[str, int]], how: str = "left unconverted") -> str:
    """``3 Cyrillic letter(s) left unconverted: ә ×2, ң ×1``."""
    pairs = list(leftovers)
    total = sum(n for _, n in pairs)
    return f"{total} Cyrillic letter(s) {how}: " + ", ".join(f"{c} ×{n}" for c, n in pairs)
