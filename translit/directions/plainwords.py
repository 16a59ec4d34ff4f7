"""Latin → Cyrillic of many plain words at once: the common path of `reverse.py`.

Most tokens of Uzbek Latin text are *plain*: letters, small or capitalized (the ʻ of oʻ gʻ
among them), perhaps with a comma or a full stop after them, that no reason keeps Latin, no
lexicon entry spells, no foreign phrase may take, and that the rules of cyrillic.tsv read
without a choice only the reader's sequence could make. Such a token's Cyrillic is its
letters by the rules and nothing else, so the plain tokens of a block are found with one
pattern, checked against sets built once, and spelled together: one pass of a pattern generated
from the rule table (the sequences of two letters or more and those with a context) and
one ``str.translate`` (the letters read alone). Every other token goes the per-word way
(`CyrillicConverter._decided_token`), which stays the reference: the tests hold this path
equal to it.

>>> from translit.tables.wordlists import load_lexicon, load_latin_words
>>> from translit.tables.rules import load_reverse_table
>>> plain = PlainWords(load_reverse_table(), load_lexicon(), load_latin_words())
>>> sorted(plain.convert(["Shahar", "eshik,", "ketsa.", "film", "Linux", "the", "o'g'il"]).items())
[('Shahar', 'Шаҳар'), ('eshik,', 'эшик,'), ('ketsa.', 'кетса.')]
"""

from __future__ import annotations

import bisect
import functools
import itertools
import os
import re
import string
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any, Protocol
else:  # a protocol for type checkers; at run time a class that documents it
    Protocol = object

from .latin import (_CONSONANT, _FOREIGN_CLUSTERS, _VOWELS, _lower_names, starts_with_name,
                    title_names)
from ..tables.rules import OKINA, TUTUQ, TYPED_APOSTROPHES, LatinContext, ReverseRule
from ..tables.wordlists import (Lexicon, LexiconEntry, load_english_words, load_model_forms,
                                load_phrase_words)

# A plain token: small letters, or a capital and small letters, and punctuation after it
# that neither quotes nor joins (foreign.core strips it; the word is then read alone).
# The ʻ of oʻ gʻ (the official mark, which reading by position leaves as it is) is a letter.
# (A ʻ elsewhere: `PlainWords.unplain`.)
_PLAIN_TOKEN = re.compile(rf"^([a-z][a-z{OKINA}]*|[A-Z][a-z{OKINA}]+)([,.!?;:]*)$", re.M)


_accel: Any
try:
    from ..engine import _accel
except ImportError:  # not built here: the pure path
    _accel = None

# What the compiled pass (`PlainWords.accelerated`) reads as the letters of a plain word:
# a..z, the ʻ of oʻ gʻ (as _PLAIN_TOKEN does) and the tutuq ʼ (a typed apostrophe between
# two letters, read by position as latin.normalized reads it).
_ALPHABET = string.ascii_lowercase + OKINA + TUTUQ
_Fits = Callable[[LatinContext | None, str | None], bool]
Region = Callable[..., list[bytes | str]]  # (text, runs, kept spans=None)


class SuffixMatch(Protocol):
    """Uzbek suffixes (reverse.Suffixes): `match(word, at)` after a stem ending at `at`,
    `match(suffixes)` after an apostrophe; the forms of their slots (wordlists.suffix_slots),
    after a stem and after an apostrophe, which the compiled pass reads itself (it calls
    `match` after a name's stem only, where more than the slots decides)."""

    stem_slots: tuple[tuple[str, ...], ...]
    after_name_slots: tuple[tuple[str, ...], ...]

    def match(self, text: str, at: int = ..., /) -> object: ...


