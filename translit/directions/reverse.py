"""Uzbek Latin → Uzbek Cyrillic: the forward rules read backwards, a lexicon where they are
ambiguous, and a policy for what stays Latin.

A text is read a word at a time (no rule looks across a word, except that with the option
``ordinal_dates``, the inverse of the forward one, the hyphen of an ordinal date goes:
2020-yil → 2020 йил; by default it stays, as Cyrillic text also writes it, 1-сентябрь):

1. what is kept as it is stays: addresses, -{…}-, your keep list, placeholders (%s, {0}),
   markup tags (<b>);
2. a word with a Cyrillic letter is passed through (mixed text works);
3. a word that is not Uzbek stays Latin (see `stays_latin`): letters Uzbek Latin has not
   (w, c outside ch), an English cluster (th, oo ...), a Roman numeral, CamelCase, a name
   of latin-words.tsv (Firefox, USB); a Latin name with an Uzbek suffix after an
   apostrophe keeps the name and converts the suffix (Linux'da → Linux'да);
4. a word the lexicon knows (lexicon.tsv) is written as it says, also with Uzbek
   suffixes after it, those that make a word of it too (film, filmlari, filmsiz,
   filtrlash → фильм, фильмлари, фильмсиз, фильтрлаш; oktabrda → октябрда: a stem's
   last ь goes before a suffix);
5. every other word by the rules of cyrillic.tsv.

Apostrophes are read by position: after o and g any of ʻ ' ` ‘ ’ ʼ is the ʻ of oʻ gʻ, inside
a word elsewhere the tutuq ʼ; at the edge of a word it is a quotation mark. The 2026
letters (ö ğ ş ç, and ș for ş) are read too.

>>> from translit.converter.transliterator import get_transliterator
>>> from translit.base.options import Options
>>> to_cyrillic = get_transliterator(Options(target="cyrillic")).convert
>>> to_cyrillic("Oʻzbekiston shahri, maʼno, Isʼhoq, yoʻl, obyekt, ketsa")
'Ўзбекистон шаҳри, маъно, Исҳоқ, йўл, объект, кетса'
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same classes, made faster (see base/records.py); typing is not imported
    from ..base.records import NamedTuple

from . import foreign
from ..base.options import Options
from .latin import (
    APOSTROPHES,
    WORD_CACHE,
    StaysLatin,
    all_capitals,
    normalized,
    starts_with_name,
    stays_latin,
    title_names,
    word_spans,
)
from .plainwords import PlainWords, Region
from ..engine.quotes import requote
from ..engine.reference import Piece
from ..tables.rules import (
    OKINA,
    TUTUQ,
    LatinContext,
    ReverseRule,
    load_reverse_table,
)
from ..engine.spans import PLACEHOLDER_PATTERN, KeptSpans
from ..tables.wordlists import (Lexicon, LexiconEntry, is_uzbek, load_english_words,
                                load_latin_words, load_lexicon, load_phrase_words,
                                load_uzbek_words, suffix_matcher, suffix_slots)
from ..engine.words import MAX_HELD_CHARS

# Markup and placeholders in text: never converted in this direction (their letters are
# Latin already, and a reader of the Cyrillic text needs them as they are).
_MARKUP = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>|&#?\w{1,12};|" + PLACEHOLDER_PATTERN)
_MARKUP_STARTS = "<&%{$"  # what each match of _MARKUP starts with (tests/test_kept.py)
# A word in angle brackets alone: a tag (<b>, <item>), or a usage string's metavariable.
_BRACKETED_WORD = re.compile(r"<([A-Za-z][^\W\d_]*(?:['ʻʼ‘’`][^\W\d_]+)*)>")
# The tag names of HTML, Pango, DocBook and Mallard markup, which stay tags whatever else
# they are.
_TAG_NAMES = frozenset({"a", "abbr", "app", "b", "big", "blockquote", "body", "br", "button",
    "center", "cite", "cmd", "code", "col", "command", "dd", "del", "div", "dl", "dt", "em",
    "email", "emphasis", "file", "filename", "font", "form", "gui", "guibutton", "guilabel",
    "guimenu", "guimenuitem", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "html", "i", "img",
    "input", "ins", "kbd", "key", "keycap", "keycombo", "keyseq", "label", "li", "link",
    "listitem", "literal", "mark", "media", "menuchoice", "meta", "note", "ol", "option", "output",
    "p", "para", "pre", "q", "quote", "replaceable", "s", "samp", "screen", "script", "section",
    "select", "small", "span", "strike", "strong", "style", "sub", "sup", "sys", "table", "tbody",
    "td", "term", "th", "thead", "tip", "title", "tr", "tt", "u", "ul", "ulink", "userinput",
    "var", "xref"})


class _Markup:
    """The markup and placeholders that this direction keeps (_MARKUP), but a usage
    string's metavariable: an Uzbek word in angle brackets, alone (Foydalanish: buyruq
    <fayl> [<nomi>] → <файл> [<номи>]), is text, as its English original (<file>) is the
    source's word for it. A word that is not Uzbek to phrases (an English word, a name,
    one that stays Latin: <item>, <name>, <widget>), a tag name of HTML, Pango, DocBook or
    Mallard (<b>, <span>, <para>, <guimenu>), and a tag that one of its name closes on
    its line (<sana>…</sana>) stay tags."""

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        line_start = line_end = 0  # the line of the last metavariable met, [start, end)
        closed: dict[str, bool] = {}  # its words, and whether a tag of the name closes there
        for match in _MARKUP.finditer(text):
            word = _metavariable_word(match) if match.group().startswith("<") else None
            if word is not None:
                if match.start() >= line_end:  # (lines met in order: each read once)
                    line_start, line_end = _line_of(text, match, line_end)
                    closed = {}
                if word not in closed:
                    closed[word] = f"</{word}>" in text[line_start:line_end]
                if not closed[word]:
                    continue
            yield match


def _metavariable_word(tag: re.Match[str]) -> str | None:
    """The word of `tag` if it may be a metavariable: an Uzbek word alone in angle brackets
    (whether a tag of its name closes it on its line is `_Markup`'s to see: a line is read
    whole, also when streaming, CyrillicConverter.safe_cut)."""
    found = _BRACKETED_WORD.fullmatch(tag.group())
    if found is None:
        return None
    word = found.group(1)
    lower = normalized(word).lower()
    # (a model's word, Mini, is Uzbek alone: it is a model's only after a product's name)
    if len(lower) < 3 or lower in _TAG_NAMES or not (
            foreign.word_kind(lower) == foreign.UZBEK
            and foreign.word_kind(word) in (foreign.UZBEK, foreign.MODEL)):
        return None
    return word


def _line_of(text: str, tag: re.Match[str], after: int) -> tuple[int, int]:
    """The line of `tag`, which starts at `after` or later: (start, end)."""
    start = max(text.rfind("\n", after, tag.start()), text.rfind("\r", after, tag.start())) + 1
    ends = [end for end in (text.find("\n", tag.end()), text.find("\r", tag.end())) if end >= 0]
    return max(start, after), min(ends, default=len(text))


_CYRILLIC = re.compile("[\u0400-\u052f]")
TOKENS = re.compile(r"(\s+)")  # split: tokens at the even places, spaces at the odd
_SPACE_OR_TOKEN = re.compile(r"(\s+)|\S+")
_MAY_BE_PHRASE = foreign.ENGLISH_KINDS
# The longest run of tokens that are not plain whose output is remembered (characters).
_REMEMBERED_RUN = 256
_SURROGATE = re.compile("[\ud800-\udfff]")
# New tokens in a block from which the plain ones are converted at once (fewer: one by one).
_FEW = 8


class QuoteChoice(NamedTuple):
    """What changed a quotation mark (for explain)."""

    note: str = "quotation marks in the style of --quotes"
    where: str = "quotes.py"
    id: str = "quotes"


QUOTES = QuoteChoice()


class Item(NamedTuple):
    """A part of a token: its span in the token, its output, what it is ("word", "latin",
    "gap"), what decided it, and its word kind for phrases (None: not a word)."""

    start: int
    end: int
    out: str
    kind: str
    decided: object
    word_kind: str | None


class Token(NamedTuple):
    """A token's items; `fixed` is its output if no phrase can change it."""

    items: tuple[Item, ...]
    fixed: str | None
    text: str = ""


