"""The direction to Cyrillic: Uzbek Latin (1995 or 2026) → Uzbek Cyrillic, by reverse.py's
converter, word by word (a slow direction).

It builds no forward engine of its own: the orthography it shows (kept spans and repairs,
for the preview) is the direction to Latin's of the same options, and the ordinal dates'
words are read by the forward direction of the default style, both built once (the
transliterators' cache), when first needed.

>>> from translit.converter.transliterator import get_transliterator
>>> get_transliterator(Options(target="cyrillic")).convert("Oʻzbekiston, film va Windows")
'Ўзбекистон, фильм ва Windows'
"""

from __future__ import annotations

import collections
import functools
import itertools
import re
from collections.abc import Sequence

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any

    from .direction import DirectionOf, Throughput
    from ..base.options import Target

from .alignment import Parts, aligned_pieces, explained_parts
from ..engine.fastpath import Trigger
from ..base.options import Options
from .latin import WORD_CACHE
from .reverse import TOKENS, CyrillicConverter
from ..engine.reference import DECISIONS
from ..engine.scripts import has_latin
from ..engine.spans import overlaps
from ..tables.rules import TYPED_APOSTROPHES

if TYPE_CHECKING:
    from ..engine.fastpath import LocalTriggers
    from ..engine.model import Orthography
    from ..engine.reference import Piece


def _given(pieces: list[Piece], text: str) -> list[Piece]:
    """An explanation already made (of a token: `Cyrillic._by_tokens`)."""
    return pieces


# Typed apostrophes read as one (a word read back has ʻ where its source may have ')
_ONE_APOSTROPHE = str.maketrans(dict.fromkeys(TYPED_APOSTROPHES, "\u02bb"))


