"""Replacing files without ever losing one, and knowing the files translit made itself.

A converted file is first written to a temporary file in the same folder, flushed and
fsynced, given the original's mode, and only then renamed over the target; on any failure
(a decode error, a full disk, Ctrl-C, SIGTERM) the temporary file is removed and the target
is untouched. Before an original is replaced, it is checked to be the very file that was
read, unchanged; a second translit on the same file is refused (a lock on the file).

A folder run's new outputs (not -i) are fsynced and renamed in batches (ReplaceBatch).

Temporary files are named ``.NAME.PID-XXXX.translit-tmp`` and locked while they are being
written: one that nobody holds locked any more was left by a run that was killed (SIGKILL)
and is removed by the next run that writes into that folder.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import time
from collections.abc import Callable, Iterator

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    import signal
    from typing import Any, BinaryIO, NamedTuple
    from pathlib import Path
else:
    import _signal as signal  # signal's functions without its enums (see cli/main.py)

    from ..base.records import NamedTuple  # the same classes, made faster (see records.py)

from ..base.lazy import lazy_pattern

TEMP_SUFFIX = ".translit-tmp"
TEMP_NAME = lazy_pattern(r"\A\..+\.\d+-[^.]+" + re.escape(TEMP_SUFFIX) + r"\Z")
BACKUP_MARK = "user.translit.backup"  # an extended attribute on the backups translit makes
ABANDONED_AFTER = 2.0  # seconds: a younger unlocked temporary may still be being set up
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

# Temporary files made by this process and not yet renamed or removed; the command removes
# what is left here when it is interrupted, however the interruption arrived.
_temporaries: set[str] = set()


class ChangedUnderneath(OSError):
    """The file changed (or was replaced) while translit read it: it is left alone."""


class FolderNotWritable(OSError):
    """The folder of a file to replace takes no new file (its `filename`): translit writes a
    temporary file there and renames it over the target, so it needs to write the folder."""


class Busy(OSError):
    """Another translit is converting the same file."""


class Identity(NamedTuple):
    """What tells that a file is still the one that was read, with the same content."""

    device: int
    inode: int
    size: int
    modified_ns: int
    changed_ns: int

    @classmethod
    def of(cls, info: os.stat_result) -> Identity:
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)

    def same_file(self, other: Identity) -> bool:
        return (self.device, self.inode) == (other.device, other.inode)


_announce_fd: int | None = None  # in a worker: where it writes each temporary's name


def announce_temporaries_to(fd: int | None) -> None:
    """In a worker: write the name of each temporary made (NUL-ended) to `fd`, so that the
    parent can remove it if it has to kill the worker before the worker could."""
    global _announce_fd
    _announce_fd = fd


def _register(temporary: str) -> None:
    _temporaries.add(temporary)
    if _announce_fd is not None:
        with contextlib.suppress(OSError):
            os.write(_announce_fd, os.fsencode(temporary) + b"\0")


def remove_announced(fd: int) -> None:
    """Remove the temporaries announced on `fd` that are still there (their workers are
    gone: SIGKILL left no time to remove them)."""
    import fcntl

    size = os.fstat(fd).st_size
    for name in os.pread(fd, size, 0).split(b"\0"):
        if not name or not is_temporary_name(os.path.basename(os.fsdecode(name))):
            continue
        with contextlib.suppress(OSError):
            held = os.open(name, os.O_RDONLY | os.O_NOFOLLOW)
            try:
                fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody writes it any more
                os.unlink(name)
            finally:
                os.close(held)


def forget_temporaries() -> None:
    """In a forked worker: the parent's temporaries (and its batch of replaces) are the
    parent's to remove or rename."""
    global _batch
    _temporaries.clear()
    _batch = None