def _compounds_are_uzbek(token: str, items: list[Item]) -> list[Item]:
    """The words of a hyphenated compound that did not stay Latin whole, and of a word
    broken by a soft hyphen, are Uzbek words to phrases (al-Balxiy, at-Termiziy: no word
    of it joins a foreign phrase)."""
    out = list(items)
    for i, item in enumerate(items):
        if item.kind == "gap" and ("-" in item.out or "\xad" in item.out) and (
                0 < i < len(items) - 1):
            for j in (i - 1, i + 1):
                if out[j].word_kind in _MAY_BE_PHRASE:
                    out[j] = out[j]._replace(word_kind=foreign.UZBEK)
    return out


def _breaks(spaces: str) -> bool:
    return "\n" in spaces or "\r" in spaces


# The kinds of words foreign.phrases counts as English: a line with fewer than two of them
# has no phrase (most lines the per-token way reads: one word, or Uzbek words around).
_COUNTED_ENGLISH = frozenset({foreign.ENGLISH, foreign.ENGLISH_WORD, foreign.ENGLISH_NAME})


def _phrase_flags(line: list[Token], spaces: Sequence[str] | None = None
                  ) -> list[list[StaysLatin | None]]:
    """For each item of each token of a line: why it stays Latin there, as a word of a
    foreign phrase (foreign.PHRASE) or of the product's name before it (foreign.MODEL_NAME,
    foreign.name_words), or None. A token of punctuation alone (a dash, a bullet) ends a
    phrase; one with digits does not (Python 3.12). `spaces`: what stands before each
    token (a name's words are joined by spaces only, not a tab: a table's cells), where
    known."""
    kinds_of_line = [item.word_kind for token in line for item in token.items]
    if sum(kind in _COUNTED_ENGLISH for kind in kinds_of_line) < 2 and (
            foreign.STAYS_LATIN.isdisjoint(kinds_of_line) or not any(
                foreign.is_model_word(token.text[item.start:item.end])
                for token in line for item in token.items if item.word_kind is not None)):
        return [[None] * len(token.items) for token in line]  # (what they find)
    kinds: list[str | None] = []
    models: list[bool] = []  # each kind's: whether its word is a model's word
    joined: list[bool] = []  # each kind's: nothing but spaces and numbers since the last word
    apart = True
    for k, token in enumerate(line):
        if spaces is not None and k and spaces[k].strip(" "):
            apart = True
        if _punctuation_alone(token):
            kinds.append(None)
            models.append(False)
            joined.append(False)
            apart = True
        for item in token.items:
            if item.word_kind is not None:
                kinds.append(item.word_kind)
                models.append(foreign.is_model_word(token.text[item.start:item.end]))
                joined.append(not apart)
                apart = False
            elif not _model_number(token.text[item.start:item.end]):
                apart = True
    reasons = iter([foreign.PHRASE if phrase else foreign.MODEL_NAME if name else None
                    for phrase, name in zip(foreign.phrases(kinds),
                                            foreign.name_words(kinds, models, joined))])
    out = []
    for token in line:
        if _punctuation_alone(token):
            next(reasons)
        out.append([_kept(next(reasons), item) if item.word_kind is not None else None
                    for item in token.items])
    return out


def _punctuation_alone(token: Token) -> bool:
    """A token of no word and no digit (a dash, a bullet): it ends a phrase (Python 3.12
    does not)."""
    return bool(token.text) and all(item.word_kind is None for item in token.items) and not any(
        c.isdigit() for c in token.text)


def _kept(reason: StaysLatin | None, item: Item) -> StaysLatin | None:
    return reason if item.word_kind in _MAY_BE_PHRASE else None


def _model_number(text: str) -> bool:
    """A model's number between a product's name and its model words (iPhone 15 Pro)."""
    return text.isascii() and text.isdigit()


def _resolved(line: list[Token], spaces: Sequence[str]) -> list[str]:
    """The output of each token of a line (`spaces`: what stands before each token)."""
    return ["".join(token.text[item.start:item.end] if reason else item.out
                    for item, reason in zip(token.items, reasons))
            for token, reasons in zip(line, _phrase_flags(line, spaces))]


def _line_parts(line: list[tuple[int, Token | str]]) -> Iterator[tuple[int, int, str, str, object]]:
    """The parts of one line's tokens and spaces, (position, token or spaces) in order."""
    tokens: list[Token] = []
    spaces: list[str] = []  # what stands before each token
    before = ""
    for _, token in line:
        if isinstance(token, str):
            before = token
        else:
            tokens.append(token)
            spaces.append(before)
            before = ""
    reasons = iter(_phrase_flags(tokens, spaces))
    for at, token in line:
        if isinstance(token, str):
            yield at, at + len(token), token, "gap", None
            continue
        for item, reason in zip(token.items, next(reasons)):
            source = token.text[item.start:item.end]
            if reason is not None:
                yield at + item.start, at + item.end, source, "latin", reason
            else:
                yield at + item.start, at + item.end, item.out, item.kind, item.decided
# Digits (and what may stand among them) at the end of a text that may go on: an ordinal
# date's hyphen may follow (2020-yil).
_NUMBER_TAIL = re.compile(r"[\d.,:/-]*\d-?\Z")


