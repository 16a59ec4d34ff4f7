# The compiled accelerator's interface (translit/_accel.c); built at install where a C
# compiler is, so importing it may fail (fastpath.py and repairs.py fall back then).

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

def touches_cyrillic(text: str, stand_ins: bool, /) -> bool: ...