def remove_temporaries() -> None:
    """Remove every temporary file this process made and did not finish (on interruption)."""
    for name in list(_temporaries):
        with contextlib.suppress(OSError):
            os.unlink(name)
        _temporaries.discard(name)


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP: a temporary file is made and registered
    as one step, so no signal can leave one behind unregistered."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def lock_for_conversion(fd: int) -> None:
    """Take the lock every translit -i takes on the file it converts; refuse if taken."""
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise Busy(errno.EBUSY, "another translit is converting this file") from None


class HeldOpen(Busy):
    """Another process has the file open: what it writes after the rename would be lost."""


HELD_OPEN_GRACE = 1.0  # seconds another holder is given to close the file


def refuse_if_held_open(fd: int, grace: float = HELD_OPEN_GRACE) -> None:
    """Raise HeldOpen if a process other than this one (and its workers) keeps the file of
    `fd` open: a logging daemon appending to it would go on writing into the replaced,
    deleted file. `fd` is this process's only descriptor of it, open for reading.

    A holder that closes the file within `grace` seconds does not count: a second translit
    -i on the same file opens it before it finds the file locked, and then lets go.
    """
    deadline = time.monotonic() + grace
    while _held_open(fd):
        if time.monotonic() >= deadline:
            raise HeldOpen(errno.EBUSY, "another program has it open (what it writes after "
                                        "the rewrite would be lost); left as it is")
        time.sleep(0.02)


def _held_open(fd: int) -> bool:
    """Whether another process has the file open now. Linux grants a write lease only
    while no other open file description of the file exists, anywhere; where leases are
    refused (a file system without them, a file of another user) the open descriptors
    under /proc that this user may see are compared."""
    import fcntl

    # Whoever opens the file while the lease is held makes the kernel send SIGIO to the
    # holder, and SIGIO's default is to end the process (exit -29: seen with two translit
    # -i on one file): ignored while the lease is held, which is only for a moment.
    try:
        previous = signal.signal(signal.SIGIO, signal.SIG_IGN)
    except ValueError:  # not the main thread: the lease cannot be taken safely
        return _open_elsewhere(os.fstat(fd))
    try:
        fcntl.fcntl(fd, F_SETLEASE, fcntl.F_WRLCK)
    except OSError as error:
        held = error.errno in (errno.EAGAIN, errno.EBUSY)
    else:
        fcntl.fcntl(fd, F_SETLEASE, fcntl.F_UNLCK)
        return False
    finally:
        signal.signal(signal.SIGIO, previous)
    return held or _open_elsewhere(os.fstat(fd))


F_SETLEASE = 1024  # Linux's fcntl command (fcntl.F_SETLEASE from Python 3.12 on)


def _open_elsewhere(info: os.stat_result) -> bool:
    """Whether a process other than this one and its children holds the file open."""
    me = os.getpid()
    try:
        processes = os.listdir("/proc")
    except OSError:
        return False
    for pid in processes:
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            descriptors = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue  # gone, or another user's
        for descriptor in descriptors:
            try:
                other = os.stat(f"/proc/{pid}/fd/{descriptor}")
            except OSError:
                continue
            if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                if not _child_of(int(pid), me):
                    return True
                break
    return False


