"""Files: finding inputs, planning outputs, and replacing files without ever losing one.

A converted file is first written to a temporary file in the same folder, flushed and
fsynced, given the original's mode, and only then renamed over the target; on any failure
(a decode error, a full disk, Ctrl-C) the temporary file is removed and the target is
untouched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

BINARY_SNIFF_BYTES = 8192  # like git and grep: a NUL byte in the first 8 KiB means binary


class UsageProblem(Exception):
    """The command line asks for something that cannot be done (reported, exit status 2)."""


@dataclasses.dataclass(frozen=True)
class Input:
    """A file to convert: where it is and, for `-o DIR`, where its output goes."""

    path: Path  # as the user will see it ("-" for stdin)
    relative: Path  # the path below the folder it was found in, or its name

    @property
    def is_stdin(self) -> bool:
        return str(self.path) == "-"


@dataclasses.dataclass(frozen=True)
class Skipped:
    path: Path
    why: str


@dataclasses.dataclass(frozen=True)
class WalkOptions:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    follow_symlinks: bool = False


def find_inputs(
    names: Sequence[str], options: WalkOptions, skip_folder: Path | None = None
) -> Iterator[Input | Skipped]:
    """The files named, and the text files found below the folders named, in order."""
    for name in names or ["-"]:
        path = Path(name)
        if name == "-":
            yield Input(path, Path("-"))
        elif path.is_dir():
            yield from _walk(path, options, skip_folder)
        else:
            # Named files are always tried (pipes such as <(cmd) too); a missing or
            # unreadable one is reported when it is opened.
            yield Input(path, Path(path.name))


def _walk(root: Path, options: WalkOptions, skip_folder: Path | None) -> Iterator[Input | Skipped]:
    for folder, subfolders, files in os.walk(root, followlinks=options.follow_symlinks):
        here = Path(folder)
        kept = []
        for name in sorted(subfolders):
            path = here / name
            relative = path.relative_to(root)
            if skip_folder is not None and _same_path(path, skip_folder):
                continue
            if name.startswith("."):
                yield Skipped(path, "hidden folder")
            elif path.is_symlink() and not options.follow_symlinks:
                yield Skipped(path, "symbolic link (use --follow-symlinks)")
            elif not _excluded(relative, options):
                kept.append(name)
        subfolders[:] = kept
        for name in sorted(files):
            yield from _walked_file(here / name, root, options)


def _walked_file(path: Path, root: Path, options: WalkOptions) -> Iterator[Input | Skipped]:
    relative = path.relative_to(root)
    if _excluded(relative, options) or not _included(relative, options):
        return
    if path.name.startswith("."):
        yield Skipped(path, "hidden file")
    elif path.is_symlink() and not options.follow_symlinks:
        yield Skipped(path, "symbolic link (use --follow-symlinks)")
    elif not path.is_file():
        yield Skipped(path, "not a regular file")
    else:
        yield Input(path, relative)


def _matches(relative: Path, patterns: Sequence[str]) -> bool:
    text = relative.as_posix()
    return any(fnmatch.fnmatch(text, p) or fnmatch.fnmatch(relative.name, p) for p in patterns)


def _excluded(relative: Path, options: WalkOptions) -> bool:
    return _matches(relative, options.exclude)


def _included(relative: Path, options: WalkOptions) -> bool:
    return not options.include or _matches(relative, options.include)


def _same_path(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def is_binary(path: Path) -> bool:
    with open(path, "rb") as handle:
        return b"\0" in handle.read(BINARY_SNIFF_BYTES)


def output_path(item: Input, output: Path, output_is_folder: bool) -> Path:
    return output / item.relative if output_is_folder else output


def check_not_same_file(source: Path, target: Path) -> None:
    if target.exists() and _same_path(source, target):
        raise UsageProblem("-o names the input file itself; use -i to convert a file in place")


@contextlib.contextmanager
def atomic_replace(
    target: Path, like: Path | None = None, before_replace: Callable[[], None] | None = None
) -> Iterator[BinaryIO]:
    """Write `target` through a temporary file renamed over it only if the block succeeds.

    `like` is the file whose permission bits the result gets (the original for -i);
    `before_replace` runs just before the rename (to keep a backup).
    A symbolic link `target` is kept: the file it points to is replaced.
    """
    import tempfile  # here, not at the top: it costs start-up time

    target = Path(os.path.realpath(target))
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".translit-tmp",
                                     dir=target.parent)
    try:
        with open(fd, "wb") as handle:
            yield handle
            handle.flush()
            _copy_mode(like, handle.fileno())
            os.fsync(handle.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_folder(target.parent)


def _copy_mode(like: Path | None, fd: int) -> None:
    if like is None:
        mode = 0o666 & ~_umask()
    else:
        info = os.stat(like)
        mode = info.st_mode & 0o7777
        with contextlib.suppress(OSError):  # keeping the owner needs privileges
            os.fchown(fd, info.st_uid, info.st_gid)
    os.fchmod(fd, mode)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def make_backup(path: Path, suffix: str) -> None:
    """Keep the original beside it as PATH+SUFFIX (a hard link where possible)."""
    original = Path(os.path.realpath(path))
    backup = original.with_name(original.name + suffix)
    with contextlib.suppress(FileNotFoundError):
        backup.unlink()
    try:
        os.link(original, backup)
    except OSError:
        import shutil

        shutil.copy2(original, backup)
