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
on. The repairs an option turns on (all but the third) are the entries of `REPAIRS`, in
ftfy's manner: each names its option, its step, what it holds back at a chunk edge, where
it may act and how the preview marks it; the command line's flags, the accelerator's
trigger scan (held equal by tests/test_accel.py), the preview and the tests' strategies
read them from there. A new repair is a method here, an entry in `REPAIRS`, its field in
`Options` and its test.

>>> from translit.converter.transliterator import get_transliterator
>>> get_transliterator().orthography.repairs.prepare("Тoшкент и\\u0306ўл")
'Тошкент йўл'
>>> [repair.flag for repair in REPAIRS]
['--legacy-font', '--typed-apostrophes', '--no-lookalikes', '--ordinal-dates']
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Mapping

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any

from ..base.lazy import lazy_pattern
from ..base.options import Options
from ..tables.rules import load_legacy_font, load_ordinal_words
from .words import (
    CYRILLIC_BLOCKS,
    WORD_CHAR_PATTERN,
    WORD_RUN,
    char_class,
    is_cyrillic_letter,
    word_start,
)

touches_cyrillic: Callable[[str, bool], bool] | None
try:  # the compiled accelerator's scan for triggers (the same answer as _triggers)
    from ._accel import touches_cyrillic
except ImportError:
    touches_cyrillic = None
# The Latin letters that may be look-alikes where they touch a Cyrillic letter (R0.2); the
# accelerator's scans look for the same (held equal by tests/test_accel.py).
LOOKALIKE_LETTERS = "A-Za-z"
# (the same letters, each: what the accelerator's scan for them looks at)
_LOOKALIKE_ASCII = "".join(re.findall(f"[{LOOKALIKE_LETTERS}]", "".join(map(chr, range(0x80)))))
LOOKALIKE_TRIGGER = (rf"[{LOOKALIKE_LETTERS}](?:(?<=[{CYRILLIC_BLOCKS}].)"
                     rf"|(?=[{CYRILLIC_BLOCKS}]))")
# An apostrophe typed for ъ between two Cyrillic letters (R0.3): ма'но, э’лон.
_TYPED_MARKS = "'\u2019\u02bc"
_TYPED_HARD_SIGN = lazy_pattern(rf"(?<=[{CYRILLIC_BLOCKS}])[{_TYPED_MARKS}](?=[{CYRILLIC_BLOCKS}])")
# What R11's mode reads: a number, a space, a word and the space before the next word
# (30 йиллар олдин); a text that may go on and ends so is held back from the number on.
# The run of digits and [.,:/-] before it is held too: it decides whether a number stands
# on its own (after "1." or "2:" it does not).
_ORDINAL_TAIL = lazy_pattern(rf"(?:[\d.,:/-]+|[\d.,:/-]*\d (?:{WORD_CHAR_PATTERN}+ )?)\Z")
_ORDINAL_REACH = 1024
_NEXT_WORD = lazy_pattern(rf" ({WORD_CHAR_PATTERN}+)")


@functools.lru_cache(maxsize=4)
def _triggers(refuse: str) -> re.Pattern[str]:
    """A Latin letter touching a Cyrillic one (maybe a look-alike to repair) or, in one
    scan, a character of `refuse` (a class body; see `Repairs.prepare`)."""
    if not refuse:
        return re.compile(LOOKALIKE_TRIGGER)
    # With the refused range in the class, sre's scan is also faster than for [A-Za-z] alone.
    return re.compile(rf"[{LOOKALIKE_LETTERS}{refuse}](?:(?<=[{refuse}])"
                      rf"|(?<=[{CYRILLIC_BLOCKS}].)|(?=[{CYRILLIC_BLOCKS}]))")


