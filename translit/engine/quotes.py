"""Quotation marks in the style asked for (the option ``quotes``), one line at a time.

``guillemets`` writes «…», and „…“ inside them, as Uzbek Cyrillic print does; ``curly``
writes “…” at every level, as Latin text mostly does; ``unchanged`` (the default) leaves
every mark as it is. The marks read are " “ ” „ « »: a straight " opens after a space, a
bracket or the line's start and closes elsewhere; “ closes a „ and opens otherwise. A
mark is replaced by one character, so positions do not move, and what `keep` returns
(addresses, placeholders) is left as it was. Single quotes are not touched: in Uzbek
Latin ' ‘ ’ are also the letters' marks (oʻ, maʼno).

>>> requote('U "Salom" dedi.', "guillemets")
'U «Salom» dedi.'
>>> requote('“Bu „kitob“ emas”', "guillemets"), requote("«Bu „kitob“ emas»", "curly")
('«Bu „kitob“ emas»', '“Bu “kitob” emas”')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

MARKS = frozenset('"“”„«»')
_OPENS_AFTER = frozenset(" \t\n\r([{<«„“—–-/\u00a0")
# (opening, closing) by depth: the outer level, then every inner one
STYLES = {"guillemets": (("«", "»"), ("„", "“")), "curly": (("“", "”"), ("“", "”"))}


def requote(text: str, style: str,
            keep: Callable[[str], list[tuple[int, int]]] | None = None) -> str:
    """`text` with its double quotation marks in `style` (see the module's docstring)."""
    if style not in STYLES or not any(mark in text for mark in MARKS):
        return text
    kept = keep(text) if keep is not None else []
    levels = STYLES[style]
    out = list(text)
    stack: list[str] = []  # the marks that opened, innermost last
    k = 0
    for i, char in enumerate(text):
        if char in "\n\r":
            stack = []
            continue
        if char not in MARKS:
            continue
        while k < len(kept) and kept[k][1] <= i:
            k += 1
        if k < len(kept) and kept[k][0] <= i:
            continue  # inside an address or a placeholder
        previous = text[i - 1] if i else "\n"
        if char in "«„":
            opening = True
        elif char in "»”":
            opening = False
        elif char == "“":
            opening = not (stack and stack[-1] == "„")
        else:  # "
            opening = previous in _OPENS_AFTER or not stack
        if opening:
            out[i] = levels[min(len(stack), 1)][0]
            stack.append(char)
        else:
            if stack:
                stack.pop()
            out[i] = levels[min(len(stack), 1)][1]
    return "".join(out)


def requote_pieces(pieces: Sequence[str], style: str,
                   keep: Callable[[str], list[tuple[int, int]]] | None = None) -> list[str]:
    """`requote` over the pieces read as one text (a mark's level depends on the marks
    before it, in whichever piece), each piece keeping its length and its own marks.

    >>> requote_pieces(['U "Sal', 'om" dedi.'], "guillemets")
    ['U «Sal', 'om» dedi.']
    """
    joined = requote("".join(pieces), style, keep)
    out, at = [], 0
    for piece in pieces:
        out.append(joined[at:at + len(piece)])
        at += len(piece)
    return out
