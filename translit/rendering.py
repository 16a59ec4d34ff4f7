"""How Latin is spelled for the chosen apostrophe style. The data files write Latin in
the 1995 spelling with the official apostrophes, in lower case; the engines write that,
and the 2026 letters are a pass of their own over the text (latin.py).

>>> render("oʻgʻil maʼno", Options(apostrophe="ascii"))
"o'g'il ma'no"
"""

from __future__ import annotations

from .options import Options
from .rules import OKINA, TUTUQ

_APOSTROPHE_STYLES = {
    "official": {},
    "ascii": {OKINA: "'", TUTUQ: "'"},
    "typographic": {OKINA: "\u2018", TUTUQ: "\u2019"},
}


def render(latin: str, options: Options) -> str:
    """Spell data-file Latin (official apostrophes, lower case) in the chosen style."""
    for old, new in _APOSTROPHE_STYLES[options.apostrophe].items():
        latin = latin.replace(old, new)
    return latin


def title_case(latin: str) -> str:
    """Capitalise the first character only (str.title() would also capitalise after ʼ)."""
    return latin[:1].upper() + latin[1:]
