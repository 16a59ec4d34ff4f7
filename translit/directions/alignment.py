"""Piece alignment: text cut into pieces by formatting (``<b>Ц</b>ентр``, two Word runs)
converted as one text, and the output put back on the pieces.

The rules see the whole text; each output piece is the conversion of exactly the letters of
its piece. The text is cut where the direction says it may be (`safe_cut`): a part within
one piece is converted with the others in one call (joined by line breaks, which no rule
looks across); a part that runs over several pieces (a word split by formatting) is
explained (`explained_parts`), to give each piece its own letters, and is cut as soon as it
can be.

Cuts are looked for as a stream would look for them, but not after every piece: only once
the text held since the last cut has doubled in length (or the pieces end), so that many
pieces with no place to cut between them (100,000 one-letter runs) cost linear time. Any
cut the direction allows gives the same output, so where the cuts fall is a matter of
speed only.

>>> upper = lambda text: text.upper()
>>> def explain(text): return [(i, c.upper()) for i, c in enumerate(text)]
>>> aligned_pieces(["ab c", "d e", "", "f"], lambda text: text.rfind(" ") + 1, upper,
...                lambda parts: [(index, part.upper()) for index, part in parts])
['AB C', 'D E', '', 'F']
"""

from __future__ import annotations

import _bisect as bisect  # bisect.py's functions, without loading bisect.py (start-up)
import itertools
from collections.abc import Callable, Sequence

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Protocol
else:  # a protocol for type checkers; at run time a class that documents it
    Protocol = object

from ..base.lazy import lazy_pattern

_NOT_WORD = lazy_pattern(r"[^\w\u0300-\u036f\u02bb\u02bc]")  # may end a word
# How many places after a piece boundary are tried as the end of the part across it.
_CANDIDATES = 32
_READINGS = 3  # ... as long as they have read no more than this many times the part

Parts = list[tuple[int, str]]  # (piece, its text or its output), in order


class Explained(Protocol):
    """What `explained_parts` reads of an explanation's piece (reference.Piece)."""

    @property
    def kind(self) -> str: ...
    @property
    def latin(self) -> str: ...
    @property
    def span(self) -> tuple[int, int]: ...


def aligned_pieces(pieces: Sequence[str], safe_cut: Callable[[str], int],
                   convert: Callable[[str], str],
                   explained: Callable[[Parts], Parts]) -> list[str]:
    """Each piece's own output, the pieces converted as one text (see the module's
    docstring): `safe_cut` says where held text may be cut, `convert` converts the parts
    within one piece (joined by line breaks), `explained` a part over several pieces."""
    text = "".join(pieces)
    starts: list[int] = []  # of the pieces that are not empty, and their indexes
    indexes: list[int] = []
    at = 0
    for index, piece in enumerate(pieces):
        if piece:
            starts.append(at)
            indexes.append(index)
            at += len(piece)
    ends = starts[1:] + [len(text)]
    cutter = _Cutter(text, starts, ends, indexes, safe_cut)
    held = threshold = first = 0  # where the text not yet cut starts, its piece; its
    final = len(ends) - 1  # length at the next look
    for position, end in enumerate(ends):
        if position == final or end - held >= threshold:
            held, first = cutter.cut(held, first, end, position == final)
            threshold = 2 * (end - held)
    plain = [part for part in cutter.parts if isinstance(part, tuple)]
    converted = iter(convert("\n".join(part for _, part in plain)).split("\n"))
    # each piece's outputs, joined at the end (a piece's output made of many: adding each
    # to a string copied the string each time, quadratic in a long piece)
    out: list[list[str]] = [[] for _ in pieces]
    for found in cutter.parts:
        if isinstance(found, tuple):
            index, part = found
            out[index].append("\n".join(itertools.islice(converted, part.count("\n") + 1))
                              if "\n" in part else next(converted))
        else:
            for index, output in explained(found):
                out[index].append(output)
    return ["".join(outputs) for outputs in out]


