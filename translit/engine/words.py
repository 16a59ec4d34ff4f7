"""Words, as every rule sees them, and where text may be cut between them.

The spec: "a word is a maximal run of letters, ъ/ь, combining marks, and U+02BB/U+02BC";
hyphens, digits, spaces and punctuation end a word. Every letter rule looks no further
than its own word, so text can be cut after its last finished word and converted in parts.

>>> text = "ер-сув ва ҳаво"
>>> text[:split_at_last_word(text)]
'ер-сув ва '
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..base.lazy import lazy_pattern

# Combining marks count as word characters; these blocks hold the ones met in text.
COMBINING_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
WORD_CHAR_PATTERN = rf"(?:[^\W\d_]|[{COMBINING_MARKS}])"
WORD_CHAR = lazy_pattern(WORD_CHAR_PATTERN)
WORD_RUN = lazy_pattern(rf"{WORD_CHAR_PATTERN}+")
# The Cyrillic letters: those of the Cyrillic and Cyrillic Supplement blocks (R0.2's "a
# Cyrillic letter"; every letter of Uzbek lies in the first). The one definition: the
# repairs' scans, the accelerator's (CYRILLIC_FIRST/LAST in _accel.c, held equal by a test)
# and `is_cyrillic_letter` read it.
CYRILLIC_FIRST, CYRILLIC_LAST = "\u0400", "\u052f"
CYRILLIC_BLOCKS = f"{CYRILLIC_FIRST}-{CYRILLIC_LAST}"
MAX_HELD_CHARS = 1 << 16  # a longer run of word characters is cut anyway (bounded memory)


def is_word_char(char: str) -> bool:
    return WORD_CHAR.match(char) is not None


def is_cyrillic_letter(char: str) -> bool:
    """A letter of the Cyrillic blocks (U+0400-U+052F).

    >>> is_cyrillic_letter("ж"), is_cyrillic_letter("ԡ"), is_cyrillic_letter("\u0483")
    (True, True, False)
    """
    return CYRILLIC_FIRST <= char <= CYRILLIC_LAST and char.isalpha()


def cyrillic_letters() -> Iterator[str]:
    """Every Cyrillic letter, in code point order.

    >>> letters = list(cyrillic_letters())
    >>> letters[0], letters[-1], len(letters)
    ('Ѐ', 'ԯ', 296)
    """
    return (chr(c) for c in range(ord(CYRILLIC_FIRST), ord(CYRILLIC_LAST) + 1)
            if chr(c).isalpha())


def split_at_last_word(text: str) -> int:
    """Where to cut `text` so that the part before holds only finished words.

    A word longer than MAX_HELD_CHARS is cut anyway.
    """
    limit = max(0, len(text) - MAX_HELD_CHARS)
    cut = len(text)
    while cut > limit and WORD_CHAR.match(text, cut - 1):
        cut -= 1
    return limit if cut == limit and limit else cut


def word_start(text: str, end: int, limit: int = 0) -> int:
    """Where the word that ends at `end` starts (not before `limit`)."""
    start = end
    while start > limit and WORD_CHAR.match(text, start - 1):
        start -= 1
    return start


def word_aligned_pieces(
    text: str, size: int, cut: Callable[[str], int] = split_at_last_word
) -> Iterator[str]:
    """`text` in pieces of about `size` characters, each ending where `cut` allows.

    >>> list(word_aligned_pieces("бир икки уч", 6))
    ['бир ', 'икки ', 'уч']
    """
    start = 0
    while len(text) - start > size:
        window = size
        end = start + cut(text[start : start + window])
        while end == start and start + window < len(text):  # no cut in the window: widen it
            window *= 2
            end = start + cut(text[start : start + window])
        if end == start:
            break
        yield text[start:end]
        start = end
    yield text[start:]


def char_class(chars: Iterable[str]) -> str:
    """A regex character class for `chars`, with runs written as ranges.

    >>> char_class("абвгe^")
    '[\\\\^eа-г]'
    """
    codes = sorted({ord(c) for c in chars})
    parts, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        parts.append(_class_char(codes[i]) if i == j else
                     f"{_class_char(codes[i])}-{_class_char(codes[j])}")
        i = j + 1
    return f"[{''.join(parts)}]"


def _class_char(code: int) -> str:
    # Literal characters parse much faster than \uXXXX escapes (start-up time).
    char = chr(code)
    return "\\" + char if char in "\\]^-[" else char