class Rules:
    """The rule table of cyrillic.tsv, applied to one lower-case word."""

    def __init__(self, rules: tuple[ReverseRule, ...]) -> None:
        self.by_sequence: dict[str, list[ReverseRule]] = {}
        for rule in rules:
            self.by_sequence.setdefault(rule.latin, []).append(rule)
        self.longest = max(map(len, self.by_sequence))
        # By first letter, the sequences longest first; a sequence's one rule without a
        # context is taken without looking around (most letters).
        self._starting: dict[str, list[tuple[str, list[ReverseRule], ReverseRule | None]]] = {}
        for sequence, its_rules in sorted(self.by_sequence.items(), key=lambda i: -len(i[0])):
            only = its_rules[0] if len(its_rules) == 1 and its_rules[0].before is None and (
                its_rules[0].after is None) else None
            self._starting.setdefault(sequence[0], []).append((sequence, its_rules, only))
        # Letters that are read alone, always the same way (most): `spell` writes them
        # without looking further.
        self._simple = {char: entries[0][2].cyrillic for char, entries in self._starting.items()
                        if len(entries) == 1 and entries[0][0] == char and entries[0][2]}

    def spell(self, word: str, before: str | None = None, cased: str | None = None) -> str:
        """`word` (small letters) read and written: the Cyrillic of `read`'s rules joined,
        a character no rule knows as it is in `cased` (the word as written), all at once.

        >>> rules = Rules(load_reverse_table())
        >>> rules.spell("shahar"), rules.spell("ketsa"), rules.spell("eshik")
        ('шаҳар', 'кетса', 'эшик')
        """
        cased = word if cased is None else cased
        simple, starting = self._simple, self._starting
        out: list[str] = []
        at, previous, size = 0, before, len(word)
        while at < size:
            char = word[at]
            found = simple.get(char)
            if found is not None:
                out.append(found)
                previous, at = char, at + 1
                continue
            for sequence, rules, only in starting.get(char, ()):
                end = at + len(sequence)
                if end > size or (len(sequence) > 1 and not word.startswith(sequence, at)):
                    continue
                if only is not None:
                    rule: ReverseRule | None = only
                else:
                    following = word[end] if end < size else None
                    rule = next((r for r in rules if _fits(r.before, previous)
                                 and _fits(r.after, following)), None)
                if rule is not None:
                    out.append(rule.cyrillic)
                    previous, at = sequence, end
                    break
            else:
                out.append(cased[at])
                previous, at = char, at + 1
        return "".join(out)

    def read(self, word: str, before: str | None = None) -> Iterator[tuple[int, int, ReverseRule | None]]:
        """(start, end, rule) of each sequence of `word` as read (None: a character no rule
        knows, as it is); `before` is the sequence read before the word, if any."""
        at, previous, size = 0, before, len(word)
        starting = self._starting
        while at < size:
            for sequence, rules, only in starting.get(word[at], ()):
                end = at + len(sequence)
                if end > size or (len(sequence) > 1 and not word.startswith(sequence, at)):
                    continue
                if only is not None:
                    rule: ReverseRule | None = only
                else:
                    following = word[end] if end < size else None
                    rule = next((r for r in rules if _fits(r.before, previous)
                                 and _fits(r.after, following)), None)
                if rule is not None:
                    yield at, end, rule
                    previous, at = sequence, end
                    break
            else:
                yield at, at + 1, None
                previous, at = word[at], at + 1


def _fits(context: LatinContext | None, value: str | None) -> bool:
    if context is None:
        return True
    if value is None:
        found = False
    elif context.members is None:
        found = value.isalpha() or value in (OKINA, TUTUQ)
    else:
        found = value in context.members
    return found != context.negated


def _cut_between(cuts: tuple[int, ...], low: int, high: int) -> bool:
    """Whether a place of `cuts` (in order) is after `low` and before `high` (looked up, not
    read through: a word formatted letter by letter has as many cuts as letters).

    >>> _cut_between((2, 5), 2, 5), _cut_between((2, 5), 1, 3)
    (False, True)
    """
    found = bisect.bisect_right(cuts, low)
    return found < len(cuts) and cuts[found] < high


