"""Plain text: every Cyrillic letter is converted, except what is kept (addresses, the keep
list, ``-{…}-``). It is the core's own streaming converter (stream.py), which the files
layer also splits over worker processes for a large file.
"""

from __future__ import annotations

from ..engine import Transliterator
from ..stream import StreamConverter


def converter(transliterator: Transliterator, *, encoding: str = "utf-8",
              errors: str = "strict") -> StreamConverter:
    """The converter of one plain text file."""
    return StreamConverter(transliterator, encoding=encoding, errors=errors, track_changes=True)