class _Cutter:
    """Cuts the held text into parts: (piece, text) within one piece, or a list of them
    for a part over several pieces."""

    def __init__(self, text: str, starts: list[int], ends: list[int], indexes: list[int],
                 safe_cut: Callable[[str], int]) -> None:
        self.text, self.starts, self.ends, self.indexes = text, starts, ends, indexes
        self.safe_cut = safe_cut
        self.parts: list[tuple[int, str] | Parts] = []

    def cut(self, held: int, piece: int, end: int, last: bool) -> tuple[int, int]:
        """Cut text[held:end], which starts in `piece`, where it may be cut (all of it if
        `last`); where the text not yet cut now starts, and its piece. Each piece boundary
        before the last cut ends a part within its piece (if the text may be cut there) or
        is crossed by a part that ends at the first place after it where the text may be
        cut."""
        text, ends = self.text, self.ends
        stop = end if last else held + self.safe_cut(text[held:end])
        position = held
        while position < stop:
            while ends[piece] <= position:
                piece += 1
            boundary = ends[piece]
            if boundary >= stop:
                self._add(position, stop, piece)
                position = stop
                break
            before = self.safe_cut(text[position:boundary])
            if before == boundary - position or self._line_break_after(position, boundary):
                # the boundary is a place to cut
                self._add(position, boundary, piece)
                position = boundary
                continue
            if before:  # what may be cut off within the piece first
                self._add(position, position + before, piece)
                position += before
            across = self._first_cut(position, boundary, stop)
            self._add(position, across, piece)
            position = across
        while piece < len(ends) - 1 and ends[piece] <= position:
            piece += 1
        return position, piece

    def _line_break_after(self, held: int, boundary: int) -> bool:
        """Whether the piece after `boundary` starts with a line break that ends text[held:]
        (a line break may be cut after, and no rule looks across one: the parts are
        joined by line breaks to be converted). Runs of a document are given with a line
        break between them, as a piece of its own: a direction that cuts only after a
        line break (to Cyrillic) would else explain every run up to the line break."""
        text = self.text
        return (text.startswith(("\n", "\r"), boundary)
                and self.safe_cut(text[held:boundary + 1]) == boundary + 1 - held)

    def _first_cut(self, held: int, boundary: int, stop: int) -> int:
        """The first place after `boundary` where text from `held` may be cut (`stop` if
        none of the first few is)."""
        text = self.text
        # Each try reads the text from `held`: the tries stop once they have read a few
        # times what is left up to `stop` (a direction that cuts only after a line break,
        # to Cyrillic, finds none before it, and 32 tries were 32 readings of a paragraph).
        budget = _READINGS * (stop - held)
        for match in itertools.islice(_NOT_WORD.finditer(text, boundary, stop), _CANDIDATES):
            candidate = match.end()
            if self.safe_cut(text[held:candidate]) == candidate - held:
                return candidate
            budget -= candidate - held
            if budget < 0:
                break
        return stop

    def _add(self, start: int, stop: int, first: int) -> None:
        """The part text[start:stop], which starts in the piece `first`: within it, or
        split at the pieces' starts."""
        if self.ends[first] >= stop:
            self.parts.append((self.indexes[first], self.text[start:stop]))
            return
        split: Parts = []
        position = start
        for piece in range(first, len(self.starts)):
            end = min(self.ends[piece], stop)
            split.append((self.indexes[piece], self.text[position:end]))
            position = end
            if position >= stop:
                break
        self.parts.append(split)


def explained_parts(parts: Parts, explain: Callable[[str], Sequence[Explained]],
                    latin_of_each: Callable[[str], list[str] | None] | None = None,
                    cut_word: Callable[[str, str, list[int]], list[int] | None] | None = None
                    ) -> Parts:
    """Convert `parts` (of several pieces) as one text: (piece, output) for each piece of
    the output, in order. `latin_of_each` gives each character its own output where it can
    (one character, one output); else `explain`'s pieces go to the piece where they start
    (a letter, an exception), and text passed through as it is is split likewise. A word
    decided whole over several pieces is cut where `cut_word(word, output, cuts)` says
    (the places in its output of the places `cuts` in the word), where it can say.

    >>> def explain(text): return [Piece("passed", text, (0, len(text)))]
    >>> from typing import NamedTuple
    >>> Piece = NamedTuple("Piece", [("kind", str), ("latin", str), ("span", tuple)])
    >>> explained_parts([(0, "ab"), (1, "c")], explain)
    [(0, 'ab'), (1, 'c')]
    """
    text = "".join(part for _, part in parts)
    latin = latin_of_each(text) if latin_of_each is not None else None
    out: Parts = []
    if latin is not None:  # one character, one output: each piece takes its own
        done = 0
        for index, part in parts:
            out.append((index, "".join(latin[done:done + len(part)])))
            done += len(part)
        return out
    ends = list(itertools.accumulate(len(part) for _, part in parts))
    for piece in explain(text):
        start, end = piece.span
        first = bisect.bisect_right(ends, start)
        unchanged = piece.kind == "passed" or piece.latin == text[start:end]
        if not unchanged and end > ends[first] and cut_word is not None and (
                len(piece.latin) > 1):  # (a letter's one letter goes where it starts)
            inner = [at - start for at in ends[first:] if start < at < end]
            cuts = cut_word(text[start:end], piece.latin, inner)
            if cuts is not None:  # each piece its own letters of the word
                bounds = [0, *cuts, len(piece.latin)]
                for k in range(len(bounds) - 1):
                    out.append((parts[first + k][0], piece.latin[bounds[k]:bounds[k + 1]]))
                continue
        if not unchanged or end <= ends[first]:
            out.append((parts[first][0], piece.latin))  # a letter, an exception: where it starts
            continue
        # Text that comes out as it went in (passed through, or kept whole: a domain, a
        # foreign word) may run over several pieces: split it likewise.
        done = start
        for position in range(first, len(parts)):
            stop = min(end, ends[position])
            out.append((parts[position][0], piece.latin[done - start : stop - start]))
            done = stop
            if done >= end:
                break
    return out


def explained_pieces(pieces: Sequence[str],
                     explain: Callable[[str], Sequence[Explained]]) -> list[str]:
    """Each piece's own output, the pieces converted as one text by `explain` alone (the
    reference's way: slow, and independent of the fast engine's).

    >>> def explain(text): return [Piece("passed", text, (0, len(text)))]
    >>> from typing import NamedTuple
    >>> Piece = NamedTuple("Piece", [("kind", str), ("latin", str), ("span", tuple)])
    >>> explained_pieces(["ab", "", "c"], explain)
    ['ab', '', 'c']
    """
    out = [""] * len(pieces)
    parts = [(index, piece) for index, piece in enumerate(pieces) if piece]
    if parts:
        for index, output in explained_parts(parts, explain):
            out[index] += output
    return out
