"""The fast engine: the same rules, run by C-level primitives instead of a Python loop.

How it works, for one piece of text (tests/test_properties.py checks it against the
reference engine on random text):

1. Context rules as substitutions. Every rule that has a context (and every capital that
   must be written in full capitals) becomes one regular-expression substitution with a
   constant replacement: the letter is replaced by a private-use character that stands for
   "this letter, by this rule". Contexts are character classes that also contain these
   stand-ins, so later substitutions still see the original letter's class; and since every
   substitution swaps one character for one, positions never shift. Word exceptions come
   last, as one substitution that writes their Latin directly.
2. Letters to bytes. `codecs.charmap_encode` maps every character to one byte in a single
   C pass: ASCII to itself, each letter and stand-in to a byte of its own. `bytes.translate`
   then turns each of those bytes into its one-letter Latin (or deletes it, for a dropped
   ъ/ь), and a few `bytes.replace` calls expand the bytes that stand for longer spellings
   (sh, oʻ, ye, «, ...). Other characters leave the charmap escaped by an error handler and
   are restored at the end.

The stand-ins are lone high surrogates, which decoding bytes never produces; a string
that already holds one goes to the reference engine instead.

Where the optional compiled accelerator is built (translit/engine/_accel.c, at install where a C
compiler is), steps 1 and 2 are done by it in one pass over the same table; the tests hold
it equal to this pure path and to the reference engine. ``TRANSLIT_PURE=1`` turns it off.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import os
import re
import string
from collections.abc import Callable, Iterable, Iterator, Sequence

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any, NamedTuple
    from .reference import ReferenceEngine
else:  # the same classes, made faster (see records.py)
    from ..base.records import NamedTuple

from ..base.lazy import lazy_pattern
from .invisible import INVISIBLE_IN_WORDS
from .model import CasedException, CharClass, Orthography, Row
from .words import (
    COMBINING_MARKS,
    CYRILLIC_FIRST,
    CYRILLIC_LAST,
    char_class,
    cyrillic_letters,
    is_word_char,
)

# Lone high surrogates: no decoder makes them from bytes (surrogateescape makes only
# U+DC80-U+DCFF), so text read from a file cannot already contain a stand-in.
STAND_IN_FIRST = 0xD800
STAND_IN_LAST = 0xD8FF
STAND_IN_RANGE = f"\\u{STAND_IN_FIRST:04x}-\\u{STAND_IN_LAST:04x}"
WORD_CLASS = rf"(?:[^\W\d_]|[{COMBINING_MARKS}{STAND_IN_RANGE}])"
ESCAPE_OPEN, ESCAPE_CLOSE = b"\xff", b"\xfe"
ESCAPED = lazy_pattern(re.escape(ESCAPE_OPEN) + b"([0-9a-f]*)" + re.escape(ESCAPE_CLOSE))
# Stands for a kept span (an address, -{…}-) while the rest of the text is converted
# (U+FFFC, OBJECT REPLACEMENT CHARACTER: not a word character, and almost never in text).
KEPT_MARK = "\ufffc"
_KEPT_MARK_BYTES = KEPT_MARK.encode("utf-8")
# Frequent non-ASCII characters that get a byte of their own (the rest are escaped).
COMMON_SYMBOLS = (
    "\u02bb\u02bc«»“”„‘’—–…№\u00a0·°•‹›\u2010\u2011′″\u00ad\u200b€©®™×§\ufffd\ufeff"
    + KEPT_MARK
)
_ONE_PASS_SPAN = 0x530  # the accelerator's tables cover the characters below (SPAN in _accel.c)
_PYTHON_BEYOND = 8  # ... and this many more that send their line to Python (PYTHON_BEYOND)


def _escape_handler(surrogates: str) -> Callable[[UnicodeError], tuple[str | bytes, int]]:
    def handler(error: UnicodeError) -> tuple[str | bytes, int]:
        assert isinstance(error, UnicodeEncodeError)
        raw = error.object[error.start : error.end].encode("utf-8", surrogates)
        return ESCAPE_OPEN + raw.hex().encode("ascii") + ESCAPE_CLOSE, error.end

    return handler


# Registered once per process under names of our own; the handlers hold no state.
ERROR_HANDLERS = {mode: f"translit-escape-{mode}" for mode in ("surrogatepass", "surrogateescape")}
for _mode, _name in ERROR_HANDLERS.items():
    codecs.register_error(_name, _escape_handler(_mode))


_accel: Any
try:
    from . import _accel
except ImportError:  # not built here: the pure path
    _accel = None


def accelerator_available() -> bool:
    """Whether the compiled accelerator is built, and not turned off (TRANSLIT_PURE=1)."""
    return _accel is not None and not os.environ.get("TRANSLIT_PURE")


class FastEngine:
    def __init__(self, orthography: Orthography, native: bool = True) -> None:
        self.orthography = orthography
        self.native = _native_table(orthography) if native and accelerator_available() else None
        self._stand_ins = _StandIns(orthography)
        # One table for each one-pass set-up asked for: a set-up is the table's own state,
        # and a second caller with other characters must not change the first one's.
        self._one_pass_tables: dict[tuple[tuple[int, ...], bool], Any] = {}

    @functools.cached_property
    def reference(self) -> ReferenceEngine:
        """For the rare text that holds a stand-in itself (made when first needed)."""
        from .reference import ReferenceEngine

        # (its decisions, which the preview asks of every new word, told by the table's own
        # loop where there is one: see ReferenceEngine)
        flags = decision_flags(self.orthography) if self.native is not None else None
        return ReferenceEngine(self.orthography, None if flags is None else (self.native, flags))

    # The pure path's passes are made when first used: with the accelerator, a plain
    # conversion never uses them, and their patterns cost more start-up than the rest.
    @functools.cached_property
    def substitutions(self) -> list[tuple[re.Pattern[str], str]]:
        return self._stand_ins.substitutions()

    @functools.cached_property
    def exceptions(self) -> _ExceptionPass:
        return _ExceptionPass(self.orthography)

    @functools.cached_property
    def byte_map(self) -> _ByteMap:
        return _ByteMap(self._stand_ins.outputs())

    # The preview's triggers are made when first needed, so that a plain conversion does
    # not pay for them at start-up.
    @functools.cached_property
    def decision_triggers(self) -> list[re.Pattern[str]]:
        """Finds every place where a rule marked as a decision may apply: where a marked rule
        with a context fits, a letter whose general rule is marked, a two-letter capital not
        followed by a small letter (R9), a Latin letter (a look-alike?), a Cyrillic letter
        the tables do not know. Text none of them matches has no decision but exceptions."""
        return [*map(re.compile, self.local_triggers.patterns()),
                *(trigger.pattern for trigger in self.repair_triggers)]

    @functools.cached_property
    def local_triggers(self) -> LocalTriggers:
        """The rule table's triggers (the first of `decision_triggers`), as data."""
        return self._stand_ins.local_triggers()

    @functools.cached_property
    def repair_triggers(self) -> list[Trigger]:
        """Where a repair turned on may act (repairs.py): the rest of `decision_triggers`."""
        return [Trigger(re.compile(pattern), quick, needs)
                for pattern, quick, needs in self.orthography.repairs.trigger_scans()]

    def one_pass(self, python_chars: Iterable[str], sh: bool) -> Any:
        """The accelerator's table set up to convert UTF-8 bytes in one pass
        (`convert_utf8`), or None where it cannot (no accelerator; a repair or a keep list
        that only the str path does). `python_chars` and, with `sh`, an s before an h send
        their line to the str path (the respeller's triggers); so do, found in the same
        pass, the characters the repairs react to, leftover letters, an e-mail address or
        an escape, each from its Python definition here."""
        options = self.orthography.options
        repairs = self.orthography.repairs
        if self.native is None or options.keep or not all(r.one_pass for r in repairs.active):
            return None
        from . import spans
        from .repairs import LOOKALIKE_LETTERS

        python = set(python_chars) | {decomposed[-1] for decomposed, _ in repairs.compositions}
        python |= self.orthography.leftover_chars
        if options.keep_addresses:
            python.add("@")  # an e-mail address or a handle
        python |= INVISIBLE_IN_WORDS  # read through by the str path (invisible.py)
        if sum(ord(c) >= _ONE_PASS_SPAN for c in python) > _PYTHON_BEYOND:
            return None
        starts = tuple(s.encode("ascii") for s in spans.ADDRESS_STARTS
                       ) if options.keep_addresses else ()
        # The look-alikes' trigger (repairs.py): a letter of [A-Za-z] touching a Cyrillic one.
        letters = "".join(re.findall(f"[{LOOKALIKE_LETTERS}]", "".join(map(chr, range(0x80)))))
        key = (tuple(sorted(map(ord, python))), sh)
        table = self._one_pass_tables.get(key)
        if table is None:
            table = _native_table(self.orthography) if self._one_pass_tables else self.native
            table.set_one_pass(key[0], (ord(CYRILLIC_FIRST), ord(CYRILLIC_LAST)), letters, sh,
                               starts, spans.NOT_IN_ADDRESS, True, spans.ADDRESS_TAIL)
            self._one_pass_tables[key] = table
        return table

    def convert(self, text: str, surrogates: str = "surrogatepass") -> bytes:
        """Convert `text` and return it UTF-8 encoded (lone surrogates by `surrogates`);
        kept spans (addresses, the keep list, -{…}-) stay as they are."""
        spans = self.orthography.kept_spans(text)
        if not spans:
            return self._convert(text, surrogates)
        kept = [text[start:end].encode("utf-8", surrogates) for start, end in spans]
        if KEPT_MARK not in text:
            # One pass: each kept span becomes one mark, put back afterwards.
            parts = self._convert(_masked(text, spans), surrogates).split(_KEPT_MARK_BYTES)
            if len(parts) == len(kept) + 1:
                return b"".join(p for pair in zip(parts, [*kept, b""]) for p in pair)
        pieces: list[bytes] = []  # the text holds the mark itself: part by part
        done = 0
        for (start, end), span in zip(spans, kept):
            pieces += (self._convert(text[done:start], surrogates), span)
            done = end
        pieces.append(self._convert(text[done:], surrogates))
        return b"".join(pieces)

    def _convert(self, text: str, surrogates: str) -> bytes:
        prepared = self._prepared(text)
        if prepared is None:
            return self.reference.convert_part(text).encode("utf-8", surrogates)
        if self.native is not None:
            data: bytes = self.native.convert(prepared, surrogates == "surrogateescape")
            return data
        exceptions = self.exceptions.find(prepared)
        prepared = self.exceptions.splice(self._substituted(prepared), exceptions)
        return self.byte_map.encode(prepared, surrogates)

    def _prepared(self, text: str) -> str | None:
        """The text as the rules see it (repairs.py); None when it holds a stand-in
        character itself (the reference engine converts it then)."""
        return self.orthography.repairs.prepare(text, refuse=STAND_IN_RANGE)

    def _substituted(self, text: str) -> str:
        for pattern, stand_in in self.substitutions:
            text = pattern.sub(stand_in, text)
        return text

    def pieces(self, pieces: Sequence[str]) -> list[str] | None:
        """The Latin of each piece of a text cut into `pieces` (see `latin_of_each`), or None
        where characters do not map one to one. Substitutions keep every character in its
        place, so the substituted text is cut where the pieces were and the cuts are mapped
        to bytes in one pass, a NUL between them."""
        text = "".join(pieces)
        if "\0" not in text and not self.orthography.kept_spans(text):
            prepared = self._prepared(text)
            if prepared is not None and len(prepared) == len(text) and not self.exceptions.find(
                    prepared):
                substituted = self._substituted(prepared)
                cuts, done = [], 0
                for piece in pieces:
                    cuts.append(substituted[done:done + len(piece)])
                    done += len(piece)
                data = self.byte_map.encode("\0".join(cuts), "surrogatepass")
                return data.decode("utf-8", "surrogatepass").split("\0")
        each = self.latin_of_each(text)
        if each is None:
            return None
        out, done = [], 0
        for piece in pieces:
            out.append("".join(each[done:done + len(piece)]))
            done += len(piece)
        return out

    def latin_of_each(self, text: str) -> list[str] | None:
        """The Latin of each character of `text`, in order: joined, the conversion of the
        text (an exception's Latin on its first letter, a dropped letter's empty, a kept
        span's characters as they are); None where characters do not map one to one (a
        decomposed letter is composed). What `to_latin_pieces` gives each piece from.

        >>> engine = FastEngine(__import__("translit").get_transliterator().orthography)
        >>> engine.latin_of_each("Объект")
        ['O', 'b', '', 'ye', 'k', 't']
        """
        spans = self.orthography.kept_spans(text)
        masked = text
        if spans:  # each kept span stands as one mark, as in convert
            if KEPT_MARK in text:
                return None
            masked = _masked(text, spans)
        prepared = self._prepared(masked)
        if prepared is None or len(prepared) != len(masked):
            return None
        exceptions = self.exceptions.find(prepared)
        output = self._stand_ins.output
        latin = [output.get(char, char) for char in self._substituted(prepared)]
        for start, end, spelled in exceptions:
            latin[start:end] = [spelled] + [""] * (end - start - 1)
        if spans:  # the characters of each kept span, in place of its mark
            out: list[str] = []
            done = 0
            for (start, end), at in zip(spans, _mark_positions(masked)):
                out += latin[done:at]
                out += list(text[start:end])
                done = at + 1
            out += latin[done:]
            latin = out
        return latin

