"""Worker processes: many files shared out, or one large UTF-8 file converted in pieces.

The workers are forked processes of our own (not multiprocessing.Pool), each with a pipe
to it and one back (`Channel`), so that stopping them is always quick and complete: on
Ctrl-C or SIGTERM each is sent SIGTERM and SIGCONT (a stopped process acts on SIGTERM only
once it runs again; it removes its temporary files and exits), and any still there after
half a second is killed. Every worker is in `LIVE`
from the moment it is forked (signals are held back between the fork and the record, so
none can come in between) until it is reaped, and the command ends by `stop_all`, so no
worker outlives it, whatever state it is in and wherever the interruption came. A worker
whose parent is gone exits quietly.

Pieces of a large file are cut just after a line break (no rule looks across one, and in
UTF-8 a line break is never part of a longer character), or, in a line longer than
`NO_CUT_LIMIT`, where the transliterator says a cut is safe. At most two pieces per worker
are in flight, so memory stays bounded whatever the file size. Results come in order.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any, NoReturn

from ..converter.transliterator import Transliterator, get_transliterator
from .fileio import ChangedUnderneath
from ..base.options import Options
from ..stream import ByteSink, ByteSource, InputDecodeError, StreamConverter, StreamStats

PIECE_BYTES = 1 << 20
NO_CUT_LIMIT = 4 << 20  # with no line break in this many bytes, look for another safe cut
STOP_GRACE = 0.5  # seconds a worker has to clean up after SIGTERM before it is killed


_HELD = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
LIVE: set[int] = set()  # every worker forked by this process and not yet reaped


class WorkerFailed(RuntimeError):
    """A worker process died or raised an unexpected exception."""


_ENDED = "a worker process ended unexpectedly"
_tables_frozen = False  # whether what was built since start-up is frozen (convert_in_parallel)


class _Stop(BaseException):
    pass


def _stop_worker(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise _Stop


def _unraisable_in_worker(info: Any) -> None:
    """A SIGTERM that lands in a finaliser or weakref callback raises _Stop there, where
    Python only prints "Exception ignored" and goes on (and the handler has set SIGTERM
    aside): the worker ends at once instead, as `_worker` ends it. Anything else is
    reported as Python reports it."""
    if not isinstance(info.exc_value, _Stop):
        sys.__unraisablehook__(info)
        return
    _remove_own_temporaries()
    os._exit(143)


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM to this worker when its parent dies (no-op elsewhere)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _serve(connection: Channel, function: Callable[..., Any], parent: int,
           announce: int | None = None) -> int:
    from .fileio import announce_temporaries_to, forget_temporaries

    forget_temporaries()
    announce_temporaries_to(announce)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    sys.unraisablehook = _unraisable_in_worker  # (the parent's hook is for its own signals)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # held since the fork (see Workers)
    _die_with_parent()
    if os.getppid() != parent:
        return 0
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return 0  # the parent is gone
        if task is None:
            return 0
        try:
            reply: tuple[bool, Any] = (True, function(*task))
        except Exception as error:  # reported by the parent, with the file's name
            reply = (False, f"{type(error).__name__}: {error}")
        try:
            connection.send(reply)
        except (OSError, ValueError):
            return 0


def _worker(connection: Channel, others: list[Channel], function: Callable[..., Any],
            parent: int, announce: int | None = None) -> NoReturn:
    """The life of a forked worker. However it ends (even by a signal that arrives while it
    cleans up), it ends here, with os._exit: it never runs its parent's code."""
    code = 1
    try:
        try:
            LIVE.clear()  # the parent's workers are not this one's to stop
            for other in others:
                other.close()
            code = _serve(connection, function, parent, announce)
        except BaseException:
            code = 143
        finally:
            _remove_own_temporaries()
    finally:
        os._exit(code)


# --- the pipes between the parent and a worker ---
#
# multiprocessing.connection does what these do, but importing it took 16 ms of every run
# with workers (its context, reduction and socket modules), more than the rest of the
# parallel path's start-up.


