"""records.NamedTuple makes the classes typing.NamedTuple makes (only faster)."""

from __future__ import annotations

import pickle
import typing

import pytest

from translit.base import records


def both(body: str) -> tuple[type, type]:
    made = []
    for base in (typing.NamedTuple, records.NamedTuple):
        namespace: dict[str, object] = {"NamedTuple": base}
        exec(f"class Point(NamedTuple):\n{body}", namespace)
        made.append(namespace["Point"])
    return made[0], made[1]


BODY = ('    """A point."""\n    x: int\n    y: str = "a"\n    z: float = 1.5\n'
        '    def twice(self):\n        return self.x * 2\n'
        '    @property\n    def norm(self):\n        return abs(self.x)\n')


def test_the_same_fields_defaults_methods_and_behaviour():
    expected, made = both(BODY)
    for attribute in ("_fields", "_field_defaults", "__doc__", "__match_args__", "__name__"):
        assert getattr(made, attribute) == getattr(expected, attribute), attribute
    for args, kwargs in (((1,), {}), ((1, "b"), {"z": 2.0}), ((), {"x": -3})):
        one, other = expected(*args, **kwargs), made(*args, **kwargs)
        assert tuple(one) == tuple(other) and repr(one) == repr(other)
        assert one._asdict() == other._asdict()
        assert tuple(one._replace(y="q")) == tuple(other._replace(y="q"))
        assert (one.twice(), one.norm) == (other.twice(), other.norm)
        assert tuple(made._make(one)) == tuple(one)
    for args, kwargs in (((), {}), ((1,), {"q": 2}), ((1, 2, 3, 4), {}), ((1,), {"x": 1})):
        with pytest.raises(TypeError) as one:
            expected(*args, **kwargs)
        with pytest.raises(TypeError) as other:
            made(*args, **kwargs)
        assert str(one.value) == str(other.value)
    with pytest.raises(ValueError):
        made(1)._replace(w=1)


def test_a_field_without_default_after_one_with_is_refused():
    with pytest.raises(TypeError):
        both("    x: int = 1\n    y: int\n")


def test_translit_records_pickle_as_they_are():
    from translit.files import FileOptions
    from translit.base.options import Options

    settings = FileOptions(options=Options(target="latin2026"), jobs=3)
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert type(pickle.loads(pickle.dumps(settings))) is FileOptions
