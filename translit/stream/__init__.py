"""Streaming conversion in bounded memory, exact wherever a read happens to stop.

Every letter rule looks at most at its own word, and a word never spans a non-word
character, so text can be converted up to the start of its last, possibly unfinished word;
only that word is held back for the next read (and, with the opt-in repairs that look
further, what they may still change: see `Orthography.safe_cut`). A "word" longer than
`MAX_HELD_CHARS` is cut anyway, so that memory stays bounded; no real text has one.

>>> import io
>>> source, sink = io.BytesIO("Ўзбекистон\\r\\nшаҳар".encode()), io.BytesIO()
>>> convert_stream(source, sink, block_size=3).bytes_out
20
>>> sink.getvalue().decode()
'Oʻzbekiston\\r\\nshahar'
"""

from __future__ import annotations

import codecs
import collections
import os
import stat
from collections.abc import Callable, Iterable, Iterator

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any, Protocol
else:  # protocols for type checkers; at run time classes that document them
    Protocol = object

from ..converter.transliterator import Transliterator, get_transliterator


def ascii_compatible(encoding: str) -> bool:
    """Whether `encoding` writes ASCII as ASCII, a line break as the byte b"\\n" (UTF-8,
    cp1251 ...; not UTF-16 or UTF-32): what splits bytes at lines, or reads a declaration
    such as <?xml, needs. An encoding Python does not know is not.

    >>> ascii_compatible("cp1251"), ascii_compatible("utf-16"), ascii_compatible("nosuch")
    (True, False, False)
    """
    try:
        return "\n<?xml a".encode(encoding) == b"\n<?xml a"
    except (LookupError, UnicodeError):
        return False


class ByteSource(Protocol):
    """What the converter reads: a binary file, a pipe, BytesIO ..."""

    def read(self, size: int = -1, /) -> bytes: ...