class Channel:
    """One side of the two pipes between the parent and a worker: objects go pickled, each
    after its length. Like a multiprocessing Connection: `send`, `recv` (EOFError when the
    other side is gone) and `fileno` (what `ready` polls).

    >>> parent, worker = channel_pair()
    >>> parent.send(("kitob", 1))
    True
    >>> worker.recv()
    ('kitob', 1)
    >>> worker.close(); parent.recv()
    Traceback (most recent call last):
    EOFError
    """

    def __init__(self, reading: int, writing: int) -> None:
        self._reading, self._writing = reading, writing

    def fileno(self) -> int:
        return self._reading

    def send(self, value: Any, if_room: bool = False) -> bool:
        """Send `value`; with `if_room`, only if the pipe takes it whole without waiting
        for the other side to read (else nothing is sent: False)."""
        import pickle

        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if if_room and _LENGTH_BYTES + len(data) + _PAGES_PART_FULL > _room(self._writing):
            return False
        _write_all(self._writing, len(data).to_bytes(_LENGTH_BYTES, "little"))
        _write_all(self._writing, data)
        return True

    def recv(self) -> Any:
        import pickle

        size = int.from_bytes(_read_exactly(self._reading, _LENGTH_BYTES), "little")
        return pickle.loads(_read_exactly(self._reading, size))

    def close(self) -> None:
        for fd in (self._reading, self._writing):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._reading = self._writing = -1


_LENGTH_BYTES = 8
PIPE_BYTES = 1 << 20  # a piece's output passes in a few writes (where Linux allows it)
# A pipe holds pages: one partly read and one partly written take a page each.
_PAGES_PART_FULL = 2 * 4096


def _room(fd: int) -> int:
    """How many bytes the pipe written to by `fd` takes now without waiting (0 where the
    system does not say: Linux's F_GETPIPE_SZ and FIONREAD)."""
    import array
    import fcntl
    import termios

    held = array.array("i", [0])
    try:
        size: int = fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
        fcntl.ioctl(fd, termios.FIONREAD, held)
    except (OSError, AttributeError):
        return 0
    return size - held[0]


def channel_pair() -> tuple[Channel, Channel]:
    """The parent's and the worker's sides of two new pipes (one each way)."""
    to_worker_reading, to_worker = os.pipe()
    to_parent_reading, to_parent = os.pipe()
    for fd in (to_worker, to_parent):
        _widen(fd)
    return (Channel(to_parent_reading, to_worker), Channel(to_worker_reading, to_parent))


def _widen(fd: int) -> None:
    import fcntl

    with contextlib.suppress(OSError, AttributeError):  # (a smaller pipe works too)
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def ready(channels: list[Channel], timeout: float | None = None) -> list[Channel]:
    """The channels with something to read (or whose other side is gone), waiting until
    one has (at most `timeout` seconds, if given: 0 does not wait)."""
    import select

    poll = select.poll()
    by_fd = {channel.fileno(): channel for channel in channels}
    for fd in by_fd:
        poll.register(fd, select.POLLIN)
    waiting = None if timeout is None else timeout * 1000
    return [by_fd[fd] for fd, _ in poll.poll(waiting)]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytearray:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        count = os.readv(fd, [view[got:]])
        if count == 0:
            raise EOFError
        got += count
    return buffer


