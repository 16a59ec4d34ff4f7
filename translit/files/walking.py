"""Finding the inputs: the files named, and the text files below the folders named.

Named files are always tried (a file the user named is converted or is an error, never
skipped). In folders, files translit does not convert (images, fonts, style sheets, binary
files: see formats), hidden files and folders, symbolic links (unless followed),
translit's own temporaries and backups are skipped, each with a note (the files translit
does not convert are copied as they are into an output tree); a folder or file that cannot
be read is a problem (exit status 2), and the rest is still done.
"""

from __future__ import annotations

import codecs
import fnmatch
import os
import stat
from collections.abc import Iterator, Sequence

from ..base.checking import TYPE_CHECKING  # not typing's (see there)

if TYPE_CHECKING:
    from typing import NamedTuple
    from pathlib import Path
else:  # the same classes, made faster (see records.py)
    from ..base.records import NamedTuple

from .. import formats
from ..stream import codepages
from .fileio import is_marked_backup, is_temporary_name

BINARY_SNIFF_BYTES = 8192  # like git and grep: a NUL byte in the first 8 KiB means binary


class Problem(NamedTuple):
    """Something that went wrong with one path: the path that failed, and why.

    >>> str(Problem("out/a.txt", "Permission denied", "write"))
    'out/a.txt: cannot write: Permission denied'
    """

    path: str  # the path that failed (an input or an output), as the user gave it
    reason: str
    action: str = ""  # what was being done to it: "read", "write", "create folder" ...

    @property
    def message(self) -> str:
        return f"cannot {self.action}: {self.reason}" if self.action else self.reason

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class Input(NamedTuple):
    """A file to convert: where it is and, for `-o FOLDER`, where below it its output goes."""

    path: Path | str  # as the user will see it (the string "-" for standard input)
    relative: Path | str  # the path below the folder it was found in, or its name
    named: bool = True  # named on the command line (not found in a folder)
    format: formats.Format | None = None  # found by the walk (None: found when opened)

    @property
    def is_stdin(self) -> bool:
        return str(self.path) == "-"


class Skipped(NamedTuple):
    path: Path
    why: str
    relative: Path | None = None  # for a file translit does not convert: its place below
    # the folder, where an output tree gets a copy of it

class WalkOptions(NamedTuple):
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    follow_symlinks: bool = False
    backup_suffix: str | None = None  # backups with this suffix are not inputs
    encoding: str = "utf-8"  # to tell text from binary
    skip_folder: Path | None = None  # an output folder inside an input folder


def find_inputs(names: Sequence[str], options: WalkOptions) -> Iterator[Input | Skipped | Problem]:
    """The files named, and the files found below the folders named, in order."""
    for name in names or ["-"]:
        if name == "-":  # a name, not a path: the plain filter needs no pathlib
            yield Input("-", "-")
            continue
        if not name:  # (an unset "$f"): no file, though pathlib reads Path("") as "."
            yield Problem("''", "No such file or directory", "read")
            continue
        from pathlib import Path

        path = Path(name)
        # os.path's test, not Path.is_dir(), which (Python 3.11) raises for a file in a folder
        # one may not enter: the file is named, and fails to open, as any unreadable one.
        if os.path.isdir(path):
            yield from _Walk(path, options).run()
        elif is_marked_backup(path):  # (named by a glob again: it holds an original)
            yield Skipped(path, "a backup made by translit")
        else:
            yield Input(path, Path(path.name))


