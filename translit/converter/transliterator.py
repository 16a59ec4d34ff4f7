"""The public converter: a `Transliterator` built once from `Options` (the shortcuts,
`to_latin` and the others, are shortcuts.py's).

>>> Transliterator(Options(target="latin2026")).to_latin("шаҳар")
'şahar'
"""

from __future__ import annotations

import collections
import functools
import re
from collections.abc import Iterable, Iterator, Sequence

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any

    from ..base.options import Target
    from ..directions.direction import Direction
    from ..engine.fastpath import LocalTriggers, Trigger
    from ..engine.model import Orthography
    from ..engine.reference import Piece

from ..directions.direction import make_direction
from ..base.options import Options
from ..tables.rules import RuleFileError, RuleTable, Where, load_rule_table, normalize_apostrophes
from ..directions.latin_targets import PIECE_CHARS as PIECE_CHARS
from ..engine import invisible


class Transliterator:
    """Converts between Uzbek's alphabets with fixed options; immutable and thread-safe.

    The target (``Options.target``) is ``latin`` (Cyrillic → the 1995 Latin alphabet; 2026
    Latin words are respelled too), ``latin2026`` (Cyrillic and 1995 Latin → the 2026
    letters) or ``cyrillic`` (Latin → Cyrillic, reverse.py). `convert` converts to the
    target; `to_latin` is its name for the Latin targets. Conversion is line-local (no rule
    looks across a line break) and deterministic. What differs between the targets is the
    `direction`'s (direction.py), picked once here.

    >>> Transliterator(Options(target="latin2026")).convert("Шаҳар ўғил")
    'Şahar öğil'
    """

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self.direction: Direction = make_direction(self.options, _direction_of)
        if self.options.rules is not None or self.options.exceptions:
            plain = Options(rules=self.options.rules, exceptions=self.options.exceptions)
            if self.options == plain:
                _check_user_examples(load_rule_table(plain.rules, plain.exceptions), self)
            else:
                get_transliterator(plain)  # checks them

    @property
    def orthography(self) -> Orthography:
        """The forward rules with these options' kept spans and repairs."""
        return self.direction.orthography

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled patterns and byte maps are rebuilt from the options on unpickling.
        return (get_transliterator, (self.options,))

    def __repr__(self) -> str:
        return f"Transliterator({self.options!r})"

    @property
    def rules_digest(self) -> str:
        """A short hash of the data files in use (shown by ``translit --version``)."""
        return self.orthography.table.digest

    def _to(self, target: Target) -> Transliterator:
        """The transliterator of these options with the target `target` (this one, if it
        is its own)."""
        options = self.options._replace(target=target)
        return self if options == self.options else get_transliterator(options)

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
        if invisible.has_invisible(text):  # a soft hyphen ...: the rules read through it
            return self.convert_pieces([text])[0].encode("utf-8", surrogates)
        return self.direction.convert_bytes(text, surrogates)

    @property
    def one_pass(self) -> Any:
        """The accelerator's table, set up to convert UTF-8 bytes in one pass (see
        stream/__init__.py), or None (no accelerator; the Cyrillic target; options only the str
        path does: --quotes reads each line's marks in Python)."""
        return self.direction.one_pass

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
        return self._to(self.direction.latin_target).convert_bytes(
            _text(text, "to_latin_bytes"), surrogates)

    def to_cyrillic(self, text: str) -> str:
        """Convert Latin `text` to Cyrillic: this transliterator's options with the target
        ``cyrillic``.

        >>> Transliterator().to_cyrillic("Toshkent")
        'Тошкент'
        """
        return self._to("cyrillic").convert(_text(text, "to_cyrillic"))

    def to_latin_pieces(self, pieces: Sequence[str]) -> list[str]:
        """`convert_pieces` to Latin (on a transliterator to Cyrillic, the same options with
        the target ``latin``, as `to_latin`)."""
        return self._to(self.direction.latin_target).convert_pieces(pieces)

    def convert_pieces(self, pieces: Sequence[str]) -> list[str]:
        """Convert `pieces` as one text; give back each piece's own Latin (or Cyrillic).

        For documents whose formatting splits words (``<b>Ц</b>ентр``, two Word runs): the
        rules see the whole word, and each output piece is the Latin of exactly the letters
        of its piece; a dropped letter (ъ) belongs to its piece, a digraph stays with its
        letter, a word exception's Latin goes to the piece where the exception starts.
        Joined, the output pieces are always the conversion of the joined input
        (alignment.py). Invisible characters inside a word (a soft hyphen) are read
        through, as formatting is (engine/invisible.py).

        >>> get_transliterator().convert_pieces(["Ц", "ентр ва об", "ъект"])
        ['S', 'entr va ob', 'yekt']
        >>> get_transliterator().convert_pieces([])
        []
        """
        if not pieces:
            return []
        if any(map(invisible.has_invisible, pieces)):
            return invisible.through(pieces, self._visible_pieces)
        return self.direction.convert_pieces(pieces)

    def _visible_pieces(self, pieces: Sequence[str]) -> list[str]:
        return self.direction.convert_pieces(pieces) if pieces else []

    def leftovers(self, text: str) -> collections.Counter[str]:
        """The Cyrillic letters of `text` that no table converts (Kazakh ә, Ukrainian ї ...),
        counted; what is kept as it is (an address, -{…}-) is left out.

        >>> get_transliterator().leftovers("әлем https://kz.kz/әлем")
        Counter({'ә': 1})
        """
        return self.direction.leftovers(text)

    def safe_cut(self, text: str) -> int:
        """Where `text`, which may go on, can be cut without changing the conversion:
        the part before converts now, the rest waits for more text (see stream/__init__.py)."""
        if invisible.has_invisible(text):
            return invisible.visible_cut(text, self.direction.safe_cut)
        return self.direction.safe_cut(text)

    def to_latin_many(self, texts: Iterable[str]) -> Iterator[str]:
        """Convert each text of an iterable, lazily (for data pipelines)."""
        return map(self.convert, texts)

    def explain(self, text: str) -> list[Piece]:
        """Which rule or exception produced each piece of the output.

        >>> pieces = get_transliterator().explain("Сентябрь")
        >>> [(p.source, p.latin, p.reason.split(":")[0]) for p in pieces]
        [('Сентябр', 'Sentabr', 'exceptions.tsv'), ('ь', '', 'rules.tsv')]
        """
        if invisible.has_invisible(text):
            return invisible.explained(text, self.direction.explain, self._visible_pieces)
        return self.direction.explain(text)

    @property
    def decision_triggers(self) -> list[re.Pattern[str]]:
        """Between them they match wherever `explain` may report a decision other than a
        word exception (a cheap scan before the slow explanation)."""
        return self.direction.decision_triggers

    @property
    def trigger_parts(self) -> tuple[LocalTriggers | None, list[Trigger]]:
        """`decision_triggers` in two parts: the rule table's, as data (None: none), which
        are the first of them, and the rest."""
        return self.direction.trigger_parts

    def exception_spans(self, text: str, composed: bool = False) -> list[tuple[int, int, str]]:
        """(start, end, latin) of each word exception in `text` (`composed`: it has no
        decomposed letters to compose first)."""
        return self.direction.exception_spans(text, composed)

    def decisions(self, text: str) -> list[Piece]:
        """The pieces of `explain` that record a decision (not plain letters or other text)."""
        if invisible.has_invisible(text):
            from ..engine.reference import DECISIONS

            return [piece for piece in self.explain(text) if piece.kind in DECISIONS]
        return self.direction.decisions(text)

    def in_target_script(self, text: str) -> bool:
        """Whether `text` holds nothing the conversion is for (see
        `translit.batch.in_target_script`)."""
        return self.direction.in_target_script(text)

    def reference_to_latin(self, text: str) -> str:
        """The same conversion by the slow, letter-by-letter reference engine (the Latin
        respelling before it is one, shared step); on a transliterator to Cyrillic, of the
        same options with the target ``latin``, as `to_latin`."""
        direction = self._to(self.direction.latin_target).direction
        if invisible.has_invisible(text):  # read through, as `convert` reads it
            from ..directions.alignment import explained_pieces  # (not on the plain filter's way)

            return invisible.through(
                [text], lambda pieces: explained_pieces(pieces, direction.explain))[0]
        return direction.reference(text)


def _check_user_examples(table: RuleTable, plain: Transliterator) -> None:
    """Every example of the user's own rule or exception files converts as it says.

    (The built-in files' examples are checked by the test suite.) Examples are written in
    the official spelling, so they are checked with the default style options.
    """
    options = plain.options
    own = {str(p) for p in options.exceptions}
    if options.rules is not None:
        own.add(options.rules.name)
    entries: list[tuple[Where, tuple[str, str] | None]] = [
        (rule.where, rule.example) for rule in table.rules] + [
        (entry.where, entry.example) for entry in table.exceptions]
    mine = [(where, example) for where, example in entries
            if example is not None and where.file in own]
    for where, (cyrillic, latin) in mine:
        got = plain.to_latin(cyrillic)
        if got != normalize_apostrophes(latin) and got != latin:
            raise RuleFileError(f"{where}: the example {cyrillic} → {latin} converts to {got}")


def _direction_of(options: Options) -> Direction:
    """The direction of the cached transliterator for `options` (one forward engine for
    them, whichever direction asks)."""
    return get_transliterator(options).direction


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
