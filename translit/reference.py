"""The reference engine: the rule table applied letter by letter, as written.

It is slow and obviously right; the fast engine (fastpath.py) is tested against it, and it
explains every piece of its output, which the diff preview shows.

>>> from translit.engine import Transliterator
>>> engine = ReferenceEngine(Transliterator().orthography)
>>> for piece in engine.explain("маъно"):
...     print(piece.source, piece.latin, piece.reason.split(":")[0])
м m rules.tsv
а a rules.tsv
ъ ʼ rules.tsv
н n rules.tsv
о o rules.tsv
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from .model import WORD_CHAR, CasedException, Orthography


@dataclasses.dataclass(frozen=True)
class Piece:
    """A piece of the (normalised) source, its Latin, and why.

    ``reason`` is ``FILE:LINE note`` of the rule or exception used, or empty where the
    text was passed through unchanged.
    """

    source: str
    latin: str
    reason: str


class ReferenceEngine:
    def __init__(self, orthography: Orthography) -> None:
        self.orthography = orthography

    def convert(self, text: str) -> str:
        return "".join(piece.latin for piece in self.explain(text))

    def explain(self, text: str) -> list[Piece]:
        """Pieces of the prepared text with their Latin and the rule or exception used."""
        text = self.orthography.prepare(text)
        pieces: list[Piece] = []
        for piece in self._pieces(text):
            if not piece.reason and pieces and not pieces[-1].reason:
                last = pieces.pop()
                piece = Piece(last.source + piece.source, last.latin + piece.latin, "")
            pieces.append(piece)
        return pieces

    def _pieces(self, text: str) -> Iterator[Piece]:
        i = 0
        while i < len(text):
            exception = self._exception_at(text, i)
            if exception is not None:
                entry = exception.entry
                yield Piece(exception.cyrillic, exception.latin, f"{entry.where} exception")
                i += len(exception.cyrillic)
                continue
            yield self._letter(text, i)
            i += 1

    def _exception_at(self, text: str, i: int) -> CasedException | None:
        if i > 0 and _is_word_char(text[i - 1]):
            return None
        for exception in self.orthography.exceptions:
            if not text.startswith(exception.cyrillic, i):
                continue
            end = i + len(exception.cyrillic)
            if exception.entry.whole_word and end < len(text) and _is_word_char(text[end]):
                continue
            return exception
        return None

    def _letter(self, text: str, i: int) -> Piece:
        char = text[i]
        rows = self.orthography.rows.get(char)
        if rows is None:
            return Piece(char, char, "")
        before = text[i - 1] if i > 0 else None
        after = text[i + 1] if i + 1 < len(text) else None
        row = next(row for row in rows if row.fits(before, after))
        latin = self.orthography.latin_for(row, char, before, after)
        return Piece(char, latin, f"{row.rule.where} {row.rule.note}".rstrip())


def _is_word_char(char: str) -> bool:
    return WORD_CHAR.match(char) is not None
