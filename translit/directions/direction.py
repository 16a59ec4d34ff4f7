"""A direction of conversion: what `Transliterator` asks of the target it converts to.

One implementation per target (``Options.target``): ``latin`` (Cyrillic → the 1995 Latin
alphabet) and ``latin2026`` (Cyrillic → the 2026 letters), both of which respell the Latin
words of the input in the other Latin alphabet (1995 ↔ 2026, latin.py), are
latin_targets.py's; ``cyrillic`` (Latin → Cyrillic) is cyrillic_target.py's. The
transliterator picks its direction once, with `make_direction`, and asks it everything that
differs between the targets: nothing outside the directions branches on the target.

A new direction is a class with the members of `Direction` and a line in `DIRECTIONS`
(and its name in ``options.TARGETS``).

>>> from translit.converter.transliterator import get_transliterator
>>> direction = get_transliterator(Options(target="cyrillic")).direction
>>> direction.target, direction.script, direction.convert("Toshkent")
('cyrillic', 'Cyrl', 'Тошкент')
"""

from __future__ import annotations

import collections
import re
from collections.abc import Callable, Sequence

from ..base.options import Options

from ..base.checking import TYPE_CHECKING, literals_made_when_asked  # not typing's
if TYPE_CHECKING:
    from typing import Any, Literal, Protocol

    from ..base.options import Target
    from ..engine.fastpath import LocalTriggers, Trigger
    from ..engine.model import Orthography
    from ..engine.reference import Piece

# The class of each target's direction, as module:class (imported when first used: the
# plain filter to Latin never imports the Cyrillic direction).
DIRECTIONS = {
    "latin": "latin_targets:Latin1995",
    "latin2026": "latin_targets:Latin2026",
    "cyrillic": "cyrillic_target:Cyrillic",
}

# How fast a direction converts: ``fast``, the compiled accelerator's one pass over the
# bytes (hundreds of megabytes a second); ``medium``, a compiled pass over the words with
# the rest decided word by word in Python (Latin → Cyrillic: tens of megabytes a second,
# each worker deciding the words it meets first again); ``slow``, every word decided in
# Python (a few megabytes a second). Splitting a file over worker processes pays at a
# smaller size for the slower ones (files/operations.py).
THROUGHPUTS = ("fast", "medium", "slow")
if TYPE_CHECKING:
    Throughput = Literal["fast", "medium", "slow"]
else:  # a protocol for type checkers; at run time a class that documents it
    Protocol = object
    __getattr__ = literals_made_when_asked(globals(), {"Throughput": THROUGHPUTS})


class Direction(Protocol):
    """What a transliterator asks of its direction (see the module's docstring)."""

    target: Target  # its Options.target
    script: str  # what it writes, as ISO 15924 (Latn, Cyrl): language tags say so
    source_script: str  # what it converts from
    throughput: Throughput
    # About how many bytes of output (UTF-8) a byte of input makes: Latin → Cyrillic doubles
    # a letter's bytes (a → а); Cyrillic → Latin keeps or shrinks most (ш → sh, а → a), and
    # only ў and ғ grow (oʻ, gʻ: 3 bytes of 2, 4 with ‘), so that its text shrinks as a whole.
    # Worker processes take smaller pieces where the output grows (files/parallel.py).
    growth: float
    latin_target: Target  # the target `Transliterator.to_latin` converts to
    # The preview explains a changed line whole (a decision reads the words around it: a
    # foreign phrase), not only the words a trigger points at.
    explains_whole_lines: bool
    # The data files it reads (all of them loaded by rules.py and wordlists.py).
    tables: tuple[str, ...]

    @property
    def orthography(self) -> Orthography:
        """The forward rules with the options' kept spans and repairs."""

    @property
    def one_pass(self) -> Any:
        """The accelerator's table for UTF-8 bytes in one pass, or None (stream/__init__.py)."""

    @property
    def decision_triggers(self) -> list[re.Pattern[str]]:
        """Between them they match wherever `explain` may report a decision other than a
        word exception (a cheap scan before the slow explanation)."""

    @property
    def trigger_parts(self) -> tuple[LocalTriggers | None, list[Trigger]]:
        """`decision_triggers` in two parts: the rule table's, as data (None: none), which
        are the first of them, and the rest (the preview scans the first part compiled)."""

    def prepare_for_workers(self) -> None:
        """Build now what converting would build when first needed, before worker processes
        are forked (they share it, rather than each building it again)."""

    def convert(self, text: str) -> str: ...
    def convert_bytes(self, text: str, surrogates: str) -> bytes: ...
    def convert_pieces(self, pieces: Sequence[str]) -> list[str]: ...
    def safe_cut(self, text: str) -> int: ...
    def explain(self, text: str) -> list[Piece]: ...
    def decisions(self, text: str) -> list[Piece]: ...
    def exception_spans(self, text: str, composed: bool = False) -> list[tuple[int, int, str]]: ...
    def leftovers(self, text: str) -> collections.Counter[str]: ...
    def in_target_script(self, text: str) -> bool: ...
    def reference(self, text: str) -> str: ...


# The direction of other options, built once for them (the transliterators' cache): a
# direction that needs another (the Cyrillic one reads with the forward rules) takes it so.
DirectionOf = Callable[[Options], Direction]


def make_direction(options: Options, direction_of: DirectionOf) -> Direction:
    """A new direction to the target of `options`."""
    module, name = DIRECTIONS[options.target].split(":")
    # __import__ with a fromlist returns the module itself: importlib.import_module's
    # answer, without importing importlib (and warnings with it) on the plain filter's way.
    made: Direction = getattr(__import__(f"{__package__}.{module}", fromlist=(name,)), name)(
        options, direction_of)
    return made
