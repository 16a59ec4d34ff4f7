"""`OptionFields`: the fields of `Options` as keyword arguments, for type checkers.

A module of its own because it is typing's (a ``TypedDict``), which the plain filter does
not import (checking.py): only type checkers and the tests read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from pathlib import Path

    from .options import Apostrophe, Capitals, Quotes, Target


class OptionFields(TypedDict, total=False):
    """The fields of `Options` as keyword arguments (``to_latin(text, apostrophe="ascii")``),
    so that a type checker catches a wrong name or value; a test keeps the two in step."""

    apostrophe: Apostrophe
    target: Target
    capitals: Capitals
    exceptions: tuple[Path, ...]
    contested_exceptions: bool
    lookalikes: bool
    typed_apostrophes: bool
    legacy_font: str | None
    ordinal_dates: bool
    rules: Path | None
    keep_addresses: bool
    keep: tuple[Path, ...]
    convert_all_languages: bool
    quotes: Quotes