class CyrillicConverter:
    """Latin → Cyrillic for one set of options (see the module's docstring)."""

    def __init__(self, options: Options, to_latin: Callable[[str], str],
                 lexicon: Mapping[str, LexiconEntry] | None = None) -> None:
        self.options = options
        self.rules = Rules(load_reverse_table())
        self.lexicon = load_lexicon() if lexicon is None else lexicon
        self.suffixes = Suffixes(self.lexicon)
        self.kept = KeptSpans(options.keep_addresses, _keep_list(options),  # type: ignore[arg-type]
                              # (a pattern's stand-in: KeptSpans calls its finditer alone)
                              markup=_Markup(),  # type: ignore[arg-type]
                              markup_starts=_MARKUP_STARTS)
        self._cache: dict[str, str] = {}
        self._tokens: dict[str, str] = {}  # token or spaces → its output, where fixed
        self._decisions: dict[str, Token] = {}
        self._words: dict[str, tuple[str, object, str]] = {}
        self._uzbek: set[str] = set()  # plain tokens (plainwords.py) among self._tokens
        self._runs: dict[str, bytes] = {}  # a run of tokens that are not plain → its output
        self._names = load_latin_words()  # a token that is one stays Latin whole (Wi-Fi)
        self._title_names = title_names(self._names)  # and suffixes may follow (Linuxda)
        self._ordinal = _ordinal_hyphen(to_latin) if options.ordinal_dates else None

    def prepare_for_workers(self) -> None:
        """Build now what converting builds when first needed: the compiled pass's tables
        and the word lists the decisions read (forked workers then share them, rather than
        each building them again)."""
        if self._accelerated is None:
            self._plain.prepare()  # (the pure path's plain words)
        load_uzbek_words()
        load_english_words()
        load_phrase_words()

    # --- whole text ---
    #
    # Text between kept spans is read a token (the text between spaces) at a time: a token
    # is one decision (config.yaml stays Latin whole, foreign.reason), else its words are
    # decided one by one. A word's Cyrillic depends on the word, and on whether it stands
    # in a foreign phrase (foreign.phrases: the kinds of the words of its line), nothing
    # else. So `convert` decides each distinct token once and remembers it (a token with
    # an English word in it is looked at again with its line); `parts` and `explain` read
    # the same decisions token by token with nothing remembered: the reference that
    # the tests hold `convert` equal to.

    def convert(self, text: str) -> str:
        return self.convert_utf8(text).decode("utf-8", "surrogatepass")

    def convert_utf8(self, text: str, surrogates: str = "surrogatepass") -> bytes:
        """`convert`, in UTF-8 (the compiled pass writes it so: no str is made of its output
        to be encoded again); `surrogates`, the error handler that writes a lone surrogate.
        """
        text = self._requoted(text)
        kept = self.kept.find(text)
        accelerated = self._accelerated
        if accelerated is not None and surrogates == "surrogatepass":
            # the compiled pass writes the kept spans itself (as "surrogatepass" does),
            # between the regions it reads: one call, no region cut out of the text
            return self._runs_written(accelerated(text, self._runs, kept), surrogates)
        if not kept:
            return self._region(text, surrogates)
        out: list[bytes] = []
        done = 0
        for start, end in kept:
            out += (self._region(text[done:start], surrogates),
                    text[start:end].encode("utf-8", surrogates))
            done = end
        out.append(self._region(text[done:], surrogates))
        return b"".join(out)

    def _region(self, text: str, surrogates: str) -> bytes:
        """Text with nothing kept in it: its plain tokens in one compiled pass where the
        accelerator is built (plainwords.py), the other tokens by their decisions."""
        accelerated = self._accelerated
        if accelerated is None:
            return self._decided_region(text).encode("utf-8", surrogates)
        # (a run remembered is written in its place)
        return self._runs_written(accelerated(text, self._runs), surrogates)

    def _runs_written(self, pieces: list[bytes | str], surrogates: str) -> bytes:
        """The compiled pass's pieces, [done, run, done, ..., done], joined: each run by its
        decisions (remembered, unless a lone surrogate is written)."""
        runs = self._runs
        for i in range(1, len(pieces), 2):
            run = pieces[i]
            assert isinstance(run, str)
            out = runs.get(run)
            if out is None:
                # a run is read alone: plain tokens (one Uzbek word each), or the region's
                # edges, are around it, and no foreign phrase goes past either
                decided = self._decided_region(run)
                if not decided.isascii() and _SURROGATE.search(decided):
                    pieces[i] = decided.encode("utf-8", surrogates)  # (not remembered:
                    continue                                         # as the handler says)
                out = decided.encode("utf-8")
                if len(run) <= _REMEMBERED_RUN:  # a long one (a foreign paragraph) rarely
                    if len(runs) >= WORD_CACHE:  # comes again: memory stays bounded
                        runs.clear()
                    runs[run] = out
            pieces[i] = out
        return b"".join(pieces)  # type: ignore[arg-type]  # (each run now written: bytes)

    @functools.cached_property
    def _accelerated(self) -> Region | None:
        return self._plain.accelerated(_fits, _long_enough, self.suffixes)

    def _decided_region(self, text: str) -> str:
        """Text with nothing kept in it, by the remembered decisions of its tokens."""
        parts = TOKENS.split(text)  # spaces at the odd places, tokens at the even
        get = self._tokens.get
        outs = [get(part) for part in parts]
        if None in outs:
            self._decide(parts, outs)
        return "".join(outs)  # type: ignore[arg-type]

    def _decide(self, parts: list[str], outs: list[str | None]) -> None:
        """Fill in the outputs not yet remembered; a token whose words may be part of a
        foreign phrase is decided with the tokens of its line."""
        tokens = self._tokens
        if len(tokens) >= WORD_CACHE:
            tokens.clear()
            self._uzbek.clear()
        unknown = [part for part, out in zip(parts[::2], outs[::2]) if out is None]
        if len(unknown) >= _FEW and self._accelerated is None:
            # most of them plain words: at once (plainwords.py; the compiled pass has
            # taken them already)
            plain = self._plain.convert(set(unknown))
            tokens.update(plain)
            self._uzbek.update(plain)
            for i in range(0, len(parts), 2):
                if outs[i] is None:
                    outs[i] = tokens.get(parts[i])
        lines: set[int] = set()
        uzbek = self._uzbek
        run = 0  # where the run of the token at i starts (the comment below), found as i goes
        for i, out in enumerate(outs):
            if i % 2 == 0 and (i < 2 or _breaks(parts[i - 1]) or parts[i - 2] in uzbek):
                run = i
            if out is not None:
                continue
            part = parts[i]
            if i % 2:  # spaces
                outs[i] = tokens[part] = part
                continue
            token = self._token(part)
            if token.fixed is not None:
                outs[i] = tokens[part] = token.fixed
            else:
                lines.add(run)  # (each token looking back for it was quadratic in a run)
        for start in sorted(lines):
            end = self._run_end(parts, start)
            line = [self._line_token(parts[i]) for i in range(start, end, 2)]
            spaces = [parts[i - 1] if i else "" for i in range(start, end, 2)]
            for i, joined in zip(range(start, end, 2), _resolved(line, spaces)):
                outs[i] = joined

    # A phrase is a run of words none of which is Uzbek (foreign.phrases): a plain token, one
    # Uzbek word, ends every run, so a token's phrase is read within the tokens of its line
    # between the plain tokens around it (its line, if there are none).

    def _run_end(self, parts: list[str], i: int) -> int:
        uzbek, size = self._uzbek, len(parts)
        while i + 2 < size and not _breaks(parts[i + 1]) and parts[i + 2] not in uzbek:
            i += 2
        return i + 1

    @functools.cached_property
    def _plain(self) -> PlainWords:
        return PlainWords(load_reverse_table(), self.lexicon, self._names)

    def _line_token(self, token: str) -> Token:
        """A token's decisions for its line's phrases: a plain token's are one Uzbek word
        (what `_decided_token` finds for it: the phrases read the kinds of words only)."""
        if token in self._uzbek:
            out = self._tokens[token]
            return Token((Item(0, len(token), out, "word", None, foreign.UZBEK),), out, token)
        return self._token(token)

    def _token(self, token: str) -> Token:
        """The decisions of one token (remembered)."""
        found = self._decisions.get(token)
        if found is None:
            if len(self._decisions) >= WORD_CACHE:
                self._decisions.clear()
            found = self._decisions[token] = self._decided_token(token)
        return found

    def _word_decision(self, word: str) -> tuple[str, object, str]:
        """A word's Cyrillic, what decided it, and its kind for phrases (remembered)."""
        found = self._words.get(word)
        if found is None:
            if len(self._words) >= WORD_CACHE:
                self._words.clear()
            cyrillic, decided = self._word(word)
            if isinstance(decided, StaysLatin):
                kind = foreign.latin_kind(decided, word)
            elif foreign.is_model_word(word):  # (Ultra: a loan of the lexicon too)
                kind = foreign.english_kind(word)
            elif decided is not None or not word.isascii() and _CYRILLIC.search(word):
                kind = foreign.UZBEK
            else:
                kind = foreign.english_kind(word)
            found = self._words[word] = (cyrillic, decided, kind)
        return found

    def _decided_token(self, token: str, shortcut: bool = True) -> Token:
        """One token read: what stays Latin (the token whole, or a word), each word's
        Cyrillic and kind (foreign.word_kind)."""
        items: list[Item] = []
        if not token:
            return Token((), "")
        if shortcut and token.isascii() and token.isalpha() and token not in self._names:
            # one plain word (most tokens): what the steps below would find, at once
            cyrillic, decided, kind = self._word_decision(token)
            latin = isinstance(decided, StaysLatin)
            item = Item(0, len(token), cyrillic, "latin" if latin else "word", decided, kind)
            return Token((item,), None if kind in _MAY_BE_PHRASE else cyrillic, token)
        start, end = foreign.core(token)
        why = foreign.reason(token) if token.startswith(("/", "-")) else None  # /?
        if why is not None:
            start, end = 0, len(token)
        elif end > start:
            why = foreign.reason(token[start:end])
        if why is not None:
            items = [Item(0, start, token[:start], "gap", None, None),
                     Item(start, end, token[start:end], "latin", why, foreign.FOREIGN),
                     Item(end, len(token), token[end:], "gap", None, None)]
            items = [item for item in items if item.end > item.start]
        else:
            done = 0
            uzbek_format = end > start and foreign.uzbek_date_format(token[start:end])
            for a, b in word_spans(token):
                if a > done:
                    items.append(Item(done, a, self._between(token, done, a), "gap", None, None))
                word = token[a:b]
                if uzbek_format:  # (whole: kk.oo.yyyy, whose yyyy alone stays Latin)
                    cyrillic, decided = self._spelled(word.lower(), word), foreign.SPELLED_FORMAT
                    kind = foreign.UZBEK
                else:
                    cyrillic, decided, kind = self._word_decision(word)
                items.append(Item(a, b, cyrillic, "latin" if isinstance(decided, StaysLatin)
                                  else "word", decided, kind))
                done = b
            if len(token) > done:
                items.append(Item(done, len(token), self._between(token, done, len(token)),
                                  "gap", None, None))
            items = _compounds_are_uzbek(token, items)
        contextual = any(item.word_kind in _MAY_BE_PHRASE for item in items)
        return Token(tuple(items), None if contextual else "".join(i.out for i in items),
                     token)

    def parts(self, text: str, remembered: bool = False
              ) -> Iterator[tuple[int, int, str, str, object]]:
        """(start, end, Cyrillic, kind, what decided) of each part of `text`, in order: a
        "word" (converted), "latin" (it stays so), "kept" (an address, a placeholder ...)
        or "gap" (spaces, punctuation, digits). `remembered`: each token's decisions as
        `convert` remembers them (see `explain`)."""
        text = self._requoted(text)
        done = 0
        for start, end in self.kept.find(text):
            yield from self._region_parts(text, done, start, remembered)
            yield start, end, text[start:end], "kept", None
            done = end
        yield from self._region_parts(text, done, len(text), remembered)

    def _region_parts(self, text: str, start: int, end: int, remembered: bool = False
                      ) -> Iterator[tuple[int, int, str, str, object]]:
        """The parts of text with nothing kept in it, token by token, nothing remembered
        (unless `remembered`)."""
        line: list[tuple[int, Token | str]] = []
        for match in _SPACE_OR_TOKEN.finditer(text, start, end):
            if match.group(1) is None:  # a token
                token = match.group()
                line.append((match.start(), self._token(token) if remembered
                             else self._decided_token(token, shortcut=False)))
            else:
                line.append((match.start(), match.group()))
                if "\n" in match.group() or "\r" in match.group():
                    yield from _line_parts(line)
                    line = []
        yield from _line_parts(line)

    def _requoted(self, text: str) -> str:
        """`text` with its double quotation marks in the style of the option ``quotes``."""
        if self.options.quotes == "unchanged":
            return text
        return requote(text, self.options.quotes, self.kept.find)

    def _between(self, text: str, start: int, end: int) -> str:
        gap = text[start:end]
        if self._ordinal is not None and gap.endswith("-"):
            return self._ordinal(text, start, end)
        return gap

    def safe_cut(self, text: str) -> int:
        """Where `text`, which may go on, can be cut: after its last line break (a token is
        one decision, and a phrase is read with its line), and not inside what may still
        be kept as it is. A line longer than MAX_HELD_CHARS is cut at a space."""
        limit = max(0, len(text) - MAX_HELD_CHARS)
        cut = max(text.rfind("\n") + 1, text.rfind("\r") + 1)
        if not limit and (cut == 0 or cut == len(text) and text.endswith("\n")):
            # nothing to cut, or all of it: no kept span can be open after a line feed
            # (one that may go on is closed by it: KeptSpans.hold), and none cut before
            # the start (a document's runs, many short ones, each ask this twice)
            return cut
        if cut <= limit and limit:
            cut = max(limit, *(text.rfind(space, limit) + 1 for space in " \t"))
            held = _NUMBER_TAIL.search(text, max(limit, cut - 64), cut)
            if held is not None:
                cut = held.start()
        held_at = self.kept.hold(text, cut, limit)
        if held_at < cut:  # a kept span may start inside a token: hold the whole token back,
            # as a token is one decision (dax.uz<a is not the domain dax.uz and a tag)
            held_at = max(limit, *(text.rfind(space, 0, held_at) + 1 for space in " \t\n\r"))
        return held_at

    @functools.cached_property
    def decision_triggers(self) -> list[re.Pattern[str]]:
        """Where a decision may be (for the preview): every letter that is not Cyrillic (a
        word with one, À or ß too, is converted or kept Latin: either is a decision)."""
        return [re.compile("[^\\W\\d_\u0400-\u052f]")]

    def explain(self, text: str, remembered: bool = False) -> list[Piece]:
        """The pieces of the conversion with what decided each: a rule of cyrillic.tsv, a
        lexicon entry, why a word or token stays Latin; joined, their Cyrillic is
        `convert(text)`. `remembered`: the decisions that `convert` remembers are read
        from there (the same decisions, at the cost of a look-up: a paragraph split by
        formatting is converted through its explanation); without it, nothing is
        remembered: the reference the tests hold `convert` to."""
        return self._pieces(text, self.parts(text, remembered), remembered)

    def explain_token(self, token: str, out: str, decisions_only: bool = False,
                      cuts: tuple[int, ...] | None = None) -> list[Piece] | None:
        """The pieces of one token (no space in it) whose Cyrillic in its line is `out`
        (from `convert`), as `explain(line, remembered=True)` gives them, spans in the
        token; None where its line cannot be told from `out` (some of its words in a
        foreign phrase and some not; a model's word kept Latin, as a product's name's or as
        a phrase's word). With `cuts` (places in the token), a word's letters
        between two of them are one piece (all that the pieces' alignment reads of them).

        >>> from translit.converter.transliterator import get_transliterator
        >>> converter = get_transliterator(Options(target="cyrillic")).direction.converter
        >>> [(p.latin, p.kind) for p in converter.explain_token("Sentabr,", "Сентябрь,")]
        [('Сентябрь', 'lexicon'), (',', 'passed')]
        >>> [p.kind for p in converter.explain_token("file,", "file,")]
        ['latin', 'passed']
        """
        items = self._token(token).items
        sources = [token[item.start:item.end] for item in items]
        alone = [item.out for item in items]
        in_phrase = [source if item.word_kind in _MAY_BE_PHRASE else item.out
                     for item, source in zip(items, sources)]
        alone_fits, phrase_fits = "".join(alone) == out, "".join(in_phrase) == out
        if not (alone_fits or phrase_fits) or alone_fits and phrase_fits and alone != in_phrase:
            return None  # (neither, or both with other pieces: which one the line chose?)
        phrase = not alone_fits
        if phrase and any(item.word_kind in _MAY_BE_PHRASE and foreign.is_model_word(source)
                          for item, source in zip(items, sources)):
            return None  # (a model's word kept: a name's or a phrase's, as its line tells)
        parts = [(item.start, item.end, source, "latin", foreign.PHRASE)
                 if phrase and item.word_kind in _MAY_BE_PHRASE
                 else (item.start, item.end, item.out, item.kind, item.decided)
                 for item, source in zip(items, sources)]
        return self._pieces(token, parts, remembered=True, decisions_only=decisions_only,
                            cuts=cuts)

    def _pieces(self, text: str, parts: Iterable[tuple[int, int, str, str, object]],
                remembered: bool, decisions_only: bool = False,
                cuts: tuple[int, ...] | None = None) -> list[Piece]:
        """The explanation's pieces of `text` from its `parts` (see `parts`); with
        `decisions_only`, a word's letters that record no decision are left out; with
        `cuts`, a word's letters between two of them are one piece."""
        pieces: list[Piece] = []
        out = 0
        for start, end, converted, kind, decided in parts:
            source = text[start:end]
            if kind == "word":
                spelled = converted if decided is foreign.SPELLED_FORMAT else None
                pieces += self._explained_word(source, start, out, remembered, decisions_only,
                                               cuts, spelled)
            elif kind == "latin":
                pieces.append(Piece(source, converted, "latin", decided, (start, end),
                                    (out, out + len(converted)), source))
            elif converted != source and len(converted) == len(source):
                pieces += _changed_gap(source, converted, start, out)
            elif converted != source and converted.count("-") < source.count("-"):
                pieces.append(Piece(source, converted, "ordinal", None, (start, end),
                                    (out, out + len(converted)), source))
            else:
                quoted = converted != source
                pieces.append(Piece(source, converted, "rule" if quoted else "passed",
                                    QUOTES if quoted else None, (start, end),
                                    (out, out + len(converted)), source))
            out += len(converted)
        return pieces

    def _explained_word(self, word: str, at: int, out: int, remembered: bool = False,
                        decisions_only: bool = False, cuts: tuple[int, ...] | None = None,
                        spelled: str | None = None) -> Iterator[Piece]:
        """The pieces of one word (`decisions_only`: of its letters, only those that
        record a decision; `cuts`: its letters between two of these places one piece;
        `spelled`: its Cyrillic by the rules, as its token decided, foreign.SPELLED_FORMAT)."""
        if spelled is not None:
            converted, decided = spelled, None
        else:
            converted, decided = (self._word_decision(word)[:2] if remembered
                                  else self._word(word))
        span, out_span = (at, at + len(word)), (out, out + len(converted))
        if decided is None and any("\u0400" <= c <= "\u052f" for c in word):
            yield Piece(word, converted, "passed", None, span, out_span, word)
            return
        if isinstance(decided, StaysLatin):
            yield Piece(word, converted, "latin", decided, span, out_span, word)
            return
        latin = normalized(word)
        if isinstance(decided, LexiconEntry) or len(latin) != len(word):
            kind = "lexicon" if isinstance(decided, LexiconEntry) else "rule"
            yield Piece(latin, converted, kind, decided, span, out_span, word)
            return
        if cuts is not None and not decisions_only and not _cut_between(cuts, at, at + len(word)):
            # no cut inside: its letters are one piece (the rules' letters agree with the
            # word's Cyrillic, as below, or the word is one piece there too)
            yield Piece(latin, converted, "letter", None, span, out_span, word)
            return
        lower = latin.lower()
        read = list(self.rules.read(lower))
        letters = [latin[start:end] if rule is None else rule.cyrillic
                   for start, end, rule in read]
        if "".join(letters).lower() != converted.lower():
            # spelled otherwise, letter by letter (yO, oddly cased: йО, not ё): one piece,
            # so that the explanation says what the conversion says
            yield Piece(latin, converted, "rule", None, span, out_span, word)
            return
        # Each piece its letters of the word's own Cyrillic, cased as the word was (MAʼNO:
        # МАЪНО, its ъ a capital among capitals).
        done = out
        run = -1  # with cuts: where the letters joined into one piece start (-1: none)
        run_end = run_out = 0

        def joined() -> Piece:  # the letters joined, up to here
            return Piece(latin[run:run_end], converted[run_out - out:done - out], "letter",
                         None, (at + run, at + run_end), (run_out, done), word[run:run_end])

        for (start, end, rule), letter in zip(read, letters):
            kind = "passed" if rule is None else "rule" if rule.mark else "letter"
            cyrillic = converted[done - out:done - out + len(letter)]
            if decisions_only and kind != "rule":
                done += len(cyrillic)
                continue
            if cuts is not None:
                inside = end - start > 1 and _cut_between(cuts, at + start, at + end)
                if run >= 0 and (inside or _cut_between(cuts, at + start - 1, at + start + 1)):
                    yield joined()
                    run = -1
                if not inside:
                    if run < 0:
                        run, run_out = start, done
                    run_end = end
                    done += len(cyrillic)
                    continue
            yield Piece(latin[start:end], cyrillic, kind, rule, (at + start, at + end),
                        (done, done + len(cyrillic)), word[start:end])
            done += len(cyrillic)
        if run >= 0:
            yield joined()

    # --- one word ---

    def word(self, word: str) -> str:
        """The Cyrillic of one word (cached: text repeats its words)."""
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) >= WORD_CACHE:
                self._cache.clear()
            found = self._cache[word] = self._word(word)[0]
        return found

    def _word(self, word: str) -> tuple[str, object]:
        ascii_word = word.isascii()
        if not ascii_word and _CYRILLIC.search(word):
            return word, None  # a Cyrillic word, or a mixed one: as it is
        if not ascii_word or "'" in word or "`" in word:
            with_suffix = self._latin_with_suffix(word)
            if with_suffix is not None:
                return with_suffix
        if ascii_word and word[-1:].islower() and (not word[1:].islower() or (
                word[:1].isupper() and starts_with_name(word, self._title_names))):
            with_suffix = self._name_before_suffix(word)
            if with_suffix is not None:
                return with_suffix
        why = stays_latin(word)
        if why is not None:
            return word, why
        latin = normalized(word)
        lower = latin.lower()
        entry, rest = self._lexicon_entry(lower, latin[:1].isupper())
        if entry is not None and _plainly_cased(latin[:len(latin) - len(rest)]):
            stem = len(lower) - len(rest)
            cyrillic = entry.cyrillic
            if rest and cyrillic.endswith("ь"):
                cyrillic = cyrillic[:-1]
            # the stem in the case of its Latin, the suffix letter by letter (KGBning: КГБнинг)
            cyrillic = _cased_like(latin, cyrillic, stem)
            if rest:
                cyrillic += self._spelled(lower[stem:], latin[stem:], lower[:stem])
            return cyrillic, entry
        return self._spelled(lower, latin), None

    def _spelled(self, lower: str, cased: str, before: str = "") -> str:
        """`lower` by the rules, cased as `cased` is: in a word of capitals all capitals
        (MAʼNO → МАЪНО), else letter by letter (Yoʻl → Йўл, OʻzR → ЎзР, ЁйО's YoyO → ЁйО)."""
        previous = self._last_sequence(before) if before else None
        if cased == lower or cased[1:] == lower[1:]:  # most words: small, or capitalized
            plain = self.rules.spell(lower, previous, cased)
            return plain if cased == lower else plain[:1].upper() + plain[1:]
        out = []
        capitals = all_capitals(cased)
        for start, end, rule in self.rules.read(lower, previous):
            if rule is None:
                out.append(cased[start:end])
            elif end - start > 1 and (_oddly_cased(cased[start:end]) or _capital_pair_alone(
                    cased, start, end, rule.cyrillic)):
                # a case no one Cyrillic letter gives the sequence: letters of their own
                out.append("".join(self._spelled(c, cased[start + i])
                                   for i, c in enumerate(lower[start:end])))
            elif capitals:
                out.append(rule.cyrillic.upper())
            else:
                out.append(_cased_letters(rule.cyrillic, cased[start:end]))
        return "".join(out)

    def _last_sequence(self, word: str) -> str | None:
        last = None
        for start, end, _ in self.rules.read(word):
            last = word[start:end]
        return last

    def _lexicon_entry(self, lower: str, capitalized: bool) -> tuple[LexiconEntry | None, str]:
        """The lexicon's entry for the word, or for its stem when Uzbek suffixes follow (a
        name's only if the word is capitalized)."""
        entry = self.lexicon.get(lower)
        if entry is not None and (capitalized or not entry.name) and _long_enough(entry):
            return entry, ""
        for size in range(min(len(lower) - 1, self._longest_key), 2, -1):
            entry = self.lexicon.get(lower[:size])
            if entry is not None and entry.stem and (capitalized or not entry.name) and (
                    _long_enough(entry)) and self.suffixes.match(lower, size):
                return entry, lower[size:]
        return None, ""

    @functools.cached_property
    def _longest_key(self) -> int:
        """No longer stem is in the lexicon (a long word is not looked up at every length)."""
        if isinstance(self.lexicon, Lexicon):
            return self.lexicon.longest_key()
        return max(map(len, self.lexicon), default=0)

    # --- what stays Latin ---

    def _name_before_suffix(self, word: str) -> tuple[str, object] | None:
        """A name with capitals after its first letter that stays Latin, and Uzbek suffixes
        joined to it (USBni, PDFdan, GitHubda, GeoJSONni → USBни, PDFдан, GitHubда,
        GeoJSONни): the name stays Latin, as it does alone, and the suffixes convert, as
        after an apostrophe (Linux'da). The name is one of latin-words.tsv, or it ends in
        a capital and stays Latin on its own (GeoJSON, XXI), or an apostrophe does
        (PulseAudio'ni: after o the apostrophe is not read as a name's, Linux'da, is): the
        small letters after a CamelCase word's last capital are its own (FoydalanuvchiNomi
        stays whole, not FoydalanuvchiNom and -i). An Uzbek acronym is no such name
        (BMTning → БМТнинг). So is a capitalized name of latin-words.tsv (Linuxda,
        Windowsning → Linuxда, Windowsнинг), unless the evidence finds the word Uzbek
        (Operada: opera-da, as Suffixes.match reads a name of the lexicon)."""
        for cut in range(2, len(word)):  # the shortest suffixes last (MySQLni: not MySQLn)
            base, suffix = word[:cut], word[cut:]
            titled = base in self._title_names
            if base[1:].islower() and not titled or not suffix.islower() or (
                    not self.suffixes.match(suffix)):
                continue
            if titled:
                if self.suffixes.uzbek_word(word.lower(), cut):
                    return None
                return base + self._spelled(suffix, suffix), foreign.NAME
            name = base[:-1] if base[-1] in APOSTROPHES else base  # (PulseAudio'ni)
            why = foreign.NAME if name in self._names else (
                stays_latin(name) if name != base or base[-1].isupper() else None)
            if why is not None:
                return base + self._spelled(suffix, suffix), why
        return None

    def _latin_with_suffix(self, word: str) -> tuple[str, object] | None:
        """A Latin name with an Uzbek suffix after an apostrophe (Linux'da → Linux'да,
        LVM'ga → LVM'га): Uzbek Latin puts the apostrophe there after a word written as in
        its own language, so the word before it stays Latin if it is not Uzbek, in
        capitals, or a capitalized word too long to be an Uzbek word's first syllables
        (Server'iga; but qatʼi, Bemaʼni, QATʼI are қатъи, Бемаъни, ҚАТЪИ)."""
        cut = max(word.rfind(a) for a in APOSTROPHES)
        if cut <= 0 or word[cut - 1] in "oOgG":
            return None
        base, suffix = word[:cut], normalized(word[cut + 1:])
        if not suffix or not self.suffixes.match(suffix.lower()):
            return None
        why = stays_latin(base)
        if why is None and base.isalpha() and (
                base.isupper() and len(base) > 1 or (base[:1].isupper() and len(base) >= 5)
        ) and not (all_capitals(word) and is_uzbek(normalized(word).lower())):
            # (a word all in capitals that the evidence finds Uzbek, a heading's YAʼNI or
            # QATʼI, is not a name before a suffix: its capitals are the heading's)
            why = StaysLatin("a word before an apostrophe and an Uzbek suffix")
        if why is None:
            return None
        return word[:cut + 1] + self._spelled(suffix.lower(), suffix), why


