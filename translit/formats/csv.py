"""CSV and TSV (``.csv``, ``.tsv``): the cells of the columns named (``--column text``), or
of every column; the dialect as it was.

The first record is the header: it names the columns and is never converted. The
delimiter is the tab for ``.tsv``; for ``.csv`` the one of ``, ; | TAB`` the header has most
of (outside quotes). Quoting is RFC 4180's (a quoted cell may hold the delimiter, line
breaks and doubled quotes), as Python's ``csv`` module writes and reads it (a record ends
at LF, CRLF or a CR alone). Only the content of a
converted cell changes: its quotes stay (a bare cell that came to need them, because its
conversion holds the delimiter or a quote, gets them), and so do every other byte, the
line breaks (LF, CRLF, mixed) and the last line's missing break. A record with a quote that
is never closed, or text after a closing quote, is an error naming its line (or, with
``--skip-bad-records``, counted and copied as it was). Records are read and converted a
block at a time.

>>> import io
>>> from translit.converter.transliterator import get_transliterator
>>> from translit.formats.corpus import RecordJob
>>> from translit.base.options import RecordOptions
>>> data = 'id,матн,изоҳ\\r\\n1,"Салом, дунё",Хайр\\r\\n'.encode()
>>> sink = io.BytesIO()
>>> convert(io.BytesIO(data), sink, RecordJob(get_transliterator(), format_name="csv"))
>>> sink.getvalue().decode()
'id,матн,изоҳ\\r\\n1,"Salom, dunyo",Xayr\\r\\n'
>>> job = RecordJob(get_transliterator(), RecordOptions(columns=("изоҳ",)), format_name="csv")
>>> sink = io.BytesIO()
>>> convert(io.BytesIO(data), sink, job)
>>> sink.getvalue().decode()
'id,матн,изоҳ\\r\\n1,"Салом, дунё",Xayr\\r\\n'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from .errors import FormatError
from .corpus import BLOCK_BYTES, RecordJob, line_break

DELIMITERS = ",;|\t"
MAX_RECORD_CHARS = 1 << 24  # a quote left open this long is an error, not a record


class _Unclosed(Exception):
    """A quoted cell goes on past the text read so far."""


class _Cell(NamedTuple):
    start: int
    end: int
    quoted: bool


def cells(text: str, delimiter: str) -> list[_Cell]:
    '''The cells of one record (`text` without its final line break).

    >>> [(c.start, c.end, c.quoted) for c in cells('a,"b,""c""",', ",")]
    [(0, 1, False), (2, 11, True), (12, 12, False)]
    '''
    found: list[_Cell] = []
    position, size = 0, len(text)
    while True:
        if position < size and text[position] == '"':
            search = position + 1
            while True:
                close = text.find('"', search)
                if close < 0:
                    raise _Unclosed
                if text.startswith('"', close + 1):
                    search = close + 2
                    continue
                break
            end = close + 1
            if end < size and text[end] != delimiter:
                raise ValueError(f"text after a closing quote (column {end + 1})")
            found.append(_Cell(position, end, True))
        else:
            next_delimiter = text.find(delimiter, position)
            end = size if next_delimiter < 0 else next_delimiter
            found.append(_Cell(position, end, False))
        if end >= size:
            return found
        position = end + 1


def value_of(text: str, cell: _Cell) -> str:
    raw = text[cell.start:cell.end]
    return raw[1:-1].replace('""', '"') if cell.quoted else raw


def written(value: str, quoted: bool, delimiter: str) -> str:
    """A converted cell as it is written: quoted as it was, or when it must be."""
    if quoted or any(c in value for c in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def choose_delimiter(header: str, format_name: str) -> str:
    """The tab for TSV; for CSV the delimiter the header has most of, outside quotes.

    >>> choose_delimiter('a;"b,c";d', "csv"), choose_delimiter("a,b", "tsv")
    (';', '\\t')
    """
    if format_name == "tsv":
        return "\t"
    outside = "".join(header.split('"')[::2])
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Converter:
    """One file's records, read, converted a block at a time and written back."""

    def __init__(self, job: RecordJob, sink: Any) -> None:
        self.job, self.sink = job, sink
        self.delimiter = "\t" if job.format_name == "tsv" else ","
        self.header: list[str] | None = None
        self.chosen: set[int] | None = None  # the columns to convert (None: all)
        self.pending: list[tuple[bytes, str | None, list[_Cell]]] = []
        self.pending_bytes = 0
        self.row = 0

    def records(self, source: Any) -> Iterator[tuple[int, bytes, str | None]]:
        """(line where it starts, raw bytes, text or None if it cannot be decoded) of each
        record; a quoted cell may carry a record over several lines. Each line is read
        once: a record's next line is read from inside its open quoted cell, not the record
        again from its start (a cell of 400,000 lines took hours)."""
        number = start = 0
        held: list[bytes] = []
        held_chars = 0
        for block in self.job.lines(source, lone_cr=True):
            for raw in block:
                number += 1
                if not held:
                    start = number
                    if b'"' not in raw:  # most records: one line, no quote
                        yield start, raw, self.job.decode(raw, start)
                        continue
                held.append(raw)
                try:
                    text = raw.decode(self.job.encoding, self.job.errors)
                except UnicodeDecodeError:
                    text = None
                held_chars += len(text or "")
                if text is not None and held_chars < MAX_RECORD_CHARS and self._open(
                        text, inside=len(held) > 1):
                    continue  # a quoted cell goes on on the next line
                joined = b"".join(held)
                held, held_chars = [], 0
                yield start, joined, self.job.decode(joined, start)
        if held:
            joined = b"".join(held)
            yield start, joined, self.job.decode(joined, start)

    def _open(self, line: str, inside: bool) -> bool:
        """Whether a quoted cell is open at the end of `line` (a record's first line, or,
        `inside`, a line that starts inside a quoted cell): the record goes on."""
        body = line[:line_break(line)]
        if inside:  # to the cell's closing quote (a doubled one is a quote in it)
            close = 0
            while True:
                close = body.find('"', close)
                if close < 0:
                    return True
                if not body.startswith('"', close + 1):
                    break
                close += 2
            if close + 1 == len(body) or body[close + 1] != self.delimiter:
                return False  # the record ends here (or has text after a quote: an error)
            body = body[close + 2:]  # the cells after it
        try:
            cells(body, self.delimiter)
        except _Unclosed:
            return True
        except ValueError:
            return False
        return False

    def take(self, line: int, raw: bytes, text: str | None) -> None:
        found: list[_Cell] = []
        if text is not None:
            body = text[:line_break(text)]
            if self.header is None:
                self.delimiter = choose_delimiter(body, self.job.format_name)
            try:
                found = cells(body, self.delimiter)
            except _Unclosed:
                self.job.bad_record(line, "a quote is never closed")
                text = None
            except ValueError as error:
                self.job.bad_record(line, str(error))
                text = None
        if self.header is None and text is not None:  # the header: names, not converted
            self.header = [value_of(text, cell) for cell in found]
            if self.header:  # a byte order mark is not part of the first column's name
                self.header[0] = self.header[0].removeprefix("\ufeff")
            self.chosen = _columns(self.header, self.job)
            self._write([self._as_is(raw, text)], len(raw))
            return
        self.pending.append((raw, text, found))
        self.pending_bytes += len(raw)
        if self.pending_bytes >= BLOCK_BYTES:
            self.flush()

    def _as_is(self, raw: bytes, text: str) -> bytes:
        return raw if self.job.encoding == "utf-8" else text.encode("utf-8", self.job.surrogates)

    def _write(self, out: list[bytes], read: int) -> None:
        data = b"".join(out)
        self.job.bytes_in += read
        self.job.bytes_out += len(data)
        if self.sink is not None:
            self.sink.write(data)

    def _names(self, index: int) -> str:
        header = self.header or []
        return header[index] if index < len(header) else f"column {index + 1}"

    def flush(self) -> None:
        chosen = self.chosen
        texts = [value_of(text, cell) for _, text, found in self.pending if text is not None
                 for index, cell in enumerate(found) if chosen is None or index in chosen]
        converted = iter(self.job.values(texts))
        out: list[bytes] = []
        for raw, text, found in self.pending:
            if text is None:  # a bad record: as it was
                out.append(raw)
                continue
            self.row += 1
            changes: list[tuple[str, str, str]] = []
            parts: list[str] = []
            done = 0
            for index, cell in enumerate(found):
                if chosen is not None and index not in chosen:
                    continue
                before, after = value_of(text, cell), next(converted)
                changes.append((self._names(index), before, after))
                if after != before:
                    parts += (text[done:cell.start], written(after, cell.quoted, self.delimiter))
                    done = cell.end
            self.job.record(self.row, changes)
            if not parts:
                out.append(self._as_is(raw, text))
                continue
            parts.append(text[done:])
            out.append("".join(parts).encode("utf-8", self.job.surrogates))
        self._write(out, self.pending_bytes)
        self.pending, self.pending_bytes = [], 0


def convert(source: Any, sink: Any, job: RecordJob) -> None:
    """Convert the CSV or TSV read from `source` into `sink` (None: only count)."""
    converter = _Converter(job, sink)
    for line, raw, text in converter.records(source):
        converter.take(line, raw, text)
    converter.flush()


def _columns(header: list[str], job: RecordJob) -> set[int] | None:
    """The indices of the columns named by --column (None: every column)."""
    names = job.options.columns
    if not names:
        return None
    missing = [name for name in names if name not in header]
    if missing:
        raise FormatError(f"no column {missing[0]!r} in the header (columns: "
                          f"{', '.join(header)})")
    return {index for index, name in enumerate(header) if name in names}
