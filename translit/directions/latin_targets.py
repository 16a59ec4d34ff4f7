"""The directions to Latin: Cyrillic → the 1995 Latin alphabet (`Latin1995`) or the 2026
letters (`Latin2026`), by the rule table (the compiled fast engine, fastpath.py, and the
letter-by-letter reference engine that explains it).

Latin words of the input in the other Latin alphabet are respelled before the rules run
(latin.py), so that what the rules write (a table of your own may write ş) is never undone.

>>> Latin2026(Options(target="latin2026")).convert("Шаҳар ўғил, Oʻzbekiston")
'Şahar öğil, Özbekiston'
>>> Latin1995(Options()).convert("Şahar")
'Shahar'
"""

from __future__ import annotations

import _bisect as bisect  # bisect.py's functions, without loading bisect.py (start-up)
import collections
import functools
import re
from collections.abc import Sequence

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any

    from .alignment import Parts
    from .direction import DirectionOf, Throughput
    from ..base.options import Target

from ..engine.fastpath import FastEngine, LocalTriggers, Trigger
from .latin import Respeller, To1995, To2026
from ..engine.model import Orthography, build_orthography
from ..base.options import Options
from ..tables.rules import load_rule_table
from ..engine.scripts import has_cyrillic
from ..engine.words import MAX_HELD_CHARS, word_aligned_pieces

if TYPE_CHECKING:
    from ..engine.reference import Piece, ReferenceEngine

PIECE_CHARS = 1 << 18  # long text is converted in pieces of about this many characters


