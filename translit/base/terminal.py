"""Whether a file is a terminal: one answer for every layer that asks (the preview's colour,
the documents refused on a terminal, the messages' style, the pipe's line buffering)."""

from __future__ import annotations

import os

from .checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any


def is_terminal(file: Any) -> bool:
    """Whether `file` (any object with ``fileno``) is a terminal; False for one without a
    file descriptor (a StringIO, a closed file).

    >>> import io
    >>> is_terminal(io.StringIO())
    False
    """
    try:
        return os.isatty(file.fileno())
    except (AttributeError, OSError, ValueError):  # (io.UnsupportedOperation is an OSError)
        return False
