"""What the record formats share (JSON Lines, CSV and TSV, Parquet): a `RecordJob`.

A corpus is read a block of records at a time; each format finds the values to convert
(string values, cells, a column's strings), hands a whole block of them to the batch API
(`translit.convert_batch`: one call of the engine, a record already in the target script
as it was) and writes each record back with only those values changed. The job counts
what was done, for the command's messages: the records that changed (and, for --diff,
each changed value: ``row 12, field text``), the bad records copied as they were
(--skip-bad-records), the records of each script before and after (--stats).

A format module has one entry, ``convert(source, sink, job)``: `source` reads bytes,
`sink` (None for --check and --diff) writes them.

>>> from translit.converter.transliterator import get_transliterator
>>> job = RecordJob(get_transliterator())
>>> job.values(["Салом", "ok"])
['Salom', 'ok']
>>> job.record(1, [("text", "Салом", "Salom"), ("id", "ok", "ok")])
>>> job.changed, job.changed_rows
(True, [1])
"""

from __future__ import annotations

import collections
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..converter.transliterator import Transliterator
from ..base.options import RecordOptions
from ..engine.scripts import SCRIPTS, detect_script
from ..stream import StreamStats, ascii_compatible
from .errors import FormatError

BLOCK_BYTES = 1 << 20  # text formats: records are read and converted about this much at a time
SHOWN_ROWS = 10  # rows named in a message; the rest are counted
Change = tuple[str, str, str]  # field, before, after


class RecordJob:
    """One file's conversion, record by record (see the module)."""

    def __init__(self, transliterator: Transliterator, options: RecordOptions = RecordOptions(),
                 *, format_name: str = "", encoding: str = "utf-8", errors: str = "strict",
                 on_change: Callable[[int, str, str, str], None] | None = None) -> None:
        self.transliterator = transliterator
        self.options = options
        self.format_name = format_name
        self.encoding, self.errors = encoding, errors
        self.on_change = on_change  # --diff: each changed value, as it is found
        self.changed = False
        self.leftovers: collections.Counter[str] = collections.Counter()
        self.records = 0
        self.changed_records = 0
        self.changed_rows: list[int] = []  # the first few
        self.bad: list[tuple[int, str]] = []  # (line, why) of records copied as they were
        self.bad_count = 0
        self.before: collections.Counter[str] = collections.Counter()
        self.after: collections.Counter[str] = collections.Counter()
        self.bytes_in = self.bytes_out = 0

    def values(self, texts: Sequence[str]) -> list[str]:
        """Convert a block's values in one call (see `translit.convert_batch`)."""
        from ..converter.batch import convert_batch

        out: list[Any] = convert_batch(list(texts), self.transliterator)
        self.leftovers.update(self.transliterator.leftovers("\n".join(texts)))
        return out

    def record(self, row: int, changes: Sequence[Change]) -> None:
        """One record done: its converted values as (field, before, after)."""
        self.records += 1
        differ = [change for change in changes if change[1] != change[2]]
        if differ:
            self.changed = True
            self.changed_records += 1
            if len(self.changed_rows) < SHOWN_ROWS:
                self.changed_rows.append(row)
            if self.on_change is not None:
                for field, before, after in differ:
                    self.on_change(row, field, before, after)
        if self.options.stats:
            self.before[detect_script(" ".join(c[1] for c in changes)).script] += 1
            self.after[detect_script(" ".join(c[2] for c in changes)).script] += 1

    @property
    def wants_each(self) -> bool:
        """Each changed value is wanted (--diff), or each record's script (--stats): else
        `count` takes a block's records at once."""
        return self.on_change is not None or self.options.stats

    def count(self, records: int, changed_rows: Sequence[int]) -> None:
        """A block of `records` done, of which the rows `changed_rows` changed."""
        self.records += records
        if changed_rows:
            self.changed = True
            self.changed_records += len(changed_rows)
            room = SHOWN_ROWS - len(self.changed_rows)
            self.changed_rows += changed_rows[:max(0, room)]

    def bad_record(self, line: int, why: str) -> None:
        """A record that cannot be read: an error naming it, or with --skip-bad-records
        counted, to be copied as it was."""
        if not self.options.skip_bad_records:
            raise FormatError(f"line {line}: {why} (--skip-bad-records copies such a record "
                              "as it is)")
        self.bad_count += 1
        if len(self.bad) < SHOWN_ROWS:
            self.bad.append((line, why))

    def notes(self, checking: bool = False) -> tuple[str, ...]:
        """What to tell besides the result: bad records, the scripts, the rows that would
        change (`checking`)."""
        notes = []
        if checking and self.changed_records:
            more = " ..." if self.changed_records > len(self.changed_rows) else ""
            notes.append(f"{self.changed_records} of {self.records} record(s) would change "
                         f"(row {', '.join(map(str, self.changed_rows))}{more})")
        if self.bad_count:
            more = " ..." if self.bad_count > len(self.bad) else ""
            shown = "; ".join(f"line {line}: {why}" for line, why in self.bad)
            notes.append(f"{self.bad_count} bad record(s) copied as they were ({shown}{more})")
        if self.options.stats:
            def counts(counter: collections.Counter[str]) -> str:
                return ", ".join(f"{script} {counter[script]}" for script in SCRIPTS)

            notes.append(f"{self.records} record(s) by script: before {counts(self.before)}; "
                         f"after {counts(self.after)}")
        return tuple(notes)

    @property
    def surrogates(self) -> str:
        """How text decoded with --errors surrogateescape is written back."""
        return "surrogateescape" if self.errors == "surrogateescape" else "surrogatepass"

    def lines(self, source: Any, lone_cr: bool = False) -> Any:
        """Blocks of whole lines read from `source` (`read_lines`). They are split at the byte
        b"\\n": a file in an encoding whose line break is not that byte alone (UTF-16,
        UTF-32) is refused, as split there it would read as nonsense."""
        if not ascii_compatible(self.encoding):
            raise FormatError(f"{self.format_name or 'a record format'} is read a line at a "
                              f"time, which needs an encoding in which a line break is one "
                              f"byte, not {self.encoding} (iconv -f {self.encoding} -t utf-8 "
                              f"converts it first)")
        return read_lines(source, lone_cr=lone_cr)

    def decode(self, line: bytes, number: int) -> str | None:
        """A line of a text format as text; None (a bad record) if it cannot be decoded."""
        try:
            return line.decode(self.encoding, self.errors)
        except UnicodeDecodeError as error:
            self.bad_record(number, f"cannot be decoded as {self.encoding} ({error.reason})")
            return None


