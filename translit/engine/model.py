"""The rule table prepared for one set of options: what both engines interpret.

Both the reference engine (reference.py) and the fast one (fastpath.py) read the same
`Orthography`, so they cannot disagree on classes, case, look-alikes or exceptions; what is
done to the text before the rules is the `Repairs` pipeline (repairs.py), and how Latin is
spelled for the options is rendering.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from ..base.checking import TYPE_CHECKING  # not typing's (see there)

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same classes, made faster (see records.py)
    from ..base.records import NamedTuple

from ..base.lazy import lazy_pattern
from ..base.options import Options
from .rendering import render, title_case
from .repairs import Repairs
from ..tables.rules import (
    Context,
    KeepList,
    LetterRule,
    RuleTable,
    WordException,
    load_keep_list,
)
from .spans import KeptSpans
from .words import MAX_HELD_CHARS, WORD_CHAR, char_class, cyrillic_letters, split_at_last_word

# Capitals that make a neighbouring two-letter capital all-caps (R9): the capitals of Latin-1
# and of the Cyrillic block's first rows (Ѐ-Я), plus those of the rule table's letters
# (Ў Қ Ғ Ҳ ...). An explicit set, so that both engines agree exactly.
BASE_CAPITALS = frozenset(c for c in map(chr, range(0x100)) if c.isupper()) | frozenset(
    map(chr, range(0x400, 0x430))
)


class CharClass(NamedTuple):
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


class Row(NamedTuple):
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


class CasedException(NamedTuple):
    """A word exception in one case pattern (lower, Title or UPPER) with its Latin."""

    entry: WordException
    cyrillic: str
    latin: str


class Orthography(NamedTuple):
    options: Options
    table: RuleTable
    rows: Mapping[str, tuple[Row, ...]]  # by source character, both cases
    exceptions: tuple[CasedException, ...]  # in the order they are tried
    capitals: frozenset[str]
    repairs: Repairs  # what is done to the text before the rules (R0, and R11's option)
    kept: KeptSpans  # addresses, the keep list, inline escapes: never converted
    leftover_letters: re.Pattern[str]  # Cyrillic letters no table converts (Kazakh ә ...)
    leftover_chars: frozenset[str]  # the same letters, as a set

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

        >>> from translit.converter.transliterator import get_transliterator
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
            cut = self.repairs.hold(text, cut, limit)
        return cut

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


def build_orthography(table: RuleTable, options: Options,
                      letters_2026: bool = False) -> Orthography:
    """The rule table made ready for `options`; its Latin in the 2026 letters if
    `letters_2026` (the direction to ``latin2026``)."""
    letters = table.letters
    upper_of = {letter: letter.upper() for letter in letters}
    rows: dict[str, tuple[Row, ...]] = {}
    for letter in letters:
        prepared = tuple(_row(rule, upper_of, options, letters_2026) for rule in table.rules_for(letter))
        rows[letter] = rows[upper_of[letter]] = prepared
    keep: KeepList | None = load_keep_list(options.keep) if options.keep else None
    repairs = Repairs(options, MappingProxyType(dict(table.lookalikes)), frozenset(rows))
    leftovers = _leftover_letters(rows, repairs.legacy_letters)
    return Orthography(
        options=options,
        table=table,
        rows=MappingProxyType(rows),
        exceptions=_cased_exceptions(table.exceptions, options, letters_2026),
        capitals=BASE_CAPITALS | frozenset(upper_of.values()),
        repairs=repairs,
        kept=KeptSpans(options.keep_addresses, keep),
        # Compiled when first used (most text has none of them; the accelerator's one
        # pass reads the set): compiling it was half a millisecond of every start. As
        # ranges, they compile faster; with none, a pattern that matches nothing.
        leftover_letters=lazy_pattern(char_class(leftovers) if leftovers else "(?!)"),
        leftover_chars=leftovers,
    )


def _leftover_letters(rows: Mapping[str, tuple[Row, ...]],
                      legacy: Mapping[int, str] | None) -> frozenset[str]:
    """Cyrillic letters that no table converts or repairs (they pass through as they are)."""
    known = set(rows) | {chr(code) for code in legacy or {}}
    return frozenset(c for c in cyrillic_letters() if c not in known)


def _row(rule: LetterRule, upper_of: Mapping[str, str], options: Options,
         letters_2026: bool) -> Row:
    latin = render(rule.latin, options, letters_2026)
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
    entries: tuple[WordException, ...], options: Options, letters_2026: bool
) -> tuple[CasedException, ...]:
    active = [e for e in entries if e.user or e.default_on or options.contested_exceptions]
    # User entries first, then longer before shorter, so the most specific entry wins.
    active.sort(key=lambda e: (not e.user, -len(e.cyrillic)))
    cased: list[CasedException] = []
    for entry in active:
        latin = render(entry.latin, options, letters_2026)
        forms = (
            (entry.cyrillic, latin),
            (title_case(entry.cyrillic), title_case(latin)),
            (entry.cyrillic.upper(), latin.upper()),
        )
        cased.extend(CasedException(entry, cyr, lat) for cyr, lat in dict(forms).items())
    return tuple(cased)