class ByteSink(Protocol):
    """What the converter writes to."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...


BLOCK_SIZE = 1 << 18  # bytes read at a time; larger blocks fall out of the CPU caches
MAX_HELD_LINE = 1 << 16  # the one pass holds back an unfinished line up to this many bytes
MIN_WINDOW, MAX_WINDOW = 1 << 8, 1 << 20  # of lines given to the pass at a time
# The lead bytes of the Cyrillic blocks in UTF-8: output without them has no letter left
# Cyrillic (most output), so the exact count from the input is needed only with them.
_CYRILLIC_LEADS = (b"\xd0", b"\xd1", b"\xd2", b"\xd3", b"\xd4")


class InputDecodeError(ValueError):
    """Input that cannot be decoded; says where, counted from the start of the input."""

    def __init__(self, encoding: str, offset: int, line: int, bad: bytes, reason: str) -> None:
        self.encoding, self.offset, self.line, self.bad, self.reason = (
            encoding, offset, line, bad, reason,
        )
        shown = " ".join(f"0x{byte:02x}" for byte in bad[:4])
        super().__init__(
            f"line {line}, byte offset {offset}: cannot decode {shown} as {encoding} ({reason})"
        )


class StreamStats:
    """The figures of one conversion, added up as its parts are converted."""

    __slots__ = ("bytes_in", "bytes_out", "changed", "left_at", "leftovers", "notes")

    def __init__(self, bytes_in: int = 0, bytes_out: int = 0, changed: bool = False,
                 leftovers: collections.Counter[str] | None = None) -> None:
        self.bytes_in = bytes_in
        self.bytes_out = bytes_out
        self.changed = changed  # the output differs from the input (with track_changes)
        # Cyrillic letters left as they were (Kazakh ә, Ukrainian ї ...: not in the tables).
        self.leftovers: collections.Counter[str] = (collections.Counter() if leftovers is None
                                                    else leftovers)
        self.notes: list[str] = []  # anything worth telling (a document's misleading name)
        # Where the first Cyrillic left in a document's readable text is ("" if unknown).
        self.left_at = ""

    def __repr__(self) -> str:
        return (f"StreamStats(bytes_in={self.bytes_in}, bytes_out={self.bytes_out}, "
                f"changed={self.changed}, leftovers={self.leftovers!r})")

    def add(self, other: StreamStats) -> None:
        """Take in the figures of a later part of the same input."""
        self.bytes_in += other.bytes_in
        self.bytes_out += other.bytes_out
        self.changed = self.changed or other.changed
        self.leftovers.update(other.leftovers)
        self.notes += other.notes
        self.left_at = self.left_at or other.left_at


class _LineCounter:
    """Counts line breaks (LF, CRLF or a lone CR) in text that arrives in pieces."""

    def __init__(self) -> None:
        self.lines = 0
        self._after_cr = False

    def add(self, text: str) -> None:
        if not text:
            return
        self.lines += text.count("\n")
        if "\r" in text or self._after_cr:  # most text has no CR: skip two more passes
            self.lines += text.count("\r") - text.count("\r\n")
            if self._after_cr and text[0] == "\n":
                self.lines -= 1
        self._after_cr = text[-1] == "\r"


class LocatedDecoder:
    """Bytes to text as they come; a bad byte is an `InputDecodeError` saying where it is."""

    def __init__(self, encoding: str = "utf-8", errors: str = "strict") -> None:
        self.encoding = codecs.lookup(encoding).name
        self.bytes_in = 0
        self._decoder = codecs.getincrementaldecoder(encoding)(errors)
        self._lines = _LineCounter()

    @property
    def lines(self) -> int:
        """Line breaks decoded so far (LF, CRLF or a lone CR each count once)."""
        return self._lines.lines

    def decode(self, data: bytes, final: bool = False) -> str:
        pending = len(self._decoder.getstate()[0])
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError as err:
            raise self._located(err, pending) from None
        except UnicodeError as err:  # a codec's own complaint, such as a missing BOM
            offset = self.bytes_in - pending
            raise InputDecodeError(self.encoding, offset, self._lines.lines + 1, data[:4],
                                   str(err)) from None
        self.bytes_in += len(data)
        self._lines.add(text)
        return text

    def _located(self, err: UnicodeDecodeError, pending: int) -> InputDecodeError:
        good = err.object[: err.start].decode(self.encoding, "replace")
        self._lines.add(good)
        offset = self.bytes_in - pending + err.start
        bad = err.object[err.start : err.end]
        return InputDecodeError(self.encoding, offset, self._lines.lines + 1, bad, err.reason)


class ByteConverter(Protocol):
    """What turns input bytes into converted UTF-8 bytes as they come: `StreamConverter`
    for plain text, a document format's converter for the others."""

    stats: StreamStats

    def feed(self, data: bytes, final: bool = False) -> bytes: ...

    def finish(self) -> bytes: ...

    @property
    def lines_read(self) -> int: ...


def surrogates_for(errors: str) -> str:
    """How lone surrogates are written back: the bytes of surrogateescape, else as they are."""
    return "surrogateescape" if errors == "surrogateescape" else "surrogatepass"


