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