class Cyrillic:
    """Latin → Cyrillic for one set of options (see the module's docstring)."""

    target: Target = "cyrillic"
    script, source_script = "Cyrl", "Latn"
    throughput: Throughput = "medium"
    growth = 2.0
    latin_target: Target = "latin"
    # A token (config.yaml) and a foreign phrase are decided whole, with the words around
    # them: the preview explains a changed line whole.
    explains_whole_lines = True
    tables = ("cyrillic.tsv", "lexicon.tsv", "suffixes.tsv", "latin-words.tsv",
              "english.tsv", "english-phrase.tsv", "uzbek-words.tsv", "ordinal-words.tsv",
              "latin2026.tsv")
    one_pass: Any = None  # the accelerator's one pass is the Latin directions'

    def __init__(self, options: Options, direction_of: DirectionOf) -> None:
        self.options = options
        self._direction_of = direction_of
        # the Latin direction of the same tables: the round trip, and a word read back
        self._forward = Options(rules=options.rules, exceptions=options.exceptions)
        # the decisions of a token with its output in a line (line_decisions)
        self._decided_tokens: dict[tuple[str, str], tuple[Piece, ...] | None] = {}
        self.converter = CyrillicConverter(
            options, lambda text: direction_of(self._forward).convert(text))

    @property
    def orthography(self) -> Orthography:
        return self._direction_of(self.options._replace(target=self.latin_target)).orthography

    def prepare_for_workers(self) -> None:
        self.converter.prepare_for_workers()

    def convert(self, text: str) -> str:
        converted: str = self.converter.convert(text)
        return converted

    def convert_bytes(self, text: str, surrogates: str = "surrogatepass") -> bytes:
        return self.converter.convert_utf8(text, surrogates)

    def convert_pieces(self, pieces: Sequence[str]) -> list[str]:
        return aligned_pieces(self._requoted_pieces(pieces), self.safe_cut, self.convert,
                              self._explained)

    def _requoted_pieces(self, pieces: Sequence[str]) -> Sequence[str]:
        """--quotes over the pieces read as one text, first (as the Latin directions do):
        each piece keeps its own marks, which the conversion then leaves as they are.
        (Requoted in the explanation instead, a run of punctuation with a changed mark in
        it, '."', was one changed piece, and went whole to the piece where it starts.)"""
        if self.options.quotes == "unchanged":
            return pieces
        from ..engine.quotes import requote_pieces

        return requote_pieces(pieces, self.options.quotes, self.converter.kept.find)

    def _explained(self, parts: Parts) -> Parts:
        by_tokens = self._by_tokens(parts)
        if by_tokens is not None:
            return by_tokens
        # (the decisions convert remembers: a long paragraph split by formatting is
        # explained whole, as a line is one decision)
        return explained_parts(parts, functools.partial(self.converter.explain,
                                                        remembered=True),
                               cut_word=self.cut_word)

    def line_decisions(self, line: str, out: str) -> list[Piece] | None:
        """The pieces of `explain(line)` that record a decision, where `out` is the line's
        conversion, read token by token as `_by_tokens` reads a text (each distinct token
        and output explained once: the preview marks every line); None where the line
        cannot be read so (the preview then explains it whole).

        >>> from translit.converter.transliterator import get_transliterator
        >>> direction = get_transliterator(Options(target="cyrillic")).direction
        >>> line = "Open the file, Sentabr"
        >>> [(p.latin, p.kind, p.span, p.out_span)
        ...  for p in direction.line_decisions(line, direction.convert(line))][2:]
        [('file', 'latin', (9, 13), (9, 13)), ('Сентябрь', 'lexicon', (15, 22), (15, 23))]
        """
        paired = self._token_pairs(line, out)
        if paired is None:
            return None
        chunks, outs = paired
        kept = self.converter.kept.find(line)
        kept_starts = [kept_start for kept_start, _ in kept]
        found: list[Piece] = []
        start = out_start = 0
        for index, (chunk, converted) in enumerate(zip(chunks, outs)):
            end = start + len(chunk)
            if index % 2 == 0 and chunk:
                if overlaps(kept, kept_starts, start, end):
                    return None  # (see _by_tokens)
                pieces = self._token_decisions(chunk, converted)
                if pieces is None:
                    return None
                found += [piece._replace(span=(start + piece.span[0], start + piece.span[1]),
                                         out_span=(out_start + piece.out_span[0],
                                                   out_start + piece.out_span[1]))
                          for piece in pieces]
            start, out_start = end, out_start + len(converted)
        return found

    def _token_pairs(self, text: str, out: str | None) -> tuple[list[str], list[str]] | None:
        """The tokens and spaces of `text` and of `out`, its conversion (made here if None),
        one for one: token N of the one is token N of the other where their spaces are the
        same (`_by_tokens`); None where they are not, or where --quotes reads across
        tokens."""
        if self.options.quotes != "unchanged":
            return None
        chunks = TOKENS.split(text)
        outs = TOKENS.split(self.convert(text) if out is None else out)
        if len(chunks) != len(outs) or chunks[1::2] != outs[1::2]:
            return None
        return chunks, outs

    def _token_decisions(self, token: str, out: str) -> tuple[Piece, ...] | None:
        key = (token, out)
        if key in self._decided_tokens:
            return self._decided_tokens[key]
        if len(self._decided_tokens) >= WORD_CACHE:
            self._decided_tokens.clear()
        pieces = self.converter.explain_token(token, out, decisions_only=True)
        found = self._decided_tokens[key] = None if pieces is None else tuple(
            piece for piece in pieces if piece.kind in DECISIONS)
        return found

    def _by_tokens(self, parts: Parts) -> Parts | None:
        """`_explained(parts)` from the conversion of their text, token by token (None
        where it cannot be read so).

        Every piece of the explanation lies within a token (the text between spaces) or is
        spaces, which are written as they are (or is kept as it is). So where the output
        has the input's spaces, token N of the input is token N of the output, and the
        explanation gives a token that no piece boundary cuts to the piece it is in, whole;
        only a token cut by one (<b>Sentabr</b>, or S<b>entr</b>) is explained, within its
        line (`explain_token`). Explaining every word of a paragraph split by formatting
        in Python was 20 times the time of converting it.

        >>> from translit.converter.transliterator import get_transliterator
        >>> direction = get_transliterator(Options(target="cyrillic")).direction
        >>> found = direction._by_tokens([(0, "Yangi "), (1, "Sentabr"), (2, ", film va "),
        ...                               (3, "S"), (4, "entr")])
        >>> ["".join(out for index, out in found if index == piece) for piece in range(5)]
        ['Янги ', 'Сентябрь', ', фильм ва ', 'Ц', 'ентр']
        """
        text = "".join(part for _, part in parts)
        paired = self._token_pairs(text, None)
        if paired is None:
            return None
        chunks, outs = paired
        ends = list(itertools.accumulate(len(part) for _, part in parts))
        found: Parts = []
        start = piece = 0
        kept: list[tuple[int, int]] | None = None  # the text's kept spans (found once)
        kept_starts: list[int] = []
        for chunk, out in zip(chunks, outs):
            end = start + len(chunk)
            while piece < len(ends) - 1 and ends[piece] <= start:
                piece += 1
            if end <= ends[piece]:  # within one piece
                if chunk:
                    found.append((parts[piece][0], out))
            else:  # cut by piece boundaries: its parts in each piece
                last = piece  # the piece it ends in
                while ends[last] < end:
                    last += 1
                split = [(parts[k][0], text[max(start, ends[k - 1] if k else 0):
                                            min(end, ends[k])]) for k in range(piece, last + 1)]
                if chunk.isspace():  # spaces: each piece its own
                    found += split
                    start = end
                    continue
                # A kept span (an address) is explained apart from the text around it: a
                # token with one in it is not one token to the explanation.
                if kept is None:
                    kept = self.converter.kept.find(text)
                    kept_starts = [kept_start for kept_start, _ in kept]
                if overlaps(kept, kept_starts, start, end):
                    return None
                inner = tuple(ends[k] - start for k in range(piece, last))
                pieces = self.converter.explain_token(chunk, out, cuts=inner)
                if pieces is None:
                    return None
                found += explained_parts(split, functools.partial(_given, pieces),
                                         cut_word=self.cut_word)
            start = end
        return found

    def cut_word(self, word: str, cyrillic: str, cuts: list[int]) -> list[int] | None:
        """Where to cut `cyrillic`, a word decided whole (a word of the lexicon), so that
        each piece of `word` split by formatting keeps its own letters (S<b>entr</b> →
        Ц<b>ентр</b>, Yan<b>var</b> → Ян<b>варь</b>): the letters of the Cyrillic read
        back to Latin one by one (the Latin direction's pieces), where they spell the
        word again; else None (the word then goes to the piece where it starts).

        >>> from translit.converter.transliterator import get_transliterator
        >>> direction = get_transliterator(Options(target="cyrillic")).direction
        >>> direction.cut_word("Yanvar", "Январь", [3]), direction.cut_word("ab", "xyz", [1])
        ([2], None)
        """
        forward = self._direction_of(self._forward)
        # for each letter of the Latin read back, its place in the Cyrillic: in a piece of
        # several letters (an exception: Sentabr, Сентябрь), as far in as it is in the Latin
        owners: list[int] = []
        read = []
        for piece in forward.explain(cyrillic):
            (start, end), size = piece.span, len(piece.latin)
            owners += [start + (end - start) * at // size for at in range(size)]
            read.append(piece.latin)
        if "".join(read).translate(_ONE_APOSTROPHE).lower() != (
                word.translate(_ONE_APOSTROPHE).lower()):
            return None
        return [owners[cut] if cut < len(owners) else len(cyrillic) for cut in cuts]

    def safe_cut(self, text: str) -> int:
        cut: int = self.converter.safe_cut(text)
        return cut

    def explain(self, text: str) -> list[Piece]:
        pieces: list[Piece] = self.converter.explain(text)
        return pieces

    def decisions(self, text: str) -> list[Piece]:
        from ..engine.reference import DECISIONS

        return [piece for piece in self.explain(text) if piece.kind in DECISIONS]

    @functools.cached_property
    def decision_triggers(self) -> list[re.Pattern[str]]:
        triggers: list[re.Pattern[str]] = self.converter.decision_triggers
        return triggers

    @property
    def trigger_parts(self) -> tuple[LocalTriggers | None, list[Trigger]]:
        return None, [Trigger(pattern) for pattern in self.decision_triggers]

    def exception_spans(self, text: str, composed: bool = False) -> list[tuple[int, int, str]]:
        return []  # the forward table's word exceptions are not this direction's

    def leftovers(self, text: str) -> collections.Counter[str]:
        return collections.Counter()  # Latin to Cyrillic leaves no Cyrillic letter behind

    def in_target_script(self, text: str) -> bool:
        """No Latin letter."""
        return not has_latin(text)

    def reference(self, text: str) -> str:
        """The same conversion read token by token with nothing remembered (the parts
        `explain` reads), which `convert` is held equal to."""
        return "".join(part[2] for part in self.converter.parts(text))