class TableSpeller:
    """The rules of cyrillic.tsv for words of small letters, as one pattern and one
    table: `spell` of words joined by line breaks equals `Rules.spell` of each, except in
    the words `hazard` finds (there the reader's previous *sequence* decides a context
    that the letter before cannot: a sequence of two letters or more before a rule with a
    context on what precedes it). The pattern's alternatives are the sequences in the
    reader's order (longest first), each with its rules in the table's order.

    >>> from translit.tables.rules import load_reverse_table
    >>> speller = TableSpeller(load_reverse_table())
    >>> speller.spell("shahar\\neshik\\nketsa\\nfederatsiya\\nobyekt")
    'шаҳар\\nэшик\\nкетса\\nфедерация\\nобъект'
    """

    def __init__(self, rules: Iterable[ReverseRule]) -> None:
        by_sequence: dict[str, list[ReverseRule]] = {}
        for rule in rules:
            by_sequence.setdefault(rule.latin, []).append(rule)
        ordered = sorted(by_sequence.items(), key=lambda item: -len(item[0]))
        alternatives: list[str] = []
        self._outputs: list[str] = []
        letters: dict[int, str] = {}
        hazards: set[str] = set()
        firsts: set[str] = set()
        for sequence, its_rules in ordered:
            contextual = any(r.before is not None or r.after is not None for r in its_rules)
            if len(sequence) == 1 and not contextual and len(its_rules) == 1:
                letters[ord(sequence)] = its_rules[0].cyrillic
                continue
            firsts.add(sequence[0])
            for rule in its_rules:
                alternatives.append(f"({re.escape(sequence)}{_behind(rule.before, sequence)}"
                                    f"{_ahead(rule.after)})")
                self._outputs.append(rule.cyrillic)
                if rule.before is not None:
                    hazards |= {longer + sequence for longer in by_sequence
                                if len(longer) > 1 and _differs(rule.before, longer)}
        # the first letters looked at first: the engine then skips the other letters fast
        self.by_sequence = by_sequence  # in the reader's order (longest first)
        self.ordered = ordered
        self._source = (f"(?=[{re.escape(''.join(sorted(firsts)))}])"
                        f"(?:{'|'.join(alternatives)})")
        self._letters = letters
        self.hazards = tuple(sorted(hazards))

    # The patterns are compiled when first used: the compiled pass (PlainWords.accelerated)
    # reads `ordered` and `hazards`, and never them (a millisecond of every start to Cyrillic).

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str]:
        return re.compile(self._source)

    @functools.cached_property
    def hazard(self) -> re.Pattern[str]:
        return re.compile("|".join(sorted(map(re.escape, self.hazards))) or r"(?!)")

    def spell(self, words: str) -> str:
        """`words` (small letters, separated by line breaks) in Cyrillic."""
        outputs = self._outputs
        return self._pattern.sub(lambda m: outputs[m.lastindex - 1],  # type: ignore[operator]
                                 words).translate(self._letters)


def _members(context: LatinContext) -> str:
    """The single letters of a context's members, as a character class's body."""
    if context.members is None:  # $word: any letter (or apostrophe)
        return r"^\W\d_"
    return "".join(re.escape(m) for m in sorted(context.members) if len(m) == 1) or r"^\s\S"


def _behind(context: LatinContext | None, sequence: str) -> str:
    """What must stand before `sequence`, looked at after it (so that an alternative starts
    with its letters)."""
    if context is None:
        return ""
    return f"(?{'<!' if context.negated else '<='}[{_members(context)}]{re.escape(sequence)})"


def _ahead(context: LatinContext | None) -> str:
    if context is None:
        return ""
    return f"(?{'!' if context.negated else '='}[{_members(context)}])"


def _differs(context: LatinContext, previous: str) -> bool:
    """Whether the reader's answer for the sequence `previous` read before differs from
    the pattern's, which sees its last letter only."""
    if context.members is None:
        return False  # a sequence of letters, and its last letter, are both letters
    return (previous in context.members) != (previous[-1] in context.members)


class AnyOf:
    """The words of several word lists, as one: `in` any of them, and iterating all (not
    their union made as a set: a list may be the compiled module's, wordlists._word_list,
    whose words are not each a str until iterated; the compiled pass reads `parts`).

    >>> words = AnyOf((frozenset({"Linux"}), frozenset({"the", "save"})))
    >>> "the" in words, "kitob" in words, sorted(words)
    (True, False, ['Linux', 'save', 'the'])
    """

    def __init__(self, parts: tuple[Collection[str], ...]) -> None:
        self.parts = parts

    def __contains__(self, word: object) -> bool:
        return any(word in part for part in self.parts)

    def __iter__(self) -> Iterator[str]:  # (each list's words in turn)
        return itertools.chain.from_iterable(self.parts)