class StreamConverter:
    """Feed it bytes as they come; it returns the converted UTF-8 bytes that are ready."""

    def __init__(
        self,
        transliterator: Transliterator | None = None,
        *,
        encoding: str = "utf-8",
        errors: str = "strict",
        track_changes: bool = False,
    ) -> None:
        self.transliterator = transliterator or get_transliterator()
        self._decoder = LocatedDecoder(encoding, errors)
        self.encoding = self._decoder.encoding
        self.track_changes = track_changes
        self._surrogates = surrogates_for(errors)
        self._held = ""
        self.stats = StreamStats()
        # UTF-8 goes through the accelerator's one pass where it can (see _feed_lines);
        # `_one_pass` is None while a very long line goes through the str path.
        self._table: Any = self.transliterator.one_pass if self.encoding == "utf-8" else None
        self._one_pass: Any = self._table
        self._window = MAX_WINDOW  # what the pass is given at a time (_convert_lines)
        self._held_bytes = b""

    def feed(self, data: bytes, final: bool = False) -> bytes:
        if self._one_pass is not None:
            return self._feed_lines(data, final)
        if self._table is not None:  # in a long line: the str path up to its end
            end = data.find(b"\n") + 1
            if end and end < len(data):
                out = self._feed_text(data[:end], False)
                if self._held:  # (never, after a line break; but should it be held)
                    return out + self._feed_text(data[end:], final)
                self._one_pass = self._table
                return out + self._feed_lines(data[end:], final)
        return self._feed_text(data, final)

    def _feed_text(self, data: bytes, final: bool) -> bytes:
        text = self._decoder.decode(data, final)
        self.stats.bytes_in += len(data)
        text = self._held + text
        cut = len(text) if final else self.transliterator.safe_cut(text)
        self._held = text[cut:]
        out = self.transliterator.convert_bytes(text[:cut], self._surrogates) if cut else b""
        self.stats.bytes_out += len(out)
        if cut and any(lead in out for lead in _CYRILLIC_LEADS):
            self.stats.leftovers.update(self.transliterator.leftovers(text[:cut]))
        if self.track_changes and not self.stats.changed:
            self.stats.changed = out != self._original_bytes(text[:cut])
        return out

    def _feed_lines(self, data: bytes, final: bool) -> bytes:
        """UTF-8 converted whole lines at a time, straight from their bytes, by the
        accelerator's one pass (`Transliterator.one_pass`); a line it leaves (an e-mail
        address, a word to respell, bytes that are not UTF-8 ...) is decoded and converted
        as `feed` does. No rule looks across a line break, so the result is the same.
        A block is converted where it lies: only a line cut by its edge is copied."""
        self.stats.bytes_in += len(data)
        pieces: list[bytes] = []
        start = 0
        if self._held_bytes:
            first = data.find(b"\n") + 1
            if first:  # the held line ends here: converted on its own
                line, self._held_bytes = self._held_bytes + data[:first], b""
                self._convert_lines(line, 0, len(line), final and first == len(data), pieces)
                start = first
            else:  # it goes on
                data, self._held_bytes = self._held_bytes + data, b""
        last = data.rfind(b"\n", start)
        end = len(data) if final else last + 1 if last >= 0 else start
        tail = b""  # (what the str path converts counts its own bytes out)
        if end == start < len(data) and not final:  # no line ends in the rest: held
            if len(data) - start <= MAX_HELD_LINE:
                self._held_bytes = data[start:]
            else:  # a very long line: the str path, to its end
                self._one_pass = None
                self.stats.bytes_in -= len(data) - start
                tail = self._feed_text(data[start:], final)
        else:
            self._held_bytes = data[end:]
            self._convert_lines(data, start, end, final, pieces)
        out = b"".join(pieces)
        self.stats.bytes_out += len(out)
        return out + tail

    def _convert_lines(self, buffer: bytes, start: int, end: int, final: bool,
                       pieces: list[bytes]) -> None:
        """Convert the whole lines of buffer[start:end] into `pieces` (see _feed_lines).

        The pass is given a window of whole lines (each line is converted alone): it
        looks ahead for the addresses in what it is given, so where most lines go to the
        str path (1995 Latin to 2026, every line with a word to respell) a pass given all
        the rest each time read the rest again for every line: quadratic in the block, 40%
        of that conversion's time. The window doubles while the pass goes through it, and
        after a line it gives back is twice what the pass took."""
        window = self._window
        while start < end:
            limit = end if end - start <= window else (
                buffer.find(b"\n", start + window, end) + 1 or end)
            out, stop, lines = self._one_pass.convert_utf8(buffer, start, limit)
            if stop > start:
                self._decoder.bytes_in += stop - start
                self._decoder._lines.lines += lines  # the pass ends after LF, or at the end
                if self.track_changes and not self.stats.changed:
                    self.stats.changed = len(out) != stop - start or out != buffer[start:stop]
                pieces.append(out)
            if stop == limit:
                window = min(2 * window, MAX_WINDOW)
                if stop == end:
                    break
                start = stop
                continue
            window = max(MIN_WINDOW, 2 * (stop - start))
            start = buffer.find(b"\n", stop, end) + 1 or end
            pieces.append(self._convert_line(buffer[stop:start], final and start == end))
        self._window = window

    def _convert_line(self, line: bytes, final: bool) -> bytes:
        text = self._decoder.decode(line, final)
        out = self.transliterator.convert_bytes(text, self._surrogates)
        if any(lead in out for lead in _CYRILLIC_LEADS):
            self.stats.leftovers.update(self.transliterator.leftovers(text))
        if self.track_changes and not self.stats.changed:
            self.stats.changed = out != self._original_bytes(text)
        return out

    def _original_bytes(self, text: str) -> bytes | None:
        """The input bytes that decoded to `text` (None when they cannot be rebuilt)."""
        try:
            return text.encode(self.encoding, "surrogateescape")
        except UnicodeEncodeError:
            return None

    def finish(self) -> bytes:
        return self.feed(b"", final=True)

    @property
    def lines_read(self) -> int:
        """Line breaks decoded so far (LF, CRLF or a lone CR each count once)."""
        return self._decoder.lines


