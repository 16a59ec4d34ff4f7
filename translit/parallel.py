"""Worker processes: one large UTF-8 file converted in pieces on every core.

Pieces are cut just after a space or a line break. Those are not word characters, so no
rule looks across the cut, and in UTF-8 they are never part of a longer sequence, so each
piece decodes on its own. At most two pieces per worker are in flight, so memory stays
bounded whatever the file size. Results are written in order.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import signal
from collections.abc import Callable, Iterator
from typing import BinaryIO

from .engine import get_transliterator
from .options import Options
from .stream import InputDecodeError, StreamConverter, StreamStats

PIECE_BYTES = 1 << 20
NO_CUT_LIMIT = 4 << 20  # with no space or line break in this many bytes, cut anyway
EXIT_INTERRUPTED = 130


def worker_signals() -> None:
    """Ctrl-C reaches the whole process group: leave it to the parent, whose SIGTERM
    (Pool.terminate) then unwinds the worker so that temporary files are removed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_signal)


def _exit_on_signal(signum, frame) -> None:
    raise SystemExit(EXIT_INTERRUPTED)


@contextlib.contextmanager
def worker_pool(jobs: int) -> Iterator[multiprocessing.pool.Pool]:
    """A pool of forked workers that is closed on success and terminated on any failure."""
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=worker_signals)
    try:
        yield pool
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _cut(data: bytes) -> int:
    """Where a piece may end: just after its last space or line break."""
    cut = max(data.rfind(b"\n"), data.rfind(b" ")) + 1
    if cut == 0 and len(data) > NO_CUT_LIMIT:
        # Not text as we know it: cut anyway, before the last character's first byte.
        cut = len(data) - 1
        while cut > 0 and 0x80 <= data[cut] < 0xC0:
            cut -= 1
    return cut


def pieces(source: BinaryIO, size: int = PIECE_BYTES) -> Iterator[bytes]:
    carry = b""
    while block := source.read(size):
        data = carry + block
        cut = _cut(data)
        carry = data[cut:]
        if cut:
            yield data[:cut]
    if carry:
        yield carry


def _convert_piece(options: Options, data: bytes, errors: str, track_changes: bool):
    """In a worker: (output, lines read, changed) or the decode error's local position."""
    converter = StreamConverter(get_transliterator(options), errors=errors,
                                track_changes=track_changes)
    try:
        out = converter.feed(data, final=True)
    except InputDecodeError as error:
        return None, (error.offset, error.line, error.bad, error.reason)
    return (out, converter.lines_read, converter.stats.changed), None


def convert_in_parallel(
    source: BinaryIO,
    sink: BinaryIO | None,
    options: Options,
    *,
    jobs: int,
    errors: str = "strict",
    track_changes: bool = False,
    progress: Callable[[int], None] | None = None,
    piece_bytes: int = PIECE_BYTES,
) -> StreamStats:
    """Convert a UTF-8 file with `jobs` worker processes; the result equals one process's."""
    stats = StreamStats()
    lines = 0
    with worker_pool(jobs) as pool:
        in_flight: collections.deque = collections.deque()

        def finish_oldest() -> None:
            nonlocal lines
            offset, result = in_flight.popleft()
            done, error = result.get()
            if error is not None:
                local_offset, local_line, bad, reason = error
                raise InputDecodeError("utf-8", offset + local_offset, lines + local_line,
                                       bad, reason)
            out, piece_lines, changed = done
            lines += piece_lines
            stats.bytes_out += len(out)
            stats.changed = stats.changed or changed
            if sink is not None:
                sink.write(out)

        for piece in pieces(source, piece_bytes):
            task = pool.apply_async(_convert_piece, (options, piece, errors, track_changes))
            in_flight.append((stats.bytes_in, task))
            stats.bytes_in += len(piece)
            if progress is not None:
                progress(len(piece))
            if len(in_flight) >= 2 * jobs:
                finish_oldest()
        while in_flight:
            finish_oldest()
    if sink is not None:
        sink.flush()
    return stats