_LINE_OR_CR = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def read_lines(source: Any, block_bytes: int = BLOCK_BYTES, lone_cr: bool = False) -> Any:
    """Blocks of whole lines (bytes, each with its line break) read from `source`; a line
    ends at LF (CRLF), and with `lone_cr` at a CR alone too (as the csv module reads)."""
    carry = b""
    while True:
        data = source.read(block_bytes)
        if not data:
            if carry:
                yield list(_lines(carry, lone_cr))  # the last line may have no break
            return
        data = carry + data
        end = data.rfind(b"\n") + 1
        carry = data[end:]
        if end:
            yield list(_lines(data[:end], lone_cr))


def _lines(data: bytes, lone_cr: bool = False) -> Any:
    """`data` split after each LF (a CR stays in its line: CRLF files keep it), and with
    `lone_cr` after a CR not followed by LF."""
    if lone_cr and b"\r" in data:
        yield from (match.group() for match in _LINE_OR_CR.finditer(data))
        return
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end + 1
        yield data[start:end]
        start = end


def line_break(line: str) -> int:
    """Where a line's break starts (its length if it has none)."""
    if line.endswith("\r\n"):
        return len(line) - 2
    if line.endswith(("\n", "\r")):
        return len(line) - 1
    return len(line)


class RecordConverter:
    """A record format as the registry's one kind of converter (bytes in as they come,
    UTF-8 bytes out, ``stats``), for what converts a whole content at once
    (`translit.formats.convert`): the input is held until the end. The files layer streams
    a file through `RecordJob` instead (files.convert_records)."""

    def __init__(self, found: Any, transliterator: Transliterator, *, encoding: str = "utf-8",
                 errors: str = "strict", options: RecordOptions = RecordOptions()) -> None:
        self.found = found
        self.job = RecordJob(transliterator, options, format_name=found.name,
                             encoding=encoding, errors=errors)
        self._held = bytearray()
        self.stats = StreamStats()

    def feed(self, data: bytes, final: bool = False) -> bytes:
        import io

        self._held += data
        if not final:
            return b""
        sink = io.BytesIO()
        self.found.load().convert(io.BytesIO(bytes(self._held)), sink, self.job)
        self._held = bytearray()
        self.stats = StreamStats(bytes_in=self.job.bytes_in, bytes_out=self.job.bytes_out,
                                 changed=self.job.changed, leftovers=self.job.leftovers)
        self.stats.notes += self.job.notes()
        return sink.getvalue()

    def finish(self) -> bytes:
        return self.feed(b"", final=True)
