"""The folder runs' floor: a tree copied file by file as `translit DIR -o OUT` writes it,
with no conversion: each file read whole, written to a temporary file in its output folder
and its write-back started; every 32 files (as translit's ReplaceBatch) each is fsynced,
then each renamed over its name; each output folder fsynced once at the end. What is left
of a folder run's CPU per file beyond this is translit's own.

    python bench/safe_copy.py SOURCE TARGET
"""

import os
import sys
import tempfile

BATCH_FILES = 32  # translit.files.fileio.ReplaceBatch.FILES


def commit(waiting: list[tuple[int, str, str]]) -> None:
    for fd, _, _ in waiting:
        os.fsync(fd)
    for fd, temporary, name in waiting:
        os.replace(temporary, name)
        os.close(fd)
    waiting.clear()


def safe_copy(source: str, target: str) -> None:
    folders = []
    waiting: list[tuple[int, str, str]] = []
    for folder, _, names in os.walk(source):
        out_folder = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(out_folder, exist_ok=True)
        folders.append(out_folder)
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                data = handle.read()
            fd, temporary = tempfile.mkstemp(dir=out_folder, prefix=f".{name}.")
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)  # the write-back started
            waiting.append((fd, temporary, os.path.join(out_folder, name)))
            if len(waiting) >= BATCH_FILES:
                commit(waiting)
    commit(waiting)
    for folder in folders:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


if __name__ == "__main__":
    safe_copy(sys.argv[1], sys.argv[2].rstrip("/") or "/")