class PlainWords:
    """Finds the plain tokens among tokens and converts them at once (see the module)."""

    def __init__(self, rules: Iterable[ReverseRule], lexicon: Mapping[str, LexiconEntry],
                 names: frozenset[str]) -> None:
        self.speller = TableSpeller(rules)
        self.lexicon = lexicon
        # a word of these stays Latin, or may (names, English words, phrase words, a
        # model's words after a name, as written there)
        self.excluded = AnyOf((names | _lower_names(names), load_english_words(),
                               load_phrase_words(), load_model_forms()))
        self.names = title_names(names)  # a word that starts with one may be one (Linuxda)

    # (the pure path's patterns, compiled when it first needs them: see TableSpeller)

    @functools.cached_property
    def vowelless(self) -> re.Pattern[str]:
        """A word without a vowel: it stays Latin (usr, rpm)."""
        vowels = "".join(sorted(c for c in _VOWELS if c.isascii()))
        return re.compile(rf"^[^{vowels}\n]*$", re.M)

    @functools.cached_property
    def unplain(self) -> re.Pattern[str]:
        """A foreign cluster (ph, w ...), a hazard of the speller, a ʻ not after o or g; in
        small letters (the pattern is faster without re.IGNORECASE)."""
        return re.compile(f"{_FOREIGN_CLUSTERS.pattern}|{self.speller.hazard.pattern}"
                          f"|{OKINA}(?<![og]{OKINA})", re.M)

    def prepare(self) -> None:
        """Build now what `convert` builds when first used (before workers fork)."""
        # (each is a cached property: reading it makes it)
        _ = self.prefixes, self.unplain, self.vowelless, self.speller._pattern

    @functools.cached_property
    def prefixes(self) -> set[str]:
        """The first letters (three or more) of the lexicon's keys, and the keys (made when
        first needed: the compiled pass does not)."""
        return {key[:size] for key in self.lexicon for size in range(3, len(key) + 1)}

    def convert(self, tokens: Iterable[str]) -> dict[str, str]:
        """The Cyrillic of the plain tokens among `tokens` (which hold no space)."""
        excluded, lexicon, prefixes, names = self.excluded, self.lexicon, self.prefixes, self.names
        found: list[tuple[str, str, str]] = []
        for word, tail in _PLAIN_TOKEN.findall("\n".join(tokens)):
            lower = word.lower()
            if word in excluded or lower in excluded or lower in lexicon or (
                    word[0] != lower[0] and starts_with_name(word, names)):
                continue
            for size in range(3, len(lower)):
                start = lower[:size]
                if start not in prefixes or start in lexicon:
                    break
            else:
                found.append((word, lower, tail))
                continue
            if start not in lexicon:
                found.append((word, lower, tail))
        if not found:
            return {}
        lowers = "\n".join(lower for _, lower, _ in found)
        ends = list(itertools.accumulate(len(lower) + 1 for _, lower, _ in found))
        unplain = {bisect.bisect_right(ends, m.start()) for m in self.unplain.finditer(lowers)}
        vowelless = set(self.vowelless.findall(lowers))
        spelled = self.speller.spell(lowers).split("\n")
        out: dict[str, str] = {}
        for at, ((word, lower, tail), cyrillic) in enumerate(zip(found, spelled)):
            if at in unplain or lower in vowelless:
                continue
            if word[0] != lower[0]:
                cyrillic = cyrillic[:1].upper() + cyrillic[1:]
            out[word + tail] = cyrillic + tail
        return out

    def accelerated(self, fits: _Fits, long_enough: Callable[[LexiconEntry], bool],
                    suffixes: SuffixMatch) -> Region | None:
        """The compiled pass over a region of text (translit/engine/_accel.c, `plain_region`), or
        None where it is not built or TRANSLIT_PURE is set. ``region(text, runs)`` returns
        ``[done, run, done, ..., done]``: the plain tokens in Cyrillic, in UTF-8 (a plain
        word, perhaps in quotation marks or brackets, or a number), with the spaces around
        them, and each run of other tokens as it is (a str), for the per-token way (unless
        `runs`, a dict, has its output in UTF-8: that is written in its place). It decides as `convert`
        does, from the same sets and rules (`fits` is the reader's test of a context),
        and hands back every token it is not sure of; a plain-looking word with a key of
        the lexicon as its first letters is taken as `CyrillicConverter._word` takes it
        (`long_enough`: whether an entry's choice may be made; `suffixes`: the Uzbek
        suffixes after a stem).

        >>> from translit.directions.reverse import Suffixes, _fits, _long_enough
        >>> from translit.tables.wordlists import load_lexicon, load_latin_words
        >>> from translit.tables.rules import load_reverse_table
        >>> plain = PlainWords(load_reverse_table(), load_lexicon(), load_latin_words())
        >>> region = plain.accelerated(_fits, _long_enough, Suffixes(load_lexicon()))
        >>> region is None or region("«Shahar» eshik, 12 Filmlar Linux  ketsa.", {}) == [
        ...     '«Шаҳар» эшик, 12 Фильмлар '.encode(), 'Linux', '  кетса.'.encode()]
        True
        >>> region is None or region("12 Linux kun.uz ketsa.", {"Linux kun.uz": b"L k"}) == [
        ...     '12 L k кетса.'.encode()]
        True
        """
        if _accel is None or os.environ.get("TRANSLIT_PURE"):
            return None
        letters = [None, *_ALPHABET]
        ordered = self.speller.ordered
        sequences = tuple(
            (sequence, tuple(
                (rule.cyrillic, rule.cyrillic[:1].upper() + rule.cyrillic[1:],
                 rule.cyrillic.upper(),
                 bytes(fits(rule.before, previous)
                       for previous in [None, *(s for s, _ in ordered)]),
                 bytes(fits(rule.after, letter) for letter in letters))
                for rule in its_rules))
            for sequence, its_rules in ordered)
        vowels = "".join(sorted(c for c in _VOWELS if c.isascii() and c.islower()))
        # the keys (the pass hashes them; an entry is made when a word first needs it)
        source = self.lexicon
        lexicon = source.rows if isinstance(source, Lexicon) else dict.fromkeys(source)

        def prepare(key: str) -> tuple[int, str, str, str, str]:
            entry = source[key]
            return _accelerated_entry(entry, long_enough(entry))

        table = _accel.plain_table(_ALPHABET, sequences, self.excluded.parts, self.names, lexicon,
                                   vowels, _CONSONANT, "og", self.speller.hazards, prepare,
                                   suffixes.match, suffixes.stem_slots,
                                   suffixes.after_name_slots, TYPED_APOSTROPHES)
        region: Region = functools.partial(_accel.plain_region, table)
        return region


def _accelerated_entry(entry: LexiconEntry, long_enough: bool) -> tuple[int, str, str, str, str]:
    """A lexicon entry for the compiled pass (PW_* in _accel.c): where it is taken (a
    name's only capitalized; ь, ц, щ only in a key long enough), whether it is a name's
    (the suffixes after it are then `SuffixMatch.match`'s to tell), its Cyrillic and, before
    a suffix, without its last ь; each also capitalized."""
    flags = 16 if entry.name else 0
    if long_enough:
        flags |= 2 | (0 if entry.name else 1)
        if entry.stem:
            flags |= 8 | (0 if entry.name else 4)
    cyrillic = entry.cyrillic
    before_suffix = cyrillic[:-1] if cyrillic.endswith("ь") else cyrillic
    return (flags, cyrillic, cyrillic[:1].upper() + cyrillic[1:], before_suffix,
            before_suffix[:1].upper() + before_suffix[1:])