class Suffixes:
    """The Uzbek suffixes after a word. `match(word, at)`: those after a stem of the lexicon
    that ends at `at`: a suffix that makes a word of it (the first slot of suffixes.tsv:
    filmsiz, filtrlash) and the suffixes of its other slots after it; after a name's stem
    (matched only capitalized) none where the word is also a word of uzbek-words.tsv and
    suffixes, that word the name's letters but for one letter more or less (Ilgari,
    Virusi, Kransi, Elchini, Ayoli are ilgari, virus-i, kran-si, elchi-ni, ayol-i, not the
    names Ilgar, Viru, Krans, Elchin, Ayo and suffixes; Olgada stays Olga-da, ol being far
    shorter, and Nitsshechilik Nitsshe-chilik, the word nitsshechi being the name's own).
    `match(suffixes)`: those after an apostrophe or a name (Linux'da, USBni, Linuxsiz),
    the slots after-name and after it alone (a name takes its endings and a few
    derivations there; a word of capitals with a tutuq that the evidence finds Uzbek,
    TAʼLIMI, is still no name TA and suffixes -limi: see `_latin_with_suffix`). The
    compiled pass reads the same slots (`stem_slots`, `after_name_slots`) itself, and
    calls `match` after a name's stem only (plainwords.py).

    >>> suffixes = Suffixes({})
    >>> [bool(suffixes.match("filtrlanmagan", 5)), bool(suffixes.match("lanmagan"))]
    [True, False]
    """

    def __init__(self, lexicon: Mapping[str, LexiconEntry]) -> None:
        self.lexicon = lexicon
        self.after_stem = suffix_matcher()
        self.after_name = suffix_matcher(after="name")
        self.stem_slots = suffix_slots()  # (the patterns' slots: for the compiled pass)
        self.after_name_slots = suffix_slots(after="name")

    def match(self, text: str, at: int | None = None) -> object:
        if at is None:
            return self.after_name.match(text)
        entry = self.lexicon.get(text[:at])
        if entry is None or not entry.name:
            return self.after_stem.match(text, at)
        if self.uzbek_word(text, at):
            return None
        return self.after_stem.match(text, at)

    def uzbek_word(self, word: str, name: int) -> bool:
        """Whether `word` is a word of uzbek-words.tsv and suffixes of suffixes.tsv, that word
        a letter longer or shorter than the `name` letters of a name, or as long."""
        words = load_uzbek_words()
        return any(word[:size] in words and self.after_name.match(word, size)
                   for size in range(name - 1, min(name + 1, len(word)) + 1))


