"""The terminal preview of --diff: the real output, marked where translit decided something.

What is shown on the right (or after +) is the conversion that would be written: the line
pairs come from the same streaming conversion (diffing.line_pairs), never from converting
pieces again. Words are then marked by what decided them (a context rule, a word
exception, a look-alike letter read as Cyrillic, a letter left unconverted, a two-letter
capital); plain one-to-one letters stay quiet. The marks come from `explain` (values, not
strings), word by word with a cache, or for the whole line where options look across words.

Lines are drawn as they come and written at once (through the pager as git feeds less), so
the first screen of a 100 MB file appears at once and memory stays flat; a line longer
than `DISPLAY_BYTES` is shown in part, saying how much is left out. Styles are Rich's
(`Style.render`, which honours the colour system, NO_COLOR and --color); user text never
goes through Rich markup, and control characters are shown as symbols, so a file cannot
drive the terminal.
"""

from __future__ import annotations

import bisect
import codecs
import collections
import contextlib
import dataclasses
import functools
import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol, TextIO

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.style import Style

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same classes, made faster (see records.py)
    from ..base.records import NamedTuple
from ..diff import HunkStart, LinePair, hunk_stream
from ..base.options import LAYOUTS
from ..base.terminal import is_terminal
from ..base.visible import bidi_escaped
from ..converter.transliterator import Transliterator
from ..engine.fastpath import KEPT_MARK, STAND_IN_FIRST, STAND_IN_LAST, LocalTriggers, Trigger
from ..engine.invisible import INVISIBLE_IN_WORDS, has_invisible
from ..engine.words import COMBINING_MARKS, WORD_CHAR_PATTERN, WORD_RUN
from ..engine.reference import DECISIONS, KINDS, Piece

_drawing: Any
try:  # the compiled loops of marks and drawing (_drawing.c); built where a C compiler is
    from . import _drawing
except ImportError:
    _drawing = None


def _compiled() -> Any:
    """The compiled module, where it is built and not turned off (TRANSLIT_PURE=1, as for
    the engine's accelerator); else None, and the Python loops draw the same text."""
    return None if os.environ.get("TRANSLIT_PURE") else _drawing

__all__ = ["LAYOUTS", "JsonDecisions", "Marker", "PagedOutput", "Preview", "json_decisions",
           "make_console"]
SIDE_BY_SIDE_MIN_WIDTH = 110
# The narrowest terminal the preview is drawn to (a split tmux pane, a phone): a line's
# number, its sign and 10 cells of text. A narrower one gets rows of this width, which it
# wraps.
MIN_WIDTH = 20
# ... and the widest (a COLUMNS beyond any screen, 10**11, drew rules and padding that wide:
# a MemoryError)
MAX_WIDTH = 4096
DISPLAY_BYTES = 64 << 10  # of a longer line only this much is shown
UNIFIED_HELD = 256  # lines of a unified hunk held to count them for its header
SUMMARY_WORDS = 1000  # different words of a rare kind the summary lists (every one, to this)
WORD_CACHE = 50_000  # explained words kept (only words with decisions are explained)
# A regular file's lines are drawn here up to this many bytes (the first screen comes at
# once, and a small file starts no worker); the rest in batches on worker processes.
DRAWN_HERE = 256 << 10
# Of lines, both sides, in one batch sent to a worker (or drawn here). Each batch costs
# something besides its lines (its summary sent and added up, the answer waited for):
# 256 KB rather than 128 KB was 4% less time at 100 MB on 2 CPUs (64 KB: 9% more).
BATCH_BYTES = 256 << 10
BATCH_STEPS = 4096
# With this many workers or fewer the parent draws batches too, whenever no answer waits
# (`Preview._draw_here`): a worker then waits for the parent's batch, which on 2 CPUs
# leaves no CPU idle (3 processes); measured on 2 CPUs only.
PARENT_DRAWS_UP_TO = 2
# Batches sent to a worker at a time: its next ones wait in its pipe as it draws, so that
# it goes on at once, not only when the parent, which may be drawing a batch of its own,
# sends it one (with one at a time, each worker waited for work a third of the time of
# 100 MB on 2 CPUs; issue 23; 3 rather than 2: 1.5-3% less time, 4 no less but more CPU).
# Batches in flight or drawn and not yet written, for each job: enough that the parent
# still draws while the workers' batches wait (with 3, it waited for the oldest batch a
# tenth of the time).
QUEUED_BATCHES = 3
BATCHES_AHEAD = 8
# The C0 controls, DEL and the C1 controls (U+0080-U+009F: a terminal may read U+009B
# as CSI, ESC [, and U+009D as OSC, as xterm does; others draw nothing for them, so that
# a side-by-side row would be a cell short).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
STYLES = {
    "removed": "red", "added": "green", "context": "dim", "hunk": "cyan", "file": "bold",
    "marker": "yellow", "note": "italic", "omitted": "dim italic",
    "removed_word": "bold red reverse", "added_word": "bold green reverse",
    "rule": "bold yellow", "capitals": "bold blue", "ordinal": "bold yellow",
    "exception": "bold magenta", "lookalike": "bold cyan", "repair": "bold cyan",
    "lexicon": "bold magenta", "latin": "bold cyan",
    "leftover": "bold white on red",
}
KIND_NAMES = {"rule": "context rules", "capitals": "capitals", "ordinal": "ordinal numbers",
              "exception": "word exceptions", "lookalike": "look-alike letters read as Cyrillic",
              "repair": "repairs", "leftover": "letters left unconverted",
              "lexicon": "words of the lexicon", "latin": "words kept Latin"}
# The styles of decided words (each kind's, and the unified layout's).
MARKED = frozenset((*KIND_NAMES, "removed_word", "added_word"))
# The summary lists the words of these kinds.
RARE_KINDS = ("exception", "lookalike", "repair", "leftover", "lexicon", "latin")
# Split: text between words, a word, text ... Runs of letters (a decomposed letter's mark
# ends a run: such a line does not pair up word by word, and is explained whole).
# A word as the rules see it (combining marks too), also with an apostrophe between its
# letters: ASCII and typographic apostrophes are no word characters, and ``--apostrophe
# ascii`` writes Исҳоқ as one word, Is'hoq.
_WORDS = re.compile(rf"({WORD_CHAR_PATTERN}+(?:['‘’]{WORD_CHAR_PATTERN}+)*)")
# The same for a line without combining marks, where the word character's second branch
# never matches: one character class, which the regex engine runs faster (a fifth of the
# marks' time was splitting lines into words; issue 23).
_PLAIN_WORDS = re.compile(r"([^\W\d_]+(?:['‘’][^\W\d_]+)*)")
_COMBINING = re.compile(f"[{COMBINING_MARKS}]")

# What a line holds, a bit each (`Marker.facts`): a control character, a character that is
# not one cell wide once shown (`printable`), a combining mark, an invisible character, the
# last character of a decomposed letter (`Repairs.compose`), a character of a kept span's
# (`KeptSpans.quick_chars`), a character that a decision trigger's quick look needs
# (`Trigger.needs`), the same for each of the first TRIGGER_BITS triggers looked for by
# regular expressions alone (`Marker.triggers`, from FIRST_TRIGGER on: the respelling's
# quick look, two scans of a line, came where only the look-alikes' needed looking, a
# twentieth of a worker's time; issue 23), a word exception's Cyrillic. A bit that is not
# set says that the line holds none, and spares the scan that looks; one that is set says
# nothing (where the compiled module is not built every bit is set, and every scan looks).
CONTROLS, WIDE, COMBINING, INVISIBLE, DECOMPOSED, KEPT, TRIGGERED = (1 << k for k in range(7))
TRIGGER_BITS = 4
FIRST_TRIGGER = 1 << 7
EXCEPTIONS = FIRST_TRIGGER << TRIGGER_BITS
EVERY_FACT = (EXCEPTIONS << 1) - 1
MAX_CODE_POINT = 0x10FFFF


def _ranges(chars: Iterable[str]) -> list[tuple[int, int]]:
    return [(ord(char), ord(char)) for char in sorted(set(chars))]


def _shown_wide_ranges() -> list[tuple[int, int]]:
    """The code points that `printable` does not show as one narrow character: those
    outside _NARROW_RANGES but the C0 controls (shown as their pictures), and the C1
    controls (shown as the replacement character, which is not narrow)."""
    ranges, start = [], 0x20  # (below: the C0 controls)
    for first, last in _NARROW_RANGES:
        if start < first:
            ranges.append((start, first - 1))
        start = last + 1
    ranges.append((start, MAX_CODE_POINT))
    return [(0x80, 0x9F), *ranges]


def _split_words(line: str, most: int = 0) -> list[str]:
    """``_WORDS.split(line, most)``: text between words, a word, text ...

    >>> _split_words("Is'hoq, 2 ta so\u0301z") == _WORDS.split("Is'hoq, 2 ta so\u0301z")
    True
    >>> _split_words("Is'hoq, 2 ta so'z", 2)
    ['', "Is'hoq", ', 2 ', 'ta', " so'z"]
    """
    return (_WORDS if _COMBINING.search(line) else _PLAIN_WORDS).split(line, most)