class _Walk:
    def __init__(self, root: Path, options: WalkOptions) -> None:
        self.root, self.options = root, options
        self.visited: dict[tuple[int, int], Path] = {}

    def run(self) -> Iterator[Input | Skipped | Problem]:
        yield from self._folder(self.root)

    def _folder(self, folder: Path) -> Iterator[Input | Skipped | Problem]:
        try:
            info = os.stat(folder)
            seen = self.visited.get((info.st_dev, info.st_ino))
            if seen is not None:
                yield Skipped(folder, f"a symbolic link loop (the same folder as {seen})")
                return
            self.visited[(info.st_dev, info.st_ino)] = folder
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            yield Problem(str(folder), error.strerror or str(error), "read folder")
            return
        subfolders = []
        for entry in entries:
            path = folder / entry.name
            relative = path.relative_to(self.root)
            try:
                is_link = entry.is_symlink()
                is_folder = entry.is_dir(follow_symlinks=self.options.follow_symlinks)
            except OSError as error:
                yield Problem(str(path), error.strerror or str(error), "read")
                continue
            if is_folder:
                if self._is_skip_folder(path) or _matches(relative, self.options.exclude):
                    continue
                if entry.name.startswith("."):
                    yield Skipped(path, "hidden folder")
                elif is_link and not self.options.follow_symlinks:
                    yield Skipped(path, "symbolic link (use --follow-symlinks)")
                else:
                    subfolders.append(path)
                continue
            if _matches(relative, self.options.exclude) or not self._included(relative):
                continue
            yield self._file(path, relative, entry, is_link)
        for path in subfolders:
            yield from self._folder(path)

    def _file(self, path: Path, relative: Path, entry: os.DirEntry[str],
              is_link: bool) -> Input | Skipped | Problem:
        if is_temporary_name(entry.name):
            return Skipped(path, "a temporary file of a translit run")
        if self._is_own_backup(path):
            return Skipped(path, "a backup made by translit")
        if entry.name.startswith("."):
            return Skipped(path, "hidden file")
        if is_link and not self.options.follow_symlinks:
            return Skipped(path, "symbolic link (use --follow-symlinks)")
        try:
            # The folder's listing already tells a file that is no link (no stat needed).
            if not (entry.is_file(follow_symlinks=False) or stat.S_ISREG(os.stat(path).st_mode)):
                return Skipped(path, "not a regular file")
            with open(path, "rb") as handle:
                head = handle.read(max(BINARY_SNIFF_BYTES, formats.SNIFF_BYTES))
        except OSError as error:
            return Problem(str(path), error.strerror or str(error), "read")
        found = formats.detect(path, head)
        if isinstance(found, formats.NotConverted):
            return Skipped(path, f"not converted: {found.why}", relative)
        if found.kind not in ("document", "records") and is_binary_head(head, self.options.encoding):
            return Skipped(path, "binary file (it has a NUL byte)", relative)
        return Input(path, relative, named=False, format=found)

    def _included(self, relative: Path) -> bool:
        return not self.options.include or _matches(relative, self.options.include)

    def _is_skip_folder(self, path: Path) -> bool:
        skip = self.options.skip_folder
        return skip is not None and _same_path(path, skip)

    def _is_own_backup(self, path: Path) -> bool:
        suffix = self.options.backup_suffix
        if (suffix and path.name.endswith(suffix) and len(path.name) > len(suffix)
                and os.path.exists(path.with_name(path.name[: -len(suffix)]))):
            return True
        return is_marked_backup(path)


def _matches(relative: Path, patterns: Sequence[str]) -> bool:
    text = relative.as_posix()
    return any(fnmatch.fnmatch(text, p) or fnmatch.fnmatch(relative.name, p) for p in patterns)


def _same_path(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def is_binary_head(head: bytes, encoding: str = "utf-8") -> bool:
    """Binary, for a walk: a NUL byte near the start (in an encoding without NULs in its
    text), or a start that does not decode as text in `encoding` (UTF-16, UTF-32)."""
    if encoding == "auto":  # UTF-16 or UTF-32 by its byte order mark, else a NUL is binary
        encoding = codepages.byte_order_mark_encoding(head) or "utf-8"
    head = head[:BINARY_SNIFF_BYTES]
    if "\0".encode(encoding) == b"\0" and "a".encode(encoding) == b"a":
        return b"\0" in head[:BINARY_SNIFF_BYTES]
    try:
        text = codecs.getincrementaldecoder(encoding)("strict").decode(head, False)
    except UnicodeError:  # UnicodeDecodeError, or "UTF-16 stream does not start with BOM"
        return True
    return "\0" in text
