"""Which script a text is written in: Cyrillic, Latin, mixed, or none (no letters).

A web crawl mixes scripts row by row; the first cleaning step of a corpus is to know which
rows are in which script, and to bring them all to one. `detect_script` counts the letters
of each script (every Cyrillic letter, Uzbek's and others'; every Latin letter, with its
diacritics) and names the script that holds the letters, or ``mixed`` when the other script
holds more than `threshold` of them.

>>> detect_script("Тошкент шаҳри")
ScriptShare(script='cyrillic', cyrillic=1.0, latin=0.0, letters=12)
>>> detect_script("Toshkent shahri").script, detect_script("2024 — 15%").script
('latin', 'none')
>>> detect_script("Салом (Salom)")
ScriptShare(script='mixed', cyrillic=0.5, latin=0.5, letters=10)
>>> detect_script("Тошкент шаҳри Uz").script  # 2 Latin letters of 14
'mixed'
>>> detect_script("Тошкент шаҳри Uz", threshold=0.2).script  # 14%: under the threshold
'cyrillic'
"""

from __future__ import annotations


from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same classes, made faster (see base/records.py)
    from ..base.records import NamedTuple

from ..base.lazy import lazy_pattern

SCRIPTS = ("cyrillic", "latin", "mixed", "none")
# Cyrillic, Cyrillic Supplement; Latin: ASCII letters, Latin-1's letters, Latin Extended A
# and B, the IPA and spacing-modifier letters Uzbek writes (ʻ ʼ are letters to Unicode, but
# not to a reader: they are left out), Latin Extended Additional.
_CYRILLIC = lazy_pattern(r"[\u0400-\u0481\u048a-\u052f]")
_LATIN = lazy_pattern(r"[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")


class ScriptShare(NamedTuple):
    """The script of a text, the share of its letters in each script, and how many
    letters it has."""

    script: str  # cyrillic, latin, mixed or none
    cyrillic: float
    latin: float
    letters: int


def detect_script(text: str, threshold: float = 0.0) -> ScriptShare:
    """The script of `text`: the one its letters are written in; ``mixed`` when the other
    script holds more than `threshold` of them (0: any letter of the other script);
    ``none`` without a letter of either.

    >>> [detect_script(text).script for text in ("Салом дунё", "Salom", "Салом Salom", "42")]
    ['cyrillic', 'latin', 'mixed', 'none']
    """
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    letters = cyrillic + latin
    if not letters:
        return ScriptShare("none", 0.0, 0.0, 0)
    share_c, share_l = cyrillic / letters, latin / letters
    if share_l <= threshold:
        script = "cyrillic"
    elif share_c <= threshold:
        script = "latin"
    else:
        script = "mixed"
    return ScriptShare(script, round(share_c, 4), round(share_l, 4), letters)


def has_cyrillic(text: str) -> bool:
    """Whether `text` holds a Cyrillic letter.

    >>> has_cyrillic("Salom"), has_cyrillic("Salom, дўст")
    (False, True)
    """
    return _CYRILLIC.search(text) is not None


def has_latin(text: str) -> bool:
    """Whether `text` holds a Latin letter."""
    return _LATIN.search(text) is not None