_WORD_TAIL = re.compile(rf"(?:{WORD_CHAR_PATTERN}|['‘’](?={WORD_CHAR_PATTERN}))*")


def printable(text: str) -> str:
    """Show control characters as symbols (␛ for ESC) so a file cannot drive the terminal.

    Each becomes one character of one cell, so that positions in `text` (the marks'
    spans) still hold: a C0 control its picture, DEL ␡, a C1 control (which has no
    picture) the replacement character �.

    >>> printable("a\x1b[31mb\x7f\x9b31m")
    'a␛[31mb␡�31m'
    """
    if text.isprintable():  # (no control character is printable: most text, at once)
        return text
    return _CONTROL.sub(_control_symbol, text)


def _control_symbol(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "␡" if code == 0x7F else "\ufffd"


class Mark(NamedTuple):
    """A word of a line that holds decisions: where it is on each side, and why. (A record:
    made for every marked word, where a frozen dataclass's `__init__` was a fiftieth of a
    large preview's samples; issue 23.)"""

    start: int  # in the input line
    end: int
    out_start: int  # in the output line
    out_end: int
    kind: str  # the most notable kind among its pieces
    pieces: tuple[Piece, ...]  # the decisions, spans relative to the word

    def word(self, line: str) -> str:
        return line[self.start:self.end]


def _with_spans_blank(line: str, spans: list[tuple[int, int]]) -> str:
    """`line` with each character of a kept span written as KEPT_MARK, the boundary that
    the rules see there; positions stay those of `line`.

    >>> _with_spans_blank("Чhttps://x.uz у", [(1, 13)]) == "Ч" + KEPT_MARK * 12 + " у"
    True
    """
    parts: list[str] = []
    done = 0
    for start, end in spans:
        parts += (line[done:start], KEPT_MARK * (end - start))
        done = end
    parts.append(line[done:])
    return "".join(parts)


class Marker:
    """Finds the decisions of a converted line (see the module's docstring)."""

    def __init__(self, transliterator: Transliterator) -> None:
        self.transliterator = transliterator
        self.orthography = transliterator.orthography  # (asked of every line)
        self.cache: dict[str, tuple[str, tuple[Piece, ...], str]] = {}
        self.compiled = _compiled()
        # The rule table's triggers scanned in one compiled loop where it is built (the
        # regular expressions' scans were a quarter of a large preview's time; issue 23),
        # the rest (the repairs', the respelling's) as regular expressions.
        local, rest = transliterator.trigger_parts
        self.trigger_table = _trigger_table(self.compiled, local) if local else None
        self.triggers = rest if self.trigger_table is not None else [
            Trigger(pattern) for pattern in transliterator.decision_triggers]
        self.exceptions = transliterator.exception_spans
        # Repairs that change the text between words (R11's hyphen, ма'но → маъно).
        self.cross_word = self.orthography.repairs.crosses_words
        # A direction may decide a word with the words around it (the Cyrillic direction: a
        # token, config.yaml, and a foreign phrase): its lines are explained whole.
        self.whole_lines = transliterator.direction.explains_whole_lines
        # ... and may read a line's decisions token by token (Cyrillic.line_decisions)
        self.line_decisions: Callable[[str, str], list[Piece] | None] | None = getattr(
            transliterator.direction, "line_decisions", None)
        # What a line holds (CONTROLS ...), found in one compiled pass: the quick looks of
        # `marks` and of the drawing, a scan each, were a fifth of a large preview's time
        # (issue 23).
        table = _fact_table(self.compiled, transliterator, self.triggers)
        self.facts: Callable[[str], int] = _every_fact if table is None else (
            functools.partial(self.compiled.facts, table))
        # A word's Latin by the accelerator's one pass, straight from its UTF-8, as the
        # streaming conversion gets a line's (`_latin`): `convert`'s layers of Python cost
        # a word 2.8 µs, the pass 0.4 (issue 23). None: no accelerator, or the pure path.
        self.one_pass: Any = transliterator.one_pass if self.compiled is not None else None

    def triggered(self, line: str, spans: list[tuple[int, int]] | None = None,
                  facts: int = EVERY_FACT) -> set[int]:
        """Where in `line` the decision triggers point (outside its kept `spans`); `facts`:
        what the line holds (`facts`), where it is known."""
        # The triggers read the line as the rules do: a kept span (an address, a kept word)
        # is no letter to them, so what stands beside it is decided as beside a space.
        if spans is None:
            spans = self.orthography.kept_spans(line)
        seen = _with_spans_blank(line, spans) if spans else line
        # (blanking spans takes characters away: what `line` lacks, `seen` lacks too)
        hits = {m.start() for k, (pattern, quick, _) in enumerate(self.triggers)
                if (k >= TRIGGER_BITS or facts & (FIRST_TRIGGER << k))
                and (quick is None or quick(seen))
                for m in pattern.finditer(seen)} if facts & TRIGGERED else set()
        if self.trigger_table is not None:
            hits.update(self.compiled.trigger_hits(self.trigger_table, seen))
        for start, end in spans:
            hits.difference_update(range(start, end))  # kept as they are: nothing decided
        return hits

    def marks(self, before: str, after: str, facts: int = EVERY_FACT,
              out_facts: int = EVERY_FACT) -> list[Mark] | None:
        """The marks of a line pair; None when they cannot be placed on the output.
        `facts` and `out_facts`: what each line holds (`facts`), where it is known."""
        # Most words hold plain letters only: explain only the words that the trigger (or an
        # exception) points at, and a line it does not point at has no marks.
        spans = self.orthography.kept_spans(before) if facts & KEPT else []
        hits = self.triggered(before, spans, facts)
        composed = not facts & DECOMPOSED or self.orthography.repairs.compose(before) == before
        if composed and facts & EXCEPTIONS:
            hits.update(start for start, _, _ in self.exceptions(before, composed=True))
        # A repair that changed the text between words (1995 йил → 1995-yil) was decided
        # across words, which no word read alone shows: such a line is read whole.
        if self.cross_word and _WORDS.sub("", before) != _WORDS.sub("", after):
            return self._whole_line(before, after)
        # A soft hyphen or another invisible character inside a word: the rules read
        # through it, which the words around it read alone would not show.
        if facts & INVISIBLE and has_invisible(before):
            return self._whole_line(before, after)
        if not hits and composed:
            return []  # no decision can hide here
        if self.whole_lines:
            return self._line_marks(before, after)
        if spans:
            return self._between_spans(before, after, spans, hits, composed)
        return self._word_marks(before, after, hits, composed,
                                lambda: self._whole_line(before, after), facts | out_facts)

    def _word_marks(self, before: str, after: str, hits: set[int], composed: bool,
                    whole: Callable[[], list[Mark] | None],
                    facts: int = EVERY_FACT) -> list[Mark] | None:
        """The marks of the words `hits` point at, word N of `before` being word N of
        `after`; where they are not, the marks of the line read whole (`whole`). `facts`:
        what the two lines hold (`Marker.facts`), where it is known."""
        pairs = self._hit_words(before, after, hits, composed, facts)
        if pairs is None:
            return whole()
        marks = []
        read_whole = False
        for start, end, out_start, out_end in pairs:
            kind, pieces, latin = self._word(before[start:end])
            if after[out_start:out_end] == latin:
                if pieces:
                    marks.append(Mark(start, end, out_start, out_end, kind, pieces))
                continue
            # The output's words are not the input's one for one (sentabro' ends with an
            # apostrophe, no word character; tog’, a word unchanged alone, is toğ with its
            # apostrophe): the line read whole places every decision.
            if not read_whole:
                read_whole = True
                found = whole()
                if found is not None:
                    return found
            # Else the word was not converted as a word (it is in markup a document format
            # keeps, or in code): nothing was decided there.
        return marks

    def _hit_words(self, before: str, after: str, hits: set[int], composed: bool,
                   facts: int = EVERY_FACT) -> list[tuple[int, int, int, int]] | None:
        """(start, end, out_start, out_end) of each word that `hits` point at (a position
        between words points at the word before it), in order, word N of `before` being
        word N of `after`; None where the text between the words differs. Not composed
        (composing moves positions): every word."""
        if composed:  # words up to the last one pointed at are enough
            compiled = self.compiled
            if compiled is not None and hits and (not facts & COMBINING or (
                    _COMBINING.search(before) is None and _COMBINING.search(after) is None)):
                # the same, in one compiled loop, which also finds the last word's end (a
                # fifth of the marks' time was splitting lines into words; issue 23)
                pairs: list[tuple[int, int, int, int]] | None = compiled.word_pairs(
                    before, -1, after, sorted(hits))
                return pairs
            tail = _WORD_TAIL.match(before, max(hits)) if hits else None
            parts = _split_words(before[:tail.end() if tail else len(before)])
        else:
            parts = _split_words(before)
        words = len(parts) // 2
        # (the first `words` words: re's maxsplit 0 would split them all)
        out_parts = _split_words(after, words) if words else [after]
        if len(out_parts) != 2 * words + 1 or parts[0:-1:2] != out_parts[0:-1:2]:
            return None
        ends = list(itertools.accumulate(map(len, parts)))
        out_ends = list(itertools.accumulate(map(len, out_parts)))
        starts = ends[0::2]  # where word K (part 2K+1) starts
        if not composed:
            hits.update(starts[:-1])
        pairs = []
        for word_index in sorted({bisect.bisect_right(starts, at) - 1 for at in hits}):
            part = 2 * word_index + 1
            if word_index < 0 or part >= len(parts):
                continue  # pointed at text before the first word or after the last
            pairs.append((ends[part - 1], ends[part], out_ends[part - 1], out_ends[part]))
        return pairs

    def _between_spans(self, before: str, after: str, spans: list[tuple[int, int]],
                       hits: set[int], composed: bool) -> list[Mark] | None:
        """The marks of a line with kept spans, as `_whole_line` gives them (a mark for each
        decision), found word by word in the text between the spans.

        A word beside a kept span is decided as beside a space (Чhttps://…: Ч is CH, not
        Ch), which the word read alone within the line would not show; but the reference
        engine reads the text between kept spans part by part, each part alone, and so can
        the words of each part here: the explanation of the whole line, a Python loop over
        every letter, was a quarter of a preview's work (issue 23). Where the parts'
        conversions do not make up the output, the line is read whole as before.
        """
        if not composed:
            return self._whole_line(before, after)
        convert = self.transliterator.convert
        marks: list[Mark] = []
        done = out = 0
        try:
            for start, end in [*spans, (len(before), len(before))]:
                part = before[done:start]
                latin = convert(part) if part else ""
                if after[out:out + len(latin)] != latin:
                    raise _ReadWhole
                part_hits = {at - done for at in hits if done <= at < start}
                found = self._word_marks(part, latin, part_hits, True, _read_whole) \
                    if part_hits else []
                for mark in found or ():
                    for piece in mark.pieces:
                        (piece_start, piece_end), (out_start, out_end) = (piece.span,
                                                                          piece.out_span)
                        marks.append(Mark(
                            done + mark.start + piece_start, done + mark.start + piece_end,
                            out + mark.out_start + out_start, out + mark.out_start + out_end,
                            piece.kind, (piece._replace(span=(0, piece_end - piece_start),
                                                        out_span=(0, out_end - out_start)),)))
                out += len(latin)
                if after[out:out + end - start] != before[start:end]:
                    raise _ReadWhole
                out += end - start
                done = end
        except _ReadWhole:
            return self._whole_line(before, after)
        return marks if out == len(after) else self._whole_line(before, after)

    def _word(self, word: str) -> tuple[str, tuple[Piece, ...], str]:
        """What decided a word's conversion, the most notable kind, and its Latin."""
        found = self.cache.get(word)
        if found is None:
            pieces = tuple(self.transliterator.decisions(word))
            # (most words have one decision: the most notable kind is its own)
            kind = pieces[0].kind if len(pieces) == 1 else min(
                (p.kind for p in pieces), key=KINDS.index, default="")
            if len(self.cache) >= WORD_CACHE:
                self.cache.clear()
            found = self.cache[word] = (kind, pieces, self._latin(word))
        return found

    def _latin(self, word: str) -> str:
        """`convert(word)`: by the one pass where it converts the whole word (it leaves
        what it does not convert itself, a word to respell, to `convert`)."""
        if self.one_pass is not None:
            data = word.encode("utf-8", "surrogatepass")
            out, stop, _ = self.one_pass.convert_utf8(data, 0, len(data))
            if stop == len(data):
                latin: str = out.decode("utf-8", "surrogatepass")
                return latin
        return self.transliterator.convert(word)

    def _line_marks(self, before: str, after: str) -> list[Mark] | None:
        """The marks of a line that a direction decides with the words around them (to
        Cyrillic), from its decisions token by token where the direction reads them so
        (`line_decisions`), else from the line explained whole."""
        # (only where `after` is the conversion of `before`: a JSON key a format keeps,
        # a tab shown as ⇥, may not be; the line explained whole then gives no marks)
        if self.line_decisions is not None and self.transliterator.convert(before) == after:
            pieces = self.line_decisions(before, after)
            if pieces is not None:
                return self._marks_of(pieces)
        return self._whole_line(before, after)

    def _whole_line(self, before: str, after: str) -> list[Mark] | None:
        """Options that look across words (typed apostrophes, R11): explain the line."""
        pieces = self.transliterator.explain(before)
        if "".join(p.latin for p in pieces) != after:
            return None
        return self._marks_of(pieces)

    @staticmethod
    def _marks_of(pieces: Iterable[Piece]) -> list[Mark]:
        """A mark for each decision among `pieces` (of a whole line)."""
        marks = []
        for piece in pieces:
            if piece.kind in DECISIONS:
                start, end = piece.span
                out_start, out_end = piece.out_span
                relative = piece._replace(span=(0, end - start), out_span=(0, out_end - out_start))
                marks.append(Mark(start, end, out_start, out_end, piece.kind, (relative,)))
        return marks


def _trigger_table(compiled: Any, local: LocalTriggers) -> Any:
    """The compiled module's table of `local`, or None (not built; a character the table
    does not hold)."""
    if compiled is None:
        return None
    contexts = [(letter, *(side if side is None else
                           (None if side[0] is None else "".join(sorted(side[0])), side[1])
                           for side in (before, after)))
                for letter, before, after in local.contexts]
    # the word class beside [^\W\d_] (fastpath.WORD_CLASS): combining marks, stand-ins
    ranges = [(ord(first), ord(last)) for first, last in re.findall("(.)-(.)", COMBINING_MARKS)]
    ranges.append((STAND_IN_FIRST, STAND_IN_LAST))
    try:
        return compiled.trigger_table(contexts, *("".join(sorted(chars)) for chars in (
            local.anywhere, local.capitals, local.small)), ranges)
    except ValueError:
        return None


def _every_fact(text: str) -> int:
    return EVERY_FACT


def _fact_table(compiled: Any, transliterator: Transliterator, triggers: list[Trigger]) -> Any:
    """The compiled module's table of the classes of `Marker.facts` for `transliterator`
    and its `triggers` looked for by regular expressions, or None (not built)."""
    if compiled is None:
        return None
    orthography = transliterator.orthography
    kept = orthography.kept.quick_chars()
    needs = [trigger.needs for trigger in triggers]
    classes = [
        [(0, 0x1F), (0x7F, 0x9F)],  # _CONTROL's
        _shown_wide_ranges(),
        [(ord(first), ord(last)) for first, last in re.findall("(.)-(.)", COMBINING_MARKS)],
        _ranges(INVISIBLE_IN_WORDS),
        _ranges(decomposed[-1] for decomposed, _ in orthography.repairs.compositions),
        [(0, MAX_CODE_POINT)] if kept is None else _ranges(kept),
        [(0, MAX_CODE_POINT)] if None in needs else _ranges("".join(map(str, needs))),
        # each trigger's own (TRIGGER_BITS of them, the unused ones never set)
        *([(0, MAX_CODE_POINT)] if need is None else _ranges(need)
          for need in needs[:TRIGGER_BITS]),
        *([] for _ in range(TRIGGER_BITS - len(needs[:TRIGGER_BITS]))),
    ]
    # A word exception starts where its Cyrillic is (fastpath's _ExceptionPass); of many,
    # their first letters are looked for instead.
    forms = sorted({exception.cyrillic for exception in orthography.exceptions})
    most: int = compiled.MAX_FACT_STRINGS  # (the compiled table's limit)
    if len(forms) > most:
        forms = sorted({form[0] for form in forms})
        if len(forms) > most:
            return None
    try:
        return compiled.fact_table(classes, forms)
    except ValueError:  # (a form that starts beyond the BMP: no quick look for it)
        return None


class _ReadWhole(Exception):
    """A part of a line cannot be read word by word: the line is read whole."""


def _read_whole() -> list[Mark] | None:
    raise _ReadWhole


def _same_gaps(before: str, words: list[tuple[int, int]], after: str,
               outs: list[tuple[int, int]]) -> bool:
    """The text between words is the same on both sides (so word N is word N)."""
    done = done_out = 0
    for (start, end), (out_start, out_end) in zip(words, outs):
        if before[done:start] != after[done_out:out_start]:
            return False
        done, done_out = end, out_end
    return before[done:] == after[done_out:]


_WORD_CHAR = re.compile(WORD_CHAR_PATTERN)
_APOSTROPHES = "'‘’"  # inside a word, between its letters (Is'hoq), as _WORDS reads them


def _is_word_char(text: str, at: int) -> bool:
    """Whether `text[at]` belongs to a word: a letter or a combining mark, or an
    apostrophe between two of them."""
    if not 0 <= at < len(text):
        return False
    char = text[at]
    if char.isalpha():  # (most: a letter, or a space or a mark of punctuation, at once)
        return True
    if char in _APOSTROPHES:
        return (at > 0 and _WORD_CHAR.match(text, at - 1) is not None
                and _WORD_CHAR.match(text, at + 1) is not None)
    return not char.isascii() and _WORD_CHAR.match(text, at) is not None


# ASCII characters that are never word characters: not a letter, nor an apostrophe that
# could stand between two letters (Is'hoq). The line's ends count as one.
_NO_WORD_ASCII = frozenset(chr(code) for code in range(128)
                           if not chr(code).isalpha() and chr(code) not in _APOSTROPHES)


def _plainly_whole(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` plainly touches no word beside it: the character before it
    and the one after it (if any) are ASCII non-word characters (a space, a comma). Then
    `_word_around` would give (start, end) back; false says nothing (it may still)."""
    return ((start == 0 or text[start - 1] in _NO_WORD_ASCII)
            and (end >= len(text) or text[end] in _NO_WORD_ASCII))


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` widened to the words it touches: ъ of Объект is Объект."""
    while _is_word_char(text, start - 1):
        start -= 1
    while _is_word_char(text, end):
        end += 1
    return start, end


def _by_word(marks: list[Mark], before: str, after: str) -> list[Mark]:
    """The marks of a line pair, one for each word that holds decisions.

    A line read whole (one with an address; every line to Cyrillic) is marked decision by
    decision, often a letter (ъ → nothing, е → ye), which names no word: what is shown,
    explained and counted is the word, and its decisions together, as for any other line.
    `marks` are in order; the pieces' spans become relative to the word.

    >>> [(m.word("Объект ва"), m.kind) for m in _by_word(
    ...     [Mark(1, 2, 2, 2, "rule", ()), Mark(3, 4, 3, 5, "rule", ())], "Объект ва", "Obyekt va")]
    [('Объект', 'rule')]
    """
    words: list[Mark] = []
    for mark in marks:
        if (_plainly_whole(before, mark.start, mark.end)
                and _plainly_whole(after, mark.out_start, mark.out_end)
                and not (words and mark.start < words[-1].end)):
            # a word already, as below, seen without widening it (four word-character
            # tests a mark were a tenth of a worker's Python time; issue 23)
            words.append(mark)
            continue
        start, end = _word_around(before, mark.start, mark.end)
        out_start, out_end = _word_around(after, mark.out_start, mark.out_end)
        if (start, end, out_start, out_end) == (mark.start, mark.end, mark.out_start,
                                                mark.out_end) and not (
                words and start < words[-1].end):
            words.append(mark)  # a word already (a line read word by word: most marks)
            continue
        if words and start < words[-1].end:  # the same word as the mark before
            last = words.pop()
            start, out_start = last.start, last.out_start
            end, out_end = max(end, last.end), max(out_end, last.out_end)
            pieces = list(last.pieces)
        else:
            pieces = []
        pieces += [piece._replace(
            span=(piece.span[0] + mark.start - start, piece.span[1] + mark.start - start),
            out_span=(piece.out_span[0] + mark.out_start - out_start,
                      piece.out_span[1] + mark.out_start - out_start))
            for piece in mark.pieces]
        kind = min((p.kind for p in pieces), key=KINDS.index, default=mark.kind)
        words.append(Mark(start, end, out_start, out_end, kind, tuple(pieces)))
    return words


def word_marks(marker: Marker, before: str, after: str, facts: int = EVERY_FACT,
               out_facts: int = EVERY_FACT) -> list[Mark] | None:
    """`marker`'s marks of a line pair, a mark a word (`_by_word`); None when they cannot be
    placed on the output. `facts`, `out_facts`: what each line holds, where it is known."""
    marks = marker.marks(before, after, facts, out_facts)
    return _by_word(marks, before, after) if marks else marks


class Painter:
    """Text in a style, as the terminal's escape codes (Rich decides which, if any)."""

    def __init__(self, console: Console) -> None:
        self.color_system = console._color_system  # None: no escape codes at all
        self.no_color = console.no_color  # NO_COLOR: attributes (bold ...) but no colours
        self.plain = self.color_system is None
        # --color never on a terminal: no colour, but a decided word is still marked, by an
        # underline (an attribute, not a colour; a pipe gets plain text, with no marks).
        # Not on TERM=dumb, which shows escape codes as text (Rich gives it no colour).
        self.underline = self.plain and console.is_terminal and not console.is_dumb_terminal
        self._cache: dict[str, Style] = {}
        self._codes: dict[str, tuple[str, str]] = {}

    def __call__(self, text: str, style: str) -> str:
        if not text or not style or self.plain:
            if text and self.underline and style in MARKED:
                return f"\x1b[4m{text}\x1b[24m"
            return text
        parsed = self._cache.get(style)
        if parsed is None:
            parsed = self._cache[style] = Style.parse(STYLES.get(style, style))
            if self.no_color:  # keep bold, italic, reverse ...
                parsed = self._cache[style] = Style(bold=parsed.bold, italic=parsed.italic,
                                                    dim=parsed.dim, reverse=parsed.reverse)
        return parsed.render(text, color_system=self.color_system)

    def codes(self, style: str) -> tuple[str, str]:
        """What `style` puts before and after a text: ``self(text, style)`` is ``prefix +
        text + suffix`` for any text but the empty one (for the compiled drawing)."""
        found = self._codes.get(style)
        if found is None:
            prefix, suffix = self("\0", style).split("\0")
            found = self._codes[style] = (prefix, suffix)
        return found


@dataclasses.dataclass
class Summary:
    """What the preview counted. A summary that is not `bounded` (a worker's batch) keeps
    every word; `add` applies the limit as batches are added up in order, so that the
    words kept are those one process would have kept."""

    files_seen: int = 0
    files_changed: int = 0
    lines_changed: int = 0
    kinds: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    rules: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    # The rare kinds' words, in the order first met; at most SUMMARY_WORDS a kind if bounded.
    words: dict[str, collections.Counter[str]] = dataclasses.field(default_factory=dict)
    words_not_kept: collections.Counter[str] = dataclasses.field(
        default_factory=collections.Counter)
    bounded: bool = True

    def count_word(self, kind: str, word: str, count: int = 1) -> None:
        words = self.words.setdefault(kind, collections.Counter())
        if word in words or not self.bounded or len(words) < SUMMARY_WORDS:
            words[word] += count
        else:  # memory stays bounded: --json lists every decision
            self.words_not_kept[kind] += count

    def add(self, other: Summary) -> None:
        """Add what `other` counted, as if it had been counted here, after what was."""
        self.files_seen += other.files_seen
        self.files_changed += other.files_changed
        self.lines_changed += other.lines_changed
        self.kinds.update(other.kinds)
        self.rules.update(other.rules)
        for kind, words in other.words.items():
            for word, count in words.items():
                self.count_word(kind, word, count)
        self.words_not_kept.update(other.words_not_kept)


# One thing to draw: ("header", name), ("hunk", first line), ("pair", pair, number width).
Step = tuple[Any, ...]


class Batch(NamedTuple):
    """Steps drawn together on a worker, as it is sent them: its line pairs in columns, each
    a sequence of plain values that pickle writes and reads in C (a LinePair's own pickle
    calls Python for each line: a twentieth of the parent's time; issue 23), and the other
    steps (a file's header, a hunk's start) by their place among the steps.

    >>> steps = [("hunk", 1), ("pair", LinePair(1, b"a\\n", b"b\\n"), 4)]
    >>> Batch.of("utf-8", steps).steps() == steps
    True
    """

    encoding: str
    others: list[tuple[int, Step]]  # (its place, the step)
    numbers: tuple[int, ...]
    widths: tuple[int, ...]  # the number width of each pair's step
    befores: tuple[bytes, ...]
    afters: tuple[bytes, ...]
    # the pairs' other fields (a line shown in part), or None: all as a line shown whole
    rest: tuple[tuple[Any, ...], ...] | None

    @classmethod
    def of(cls, encoding: str, steps: list[Step]) -> Batch:
        pair_steps = [step for step in steps if step[0] == "pair"]
        others = [] if len(pair_steps) == len(steps) else [
            (place, step) for place, step in enumerate(steps) if step[0] != "pair"]
        if not pair_steps:
            return cls(encoding, others, (), (), (), (), None)
        _, pairs, widths = zip(*pair_steps)
        numbers, befores, afters, *rest = zip(*pairs)
        shown_whole = rest[0].count(0) == rest[1].count(0) == rest[2].count(None) == len(pairs)
        return cls(encoding, others, numbers, widths, befores, afters,
                   None if shown_whole else tuple(rest))

    def steps(self) -> list[Step]:
        """The steps, as they were given to `of`."""
        rest = self.rest or (itertools.repeat(0), itertools.repeat(0), itertools.repeat(None))
        # (LinePair's fields made into one in C: its __new__ is Python's)
        pairs = map(tuple.__new__, itertools.repeat(LinePair),
                    zip(self.numbers, self.befores, self.afters, *rest))
        steps: list[Step] = list(zip(itertools.repeat("pair"), pairs, self.widths))
        for place, step in self.others:  # (in order: each goes where it was)
            steps.insert(place, step)
        return steps


class Pool(Protocol):
    """Worker processes that run one function on tasks, results in order
    (`translit.files.parallel.Workers`: the command gives the preview its own)."""

    def map(self, tasks: Iterable[tuple[Any, ...]], window: int, queued: int = 1,
            local: Callable[..., Any] | None = None) -> Iterator[Any]: ...

    def close(self) -> None: ...

    def stop(self) -> None: ...


class Preview:
    """Draws the hunks of each file, line by line, onto `out` (a terminal or a pager).

    With `start_workers` (given the function to run, it forks `jobs` workers and returns
    them), the lines of a regular file after its first `DRAWN_HERE` bytes are drawn in
    batches on the workers and written here in order: the same text, byte for byte, and
    the same summary (issue 23: drawing is most of a preview's time). `close` lets them
    end; `stop` ends them at once (Ctrl-C, a closed pager): call one before closing `out`,
    which the workers share.
    """

    def __init__(self, console: Console, transliterator: Transliterator, out: TextIO, *,
                 layout: str = "auto", explain: bool = False, encoding: str = "utf-8",
                 context: int = 3, start_workers: Callable[[Callable[..., Any]], Pool] | None = None,
                 jobs: int = 1) -> None:
        self.console = console
        self.context = context  # unchanged lines shown around a change (show)
        self.out = out
        self.width = min(max(console.width, MIN_WIDTH), MAX_WIDTH)
        self.layout = layout if layout != "auto" else (
            "side" if self.width >= SIDE_BY_SIDE_MIN_WIDTH else "inline")
        self.explain = explain
        self.encoding = encoding
        self.paint = Painter(console)
        self.marker = Marker(transliterator)
        self.summary = Summary()
        self._unified_open = False  # a long unified hunk is being shown in parts
        self._side_cache: dict[tuple[int, int], tuple[int, str, str, str]] = {}
        self._start_workers = start_workers if jobs > 1 else None
        self.jobs = jobs
        self._pool: Pool | None = None

    # --- files and hunks ---

    def show(self, name: str, pairs: Iterable[LinePair], encoding: str, *,
             regular: bool = False) -> bool:
        """Draw one file's line pairs read in `encoding` (the `show` of
        `translit.files.preview_file`; standard input, ``-``, is shown as <stdin>); return
        whether the file had any change. `regular`: the input is a regular file, whose
        lines never wait for a writer, so they may be drawn in batches on the workers."""
        self.encoding = encoding
        return self.file("<stdin>" if name == "-" else name, hunk_stream(pairs, self.context),
                         regular=regular)

    def listing(self, write: Callable[[Any], Any]) -> Any:
        """A file that is listed, not drawn (a corpus's changed values, row by row:
        ``write(sink)`` writes them as bytes and returns its result), in its place in the
        output and counted in the summary; return the result."""
        result = write(_ListingSink(self.out))
        self.summary.files_seen += 1
        if result.changed:
            self.summary.files_changed += 1
        return result

    def file(self, name: str, events: Iterable[HunkStart | LinePair], *,
             regular: bool = False) -> bool:
        """Draw one file from `diffing.hunk_stream`, each line as it comes; return whether
        the file had any change."""
        self.summary.files_seen += 1
        if self.layout == "unified":
            return self._unified_file(name, events)
        changed: list[bool] = []
        steps = self._steps(name, events, changed)
        drawn = 0
        for step in steps:
            self._write(self._draw(step))
            if step[0] == "pair":
                drawn += len(step[1].before)
                if regular and drawn >= DRAWN_HERE and self._start_workers is not None:
                    self._draw_on_workers(steps)
                    break
        return bool(changed)

    def _steps(self, name: str, events: Iterable[HunkStart | LinePair],
               changed: list[bool]) -> Iterator[Step]:
        """What to draw of a file, in order (`changed` gets an item at its first change)."""
        number_width = 4
        for event in events:
            number_width = max(number_width, len(str(event.number)))
            if isinstance(event, HunkStart):
                if not changed:
                    changed.append(True)
                    self.summary.files_changed += 1
                    yield ("header", name)
                yield ("hunk", event.number)
            else:
                yield ("pair", event, number_width)

    def _draw(self, step: Step) -> Iterable[str]:
        kind = step[0]
        if kind == "pair":
            return self._pair(step[1], step[2])
        if kind == "hunk":
            return [self.paint(f"@@ from line {step[1]} @@", "hunk")]
        return self._header_lines(step[1])

    # --- drawing on workers ---

    def _draw_on_workers(self, steps: Iterator[Step]) -> None:
        """Draw the rest of `steps` in batches on the workers, writing each in order.

        The file is read here as the batches are made: an error in reading it waits until
        the batches before it are written (as one process would have drawn them), and then
        ends the file. Any other exception stops the workers, so that no batch still being
        drawn can be taken for a later file's.
        """
        if self._pool is None:
            assert self._start_workers is not None
            self._pool = self._start_workers(self._draw_batch)
        failed: list[Exception] = []

        def until_failure() -> Iterator[Step]:
            try:
                yield from steps
            except Exception as error:  # the file's own problem: reported by the caller
                failed.append(error)

        write_utf8 = getattr(self.out, "write_utf8", None)
        try:
            # (with more workers, several would wait for the parent's batch at once)
            local = self._draw_here if self.jobs <= PARENT_DRAWS_UP_TO else None
            for drawn, counted in self._pool.map(self._batches(until_failure()),
                                                 BATCHES_AHEAD * self.jobs, QUEUED_BATCHES,
                                                 local=local):
                if isinstance(drawn, str):
                    self.out.write(drawn)
                elif write_utf8 is not None:
                    write_utf8(drawn)
                else:
                    self.out.write(drawn.decode("utf-8"))
                self.out.flush()
                self.summary.add(counted)
        except BaseException:
            self.stop()
            raise
        if failed:
            raise failed[0]

    def _batches(self, steps: Iterator[Step]) -> Iterator[tuple[Batch]]:
        """`steps` in batches (`Batch.of`) of about BATCH_BYTES of lines, each a task."""
        batch: list[Step] = []
        size = 0
        for step in steps:
            batch.append(step)
            if step[0] == "pair":
                size += len(step[1].before) + len(step[1].after)
            if size >= BATCH_BYTES or len(batch) >= BATCH_STEPS:
                yield (Batch.of(self.encoding, batch),)
                batch, size = [], 0
        if batch:
            yield (Batch.of(self.encoding, batch),)

    def _draw_batch(self, batch: Batch) -> tuple[bytes | str, Summary]:
        """In a worker: the text of a batch of steps and what they add to the summary.

        The text comes back encoded as UTF-8, which the output takes as it is
        (`PagedOutput.write_utf8`): sent as a str it was encoded to be pickled, decoded
        again in the parent and encoded once more to be written, a fifth of the parent's
        time on a large file (issue 23). A text that UTF-8 cannot encode strictly (a lone
        surrogate) comes back as it is, for the output's own error handling."""
        encoding = self.encoding = batch.encoding
        self.summary = Summary(bounded=False)
        rows: list[str] = []
        steps = batch.steps()
        befores = _texts(batch.befores, encoding)
        afters = _texts(batch.afters, "utf-8") if befores is not None else None
        # each pair's two lines read, or None: each read by `_pair` itself
        read: Iterator[tuple[str, str] | None] = zip(befores, afters) if (
            befores is not None and afters is not None) else itertools.repeat(None)
        for step in steps:
            rows += self._pair(step[1], step[2], next(read)) if step[0] == "pair" else \
                self._draw(step)
        rows.append("")  # (a line break after each row: no copy of the text to add it)
        text = "\n".join(rows)
        try:
            return text.encode("utf-8"), self.summary
        except UnicodeEncodeError:
            return text, self.summary

    def _draw_here(self, batch: Batch) -> tuple[bytes | str, Summary]:
        """A batch drawn in this process, as a worker draws it: whenever no worker's answer
        waits, rather than wait (on 2 CPUs the parent, which only reads, converts and
        writes, was idle a third of the time of 100 MB; issue 23)."""
        summary = self.summary
        try:
            return self._draw_batch(batch)
        finally:
            self.summary = summary

    def close(self) -> None:
        """Let the workers, if any, end (after the last file)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def stop(self) -> None:
        """End the workers, if any, at once."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()

    # --- the unified layout ---

    def _unified_file(self, name: str, events: Iterable[HunkStart | LinePair]) -> bool:
        changed = False
        unified: list[LinePair] = []  # git's hunk header counts lines: hold a hunk a while
        for event in events:
            if isinstance(event, HunkStart):
                if not changed:
                    self._write(self._header_lines(name))
                    self.summary.files_changed += 1
                    changed = True
                self._write(self._unified_hunk(unified, complete=True))
                unified = []
                continue
            unified.append(event)
            if len(unified) >= UNIFIED_HELD:
                self._write(self._unified_hunk(unified, complete=False))
                unified = []
        if unified:
            self._write(self._unified_hunk(unified, complete=True))
        return changed

    def _header_lines(self, name: str) -> list[str]:
        # (a name's right-to-left override would turn the rest of the header around)
        name = bidi_escaped(printable(name))
        if self.layout == "unified":
            return [self.paint(f"--- {name}\t(original)", "file"),
                    self.paint(f"+++ {name}\t(converted)", "file")]
        rule = "─" * max(0, self.width - cell_len(name) - 1)
        return [self.paint(name, "file") + " " + self.paint(rule, "context")]

    def _write(self, lines: Iterable[str]) -> None:
        self.out.write("".join(line + "\n" for line in lines))
        self.out.flush()

    def _unified_hunk(self, lines: list[LinePair], complete: bool) -> Iterator[str]:
        """As `git diff --color`: the lines of a run of changes removed, then added. A hunk
        longer than UNIFIED_HELD lines is shown in parts, the first headed without counts."""
        import itertools

        if not lines:
            return
        start, size = lines[0].number, len(lines)
        if complete and not self._unified_open:
            yield self.paint(f"@@ -{start},{size} +{start},{size} @@", "hunk")
        elif not self._unified_open:
            yield self.paint(f"@@ -{start} +{start} @@ (a long hunk, shown as it comes)", "hunk")
        self._unified_open = not complete
        for changed, group in itertools.groupby(lines, key=lambda pair: pair.changed):
            run = list(group)
            if not changed:
                for pair in run:
                    yield " " + printable(_text(pair.before, self.encoding))
                    yield from _no_newline(pair.before)
                continue
            added = []
            for pair in run:
                before = _text(pair.before, self.encoding)
                after = _text(pair.after, "utf-8")
                self.summary.lines_changed += 1
                marks = word_marks(self.marker, before, after) \
                    if not pair.omitted_before else None
                for mark in marks or ():
                    self._count(mark, before, after)
                before, after = printable(before), printable(after)
                yield self.paint("-", "removed") + self._styled(
                    before, 0, len(before), self._spans(marks or [], False, "removed_word"),
                    "removed")
                yield from _no_newline(pair.before)
                added.append(self.paint("+", "added") + self._styled(
                    after, 0, len(after), self._spans(marks or [], True, "added_word"), "added"))
                added.extend(_no_newline(pair.after))
            yield from added

    # --- one line pair ---

    def _pair(self, pair: LinePair, number_width: int,
              texts: tuple[str, str] | None = None) -> list[str]:
        """The rows of a line pair; `texts`: its two lines' `_text`, where already read.
        (Lists, not generators, from here down to the compiled loops, which give lists: a
        row passed up through three generators cost more than the compiled loop that drew
        it; issue 23.)"""
        if texts is None:
            before, after = _text(pair.before, self.encoding), _text(pair.after, "utf-8")
        else:
            before, after = texts
        if not pair.changed:
            return list(self._context(pair, printable(before), number_width))
        self.summary.lines_changed += 1
        facts = self.marker.facts
        before_facts, after_facts = facts(before), facts(after)
        marks = word_marks(self.marker, before, after, before_facts, after_facts) \
            if not pair.omitted_before else None
        for mark in marks or ():
            self._count(mark, before, after)
        # Control characters become symbols one for one: the marks' spans still hold.
        if before_facts & CONTROLS:
            before = printable(before)
        if after_facts & CONTROLS:
            after = printable(after)
        if self.layout == "side":
            rows = self._side(pair, before, after, marks or [], number_width, before_facts,
                              after_facts)
        elif self.layout == "inline":
            rows = self._inline(pair, before, after, marks or [], number_width,
                                before_facts, after_facts)
        else:
            rows = list(self._word_diff(pair, before, after, marks or [], number_width))
        if pair.omitted_before or pair.omitted_after:
            rows.append(self.paint(f"{' ' * (number_width + 3)}… the line goes on: "
                                   f"{pair.omitted_before:,} more bytes, shown in part",
                                   "omitted"))
        if self.explain and marks:
            rows += self._notes(before, after, marks, number_width)
        if marks is None and not pair.omitted_before:
            rows.append(self.paint(f"{' ' * (number_width + 3)}(no word marks: the words of "
                                   "this line do not pair up)", "omitted"))
        return rows

    def _count(self, mark: Mark, before: str, after: str) -> None:
        for piece in mark.pieces:
            self.summary.kinds[piece.kind] += 1
            if piece.id:
                self.summary.rules[piece.id] += 1
        if mark.kind in RARE_KINDS:
            self.summary.count_word(
                mark.kind, f"{mark.word(before)} → {after[mark.out_start:mark.out_end]}")

    def _context(self, pair: LinePair, before: str, number_width: int) -> Iterator[str]:
        number = str(pair.number).rjust(number_width)
        if self.layout == "side":
            width = self._column_width(number_width)
            for left, right in _rows(before, before, width):
                yield (self.paint(number, "context") + " │ " + self.paint(_pad(left, width), "context")
                       + " │ " + self.paint(right, "context"))
                number = " " * number_width
        elif self.layout == "unified":
            yield " " + before
        elif self.layout == "inline":  # wrapped as the changed lines are, under the text
            yield from self._wrapped(self.paint(f"{number}   ", "context"),
                                     " " * (number_width + 3), number_width + 3, before, [],
                                     "context")
        else:  # word-diff: a line a row, as git diff --word-diff
            yield self.paint(f"{number}   {before}", "context")

    def _column_width(self, number_width: int) -> int:
        return max(2, (self.width - number_width - 6) // 2)  # 2: a wide character's cells

    def _styled(self, line: str, start: int, end: int, spans: list[tuple[int, int, str]],
                base: str) -> str:
        """`line[start:end]` painted: `base`, and each span's own style over it."""
        if not spans:
            return self.paint(line[start:end], base)
        parts, done = [], start
        for span_start, span_end, style in spans:
            if span_end <= start or span_start >= end:
                continue
            span_start, span_end = max(span_start, start), min(span_end, end)
            parts.append(self.paint(line[done:span_start], base))
            parts.append(self.paint(line[span_start:span_end], style))
            done = span_end
        parts.append(self.paint(line[done:end], base))
        return "".join(parts)

    def _spans(self, marks: list[Mark], output: bool, word_style: str = "") -> list[tuple[int, int, str]]:
        if output:
            return [(m.out_start, m.out_end, word_style or m.kind) for m in marks]
        return [(m.start, m.end, word_style or m.kind) for m in marks]

    def _gutter(self, sign: str) -> str:
        # With colour the marked words say enough; without, a sign marks changed lines.
        return self.paint(sign, "marker")

    def _side(self, pair: LinePair, before: str, after: str, marks: list[Mark],
              number_width: int, before_facts: int = EVERY_FACT,
              after_facts: int = EVERY_FACT) -> list[str]:
        """The line pair side by side; `before_facts`, `after_facts`: what each side held
        before `printable` (`Marker.facts`), where it is known."""
        narrow = not before_facts & WIDE or _NARROW.fullmatch(before) is not None
        compiled = self.marker.compiled
        if compiled is not None and narrow and (
                not after_facts & WIDE or _NARROW.fullmatch(after) is not None):
            # the same rows, drawn in one compiled loop (drawing was a third of a large
            # preview's time; issue 23)
            codes = self.paint.codes
            width, gutter, blank, spaces = self._side_parts(number_width)
            drawn: list[str] = compiled.side_rows(
                before, after, width, [(m.start, m.end, *codes(m.kind)) for m in marks],
                [(m.out_start, m.out_end, *codes(m.kind)) for m in marks],
                self._number(pair.number, number_width) + gutter, blank, " │ ", spaces)
            return drawn
        width = self._column_width(number_width)
        left_spans, right_spans = self._spans(marks, False), self._spans(marks, True)
        gutter = " " + self._gutter("~") + " "
        number = self.paint(str(pair.number).rjust(number_width), "context")
        rows = []
        for l_start, l_end, r_start, r_end in _row_spans(before, after, width):
            used = l_end - l_start if narrow else cell_len(before[l_start:l_end])
            rows.append(number + gutter + self._styled(before, l_start, l_end, left_spans, "")
                        + " " * (width - used) + " │ "
                        + self._styled(after, r_start, r_end, right_spans, ""))
            number = " " * number_width
        return rows

    def _number(self, number: int, number_width: int) -> str:
        """A line's number as the first row shows it: painted as `self.paint` paints it,
        from the style's codes (Rich's Style.render, at every line, cost more)."""
        prefix, suffix = self.paint.codes("context")
        return prefix + str(number).rjust(number_width) + suffix

    def _side_parts(self, number_width: int) -> tuple[int, str, str, str]:
        """The side layout's column width, the gutter after a line's number, the rows'
        start after the first (the gutter after a blank number), and the column's width in
        spaces: asked once for a width, not for each line."""
        key = (number_width, self.width)
        found = self._side_cache.get(key)
        if found is None:
            gutter = " " + self._gutter("~") + " "
            width = self._column_width(number_width)
            found = self._side_cache[key] = (width, gutter, " " * number_width + gutter,
                                             " " * width)
        return found

    def _inline(self, pair: LinePair, before: str, after: str, marks: list[Mark],
                number_width: int, before_facts: int = EVERY_FACT,
                after_facts: int = EVERY_FACT) -> list[str]:
        number = self._number(pair.number, number_width)
        blank = " " * number_width
        rows = []
        for first, sign, style, text, output, facts in (
                (number, "-", "removed", before, False, before_facts),
                (blank, "+", "added", after, True, after_facts)):
            rows += self._wrapped(first + " " + self.paint(sign, style) + " ",
                                  blank + "   ", number_width + 3, text,
                                  self._spans(marks, output), "", facts)
        return rows

    def _wrapped(self, first: str, rest: str, indent: int, text: str,
                 spans: list[tuple[int, int, str]], base: str,
                 facts: int = EVERY_FACT) -> list[str]:
        """`text` in rows that fit the width, the first after `first`, the others after
        `rest` (both `indent` cells wide); `facts`: what it held before `printable`."""
        width = max(10, self.width - indent)
        compiled = self.marker.compiled
        if compiled is not None and not base and (
                not facts & WIDE or _NARROW.fullmatch(text) is not None):
            # the same rows, in one compiled loop (the changed lines of the inline layout)
            codes = self.paint.codes
            drawn: list[str] = compiled.wrapped_rows(
                text, width, [(start, end, *codes(style)) for start, end, style in spans],
                first, rest)
            return drawn
        return [(first if row == 0 else rest) + self._styled(text, start, end, spans, base)
                for row, (start, end) in enumerate(_row_ends(text, width))]

    def _word_diff(self, pair: LinePair, before: str, after: str, marks: list[Mark],
                   number_width: int) -> Iterator[str]:
        """[-маъно-]{+maʼno+} for each word that changed, as git diff --word-diff shows."""
        kinds = {(m.start, m.end): m.kind for m in marks}
        words = [m.span() for m in WORD_RUN.finditer(before)]
        outs = [m.span() for m in WORD_RUN.finditer(after)]
        parts = [self.paint(str(pair.number).rjust(number_width), "context"), " "]
        if len(words) != len(outs) or not _same_gaps(before, words, after, outs):
            parts += [self.paint(f"[-{before}-]", "removed"),
                      self.paint(f"{{+{after}+}}", "added")]
            yield "".join(parts)
            return
        done = 0
        for (start, end), (out_start, out_end) in zip(words, outs):
            parts.append(before[done:start])
            word, latin = before[start:end], after[out_start:out_end]
            kind = kinds.get((start, end))
            if word == latin:
                parts.append(word)
            else:
                parts.append(self.paint(f"[-{word}-]", kind or "removed"))
                parts.append(self.paint(f"{{+{latin}+}}", kind or "added"))
            done = end
        parts.append(before[done:])
        yield "".join(parts)

    def _notes(self, before: str, after: str, marks: list[Mark], number_width: int) -> Iterator[str]:
        """Under the line: each marked word, and why, in words (the rule id refers to
        README's rules section)."""
        seen = set()
        indent = " " * (number_width + 3)
        for mark in marks:
            word, latin = mark.word(before), after[mark.out_start:mark.out_end]
            if (word, latin) in seen:
                continue
            seen.add((word, latin))
            reasons = "; ".join(dict.fromkeys(_reason(p) for p in mark.pieces))
            note = printable(f"{word} → {latin}: {reasons}")
            head = len(printable(f"{word} → {latin}"))
            yield from self._wrapped(indent, indent + "  ", len(indent) + 2, note,
                                     [(0, head, mark.kind)], "note")

    # --- the end ---

    def print_summary(self) -> None:
        s = self.summary
        counted = (f"{s.files_changed} of {s.files_seen} file(s) would change, "
                   f"{s.lines_changed} line(s)")
        lines = [self.paint("─" * self.width, "context"),
                 *self._wrapped("", "  ", 2, counted, [], "file")]
        entries = []
        if s.kinds:
            counts = ", ".join(f"{KIND_NAMES[k]} {s.kinds[k]}" for k in DECISIONS if s.kinds[k])
            entries.append(("decisions: ", "file", counts))
        for kind in RARE_KINDS:
            words = s.words.get(kind)
            if words:
                listed = ", ".join(f"{printable(w)} ×{n}" for w, n in words.most_common())
                left = s.words_not_kept[kind]
                more = (f" (and {left} more of other words, not kept: --json lists every "
                        "decision)") if left else ""
                head_style = "file" if self.paint.underline else kind  # not a decided word
                entries.append((f"{KIND_NAMES[kind]}: ", head_style, listed + more))
        if s.rules:
            used = ", ".join(f"{rule} ×{n}" for rule, n in s.rules.most_common())  # all: few
            entries.append(("rules: ", "file", used))
        for head, style, text in entries:
            line = head + text
            lines.extend(self._wrapped("", "  ", 2, line, [(0, len(head), style)], ""))
        self._write(lines)


class _ListingSink:
    """Bytes of UTF-8 (a listing's) written to the preview's text output."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def write(self, data: bytes) -> int:
        self.out.write(data.decode("utf-8", "replace"))
        return len(data)

    def flush(self) -> None:
        self.out.flush()


def _no_newline(line: bytes) -> Iterator[str]:
    if not line.endswith(b"\n"):
        yield "\\ No newline at end of file"


def _reason(piece: Piece) -> str:
    """The note and the id, as the summary and --json give it (a word exception: where)."""
    if piece.kind == "exception":
        return f"a word exception ({piece.where})"
    return f"{piece.note} ({piece.id})" if piece.id else piece.note


def _text(line: bytes, encoding: str) -> str:
    return line.decode(encoding, "replace").rstrip("\r\n").replace("\t", "⇥")


def _texts(lines: Sequence[bytes], encoding: str) -> list[str] | None:
    """`_text` of each of `lines`, read in one decoding (a decoding a line was a sixteenth
    of a large preview's time; issue 23); None where they cannot be read so: an encoding
    other than UTF-8, or a line that does not end with its line break (the file's last, or
    one shown in part), which the next line's bytes could then change.

    >>> _texts([b"a\\tb\\r\\n", b"\\xd0\\n"], "utf-8"), _texts([b"a\\n", b"b"], "utf-8")
    (['a⇥b', '�'], None)
    """
    # (every line holds one line break, at its end: in UTF-8 no character's bytes go
    # across it, so each line reads alone as it reads here; "\r" before it is stripped)
    if not lines or codecs.lookup(encoding).name != "utf-8":
        return None
    data = b"".join(lines)
    # (each ends with one, and there are no more: each holds one; the looks are in C, a
    # Python expression a line was a fortieth of a large preview's samples)
    if data.count(b"\n") != len(lines) or not all(
            map(bytes.endswith, lines, itertools.repeat(b"\n"))):
        return None
    texts = data.decode(encoding, "replace").replace("\t", "⇥").split("\n")
    texts.pop()  # (after the last line break)
    return [text.rstrip("\r") for text in texts] if b"\r" in data else texts


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


# Characters of one cell each (no wide East Asian letters, no combining marks).
_NARROW_RANGES = ((0x20, 0x2FF), (0x370, 0x482), (0x48A, 0x590), (0x2000, 0x200A),
                  (0x2010, 0x2027), (0x2030, 0x205F), (0x2100, 0x21FF), (0x2400, 0x2426),
                  (0x2500, 0x257F))
_NARROW = re.compile("[" + "".join(f"\\u{first:04x}-\\u{last:04x}"
                                   for first, last in _NARROW_RANGES) + "]*")


def _cuts(text: str, width: int) -> list[int]:
    """Where `text` is cut into rows of at most `width` cells: after a space where one is
    near the end of the row (the row may then hold `width` cells and that space, which
    `_row_ends` leaves out), else where the row is full."""
    if _NARROW.fullmatch(text):  # one cell per character: the common case
        cuts, start = [], 0
        while len(text) - start > width:
            space = text.rfind(" ", start + width * 2 // 3, start + width + 1)
            start = space + 1 if space >= 0 else start + width
            cuts.append(start)
        return cuts
    cuts, used, start, space = [], 0, 0, -1
    for index, char in enumerate(text):
        size = get_character_cell_size(char)
        if used + size > width:
            if char == " ":  # the row is full up to this space: it ends the row
                cuts.append(index + 1)
                start, used = index + 1, 0
                continue
            cut = space + 1 if space >= start + width * 2 // 3 else index
            if cell_len(text[cut:index]) + size > width:  # (a column of a few cells)
                cut = index
            cuts.append(cut)
            start, used = cut, cell_len(text[cut:index])
        if char == " ":
            space = index
        used += size
    return cuts


def _row_ends(text: str, width: int) -> list[tuple[int, int]]:
    """The rows of `text` at most `width` cells wide, as (start, end): a row cut at a
    space ends before it (no row starts or ends with the space it was wrapped at: one
    that started with it was a cell out of line, one that ended with it left white space
    at the end of a saved preview's lines), also a space that ends the text."""
    rows, start = [], 0
    for cut in _cuts(text, width):
        rows.append((start, cut - 1 if text[cut - 1] == " " else cut))
        start = cut
    if start < len(text) or not rows:
        rows.append((start, len(text)))
    return rows


def _row_spans(before: str, after: str, width: int) -> Iterator[tuple[int, int, int, int]]:
    left, right = _row_ends(before, width), _row_ends(after, width)
    for row in range(max(len(left), len(right))):
        l_start, l_end = left[row] if row < len(left) else (len(before),) * 2
        r_start, r_end = right[row] if row < len(right) else (len(after),) * 2
        yield l_start, l_end, r_start, r_end


def _rows(before: str, after: str, width: int) -> Iterator[tuple[str, str]]:
    for l_start, l_end, r_start, r_end in _row_spans(before, after, width):
        yield before[l_start:l_end], after[r_start:r_end]


# --- JSON -------------------------------------------------------------------------------


class JsonDecisions:
    """``--json``: the `show` of `translit.files.preview_file` that writes one JSON object
    per decision, a line each, to `out` (see `json_decisions`)."""

    def __init__(self, marker: Marker, out: TextIO) -> None:
        self.marker, self.out = marker, out

    def __call__(self, name: str, pairs: Iterable[LinePair], encoding: str) -> bool:
        return json_decisions(name, pairs, self.marker, encoding, self.out)


def json_decisions(name: str, pairs: Iterable[LinePair], marker: Marker, encoding: str,
                   out: TextIO) -> bool:
    """One JSON object per decision, a line each; return whether anything changed."""
    changed = False
    for pair in pairs:
        if not pair.changed:
            continue
        changed = True
        before, after = _text(pair.before, encoding), _text(pair.after, "utf-8")
        for mark in word_marks(marker, before, after) or ():
            for piece in mark.pieces:
                record: dict[str, Any] = {"file": name, "line": pair.number,
                                          "word": mark.word(before),
                                          "word_latin": after[mark.out_start:mark.out_end]}
                record.update(piece.as_dict())
                record["span"] = [mark.start + piece.span[0], mark.start + piece.span[1]]
                record["out_span"] = [mark.out_start + piece.out_span[0],
                                      mark.out_start + piece.out_span[1]]
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return changed


# --- the console and the pager ------------------------------------------------------------


def make_console(color: str, *, stderr: bool = False, record: bool = False) -> Console:
    """A console that honours --color, NO_COLOR and FORCE_COLOR (Rich reads the last two)."""
    if color == "never":
        return Console(stderr=stderr, no_color=True, highlight=False, record=record,
                       color_system=None)
    console = Console(
        stderr=stderr,
        force_terminal=True if color == "always" else _empty_force_color(stderr),
        highlight=False,
        record=record,
    )
    if color == "always" and console.is_dumb_terminal:
        # Rich gives TERM=dumb no colours even when forced; --color always asks for them
        # (as git's color.ui=always gives them), so the 16 standard ones.
        console = Console(stderr=stderr, force_terminal=True, highlight=False, record=record,
                          color_system="standard")
    return console


def _empty_force_color(stderr: bool) -> bool | None:
    """Whether the stream is a terminal when FORCE_COLOR is set to nothing, else None (Rich
    decides). An empty FORCE_COLOR is as if unset (force-color.org), but Rich reads it as
    "not a terminal", even on one: the preview lost its colours and its marks."""
    if os.environ.get("FORCE_COLOR") != "":
        return None
    return is_terminal(sys.stderr if stderr else sys.stdout)


def pager_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The pager's environment: less shows colours (R) and quits when the text fits on one
    screen (FRX, as git sets it); a LESS of the user's own is kept, with R added when it
    lacks it (as delta and bat do), else less would show the escape codes as text.

    >>> pager_environment({})["LESS"], pager_environment({"LESS": "-i"})["LESS"]
    ('FRX', '-i -R')
    >>> pager_environment({"LESS": "-iR"})["LESS"]
    '-iR'
    """
    env = dict(environ)
    less = env.get("LESS")
    if less is None:
        env["LESS"] = "FRX"
    elif "R" not in less:
        env["LESS"] = f"{less} -R".strip()
    return env


_SGR = re.compile(r"\x1b\[[0-9;]*m")  # the painter's styles (a file's ESC is shown as ␛)


def screen_rows(text: str, width: int) -> int:
    r"""The rows of a screen `width` cells wide that the lines of `text` take: the terminal
    wraps a line wider than that (the unified and word-diff layouts leave lines whole).

    >>> screen_rows("\x1b[1mab\x1b[0m\n" + "x" * 81 + "\n\n", 80)
    4
    """
    lines = text.split("\n")[:-1]  # (each ends with a line break)
    return sum(max(1, -(-cell_len(_SGR.sub("", line)) // width)) for line in lines)


PAGERS: set[subprocess.Popen[str]] = set()  # the pagers running, that a person reads


class PagedOutput:
    """Lines for the terminal: written straight out while they fit on one screen, then
    through the pager, which is fed as they come (as git feeds less)."""

    def __init__(self, console: Console, pager: str | None,
                 warn: Callable[[str], None] | None = None, file: Any = None) -> None:
        self.console = console
        self.warn = warn  # says that the pager could not be run (the lines go straight out)
        # Standard output: the console's, or `file`, one that names itself when it fails.
        self.file: Any = console.file if file is None else file
        self.pager_command = pager if is_terminal(self.file) else None  # not when piped
        self.height, self.width = console.height, console.width
        self.held: list[str] | None = [] if self.pager_command else None
        self.rows = 0  # the screen rows of what is held
        self.process: subprocess.Popen[str] | None = None

    def write(self, text: str) -> int:
        if self.held is None:
            self.file.write(text)
            return len(text)
        self.held.append(text)
        self.rows += screen_rows(text, self.width)
        if self.rows >= self.height:  # taller than the screen: start the pager
            self._start_pager()
        return len(text)

    def _start_pager(self) -> None:
        import shlex

        assert self.pager_command and self.held is not None
        try:
            self.process = subprocess.Popen(
                shlex.split(self.pager_command), stdin=subprocess.PIPE,
                env=pager_environment(os.environ), text=True, encoding="utf-8",
                errors="replace")
        except (OSError, ValueError) as error:  # no such program, or an unclosed quote
            if self.warn is not None:
                reason = getattr(error, "strerror", None) or str(error)
                self.warn(f"{self.pager_command}: cannot run the pager ({reason}); the "
                          "preview is shown without one")
        else:
            self.file = self.process.stdin
            PAGERS.add(self.process)
        self.file.write("".join(self.held))
        self.held = None

    def write_utf8(self, data: bytes) -> None:
        """Write text already encoded as UTF-8 (a worker's lines): as it is where the
        output is a stream of UTF-8 bytes, else decoded and written as text."""
        binary = getattr(self.file, "buffer", None)
        if self.held is not None or binary is None or codecs.lookup(
                getattr(self.file, "encoding", None) or "ascii").name != "utf-8":
            self.write(data.decode("utf-8"))
            return
        self.file.flush()  # (what the text layer holds goes first)
        binary.write(data)

    def flush(self) -> None:
        if self.held is None:
            self.file.flush()

    def cut_short(self, note: str) -> None:
        """Say, at the end of what is shown (in the pager, which stays open), that the
        preview ends early: else the pager's (END) would look like the end of the file."""
        # (Said if it can be: a standard output that fails, whose error names it, must not
        # take the place of the interruption.)
        with contextlib.suppress(Exception):
            self.write(f"\n{note}\n")
            self.flush()

    def close(self) -> None:
        if self.held is not None:
            self.file.write("".join(self.held))
            self.held = None
        try:
            self.file.flush()
        except BrokenPipeError:
            pass
        if self.process is not None:
            try:
                self.process.stdin.close()  # type: ignore[union-attr]
            except BrokenPipeError:
                pass
            self.process.wait()
            PAGERS.discard(self.process)
