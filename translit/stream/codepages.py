"""Which encoding a file's bytes are in, for ``--encoding auto``: UTF-8 when they are valid
UTF-8, UTF-16 or UTF-32 when they begin with its byte order mark, else the legacy Cyrillic
code page that reads them as plausible Uzbek.

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


# Byte order marks of the Unicode encodings that are not ASCII-compatible, and the codec
# that reads (and drops) each; UTF-32's first, as its little-endian mark begins with
# UTF-16's. A UTF-8 file's mark is text, kept as it is.
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def guess(head: bytes, complete: bool = True) -> str:
    """The encoding of `head` (a file's first bytes; `complete`: all of it): ``utf-8`` when
    valid, else the one its bytes are likely in (`likely_not_utf8`).

    >>> guess("\ufeffЎзбек".encode("utf-16-be")), guess("\ufeffЎзбек".encode("utf-8"))
    ('utf-16', 'utf-8')
    """
    if is_utf8(head, complete):
        return "utf-8"
    return likely_not_utf8(head)


def likely_not_utf8(head: bytes) -> str:
    """The encoding of `head`, bytes that are not UTF-8: UTF-16 or UTF-32 by its byte order
    mark (any legacy code page would read those bytes too, as nonsense), else the legacy
    code page under which it reads most like Uzbek."""
    return byte_order_mark_encoding(head) or likely_legacy(head)


def byte_order_mark_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32, when `head` begins with its byte order mark."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return encoding
    return None


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
