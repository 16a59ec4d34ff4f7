# The compiled accelerator's interface (translit/engine/_accel.c); built at install where a C
# compiler is, so importing it may fail (fastpath.py and repairs.py fall back then).
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any


class Table:
    def __init__(
        self,
        letters: tuple[tuple[int, bool, tuple[tuple[int, int, int, int, bytes, bytes, bytes], ...]], ...],
        classes: tuple[tuple[int, ...], ...],
        capitals: tuple[int, ...],
        upper_capitals: bool,
        exceptions: tuple[tuple[str, bytes, bool], ...],
        /,
    ) -> None: ...
    def convert(self, text: str, surrogateescape: bool, /) -> bytes: ...
    def set_one_pass(
        self,
        python: tuple[int, ...],
        cyrillic: tuple[int, int],
        ascii_letters: str,
        sh: bool,
        starts: tuple[bytes, ...],
        not_in_address: str,
        spaces: bool,
        tail: str,
        /,
    ) -> None: ...
    def convert_utf8(self, data: bytes, start: int, end: int, /) -> tuple[bytes, int, int]: ...
    def flags(self, code: int, /) -> int: ...
    def decisions(
        self, text: str, flags: bytes, /
    ) -> tuple[int, list[tuple[int, int, int, int, int, int]]]: ...

def touches_cyrillic(text: str, stand_ins: bool, /) -> bool: ...

# Latin → Cyrillic's plain tokens in one pass (directions/plainwords.py, PlainWords.accelerated)
def plain_table(
    alphabet: str,
    sequences: tuple[tuple[str, tuple[tuple[str, str, str, bytes, bytes], ...]], ...],
    excluded: tuple[Collection[str], ...],
    names: Iterable[str],
    lexicon: dict[str, Any] | WordSet,
    vowels: str,
    consonants: str,
    okina_after: str,
    hazards: tuple[str, ...],
    prepare: Callable[[Any], tuple[int, str, str, str, str]],
    suffix_match: Callable[..., object],
    stem_slots: tuple[tuple[str, ...], ...],
    inflection_slots: tuple[tuple[str, ...], ...],
    apostrophes: str,
    /,
) -> object: ...
def plain_region(table: object, text: str, runs: dict[str, bytes],
                 kept: list[tuple[int, int]] | None = None, /) -> list[bytes | str]: ...

# The word lists and the lexicon's keys read from their files' bytes (tables/wordlists.py)
class WordSet:
    def __contains__(self, word: object, /) -> bool: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[str]: ...
    def __getitem__(self, key: str, /) -> int: ...  # lexicon_keys's: the key's line
    def line(self, number: int, /) -> str: ...
    def longest(self) -> int: ...

def word_set(data: bytes, /) -> WordSet | None: ...
def lexicon_keys(data: bytes, /) -> WordSet | None: ...

# suffix_pattern's match without its regex (tables/wordlists.py, suffix_matcher)
class SuffixMatcher:
    def match(self, text: str, pos: int = 0, /) -> bool | None: ...

def suffix_matcher(slots: tuple[tuple[str, ...], ...], /) -> SuffixMatcher: ...