class _ToLatin:
    """Cyrillic → Latin for one set of options (see the module's docstring)."""

    target: Target = "latin"
    script, source_script = "Latn", "Cyrl"
    throughput: Throughput = "fast"
    growth = 1.0
    explains_whole_lines = False
    letters_2026 = False  # the rules' Latin written in the 2026 letters
    respeller: type[Respeller] = To1995  # Latin words of the other Latin alphabet
    tables = ("rules.tsv", "lookalikes.tsv", "exceptions.tsv", "latin2026.tsv",
              "latin-words.tsv", "english.tsv", "uzbek-words.tsv", "lexicon.tsv",
              "suffixes.tsv")

    def __init__(self, options: Options, direction_of: DirectionOf | None = None) -> None:
        self.options = options
        table = load_rule_table(options.rules, options.exceptions)
        self._orthography = build_orthography(table, options, self.letters_2026)
        self.fast = FastEngine(self._orthography)
        self.respell = self.respeller(options, self._orthography.kept_spans)

    @property
    def latin_target(self) -> Target:
        return self.target

    @property
    def orthography(self) -> Orthography:
        return self._orthography

    @property
    def _reference(self) -> ReferenceEngine:
        """The letter-by-letter engine (explain, the preview): the fast engine's own."""
        return self.fast.reference

    def convert(self, text: str) -> str:
        return self.convert_bytes(text).decode("utf-8", "surrogatepass")

    def convert_bytes(self, text: str, surrogates: str = "surrogatepass") -> bytes:
        return self._converted(self._respelled_input(text), surrogates)

    def _converted(self, text: str, surrogates: str = "surrogatepass") -> bytes:
        """The rules' conversion of text whose Latin words are respelled already: long
        text in word-aligned pieces that stay in the CPU caches (the same result)."""
        if len(text) <= PIECE_CHARS:
            return self.fast.convert(text, surrogates)
        return b"".join(self.fast.convert(piece, surrogates)
                        for piece in word_aligned_pieces(text, PIECE_CHARS, self.safe_cut))

    def _respelled_input(self, text: str) -> str:
        if self.options.quotes != "unchanged":
            from ..engine.quotes import requote

            text = requote(text, self.options.quotes, self._orthography.kept_spans)
        if not self.respell.needed(text):
            return text
        respelled: str = self.respell.text(text)
        return respelled

    def prepare_for_workers(self) -> None:
        """Nothing: what the workers need is built when the direction is made, or by them
        as they read (the one pass's table, made once per worker, is small)."""

    @functools.cached_property
    def one_pass(self) -> Any:
        """The accelerator's table (or None: no accelerator; --quotes reads each line's
        marks in Python)."""
        if self.options.quotes != "unchanged":
            return None
        return self.fast.one_pass(self.respell.quick, self.respell.reads_stems)

    def convert_pieces(self, pieces: Sequence[str]) -> list[str]:
        pieces = self.respell.pieces(self._requoted_pieces(list(pieces)))
        if sum(map(len, pieces)) <= PIECE_CHARS:
            each = self.fast.pieces(pieces)
            if each is not None:  # one character, one Latin: each piece takes its own
                return each
        from .alignment import aligned_pieces  # here: the plain filter never aligns pieces

        return aligned_pieces(pieces, self.safe_cut, self._converted_str, self._explained)

    def _requoted_pieces(self, pieces: list[str]) -> list[str]:
        """--quotes over the pieces read as one text (a mark's level depends on the marks
        before it); a mark is replaced by one character, so each piece keeps its length."""
        if self.options.quotes == "unchanged":
            return pieces
        from ..engine.quotes import requote_pieces

        return requote_pieces(pieces, self.options.quotes, self._orthography.kept_spans)

    def _converted_str(self, text: str) -> str:
        return self._converted(text).decode("utf-8", "surrogatepass")

    def _explained(self, parts: Parts) -> Parts:
        from .alignment import explained_parts

        return explained_parts(parts, self.explain, self.fast.latin_of_each)

    def leftovers(self, text: str) -> collections.Counter[str]:
        found: collections.Counter[str] = collections.Counter()
        pattern = self._orthography.leftover_letters
        if pattern.search(text) is None:
            return found  # most text
        spans = self._orthography.kept_spans(text)
        starts = [start for start, _ in spans]
        for match in pattern.finditer(text):
            at = match.start()
            index = bisect.bisect_right(starts, at) - 1
            if index < 0 or at >= spans[index][1]:
                found[match.group()] += 1
        return found

    def safe_cut(self, text: str) -> int:
        cut = self._orthography.safe_cut(text)
        if self.options.quotes != "unchanged":  # a mark's level is read within its line
            line = max(text.rfind("\n", 0, cut), text.rfind("\r", 0, cut)) + 1
            if line >= len(text) - MAX_HELD_CHARS:  # (a longer line is cut anyway, as
                cut = min(cut, line)  # the orthography cut it: README, Limits)
        return cut

    def explain(self, text: str) -> list[Piece]:
        if self.options.quotes != "unchanged":
            from ..engine.quotes import requote

            text = requote(text, self.options.quotes, self._orthography.kept_spans)
        if not self.respell.needed(text):
            return self._reference.explain(text)
        return self._explained_respelling(text)

    def _explained_respelling(self, text: str) -> list[Piece]:
        """`explain` of text with Latin words to respell: each respelled letter a piece of
        its own (kind ``rule``, id ``latin.respelled``), the text between explained by the
        reference engine (a respelled letter is in a Latin word, which no rule reads)."""
        from .latin import RESPELLED
        from ..engine.reference import Piece

        pieces: list[Piece] = []
        done = out = 0
        for start, end, new in sorted(self.respell.tokens(text)):
            if start > done:
                part = self._reference.explain(text[done:start])
                pieces += _shifted(part, done, out)
                out += sum(len(piece.latin) for piece in part)
            pieces.append(Piece(text[start:end], new, "rule", RESPELLED, (start, end),
                                (out, out + len(new)), text[start:end]))
            out += len(new)
            done = end
        if done < len(text):
            pieces += _shifted(self._reference.explain(text[done:]), done, out)
        return pieces

    @functools.cached_property
    def decision_triggers(self) -> list[re.Pattern[str]]:
        # a Latin word respelled is a decision (latin.respelled)
        return [*self.fast.decision_triggers, self.respell.trigger]

    @property
    def trigger_parts(self) -> tuple[LocalTriggers | None, list[Trigger]]:
        # (nothing is respelled where the respeller sees no need: `Respeller.text`)
        return self.fast.local_triggers, [*self.fast.repair_triggers,
                                          Trigger(self.respell.trigger, self.respell.needed,
                                                  self.respell.needed_chars())]

    def exception_spans(self, text: str, composed: bool = False) -> list[tuple[int, int, str]]:
        return self.fast.exceptions.find(
            text if composed else self._orthography.repairs.compose(text))

    def decisions(self, text: str) -> list[Piece]:
        if self.options.quotes != "unchanged" or self.respell.needed(text):
            from ..engine.reference import DECISIONS

            return [piece for piece in self.explain(text) if piece.kind in DECISIONS]
        return self._reference.decisions(text)

    def reference(self, text: str) -> str:
        """The same conversion by the reference engine (the Latin respelling before it is
        one, shared step)."""
        return self._reference.convert(self._respelled_input(text))

    def in_target_script(self, text: str) -> bool:
        """No Cyrillic letter, nor a letter of the other Latin alphabet."""
        return not has_cyrillic(text) and not any(c in text for c in self.respell.quick)


def _shifted(pieces: list[Piece], start: int, out: int) -> list[Piece]:
    """Pieces of text explained from `start` of the input and `out` of the output."""
    return [piece._replace(span=(piece.span[0] + start, piece.span[1] + start),
                           out_span=(piece.out_span[0] + out, piece.out_span[1] + out))
            for piece in pieces]


class Latin1995(_ToLatin):
    """Cyrillic → the 1995 Latin alphabet; 2026 Latin words respelled in it."""


class Latin2026(_ToLatin):
    """Cyrillic and 1995 Latin → the 2026 letters. Respelling every Latin word is done
    word by word in Python: a slow direction."""

    target: Target = "latin2026"
    throughput: Throughput = "slow"
    letters_2026 = True
    respeller: type[Respeller] = To2026

    def in_target_script(self, text: str) -> bool:
        """No Cyrillic letter, and no 1995 Latin to respell."""
        return not has_cyrillic(text) and not self.respell.needed(text)