def is_interactive(stream: object) -> bool:
    """A terminal, pipe or socket: read what is there and pass each line on at once."""
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError):
        return False
    return os.isatty(fd) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def read_blocks(
    source: ByteSource, block_size: int = BLOCK_SIZE, interactive: bool | None = None
) -> Iterator[bytes]:
    """Yield blocks of bytes: what is available now on a pipe, large blocks from a file."""
    if interactive is None:
        interactive = is_interactive(source)
    if interactive:
        fd = source.fileno()  # type: ignore[attr-defined]
        while block := os.read(fd, block_size):
            yield block
        return
    while block := source.read(block_size):
        yield block


def convert_stream(
    source: ByteSource,
    sink: ByteSink | None,
    transliterator: Transliterator | None = None,
    *,
    encoding: str = "utf-8",
    errors: str = "strict",
    block_size: int = BLOCK_SIZE,
    interactive: bool | None = None,
    track_changes: bool = False,
    progress: Callable[[int], None] | None = None,
    converter: ByteConverter | None = None,
) -> StreamStats:
    """Convert a binary stream into a binary stream (UTF-8), in bounded memory.

    Interactive sources (a terminal or a pipe) are passed on line by line, flushed at once.
    With no `sink` nothing is written (to find out whether anything would change).
    `progress` is called with the number of bytes of each block read. `converter` (one of a
    document format's) takes the place of the plain-text `StreamConverter`.
    """
    if interactive is None:
        interactive = is_interactive(source)
    if converter is None:
        converter = StreamConverter(
            transliterator, encoding=encoding, errors=errors, track_changes=track_changes
        )
    for block in read_blocks(source, block_size, interactive):
        out = converter.feed(block)
        if sink is not None and out:
            sink.write(out)
            if interactive:
                sink.flush()
        if progress is not None:
            progress(len(block))
    tail = converter.finish()
    if sink is not None:
        sink.write(tail)
        sink.flush()
    return converter.stats


def convert_chunks(
    chunks: Iterable[str], transliterator: Transliterator | None = None
) -> Iterator[str]:
    """Convert text that arrives in pieces; the result is the same wherever they are cut.

    >>> "".join(convert_chunks(["Тош", "кент ш", "аҳри"]))
    'Toshkent shahri'
    """
    converter = transliterator or get_transliterator()
    held = ""
    for chunk in chunks:
        text = held + chunk
        cut = converter.safe_cut(text)
        held = text[cut:]
        if cut:
            yield converter.convert(text[:cut])
    if held:
        yield converter.convert(held)
