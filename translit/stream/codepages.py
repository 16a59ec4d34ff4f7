"""Which encoding a file's bytes are in, for ``--encoding auto``: UTF-8 when they are valid
UTF-8, else the legacy Cyrillic code page that reads them as plausible Uzbek.

Old Uzbek Cyrillic files are mostly Windows-1251, some KOI8-U or KOI8-R, CP866 (DOS) or
MacCyrillic. The same bytes read in the wrong one of these give symbols, letters of other
languages, or capitals in the middle of words (KOI8 and Windows-1251 swap the cases):
each reading is scored by how much of it looks like Uzbek text, and the best one wins.

>>> text = "Ўзбекистон Республикаси ҳақида маълумот: бу ерда ўқувчилар кўп."
>>> guess(text.replace("ҳ", "х").replace("қ", "к").encode("cp866"))
'cp866'
>>> guess(text.encode("utf-8"))
'utf-8'
>>> guess("Бу ерда китоб бор, мактаб ва университет.".encode("koi8-r"))
'koi8-u'
"""

from __future__ import annotations

import codecs

AUTO = "auto"
# In order of preference when two read the bytes alike (KOI8-U and KOI8-R differ only in
# Ukrainian letters, which Uzbek text does not have).
LEGACY = ("cp1251", "koi8-u", "koi8-r", "cp866", "mac-cyrillic")
SNIFF_BYTES = 1 << 16  # of a file, this much decides its encoding

_UZBEK_SMALL = frozenset("абвгдеёжзийклмнопрстуфхцчшъьэюяўқғҳ")
_UZBEK_CAPITALS = frozenset(c.upper() for c in _UZBEK_SMALL)
# Punctuation an Uzbek text has beside ASCII; anything else outside ASCII is a bad sign.
_PUNCTUATION = frozenset("«»“”„‘’ʻʼ—–…№•·°\u00a0")


def is_utf8(head: bytes, complete: bool = True) -> bool:
    """Whether `head` is valid UTF-8 (a character cut at its end is allowed unless
    `complete`)."""
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, complete)
    except UnicodeDecodeError:
        return False
    return True


def guess(head: bytes, complete: bool = True) -> str:
    """The encoding of `head` (a file's first bytes; `complete`: all of it): ``utf-8`` when
    valid, else the legacy code page that reads it as the most plausible Uzbek."""
    if is_utf8(head, complete):
        return "utf-8"
    return likely_legacy(head)


def likely_legacy(head: bytes) -> str:
    """The legacy Cyrillic code page under which `head` reads most like Uzbek text."""
    best, best_score = LEGACY[0], float("-inf")
    for encoding in LEGACY:
        score = plausibility(head.decode(encoding, "replace"))
        if score > best_score:
            best, best_score = encoding, score
    return best


def plausibility(text: str) -> float:
    """How much `text` looks like Uzbek Cyrillic: small letters and word-initial capitals of
    the Uzbek alphabet count for it; symbols, control characters, other languages' letters
    and capitals in the middle of a word count against it.

    >>> plausibility("Ўзбек тили") > plausibility("ЎЗбЕК ТиЛИ") > plausibility("╨Ю╨╖╨▒╨╡╨║")
    True
    """
    score = 0.0
    before = " "
    for char in text:
        if char in _UZBEK_SMALL:
            score += 2 if char == "ў" else 1
        elif char in _UZBEK_CAPITALS:
            score += -3 if before in _UZBEK_SMALL else 1
        elif char.isascii():
            if char < " " and char not in "\t\n\r\f":
                score -= 4  # a control character
        elif char not in _PUNCTUATION:
            score -= 4  # a symbol, a replacement character, another language's letter
        before = char
    return score
