"""The folder runs' floor: a tree copied file by file as `translit DIR -o OUT` writes it,
with no conversion: each file read whole, written to a temporary file in its output folder,
fsynced and renamed over its name; each output folder fsynced once at the end. What is
left of a folder run's CPU per file beyond this is translit's own.

    python bench/safe_copy.py SOURCE TARGET
"""

import os
import sys
import tempfile


def safe_copy(source: str, target: str) -> None:
    folders = []
    for folder, _, names in os.walk(source):
        out_folder = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(out_folder, exist_ok=True)
        folders.append(out_folder)
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                data = handle.read()
            fd, temporary = tempfile.mkstemp(dir=out_folder, prefix=f".{name}.")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, os.path.join(out_folder, name))
    for folder in folders:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


if __name__ == "__main__":
    safe_copy(sys.argv[1], sys.argv[2].rstrip("/") or "/")