def _long_enough(entry: LexiconEntry) -> bool:
    """Whether the entry's key is long enough for the choice only a lexicon makes: щ for sh
    takes five letters, ь or ц four (film, sirk), so that a short word or abbreviation is
    never made a Russian one (Mar: not марь; shel: not щель). (Of the Russian dictionary's
    entries: the hand-written ones and Uzbek usage's are taken as they are.)

    >>> [_long_enough(LexiconEntry(k, c, True, "opencorpora", "")) for k, c in (
    ...     ("mar", "марь"), ("film", "фильм"), ("shel", "щель"), ("kgb", "кгб"))]
    [False, True, False, True]
    """
    size = len(entry.latin)
    if entry.source != "opencorpora":
        return True  # written for translit, or Uzbek usage (Nyu-York: Нью-Йорк)
    if "щ" in entry.cyrillic:
        return size >= 5
    if "ь" in entry.cyrillic or "ц" in entry.cyrillic:
        return size >= 4
    return True


def _cased_letters(cyrillic: str, latin: str) -> str:
    """The Cyrillic of a Latin sequence in its case: letter for letter where the counts
    agree (yoʻ: йў), else the first for the first (Sh: Ш) and the rest for the last. A sign
    (ъ ь) has no Latin letter of its own: it is a capital only among capitals (Ye: ъЕ).

    >>> _cased_letters("ъе", "Ye"), _cased_letters("ъе", "YE"), _cased_letters("ш", "Sh")
    ('ъЕ', 'ЪЕ', 'Ш')
    """
    letters = [c for c in latin if c not in (OKINA, TUTUQ)]
    lettered = [c for c in cyrillic if c not in _SIGNS]
    if not letters or not lettered:
        return cyrillic
    sign_case = all(c.isupper() for c in letters)
    if len(letters) != len(lettered):
        letters = [letters[0]] + letters[len(letters) - len(lettered) + 1:]
    cases = iter(letters)
    return "".join((c.upper() if sign_case else c) if c in _SIGNS
                   else c.upper() if next(cases).isupper() else c for c in cyrillic)


