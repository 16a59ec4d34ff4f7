"""Characters that do not show and do not end a word: the soft hyphen (U+00AD, where a word
may break at a line's end: ``сен\\xadтябрь``), the zero-width non-joiner and joiner (U+200C,
U+200D) and the word joiner (U+2060).

The rules read through them: text that holds them is converted without them, as pieces
(the pieces of alignment.py, as formatting inside a word is), and each goes back between
its neighbours' output. So a soft hyphen in a page changes nothing the rules decide,
whether it was typed or written as ``&shy;`` or ``\\u00ad``.

>>> split("сен\\xadтябрь")
(['сен', 'тябрь'], ['\\xad'])
>>> upper = lambda pieces: [piece.upper() for piece in pieces]
>>> through(["сен\\xadтябрь", "ва"], upper)
['СЕН\\xadТЯБРЬ', 'ВА']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any

from ..base.lazy import lazy_pattern

INVISIBLE_IN_WORDS = frozenset("\u00ad\u200c\u200d\u2060")
_RUN = lazy_pattern("[" + "".join(sorted(INVISIBLE_IN_WORDS)) + "]+")


def has_invisible(text: str) -> bool:
    """Whether `text` holds one of them (four fast scans: most text holds none)."""
    return any(char in text for char in INVISIBLE_IN_WORDS)


def split(text: str) -> tuple[list[str], list[str]]:
    """`text` as the pieces between runs of invisible characters, and those runs (one
    fewer than the pieces)."""
    pieces, runs, done = [], [], 0
    for match in _RUN.finditer(text):
        pieces.append(text[done:match.start()])
        runs.append(match.group())
        done = match.end()
    pieces.append(text[done:])
    return pieces, runs


def through(pieces: Sequence[str],
            convert_pieces: Callable[[Sequence[str]], list[str]]) -> list[str]:
    """`convert_pieces` of `pieces` with their invisible characters taken out, and put
    back, each between the outputs of the letters before and after it."""
    flat: list[str] = []
    runs: list[list[str]] = []
    for piece in pieces:
        visible, hidden = split(piece)
        flat += visible
        runs.append(hidden)
    converted = iter(convert_pieces(flat))
    out = []
    for hidden in runs:
        parts = [next(converted)]
        for run in hidden:
            parts += (run, next(converted))
        out.append("".join(parts))
    return out


def visible_cut(text: str, safe_cut: Callable[[str], int]) -> int:
    """`safe_cut` of `text` read without its invisible characters, as a place in `text`
    (before the invisible characters there, which go with the rest)."""
    visible, runs = split(text)
    cut = safe_cut("".join(visible))
    at = seen = 0  # at: place in text; seen: visible characters before it
    for piece, run in zip(visible, [*runs, ""]):
        if cut <= seen + len(piece):
            return at + cut - seen
        at += len(piece) + len(run)
        seen += len(piece)
    return len(text)


def explained(text: str, explain: Callable[[str], list[Any]],
              convert_pieces: Callable[[Sequence[str]], list[str]]) -> list[Any]:
    """`explain` of `text` through its invisible characters: the explanation of the text
    without them, each put back into the piece it stands in (in its input and its output,
    where `through` puts it), or a piece of its own, passed through, where it stands
    between pieces. Joined, the pieces' Latin is `through`'s output and their `original`
    the text."""
    visible, runs = split(text)
    places_in, places_out = _places(visible), _places(convert_pieces(visible))
    result: list[Any] = []
    shift_in = shift_out = run = 0
    for piece in explain("".join(visible)):
        (start, end), (out_start, out_end) = piece.span, piece.out_span
        # A run before the piece in the input and in the output: a piece of its own.
        while run < len(runs) and places_in[run] <= start and places_out[run] <= out_start:
            result.append(_passed(runs[run], places_in[run] + shift_in,
                                  places_out[run] + shift_out))
            shift_in += len(runs[run])
            shift_out += len(runs[run])
            run += 1
        inside_in: list[tuple[int, str]] = []
        inside_out: list[tuple[int, str]] = []
        first_in, first_out = shift_in, shift_out
        # A run inside the piece (in the input or the output; at most at its end in the
        # other): in the piece. (Conversion puts a run inside the output of the piece it
        # stands in, or after it.)
        while run < len(runs) and places_in[run] <= end and places_out[run] <= out_end and (
                places_in[run] < end or places_out[run] < out_end):
            inside_in.append((max(0, places_in[run] - start), runs[run]))
            inside_out.append((max(0, places_out[run] - out_start), runs[run]))
            shift_in += len(runs[run])
            shift_out += len(runs[run])
            run += 1
        result.append(piece._replace(
            original=_inserted(piece.original, inside_in),
            latin=_inserted(piece.latin, inside_out),
            span=(start + first_in, end + shift_in),
            out_span=(out_start + first_out, out_end + shift_out)))
    for rest in range(run, len(runs)):  # after the last piece
        result.append(_passed(runs[rest], places_in[rest] + shift_in,
                              places_out[rest] + shift_out))
        shift_in += len(runs[rest])
        shift_out += len(runs[rest])
    return result


def _places(visible: list[str]) -> list[int]:
    """Where each run stands in the visible text: after the pieces before it."""
    places, at = [], 0
    for piece in visible[:-1]:
        at += len(piece)
        places.append(at)
    return places


def _inserted(text: str, runs: list[tuple[int, str]]) -> str:
    out: list[str] = []
    done = 0
    for at, run in runs:
        out += (text[done:at], run)
        done = at
    out.append(text[done:])
    return "".join(out)


def _passed(run: str, at: int, out_at: int) -> Any:
    from .reference import Piece

    return Piece(run, run, "passed", None, (at, at + len(run)), (out_at, out_at + len(run)),
                 run)

