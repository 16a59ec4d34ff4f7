# The compiled part of the preview's interface (translit/preview/_drawing.c); built at install
# where a C compiler is, so importing it may fail (the preview's Python loops draw then).

def word_pairs(before: str, end: int, after: str,
               hits: list[int], /) -> list[tuple[int, int, int, int]] | None: ...
def side_rows(before: str, after: str, width: int, left: list[tuple[int, int, str, str]],
              right: list[tuple[int, int, str, str]], first: str, rest: str, middle: str,
              spaces: str, /) -> list[str]: ...
