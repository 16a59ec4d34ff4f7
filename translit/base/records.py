"""`NamedTuple` for translit's own record classes: the same classes, made in microseconds.

`typing.NamedTuple` spends 0.2-0.4 ms making each class: every annotation (a string, with
``from __future__ import annotations``) is compiled into a ForwardRef, and the class's
``__new__`` is compiled from source, as `collections.namedtuple` does. The plain filter
defines some twenty-five record classes on its way, so that was 5 ms or more of its
start-up. Here ``__new__`` is one template per number of fields, compiled once, whose
argument names are set per class (`CodeType.replace`); the rest is what
`collections.namedtuple` makes. Type checkers see `typing.NamedTuple`::

    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from .records import NamedTuple

>>> class Point(NamedTuple):
...     x: int
...     y: int = 0
>>> Point(1), Point(x=2, y=3)._replace(y=4), Point._fields, Point._field_defaults
(Point(x=1, y=0), Point(x=2, y=4), ('x', 'y'), {'y': 0})
"""

from __future__ import annotations

import sys
import types

from .checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any

from _collections import _tuplegetter  # type: ignore[import-not-found]

# As typing.NamedTuple: what a class body may not define, and what is not copied from it.
_PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields",
                         "_field_defaults", "_make", "_replace", "_asdict", "_source"})
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})
_TEMPLATES: dict[int, Any] = {}


def _new_template(count: int) -> Any:
    """``lambda _cls, _0, _1 ...: tuple.__new__(_cls, (_0, _1 ...))``, compiled once."""
    template = _TEMPLATES.get(count)
    if template is None:
        names = ", ".join(f"_{index}" for index in range(count)) + ("," if count == 1 else "")
        template = eval(f"lambda _cls, {names}: _tuple_new(_cls, ({names}))",
                        {"_tuple_new": tuple.__new__, "__builtins__": {}})
        _TEMPLATES[count] = template
    return template


def record_class(typename: str, fields: tuple[str, ...], defaults: tuple[Any, ...],
                 module: str) -> type:
    """The class `collections.namedtuple(typename, fields, defaults=defaults)` makes."""
    fields = tuple(map(sys.intern, fields))
    template = _new_template(len(fields))
    code = template.__code__.replace(co_varnames=("_cls", *fields), co_name="__new__",
                                     co_qualname=f"{typename}.__new__")
    new = types.FunctionType(code, template.__globals__, "__new__", defaults or None)
    new.__qualname__ = f"{typename}.__new__"
    count = len(fields)
    tuple_new = tuple.__new__

    def _make(cls: type, iterable: Any) -> Any:
        result: Any = tuple_new(cls, iterable)
        if len(result) != count:
            raise TypeError(f"Expected {count} arguments, got {len(result)}")
        return result

    def _replace(self: Any, /, **changes: Any) -> Any:
        result = self._make(map(changes.pop, fields, self))
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return result

    shown = "(" + ", ".join(f"{name}=%r" for name in fields) + ")"

    def __repr__(self: Any) -> str:
        name: str = self.__class__.__name__
        return name + shown % tuple(self)

    def _asdict(self: Any) -> dict[str, Any]:
        return dict(zip(self._fields, self))

    def __getnewargs__(self: Any) -> tuple[Any, ...]:
        return tuple(self)

    namespace: dict[str, Any] = {
        "__doc__": f"{typename}({', '.join(fields)})", "__slots__": (), "_fields": fields,
        "_field_defaults": dict(zip(fields[count - len(defaults):], defaults)),
        "__new__": new, "_make": classmethod(_make), "_replace": _replace,
        "__repr__": __repr__, "_asdict": _asdict, "__getnewargs__": __getnewargs__,
        "__match_args__": fields}
    for index, name in enumerate(fields):
        namespace[name] = _tuplegetter(index, f"Alias for field number {index}")
    result = type(typename, (tuple,), namespace)
    result.__module__ = module
    return result


class _RecordMeta(type):
    def __new__(cls, typename: str, bases: tuple[type, ...], namespace: dict[str, Any]
                ) -> Any:
        annotations = namespace.get("__annotations__", {})
        fields = tuple(annotations)
        defaults = []
        for name in fields:
            if name in namespace:
                defaults.append(namespace[name])
            elif defaults:
                raise TypeError(f"Non-default namedtuple field {name} cannot follow "
                                f"default field{'s' if len(defaults) > 1 else ''} "
                                f"{', '.join(fields[:len(defaults)])}")
        made = record_class(typename, fields, tuple(defaults), namespace["__module__"])
        made.__annotations__ = dict(annotations)
        for key, value in namespace.items():
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in fields:
                setattr(made, key, value)
        return made


def NamedTuple(typename: str, fields: Any = None, /, **kwargs: Any) -> Any:
    """Only the class form (``class Point(NamedTuple): ...``) is provided."""
    raise TypeError("use the class form: class Name(NamedTuple): ...")


_Base = type.__new__(_RecordMeta, "NamedTuple", (), {})
NamedTuple.__mro_entries__ = lambda bases: (_Base,)  # type: ignore[attr-defined]
