# The compiled accelerator's interface (translit/engine/_accel.c); built at install where a C
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

def touches_cyrillic(text: str, stand_ins: bool, /) -> bool: ...
