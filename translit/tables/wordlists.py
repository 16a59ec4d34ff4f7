"""The word lists of the Latin → Cyrillic direction, loaded and checked (the data layer).

* data/lexicon.tsv: Latin words the rules cannot spell (film → фильм), `load_lexicon`;
* data/suffixes.tsv: the Uzbek suffixes that may follow a stem, `suffix_pattern`;
* data/latin-words.tsv: names and acronyms that stay Latin, `load_latin_words`;
* data/english.tsv: English words that stay Latin, `load_english_words`;
* data/english-phrase.tsv: English words that stay Latin in a foreign phrase only,
  `load_phrase_words`;
* data/model-words.tsv: words of a model's name after a product's (iPhone 15 Pro Max),
  `load_model_words`;
* data/uzbek-words.tsv: Uzbek words, the evidence that a word is Uzbek, `load_uzbek_words`.

Where each comes from, and its licence: README, "The data and where it comes from".

>>> load_lexicon()["film"].cyrillic, bool(suffix_pattern().match("larimizda"))
('фильм', True)
>>> "the" in load_phrase_words(), "kitob" in load_uzbek_words()
(True, True)
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any, Literal, NamedTuple, Protocol, TypeVar, overload
    from pathlib import Path

    SuffixesAfter = Literal["stem", "name", "number"]

    _T = TypeVar("_T")

    class SuffixMatcher(Protocol):
        """What `suffix_matcher` gives: a match (true) or None."""

        def match(self, text: str, pos: int = ..., /) -> object: ...
else:  # the same classes, made faster (see base/records.py)
    from ..base.records import NamedTuple

    def overload(function: object) -> object:  # typing's, for type checkers only
        return function

from ..base.lazy import lazy_pattern
from .rules import RuleFileError, Where, data_file

# The compiled readers of the word lists, the lexicon's keys and the suffixes (_accel.c's
# word_set, lexicon_keys, suffix_matcher), handed down by the engine layer, which builds
# them, when it is imported (engine/__init__.py; this layer imports nothing above it).
# None, or TRANSLIT_PURE set: the Python readers, which read the same.
compiled: Any = None

class LexiconEntry(NamedTuple):
    """A word the rules cannot spell: its Latin (a key), its Cyrillic, where it comes from."""

    latin: str
    cyrillic: str
    stem: bool  # Uzbek suffixes may follow it
    source: str
    where: Where
    id: str = "lexicon"
    name: bool = False  # a name: it is matched only when capitalized (Rus, but rus)

    @property
    def note(self) -> str:
        return f"a word of the lexicon ({self.source})"


def _read_text(path: Path | str) -> str:
    """A word list's text (open, not pathlib: the built-in lists are named by str, and
    pathlib's import is 2.7 ms of the Cyrillic direction's start-up)."""
    with open(path, encoding="utf-8") as file:
        return file.read()


def _lines(path: Path | str) -> list[str]:
    """The lines of a data file but comments and blank lines (one error line if unreadable)."""
    try:
        text = _read_text(path)
    except (OSError, UnicodeDecodeError) as error:
        raise RuleFileError(f"{path}: {getattr(error, 'strerror', None) or error}") from None
    # (line[0], not line.startswith: a call that parses its arguments, for every line of
    # 45,000 at each start of the Cyrillic direction)
    return [line for line in text.splitlines() if line.strip() and line[0] != "#"]


class Lexicon(Mapping[str, LexiconEntry]):
    """The lexicon's entries by their Latin key, each made when first asked for: a process
    that converts a text asks for a few hundred of the 15,000, and making them all was a
    third of its start-up. `rows` is each key's line (0 the file's first): the keys alone,
    for the compiled pass's tables.

    >>> lexicon = Lexicon("lexicon.tsv", ["latin\\tcyrillic\\tmatch\\tsource",
    ...                                    "film\\tфильм\\tstem\\topencorpora"])
    >>> lexicon["film"].cyrillic, lexicon["film"].id, "kino" in lexicon, len(lexicon)
    ('фильм', 'lexicon.tsv:2', False, 1)
    >>> Lexicon("lexicon.tsv", ["film\\tфильм"])
    Traceback (most recent call last):
    translit.tables.rules.RuleFileError: lexicon.tsv:1: expected latin, cyrillic, match, source
    """

    def __init__(self, name: str, lines: list[str]) -> None:
        self.name = name
        self._line: Callable[[int], str] = lines.__getitem__
        rows: dict[str, int] = {}
        for number, line in enumerate(lines):
            # (partition and count, not split: no list of four str made for each of 15,000
            # lines a start; no str.startswith or find. The rare lines, a comment, a blank
            # line, the header or a line short of fields, are told apart inside.)
            key, _, rest = line.partition("\t")
            if rest.count("\t") < 2 or key[:1] in "#l":  # ("l": the header, latin\t...)
                if line[:1] in ("", "#") or line[:6] == "latin\t":
                    continue
                if rest.count("\t") < 2:
                    raise RuleFileError(f"{name}:{number + 1}: expected latin, cyrillic, match, "
                                        "source")
            rows[key] = number  # a key written again: its last line counts
        self.rows: Mapping[str, int] = rows
        self._made: dict[str, LexiconEntry] = {}

    @classmethod
    def compiled(cls, name: str, data: bytes) -> Lexicon | None:
        """The lexicon of a file's bytes read by the compiled module (_accel.c,
        `lexicon_keys`: the keys and each key's line, no str made of each line nor key),
        read as `__init__` reads the lines; None where it is not built, TRANSLIT_PURE is
        set, or the file is not plainly a lexicon (a line short of fields, bytes that are
        not UTF-8, a carriage return ...: `__init__` reads it, and names the error).

        >>> data = "\\n".join(["# c", "latin\\tcyrillic\\tmatch\\tsource",
        ...     "film\\tфилм\\tword\\ta", "film\\tфильм\\tstem\\tb"]).encode()
        >>> lexicon = Lexicon.compiled("x.tsv", data)
        >>> lexicon is None or (lexicon["film"].id, list(lexicon)) == ("x.tsv:4", ["film"])
        True
        """
        if compiled is None or os.environ.get("TRANSLIT_PURE"):
            return None
        keys = compiled.lexicon_keys(data)
        if keys is None:
            return None
        lexicon = cls.__new__(cls)
        lexicon.name, lexicon._line, lexicon.rows, lexicon._made = name, keys.line, keys, {}
        return lexicon

    def __getitem__(self, latin: str) -> LexiconEntry:
        found = self._made.get(latin)
        if found is None:
            number = self.rows[latin]
            _, cyrillic, match, source = self._line(number).split("\t")[:4]
            where = Where(self.name, number + 1)
            found = self._made[latin] = LexiconEntry(
                latin, cyrillic, match in ("stem", "name"), source, where, str(where),
                name=match == "name")
        return found

    def __contains__(self, latin: object) -> bool:
        return latin in self.rows

    def longest_key(self) -> int:
        """The most letters a key has (0: none), read without a str of each key where the
        compiled module holds them."""
        longest = getattr(self.rows, "longest", None)  # (_accel.WordSet's)
        return longest() if longest is not None else max(map(len, self.rows), default=0)

    @overload
    def get(self, latin: str, /) -> LexiconEntry | None: ...
    @overload
    def get(self, latin: str, /, default: LexiconEntry | _T) -> LexiconEntry | _T: ...  # noqa: F811

    def get(self, latin: str, /, default: object = None) -> object:  # noqa: F811  (overload: typing's)
        # most words asked for are not keys: no KeyError raised and caught for them
        return self[latin] if latin in self.rows else default

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@functools.lru_cache(maxsize=2)
def load_lexicon(path: Path | str | None = None) -> Lexicon:
    """The lexicon (data/lexicon.tsv): Latin key → entry."""
    path = path or data_file("lexicon.tsv")
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        raise RuleFileError(f"{path}: {error.strerror or error}") from None
    compiled = Lexicon.compiled(os.path.basename(path), data)
    if compiled is not None:
        return compiled
    return Lexicon(os.path.basename(path), data.decode("utf-8").splitlines())


# The slots of data/suffixes.tsv read after what (the others left out): after a stem of
# the lexicon, every derivation; after a name, the few a name takes; after a number, none.
_SLOTS_LEFT_OUT: dict[str, frozenset[str]] = {
    "stem": frozenset({"after-name"}), "name": frozenset({"derivation"}),
    "number": frozenset({"derivation", "after-name"})}


@functools.lru_cache(maxsize=4)
def suffix_slots(path: Path | str | None = None, after: SuffixesAfter = "stem"
                 ) -> tuple[tuple[str, ...], ...]:
    """The forms of each slot of data/suffixes.tsv read `after` a stem, a name or a
    number, in the slots' order, each slot's longest first, then in the alphabet's order
    (not a set's, which changes from run to run; see `suffix_pattern`, which is made of
    them; the compiled pass reads them as they are).

    >>> suffix_slots()[1], suffix_slots(after="name")[0][:3], suffix_slots(after="number")[0]
    (('lar',), ('chilik', 'sizlik', 'lilik'), ('lar',))
    """
    path = path or data_file("suffixes.tsv")
    slots: dict[str, list[str]] = {}
    for line in _lines(path):
        slot, _, forms = line.partition("\t")
        slots.setdefault(slot.strip(), []).extend(forms.split())
    return tuple(tuple(sorted(set(forms), key=lambda form: (-len(form), form)))
                 for slot, forms in slots.items() if slot not in _SLOTS_LEFT_OUT[after])


@functools.lru_cache(maxsize=4)
def suffix_pattern(path: Path | str | None = None, after: SuffixesAfter = "stem"
                   ) -> re.Pattern[str]:
    """Uzbek suffixes that may follow a stem, slot by slot (data/suffixes.tsv); after a
    name (Linux'da, USBni, Linuxsiz) only the derivations a name takes and no verb's;
    after a number (%d-ta) no derivation: no new word is made there.

    >>> [bool(suffix_pattern(after="name").match(s)) for s in ("larimizda", "siz", "lash")]
    [True, True, False]
    >>> [bool(suffix_pattern(after="number").match(s)) for s in ("larimizda", "li")]
    [True, False]
    >>> bool(suffix_pattern().match("lash"))
    True
    """
    parts = [f"(?:{'|'.join(map(re.escape, forms))})?"
             for forms in suffix_slots(path, after)]
    return re.compile("".join(parts) + r"\Z")


@functools.lru_cache(maxsize=4)
def suffix_matcher(path: Path | str | None = None, after: SuffixesAfter = "stem"
                   ) -> SuffixMatcher:
    """`suffix_pattern`'s match, true where the text from `pos` is such suffixes, all of it:
    the compiled module's (_accel.c, `suffix_matcher`: the slots read as they are, no regex
    compiled, which was 3 ms of each start to Cyrillic for the derivation slot's 250 forms)
    where it is built and TRANSLIT_PURE is not set, else the pattern itself.

    >>> [bool(suffix_matcher(after="name").match(s)) for s in ("larimizda", "lash", "siz")]
    [True, False, True]
    >>> bool(suffix_matcher().match("filmlash", 4)), bool(suffix_matcher().match("filmx", 4))
    (True, False)
    """
    if compiled is not None and not os.environ.get("TRANSLIT_PURE"):
        matcher: SuffixMatcher = compiled.suffix_matcher(suffix_slots(path, after))
        return matcher
    return suffix_pattern(path, after)


@functools.lru_cache(maxsize=2)
def load_latin_words(path: Path | str | None = None) -> frozenset[str]:
    """Words that stay Latin (data/latin-words.tsv): brand names, technical acronyms."""
    path = path or data_file("latin-words.tsv")
    return frozenset(line.split("\t", 1)[0].strip() for line in _lines(path)) - {""}


def _word_list(path: Path | str) -> Collection[str]:
    """The words of a word list (one a line, but blank lines and comments: `_lines`).

    Where the compiled accelerator is built (and TRANSLIT_PURE is not set), a set it
    makes from the file's bytes (_accel.c, `word_set`): the same words for `in`, `len`
    and iterating, without a str made of each (frozenset(_lines(...)) of the 45,000 words
    of the three lists below was some 15 ms of each start to Cyrillic, in a new process).
    Else, and where the file is not plainly a word list (not UTF-8, a carriage return ...),
    a frozenset read the Python way, which names the error where there is one.

    >>> words, path = _word_list(data_file("english-phrase.tsv")), data_file("english-phrase.tsv")
    >>> "the" in words, "kitob" in words, set(words) == frozenset(_lines(path))
    (True, False, True)
    """
    if compiled is not None and not os.environ.get("TRANSLIT_PURE"):
        try:
            with open(path, "rb") as file:
                words: Collection[str] | None = compiled.word_set(file.read())
        except OSError:
            words = None  # (the Python way says why)
        if words is not None:
            return words
    return frozenset(_lines(path))


@functools.lru_cache(maxsize=2)
def load_english_words(path: Path | str | None = None) -> Collection[str]:
    """Common English words that stay Latin (data/english.tsv, made by
    scripts/build_lexicon.py), in small letters."""
    return _word_list(path or data_file("english.tsv"))


@functools.lru_cache(maxsize=2)
def load_phrase_words(path: Path | str | None = None) -> Collection[str]:
    """English words that stay Latin only in a run of foreign words (data/english-phrase.tsv,
    made by scripts/build_wordlists.py), in small letters."""
    return _word_list(path or data_file("english-phrase.tsv"))


@functools.lru_cache(maxsize=2)
def load_model_words(path: Path | str | None = None) -> frozenset[str]:
    """The words of a model's name after a product's name (data/model-words.tsv: MacBook
    Pro, Galaxy S24 Ultra), in small letters.

    >>> sorted({"pro", "ultra", "kitob"} & load_model_words())
    ['pro', 'ultra']
    """
    return frozenset(_lines(path or data_file("model-words.tsv")))


@functools.lru_cache(maxsize=2)
def load_model_forms(path: Path | str | None = None) -> frozenset[str]:
    """The model words as they are written after a product's name: capitalized, and those
    of two letters in capitals too (iPhone SE, Galaxy S24 FE).

    >>> sorted({"Pro", "PRO", "SE", "pro"} & load_model_forms())
    ['Pro', 'SE']
    """
    words = load_model_words(path)
    return frozenset({word[:1].upper() + word[1:] for word in words}
                     | {word.upper() for word in words if len(word) <= 2})


@functools.lru_cache(maxsize=2)
def load_domain_endings(path: Path | str | None = None) -> frozenset[str]:
    """The endings of web addresses written without a scheme (data/domains.tsv: t.me, x.com).

    >>> sorted({"me", "com", "ga"} & load_domain_endings())
    ['com', 'me']
    """
    return frozenset(_lines(path or data_file("domains.tsv")))


@functools.lru_cache(maxsize=2)
def load_uzbek_words(path: Path | str | None = None) -> Collection[str]:
    """Uzbek words (data/uzbek-words.tsv, made by scripts/build_wordlists.py), in small
    letters with ʻ and ʼ."""
    return _word_list(path or data_file("uzbek-words.tsv"))


@functools.lru_cache(maxsize=65536)
def is_uzbek(lower: str) -> bool:
    """Whether a word in small letters is Uzbek by the evidence: a word of uzbek-words.tsv
    or a loan of the lexicon, alone or followed by Uzbek suffixes or endings (keldi), or
    suffixes only. (A
    word of the Russian dictionary counts from five letters: tech is also течь.)

    >>> [is_uzbek(w) for w in ("kitoblarimizda", "filmlari", "da", "save", "file", "tech")]
    [True, True, True, False, False, False]
    """
    if suffix_matcher().match(lower):
        return True
    for size in range(len(lower), 1, -1):
        if _uzbek_stem(lower[:size]) and (size == len(lower) or suffix_matcher().match(
                lower, size) or UZBEK_ENDINGS.fullmatch(lower, size)):
            return True
    return False


# Endings of Uzbek verbs and nouns beside suffixes.tsv (kel + di, ol + gani, tug + adi),
# from the grammar: with a stem of uzbek-words.tsv, evidence that a word is Uzbek.
UZBEK_ENDINGS = lazy_pattern(
    r"(?:gan|kan|qan|ar|ib|di|sa|may|moq|ish|adi|ydi|ay|ya|a|y|guncha|gach|kach|ayotgan|"
    r"yotgan|ajak|sin|ing|ingiz|dim|ding|dik|dingiz|dilar|sak|mas|masdan|ilgan)?"
    r"(?:lar)?(?:i|im|ing|imiz|ingiz|lari|si)?(?:ning|ni|ga|ka|qa|da|ta|dan|dagi|dek|cha|gacha)?"
    r"(?:mi|dir|gina|ku|chi|u|yu|da|oq|ki)?")


def _uzbek_stem(stem: str) -> bool:
    if stem in load_uzbek_words():
        return True
    entry = load_lexicon().get(stem)
    return entry is not None and (entry.source != "opencorpora" or len(stem) >= 5)
