"""Regular expressions compiled when first used.

Compiling the patterns of every module on import cost the plain filter (``cat doc.txt |
translit``) about six milliseconds of its start-up, most of them for patterns its input
never needs (e-mail addresses, subtitles' timings, 2026 letters). A lazy pattern is
compiled on first use; from then on its methods are the compiled pattern's own.

>>> vowel = lazy_pattern("[aeiou]")
>>> vowel.findall("translit")
['a', 'i']
>>> vowel.pattern
'[aeiou]'
"""

from __future__ import annotations

import re

from .checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any, AnyStr

__all__ = ["lazy_pattern"]


class _LazyPattern:
    def __init__(self, pattern: Any, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # Only called for a name not found: once compiled, the compiled pattern's
        # attributes (bound methods included) sit in this object's own dictionary.
        if name == "_source":  # not set yet (a copy being made)
            raise AttributeError(name)
        compiled: Any = re.compile(*self._source)
        for attribute in dir(compiled):
            if not attribute.startswith("__"):
                self.__dict__[attribute] = getattr(compiled, attribute)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_pattern({self._source[0]!r})"


def lazy_pattern(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """A stand-in for ``re.compile(pattern, flags)`` that compiles on first use."""
    return _LazyPattern(pattern, flags)  # type: ignore[return-value]  # used only as one
