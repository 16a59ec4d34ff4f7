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
from collections.abc import Iterable, Iterator
from pathlib import Path

from .stream import BLOCK_SIZE, ByteSink, ByteSource, StreamConverter


@dataclasses.dataclass(frozen=True)
class LinePair:
    number: int  # 1-based
    before: bytes  # the input line, with its line break
    after: bytes  # the converted line, with its line break

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclasses.dataclass
class Hunk:
    lines: list[LinePair]

    @property
    def start(self) -> int:
        return self.lines[0].number


def require_ascii_compatible(encoding: str) -> None:
    """Line pairs split raw bytes at b"\\n", which needs an ASCII-compatible encoding."""
    if "\n".encode(encoding) != b"\n" or "a".encode(encoding) != b"a":
        raise ValueError(f"--diff needs an ASCII-compatible encoding, not {encoding}")


def _split_lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    last = lines.pop()
    lines = [line + b"\n" for line in lines]
    if last:
        lines.append(last)
    return lines


def line_pairs(
    source: ByteSource, converter: StreamConverter, block_size: int = BLOCK_SIZE
) -> Iterator[LinePair]:
    """(input line, converted line) pairs; a line longer than a block is read whole."""
    require_ascii_compatible(converter.encoding)
    number, carry = 0, b""
    while True:
        block = source.read(block_size)
        data = carry + block
        end = len(data) if not block else data.rfind(b"\n") + 1
        carry = data[end:]
        if end:
            converted = converter.feed(data[:end], final=not block)
            for before, after in zip(_split_lines(data[:end]), _split_lines(converted)):
                number += 1
                yield LinePair(number, before, after)
        if not block:
            return


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


def write_unified_diff(sink: ByteSink, name: Path | str, file_hunks: Iterable[Hunk]) -> bool:
    """Write a plain unified diff, byte for byte; return whether there was any change."""
    label = os.fsencode(str(name))
    any_change = False
    for hunk in file_hunks:
        if not any_change:
            sink.write(b"--- " + label + b"\t(original)\n+++ " + label + b"\t(converted)\n")
            any_change = True
        size = len(hunk.lines)
        sink.write(b"@@ -%d,%d +%d,%d @@\n" % (hunk.start, size, hunk.start, size))
        for changed, group in itertools.groupby(hunk.lines, key=lambda pair: pair.changed):
            run = list(group)
            if not changed:
                for pair in run:
                    _diff_line(sink, b" ", pair.before)
                continue
            for pair in run:
                _diff_line(sink, b"-", pair.before)
            for pair in run:
                _diff_line(sink, b"+", pair.after)
    return any_change


def _diff_line(sink: ByteSink, mark: bytes, line: bytes) -> None:
    sink.write(mark + line)
    if not line.endswith(b"\n"):
        sink.write(b"\n\\ No newline at end of file\n")