def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each kept span written as one KEPT_MARK: not a word character, so to the
    rules it is a boundary, as a space is.

    >>> _masked("салом https://x.uz дунё", [(6, 18)]) == "салом " + KEPT_MARK + " дунё"
    True
    """
    parts: list[str] = []
    done = 0
    for start, end in spans:
        parts += (text[done:start], KEPT_MARK)
        done = end
    parts.append(text[done:])
    return "".join(parts)


def _mark_positions(text: str) -> Iterator[int]:
    at = text.find(KEPT_MARK)
    while at >= 0:
        yield at
        at = text.find(KEPT_MARK, at + 1)


def _native_table(orthography: Orthography) -> Any:
    """The table compiled for the accelerator: each letter's rules with their context
    classes by number (0: the word class), the capitals; None if it cannot take them."""
    classes: dict[frozenset[str], int] = {}

    def context(char_class: CharClass | None) -> tuple[int, int]:
        if char_class is None:
            return -1, 0
        if char_class.chars is None:
            return 0, int(char_class.negated)
        return classes.setdefault(char_class.chars, len(classes) + 1), int(char_class.negated)

    letters = []
    for char, rows in orthography.rows.items():
        encoded = tuple((*context(row.before), *context(row.after), row.lower.encode("utf-8"),
                         row.title.encode("utf-8"), row.upper.encode("utf-8")) for row in rows)
        letters.append((ord(char), char == rows[0].rule.letter, encoded))
    members = tuple(tuple(sorted(map(ord, chars))) for chars in classes)  # by number
    capitals = tuple(sorted(map(ord, orthography.capitals)))
    exceptions = tuple((form.cyrillic, form.latin.encode("utf-8"), form.entry.whole_word)
                       for form in orthography.exceptions)  # in the order they are tried
    assert _accel is not None
    try:
        return _accel.Table(tuple(letters), members, capitals,
                            orthography.options.capitals == "upper", exceptions)
    except (ValueError, TypeError):  # a table of one's own beyond what it covers
        return None


def decision_flags(orthography: Orthography) -> bytes | None:
    """For the table's `decisions`: each row's DECIDED_* bits (_accel.c), in the table's
    order of rows (`_native_table`'s): 1, its rule is marked; 2, a capital's row that rule
    R9 writes by the letter after it (Ш → SH or Sh; ReferenceEngine._capital_decided).
    None where a letter's rows are of more than one letter (the table cases each
    character alike for all its rows)."""
    flags = bytearray()
    for char, rows in orthography.rows.items():
        if any(row.rule.letter != rows[0].rule.letter for row in rows):
            return None
        for row in rows:
            # (the first row of the same rule is the one _capital_decided reads)
            first = next(r for r in rows if r.rule is row.rule)
            capital = char != row.rule.letter and first.title != first.upper
            flags.append(int(row.rule.mark) | 2 * capital)
    return bytes(flags)


class _StandIns:
    """The characters that stand for "letter X by rule N (in full capitals)".

    The last rule of a letter is the letter itself; the others get a lone surrogate.
    """

    def __init__(self, orthography: Orthography) -> None:
        self.orthography = orthography
        self.source: dict[str, str] = {}  # stand-in (or the letter itself) -> source letter
        self.output: dict[str, str] = {}  # stand-in (or the letter itself) -> its Latin
        self.token: dict[tuple[str, int, bool], str] = {}  # (letter, row, all caps) -> char
        for letter, rows in orthography.rows.items():
            for index, row in enumerate(rows):
                is_capital = letter != row.rule.letter
                last = index == len(rows) - 1
                self._add((letter, index, False), letter if last else None,
                          row.title if is_capital else row.lower)
                if is_capital and self._needs_caps_pass(row):
                    self._add((letter, index, True), None, row.upper)

    def _needs_caps_pass(self, row: Row) -> bool:
        return self.orthography.options.capitals == "upper" and row.title != row.upper

    def _add(self, key: tuple[str, int, bool], char: str | None, latin: str) -> None:
        if char is None:
            char = chr(STAND_IN_FIRST + len(self.token))
            if ord(char) > STAND_IN_LAST:
                raise ValueError("too many context rules for the fast engine")
        self.token[key] = char
        self.source[char] = key[0]
        self.output[char] = latin

    def variants(self, letters: Iterable[str]) -> set[str]:
        """The letters and every stand-in for one of them."""
        wanted = set(letters)
        return wanted | {char for char, source in self.source.items() if source in wanted}

    def outputs(self) -> dict[str, str]:
        return dict(self.output)

    def substitutions(self) -> list[tuple[re.Pattern[str], str]]:
        subs = []
        for (letter, index, all_caps), char in self.token.items():
            rows = self.orthography.rows[letter]
            if not all_caps and index < len(rows) - 1:
                subs.append((self._rule_pattern(letter, rows[index]), char))
        capitals = char_class(self.variants(self.orthography.capitals))
        for (letter, index, all_caps), char in self.token.items():
            if all_caps:
                plain = re.escape(self.token[(letter, index, False)])
                pattern = rf"{plain}(?:(?<={capitals}{plain})|(?={capitals}))"
                subs.append((re.compile(pattern), char))
        return subs

    def local_triggers(self) -> LocalTriggers:
        """The triggers of the rule table (see `FastEngine.decision_triggers`), as data."""
        ortho = self.orthography
        contexts = []  # marked rules with a context
        general = set()  # letters whose general rule is marked: any of them decides
        for letter, rows in ortho.rows.items():
            for index, row in enumerate(rows):
                if not row.rule.mark:
                    continue
                if index == len(rows) - 1:
                    general.add(letter)
                else:
                    contexts.append((letter, self._context(row.before), self._context(row.after)))
        capitals = {c for c, rows in ortho.rows.items()
                    if c != rows[0].rule.letter and rows[0].title != rows[0].upper}
        small = set(string.ascii_lowercase) | {c for c in ortho.rows if c == ortho.rows[c][0].rule.letter}
        unknown = {c for c in cyrillic_letters() if c not in ortho.rows}
        return LocalTriggers(tuple(contexts), frozenset(general | unknown), frozenset(capitals),
                             frozenset(small))

    def _context(self, context: CharClass | None) -> tuple[frozenset[str] | None, bool] | None:
        if context is None:
            return None
        chars = None if context.chars is None else frozenset(self.variants(context.chars))
        return chars, context.negated

    def _rule_pattern(self, letter: str, row: Row) -> re.Pattern[str]:
        # The letter comes first so the regex engine can scan for it quickly; the look-behind
        # then spans the letter and the character before it.
        own = re.escape(letter)
        pattern = own
        if row.before is not None:
            sign = "!" if row.before.negated else "="
            pattern += f"(?<{sign}{self._class(row.before)}{own})"
        if row.after is not None:
            sign = "!" if row.after.negated else "="
            pattern += f"(?{sign}{self._class(row.after)})"
        return re.compile(pattern)

    def _class(self, context: CharClass) -> str:
        if context.chars is None:
            return WORD_CLASS
        return char_class(self.variants(context.chars))


class LocalTriggers(NamedTuple):
    """The decision triggers of the rule table, each of which looks at a character and its
    two neighbours, as data (`_StandIns.local_triggers`): the preview's compiled loop reads
    them so, and `patterns` writes them as the regular expressions the Python loop runs.

    ``contexts``: (letter, before, after) for each marked rule with a context; ``before``
    and ``after`` are (characters, negated), or None where the rule has no context there;
    characters None is the word class. ``anywhere``: letters that decide wherever they are
    (a marked general rule; a Cyrillic letter the tables do not know). ``capitals``:
    two-letter capitals, which decide unless a letter of ``small`` follows (R9).
    """

    contexts: tuple[tuple[str, tuple[frozenset[str] | None, bool] | None,
                          tuple[frozenset[str] | None, bool] | None], ...]
    anywhere: frozenset[str]
    capitals: frozenset[str]
    small: frozenset[str]

    def patterns(self) -> list[str]:
        # Few patterns, each fast to scan: sre skips ahead quickly to a pattern's possible
        # first letters when every choice starts with a letter, or when it is one class.
        contexts = []
        for letter, before, after in self.contexts:
            # The letter comes first so the regex engine can scan for it quickly; the
            # look-behind then spans the letter and the character before it.
            own = re.escape(letter)
            pattern = own
            if before is not None:
                pattern += f"(?<{'!' if before[1] else '='}{_class_of(before[0])}{own})"
            if after is not None:
                pattern += f"(?{'!' if after[1] else '='}{_class_of(after[0])})"
            contexts.append(pattern)
        patterns = ["|".join(contexts)] if contexts else []
        patterns.append(char_class(self.anywhere))
        if self.capitals:
            patterns.append(char_class(self.capitals) + f"(?!{char_class(self.small)})")
        return patterns


class Trigger(NamedTuple):
    """A decision trigger: where `pattern` matches, a decision may be; `quick` (or None)
    is a quick look at a text that is false where the pattern matches nowhere in it;
    `needs` (or None), characters one of which is in every text that `quick` is true for
    (a text with none of them needs no look: the preview finds them for many lines in one
    pass)."""

    pattern: re.Pattern[str]
    quick: Callable[[str], bool] | None = None
    needs: str | None = None


def _class_of(chars: frozenset[str] | None) -> str:
    return WORD_CLASS if chars is None else char_class(chars)


class _ExceptionPass:
    """Word exceptions: found before the substitutions, spliced in after.

    The substitutions swap one character for one, so positions found before still hold.
    A short list is searched with str.find: the lower-case and Title forms of an entry share
    everything but the first letter, so one search for that tail finds both. A long list is
    searched with one regular expression shaped as a trie, whose matches are candidates.
    """

    MAX_SEARCHES = 32  # beyond this many str.find scans, one regex scan is faster

    def __init__(self, orthography: Orthography) -> None:
        self.searches: list[tuple[str, dict[str, CasedException]]] = []
        for _, forms in itertools.groupby(orthography.exceptions, key=lambda e: e.entry):
            by_tail: dict[str, dict[str, CasedException]] = {}
            for form in forms:
                by_tail.setdefault(form.cyrillic[1:], {})[form.cyrillic[0]] = form
            self.searches.extend(by_tail.items())
        self.by_first: dict[str, list[CasedException]] = {}
        for form in orthography.exceptions:  # in the order they are tried
            self.by_first.setdefault(form.cyrillic[0], []).append(form)
        self.pattern = None
        if len(self.searches) > self.MAX_SEARCHES:
            self.pattern = re.compile(_trie([form.cyrillic for form in orthography.exceptions]))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, latin) of each exception, the first listed winning at a word start."""
        if self.pattern is not None:
            return self._find_by_pattern(text)
        found: dict[int, tuple[int, int, str]] = {}
        for tail, candidates in self.searches:
            at = text.find(tail, 1)
            while at >= 0:
                start = at - 1
                form = candidates.get(text[start])
                if form is not None and start not in found and self._fits(text, start, form):
                    found[start] = (start, start + len(form.cyrillic), form.latin)
                at = text.find(tail, at + 1)
        return sorted(found.values())

    def _find_by_pattern(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        assert self.pattern is not None
        for match in self.pattern.finditer(text):
            start = match.start()
            for form in self.by_first[text[start]]:
                if text.startswith(form.cyrillic, start) and self._fits(text, start, form):
                    found.append((start, start + len(form.cyrillic), form.latin))
                    break
        return found

    @staticmethod
    def _fits(text: str, start: int, form: CasedException) -> bool:
        end = start + len(form.cyrillic)
        if start and is_word_char(text[start - 1]):
            return False
        return not (form.entry.whole_word and end < len(text) and is_word_char(text[end]))

    @staticmethod
    def splice(text: str, spans: list[tuple[int, int, str]]) -> str:
        if not spans:
            return text
        pieces: list[str] = []
        done = 0
        for start, end, latin in spans:
            pieces += (text[done:start], latin)
            done = end
        pieces.append(text[done:])
        return "".join(pieces)


class _ByteMap:
    """Characters to UTF-8 Latin bytes: charmap_encode, bytes.translate, bytes.replace."""

    def __init__(self, outputs: dict[str, str]) -> None:
        chars = dict(outputs)
        for symbol in COMMON_SYMBOLS:
            chars.setdefault(symbol, symbol)
        expansions = {latin.encode("utf-8") for latin in chars.values()}
        expansions = {e for e in expansions if len(e) > 1 or (e and e[0] >= 0x80)}
        used = {byte for expansion in expansions for byte in expansion}
        free_codes = [b for b in range(0x80, 0xFE) if b not in used]
        slots = list(range(0x80, 0xFE))
        decoding = [chr(b) for b in range(0x80)] + ["\ufffe"] * 0x80
        table = bytearray(range(256))
        delete = bytearray()
        code_of: dict[bytes, int] = {}
        for char, latin in chars.items():
            data = latin.encode("utf-8")
            needs_code = data in expansions and data not in code_of
            if not slots or (needs_code and not free_codes):
                if char in outputs:
                    raise ValueError("too many letters for the fast engine's byte map")
                continue  # a symbol that does not fit: it is escaped instead
            slot = slots.pop(0)
            decoding[slot] = char
            if not data:
                delete.append(slot)
            elif data in expansions:
                if needs_code:
                    code_of[data] = free_codes.pop(0)
                table[slot] = code_of[data]
            else:
                table[slot] = data[0]
        self.encoding_map = codecs.charmap_build("".join(decoding))
        self.table = bytes(table)
        self.delete = bytes(delete)
        self.expansions = [(bytes([code]), data) for data, code in code_of.items()]

    def encode(self, text: str, surrogates: str) -> bytes:
        data, _ = codecs.charmap_encode(text, ERROR_HANDLERS[surrogates], self.encoding_map)
        data = data.translate(self.table, self.delete)
        for code, expansion in self.expansions:
            if code in data:
                data = data.replace(code, expansion)
        if ESCAPE_OPEN in data:
            data = ESCAPED.sub(lambda m: bytes.fromhex(m.group(1).decode("ascii")), data)
        return data


def _trie(words: list[str]) -> str:
    """One regular expression for `words`, shared beginnings written once.

    >>> _trie(["сентябр", "сентябрь", "сюжет"])
    'с(?:ентябр(?:ь)?|южет)'
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)
