"""``TYPE_CHECKING``, without importing `typing`.

The modules the plain filter imports do not import `typing` (about 3 ms of its start-up:
it imports more modules and builds its special forms). They import this name instead,
which type checkers read as true (as they read any ``TYPE_CHECKING``), and import from
typing only under it; what they need at run time is written without it: a choice's values
as a tuple (the ``Literal`` beside it is for type checkers, and a test holds the two
equal), a protocol as a class that documents it, a record class by records.py.
tests/test_shape.py holds the plain filter to that.
"""

TYPE_CHECKING = False


def literals_made_when_asked(namespace: dict[str, object], literals: dict[str, tuple[str, ...]]
                             ) -> object:
    """A module's ``__getattr__`` that makes each of its ``Literal`` types from its tuple of
    values when code first asks for it at run time (typing is imported then), and keeps it.

    >>> space = {"__name__": "demo"}
    >>> __getattr__ = literals_made_when_asked(space, {"Mode": ("a", "b")})
    >>> __getattr__("Mode"), "Mode" in space
    (typing.Literal['a', 'b'], True)
    """
    def __getattr__(name: str) -> object:
        values = literals.get(name)
        if values is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        from typing import Literal

        made = namespace[name] = Literal[values]
        return made

    return __getattr__