def _touches(quick_scan: Callable[[str, bool], bool], text: str) -> bool:
    return quick_scan(text, False)


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
        self.active = tuple(repair for repair in REPAIRS if repair.turned_on(options))
        # The pipeline's stages (the registry's order): the steps before the look-alikes'
        # scan, after it, and after composing; the look-alikes share the fast engine's scan.
        scan = REPAIRS.index(LOOKALIKES)
        self._before_scan = tuple(r.step for r in self.active if REPAIRS.index(r) < scan)
        self._after_scan = tuple(r.step for r in self.active
                                 if REPAIRS.index(r) > scan and not r.after_composing)
        self._after_composing = tuple(r.step for r in self.active if r.after_composing)
        self._holds = tuple(r.hold for r in self.active if r.hold is not None)
        self._lookalikes = LOOKALIKES in self.active

    @property
    def crosses_words(self) -> bool:
        """Whether a repair turned on may change the text between words (the preview then
        compares what lies between the words of a line, not only the words it points at)."""
        return any(repair.crosses_words for repair in self.active)

    def triggers(self) -> list[str]:
        """A regular expression for each repair turned on that finds where it may change the
        text (the repairs that cross words have none: see `crosses_words`)."""
        return [pattern for pattern, _, _ in self.trigger_scans()]

    def trigger_scans(self) -> list[tuple[str, Callable[[str], bool] | None, str | None]]:
        """`triggers`, each with a quick scan that is false for a text it matches nowhere
        in, or None: the look-alikes' is the accelerator's (`touches_cyrillic`); and the
        characters one of which that scan needs (an ASCII letter), or None."""
        found: list[tuple[str, Callable[[str], bool] | None, str | None]] = []
        for repair in self.active:
            pattern = repair.triggers(self) if repair.triggers else ""
            if pattern:
                quick = self.quick_scan if repair is LOOKALIKES else None
                found.append((pattern, None, None) if quick is None else (
                    pattern, functools.partial(_touches, quick), _LOOKALIKE_ASCII))
        return found

    def prepare(self, text: str, refuse: str = "") -> str | None:
        """The text as the rules see it; None if it holds a character of `refuse` (a regex
        class body: the fast engine's private characters, found in the same scan)."""
        before = self._before_composing(text, refuse)
        if before is None:
            return None
        return self._after(self.compose(before))

    def prepare_mapped(self, text: str) -> tuple[str, list[int] | None]:
        """`prepare`, and where each prepared character starts in `text` (None: the same
        place; only composing decomposed letters moves characters)."""
        before = self._before_composing(text, "")
        assert before is not None
        prepared = self._after(self.compose(before))
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
        for step in self._before_scan:
            text = step(self, text)
        if self.quick_scan is not None:
            if not self.quick_scan(text, bool(refuse)):
                return self._after_scanning(text)
        elif _triggers(refuse).search(text) is None:
            return self._after_scanning(text)  # no Latin letter touches a Cyrillic one (most text)
        triggers = _triggers(refuse)
        found = [m.start() for m in triggers.finditer(text)]
        if refuse and any(_refused(refuse).match(text, at) for at in found):
            return None
        if self._lookalikes:
            text = self._repair_lookalikes(text, found)
        return self._after_scanning(text)

    def _after_scanning(self, text: str) -> str:
        for step in self._after_scan:
            text = step(self, text)
        return text

    def _after(self, text: str) -> str:
        for step in self._after_composing:
            text = step(self, text)
        return text

    def repair_legacy_font(self, text: str) -> str:
        """An old 8-bit font's letters read as what they stand for (R0.3, ``legacy_font``)."""
        return text.translate(self.legacy_letters) if self.legacy_letters is not None else text

    def repair_typed_apostrophes(self, text: str) -> str:
        """An apostrophe typed between two Cyrillic letters read as ъ (R0.3: ма'но → маъно)."""
        return _TYPED_HARD_SIGN.sub(_hard_sign, text)

    def repair_lookalikes(self, text: str) -> str:
        """Latin look-alikes in Cyrillic words read as Cyrillic (R0.2; the pipeline finds the
        words to repair in the fast engine's own scan)."""
        return self._repair_lookalikes(text, [m.start() for m in _triggers("").finditer(text)])

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
        for hold in self._holds:
            cut = hold(self, text, cut, limit)
        return cut

    def _hold_typed_apostrophes(self, text: str, cut: int, limit: int) -> int:
        while (cut - 2 >= limit and text[cut - 1] in _TYPED_MARKS
               and is_cyrillic_letter(text[cut - 2])):
            cut = word_start(text, cut - 1, limit)
        return cut

    def _hold_ordinal_dates(self, text: str, cut: int, limit: int) -> int:
        window = max(limit, cut - _ORDINAL_REACH)
        held = _ORDINAL_TAIL.search(text, window, cut)
        return cut if held is None else held.start()

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


