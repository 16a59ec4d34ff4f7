"""What a conversion would change, line by line, in constant memory.

Conversion is line-local and keeps every line break, so line N of the output is the
conversion of line N of the input: a diff needs no alignment search, only the pairs.

>>> import io
>>> pairs = list(line_pairs(io.BytesIO("а\\nb\\nв".encode()), StreamConverter()))
>>> [(p.number, p.before, p.after, p.changed) for p in pairs]
[(1, b'\\xd0\\xb0\\n', b'a\\n', True), (2, b'b\\n', b'b\\n', False), (3, b'\\xd0\\xb2', b'v', True)]
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same classes, made faster (see records.py)
    from ..base.records import NamedTuple
from ..base.limits import MAX_DIFF_LINE_BYTES, LimitExceeded
from ..stream import (BLOCK_SIZE, ByteConverter, ByteSink, ByteSource, StreamConverter,
                      ascii_compatible, read_blocks)


SPOOL_BYTES = 8 << 20  # a longer hunk of a unified diff waits in a temporary file


class LinePair(NamedTuple):
    """A line of the input and its conversion (a record: made for every line of a preview,
    in the parent and again in the worker that draws it, where a frozen dataclass's
    `__init__`, a setattr a field, was a sixteenth of a large preview's time; issue 23)."""

    number: int  # 1-based
    before: bytes  # the input line, with its line break
    after: bytes  # the converted line, with its line break
    # A line longer than the display limit is kept only in part: how many bytes are left
    # out of each side, and whether the whole line changed.
    omitted_before: int = 0
    omitted_after: int = 0
    whole_changed: bool | None = None

    @property
    def changed(self) -> bool:
        if self.whole_changed is not None:
            return self.whole_changed
        return self.before != self.after

    def __reduce__(self) -> tuple[type[LinePair], tuple[Any, ...]]:
        """Pickled as its fields, only the first three of a line shown whole: the preview
        sends every line to a worker, and a dataclass's pickle (its __dict__, a name for
        each field) was a fifth of the bytes and more of the time to load (issue 23)."""
        if self.omitted_before or self.omitted_after or self.whole_changed is not None:
            return LinePair, (self.number, self.before, self.after, self.omitted_before,
                              self.omitted_after, self.whole_changed)
        return LinePair, (self.number, self.before, self.after)


class _LongLine:
    """A line read in pieces: its first bytes kept for display, the rest only counted."""

    def __init__(self, keep: int) -> None:
        import hashlib

        self.keep = keep
        self.before = bytearray()
        self.after = bytearray()
        self.sizes = [0, 0]
        self.hashes = [hashlib.blake2b(digest_size=16), hashlib.blake2b(digest_size=16)]

    def add(self, before: bytes, after: bytes) -> None:
        for index, (shown, data) in enumerate(((self.before, before), (self.after, after))):
            if len(shown) < self.keep:
                shown += data[: self.keep - len(shown)]
            self.sizes[index] += len(data)
            self.hashes[index].update(data)

    def pair(self, number: int) -> LinePair:
        changed = self.hashes[0].digest() != self.hashes[1].digest()
        return LinePair(number, bytes(self.before), bytes(self.after),
                        self.sizes[0] - len(self.before), self.sizes[1] - len(self.after),
                        changed)


@dataclasses.dataclass
class Hunk:
    lines: list[LinePair]

    @property
    def start(self) -> int:
        return self.lines[0].number


def require_ascii_compatible(encoding: str) -> None:
    """Line pairs split raw bytes at b"\\n", which needs an ASCII-compatible encoding."""
    if not ascii_compatible(encoding):
        raise ValueError(f"--diff needs an ASCII-compatible encoding, not {encoding}")


def _split_lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    last = lines.pop()
    lines = [line + b"\n" for line in lines]
    if last:
        lines.append(last)
    return lines


def line_pairs(
    source: ByteSource, converter: StreamConverter, block_size: int = BLOCK_SIZE,
    max_line_bytes: int | None = None,
) -> Iterator[LinePair]:
    """(input line, converted line) pairs, from the one conversion that would be written.

    Without `max_line_bytes` a line longer than a block is read whole (a unified diff needs
    it); with it, a longer line is converted as it comes and only its first bytes are kept.
    """
    require_ascii_compatible(converter.encoding)
    number = 0
    held = _Held()  # the start of the line not yet ended
    long: _LongLine | None = None
    blocks = read_blocks(source, block_size)  # a pipe: what has come, not a full block
    while True:
        block = next(blocks, b"")
        final = not block
        if long is None and not final and b"\n" not in block:
            held.add(block)
            if not max_line_bytes:
                _refuse_a_longer_line(held, number + 1)
                continue  # the line goes on
            if held.size <= max_line_bytes:
                continue
            block = b""  # (held: the line is long, and goes on as one)
        data = held.take(block)
        if long is None and max_line_bytes and b"\n" not in data and len(data) > max_line_bytes:
            long = _LongLine(max_line_bytes)
        if long is not None:
            newline = data.find(b"\n")
            if newline < 0 and not final:
                long.add(data, converter.feed(data))
                continue
            upto = len(data) if newline < 0 else newline + 1
            rest_is_empty = final and upto == len(data)
            long.add(data[:upto], converter.feed(data[:upto], final=rest_is_empty))
            number += 1
            yield long.pair(number)
            long, data = None, data[upto:]
            if rest_is_empty:
                return
        end = len(data) if final else data.rfind(b"\n") + 1
        held.add(data[end:])
        if end:
            converted = converter.feed(data[:end], final=final)
            # A last line without a line break may convert to nothing (a lone ь): pair it
            # with an empty line.
            for before, after in itertools.zip_longest(
                    _split_lines(data[:end]), _split_lines(converted), fillvalue=b""):
                number += 1
                yield LinePair(number, before, after)
        elif final and data == b"":
            converter.feed(b"", final=True)
        if final:
            return


class _Held:
    """The start of a line that has not ended, gathered in one growing buffer: joining each
    block to it as it came (carry + block) copied the line again each time, so that a line
    of 100 MB took 21 s to --diff, and one of 200 MB 64 s."""

    def __init__(self) -> None:
        self.data = bytearray()

    @property
    def size(self) -> int:
        return len(self.data)

    def add(self, piece: bytes) -> None:
        self.data += piece

    def take(self, piece: bytes = b"") -> bytes:
        """All that is held, with `piece` after it; nothing is held after."""
        if not self.data:
            return piece
        self.data += piece
        joined = bytes(self.data)
        self.data = bytearray()
        return joined


def _refuse_a_longer_line(held: _Held, number: int) -> None:
    """A line is held whole for the diff, up to MAX_DIFF_LINE_BYTES (an endless one, from
    /dev/zero, grew until memory ran out)."""
    if held.size > MAX_DIFF_LINE_BYTES:
        raise LimitExceeded(f"line {number}: more than {MAX_DIFF_LINE_BYTES:,} bytes, the most "
                          "--diff holds of a line (translit's limit)")


def format_line_pairs(source: ByteSource, converter: ByteConverter,
                      block_size: int = BLOCK_SIZE) -> Iterator[LinePair]:
    """`line_pairs` for a document format's converter, whose output may lag behind its
    input (it holds a token, a paragraph, or the whole file): input and output lines are
    paired as both come, line N with line N (a format keeps every line break)."""
    waiting: collections.deque[bytes] = collections.deque()  # input lines not yet paired
    held, out_held = _Held(), _Held()  # the start of the line not yet ended, in and out
    number = 0
    blocks = read_blocks(source, block_size)
    while True:
        block = next(blocks, b"")
        final = not block
        if not final and b"\n" not in block:
            held.add(block)  # the line goes on (a format converts whole lines)
            _refuse_a_longer_line(held, number + len(waiting) + 1)
            continue
        data = held.take(block)
        end = len(data) if final else data.rfind(b"\n") + 1
        held.add(data[end:])
        waiting.extend(_split_lines(data[:end]))
        converted = converter.feed(data[:end], final=final)
        if not final and b"\n" not in converted:
            out_held.add(converted)  # (a format may hold its output: a paragraph, a file)
            _refuse_a_longer_line(out_held, number + 1)
            continue
        out = out_held.take(converted)
        out_end = len(out) if final else out.rfind(b"\n") + 1
        out_held.add(out[out_end:])
        outs = _split_lines(out[:out_end])
        if final:
            for before, after in itertools.zip_longest(waiting, outs, fillvalue=b""):
                number += 1
                yield LinePair(number, before, after)
            return
        for after in outs:
            number += 1
            yield LinePair(number, waiting.popleft() if waiting else b"", after)


def paragraph_pairs(paragraphs: Iterable[tuple[str, str]]) -> Iterator[LinePair]:
    """A document's paragraphs (before, after) as line pairs, numbered from 1."""
    for number, (before, after) in enumerate(paragraphs, 1):
        yield LinePair(number, before.replace("\n", " ").encode("utf-8", "surrogatepass") + b"\n",
                       after.replace("\n", " ").encode("utf-8", "surrogatepass") + b"\n")


def hunks(pairs: Iterable[LinePair], context: int = 3) -> Iterator[Hunk]:
    """Group changed lines with `context` unchanged lines around them, as diff -u does."""
    leading: collections.deque[LinePair] = collections.deque(maxlen=context)
    current: list[LinePair] | None = None
    unchanged_run = 0
    for pair in pairs:
        if pair.changed:
            if current is None:
                current = list(leading)
            current.append(pair)
            unchanged_run = 0
        elif current is not None:
            current.append(pair)
            unchanged_run += 1
            if unchanged_run > 2 * context:
                yield Hunk(current[: len(current) - unchanged_run + context])
                leading.extend(current[len(current) - context :] if context else [])
                current, unchanged_run = None, 0
        else:
            leading.append(pair)
    if current is not None:
        yield Hunk(current[: len(current) - unchanged_run + min(unchanged_run, context)])


@dataclasses.dataclass(frozen=True)
class HunkStart:
    """In `hunk_stream`: a new hunk begins at line `number`."""

    number: int


def hunk_stream(pairs: Iterable[LinePair], context: int = 3) -> Iterator[HunkStart | LinePair]:
    """The lines of `hunks`, each passed on as soon as it is known to be shown.

    The same lines and the same grouping as `hunks` (as diff -u: changes closer than twice
    the context share a hunk), but nothing waits for the end of a hunk, so a preview of a
    file whose every line changes starts at once and holds no more than the context.
    """
    leading: collections.deque[LinePair] = collections.deque(maxlen=context)
    held: list[LinePair] = []  # unchanged lines after the trailing context
    trailing = 0  # unchanged lines shown since the last change
    open_hunk = False
    for pair in pairs:
        if pair.changed:
            if not open_hunk:
                first = leading[0].number if leading else pair.number
                yield HunkStart(first)
                yield from leading
                open_hunk = True
            else:
                yield from held
            held, trailing = [], 0
            leading.clear()
            yield pair
        elif open_hunk:
            if trailing < context:
                trailing += 1
                yield pair
            else:
                held.append(pair)
                if len(held) > context:  # the gap is too wide: the hunk is over
                    open_hunk = False
                    leading.extend(held[-context:] if context else [])
                    held = []
        else:
            leading.append(pair)


# What git quotes in a name of a diff's header (as with core.quotePath off: letters of any
# script stay), each byte C's way: the control characters (also C1's, U+0080-U+009F, as
# their two bytes of UTF-8: to a terminal, U+009B is CSI), the double quote and the
# backslash. A line break would split the header; an escape sequence would drive the
# terminal the diff is read on. GNU patch reads the name back.
_UNSAFE_IN_NAMES = re.compile(rb'[\x00-\x1f\x7f"\\]|\xc2[\x80-\x9f]')
_C_ESCAPES = {7: b"\\a", 8: b"\\b", 9: b"\\t", 10: b"\\n", 11: b"\\v", 12: b"\\f", 13: b"\\r",
              34: b'\\"', 92: b"\\\\"}


def header_name(name: bytes) -> bytes:
    r"""`name` as a unified diff's header writes it: as it is, or quoted as git quotes it.

    >>> header_name("шаҳар.txt".encode()).decode(), header_name(b"new\nline.txt")
    ('шаҳар.txt', b'"new\\nline.txt"')
    >>> header_name(b"\x1b[31m.txt"), header_name("\u009b.txt".encode())
    (b'"\\033[31m.txt"', b'"\\302\\233.txt"')
    """
    if not _UNSAFE_IN_NAMES.search(name):
        return name
    return b'"' + _UNSAFE_IN_NAMES.sub(lambda found: b"".join(
        _C_ESCAPES.get(byte, b"\\%03o" % byte) for byte in found.group()), name) + b'"'


def write_unified_diff(sink: ByteSink, name: Path | str,
                       events: Iterable[HunkStart | LinePair]) -> bool:
    """Write a plain unified diff of `hunk_stream` events, byte for byte; return whether
    there was any change. A hunk's header counts its lines, so each hunk is held until it
    ends: in memory while small, in a temporary file beyond SPOOL_BYTES."""
    import shutil
    import tempfile

    label = header_name(os.fsencode(str(name)))
    body = tempfile.SpooledTemporaryFile(SPOOL_BYTES)
    added = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # "+" lines wait for the "-" ones
    start, size, vanished = 0, 0, 0  # vanished: a last line that converts to nothing

    def move(source: Any, target: Any) -> None:
        source.seek(0)
        shutil.copyfileobj(source, target)
        source.seek(0)
        source.truncate()

    def end_hunk() -> None:
        move(added, body)
        sink.write(b"@@ -%d,%d +%d,%d @@\n" % (start, size, start, size - vanished))
        move(body, sink)

    with body, added:
        for event in events:
            if isinstance(event, HunkStart):
                if start:
                    end_hunk()
                else:
                    sink.write(b"--- " + label + b"\t(original)\n+++ " + label +
                               b"\t(converted)\n")
                start, size, vanished = event.number, 0, 0
                continue
            size += 1
            if event.changed:
                _diff_line(body, b"-", event.before)
                if event.after:
                    _diff_line(added, b"+", event.after)
                else:
                    vanished += 1
            else:
                move(added, body)
                _diff_line(body, b" ", event.before)
        if start:
            end_hunk()
    return bool(start)


def _diff_line(sink: Any, mark: bytes, line: bytes) -> None:
    sink.write(mark + line)
    if not line.endswith(b"\n"):
        sink.write(b"\n\\ No newline at end of file\n")

