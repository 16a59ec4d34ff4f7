"""The rule table prepared for one set of options: what both engines interpret.

Both the reference engine (reference.py) and the fast one (fastpath.py) read the same
`Orthography`, so they cannot disagree on classes, case, look-alikes or exceptions.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

from .options import Options
from .rules import (
    KeepList,
    OKINA,
    TUTUQ,
    Context,
    LetterRule,
    RuleTable,
    WordException,
    load_keep_list,
    load_legacy_font,
    load_ordinal_words,
)
from .spans import KeptSpans

# Combining marks count as word characters (spec: "a word is a maximal run of letters,
# ъ/ь, combining marks, and U+02BB/U+02BC"); these blocks hold the ones met in text.
COMBINING_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
WORD_CHAR_PATTERN = rf"(?:[^\W\d_]|[{COMBINING_MARKS}])"
WORD_CHAR = re.compile(WORD_CHAR_PATTERN)
WORD_RUN = re.compile(rf"{WORD_CHAR_PATTERN}+")
CYRILLIC_BLOCK = "\u0400-\u04ff"
# Capitals that make a neighbouring two-letter capital all-caps (R9): the capitals of Latin-1
# and of the Cyrillic block's first rows (Ѐ-Я), plus those of the rule table's letters
# (Ў Қ Ғ Ҳ ...). An explicit set, so that both engines agree exactly.
BASE_CAPITALS = frozenset(c for c in map(chr, range(0x100)) if c.isupper()) | frozenset(
    map(chr, range(0x400, 0x430))
)

_ASCII_LETTER = re.compile("[A-Za-z]")


MAX_HELD_CHARS = 1 << 16  # a longer run of word characters is cut anyway (bounded memory)

_ALPHABET_2026 = (("sh", "ş"), ("ch", "ç"), ("o" + OKINA, "ö"), ("g" + OKINA, "ğ"))
_APOSTROPHE_STYLES = {
    "official": {},
    "ascii": {OKINA: "'", TUTUQ: "'"},
    "typographic": {OKINA: "\u2018", TUTUQ: "\u2019"},
}


def render(latin: str, options: Options) -> str:
    """Spell data-file Latin (1995, official apostrophes, lower case) in the chosen style.

    >>> render("oʻgʻil shahar maʼno", Options(alphabet="latin2026"))
    'öğil şahar maʼno'
    >>> render("oʻgʻil maʼno", Options(apostrophe="ascii"))
    "o'g'il ma'no"
    """
    if options.alphabet == "latin2026":
        for old, new in _ALPHABET_2026:
            latin = latin.replace(old, new)
    for old, new in _APOSTROPHE_STYLES[options.apostrophe].items():
        latin = latin.replace(old, new)
    return latin


def split_at_last_word(text: str) -> int:
    """Where to cut `text` so that the part before holds only finished words.

    Every rule looks no further than its own word, so both parts convert as they would
    together. A word longer than MAX_HELD_CHARS is cut anyway.

    >>> text = "ер-сув ва ҳаво"
    >>> text[:split_at_last_word(text)]
    'ер-сув ва '
    """
    limit = max(0, len(text) - MAX_HELD_CHARS)
    cut = len(text)
    while cut > limit and WORD_CHAR.match(text, cut - 1):
        cut -= 1
    return limit if cut == limit and limit else cut


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


def title_case(latin: str) -> str:
    """Capitalise the first character only (str.title() would also capitalise after ʼ)."""
    return latin[:1].upper() + latin[1:]


@dataclasses.dataclass(frozen=True)
class CharClass:
    """A context of a rule, with both cases of its letters spelled out."""

    text: str
    chars: frozenset[str] | None  # None: the built-in $word class
    negated: bool

    def matches(self, char: str | None) -> bool:
        if char is None:
            found = False
        elif self.chars is None:
            found = WORD_CHAR.match(char) is not None
        else:
            found = char in self.chars
        return found != self.negated


@dataclasses.dataclass(frozen=True)
class Row:
    """One rule of the table, its Latin spelled for the options in all three cases."""

    rule: LetterRule
    before: CharClass | None
    after: CharClass | None
    lower: str
    title: str
    upper: str

    def fits(self, before: str | None, after: str | None) -> bool:
        return (self.before is None or self.before.matches(before)) and (
            self.after is None or self.after.matches(after)
        )


@dataclasses.dataclass(frozen=True)
class CasedException:
    """A word exception in one case pattern (lower, Title or UPPER) with its Latin."""

    entry: WordException
    cyrillic: str
    latin: str


@dataclasses.dataclass(frozen=True)
class Orthography:
    options: Options
    table: RuleTable
    rows: Mapping[str, tuple[Row, ...]]  # by source character, both cases
    exceptions: tuple[CasedException, ...]  # in the order they are tried
    lookalikes: Mapping[str, str]
    compositions: tuple[tuple[str, str], ...]  # (decomposed, composed)
    capitals: frozenset[str]
    legacy_letters: Mapping[int, str] | None  # for str.translate (R0.3, opt-in)
    ordinals: re.Pattern[str] | None  # number + space before a year or month (R11, opt-in)
    ordinal_kinds: Mapping[str, str]
    duration_words: frozenset[str]  # after "N йиллар", they make it a duration (R11)
    kept: KeptSpans  # addresses, the keep list, inline escapes: never converted
    leftover_letters: re.Pattern[str]  # Cyrillic letters no table converts (Kazakh ә ...)

    def kept_spans(self, text: str) -> list[tuple[int, int]]:
        """Where `text` holds what is kept as it is (addresses, the keep list, -{…}-)."""
        return self.kept.find(text)

    def safe_cut(self, text: str) -> int:
        """Where `text`, which may go on, can be cut so that both parts convert as the whole.

        The letter rules look no further than their own word, so the last, maybe unfinished
        word is held back; the opt-in repairs look further (an apostrophe typed for ъ joins
        two words, R11's mode reads a number and the words after it), so what they may still
        change is held back too, and so is what may still turn out to be kept as it is (a
        run of text without spaces that may be an address, an escape not yet closed, with a
        keep list the unfinished line).

        >>> from translit.engine import get_transliterator
        >>> ortho = get_transliterator(Options(ordinal_dates=True)).orthography
        >>> text = "Йил 1995 йи"
        >>> text[:ortho.safe_cut(text)]
        'Йил '
        """
        limit = max(0, len(text) - MAX_HELD_CHARS)
        cut, before = split_at_last_word(text), -1
        while cut != before:  # each hold may make another one needed: until none moves it
            before = cut
            cut = self.kept.hold(text, cut, limit)
            if self.options.typed_apostrophes:
                while (cut - 2 >= limit and text[cut - 1] in _TYPED_MARKS
                       and _is_cyrillic_letter(text[cut - 2])):
                    cut = _word_start(text, cut - 1, limit)
            if self.ordinals is not None:
                window = max(limit, cut - _ORDINAL_REACH)
                held = _ORDINAL_TAIL.search(text, window, cut)
                if held is not None:
                    cut = held.start()
        return cut

    def prepare(self, text: str) -> str:
        """Everything done to the text before the letter rules (R0, and R11's option)."""
        text = self.repair_typed(text)
        text = self.compose(self.repair_lookalikes(text))
        return self.hyphenate_ordinals(text)

    def prepare_mapped(self, text: str) -> tuple[str, list[int] | None]:
        """`prepare`, and where each prepared character starts in `text` (None: the same
        place; only composing decomposed letters moves characters)."""
        prepared = self.prepare(text)
        if len(prepared) == len(text):
            return prepared, None
        composed = self.repair_typed(text)
        composed = self.repair_lookalikes(composed)
        positions, i = [], 0
        by_first = {d[0]: d for d, _ in self.compositions}
        while i < len(composed):
            positions.append(i)
            decomposed = by_first.get(composed[i])
            i += len(decomposed) if decomposed and composed.startswith(decomposed, i) else 1
        positions.append(len(composed))
        return prepared, positions

    def repair_typed(self, text: str) -> str:
        """The opt-in repairs of R0.3: legacy font letters, then apostrophes typed for ъ."""
        if self.legacy_letters is not None:
            text = text.translate(self.legacy_letters)
        if self.options.typed_apostrophes:
            text = _TYPED_HARD_SIGN.sub(_hard_sign, text)
        return text

    def hyphenate_ordinals(self, text: str) -> str:
        """1995 йил 24 август → 1995-йил 24-август (only with ordinal_dates)."""
        if self.ordinals is None:
            return text
        return self.ordinals.sub(self._ordinal, text)

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

    def is_capital(self, char: str | None) -> bool:
        return char in self.capitals

    def latin_for(self, row: Row, char: str, before: str | None, after: str | None) -> str:
        """The Latin of `char` by `row`, cased by rule R9."""
        if char == row.rule.letter:
            return row.lower
        if self.options.capitals == "upper" and (
            self.is_capital(before) or self.is_capital(after)
        ):
            return row.upper
        return row.title

    def compose(self, text: str) -> str:
        """Compose decomposed letters of the table (и + U+0306 → й ...), nothing else (R0.1)."""
        for decomposed, composed in self.compositions:
            if decomposed[-1] in text:
                text = text.replace(decomposed, composed)
        return text

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

    def repair_lookalikes(self, text: str) -> str:
        if not self.options.lookalikes or not _ASCII_LETTER.search(text):
            return text  # no Latin letter: nothing to repair (most text)
        return WORD_RUN.sub(lambda m: self.repair_word(m.group()), text)


# An apostrophe typed for ъ between two Cyrillic letters (R0.3): ма'но, э’лон.
_TYPED_MARKS = "'\u2019\u02bc"
_TYPED_HARD_SIGN = re.compile(rf"(?<=[{CYRILLIC_BLOCK}])[{_TYPED_MARKS}](?=[{CYRILLIC_BLOCK}])")
# What R11's mode reads: a number, a space, a word and the space before the next word
# (30 йиллар олдин); a text that may go on and ends so is held back from the number on.
# The run of digits and [.,:/-] before it is held too: it decides whether a number stands
# on its own (after "1." or "2:" it does not).
_ORDINAL_TAIL = re.compile(rf"(?:[\d.,:/-]+|[\d.,:/-]*\d (?:{WORD_CHAR_PATTERN}+ )?)\Z")
_ORDINAL_REACH = 1024
_NEXT_WORD = re.compile(rf" ({WORD_CHAR_PATTERN}+)")


def _word_start(text: str, end: int, limit: int) -> int:
    start = end
    while start > limit and WORD_CHAR.match(text, start - 1):
        start -= 1
    return start


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


def _touches_ascii_letter(word: str) -> bool:
    return any(
        (_is_ascii_letter(a) and _is_cyrillic_letter(b))
        or (_is_cyrillic_letter(a) and _is_ascii_letter(b))
        for a, b in itertools.pairwise(word)
    )


def _is_ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def is_cyrillic_letter(char: str) -> bool:
    """A letter of the Cyrillic blocks (U+0400-U+052F)."""
    return "\u0400" <= char <= "\u052f" and char.isalpha()


def _is_cyrillic_letter(char: str) -> bool:
    # The main Cyrillic block only, as the fast engine's look-alike scan (CYRILLIC_BLOCK).
    return "\u0400" <= char <= "\u04ff" and char.isalpha()


def _is_latin_letter(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")


def build_orthography(table: RuleTable, options: Options) -> Orthography:
    letters = table.letters
    upper_of = {letter: letter.upper() for letter in letters}
    rows: dict[str, tuple[Row, ...]] = {}
    for letter in letters:
        prepared = tuple(_row(rule, upper_of, options) for rule in table.rules_for(letter))
        rows[letter] = rows[upper_of[letter]] = prepared
    ordinals, ordinal_kinds, durations = _ordinal_pattern(options)
    keep: KeepList | None = load_keep_list(options.keep) if options.keep else None
    legacy_letters = _legacy_letters(options)
    return Orthography(
        options=options,
        table=table,
        rows=MappingProxyType(rows),
        exceptions=_cased_exceptions(table.exceptions, options),
        lookalikes=MappingProxyType(dict(table.lookalikes)),
        compositions=_compositions(rows),
        capitals=BASE_CAPITALS | frozenset(upper_of.values()),
        legacy_letters=legacy_letters,
        ordinals=ordinals,
        ordinal_kinds=MappingProxyType(ordinal_kinds),
        duration_words=durations,
        kept=KeptSpans(options.keep_addresses, keep),
        leftover_letters=_leftover_pattern(rows, legacy_letters),
    )


def _leftover_pattern(rows: Mapping[str, tuple[Row, ...]],
                      legacy: Mapping[int, str] | None) -> re.Pattern[str]:
    """Cyrillic letters that no table converts or repairs (they pass through as they are)."""
    known = set(rows) | {chr(code) for code in legacy or {}}
    unknown = [chr(c) for c in range(0x400, 0x530) if chr(c).isalpha() and chr(c) not in known]
    return re.compile("[" + "".join(unknown) + "]")


def _legacy_letters(options: Options) -> dict[int, str] | None:
    if options.legacy_font is None:
        return None
    return {ord(old): new for old, new in load_legacy_font(options.legacy_font)}


def _row(rule: LetterRule, upper_of: Mapping[str, str], options: Options) -> Row:
    latin = render(rule.latin, options)
    return Row(
        rule=rule,
        before=_char_class(rule.before, upper_of),
        after=_char_class(rule.after, upper_of),
        lower=latin,
        title=title_case(latin),
        upper=latin.upper(),
    )


def _char_class(context: Context | None, upper_of: Mapping[str, str]) -> CharClass | None:
    if context is None:
        return None
    if context.letters is None:
        return CharClass(context.text, None, context.negated)
    chars = set(context.letters)
    chars.update(upper_of.get(c, c.upper()) for c in context.letters)
    return CharClass(context.text, frozenset(chars), context.negated)


def _cased_exceptions(
    entries: tuple[WordException, ...], options: Options
) -> tuple[CasedException, ...]:
    active = [e for e in entries if e.user or e.default_on or options.contested_exceptions]
    # User entries first, then longer before shorter, so the most specific entry wins.
    active.sort(key=lambda e: (not e.user, -len(e.cyrillic)))
    cased: list[CasedException] = []
    for entry in active:
        latin = render(entry.latin, options)
        forms = (
            (entry.cyrillic, latin),
            (title_case(entry.cyrillic), title_case(latin)),
            (entry.cyrillic.upper(), latin.upper()),
        )
        cased.extend(CasedException(entry, cyr, lat) for cyr, lat in dict(forms).items())
    return tuple(cased)


def _compositions(rows: Mapping[str, tuple[Row, ...]]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for char in rows:
        decomposed = unicodedata.normalize("NFD", char)
        if decomposed != char:
            pairs.append((decomposed, char))
    return tuple(pairs)