def _child_of(pid: int, parent: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat_file:
            fields = stat_file.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return int(fields[1]) == parent


def check_unchanged(path: Path, read: Identity, now: Identity | None = None) -> None:
    """Raise ChangedUnderneath unless `path` is still the file `read` describes."""
    if now is None:
        try:
            now = Identity.of(os.stat(path))
        except FileNotFoundError:
            raise ChangedUnderneath(
                errno.ENOENT, "it was removed or renamed while translit read it; left as it is"
            ) from None
    if not now.same_file(read):
        raise ChangedUnderneath(
            errno.ESTALE, "it was replaced by another file while translit read it; left as it is"
        )
    if now != read:
        raise ChangedUnderneath(
            errno.ESTALE, "it changed while translit read it; left as it is (run again)"
        )


# A file written through `WrittenBehind` has the kernel start writing it to the disk after
# each this many bytes: the fsync before the rename then waits for the last few only.
WRITE_BEHIND_BYTES = 8 << 20


class WrittenBehind(io.BufferedWriter):
    """A buffered file whose pages the kernel starts writing to the disk as it grows (Linux:
    ``posix_fadvise(POSIX_FADV_DONTNEED)`` starts the write-back of what is written and lets
    the page cache drop what is already on the disk). A large conversion's final fsync then
    waits for its last few megabytes, not for all of it, and it does not fill the page cache.

    >>> import tempfile
    >>> with tempfile.TemporaryFile() as file:
    ...     out = WrittenBehind(io.FileIO(file.fileno(), "wb", closefd=False), behind=4)
    ...     out.write(b"Toshkent"), out.started
    (8, 8)
    """

    def __init__(self, raw: io.RawIOBase, behind: int | None = None) -> None:
        super().__init__(raw)
        self.behind = WRITE_BEHIND_BYTES if behind is None else behind
        self.started = 0  # the bytes whose write-back has been started
        self.written = 0  # the bytes written so far

    def write(self, data: Any) -> int:
        written = super().write(data)
        self.written += written
        if self.written - self.started >= self.behind and _ADVISE is not None:
            self.flush()
            with contextlib.suppress(OSError):  # advice: the fsync still does it all
                _ADVISE(self.fileno(), self.started, 0, os.POSIX_FADV_DONTNEED)
            self.started = self.written
        return written


_ADVISE = getattr(os, "posix_fadvise", None)


@contextlib.contextmanager
def atomic_replace(
    target: Path,
    *,
    mode_of: os.stat_result | None = None,
    before_replace: Callable[[], None] | None = None,
) -> Iterator[BinaryIO]:
    """Write `target` through a temporary file renamed over it only if the block succeeds.

    `mode_of` gives the permission bits (and, where allowed, the owner) of the result;
    `before_replace` runs just before the rename (to check the original, keep a backup).
    A symbolic link `target` is kept: the file it points to is replaced.
    """
    import fcntl
    from pathlib import Path

    target = Path(os.path.realpath(target))
    with signals_blocked():
        try:
            fd, temporary = created_temporary(
                str(target.parent), f".{temporary_stem(target.name)}.{os.getpid()}-",
                TEMP_SUFFIX)
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise
            raise FolderNotWritable(error.errno, error.strerror, str(target.parent)) from None
        _register(temporary)
        fcntl.flock(fd, fcntl.LOCK_EX)  # "being written": see remove_abandoned_temporaries
    try:
        # The file stays open (and locked) until it has been renamed.
        handle = WrittenBehind(io.FileIO(fd, "wb", closefd=True))
        deferred = False
        try:
            yield handle
            handle.flush()
            _copy_mode(mode_of, handle.fileno())
            if _batch is not None and before_replace is None:
                _batch.add(_Pending(handle, temporary, str(target)))  # renamed at its end
                deferred = True
                return
            os.fsync(handle.fileno())
            if before_replace is not None:
                before_replace()
            os.replace(temporary, target)
            _temporaries.discard(temporary)
        finally:
            if not deferred:
                handle.close()
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        _temporaries.discard(temporary)
        raise
    if not deferred:
        _folder_replaced_in(str(target.parent))


class _Pending(NamedTuple):
    """A temporary file written whole, its rename to `destination` waiting for its batch."""

    handle: WrittenBehind  # open, so still locked ("being written")
    temporary: str
    destination: str  # the output's path (a link in it resolved)


class ReplaceBatch:
    """Replaces whose fsync and rename wait for the end of their batch (`replaces_batched`).

    A file fsynced alone writes its block of the inode table (16 files' inodes) and its
    folder's metadata again for each file; the files of a batch, their write-back started
    as each is done, reach the disk in one round of fsyncs that finds most of that written
    already. (On this machine's ext4, `translit DIR -o OUT --jobs 1` on 2,000 small files:
    0.157 → 0.084 ms of system CPU a file, 3.6 → 0.8 s, paired medians: issue 23.)
    """

    FILES = 32  # at most this many replaces wait ...
    BYTES = WRITE_BEHIND_BYTES  # ... and no more bytes than this (unless one file is more)

    def __init__(self) -> None:
        self.pending: list[_Pending] = []
        self._bytes = 0

    def add(self, pending: _Pending) -> None:
        with contextlib.suppress(OSError):  # advice: the fsync still does it all
            if _ADVISE is not None:  # start the write-back now (see WrittenBehind)
                _ADVISE(pending.handle.fileno(), pending.handle.started, 0,
                        os.POSIX_FADV_DONTNEED)
        self.pending.append(pending)
        self._bytes += pending.handle.written

    def full(self) -> bool:
        return len(self.pending) >= self.FILES or self._bytes >= self.BYTES

    def commit(self) -> dict[str, OSError]:
        """fsync every waiting file, then rename each over its target (data on the disk
        before a name points to it): the errors, by target, of those left as they were."""
        failed: dict[str, OSError] = {}
        pending, self.pending, self._bytes = self.pending, [], 0
        try:
            for waiting in pending:
                try:
                    os.fsync(waiting.handle.fileno())
                except OSError as error:
                    failed[waiting.destination] = error
            for waiting in pending:
                if waiting.destination not in failed:
                    try:
                        os.replace(waiting.temporary, waiting.destination)
                        _temporaries.discard(waiting.temporary)
                        _folder_replaced_in(os.path.dirname(waiting.destination))
                    except OSError as error:
                        failed[waiting.destination] = error
                _abandon(waiting)  # closed; its temporary removed if it was not renamed
        except BaseException:
            for waiting in pending:  # interrupted: what is not renamed yet stays so
                _abandon(waiting)
            raise
        return failed

    def abandon(self) -> None:
        """Remove every waiting temporary (the run was interrupted): no target changes."""
        pending, self.pending, self._bytes = self.pending, [], 0
        for waiting in pending:
            _abandon(waiting)


def _abandon(waiting: _Pending) -> None:
    """Close a waiting file, and remove its temporary unless it was renamed."""
    if waiting.temporary in _temporaries:
        with contextlib.suppress(OSError):
            os.unlink(waiting.temporary)
        _temporaries.discard(waiting.temporary)
    with contextlib.suppress(OSError):
        waiting.handle.close()


# Inside `replaces_batched`: the batch that the replaces without a `before_replace` join.
_batch: ReplaceBatch | None = None


@contextlib.contextmanager
def replaces_batched() -> Iterator[ReplaceBatch]:
    """Let each `atomic_replace` without a `before_replace` (a new output, not a file
    converted in place) leave its fsync and rename to the batch given: the block commits it
    (`ReplaceBatch.commit`) when it is full and at its end, and says which failed. A block
    left by an exception (Ctrl-C, SIGTERM, a closed generator) renames nothing more: its
    waiting temporaries are removed. Nested blocks share the outermost one's batch.

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with replaces_batched() as batch:
    ...         with atomic_replace(Path(folder, "a.txt")) as out:
    ...             _ = out.write(b"x")
    ...         before = os.listdir(folder) != ["a.txt"]  # its temporary, not yet renamed
    ...         failed = batch.commit()
    ...     before, failed, os.listdir(folder)
    (True, {}, ['a.txt'])
    """
    global _batch
    if _batch is not None:
        yield _batch
        return
    _batch = batch = ReplaceBatch()
    try:
        yield batch
    except BaseException:
        _batch = None
        batch.abandon()
        raise
    _batch = None
    if batch.pending:  # a block that did not commit all it kept: committed here, a failure
        failed = batch.commit()  # raised (not a file reported written that is not)
        if failed:
            raise next(iter(failed.values()))


_NAME_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def created_temporary(folder: str, prefix: str, suffix: str) -> tuple[int, str]:
    """A new file of this process's (made with O_EXCL, mode 0600, a link not followed),
    named `prefix`, 8 random letters and digits, `suffix`, in `folder`: its descriptor and
    path, as tempfile.mkstemp makes one. (tempfile is not imported for it: with shutil and
    random, which it imports, it was 4 ms of every run that writes a file.)

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     fd, path = created_temporary(folder, ".a.txt.1-", ".tmp")
    ...     os.close(fd)
    ...     name = os.path.basename(path)
    ...     name[:9], len(name), name[-4:], oct(os.stat(path).st_mode & 0o777)
    ('.a.txt.1-', 21, '.tmp', '0o600')
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):  # (a name taken: another; 36**8 names make that rare)
        letters = "".join(_NAME_LETTERS[byte % 36] for byte in os.urandom(8))
        path = os.path.join(folder, prefix + letters + suffix)
        try:
            return os.open(path, flags, 0o600), os.path.abspath(path)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused name for a temporary file", folder)


# A temporary's name adds at most 32 bytes to the part of the file's name it keeps: with
# at most 200 bytes kept, it fits wherever the file's own name does (255 bytes).
TEMPORARY_STEM_BYTES = 200


def temporary_stem(name: str) -> str:
    """The part of a file's name its temporary's name starts with (its first 200 bytes).

    >>> len(os.fsencode(temporary_stem("ф" * 127)))
    200
    """
    return os.fsdecode(os.fsencode(name)[:TEMPORARY_STEM_BYTES])


def _copy_mode(like: os.stat_result | None, fd: int) -> None:
    if like is None:
        mode = 0o666 & ~_umask()
    else:
        mode = like.st_mode & 0o7777
        with contextlib.suppress(OSError):  # keeping the owner needs privileges
            os.fchown(fd, like.st_uid, like.st_gid)
    os.fchmod(fd, mode)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Inside `folder_syncs_deferred`: the folders whose renames wait for their fsync (None
# outside, where each replace makes its folder durable at once).
_unsynced_folders: dict[str, None] | None = None


@contextlib.contextmanager
def folder_syncs_deferred() -> Iterator[None]:
    """Make each folder a replaced file is in durable once, at the end of the block.

    A rename is made durable by an fsync of its folder; a run over many files in few folders
    (``translit DIR -o OUT``, ``-i``) would otherwise fsync the same folder after each file,
    a third of its disk work (issue 23). Each file's own bytes are still fsynced before its
    rename, so a crash before the block's end leaves every file whole: the converted file
    or the one that was there before it. Nested blocks sync at the outermost one's end.

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder, folder_syncs_deferred():
    ...     for name in ("a.txt", "b.txt"):
    ...         with atomic_replace(Path(folder, name)) as out:
    ...             _ = out.write(b"x")
    ...     unsynced_folders() == [os.path.realpath(folder)]
    True
    >>> unsynced_folders()  # synced at the block's end
    []
    """
    global _unsynced_folders
    if _unsynced_folders is not None:  # an outer block syncs them
        yield
        return
    _unsynced_folders = {}
    try:
        yield
    finally:
        folders, _unsynced_folders = _unsynced_folders, None
        for folder in folders:
            _fsync_folder(folder)


def unsynced_folders() -> list[str]:
    """The folders of files replaced in a `folder_syncs_deferred` block, not yet synced."""
    return list(_unsynced_folders or ())


# At most this many folders wait for their fsync: a tree of many folders syncs them as it
# goes, so that the end of a run (or its interruption) has few left to sync.
UNSYNCED_FOLDERS_MAX = 64


def _folder_replaced_in(folder: str) -> None:
    if _unsynced_folders is None:
        _fsync_folder(folder)
        return
    if folder not in _unsynced_folders and len(_unsynced_folders) >= UNSYNCED_FOLDERS_MAX:
        for waiting in _unsynced_folders:
            _fsync_folder(waiting)
        _unsynced_folders.clear()
    _unsynced_folders[folder] = None


def _fsync_folder(folder: Path | str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def make_backup(path: Path, suffix: str, source_fd: int) -> Path:
    """Keep the file open as `source_fd` (the original that was read) as PATH+SUFFIX.

    The backup is a hard link to the very file that was read (a copy where links are not
    possible), put in place by a rename, so an existing backup is replaced only by an
    original, and never removed first.
    """
    from pathlib import Path

    original = Path(os.path.realpath(path))
    backup = original.with_name(original.name + suffix)
    with signals_blocked():
        temporary = str(backup.with_name(
            f".{temporary_stem(backup.name)}.{os.getpid()}-{os.urandom(4).hex()}{TEMP_SUFFIX}"))
        _register(temporary)
    try:
        try:
            os.link(f"/proc/self/fd/{source_fd}", temporary, follow_symlinks=True)
        except OSError:
            _copy_from_fd(source_fd, temporary)
        os.replace(temporary, backup)
        _temporaries.discard(temporary)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        _temporaries.discard(temporary)
        raise
    return backup


def mark_backup(backup: Path) -> None:
    """Mark a backup as translit's own, so that walks never take it for an input."""
    with contextlib.suppress(OSError, AttributeError):
        os.setxattr(backup, BACKUP_MARK, b"1", follow_symlinks=False)


def is_marked_backup(path: Path | str) -> bool:
    try:
        os.getxattr(path, BACKUP_MARK, follow_symlinks=False)
    except (OSError, AttributeError):
        return False
    return True


def _copy_from_fd(source_fd: int, destination: str) -> None:
    import shutil

    info = os.fstat(source_fd)
    with open(os.dup(source_fd), "rb") as source:
        source.seek(0)
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "wb") as copy:
            shutil.copyfileobj(source, copy)
            copy.flush()
            _copy_mode(info, copy.fileno())  # its owner too: a backup is theirs to read
            os.fsync(copy.fileno())
    os.utime(destination, ns=(info.st_atime_ns, info.st_mtime_ns))


