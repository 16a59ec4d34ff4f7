"""Everything done to the text before the letter rules: the one pipeline both engines run.

In order (spec R0 and R11):

1. the opt-in repairs of R0.3: an old 8-bit font's letters read as what they stand for
   (``legacy_font``), then an apostrophe typed between two Cyrillic letters read as ъ
   (``typed_apostrophes``: ма'но → маъно);
2. Latin look-alike letters in a Cyrillic word read as Cyrillic (R0.2: Тoшкент);
3. decomposed letters composed (R0.1: и + U+0306 → й), nothing else normalised;
4. R11's orthography mode, opt-in: a hyphen for the space after the digits of a year or a
   day (1995 йил 24 август → 1995-йил 24-август).

Every step but the third keeps each character in its place, which the fast engine relies
on. A new repair is added here, once.

>>> from translit.converter.transliterator import get_transliterator
>>> get_transliterator().orthography.repairs.prepare("Тoшкент и\\u0306ўл")
'Тошкент йўл'
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Mapping

from ..base.lazy import lazy_pattern
from ..base.options import Options
from ..tables.rules import load_legacy_font, load_ordinal_words
from .words import CYRILLIC_BLOCK, WORD_CHAR_PATTERN, WORD_RUN, word_start

touches_cyrillic: Callable[[str, bool], bool] | None
try:  # the compiled accelerator's scan for triggers (the same answer as _triggers)
    from ._accel import touches_cyrillic
except ImportError:
    touches_cyrillic = None
# An apostrophe typed for ъ between two Cyrillic letters (R0.3): ма'но, э’лон.
_TYPED_MARKS = "'\u2019\u02bc"
_TYPED_HARD_SIGN = lazy_pattern(rf"(?<=[{CYRILLIC_BLOCK}])[{_TYPED_MARKS}](?=[{CYRILLIC_BLOCK}])")
# What R11's mode reads: a number, a space, a word and the space before the next word
# (30 йиллар олдин); a text that may go on and ends so is held back from the number on.
# The run of digits and [.,:/-] before it is held too: it decides whether a number stands
# on its own (after "1." or "2:" it does not).
_ORDINAL_TAIL = lazy_pattern(rf"(?:[\d.,:/-]+|[\d.,:/-]*\d (?:{WORD_CHAR_PATTERN}+ )?)\Z")
_ORDINAL_REACH = 1024
_NEXT_WORD = lazy_pattern(rf" ({WORD_CHAR_PATTERN}+)")


@functools.lru_cache(maxsize=4)
def _triggers(refuse: str) -> re.Pattern[str]:
    """A Latin letter touching the Cyrillic block (maybe a look-alike to repair) or, in one
    scan, a character of `refuse` (a class body; see `Repairs.prepare`)."""
    if not refuse:
        return re.compile(rf"[A-Za-z](?:(?<=[{CYRILLIC_BLOCK}].)|(?=[{CYRILLIC_BLOCK}]))")
    # With the refused range in the class, sre's scan is also faster than for [A-Za-z] alone.
    return re.compile(rf"[A-Za-z{refuse}](?:(?<=[{refuse}])|(?<=[{CYRILLIC_BLOCK}].)"
                      rf"|(?=[{CYRILLIC_BLOCK}]))")


def accelerated() -> bool:
    """Whether the compiled accelerator's scan is used (built, and not TRANSLIT_PURE=1)."""
    import os

    return touches_cyrillic is not None and not os.environ.get("TRANSLIT_PURE")


@functools.lru_cache(maxsize=4)
def _refused(refuse: str) -> re.Pattern[str]:
    return re.compile(f"[{refuse}]")


