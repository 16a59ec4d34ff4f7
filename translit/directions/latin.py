"""Latin words: how their apostrophes are read, which are not Uzbek, and the two Latin
alphabets (1995 ↔ 2026, by data/latin2026.tsv).

Apostrophes are read by position: after o and g any of ʻ ' ` ‘ ’ ʼ ´ ′ is the ʻ of oʻ gʻ,
elsewhere inside a word the tutuq ʼ; at the edge of a word it is a quotation mark.

>>> respell = To2026(Options())
>>> respell.text("Oʻzbekiston shahri, choʻl, Isʼhoq, Windows")
'Özbekiston şahri, çöl, Ishoq, Windows'
>>> To1995(Options()).text("Özbekiston şahri, çöl, Ishoq")
'Oʻzbekiston shahri, choʻl, Isʼhoq'
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator

from ..base.checking import TYPE_CHECKING  # not typing's (see there)

if TYPE_CHECKING:
    from typing import NamedTuple

    from ..tables.rules import Alphabet2026
else:  # the same classes, made faster (see records.py)
    from ..base.records import NamedTuple

from ..base.lazy import lazy_pattern
from ..base.options import Options
from ..engine.rendering import render
from ..engine.spans import overlaps
from ..tables.rules import (
    OKINA,
    TUTUQ,
    TYPED_APOSTROPHES,
    load_alphabet_2026,
)
from ..tables.wordlists import is_uzbek, load_english_words, load_latin_words

APOSTROPHES = frozenset(TYPED_APOSTROPHES)
# A run of letters and apostrophes (apostrophes at its edges are quotation marks).
WORD_CHAR = rf"(?:[^\W\d_]|[{re.escape(TYPED_APOSTROPHES)}\u0300-\u036f])"
WORD = lazy_pattern(WORD_CHAR + "+")
_RUN_TAIL = lazy_pattern(WORD_CHAR + "*")
# WORD_CHAR's characters but the letters, which str methods tell ([^\W\d_]: alphanumeric,
# and not a decimal digit).
_WORD_MARKS = frozenset(TYPED_APOSTROPHES) | {chr(code) for code in range(0x300, 0x370)}
_CYRILLIC_LETTER = lazy_pattern("[\u0400-\u052f]")
# The most words (runs, tokens) a direction remembers the conversion of: memory stays bounded.
WORD_CACHE = 100_000
UZBEK_LETTERS = frozenset("abcdefghijklmnopqrstuvxyz" + OKINA + TUTUQ)  # c: of ch
# Letters together as no Uzbek word has them (English, German, code): ph, w, c outside ch,
# th at the start (Thomas, Theodor: Uzbek writes th only after a vowel, fath, sath,
# Fathulla), oo not at the start, at the end (root, book: kooperativ keeps its oo, and the
# date format's OO, kun.oy.yil, is Uzbek), ue at the end (True), y between consonants or
# after one at the end (Type, Proxy: Uzbek y meets a vowel). (Each alternative starts with
# a letter, which lets the engine skip fast: plainwords.py; a word's start is where no
# character but a line break is before: plainwords.py joins words with line breaks.)
_CONSONANT = "bdfgjklmnpqrstvxz"
_FOREIGN_CLUSTERS = lazy_pattern(
    rf"ph|ck|w|c(?!h)|t(?<![^\n]t)h|o(?<=[^\n]o)o[{_CONSONANT}]{{0,2}}$|ue$"
    rf"|y(?<=[{_CONSONANT}]y)(?=[{_CONSONANT}]|$)",
    re.I)
_VOWELS = frozenset("aeiouöAEIOUÖ")
# Short words without a vowel that are Uzbek abbreviations all the same (units, numbers).
_ABBREVIATIONS = frozenset({"mln", "mlrd", "km", "kg", "sm", "mm", "ml", "kv", "gr", "dm",
                            "mg", "sh", "t", "kvt", "mkm"})
# The exponent of a unit (km², sm³): the unit is the abbreviation before it.
_EXPONENTS = "¹²³"
_ROMAN = lazy_pattern(r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_DIGRAPH_TAILS = frozenset({"sh", "ch", "ye", "yo", "yu", "ya", "ts"})


@functools.lru_cache(maxsize=1)
def _stems_2026() -> re.Pattern[str]:
    """The stems of latin2026.tsv as 2026 spells them, at the start of a word (Ishoq)."""
    spelled = _spelled_stems()
    # The look-ahead for the first letters comes first: with it the regex engine skips
    # ahead to those letters (a look-behind first makes it try every position).
    return re.compile(f"(?={_class_of(s[0] for s in spelled)})"
                      r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, spelled)) + ")",
                      re.IGNORECASE) if spelled else re.compile(r"(?!)")


def _spelled_stems() -> list[str]:
    return sorted((to_2026(stem) for stem in load_alphabet_2026().stems), key=len,
                  reverse=True)


def _class_of(characters: Iterable[str]) -> str:
    """A regular expression's class of `characters`.

    >>> print(_class_of("mia^"))
    [\\^aim]
    """
    return "[" + "".join(sorted(map(re.escape, set(characters)))) + "]"


def _is_word_char(char: str) -> bool:
    """Whether `char` is one of WORD_CHAR (a run's start is read back from its trigger a
    character at a time: no pattern matched for each)."""
    return char.isalnum() and not char.isdecimal() or char in _WORD_MARKS


def normalized(word: str) -> str:
    """A word's apostrophes read by position (ʻ after o and g, else ʼ); its 2026 letters as
    the 1995 spelling (with the tutuq of sʼh where s and h stand apart); case kept.

    >>> normalized("O'zbek so`z Ma'no Şahar Ishöq")
    'Oʻzbek soʻz Maʼno Shahar Isʼhoʻq'
    """
    if word.isascii() and "'" not in word and "`" not in word:
        return word  # most words: no apostrophe, no 2026 letter
    alphabet = load_alphabet_2026()
    if any(c.lower() in alphabet.letters_2026 for c in word):
        word = to_1995(word, OKINA, TUTUQ)
    out = []
    for i, char in enumerate(word):
        if char in APOSTROPHES:
            char = OKINA if i and word[i - 1] in "oOgG" else TUTUQ
        out.append(char)
    return "".join(out)


def word_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """The words of `text`, without the quotation marks at their edges. An apostrophe after
    o or g at a word's end is the ʻ of oʻ gʻ (togʻ), unless the word was opened by the same
    mark and reads as an Uzbek word without it: then it closes a quotation ('Xato').

    >>> text = "'Xato' togʻ' 'bogʻ'"
    >>> [text[a:b] for a, b in word_spans(text)]
    ['Xato', 'togʻ', 'bogʻ']
    """
    for match in WORD.finditer(text, start, len(text) if end is None else end):
        a, b = match.span()
        while a < b and text[a] in APOSTROPHES:
            a += 1
        opened = text[a - 1] if a > match.start() else ""
        while b > a and text[b - 1] in APOSTROPHES and not (
                b - 1 > a and text[b - 2] in "oOgG" and not _closes(text, a, b, opened)):
            b -= 1
        if b > a:
            yield a, b


def _closes(text: str, start: int, end: int, opened: str) -> bool:
    """Whether the apostrophe ending text[start:end], after o or g, closes a quotation that
    `opened` opened: the same mark, and no Uzbek word has the ʻ there ('Xato', not 'bogʻ')."""
    if not opened or text[end - 1] != opened or text[end - 2] in "gG" and end - 2 == start:
        return False
    with_mark = normalized(text[start:end]).lower()
    return not is_uzbek(with_mark) or is_uzbek(with_mark[:-1])


class StaysLatin(NamedTuple):
    """Why a word or token stays Latin (what decided it, for explain): its id says which
    reason (latin.name, latin.english, latin.option, latin.phrase ...)."""

    note: str
    where: str = ""
    id: str = "latin"


def stays_latin(word: str) -> StaysLatin | None:
    """Why `word` is not an Uzbek word (it stays Latin), or None.

    >>> [stays_latin(w) is not None for w in ("Windows", "XXI", "shahar", "PostgreSQL", "SHAHAR")]
    [True, True, False, True, False]
    """
    names = load_latin_words()
    if word in names or word[:1].isupper() and (word.lower() in _lower_names(names) or (
            word[1:].islower() and word.lower() in names)):  # (Urpmi, a sentence's first)
        return StaysLatin("a name that stays Latin", "latin-words.tsv", "latin.name")
    if (not word.isascii() or "w" in word or "W" in word) and _foreign_letter(word):
        return StaysLatin("a letter Uzbek Latin does not have", "", "latin.letter")
    if word[:1] in "MDCLXVI" and _ROMAN.fullmatch(word) and (len(word) > 1 or word in "IVX"):
        return StaysLatin("a Roman numeral", "", "latin.roman")
    if _FOREIGN_CLUSTERS.search(word):
        return StaysLatin("letters no Uzbek word has together (ph, w, c ...)", "", "latin.cluster")
    if word.lower() in load_english_words():
        return StaysLatin("an English word", "english.tsv", "latin.english")
    if len(word) > 2 and word.islower() and not _VOWELS.intersection(word) and (
            word.rstrip(_EXPONENTS) not in _ABBREVIATIONS):
        return StaysLatin("no vowel (a command, a path: usr, rpm)", "", "latin.consonants")
    if _camel_case(word) or _acronym_at_end(word, names):
        return StaysLatin("capitals inside a word (CamelCase)", "", "latin.camel")
    return None


_ACRONYM_AT_END = lazy_pattern(r"[A-Za-z]*[a-z]([A-Z]{3,})")


def _acronym_at_end(word: str, names: frozenset[str]) -> bool:
    """Letters and a technical acronym of latin-words.tsv after them, as names of products
    join them (GeoJSON, PostGIS, OpenSSH); an Uzbek abbreviation's capitals after its
    small letters are its own (ToshDU, OʻzMU, SamDU)."""
    found = _ACRONYM_AT_END.fullmatch(word) if word[-1:].isupper() else None
    return found is not None and found.group(1) in names


def _foreign_letter(word: str) -> bool:
    # (the characters of neither alphabet first, in C: a Python loop over every character
    # of each word was a tenth of respelling a text)
    rest = set(word.lower()).difference(UZBEK_LETTERS, load_alphabet_2026().letters_2026)
    return bool(rest) and any(c.isalpha() for c in rest)


@functools.lru_cache(maxsize=2)
def _lower_names(names: frozenset[str]) -> frozenset[str]:
    """The names that match a capitalized word in other case too (Firefox: FIREFOX): not a
    name all in capitals (USB), nor one all in small letters, a command as typed, which
    matches only as typed or capitalized (mv, Mv: not MV, an Uzbek acronym's capitals)."""
    return frozenset(w.lower() for w in names if not w.isupper() and not w.islower())


@functools.lru_cache(maxsize=2)
def title_names(names: frozenset[str]) -> frozenset[str]:
    """The names of `names` written as a capitalized word (Linux, Firefox): Uzbek suffixes
    join such a name without an apostrophe as they join GitHub (Linuxda, Windowsning), so
    a capitalized word that starts with one is not read as a plain word (reverse.py tells
    a name and suffixes, Linux-da, from a word with its letters, Gitara, Operada).

    >>> sorted(title_names(frozenset({"Linux", "GitHub", "USB", "iPhone", "Wi-Fi"})))
    ['Linux']
    """
    return frozenset(w for w in names if w[:1].isupper() and w[1:].islower() and w.isalpha())


def starts_with_name(word: str, names: frozenset[str]) -> bool:
    """Whether `word` is one of `names` (title_names) and letters after it (Linuxda)."""
    return any(word[:cut] in names for cut in range(2, len(word)))


def _camel_case(word: str) -> bool:
    """Capitals inside a word as names of products have them: after a small first letter
    (iPhone, eBay), or starting a part of two small letters or more (GitHub, PayPal).
    Uzbek abbreviations keep their capitals short (ToshDU, OʻzR, OʻzLiDeP) and an Uzbek
    two-letter capital reads Sh (ShAHAR)."""
    if word[1:].islower() or not any(c.isupper() for c in word[1:]):
        return False  # most words: small letters after the first
    letters = [c for c in word if c not in (OKINA, TUTUQ)]
    if len(letters) > 1 and letters[0].islower() and letters[1].isupper():
        return True
    for i in range(1, len(letters) - 2):
        if (letters[i].isupper() and letters[i - 1].islower() and letters[i + 1].islower()
                and letters[i + 2].islower()):
            pair = "".join(letters[i - 2:i]).lower() if i >= 2 else ""
            if pair not in _DIGRAPH_TAILS or letters[i - 2].islower():
                return True
    return False


def _cased(new: str, old: str, upper_word: bool) -> str:
    """`new` in the case of `old` (a letter or two): small, capital, or all capitals."""
    if not old[:1].isupper():
        return new
    if len(new) > 1 and (upper_word or old[1:].isupper() and len(old) > 1):
        return new.upper()
    return new[:1].upper() + new[1:]


# What respelled a letter of a Latin word in the other Latin alphabet (for explain).
RESPELLED = StaysLatin("a Latin word of the other Latin alphabet, respelled (latin2026.tsv)",
                       "latin2026.tsv", "latin.respelled")

Token = tuple[int, int, str]  # (start, end, what is written for word[start:end])


def to_1995(word: str, okina: str, tutuq: str) -> str:
    """A 2026 word in the 1995 spelling (okina and tutuq as given: the style's).

    >>> to_1995("ÖĞIL Çöl Ishoq", "ʻ", "ʼ")
    'OʻGʻIL Choʻl Isʼhoq'
    """
    return _joined(word, tokens_1995(word, okina, tutuq))


def to_2026(word: str) -> str:
    """A 1995 word in the 2026 spelling (apostrophes read by position).

    >>> to_2026("O'G'IL Cho`l Isʼhoq")
    'ÖĞIL Çöl Ishoq'
    """
    return _joined(word, tokens_2026(word))


def tokens_1995(word: str, okina: str, tutuq: str) -> list[Token]:
    """What `to_1995` changes in `word`, letter by letter (a letter typed for a 2026 letter
    is read as it first)."""
    alphabet = load_alphabet_2026()
    read = dict(alphabet.read) | {typed.upper(): letter.upper() for typed, letter in alphabet.read}
    seen = "".join(read.get(c, c) for c in word)
    upper = all_capitals(seen)
    table = {new: old.replace(OKINA, okina).replace(TUTUQ, tutuq) for old, new in alphabet.letters}
    pattern = _alternation(tuple(sorted(table, key=len, reverse=True)))
    # (re, ignoring case, also reads the long s as s: ſh is no 2026 letter, and stays)
    return [(m.start(), m.end(), _cased(table[m.group().lower()], m.group(), upper))
            for m in pattern.finditer(seen) if m.group().lower() in table] + [
        (i, i + 1, read[c]) for i, c in enumerate(word) if c in read and not pattern.match(
            seen, i)]


def tokens_2026(word: str) -> list[Token]:
    """What `to_2026` changes in `word`, letter by letter (ș is written ş)."""
    table, pattern, read = _tables_2026(load_alphabet_2026())
    if word.isascii() and word.isalpha() and word.islower():  # most words: nothing to read
        return [(m.start(), m.end(), table[m.group()]) for m in pattern.finditer(word)]
    upper = all_capitals(word)
    tokens = [] if read.keys().isdisjoint(word) else [
        (i, i + 1, read[c]) for i, c in enumerate(word) if c in read]
    for match in pattern.finditer(word):
        key = match.group().lower()
        if len(key) > 1 and key[1] in APOSTROPHES:
            key = key[0] + (OKINA if key[0] in "og" else TUTUQ) + key[2:]
        if key in table:  # (not ſh: re, ignoring case, reads the long s as s)
            tokens.append((match.start(), match.end(), _cased(table[key], match.group(), upper)))
    return tokens


@functools.lru_cache(maxsize=2)
def _tables_2026(alphabet: Alphabet2026) -> tuple[dict[str, str], re.Pattern[str], dict[str, str]]:
    """What `tokens_2026` reads, made once (each word made them again: a fifth of the
    respelling's time): the letters, their pattern, the typed letters read as others."""
    table = dict(alphabet.letters)
    pattern = _apostrophe_alternation(tuple(sorted(table, key=len, reverse=True)))
    read = dict(alphabet.read) | {typed.upper(): letter.upper() for typed, letter in alphabet.read}
    return table, pattern, read


def _joined(word: str, tokens: list[Token]) -> str:
    out: list[str] = []
    done = 0
    for start, end, new in sorted(tokens):
        out += (word[done:start], new)
        done = end
    out.append(word[done:])
    return "".join(out)


def all_capitals(word: str) -> bool:
    """Two letters or more, all capitals (the apostrophes ʻ ʼ, letters without case, aside).

    >>> all_capitals("OʻZBEK"), all_capitals("O"), all_capitals("Oʻzbek")
    (True, False, False)
    """
    if word.islower():  # most words: a small letter, no capital (a quick pass in C)
        return False
    letters = [c for c in word if c.isalpha() and c not in (OKINA, TUTUQ)]
    return len(letters) > 1 and all(c.isupper() for c in letters)


@functools.lru_cache(maxsize=4)
def _alternation(keys: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, keys)), re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def _apostrophe_alternation(keys: tuple[str, ...]) -> re.Pattern[str]:
    """Keys whose apostrophes match any typed apostrophe."""
    apostrophes = "[" + re.escape(TYPED_APOSTROPHES) + "]"
    parts = ["".join(apostrophes if c in APOSTROPHES else re.escape(c) for c in key)
             for key in keys]
    return re.compile("|".join(parts), re.IGNORECASE)


