"""How Latin is spelled for the chosen options: the alphabet (1995, or the 2026 reform's
letters of data/latin2026.tsv) and the apostrophe style. The data files write Latin in the
1995 spelling with the official apostrophes, in lower case; this turns it into what is
written. (Latin text of the input in the other Latin alphabet is latin.py's.)

>>> render("oʻgʻil shahar maʼno", Options(), letters_2026=True)
'öğil şahar maʼno'
>>> render("oʻgʻil maʼno", Options(apostrophe="ascii"))
"o'g'il ma'no"
"""

from __future__ import annotations

from ..base.options import Options
from ..tables.rules import OKINA, TUTUQ, load_alphabet_2026

_APOSTROPHE_STYLES = {
    "official": {},
    "ascii": {OKINA: "'", TUTUQ: "'"},
    "typographic": {OKINA: "\u2018", TUTUQ: "\u2019"},
}


def render(latin: str, options: Options, letters_2026: bool = False) -> str:
    """Spell data-file Latin (1995, official apostrophes, lower case) as chosen: in the
    apostrophes' style of `options`, and in the 2026 letters if `letters_2026` (the
    direction's choice, latin_targets.py)."""
    if letters_2026:
        latin = load_alphabet_2026().render_2026(latin)
    for old, new in _APOSTROPHE_STYLES[options.apostrophe].items():
        latin = latin.replace(old, new)
    return latin


def title_case(latin: str) -> str:
    """Capitalise the first character only (str.title() would also capitalise after ʼ)."""
    return latin[:1].upper() + latin[1:]