class Workers:
    """`jobs` forked processes that each run `function` on the tasks they are sent."""

    def __init__(self, function: Callable[..., Any], jobs: int) -> None:
        import pickle  # noqa: F401  (imported once, here, not by each worker at its first task)

        self.connections: list[Channel] = []
        self.pids: list[int] = []
        self._announced = _announcements()
        parent = os.getpid()
        try:
            for _ in range(jobs):
                ours, theirs = channel_pair()
                # Held from before the fork until the worker is recorded (in the worker,
                # until its own handlers are set): a signal waits, and then finds it.
                held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
                try:
                    pid = os.fork()
                    if pid == 0:  # the worker: it never returns from here
                        _worker(theirs, [ours, *self.connections], function, parent,
                                self._announced)
                    self.pids.append(pid)
                    LIVE.add(pid)
                    self.connections.append(ours)
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, held)
                theirs.close()
        except BaseException:
            self.stop()
            raise

    def map(self, tasks: Iterable[tuple[Any, ...]], window: int, queued: int = 1,
            local: Callable[..., Any] | None = None) -> Iterator[Any]:
        """Run every task; yield the results in the order of the tasks, at most `window`
        of them in flight or waiting to be yielded. Each worker is sent up to `queued`
        tasks at a time: with 2, its next task waits in its pipe as it works, so that it
        goes on at once rather than waiting while the parent reads its answer and writes
        the results before it (about a sixth of the two workers' time on 6 MB to Cyrillic).
        A task is queued only where the worker's pipe takes it whole at once (a worker
        writing its answer does not read a task the parent is writing: both would wait for
        ever); else it waits here until the worker reads its task before. With `local`
        (the workers' function), the parent runs a task itself whenever no answer is
        waiting to be read, rather than wait: it is one of the processes that work."""
        tasks = iter(tasks)
        # each worker's tasks sent and not answered, in the order it answers them
        pending: dict[Channel, list[int]] = {channel: [] for channel in self.connections}
        done: dict[int, Any] = {}
        sent = yielded = 0
        exhausted = False
        held: tuple[Any, ...] | None = None  # the next task, that no pipe had room for
        while True:
            while not exhausted and sent - yielded < window:
                idle = min(pending, key=lambda channel: len(pending[channel]))
                if len(pending[idle]) >= queued:
                    break
                task, held = next(tasks, None) if held is None else held, None
                if task is None:
                    exhausted = True
                    break
                try:
                    if not idle.send(task, bool(pending[idle])):
                        held = task
                        break
                except OSError:  # it ended while it waited: not standard output's
                    raise WorkerFailed(_ENDED) from None  # BrokenPipeError (| head: 141)
                pending[idle].append(sent)
                sent += 1
            if yielded in done:
                yield done.pop(yielded)
                yielded += 1
                continue
            busy = [channel for channel, indexes in pending.items() if indexes]
            if (local is not None and not exhausted and sent - yielded < window
                    and not (busy and ready(busy, 0))):
                task, held = next(tasks, None) if held is None else held, None
                if task is None:
                    exhausted = True
                else:
                    done[sent] = local(*task)
                    sent += 1
                continue
            if not busy:
                return
            for answered in ready(busy):
                try:
                    ok, value = answered.recv()
                except (EOFError, OSError):
                    raise WorkerFailed(_ENDED) from None
                if not ok:
                    raise WorkerFailed(value)
                done[pending[answered].pop(0)] = value

    def close(self) -> None:
        """Let the workers finish and end."""
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.send(None)
            connection.close()
        for pid in self.pids:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            LIVE.discard(pid)
        self.pids = []
        self._close_announcements()

    def stop(self) -> None:
        """End the workers now: SIGTERM (they clean up), then SIGKILL after a grace time."""
        for connection in self.connections:
            connection.close()
        waiting = stop_workers(self.pids)
        self.pids = []
        if waiting:  # killed inside a long step (a C call): their temporaries are still there
            from .fileio import remove_announced

            with contextlib.suppress(OSError):
                remove_announced(self._announced)
        self._close_announcements()

    def _close_announcements(self) -> None:
        if self._announced >= 0:
            with contextlib.suppress(OSError):
                os.close(self._announced)
            self._announced = -1


def _announcements() -> int:
    """An unnamed file the workers append their temporaries' names to (see `stop`): one
    in memory where the system makes one (Linux; tempfile, 4 ms of imports, is not needed),
    else a temporary file removed at once."""
    import fcntl

    fd = -1
    if hasattr(os, "memfd_create"):
        # (the C library has it, but the kernel may not, before Linux 3.17, and a sandbox
        # may forbid it: then the file on disk, as where there is no memfd_create)
        with contextlib.suppress(OSError):
            fd = os.memfd_create("translit-workers", os.MFD_CLOEXEC)
    if fd < 0:
        import tempfile

        fd, name = tempfile.mkstemp(prefix="translit-workers-")
        os.unlink(name)
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
    return fd


def stop_workers(pids: Iterable[int], grace: float = STOP_GRACE) -> list[int]:
    """End the workers `pids` and reap them, whatever state each is in: SIGTERM and SIGCONT
    (a stopped worker acts on SIGTERM only when it runs), then SIGKILL after `grace`;
    return those that had to be killed."""
    waiting = list(pids)
    for pid in waiting:
        for signum in (signal.SIGTERM, signal.SIGCONT):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)
    deadline = time.monotonic() + grace
    while waiting and time.monotonic() < deadline:
        waiting = [pid for pid in waiting if not _reaped(pid)]
        if waiting:
            time.sleep(0.005)
    for pid in waiting:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)  # acts on a stopped process too
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        LIVE.discard(pid)
    return waiting


def stop_all() -> None:
    """End every worker still alive (the command's last step, so that none outlives it,
    also when a generator that owned a pool was never closed)."""
    stop_workers(sorted(LIVE))


def _remove_own_temporaries() -> None:
    with contextlib.suppress(BaseException):
        from .fileio import remove_temporaries

        remove_temporaries()


