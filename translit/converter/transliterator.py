"""The public converter: a `Transliterator` built once from `Options`, and shortcuts.

>>> to_latin("Шаҳар ва ЎЗБЕКИСТОН")
'Shahar va OʻZBEKISTON'
>>> to_latin("маъно", apostrophe="ascii")
"ma'no"
>>> Transliterator(Options(target="latin2026")).to_latin("шаҳар")
'şahar'
"""

from __future__ import annotations

import bisect
import collections
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Unpack

if TYPE_CHECKING:
    from ..engine.reference import Piece, ReferenceEngine

from ..base.lazy import lazy_pattern
from ..engine.fastpath import FastEngine
from ..engine.model import Orthography, build_orthography
from ..engine.words import word_aligned_pieces
from ..base.options import OptionFields, Options
from ..tables.rules import RuleFileError, RuleTable, load_rule_table, normalize_apostrophes

PIECE_CHARS = 1 << 18  # long text is converted in pieces of about this many characters
_NOT_WORD = lazy_pattern(r"[^\w\u0300-\u036f\u02bb\u02bc]")  # may end a word


class Transliterator:
    """Converts between Uzbek's alphabets with fixed options; immutable and thread-safe.

    The target (``Options.target``) is ``latin`` (Cyrillic → the 1995 Latin alphabet; 2026
    Latin words are respelled too), ``latin2026`` (Cyrillic and 1995 Latin → the 2026
    letters) or ``cyrillic`` (Latin → Cyrillic, reverse.py). `convert` converts to the
    target; `to_latin` is its name for the Latin targets. Conversion is line-local (no rule
    looks across a line break) and deterministic.

    >>> Transliterator(Options(target="latin2026")).convert("Шаҳар ўғил")
    'Şahar öğil'
    """

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        table = load_rule_table(self.options.rules, self.options.exceptions)
        self.orthography: Orthography = build_orthography(table, self.options)
        self._fast = FastEngine(self.orthography)
        self._cyrillic: Any = None
        self._respell: Any = None
        if self.options.target == "cyrillic":
            from ..directions.reverse import CyrillicConverter

            forward = get_transliterator(Options(rules=self.options.rules,
                                                 exceptions=self.options.exceptions))
            self._cyrillic = CyrillicConverter(self.options, forward.to_latin)
        else:
            from ..directions.latin import Respeller

            self._respell = Respeller(self.options.target, self.options,
                                      self.orthography.kept_spans)
        if self.options.rules is not None or self.options.exceptions:
            plain = Options(rules=self.options.rules, exceptions=self.options.exceptions)
            if self.options == plain:
                _check_user_examples(table, self)
            else:
                get_transliterator(plain)  # checks them

    @property
    def _reference(self) -> ReferenceEngine:
        """The letter-by-letter engine (explain, the preview): the fast engine's own."""
        return self._fast.reference

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled patterns and byte maps are rebuilt from the options on unpickling.
        return (get_transliterator, (self.options,))

    def __repr__(self) -> str:
        return f"Transliterator({self.options!r})"

    @property
    def rules_digest(self) -> str:
        """A short hash of the data files in use (shown by ``translit --version``)."""
        return self.orthography.table.digest

    def convert(self, text: str) -> str:
        """Convert `text` to the target alphabet; what is not to convert comes back as it was.

        >>> Transliterator(Options(target="cyrillic")).convert("Oʻzbekiston")
        'Ўзбекистон'
        """
        return self.convert_bytes(_text(text, "convert")).decode("utf-8", "surrogatepass")

    def convert_bytes(self, text: str, surrogates: str = "surrogatepass") -> bytes:
        """`convert`, straight to UTF-8 bytes (what the streaming converter writes).

        `surrogates` says how lone surrogates are written: ``surrogateescape`` turns the
        ones made by decoding with that error handler back into the original bytes.
        """
        if self._cyrillic is not None:
            converted: str = self._cyrillic.convert(text)
            return converted.encode("utf-8", surrogates)
        text = self._respelled_input(text)
        if len(text) <= PIECE_CHARS:
            data = self._fast.convert(text, surrogates)
        else:  # long text in word-aligned pieces that stay in the CPU caches (same result)
            pieces = word_aligned_pieces(text, PIECE_CHARS, self.safe_cut)
            data = b"".join(self._fast.convert(piece, surrogates) for piece in pieces)
        return data

    # The two Latin alphabets: the rules write the target's letters (rendering.py); Latin
    # words of the input in the other Latin alphabet are respelled before the rules run
    # (latin.py), so that what the rules write (a table of your own may write ş) is never
    # undone.

    def _respelled_input(self, text: str) -> str:
        if self.options.quotes != "unchanged":
            from ..engine.quotes import requote

            text = requote(text, self.options.quotes, self.orthography.kept_spans)
        if self._respell is None or not self._respell.needed(text):
            return text
        respelled: str = self._respell.text(text)
        return respelled

    @functools.cached_property
    def one_pass(self) -> Any:
        """The accelerator's table, set up to convert UTF-8 bytes in one pass (see
        stream/__init__.py), or None (no accelerator; the Cyrillic target; options only the str
        path does: --quotes reads each line's marks in Python)."""
        if self._respell is None or self.options.quotes != "unchanged":
            return None
        return self._fast.one_pass(self._respell.quick, self._respell.target == "latin")

    def to_latin(self, text: str) -> str:
        """Convert `text` to Latin (the Latin targets); what is not Cyrillic comes back
        unchanged, but for Latin words in the other Latin alphabet. On a transliterator to
        Cyrillic, the same options with the target ``latin``.

        >>> Transliterator().to_latin("Шаҳар")
        'Shahar'
        """
        return self.to_latin_bytes(_text(text, "to_latin")).decode("utf-8", "surrogatepass")

    def to_latin_bytes(self, text: str, surrogates: str = "surrogatepass") -> bytes:
        """`to_latin`, straight to UTF-8 bytes."""
        if self._cyrillic is not None:
            latin = get_transliterator(self.options._replace(target="latin"))
            return latin.to_latin_bytes(text, surrogates)
        return self.convert_bytes(_text(text, "to_latin_bytes"), surrogates)

    def to_cyrillic(self, text: str) -> str:
        """Convert Latin `text` to Cyrillic: this transliterator's options with the target
        ``cyrillic``.

        >>> Transliterator().to_cyrillic("Toshkent")
        'Тошкент'
        """
        if self._cyrillic is None:
            cyrillic = get_transliterator(self.options._replace(target="cyrillic"))
            return cyrillic.to_cyrillic(text)
        return self.convert(_text(text, "to_cyrillic"))

    def to_latin_pieces(self, pieces: Sequence[str]) -> list[str]:
        """`convert_pieces` to Latin (on a transliterator to Cyrillic, the same options with
        the target ``latin``, as `to_latin`)."""
        if self._cyrillic is not None:
            return get_transliterator(self.options._replace(target="latin")).convert_pieces(pieces)
        return self.convert_pieces(pieces)

    def convert_pieces(self, pieces: Sequence[str]) -> list[str]:
        """Convert `pieces` as one text; give back each piece's own Latin (or Cyrillic).

        For documents whose formatting splits words (``<b>Ц</b>ентр``, two Word runs): the
        rules see the whole word, and each output piece is the Latin of exactly the letters
        of its piece; a dropped letter (ъ) belongs to its piece, a digraph stays with its
        letter, a word exception's Latin goes to the piece where the exception starts.
        Joined, the output pieces are always the conversion of the joined input.

        >>> get_transliterator().convert_pieces(["Ц", "ентр ва об", "ъект"])
        ['S', 'entr va ob', 'yekt']
        >>> get_transliterator().convert_pieces([])
        []
        """
        if not pieces:
            return []
        if self._cyrillic is None:
            pieces = self._respell.pieces(list(pieces))
            if sum(map(len, pieces)) <= PIECE_CHARS:
                each = self._fast.pieces(pieces)
                if each is not None:  # one character, one Latin: each piece takes its own
                    return each
        return self._streamed_pieces(pieces)

    def _streamed_pieces(self, pieces: Sequence[str]) -> list[str]:
        # Else as a stream would (see stream.convert_chunks): each piece is added to the text held
        # back, and what can be cut off converts now. A part within one piece is converted
        # with the others in one call (joined by line breaks, which no rule looks across);
        # only a part that runs over several pieces (a word split by formatting) is
        # explained, to give each piece its own letters, and it is cut as soon as it can be.
        # Parts in the order they are put back: (piece, part) to convert with the others,
        # or a list of (piece, Latin) for a part that was explained.
        parts: list[tuple[int, str] | list[tuple[int, str]]] = []
        held: list[tuple[int, str]] = []  # (piece, its part not yet converted)
        final = max((i for i, piece in enumerate(pieces) if piece), default=-1)
        for index, piece in enumerate(pieces):
            if not piece:
                continue
            held.append((index, piece))
            last = index == final
            text = "".join(part for _, part in held)
            if len(held) > 1:  # the text held from earlier pieces runs into this one
                cut = self._first_cut(text, len(text) - len(piece), last)
                ready, held = _split_held(held, cut)
                if ready:
                    parts.append(ready[0] if len(ready) == 1 else self._explained_pieces(ready))
                text = "".join(part for _, part in held)
            cut = len(text) if last else self.safe_cut(text)
            ready, held = _split_held(held, cut)
            if ready:
                parts.append(ready[0] if len(ready) == 1 else self._explained_pieces(ready))
        plain = [part for part in parts if isinstance(part, tuple)]
        converted = iter(self._converted_whole("\n".join(text for _, text in plain)).split("\n"))
        out = [""] * len(pieces)
        for part in parts:
            if isinstance(part, tuple):
                index, text = part
                out[index] += "\n".join(itertools.islice(converted, text.count("\n") + 1))
            else:
                for index, latin in part:
                    out[index] += latin
        return out

    def _first_cut(self, text: str, start: int, last: bool) -> int:
        """The first place at or after `start` where `text` can be cut (0: none yet)."""
        candidates = itertools.chain([start], (m.end() for m in _NOT_WORD.finditer(text, start)))
        for candidate in itertools.islice(candidates, 32):
            if candidate and self.safe_cut(text[:candidate]) == candidate:
                return candidate
        return len(text) if last else self.safe_cut(text)

    def _converted_whole(self, text: str) -> str:
        """`convert`, for text whose Latin words are respelled already (the pieces')."""
        if self._cyrillic is not None:
            return self.convert(text)
        return self._fast.convert(text).decode("utf-8", "surrogatepass") if len(
            text) <= PIECE_CHARS else b"".join(self._fast.convert(piece) for piece in
                                               word_aligned_pieces(text, PIECE_CHARS,
                                                                   self.safe_cut)).decode(
            "utf-8", "surrogatepass")

    def _explained_pieces(self, parts: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Convert `parts` (of several pieces) as one text: (piece, Latin) for each piece of
        the output, in order."""
        text = "".join(part for _, part in parts)
        latin = self._fast.latin_of_each(text) if self._cyrillic is None else None
        if latin is not None:  # one character, one Latin: each piece takes its own
            out, done = [], 0
            for index, part in parts:
                out.append((index, "".join(latin[done:done + len(part)])))
                done += len(part)
            return out
        ends = list(itertools.accumulate(len(part) for _, part in parts))
        out = []
        for piece in self.explain(text):
            start, end = piece.span
            first = bisect.bisect_right(ends, start)
            if piece.kind != "passed" or end <= ends[first]:
                out.append((parts[first][0], piece.latin))  # a letter, an exception: where it starts
                continue
            # Text passed through as it is may run over several pieces: split it likewise.
            done = start
            for position in range(first, len(parts)):
                stop = min(end, ends[position])
                out.append((parts[position][0], piece.latin[done - start : stop - start]))
                done = stop
                if done >= end:
                    break
        return out

    def leftovers(self, text: str) -> collections.Counter[str]:
        """The Cyrillic letters of `text` that no table converts (Kazakh ә, Ukrainian ї ...),
        counted; what is kept as it is (an address, -{…}-) is left out.

        >>> get_transliterator().leftovers("әлем https://kz.kz/әлем")
        Counter({'ә': 1})
        """
        found: collections.Counter[str] = collections.Counter()
        pattern = self.orthography.leftover_letters
        if self._cyrillic is not None or pattern.search(text) is None:
            return found  # most text (and Latin to Cyrillic leaves no Cyrillic letter behind)
        spans = self.orthography.kept_spans(text)
        starts = [start for start, _ in spans]
        for match in pattern.finditer(text):
            at = match.start()
            index = bisect.bisect_right(starts, at) - 1
            if index < 0 or at >= spans[index][1]:
                found[match.group()] += 1
        return found

    def safe_cut(self, text: str) -> int:
        """Where `text`, which may go on, can be cut without changing the conversion:
        the part before converts now, the rest waits for more text (see stream/__init__.py)."""
        if self._cyrillic is not None:
            cut: int = self._cyrillic.safe_cut(text)
            return cut
        cut = self.orthography.safe_cut(text)
        if self.options.quotes != "unchanged":  # a mark's level is read within its line
            cut = min(cut, max(text.rfind("\n", 0, cut), text.rfind("\r", 0, cut)) + 1)
        return cut

    def to_latin_many(self, texts: Iterable[str]) -> Iterator[str]:
        """Convert each text of an iterable, lazily (for data pipelines)."""
        return map(self.convert, texts)

    def explain(self, text: str) -> list[Piece]:
        """Which rule or exception produced each piece of the output.

        >>> [(p.source, p.latin, p.reason.split(":")[0]) for p in explain("Сентябрь")]
        [('Сентябр', 'Sentabr', 'exceptions.tsv'), ('ь', '', 'rules.tsv')]
        """
        if self._cyrillic is not None:
            pieces: list[Piece] = self._cyrillic.explain(text)
            return pieces
        if self.options.quotes != "unchanged":
            from ..engine.quotes import requote

            text = requote(text, self.options.quotes, self.orthography.kept_spans)
        if self._respell is None or not self._respell.needed(text):
            return self._reference.explain(text)
        return self._explained_respelling(text)

    def _explained_respelling(self, text: str) -> list[Piece]:
        """`explain` of text with Latin words to respell: each respelled letter a piece of
        its own (kind ``rule``, id ``latin.respelled``), the text between explained by the
        reference engine (a respelled letter is in a Latin word, which no rule reads)."""
        from ..directions.latin import RESPELLED
        from ..engine.reference import Piece

        pieces: list[Piece] = []
        done = out = 0
        for start, end, new in sorted(self._respell.tokens(text)):
            if start > done:
                part = self._reference.explain(text[done:start])
                for piece in part:
                    a, b = piece.span
                    c, d = piece.out_span
                    pieces.append(piece._replace(span=(a + done, b + done),
                                                 out_span=(c + out, d + out)))
                out += sum(len(piece.latin) for piece in part)
            pieces.append(Piece(text[start:end], new, "rule", RESPELLED, (start, end),
                                (out, out + len(new)), text[start:end]))
            out += len(new)
            done = end
        if done < len(text):
            for piece in self._reference.explain(text[done:]):
                a, b = piece.span
                c, d = piece.out_span
                pieces.append(piece._replace(span=(a + done, b + done),
                                             out_span=(c + out, d + out)))
        return pieces

    @property
    def decision_triggers(self) -> list[re.Pattern[str]]:
        """Between them they match wherever `explain` may report a decision other than a
        word exception (a cheap scan before the slow explanation)."""
        if self._cyrillic is not None:
            triggers: list[re.Pattern[str]] = self._cyrillic.decision_triggers
            return triggers
        if self._respell is not None:  # a Latin word respelled is a decision (latin.respelled)
            return [*self._fast.decision_triggers, self._respell.trigger]
        return self._fast.decision_triggers

    def exception_spans(self, text: str, composed: bool = False) -> list[tuple[int, int, str]]:
        """(start, end, latin) of each word exception in `text` (`composed`: it has no
        decomposed letters to compose first)."""
        if self._cyrillic is not None:
            return []
        return self._fast.exceptions.find(text if composed else self.orthography.repairs.compose(text))

    def decisions(self, text: str) -> list[Piece]:
        """The pieces of `explain` that record a decision (not plain letters or other text)."""
        if self._cyrillic is not None or self.options.quotes != "unchanged" or (
                self._respell is not None and self._respell.needed(text)):
            from ..engine.reference import DECISIONS

            return [piece for piece in self.explain(text) if piece.kind in DECISIONS]
        return self._reference.decisions(text)

    def reference_to_latin(self, text: str) -> str:
        """The same conversion by the slow, letter-by-letter reference engine (the Latin
        respelling before it is one, shared step); on a transliterator to Cyrillic, of the
        same options with the target ``latin``, as `to_latin`."""
        if self._cyrillic is not None:
            return get_transliterator(self.options._replace(target="latin")).reference_to_latin(text)
        return self._reference.convert(self._respelled_input(text))


def _check_user_examples(table: RuleTable, plain: Transliterator) -> None:
    """Every example of the user's own rule or exception files converts as it says.

    (The built-in files' examples are checked by the test suite.) Examples are written in
    the official spelling, so they are checked with the default style options.
    """
    options = plain.options
    own = {str(p) for p in options.exceptions}
    if options.rules is not None:
        own.add(options.rules.name)
    entries: list[tuple[str, tuple[str, str] | None]] = [
        (rule.where, rule.example) for rule in table.rules] + [
        (entry.where, entry.example) for entry in table.exceptions]
    mine = [(where, example) for where, example in entries
            if example is not None and where.rsplit(":", 1)[0] in own]
    for where, (cyrillic, latin) in mine:
        got = plain.to_latin(cyrillic)
        if got != normalize_apostrophes(latin) and got != latin:
            raise RuleFileError(f"{where}: the example {cyrillic} → {latin} converts to {got}")


def _text(text: object, function: str) -> str:
    """`text`, if it is a str; else a TypeError that says what the function takes."""
    if isinstance(text, str):
        return text
    hint = " (decode it first: data.decode('utf-8'))" if isinstance(
        text, (bytes, bytearray, memoryview)) else ""
    raise TypeError(f"{function}() takes text (str), not {type(text).__name__}{hint}")


def get_transliterator(options: Options | None = None) -> Transliterator:
    """The transliterator for `options`, built once and cached.

    >>> converter = get_transliterator(Options(capitals="title"))
    >>> converter.to_latin("АҚШ"), converter is get_transliterator(Options(capitals="title"))
    ('AQSh', True)
    """
    return _cached_transliterator(options or Options())


@functools.lru_cache(maxsize=32)
def _cached_transliterator(options: Options) -> Transliterator:
    return Transliterator(options)


def to_latin(text: str, **options: Unpack[OptionFields]) -> str:
    """Convert Uzbek Cyrillic `text` to Latin; keyword arguments are `Options` fields.

    >>> to_latin("Шаҳар маъно", apostrophe="ascii")
    "Shahar ma'no"
    >>> to_latin(b"\\xd1\\x88")
    Traceback (most recent call last):
    ...
    TypeError: to_latin() takes text (str), not bytes (decode it first: data.decode('utf-8'))
    """
    return get_transliterator(Options(**options)).to_latin(_text(text, "to_latin"))


def to_cyrillic(text: str, **options: Unpack[OptionFields]) -> str:
    """Convert Uzbek Latin `text` (1995 or 2026) to Cyrillic; keyword arguments are
    `Options` fields.

    >>> to_cyrillic("Toshkent shahri, 1-sentabr, film")
    'Тошкент шаҳри, 1-сентябрь, фильм'
    >>> to_cyrillic("2020-yil 1-sentabr", ordinal_dates=True)
    '2020 йил 1 сентябрь'
    """
    options["target"] = "cyrillic"
    return get_transliterator(Options(**options)).convert(text)


def to_latin_many(texts: Iterable[str], **options: Unpack[OptionFields]) -> Iterator[str]:
    """Convert many texts lazily with one cached transliterator.

    >>> list(to_latin_many(["ер", "сув"]))
    ['yer', 'suv']
    """
    return get_transliterator(Options(**options)).to_latin_many(texts)


def explain(text: str, **options: Unpack[OptionFields]) -> list[Piece]:
    """Pieces of `text` with their Latin and the rule or exception that produced them.

    >>> [(p.source, p.latin, p.id) for p in explain("объект") if p.id != "R1." + p.source]
    [('ъ', '', 'R5.2'), ('е', 'ye', 'R2.ye')]
    """
    return get_transliterator(Options(**options)).explain(_text(text, "explain"))


def _split_held(held: list[tuple[int, str]], cut: int) -> tuple[list[tuple[int, str]],
                                                                  list[tuple[int, str]]]:
    """The held parts up to `cut` characters, and the rest (a part may be split)."""
    ready: list[tuple[int, str]] = []
    for position, (index, part) in enumerate(held):
        if cut <= 0:
            return ready, held[position:]
        if len(part) > cut:
            return [*ready, (index, part[:cut])], [(index, part[cut:]), *held[position + 1:]]
        ready.append((index, part))
        cut -= len(part)
    return ready, []