class Repairs:
    """The pipeline for one set of options (see the module's docstring)."""

    def __init__(self, options: Options, lookalikes: Mapping[str, str],
                 letters: frozenset[str]) -> None:
        self.options = options
        self.lookalikes = lookalikes
        self.compositions = _compositions(letters)
        self.legacy_letters = _legacy_letters(options)
        self.ordinals, self.ordinal_kinds, self.duration_words = _ordinal_pattern(options)
        # The accelerator scans for the refused range U+D800-U+D8FF only (the fast engine's).
        self.quick_scan = touches_cyrillic if accelerated() else None

    def prepare(self, text: str, refuse: str = "") -> str | None:
        """The text as the rules see it; None if it holds a character of `refuse` (a regex
        class body: the fast engine's private characters, found in the same scan)."""
        before = self._before_composing(text, refuse)
        if before is None:
            return None
        return self.hyphenate_ordinals(self.compose(before))

    def prepare_mapped(self, text: str) -> tuple[str, list[int] | None]:
        """`prepare`, and where each prepared character starts in `text` (None: the same
        place; only composing decomposed letters moves characters)."""
        before = self._before_composing(text, "")
        assert before is not None
        prepared = self.hyphenate_ordinals(self.compose(before))
        if len(prepared) == len(text):
            return prepared, None
        positions, i = [], 0
        by_first = {d[0]: d for d, _ in self.compositions}
        while i < len(before):
            positions.append(i)
            decomposed = by_first.get(before[i])
            i += len(decomposed) if decomposed and before.startswith(decomposed, i) else 1
        positions.append(len(before))
        return prepared, positions

    def _before_composing(self, text: str, refuse: str) -> str | None:
        text = self.repair_typed(text)
        if self.quick_scan is not None:
            if not self.quick_scan(text, bool(refuse)):
                return text
        elif _triggers(refuse).search(text) is None:
            return text  # no Latin letter touches a Cyrillic one (most text)
        triggers = _triggers(refuse)
        found = [m.start() for m in triggers.finditer(text)]
        if refuse and any(_refused(refuse).match(text, at) for at in found):
            return None
        if self.options.lookalikes:
            text = self._repair_lookalikes(text, found)
        return text

    def repair_typed(self, text: str) -> str:
        """The opt-in repairs of R0.3: legacy font letters, then apostrophes typed for ъ."""
        if self.legacy_letters is not None:
            text = text.translate(self.legacy_letters)
        if self.options.typed_apostrophes:
            text = _TYPED_HARD_SIGN.sub(_hard_sign, text)
        return text

    def _repair_lookalikes(self, text: str, triggers: list[int]) -> str:
        """Repair the words around each trigger (the rest of the text is left as it is)."""
        pieces, done = [], 0
        for at in sorted(triggers):
            if at < done:
                continue  # in the word just repaired: a long word is read once, not per trigger
            start, end = _word_around(text, at)
            pieces.append(text[done:start])
            pieces.append(self.repair_word(text[start:end]))
            done = end
        pieces.append(text[done:])
        return "".join(pieces)

    def repair_word(self, word: str) -> str:
        """Read Latin look-alikes in a Cyrillic word as Cyrillic letters (R0.2).

        Only when a Cyrillic letter touches an ASCII letter, and every Latin letter in the
        word is a look-alike.
        """
        if not self.options.lookalikes or not _touches_ascii_letter(word):
            return word
        if any(_is_latin_letter(c) and c not in self.lookalikes for c in word):
            return word
        return "".join(self.lookalikes.get(c, c) for c in word)

    def compose(self, text: str) -> str:
        """Compose decomposed letters of the table (и + U+0306 → й ...), nothing else (R0.1)."""
        for decomposed, composed in self.compositions:
            if decomposed[-1] in text:
                text = text.replace(decomposed, composed)
        return text

    def hyphenate_ordinals(self, text: str) -> str:
        """1995 йил 24 август → 1995-йил 24-август (only with ordinal_dates)."""
        if self.ordinals is None:
            return text
        return self.ordinals.sub(self._ordinal, text)

    def hold(self, text: str, cut: int, limit: int) -> int:
        """Move `cut` back over what a repair may still change when the text goes on (an
        apostrophe typed for ъ joins two words; R11 reads a number and the words after it)."""
        if self.options.typed_apostrophes:
            while (cut - 2 >= limit and text[cut - 1] in _TYPED_MARKS
                   and _is_cyrillic_letter(text[cut - 2])):
                cut = word_start(text, cut - 1, limit)
        if self.ordinals is not None:
            window = max(limit, cut - _ORDINAL_REACH)
            held = _ORDINAL_TAIL.search(text, window, cut)
            if held is not None:
                cut = held.start()
        return cut

    def _ordinal(self, match: re.Match[str]) -> str:
        number, word = match.group(1), match.group(2).lower()
        kind = next(k for w, k in self.ordinal_kinds.items() if word.startswith(w))
        value = int(number)
        if kind == "year":  # a year, or a decade before the plural: 60 йиллар
            decade = len(number) == 2 and value % 10 == 0 and "лар" in word
            if decade and self._duration_follows(match):
                decade = False  # 30 йиллар олдин: "30 years ago", not "the thirties"
            ordinal = 1000 <= value <= 2099 or decade
        else:
            ordinal = 1 <= value <= 31 and len(number) <= 2
        return number + ("-" if ordinal else " ")

    def _duration_follows(self, match: re.Match[str]) -> bool:
        following = _NEXT_WORD.match(match.string, match.end() + len(match.group(2)))
        return following is not None and following.group(1).lower() in self.duration_words


def _word_around(text: str, index: int) -> tuple[int, int]:
    start = index
    while start > 0 and WORD_RUN.match(text, start - 1, start):
        start -= 1
    match = WORD_RUN.match(text, index)
    return start, match.end() if match else index + 1


def _hard_sign(match: re.Match[str]) -> str:
    text, at = match.string, match.start()
    return "Ъ" if text[at - 1].isupper() and text[at + 1].isupper() else "ъ"


def _ordinal_pattern(
    options: Options,
) -> tuple[re.Pattern[str] | None, dict[str, str], frozenset[str]]:
    if not options.ordinal_dates:
        return None, {}, frozenset()
    ordinal = load_ordinal_words()
    words = "|".join(re.escape(w) for w, _ in sorted(ordinal.words, key=lambda p: -len(p[0])))
    pattern = rf"(?<![\d.,:/-])(\d{{1,4}}) (?=((?i:{words}){ordinal.endings})(?!{WORD_CHAR_PATTERN}))"
    return re.compile(pattern), dict(ordinal.words), ordinal.durations


def _legacy_letters(options: Options) -> dict[int, str] | None:
    if options.legacy_font is None:
        return None
    return {ord(old): new for old, new in load_legacy_font(options.legacy_font)}


def _compositions(letters: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(decomposed, composed) for each letter of the table that has a decomposition."""
    pairs = []
    for char in sorted(letters):
        decomposed = unicodedata.normalize("NFD", char)
        if decomposed != char:
            pairs.append((decomposed, char))
    return tuple(pairs)


def _touches_ascii_letter(word: str) -> bool:
    return any(
        (_is_ascii_letter(a) and _is_cyrillic_letter(b))
        or (_is_cyrillic_letter(a) and _is_ascii_letter(b))
        for a, b in itertools.pairwise(word)
    )


def _is_ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _is_cyrillic_letter(char: str) -> bool:
    # The main Cyrillic block only, as the look-alike trigger's scan (CYRILLIC_BLOCK).
    return "\u0400" <= char <= "\u04ff" and char.isalpha()


def _is_latin_letter(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")