def is_temporary_name(name: str) -> bool:
    return TEMP_NAME.match(name) is not None


def remove_abandoned_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files of translit runs that were killed (SIGKILL, power loss).

    A temporary is abandoned when nobody holds its lock (a running translit holds it from
    the moment the file exists until it is renamed) and it is older than a moment.
    """
    import fcntl
    from pathlib import Path

    removed: list[Path] = []
    try:
        entries = [e for e in os.scandir(folder) if is_temporary_name(e.name)]
    except OSError:
        return removed
    for entry in entries:
        try:
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not _is_regular(info.st_mode) or time.time() - info.st_ctime < ABANDONED_AFTER:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # being written right now
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed


def _is_regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


class StandardOutput:
    """Standard output as bytes, buffered, where bytes that could not be written are given
    up, not kept to be tried again.

    Python's own buffered ``sys.stdout.buffer`` keeps what a failed write left and tries
    it again at every later flush, so one full disk (``translit > /dev/full``) was reported
    twice: once by the conversion, once at exit. Here a failure is raised once; a later
    write raises it again rather than write a part, and a flush with nothing to write is
    quiet.

    >>> import os
    >>> reader, writer = os.pipe()
    >>> out = StandardOutput(writer)
    >>> out.write(b"Salom\\n")  # held until a flush, or until 64 KiB are held
    6
    >>> out.flush(); os.read(reader, 100)
    b'Salom\\n'
    >>> os.close(reader); os.close(writer)
    """

    BUFFER_SIZE = 1 << 16

    def __init__(self, fd: int = 1) -> None:
        self._fd = fd
        self._pending = bytearray()
        self._failed: OSError | None = None

    def fileno(self) -> int:
        return self._fd

    def write(self, data: bytes) -> int:
        if self._failed is not None:
            raise self._failed
        self._pending += data
        if len(self._pending) >= self.BUFFER_SIZE:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._failed is not None:
            if self._pending:
                raise self._failed
            return  # nothing held back: nothing is lost
        pending, self._pending = memoryview(self._pending), bytearray()
        try:
            while pending:
                pending = pending[os.write(self._fd, pending):]
        except OSError as error:
            self._failed = error
            raise
