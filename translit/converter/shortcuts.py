"""The shortcuts of the library: one call converts a text with a cached `Transliterator`.

A module of its own, beside transliterator.py: its signatures read `typing` (``Unpack``,
`OptionFields`) at run time, for `typing.get_type_hints` and the tools that use it, and
the command (which never calls these) does not import typing (base/checking.py).

>>> to_latin("Шаҳар ва ЎЗБЕКИСТОН")
'Shahar va OʻZBEKISTON'
>>> to_latin("маъно", apostrophe="ascii")
"ma'no"
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Unpack

from ..base.option_fields import OptionFields
from ..base.options import Options
from ..engine.reference import Piece
from .transliterator import _text, get_transliterator

__all__ = ["explain", "to_cyrillic", "to_latin", "to_latin_many"]


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