class Repair:
    """One repair an option turns on: an entry of `REPAIRS`. (A plain class: a record class
    of twelve fields would cost the plain filter's start-up the compiling of its template.)"""

    def __init__(
        self,
        option: str,  # the field of `Options` that turns it on (its default there)
        rule: str,  # the spec's rule
        step: Callable[[Repairs, str], str],  # what it does to the text
        # What it holds back at the end of a chunk when more text may follow (the streaming
        # converter; `Orthography.safe_cut`): a new cut, before the given one.
        hold: Callable[[Repairs, str, int, int], int] | None,
        # Where it may change the text, as a regular expression (the preview explains the
        # words it finds); None for a repair that crosses words.
        triggers: Callable[[Repairs], str] | None,
        *,
        crosses_words: bool,  # it may change what lies between words (R11's hyphen)
        mark: str,  # the kind of change the preview marks and colours (reference.KINDS)
        help: str,  # the command line flag's help
        metavar: str = "",  # the flag takes a value (its name in the help)
        values: tuple[Any, ...] = (False, True),  # what the option may be: the tests try each
        one_pass: bool = False,  # the accelerator's one pass over UTF-8 bytes does it too
        after_composing: bool = False,  # it reads composed letters (runs after R0.1)
    ) -> None:
        self.option, self.rule, self.step, self.hold = option, rule, step, hold
        self.triggers, self.crosses_words, self.mark, self.help = triggers, crosses_words, mark, help
        self.metavar, self.values, self.one_pass = metavar, values, one_pass
        self.after_composing = after_composing

    def __repr__(self) -> str:
        return f"Repair({self.option!r})"

    def turned_on(self, options: Options) -> bool:
        value = getattr(options, self.option)
        return value is not None and value is not False

    @property
    def default(self) -> Any:
        """Its option's default (`Options`)."""
        return Options._field_defaults[self.option]

    @property
    def flag(self) -> str:
        """The command line's flag: ``--option-name``, or ``--no-option-name`` for an option
        on by default."""
        name = self.option.replace("_", "-")
        return f"--no-{name}" if self.default is True else f"--{name}"


# The registry, in the pipeline's order (the look-alikes after the repairs that may make a
# Cyrillic letter beside a Latin one; R11 after composing, since its words are composed).
REPAIRS: tuple[Repair, ...] = (
    Repair("legacy_font", "R0.3", Repairs.repair_legacy_font, None,
           lambda repairs: char_class(map(chr, repairs.legacy_letters or ())),
           crosses_words=False, mark="repair",
           help="Old 8-bit font letters (anyflip-2022, azkurs-1993).", metavar="NAME",
           values=(None, "anyflip-2022", "azkurs-1993")),
    Repair("typed_apostrophes", "R0.3", Repairs.repair_typed_apostrophes,
           Repairs._hold_typed_apostrophes, lambda repairs: f"[{_TYPED_MARKS}]",
           crosses_words=True, mark="repair", help="Read ' between Cyrillic letters as ъ."),
    Repair("lookalikes", "R0.2", Repairs.repair_lookalikes, None,
           lambda repairs: LOOKALIKE_TRIGGER, crosses_words=False, mark="lookalike",
           help="Leave Latin look-alikes in Cyrillic words.", one_pass=True),
    Repair("ordinal_dates", "R11", Repairs.hyphenate_ordinals, Repairs._hold_ordinal_dates,
           None, crosses_words=True, mark="ordinal",
           help="1995 йил → 1995-yil (orthography mode).", after_composing=True),
)
LOOKALIKES = REPAIRS[2]


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
        (_is_ascii_letter(a) and is_cyrillic_letter(b))
        or (is_cyrillic_letter(a) and _is_ascii_letter(b))
        for a, b in itertools.pairwise(word)
    )


def _is_ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _is_latin_letter(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")