def _reaped(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        done = pid
    if done == pid:
        LIVE.discard(pid)
    return done == pid


@contextlib.contextmanager
def workers(function: Callable[..., Any], jobs: int) -> Iterator[Workers]:
    """Workers that are closed when the block ends, and stopped at once if it fails."""
    pool = Workers(function, jobs)
    try:
        yield pool
    except BaseException:
        pool.stop()
        raise
    pool.close()


def cut_point(data: bytes, transliterator: Transliterator, limit: int = NO_CUT_LIMIT) -> int:
    """Where a piece may end: after its last line break, else (in a line longer than
    `limit`) where the transliterator says a cut is safe."""
    cut = data.rfind(b"\n") + 1
    if cut or len(data) <= limit:
        return cut
    end = len(data)  # leave out a character that the data cuts in two
    back = 0
    while back < 4 and end - back - 1 >= 0 and 0x80 <= data[end - back - 1] < 0xC0:
        back += 1
    if back < 4 and end - back - 1 >= 0 and data[end - back - 1] >= 0xC0:
        end -= back + 1
    text = data[:end].decode("utf-8", "surrogateescape")
    cut = len(text[: transliterator.safe_cut(text)].encode("utf-8", "surrogateescape"))
    return cut or end


def _cut_limit(size: int) -> int:
    return max(NO_CUT_LIMIT, 4 * size) if size >= PIECE_BYTES else 4 * size


def pieces(source: ByteSource, transliterator: Transliterator,
           size: int = PIECE_BYTES) -> Iterator[bytes]:
    """`source` cut into pieces of about `size` bytes (see `cut_point`)."""
    carry = b""
    while block := source.read(size):
        data = carry + block
        cut = cut_point(data, transliterator, _cut_limit(size))
        carry = data[cut:]
        if cut:
            yield data[:cut]
    if carry:
        yield carry


SMALLEST_PIECE = 64 << 10  # the last pieces' size, where they shrink (file_pieces's share)
TAIL_BYTES = 64 << 10  # where a piece of a file should end, this much is read to find a cut


def file_pieces(fd: int, start: int, end: int, transliterator: Transliterator,
                size: int = PIECE_BYTES, share: int = 0) -> Iterator[tuple[int, int]]:
    """(offset, length) of each piece of the file `fd` from `start` to `end`, cut where
    `pieces` may cut (after a line break, else by `cut_point`), but found by reading only
    the end of each piece, and more only in a line longer than that. With `share`, a piece
    is at most 1/`share` of what is left (and at least SMALLEST_PIECE): the last pieces are
    small, so that the processes that convert them end at about the same time."""
    offset = start
    full = size
    while True:
        if share:
            size = min(full, max(SMALLEST_PIECE, (end - offset) // share))
        if end - offset <= size:
            break
        window = min(size, TAIL_BYTES)
        tail = os.pread(fd, window, offset + size - window)
        at = tail.rfind(b"\n")
        if at >= 0 and len(tail) == window:
            length = size - window + at + 1
        else:  # a long line: read what `cut_point` needs
            limit = _cut_limit(full)
            data = os.pread(fd, min(limit + 1, end - offset), offset)
            length = cut_point(data, transliterator, limit) or len(data)
            if not length:
                raise _shorter_than_before()
        yield offset, length
        offset += length
    if end > offset:
        yield offset, end - offset


def _convert_piece(options: Options, piece: bytes | tuple[int, int, int], errors: str,
                   track_changes: bool) -> Any:
    """In a worker: (output, lines, changed, leftovers) or the decode error's position.
    `piece` is its bytes, or where they are in a file the worker shares with its parent
    (descriptor, offset, length): read here, they need not pass through a pipe."""
    try:
        data = piece if isinstance(piece, bytes) else _read_range(*piece)
    except ChangedUnderneath as changed:
        return None, changed.strerror  # the parent says so, naming the file
    converter = StreamConverter(get_transliterator(options), errors=errors,
                                track_changes=track_changes)
    try:
        out = converter.feed(data, final=True)
    except InputDecodeError as error:
        return None, (error.offset, error.line, error.bad, error.reason)
    stats = converter.stats
    return (out, converter.lines_read, stats.changed, dict(stats.leftovers)), None


def _read_range(fd: int, offset: int, length: int) -> bytes:
    data = os.pread(fd, length, offset)
    while len(data) < length:
        more = os.pread(fd, length - len(data), offset + len(data))
        if not more:
            raise _shorter_than_before()
        data += more
    return data


def _shorter_than_before() -> ChangedUnderneath:
    return ChangedUnderneath(errno.ESTALE, "it changed while translit read it (it is shorter "
                             "than before); left as it is (run again)")


def _shared_file(source: ByteSource) -> tuple[int, int] | None:
    """The descriptor of `source` and where reading starts, if it is a regular file that
    forked workers can read themselves; else None (its bytes are sent to them)."""
    try:
        fd = source.fileno()  # type: ignore[attr-defined]
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        start: int = source.tell()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None
    return fd, start


def piece_size(growth: float) -> int:
    """The pieces' size for a direction whose output has up to `growth` times the bytes of
    its input: PIECE_BYTES, or where that would not fit, small enough that a piece's answer
    fits in the pipe back (PIPE_BYTES). A worker whose answer does not fit waits, its next
    piece queued, until the parent reads it, and the parent reads only between writing the
    results (1 MB of Latin is 1.75 MB of Cyrillic: each worker waited a few ms a piece).

    >>> piece_size(1.0) == PIECE_BYTES, piece_size(2.0) < PIPE_BYTES // 2
    (True, True)
    """
    if growth <= 1:
        return PIECE_BYTES
    return min(PIECE_BYTES, int(PIPE_BYTES * 0.9 / growth))  # (0.9: the pickle's own bytes)


def convert_in_parallel(
    source: ByteSource,
    sink: ByteSink | None,
    options: Options,
    *,
    jobs: int,
    errors: str = "strict",
    track_changes: bool = False,
    progress: Callable[[int], None] | None = None,
    piece_bytes: int | None = None,
) -> StreamStats:
    """Convert a UTF-8 file with `jobs` worker processes; the result equals one process's.
    `piece_bytes`: the size of the pieces (by default PIECE_BYTES, less where the output
    grows: see `piece_size`)."""
    growth = get_transliterator(options).direction.growth
    if piece_bytes is None:
        piece_bytes = piece_size(growth)
    stats = StreamStats()
    lines = 0
    offsets: list[int] = []
    shared = _shared_file(source)
    # Where the output grows (Latin → Cyrillic), the parent has little to do but wait (it
    # reads where pieces end, and writes the answers): it converts pieces too, whenever no
    # answer waits, in place of one of the workers, and the pieces shrink toward the end
    # of the file, so that the two processes end together (6 MB of Latin: 4% less time).
    # (Cyrillic → Latin's parent writes as many bytes as it reads: it stays as it was.)
    parent_works = shared is not None and growth > 1

    def tasks() -> Iterator[tuple[Any, ...]]:
        transliterator = get_transliterator(options)
        if shared is None:
            found: Iterable[tuple[int, Any]] = ((len(piece), piece) for piece in pieces(
                source, transliterator, piece_bytes))
        else:  # the parent reads only where pieces end; each worker reads its own piece
            fd, start = shared
            found = ((length, (fd, offset, length)) for offset, length in file_pieces(
                fd, start, os.fstat(fd).st_size, transliterator, piece_bytes,
                share=2 if parent_works else 0))
        for length, piece in found:
            offsets.append(stats.bytes_in)
            stats.bytes_in += length
            if progress is not None:
                progress(length)
            yield options, piece, errors, track_changes

    if shared is not None:  # no more workers than pieces (--jobs 300 forked 300 for 50)
        jobs = max(1, min(jobs, -(-(os.fstat(shared[0]).st_size - shared[1]) // piece_bytes)))
    # what each worker would build for itself as it starts, built once before they fork
    get_transliterator(options).direction.prepare_for_workers()
    global _tables_frozen
    if gc.get_freeze_count() and not _tables_frozen:
        # The command froze its start-up's objects out of the collector's walks (cli/main.py):
        # what it has built since (the tables, the word lists) is frozen too, so that the
        # workers' collections neither walk them (a walk of the word lists' sets writes to
        # their pages: a copy of each in each worker) nor spend time on them. Once: frozen
        # again at each file of a folder, the garbage of the files before would be kept.
        gc.freeze()
        _tables_frozen = True
    forked = max(1, jobs - 1) if parent_works else jobs
    with workers(_convert_piece, forked) as pool:
        # (a piece in a file shared is sent as where it is: a task small enough to queue)
        queued = 2 if shared is not None else 1
        local = _convert_piece if parent_works else None
        for index, (done, error) in enumerate(pool.map(tasks(), 2 * jobs, queued, local)):
            if isinstance(error, str):
                raise ChangedUnderneath(errno.ESTALE, error)
            if error is not None:
                local_offset, local_line, bad, reason = error
                raise InputDecodeError("utf-8", offsets[index] + local_offset,
                                       lines + local_line, bad, reason)
            out, piece_lines, changed, leftovers = done
            lines += piece_lines
            stats.bytes_out += len(out)
            stats.changed = stats.changed or changed
            stats.leftovers.update(leftovers)
            if sink is not None:
                sink.write(out)
    if sink is not None:
        sink.flush()
    return stats