_SIGNS = frozenset("ъь")


def _oddly_cased(sequence: str) -> bool:
    """A small letter before a capital (yO), which no one Cyrillic letter can keep. (A
    capital and a small one after a capital, HAYoT, is the press's way of writing ҲАЁТ.)"""
    letters = [c for c in sequence if c not in (OKINA, TUTUQ)]
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(letters))


def _capital_pair_alone(word: str, start: int, end: int, cyrillic: str) -> bool:
    """YA, YO, YU, YE with no capital beside them: the forward direction writes the one
    letter Я, Ё, Ю, Е there Ya (a capital alone is capitalized: Я → Ya, китобЯ → kitobYa),
    so the pair is Й and a vowel (ЙА → YA). In a word all in capitals a ʼ beside it is
    looked past, as it has no case (ЯЪНИ is YAʼNI); in one with small letters it is not
    (ЯъҚУБга is YaʼQUBga: YAʼQUBga is ЙАъҚУБга, so that it comes back).

    >>> _capital_pair_alone("YA", 0, 2, "я"), _capital_pair_alone("MUYA", 2, 4, "я")
    (True, False)
    >>> _capital_pair_alone("YAʼNI", 0, 2, "я"), _capital_pair_alone("YAʼ", 0, 2, "я")
    (False, True)
    >>> _capital_pair_alone("YAʼQUBga", 0, 2, "я")
    True
    """
    pair = word[start:end]
    if len(pair) != 2 or len(cyrillic) != 1 or pair[0] != "Y" or not pair[1].isupper():
        return False
    marks = OKINA + TUTUQ if all_capitals(word) else OKINA
    before = word[:start].rstrip(marks)[-1:]
    after = word[end:].lstrip(marks)[:1]
    return not (before.isupper() or after.isupper())