# (one scan, not one for each way of writing it; ſ, the long s, is an s to re's IGNORECASE)
_SH = lazy_pattern("[sSſ][hH]")
# The letters beyond ASCII that re, ignoring case, reads as ASCII ones (its documentation:
# İ ı ſ K, as i, i, s, k).
_CASE_ODD = "\u0130\u0131\u017f\u212a"

class Respeller:
    """Latin text in the other Latin alphabet (`To2026`, `To1995`): words that stay Latin
    (Windows, XXI) and what `kept` finds (addresses) are left as they are."""

    target: str  # the Latin target it respells to
    # To 1995, a word of 2026 Latin may have no 2026 letter but a stem of its own (Ishoq,
    # whose sʼh has no tutuq in 2026): an s before an h is looked at too.
    reads_stems = False

    def __init__(self, options: Options,
                 kept: Callable[[str], list[tuple[int, int]]] | None = None) -> None:
        self.kept = kept
        self.okina, self.tutuq = render(OKINA, options), render(TUTUQ, options)
        self.quick = self._quick()  # the characters whose presence may need a respelling
        self._cache: dict[str, list[Token]] = {}
        self._runs: dict[str, str] = {}  # a run of word characters → respelled (text)

    def _quick(self) -> tuple[str, ...]:
        raise NotImplementedError

    # Compiled when text first needs them (most text has no word to respell).
    @functools.cached_property
    def stems(self) -> re.Pattern[str]:
        return _stems_2026()

    @functools.cached_property
    def trigger(self) -> re.Pattern[str]:
        """Matches where a word may need respelling."""
        raise NotImplementedError

    def needed(self, text: str) -> bool:
        """Whether `text` may hold a word to respell (a quick look)."""
        return self._quick_search(text) is not None

    @functools.cached_property
    def _quick_search(self) -> Callable[[str], re.Match[str] | None]:
        # One scan for any of them (not one a character: the preview asks of every line).
        return re.compile("[" + re.escape(self._quick_chars) + "]").search

    @functools.cached_property
    def _quick_chars(self) -> str:
        # `quick`, and what the trigger, which ignores case, reads as one of them: re reads
        # the long s, the dotless i, the dotted I and the Kelvin sign as s, i, I and k.
        return "".join(sorted(set(self.quick) | {odd for odd in _CASE_ODD if any(
            re.fullmatch(re.escape(char), odd, re.IGNORECASE) for char in self.quick)}))

    def needed_chars(self) -> str:
        """Characters one of which is in every text that `needed` is true for."""
        return self._quick_chars

    def text(self, text: str) -> str:
        """`text` with each word to respell respelled.

        >>> To1995(Options()).text("Ishoq, aÖ, Ö")
        'Isʼhoq, aÖ, Oʻ'
        """
        if not self.needed(text):
            return text
        # Each run of word characters with something to respell is written as `tokens`
        # would respell it: a run with no kept span in it and no hyphen beside it (most)
        # needs nothing around it, and is remembered. The runs are found from the
        # triggers, each run's edges read from there (`_candidate_runs`, which `tokens`
        # reads, tried a run at every word's start: two thirds of respelling a text).
        kept = sorted(self.kept(text)) if self.kept is not None else []
        kept_starts = [start for start, _ in kept]
        out: list[str] = []
        done = 0  # the text before this is written
        for match in self.trigger.finditer(text):
            start = match.start()
            if start < done:
                continue  # in the run just written
            while start > done and _is_word_char(text[start - 1]):
                start -= 1
            end = _RUN_TAIL.match(text, match.end()).end()  # type: ignore[union-attr]
            out += (text[done:start], self._respelled_run(kept, kept_starts, text, start, end))
            done = end
        out.append(text[done:])
        return "".join(out)

    def _respelled_run(self, kept: list[tuple[int, int]], kept_starts: list[int],
                       text: str, start: int, end: int) -> str:
        run = text[start:end]
        if start and text[start - 1] == "-" or text.startswith("-", end) or kept and overlaps(
                kept, kept_starts, start, end):
            return _joined(run, [(a - start, b - start, new) for a, b, new
                                 in self._run_tokens(text, start, end, kept, kept_starts)])
        found = self._runs.get(run)
        if found is None:
            if len(self._runs) >= WORD_CACHE:
                self._runs.clear()
            # (a run of ASCII letters is one word, with no quotation mark at its edges and
            # no compound: its own tokens at once)
            tokens = self.word_tokens(run) if run.isascii() and run.isalpha() else (
                self._run_tokens(run, 0, len(run), [], []))
            found = self._runs[run] = _joined(run, tokens)
        return found

    def pieces(self, pieces: list[str]) -> list[str]:
        """`text` of the joined pieces, each piece given its own letters (a letter written
        as two goes to the piece of its first letter).

        >>> To2026(Options()).pieces(["s", "hahar oʻ", "gʻil"])
        ['ş', 'ahar ö', 'ğil']
        """
        text = "".join(pieces)
        if not self.needed(text):
            return pieces
        tokens = self.tokens(text)
        if not tokens:
            return pieces
        ends = list(itertools.accumulate(map(len, pieces)))
        out, done, piece = [""] * len(pieces), 0, 0
        for start, end, new in sorted(tokens):
            while done < start:  # unchanged text, piece by piece
                while ends[piece] <= done:
                    piece += 1
                stop = min(start, ends[piece])
                out[piece] += text[done:stop]
                done = stop
            while ends[piece] <= start:
                piece += 1
            out[piece] += new
            done = end
        while done < len(text):
            while ends[piece] <= done:
                piece += 1
            stop = ends[piece]
            out[piece] += text[done:stop]
            done = stop
        return out

    def tokens(self, text: str) -> list[Token]:
        """What changes in `text`: (start, end, new) in order."""
        kept = sorted(self.kept(text)) if self.kept is not None else []
        kept_starts = [start for start, _ in kept]
        return [token for match in self._candidate_runs.finditer(text)
                for token in self._run_tokens(text, match.start(), match.end(), kept,
                                              kept_starts)]

    def _run_tokens(self, text: str, start: int, end: int, kept: list[tuple[int, int]],
                    kept_starts: list[int]) -> list[Token]:
        """What changes in the run of word characters text[start:end]: its words but those
        in a kept span (`kept`, in order; `kept_starts` their starts) and those of a
        compound that stays as written."""
        return [(a + x, a + y, new) for a, b in word_spans(text, start, end)
                if not overlaps(kept, kept_starts, a, b)
                and self.compound_stays(text, a, b) is None
                for x, y, new in self.word_tokens(text[a:b])]

    def compound_stays(self, text: str, start: int, end: int) -> StaysLatin | None:
        """Why the hyphenated compound that the word text[start:end] is part of stays as
        written (one decision for the compound: Hölzer-Klüpfel, whose Klüpfel has a letter
        Uzbek does not write), or None (also for a word that is no compound's).

        >>> respell = To1995(Options())
        >>> respell.text("Маттиас Hölzer-Klüpfel, Özbekiston-Türkiye, Öz-özi")
        'Маттиас Hölzer-Klüpfel, Özbekiston-Türkiye, Oʻz-oʻzi'
        """
        left, right = start, end
        while left > 1 and text[left - 1] == "-" and WORD.match(text, left - 2):
            left -= 1
            while left > 0 and WORD.match(text, left - 1):
                left -= 1
        while right + 1 < len(text) and text[right] == "-" and WORD.match(text, right + 1):
            found = WORD.match(text, right + 1)
            right = found.end() if found else right + 1
        if (left, right) == (start, end):
            return None
        for part in text[left:right].split("-"):
            why = stays_latin(part) if part else None
            if why is not None:
                return StaysLatin(f"a compound with a word that stays as written ({part}: "
                                  f"{why.note})", why.where, "latin.compound")
        return None

    @functools.cached_property
    def _candidate_runs(self) -> re.Pattern[str]:
        """A whole run of word characters with the trigger in it."""
        return re.compile(rf"(?<!{WORD_CHAR})(?:{WORD_CHAR})*?(?:{self.trigger.pattern})"
                          rf"(?:{WORD_CHAR})*", self.trigger.flags)

    def word(self, word: str) -> str:
        return _joined(word, self.word_tokens(word))

    def word_tokens(self, word: str) -> list[Token]:
        """What changes in one word (cached: text repeats its words)."""
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) >= WORD_CACHE:
                self._cache.clear()
            found = self._cache[word] = self._word_tokens(word)
        return found

    def _word_tokens(self, word: str) -> list[Token]:
        if _CYRILLIC_LETTER.search(word) or stays_latin(word) is not None:
            return []
        return self._respelled(word)

    def _respelled(self, word: str) -> list[Token]:
        raise NotImplementedError


