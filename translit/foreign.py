"""What stays Latin in Cyrillic text, and why: one decision for each token, with its reason.

Text between spaces is a *token* (``config.yaml``, ``--verbose``, ``Wi-Fi``, ``(salom),``).
A token stays Latin, whole, when it is

* a command-line option: ``-n``, ``--list-media``, ``/?``;
* a path: ``/usr/bin``, ``~/.config``, ``./run.sh``;
* a file name, domain or dotted identifier: ``config.yaml``, ``org.gnome.Shell``,
  ``Node.js``, ``kun.uz`` (not initials, ``A.Navoiy``, ``t.b.``, nor two Uzbek sentences
  run together, ``keldi.Keyin``);
* a version or model: letters and digits together, ``v2``, ``x86_64``, ``MP3``, ``3D``
  (but digits and an Uzbek suffix, ``5ta``, ``10dan``, convert);
* a hyphenated compound of foreign parts: ``Wi-Fi``, ``Hi-Tech``, ``e-mail`` (a compound
  is decided whole: ``Toshkent-Samarqand`` converts).

A word stays Latin by `latin.stays_latin` (a letter or cluster Uzbek does not write, a
name or acronym of latin-words.tsv, an English word of english.tsv, CamelCase ...), and a
run of two words or more that are not Uzbek is a foreign phrase, kept whole (`phrases`):
its words of english-phrase.tsv (open, file, it) stay Latin there, and only there. A
word is Uzbek by evidence (`is_uzbek`): a word of uzbek-words.tsv or of the lexicon,
alone or with Uzbek suffixes after it.

>>> [reason(t).id for t in ("--verbose", "config.yaml", "Node.js", "x86_64", "Hi-Tech")]
['latin.option', 'latin.file', 'latin.file', 'latin.version', 'latin.compound']
>>> [reason(t) for t in ("A.Navoiy", "Toshkent-Samarqand", "5ta", "keldi.Keyin")]
[None, None, None, None]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .latin import APOSTROPHES, StaysLatin, normalized, stays_latin
from .lazy import lazy_pattern
from .wordlists import (
    load_english_words,
    load_latin_words,
    load_lexicon,
    load_phrase_words,
    load_uzbek_words,
    suffix_pattern,
)

# The reasons a token stays Latin (the values --explain and --json show).
OPTION = StaysLatin("a command-line option", "", "latin.option")
PATH = StaysLatin("a path", "", "latin.path")
FILE = StaysLatin("a file name, domain or dotted identifier", "", "latin.file")
VERSION = StaysLatin("a version or model (letters and digits together)", "", "latin.version")
COMPOUND = StaysLatin("a hyphenated compound of foreign words", "", "latin.compound")
NAME = StaysLatin("a name that stays Latin", "latin-words.tsv", "latin.name")
PHRASE = StaysLatin("a word of a foreign phrase (two or more words that are not Uzbek)",
                    "english-phrase.tsv", "latin.phrase")

# Punctuation that may stand around a token's core: (config.yaml), "Node.js", kun.uz;
_EDGE = "\"'«»“”„‘’`()[]{}<>,;:!?.…"
_OPTION = lazy_pattern(r"--?[A-Za-z][A-Za-z0-9_-]*(?:=\S*)?|/[A-Za-z?]")
_PATH = lazy_pattern(r"(?:~|\.{1,2})?/[\w.+@%-]+(?:/[\w.+@%-]*)*|[A-Za-z]:\\[^\s]*")
_DOTTED = lazy_pattern(r"[^\W_][\w+-]*(?:[./][\w+-]+)+")
_LETTERS_AND_DIGITS = lazy_pattern(r"(?:[A-Za-z]+[0-9]|[0-9]+[A-Z]+(?![a-z]))[A-Za-z0-9_.]*")


def core(token: str) -> tuple[int, int]:
    """The span of `token` without the punctuation around it."""
    start, end = 0, len(token)
    while start < end and token[start] in _EDGE and not (
            token[start] == "." and token[start + 1:start + 2] == "/"):
        start += 1
    while end > start and token[end - 1] in _EDGE:
        end -= 1
    return start, end


def reason(token: str) -> StaysLatin | None:
    """Why `token` (text between spaces, without the punctuation around it) stays Latin as a
    whole, or None (its words are then decided one by one)."""
    if not token.isascii() and not any(c in APOSTROPHES for c in token):
        return None  # Cyrillic, or letters of other scripts: word by word
    if _OPTION.fullmatch(token):
        return OPTION
    if _PATH.fullmatch(token) and ("/" in token[1:] or token[:1] in "~."):
        return PATH if token[:1] in "/~." or ":" in token[:2] else FILE
    if _LETTERS_AND_DIGITS.fullmatch(token):
        return VERSION
    if _DOTTED.fullmatch(token) and _dotted_name(token):
        return FILE
    if token in load_latin_words():
        return NAME  # Wi-Fi
    if "-" in token:
        return _compound(token)
    return None


def _dotted_name(token: str) -> bool:
    """A dotted token is a name (config.yaml, kun.uz) unless it is initials or abbreviations
    (A.Navoiy, Sh.Rashidov, t.b) or two Uzbek sentences run together (keldi.Keyin)."""
    parts = re.split(r"[./]", token)
    if not any(c.isalpha() for c in token):
        return False  # a number: 3.12, 1/2
    if all(len(p) <= 2 for p in parts[:-1]):
        return False
    last = parts[-1]
    return not (last[:1].isupper() and last[1:].islower() and all(
        p.isalpha() and is_uzbek(p.lower()) for p in parts))


def _compound(token: str) -> StaysLatin | None:
    """A hyphenated compound is foreign as a whole when each of its words of two letters
    or more is: it stays Latin on its own, or it is an English word that is not Uzbek
    (Hi-Tech, e-mail, T-Mobile; not Toshkent-Samarqand, Nyu-York, vitse-prezident)."""
    parts = token.split("-")
    if len(parts) < 2 or not all(p and p.isalpha() for p in parts):
        return None
    words = [p for p in parts if len(p) > 1]
    if words and all(_foreign_part(w) for w in words):
        return COMPOUND
    return None


def _foreign_part(word: str) -> bool:
    if stays_latin(word) is not None:
        return True
    lower = normalized(word).lower()
    return (lower in load_phrase_words() or lower in load_english_words()) and not is_uzbek(lower)


# What a word is, for phrases: Uzbek; foreign on its own (it stays Latin); an English word
# with no Uzbek reading; an English word that is also Uzbek (it, men: foreign only in a
# phrase with foreign words on both sides of the evidence).
UZBEK, FOREIGN, ENGLISH, ENGLISH_OR_UZBEK = "uzbek", "foreign", "english", "english-or-uzbek"


@functools.lru_cache(maxsize=65536)
def word_kind(word: str) -> str:
    """What `word` (letters and apostrophes) is: UZBEK, FOREIGN, ENGLISH or ENGLISH_OR_UZBEK.

    >>> [word_kind(w) for w in ("kitoblar", "Windows", "file", "men", "Muhammad")]
    ['uzbek', 'foreign', 'english', 'english-or-uzbek', 'english-or-uzbek']
    """
    if stays_latin(word) is not None:
        return FOREIGN
    lower = normalized(word).lower()
    if lower not in load_phrase_words():
        return UZBEK
    if is_uzbek(lower):
        return ENGLISH_OR_UZBEK
    # A capitalized word may be a name (David, Muhammad): it joins a phrase, it does not
    # make one.
    return ENGLISH_OR_UZBEK if word[:1].isupper() and not word.isupper() else ENGLISH


@functools.lru_cache(maxsize=65536)
def is_uzbek(lower: str) -> bool:
    """Whether a word in small letters is Uzbek by the evidence: a word of uzbek-words.tsv
    or a loan of the lexicon, alone or followed by Uzbek suffixes or endings (keldi), or
    suffixes only. (A
    word of the Russian dictionary counts from five letters: tech is also течь.)

    >>> [is_uzbek(w) for w in ("kitoblarimizda", "filmlari", "da", "save", "file", "tech")]
    [True, True, True, False, False, False]
    """
    if suffix_pattern().match(lower):
        return True
    for size in range(len(lower), 1, -1):
        if _uzbek_stem(lower[:size]) and (size == len(lower) or suffix_pattern().match(
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


def phrases(kinds: Sequence[str | None]) -> list[bool]:
    """Which words of a line stay Latin as words of a foreign phrase: `kinds` are the word
    kinds in order (None: a break, such as a kept span). A run of words none of which is
    UZBEK is a phrase if two of them at least are FOREIGN or ENGLISH and one is an English
    word; its English words stay Latin.

    >>> phrases(["english", "english-or-uzbek", "english", "uzbek", "english"])
    [True, True, True, False, False]
    >>> phrases(["foreign", "english-or-uzbek"]), phrases(["foreign", "english"])
    ([False, False], [False, True])
    """
    out = [False] * len(kinds)
    start = 0
    for end in range(len(kinds) + 1):
        if end < len(kinds) and kinds[end] not in (UZBEK, None):
            continue
        run = kinds[start:end]
        strong = sum(k in (FOREIGN, ENGLISH) for k in run)
        if strong >= 2 and any(k in (ENGLISH, ENGLISH_OR_UZBEK) for k in run):
            for i in range(start, end):
                out[i] = kinds[i] in (ENGLISH, ENGLISH_OR_UZBEK)
        start = end + 1
    return out

