"""The one error of the formats, in a module of its own so that every helper and format
can raise it without importing the registry (`translit.formats` re-exports it)."""

from __future__ import annotations


class FormatError(ValueError):
    """A file that is not what its format says (damaged, encrypted, not valid JSON ...);
    the message says what is wrong, in one line."""


FormatError.__module__ = "translit.formats"  # its public name, in tracebacks and pickles