class To2026(Respeller):
    """Every Uzbek word of 1995 Latin in its 2026 spelling (the target ``latin2026``)."""

    target = "latin2026"

    def _quick(self) -> tuple[str, ...]:
        alphabet = load_alphabet_2026()
        firsts = {old[0] for old, _ in alphabet.letters}
        typed = {t for t, _ in alphabet.read}
        return tuple(sorted(firsts | typed | {c.upper() for c in firsts | typed} | APOSTROPHES))

    @functools.cached_property
    def trigger(self) -> re.Pattern[str]:
        alphabet = load_alphabet_2026()
        keys = {old for old, _ in alphabet.letters} | {t for t, _ in alphabet.read}
        found = _apostrophe_alternation(tuple(sorted(keys, key=len, reverse=True)))
        # Its possible first letters looked ahead for first (see _stems_2026).
        firsts = {key[0] for key in keys}
        return re.compile(f"(?={_class_of(firsts)})"  # (IGNORECASE: capitals too)
                          f"(?:{found.pattern})", found.flags)

    def _respelled(self, word: str) -> list[Token]:
        return tokens_2026(word)


class To1995(Respeller):
    """Every 2026 word (one with a 2026 letter, or a stem of its own) in the 1995 spelling,
    apostrophes in the options' style (the target ``latin``)."""

    target = "latin"
    reads_stems = True

    def _quick(self) -> tuple[str, ...]:
        letters = load_alphabet_2026().letters_2026
        return tuple(sorted(letters | {c.upper() for c in letters}))

    @functools.cached_property
    def trigger(self) -> re.Pattern[str]:
        letters = load_alphabet_2026().letters_2026
        firsts = {stem[0] for stem in _spelled_stems()}
        # Its possible first letters looked ahead for first (see _stems_2026).
        return re.compile(f"(?={_class_of(letters | firsts)})(?:{_class_of(letters)}|"
                          f"{self.stems.pattern})", re.IGNORECASE)

    def needed(self, text: str) -> bool:
        return super().needed(text) or (
            _SH.search(text) is not None
            and self.stems.search(text) is not None)  # every stem has sh (Ishoq)

    def needed_chars(self) -> str:
        return super().needed_chars() + "sSſ"  # (_SH's first letters)

    def _respelled(self, word: str) -> list[Token]:
        if any(c.lower() in load_alphabet_2026().letters_2026 for c in word) or (
                self.stems.match(word)):
            return tokens_1995(word, self.okina, self.tutuq)
        return []