def _plainly_cased(word: str) -> bool:
    """Small letters, a capital first, or all capitals (what a lexicon entry is matched in)."""
    letters = [c for c in word if c.isalpha() and c not in (OKINA, TUTUQ)]
    return all(c.islower() for c in letters[1:]) or all(c.isupper() for c in letters)


def _cased_like(latin: str, cyrillic: str, stem_length: int) -> str:
    """A lexicon word cased as the Latin word is: lower, Title or UPPER."""
    if all_capitals(latin[:stem_length]):
        return cyrillic.upper()
    if latin[:1].isupper():
        return cyrillic[:1].upper() + cyrillic[1:]
    return cyrillic


def _keep_list(options: Options) -> object:
    from ..tables.rules import load_keep_list

    return load_keep_list(options.keep) if options.keep else None


def _changed_gap(source: str, converted: str, at: int, out: int) -> list[Piece]:
    """The pieces of a gap (`source`, at `at` in the text and `out` in the output) whose
    characters were changed one for one (`converted`): each changed character a piece of
    its own (the hyphen of an ordinal date gone, a mark in the style of --quotes), the
    runs between them passed, as the Latin directions explain them. (One changed piece,
    the gap went whole to the piece of a document where it starts: the hyphen of
    "1<b>-oktabr</b>" became a space before the bold text.)

    >>> [(p.original, p.latin, p.kind, p.span) for p in _changed_gap("»1-", "»1 ", 5, 5)]
    [('»1', '»1', 'passed', (5, 7)), ('-', ' ', 'ordinal', (7, 8))]
    """
    pieces: list[Piece] = []
    done = 0
    for k, (before, after) in enumerate(zip(source, converted)):
        if before == after:
            continue
        if k > done:
            same = source[done:k]
            pieces.append(Piece(same, same, "passed", None, (at + done, at + k),
                                (out + done, out + k), same))
        kind, decided = ("ordinal", None) if before == "-" else ("rule", QUOTES)
        pieces.append(Piece(before, after, kind, decided, (at + k, at + k + 1),
                            (out + k, out + k + 1), before))
        done = k + 1
    if done < len(source):
        same = source[done:]
        pieces.append(Piece(same, same, "passed", None, (at + done, at + len(source)),
                            (out + done, out + len(source)), same))
    return pieces


def _ordinal_hyphen(to_latin: Callable[[str], str]) -> Callable[[str, int, int], str] | None:
    """2020-yil → 2020 йил, 1-may → 1 май: the hyphen after the digits of a year or a day
    goes (the Cyrillic rules write none there; the forward direction's --ordinal-dates
    writes it). ordinal-words.tsv says which words, in Cyrillic; a decade (60-yillar) keeps
    its hyphen."""
    from ..tables.rules import load_ordinal_words

    words = load_ordinal_words()
    kinds: dict[str, set[str]] = {}
    for word, kind in words.words:
        kinds.setdefault(kind, set()).add(to_latin(word))
    patterns = {kind: re.compile(rf"(?i:{'|'.join(map(re.escape, sorted(w, key=len, reverse=True)))})")
                for kind, w in kinds.items()}
    number = re.compile(r"(?<![\d.,:/-])(\d{1,4})-\Z")

    def replace(text: str, start: int, end: int) -> str:
        gap = text[start:end]
        found = number.search(gap)
        if found is None:
            return gap
        value = int(found.group(1))
        kind = "year" if 1000 <= value <= 2099 else "day" if 1 <= value <= 31 and len(
            found.group(1)) <= 2 else None
        pattern = patterns.get(kind or "")
        if pattern is None or not pattern.match(text, end):
            return gap
        return gap[:-1] + " "

    return replace
