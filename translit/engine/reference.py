"""The reference engine: the rule table applied letter by letter, as written.

It is slow and obviously right; the fast engine (fastpath.py) is tested against it. It
also explains its output: every piece of the output comes with the rule or exception that
made it, as a value, and the spans it covers in the input and in the output.

>>> from translit.converter.transliterator import Transliterator
>>> engine = ReferenceEngine(Transliterator().orthography)
>>> for piece in engine.explain("маъно"):
...     print(piece.source, piece.latin, piece.id, piece.kind, piece.span, piece.out_span)
м m R1.м letter (0, 1) (0, 1)
а a R1.а letter (1, 2) (1, 2)
ъ ʼ R5.3 rule (2, 3) (2, 3)
н n R1.н letter (3, 4) (3, 4)
о o R1.о letter (4, 5) (4, 5)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:  # the same classes, made faster (see records.py)
    from ..base.records import NamedTuple

from .model import CasedException, Orthography
from .words import is_cyrillic_letter, is_word_char
from ..tables.rules import LetterRule, WordException

# What decided a piece, from the most to the least notable; a piece has one kind.
KINDS = ("leftover", "lookalike", "repair", "exception", "lexicon", "latin", "capitals",
         "ordinal", "rule", "letter", "passed")
DECISIONS = KINDS[:9]  # what the preview marks: everything but plain letters and other text
# The spec's id of a decision that is not its letter's rule (a look-alike о is decided by
# R0.2, not by о's own rule R1.о; a two-letter capital by R9): one id in every output.
KIND_IDS = {"lookalike": "R0.2", "repair": "R0.3", "capitals": "R9", "ordinal": "R11"}


class Piece(NamedTuple):
    """A piece of the input, its Latin, and what decided it.

    ``source`` is the input as the rules saw it (a Latin look-alike already read as
    Cyrillic, a typed apostrophe as ъ); ``original`` is the input as it was.
    ``decided_by`` is the rule or exception used (None for text passed through); in the
    Cyrillic direction a rule of cyrillic.tsv, a lexicon entry, or why a word stays Latin.
    ``span`` and ``out_span`` are (start, end) in the input and in the output.

    >>> from translit import explain
    >>> piece = explain("маъно")[2]
    >>> piece.source, piece.latin, piece.kind, piece.id, piece.span, piece.out_span
    ('ъ', 'ʼ', 'rule', 'R5.3', (2, 3), (2, 3))
    """

    source: str
    latin: str
    kind: str
    decided_by: Any
    span: tuple[int, int]
    out_span: tuple[int, int]
    original: str

    @property
    def id(self) -> str:
        """The id of what decided it, the same in every output (--explain, --json, the
        summary): the rule's (R5.2), R0.2 for a look-alike read as Cyrillic, R0.3 for a
        repair, R9 for a two-letter capital, R11 for an ordinal hyphen, ``exception`` for a
        word exception; empty for a letter left unconverted or text passed through.

        >>> from translit.converter.transliterator import Transliterator
        >>> [(p.source, p.id) for p in Transliterator().decisions("Ш. Тoшкент")]
        [('Ш', 'R9'), ('о', 'R0.2')]
        """
        if self.kind in KIND_IDS:
            return KIND_IDS[self.kind]
        if isinstance(self.decided_by, WordException):
            return "exception"
        return str(getattr(self.decided_by, "id", ""))

    @property
    def where(self) -> str:
        """FILE:LINE of the rule or exception."""
        return str(getattr(self.decided_by, "where", ""))

    @property
    def note(self) -> str:
        """Why, in words (what --explain says, and --json's note)."""
        if self.kind == "leftover":
            return f"{self.source} is not an Uzbek letter: left as it is"
        if self.kind == "lookalike":
            return f"the Latin {self.original} is read as the Cyrillic {self.source}"
        if self.kind == "repair":
            return f"{self.original} is read as {self.source}"
        if self.kind == "ordinal":
            return "a hyphen after an ordinal number"
        if self.kind == "capitals":
            case = "in full capitals next to a capital" if self.latin.isupper() else (
                "as a capital and a small letter, with no capital beside it")
            return f"{self.source} is written {self.latin}, {case}"
        if isinstance(self.decided_by, WordException):
            return self.decided_by.note or "a word the rules cannot spell"
        return str(getattr(self.decided_by, "note", ""))

    @property
    def reason(self) -> str:
        """``FILE:LINE note`` (``FILE:LINE exception`` for an exception), or empty."""
        if isinstance(self.decided_by, WordException):
            return f"{self.decided_by.where} exception"
        if self.decided_by is None:
            return ""
        return f"{self.where} {self.id} {self.note}".strip()

    def as_dict(self) -> dict[str, object]:
        """For JSON: plain values only."""
        return {"kind": self.kind, "id": self.id, "source": self.original,
                "read_as": self.source, "latin": self.latin, "span": list(self.span),
                "out_span": list(self.out_span), "where": self.where, "note": self.note}


# The kinds of the compiled table's decisions, by number (DECISION_* in _accel.c).
NATIVE_KINDS = ("rule", "capitals", "exception", "leftover")
_NATIVE_EXCEPTION, _NATIVE_LEFTOVER = NATIVE_KINDS.index("exception"), NATIVE_KINDS.index("leftover")


class ReferenceEngine:
    """`native`: the accelerator's table of the same orthography and its rows' flags
    (`fastpath.decision_flags`), which tell `decisions` of a text that no repair changes in
    one compiled loop, the table's own (`convert`'s); else, and for everything else, the
    rules are applied here, letter by letter."""

    def __init__(self, orthography: Orthography, native: tuple[Any, bytes] | None = None) -> None:
        self.orthography = orthography
        self._native = native
        # the table's rows as (rule, their Latin in its three cases), in the table's order
        self._native_rows = [(row.rule, (row.lower, row.title, row.upper))
                             for rows in orthography.rows.values()
                             for row in rows] if native is not None else []
        # The rules of letters with one spelling, unmarked: their small letters decide nothing.
        self._plain_letters = frozenset(
            rows[0].rule for letter, rows in orthography.rows.items()
            if len(rows) == 1 and not rows[0].rule.mark and rows[0].title == rows[0].upper)
        # ... and the Latin of each such small letter (what _letter gives it everywhere)
        self._plain_small = {letter: rows[0].lower for letter, rows in orthography.rows.items()
                             if rows[0].rule in self._plain_letters
                             and letter == rows[0].rule.letter}
        # (the neighbours, the letter, the one after) -> its Latin, rule and kind (above)
        self._letters_seen: dict[tuple[str, str, str | None], tuple[str, Any, str]] = {}
        # A run of such small letters that are word characters, and their Latin: inside a
        # word each is passed over as the one before it was, so the run is passed over at
        # once (`_explain_part`; a letter at a time, the loop was most of explaining a word,
        # which a large preview does for every new word a trigger points at: issue 23).
        run = sorted(letter for letter in self._plain_small if is_word_char(letter))
        self._plain_run = re.compile(f"[{re.escape(''.join(run))}]+") if run else None
        self._plain_latin = str.maketrans(self._plain_small)
        # The word exceptions by their first letter, each letter's in the order tried.
        self._exceptions_by_first: dict[str, list[CasedException]] = {}
        for exception in orthography.exceptions:
            self._exceptions_by_first.setdefault(exception.cyrillic[:1], []).append(exception)

    def convert(self, text: str) -> str:
        return "".join(
            part if kept else "".join(
                latin for _, latin, _, _ in self._pieces(self._prepare(part)))
            for part, kept in self._parts(text))

    def _prepare(self, text: str) -> str:
        prepared = self.orthography.repairs.prepare(text)
        assert prepared is not None  # nothing is refused here
        return prepared

    def convert_part(self, text: str) -> str:
        """Convert text that holds nothing kept as it is (no address, no escape)."""
        return "".join(latin for _, latin, _, _ in self._pieces(self._prepare(text)))

    def _parts(self, text: str) -> Iterator[tuple[str, bool]]:
        """`text` in parts: (text, False) to convert, (span, True) kept as it is."""
        done = 0
        for start, end in self.orthography.kept_spans(text):
            yield text[done:start], False
            yield text[start:end], True
            done = end
        yield text[done:], False

    def explain(self, text: str) -> list[Piece]:
        """Pieces of `text` with their Latin, what decided them, and their spans."""
        return self._explained(text, decisions_only=False)

    def decisions(self, text: str) -> list[Piece]:
        """Only the pieces a reviewer may want to check (see DECISIONS): faster."""
        return self._explained(text, decisions_only=True)

    def _explained(self, text: str, decisions_only: bool) -> list[Piece]:
        pieces: list[Piece] = []
        at = out = 0
        for part, kept in self._parts(text):
            if kept:  # an address, a kept word, an escape: passed through as it is
                if not decisions_only:
                    pieces.append(Piece(part, part, "passed", None, (at, at + len(part)),
                                        (out, out + len(part)), part))
                out += len(part)
            else:
                out = self._explain_part(part, decisions_only, at, out, pieces)
            at += len(part)
        return pieces

    def _explain_part(self, text: str, decisions_only: bool, at: int, out: int,
                      pieces: list[Piece]) -> int:
        """Append the pieces of `text` (which starts at `at` in the input and at `out` in
        the output); return where its output ends."""
        prepared, positions = self.orthography.repairs.prepare_mapped(text)
        plain = self._plain_letters
        # Where only decisions are wanted, a letter inside a word, as typed, is looked at
        # alone: no exception starts inside a word, and its rule reads only its neighbours
        # (explaining words letter by letter was a fifth of a large preview's time; issue
        # 23): a plain small letter is counted and passed over, another one's Latin, rule
        # and kind are remembered by its neighbours.
        inside = decisions_only and positions is None
        passed_over, seen = self._plain_small, self._letters_seen
        plain_run = self._plain_run if inside and prepared == text else None
        if plain_run is not None and self._native is not None:
            # the same pieces from the compiled table's loop (a word's decisions, for each new
            # word of a large preview, were a quarter of its time; issue 23)
            return self._native_decisions(prepared, at, out, pieces)
        i = 0
        while i < len(prepared):
            char = prepared[i]
            if inside and i > 0 and char == text[i] and is_word_char(prepared[i - 1]):
                latin = passed_over.get(char)
                if latin is not None and plain_run is not None:
                    run = plain_run.match(prepared, i)
                    if run is not None:  # (a plain small letter that is a word character)
                        out += len(run.group().translate(self._plain_latin))
                        i = run.end()
                        continue
                if latin is None:
                    after = prepared[i + 1] if i + 1 < len(prepared) else None
                    found = seen.get((prepared[i - 1], char, after))
                    if found is None:
                        if len(seen) >= 65536:
                            seen.clear()
                        latin, rule = self._letter(prepared, i)
                        kind = self._kind(char, char, latin, rule, prepared, i)
                        found = seen[(prepared[i - 1], char, after)] = (latin, rule, kind)
                    latin, rule, kind = found
                    if kind in DECISIONS:
                        pieces.append(Piece(char, latin, kind, rule, (at + i, at + i + 1),
                                            (out, out + len(latin)), char))
                out += len(latin)
                i += 1
                continue
            start = i
            latin, length, decided_by = self._step(prepared, start)
            i = end = start + length
            if decisions_only and length == 1 and decided_by in plain and (
                    positions is None and prepared[start] == text[start]):
                out += len(latin)  # a plain small letter, as typed: nothing to say
                continue
            raw_start = positions[start] if positions else start
            raw_end = positions[end] if positions else end
            source, original = prepared[start:end], text[raw_start:raw_end]
            kind = self._kind(source, original, latin, decided_by, prepared, start)
            piece = Piece(source, latin, kind, decided_by, (at + raw_start, at + raw_end),
                          (out, out + len(latin)), original)
            out += len(latin)
            if decisions_only:
                if kind in DECISIONS:
                    pieces.append(piece)
                continue
            if kind == "passed" and pieces and pieces[-1].kind == "passed":
                last = pieces.pop()
                piece = Piece(last.source + source, last.latin + latin, "passed", None,
                              (last.span[0], at + raw_end), (last.out_span[0], piece.out_span[1]),
                              last.original + original)
            pieces.append(piece)
        return out

    def _native_decisions(self, text: str, at: int, out: int, pieces: list[Piece]) -> int:
        """`_explain_part`'s decisions of `text`, which no repair changed, by the table."""
        assert self._native is not None
        table, flags = self._native
        length, found = table.decisions(text, flags)
        for start, end, out_start, out_end, kind, index in found:
            source = text[start:end]
            if kind == _NATIVE_EXCEPTION:
                exception = self.orthography.exceptions[index]
                latin, decided_by = exception.latin, exception.entry
            elif kind == _NATIVE_LEFTOVER:
                latin, decided_by = source, None
            else:
                decided_by, cases = self._native_rows[index // 3]
                latin = cases[index % 3]
            pieces.append(Piece(source, latin, NATIVE_KINDS[kind], decided_by,
                                (at + start, at + end), (out + out_start, out + out_end), source))
        return out + int(length)

    def _kind(self, source: str, original: str, latin: str,
              decided_by: Any, text: str, at: int) -> str:
        if decided_by is None:
            if any(is_cyrillic_letter(c) for c in source):
                return "leftover"
            return "ordinal" if source != original else "passed"
        if source != original and len(source) == len(original):
            latin_letters = any(c.isascii() and c.isalpha() for c in original)
            return "lookalike" if latin_letters else "repair"
        if isinstance(decided_by, WordException):
            return "exception"
        if source != decided_by.letter and self._capital_decided(source, decided_by, text, at):
            return "capitals"
        return "rule" if decided_by.mark else "letter"

    def _capital_decided(self, char: str, rule: LetterRule, text: str, at: int) -> bool:
        """A two-letter capital written SH or Sh by its neighbours (R9), not simply as the
        capital of a Title-case word (Шаҳар → Shahar)."""
        row = next((r for r in self.orthography.rows.get(char, ()) if r.rule is rule), None)
        if row is None or row.title == row.upper:
            return False
        after = text[at + 1] if at + 1 < len(text) else ""
        return not (after.isalpha() and after.islower())

    def _pieces(self, text: str) -> Iterator[tuple[int, str, int, LetterRule | WordException | None]]:
        """(start, latin, length, rule or exception) for the prepared text."""
        i = 0
        while i < len(text):
            latin, length, decided_by = self._step(text, i)
            yield i, latin, length, decided_by
            i += length

    def _step(self, text: str, i: int) -> tuple[str, int, LetterRule | WordException | None]:
        """The Latin of what starts at `i`, its length, and its rule or exception."""
        exception = self._exception_at(text, i)
        if exception is not None:
            return exception.latin, len(exception.cyrillic), exception.entry
        latin, rule = self._letter(text, i)
        return latin, 1, rule

    def _exception_at(self, text: str, i: int) -> CasedException | None:
        if i > 0 and is_word_char(text[i - 1]):
            return None
        for exception in self._exceptions_by_first.get(text[i], ()):
            if not text.startswith(exception.cyrillic, i):
                continue
            end = i + len(exception.cyrillic)
            if exception.entry.whole_word and end < len(text) and is_word_char(text[end]):
                continue
            return exception
        return None

    def _letter(self, text: str, i: int) -> tuple[str, LetterRule | None]:
        char = text[i]
        rows = self.orthography.rows.get(char)
        if rows is None:
            return char, None
        before = text[i - 1] if i > 0 else None
        after = text[i + 1] if i + 1 < len(text) else None
        if len(rows) == 1:
            row = rows[0]
            if char == row.rule.letter:  # a plain small letter: its one spelling
                return row.lower, row.rule
        else:
            row = next(row for row in rows if row.fits(before, after))
        return self.orthography.latin_for(row, char, before, after), row.rule


