"""What stays Latin in Cyrillic text, and why: one decision for each token, with its reason.

Text between spaces is a *token* (``config.yaml``, ``--verbose``, ``Wi-Fi``, ``(salom),``).
A token stays Latin, whole, when it is

* a command-line option: ``-n``, ``--list-media``, ``/?``;
* a path: ``/usr/bin``, ``~/.config``, ``./run.sh``, ``C:\\Users\\salom``;
* code with a backslash escape: ``\\n``, ``\\x41``, ``\\ud83d\\ude00``;
* a file name, domain or dotted identifier: ``config.yaml``, ``org.gnome.Shell``,
  ``Node.js``, ``kun.uz`` (not initials, ``A.Navoiy``, ``t.b.``, nor two Uzbek sentences
  run together, ``keldi.Keyin``);
* a version or model: letters and digits together, ``v2``, ``x86_64``, ``MP3``, ``3D``,
  and a number with a technical unit, ``60Hz``, ``1080p`` (but digits and an Uzbek suffix,
  ``5ta``, ``10dan``, or an Uzbek unit, ``5km``, convert);
* a hyphenated compound of foreign parts: ``Wi-Fi``, ``Hi-Tech``, ``e-mail`` (a compound
  is decided whole: ``Toshkent-Samarqand`` converts);
* a date or time format of English letters: ``DD.MM.YYYY``, ``YYYY-MM-DD``, ``HH:MM`` (one
  of Uzbek letters, ``KK.OO.YYYY``, kun, oy, yil, converts whole).

A word stays Latin by `latin.stays_latin` (a letter or cluster Uzbek does not write, a
name or acronym of latin-words.tsv, an English word of english.tsv, CamelCase ...), and a
run of two words or more that are not Uzbek is a foreign phrase, kept whole (`phrases`):
its words of english-phrase.tsv (open, file, it) stay Latin there, and only there. A
word is Uzbek by evidence (`is_uzbek`): a word of uzbek-words.tsv or of the lexicon,
alone or with Uzbek suffixes after it.

>>> [reason(t).id for t in ("--verbose", "config.yaml", "Node.js", "x86_64", "Hi-Tech")]
['latin.option', 'latin.file', 'latin.file', 'latin.version', 'latin.compound']
>>> [reason(t) for t in ("A.Navoiy", "Toshkent-Samarqand", "5ta", "keldi.Keyin", "yer/suv")]
[None, None, None, None, None]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .latin import APOSTROPHES, StaysLatin, normalized, stays_latin
from ..base.lazy import lazy_pattern
from ..tables.wordlists import (
    UZBEK_ENDINGS,
    is_uzbek,
    load_domain_endings,
    load_english_words,
    load_latin_words,
    load_model_forms,
    load_phrase_words,
    suffix_matcher,
)

# The reasons a token stays Latin (the values --explain and --json show).
OPTION = StaysLatin("a command-line option", "", "latin.option")
PATH = StaysLatin("a path", "", "latin.path")
ESCAPE = StaysLatin("code: a backslash escape (\\n, \\u0441)", "", "latin.escape")
FILE = StaysLatin("a file name, domain or dotted identifier", "", "latin.file")
VERSION = StaysLatin("a version or model (letters and digits together)", "", "latin.version")
COMPOUND = StaysLatin("a hyphenated compound of foreign words", "", "latin.compound")
NAME = StaysLatin("a name that stays Latin", "latin-words.tsv", "latin.name")
PHRASE = StaysLatin("a word of a foreign phrase (two or more words that are not Uzbek)",
                    "english-phrase.tsv", "latin.phrase")
MODEL_NAME = StaysLatin("a word of the name of a product before it (MacBook Pro, iPhone 15 "
                        "Pro Max)", "model-words.tsv", "latin.model")
KEYS = StaysLatin("a key combination (Ctrl+S, Alt+F4)", "", "latin.keys")
FORMAT = StaysLatin("a date or time format (YYYY-MM-DD)", "", "latin.format")

# Punctuation that may stand around a token's core: (config.yaml), "Node.js", kun.uz;
_EDGE = "\"'«»“”„‘’`()[]{}<>,;:!?.…"
# An option: --word, -x, or -xy of small letters (a dash glued to a word of prose is
# dialogue: -Yomon, dedi u; -ovqat).
_OPTION = lazy_pattern(r"(?:--[A-Za-z][A-Za-z0-9_-]*|-[A-Za-z]|-[a-z][a-z0-9]{1,3})(?:=\S*)?|/[A-Za-z?]")
_PATH = lazy_pattern(r"(?:~|\.{1,2})?/[\w.+@%-]+(?:/[\w.+@%-]*)*|[A-Za-z]:\\[^\s]*")
_ESCAPE = lazy_pattern(r"\\[A-Za-z0-9]")
# A date or time format: groups of one letter each (DD, MM, YYYY, hh) between . - / or :,
# two groups or more of two letters or more (initials, t.b., are one letter a group).
_DATE_FORMAT = lazy_pattern(r"(?:([A-Za-z])(?i:\1){1,3}|[A-Za-z])(?:[-./:](?:([A-Za-z])(?i:\2){0,3}))+")
# The letters of an Uzbek date format (kun, oy, yil: KK.OO.YYYY), which convert.
_UZBEK_FORMAT_LETTERS = frozenset("koyKOY")
_DOTTED = lazy_pattern(r"[^\W_][\w+-]*(?:[./][\w+-]+)+")
_LETTERS_AND_DIGITS = lazy_pattern(r"(?:[A-Za-z]+[0-9]|[0-9]+[A-Z]+(?![a-z]))[A-Za-z0-9_.]*")
# A number and a unit of technical text joined to it, written in Latin letters in Cyrillic
# text too (60Hz, 2.4GHz, 100Mbps, 12px, 300dpi, 24fps, 1080p, 5000mAh, 3dB): not the
# Uzbek units (5km, 2kg, 10ms: км, кг, мс) or suffixes (5ta, 10dan), which convert.
_NUMBER_AND_UNIT = lazy_pattern(
    r"[0-9]+(?:[.,][0-9]+)?(?:[kMGT]?Hz|[kKMGT]?bps|px|dpi|ppi|fps|mAh|dBm?|(?<=[0-9]{3})p)")


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
    if "\\" in token and _ESCAPE.search(token):  # (whatever else it holds: \ud83d😀)
        return PATH if token[1:3] == ":\\" and _PATH.fullmatch(token) else ESCAPE
    if not token.isascii() and not any(c in APOSTROPHES for c in token):
        return None  # Cyrillic, or letters of other scripts: word by word
    if _OPTION.fullmatch(token) and not _suffixes_after_number(token):
        return OPTION
    if "+" in token and _keys(token):
        return KEYS
    if _PATH.fullmatch(token) and ("/" in token[1:] or token[:1] in "~."):
        return PATH if token[:1] in "/~." or ":" in token[:2] else FILE
    if _LETTERS_AND_DIGITS.fullmatch(token) and not _uzbek_with_digits(token):
        return VERSION
    if token[:1].isdigit() and _NUMBER_AND_UNIT.fullmatch(token):
        return VERSION
    if token[:1].isalpha() and _date_format(token):
        return FORMAT
    if "." in token and _DOTTED.fullmatch(token) and _dotted_name(token):
        return FILE
    if token in load_latin_words():
        return NAME  # Wi-Fi
    if "-" in token:
        return _compound(token)
    return None


# What a number takes after its hyphen besides the endings of suffixes.tsv: -ta (5-ta), the ordinal
# -nchi, -inchi, -chi.
_NUMBER_SUFFIX = lazy_pattern(r"(?:ta|n?chi|inchi)?")


def _suffixes_after_number(token: str) -> bool:
    """A hyphen and Uzbek suffixes of two letters or more, which follow a number or what
    stands for one: %d-ta, {0}-chi, %s-dan (the placeholder is kept, and what follows it
    is a token of its own), not an option (-la, -rf, -xvf)."""
    rest = token[1:]
    if len(rest) < 2 or not rest.isalpha() or not rest.islower():
        return False
    found = _NUMBER_SUFFIX.match(rest)
    return found is not None and bool(suffix_matcher(after="number").match(rest, found.end()))


# The modifier keys, and the names of other keys, as key combinations write them.
_MODIFIERS = frozenset({"ctrl", "control", "alt", "altgr", "shift", "super", "meta", "cmd",
                        "command", "win", "fn", "hyper", "option"})
_KEY_NAMES = frozenset({"tab", "enter", "return", "esc", "escape", "space", "backspace",
                        "del", "delete", "ins", "insert", "home", "end", "pgup", "pgdn",
                        "pageup", "pagedown", "up", "down", "left", "right", "print", "prtsc",
                        "pause", "break", "menu", "capslock", "numlock", "scrolllock", "sysrq"})
_KEY = lazy_pattern(r"[A-Za-z0-9]|F[1-9][0-9]?|[^\w\s+]")  # a letter, a digit, F1..F24, ; .


def _keys(token: str) -> bool:
    """Keys joined by +, one of them a modifier (Ctrl+S, Alt+F4, Shift+Tab,
    Ctrl+Alt+Del, Ctrl++, and a modifier before what a program adds: Shift+)."""
    parts = token.split("+")
    if token.endswith("++"):
        parts = parts[:-2] + ["+"]
    elif parts[-1] == "":
        parts.pop()
    return bool(parts) and any(p.lower() in _MODIFIERS for p in parts) and all(
        p.lower() in _MODIFIERS or p.lower() in _KEY_NAMES or _KEY.fullmatch(p) for p in parts)


def _uzbek_with_digits(token: str) -> bool:
    """An Uzbek word and a digit (a footnote: gomeopatiya1), not a model (v2, x86)."""
    letters = re.sub(r"[\d_.]+", " ", token).split()
    if len(letters) != 1 or not letters[0].islower():
        return False
    word = letters[0]
    return stays_latin(word) is None and (len(word) >= 5 or len(word) >= 3 and is_uzbek(word))


def _format_groups(token: str) -> list[str]:
    """The letter groups of a date or time format (DD, MM, YYYY of DD.MM.YYYY), or none:
    a letter repeated in each, two groups or more of two letters or more (initials, A.B,
    t.b, are no format)."""
    if not _DATE_FORMAT.fullmatch(token):
        return []
    groups = re.split(r"[-./:]", token)
    return groups if sum(len(g) > 1 for g in groups) >= 2 else []


def _date_format(token: str) -> bool:
    """A date or time format of English letters (DD.MM.YYYY, YYYY-MM-DD, mm/dd/yyyy,
    HH:MM), not one of Uzbek letters (KK.OO.YYYY) or initials (A.B, t.b).

    >>> [_date_format(t) for t in ("DD.MM.YYYY", "HH:MM", "KK.OO.YYYY", "t.b", "A.Navoiy")]
    [True, True, False, False, False]
    """
    groups = _format_groups(token)
    return bool(groups) and not all(g[0] in _UZBEK_FORMAT_LETTERS for g in groups)


# What decided a word of such a format (its token, not the word: yyyy alone stays Latin).
SPELLED_FORMAT = "a date format of Uzbek letters, spelled whole"


def uzbek_date_format(token: str) -> bool:
    """A date format of Uzbek letters (kun, oy, yil: KK.OO.YYYY, kk.oo.yyyy), which
    converts whole: its letters are spelled, though yyyy alone would stay Latin (no
    vowel, as usr and rpm do).

    >>> [uzbek_date_format(t) for t in ("kk.oo.yyyy", "YYYY-OO-KK", "DD.MM.YYYY", "o.k")]
    [True, True, False, False]
    """
    groups = _format_groups(token)
    return bool(groups) and all(g[0] in _UZBEK_FORMAT_LETTERS for g in groups)


def _dotted_name(token: str) -> bool:
    """A dotted token is a name (config.yaml, kun.uz) unless it is initials or abbreviations
    (A.Navoiy, Sh.Rashidov, t.b; kVt/m.ga, with its suffix), or Uzbek sentences run
    together (keldi.Keyin, kelgan.barmoq, qiladilar.1959)."""
    parts = re.split(r"[./]", token)
    if not any(c.isalpha() for c in token):
        return False  # a number: 3.12, 1/2
    last = parts[-1]
    if last.islower() and suffix_matcher().match(last):
        return False  # an abbreviation and its suffix
    host = token.partition("/")[0]
    if host.islower() and host.rpartition(".")[2] in load_domain_endings():
        return True  # an address without its scheme, whatever its first part (t.me/kunuz, x.com)
    if all(len(p) <= 2 for p in parts[:-1]):
        return False
    words = [p for p in parts if not p.isdigit()]
    return not all(p.isalpha() and len(p) > 3 and is_uzbek(p.lower()) for p in words)


def _compound(token: str) -> StaysLatin | None:
    """A hyphenated compound is foreign as a whole when each of its words of two letters
    or more is: it stays Latin on its own, or it is an English word that is not Uzbek
    (Hi-Tech, e-mail, T-Mobile; not Toshkent-Samarqand, Nyu-York, vitse-prezident)."""
    parts = token.split("-")
    if len(parts) < 2 or not all(p and p.isalpha() for p in parts):
        return None
    if len({p.lower() for p in parts}) == 1 or parts[0].lower() in _ARTICLES:
        return None  # Uzbek's own: a word doubled (hi-hi-hi), an Arabic name (al-Xorazmiy)
    words = [p for p in parts if len(p) > 1]
    if words and all(_foreign_part(w) for w in words):
        return COMPOUND
    return None


# The Arabic article of names as Uzbek writes it (al-Xorazmiy, at-Termiziy, ibn-Sino).
_ARTICLES = frozenset({"al", "an", "ar", "as", "ash", "at", "ad", "az", "ul", "ur", "us",
                       "ut", "ud", "un", "ibn", "abu"})


def _foreign_part(word: str) -> bool:
    if stays_latin(word) is not None:
        return True
    lower = normalized(word).lower()
    return (lower in load_phrase_words() or lower in load_english_words()) and not is_uzbek(lower)


# What a word is, for phrases: Uzbek; foreign on its own (it stays Latin); an English word
# with no Uzbek reading; an English word that is also Uzbek (it, men: foreign only in a
# phrase with foreign words on both sides of the evidence).
UZBEK, FOREIGN, ENGLISH, ENGLISH_OR_UZBEK = "uzbek", "foreign", "english", "english-or-uzbek"
ENGLISH_NAME = "english-name"  # capitalized, and not Uzbek: a name, or a sentence's first word
ENGLISH_WORD = "english-word"  # a word of english.tsv: it stays Latin anyway
MODEL = "model"  # of model-words.tsv and no English word (Pro, SE): after a product's name
ENGLISH_KINDS = frozenset({ENGLISH, ENGLISH_NAME, ENGLISH_OR_UZBEK, MODEL})  # what a phrase keeps
# What a product's name is, before its model's words: a word that stays Latin alone (a
# name, an English word: Galaxy, MacBook)
STAYS_LATIN = frozenset({FOREIGN, ENGLISH_WORD})


def latin_kind(why: StaysLatin, word: str) -> str:
    """The word kind of a word that stays Latin for the reason `why`: an English word
    (world, changes) is English to phrases; a Roman numeral is no sign of a foreign phrase
    (Henri VII dan); any other is FOREIGN (it does not make a phrase, it may be in one)."""
    if why.id == "latin.roman":
        return UZBEK
    lower = word.lower()
    if why.id == "latin.english" or lower in load_phrase_words() or lower in load_english_words():
        return ENGLISH_WORD
    return FOREIGN


@functools.lru_cache(maxsize=65536)
def word_kind(word: str) -> str:
    """What `word` (letters and apostrophes) is: UZBEK, FOREIGN, ENGLISH, ENGLISH_NAME,
    ENGLISH_OR_UZBEK or MODEL.

    >>> [word_kind(w) for w in ("kitoblar", "PostgreSQL", "file", "men", "Muhammad", "Pro")]
    ['uzbek', 'foreign', 'english', 'english-or-uzbek', 'english-name', 'model']
    """
    why = stays_latin(word)
    if why is not None:
        return latin_kind(why, word)
    return english_kind(word)


def english_kind(word: str) -> str:
    """`word_kind` of a word that does not stay Latin on its own."""
    lower = normalized(word).lower()
    if lower not in load_phrase_words():
        # (a model's word that is no English word, Pro: a phrase's English words count
        # as before, Go, Max, which name_words also reads as models' words)
        return MODEL if is_model_word(word) else UZBEK
    if is_uzbek(lower):
        return ENGLISH_OR_UZBEK
    # A capitalized word may be a name (David, Muhammad): with another English word it
    # makes a phrase (Save changes), with another name it does not (Muhammad Ali).
    return ENGLISH_NAME if word[:1].isupper() and not word.isupper() else ENGLISH


def is_model_word(word: str) -> bool:
    """Whether `word` may be a word of a model's name after a product's (model-words.tsv):
    one of them capitalized, or in capitals if of two letters (Pro, SE; not pro, nor MINI
    in a line of capitals).

    >>> [is_model_word(w) for w in ("Pro", "SE", "ULTRA", "pro", "Kitob")]
    [True, True, False, False, False]
    """
    return word in load_model_forms()


def name_words(kinds: Sequence[str | None], models: Sequence[bool],
               joined: Sequence[bool]) -> list[bool]:
    """Which words of a line stay Latin as words of the product's name before them: `kinds`
    are the word kinds in order, `models` whether each is a model's word (`is_model_word`),
    `joined` whether each follows the one before with nothing but spaces and a number
    between (no punctuation, no tab: a comma or a full stop ends a name). A name that stays
    Latin alone (FOREIGN, ENGLISH_WORD: Galaxy, MacBook) takes the model words right after
    it as its own (MacBook Pro, iPhone 15 Pro Max, Galaxy S24 Ultra); no other word
    (Telegram Abdul Aziz: a person's name converts).

    >>> name_words(["foreign", "model", "english-name", "uzbek"], [False, True, True, False],
    ...            [False, True, True, True])  # iPhone Pro Max narxi
    [False, True, True, False]
    >>> name_words(["foreign", "model", "model"], [False, True, True], [False, True, False])
    [False, True, False]
    >>> name_words(["uzbek", "model"], [False, True], [True, True])  # Toshkent Pro
    [False, False]
    >>> name_words(["foreign", "english-name"], [False, False], [True, True])  # Google Abdul
    [False, False]
    """
    out = [False] * len(kinds)
    for i in range(1, len(kinds)):
        out[i] = models[i] and kinds[i] in ENGLISH_KINDS and joined[i] and (
            kinds[i - 1] in STAYS_LATIN or out[i - 1])
    return out


def phrases(kinds: Sequence[str | None]) -> list[bool]:
    """Which words of a line stay Latin as words of a foreign phrase: `kinds` are the word
    kinds in order (None: a break, such as a kept span). A run of words none of which is
    UZBEK is a phrase if two of its words are English and one of these is not capitalized
    (Save changes; not Muhammad Ali); names and brands may stand in it (YouTube, Linux)
    but do not make it. Its English words stay Latin; a word that is Uzbek too (men, mana)
    only between two others (Open the file; not Class mana shu).

    >>> phrases(["english", "english-or-uzbek", "english", "uzbek", "english"])
    [True, True, True, False, False]
    >>> phrases(["foreign", "english"]), phrases(["english-name", "english-word"])
    ([False, False], [True, False])
    >>> phrases(["english-name", "english-name"]), phrases(["english", "english-or-uzbek"])
    ([False, False], [False, False])
    """
    out = [False] * len(kinds)
    start = 0
    for end in range(len(kinds) + 1):
        if end < len(kinds) and kinds[end] not in (UZBEK, None):
            continue
        # a word that is Uzbek too, at the run's edge, is not in it
        first, last = start, end
        while first < last and kinds[first] == ENGLISH_OR_UZBEK:
            first += 1
        while last > first and kinds[last - 1] == ENGLISH_OR_UZBEK:
            last -= 1
        run = kinds[first:last]
        english = sum(k in (ENGLISH, ENGLISH_WORD, ENGLISH_NAME) for k in run)
        if english >= 2 and any(k in (ENGLISH, ENGLISH_WORD) for k in run):
            for i in range(first, last):
                out[i] = kinds[i] in ENGLISH_KINDS
        start = end + 1
    return out

__all__ = ["UZBEK_ENDINGS", "core", "is_model_word", "is_uzbek", "name_words", "phrases",
           "reason", "word_kind"]
