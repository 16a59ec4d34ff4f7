"""JSON (``.json``): string values, never keys; the layout byte for byte.

Every string that is not an object's key is converted, its placeholders (``{name}``,
``%s``, ``{{count}}``) and escapes kept; a ``\\uXXXX`` escape of a Cyrillic letter is
converted and written back as escapes where the Latin is not ASCII (``\\u02bb`` for ʻ), so a
file written with ASCII only stays ASCII. Everything between the strings stays as it was.
The file is checked to be valid JSON first (an invalid one is an error, and nothing is
written); it is read whole.

>>> from translit.converter.transliterator import get_transliterator
>>> from translit.formats.base import Job, Setting
>>> messages = make(Job(get_transliterator()), Setting())
>>> messages.feed('{"сарлавҳа": "Салом, {исм}!", "n": ["\\\\u0446\\\\u0435\\\\u043d\\\\u0442\\\\u0440"]}')
''
>>> print(messages.finish())
{"сарлавҳа": "Salom, {исм}!", "n": ["sentr"]}
"""

from __future__ import annotations

import functools
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]

from .errors import FormatError
from .base import Job, Runs, Setting, Transform, WholeTransform

_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
                     r"|\\u[0-9a-fA-F]{4}|\\.")
_SIMPLE = {'\\"': '"', "\\\\": "\\", "\\/": "/", "\\b": "\b", "\\f": "\f", "\\n": "\n",
           "\\r": "\r", "\\t": "\t"}
_SPACE = " \t\r\n"
_SURROGATE_SECOND = frozenset("89abcdefABCDEF")


def make(job: Job, setting: Setting) -> Transform:
    """The converter of one JSON file."""
    return JsonTransform(job, setting)


class JsonTransform(WholeTransform):
    """The whole file is held, checked, then its string values converted."""

    def converted(self, text: str) -> str:
        body = text[1:] if text.startswith("\ufeff") else text
        try:
            # Each object is let go as soon as it is read (None for it): the tree of all
            # the file's objects was built only to be checked (small objects: 20 times
            # the file's size).
            json.loads(body, object_pairs_hook=_nothing)
        except json.JSONDecodeError as error:
            raise FormatError(f"not valid JSON: {error.msg} (line {error.lineno}, column "
                              f"{error.colno}); nothing converted") from None
        except RecursionError:
            raise FormatError("JSON nested too deeply; nothing converted") from None
        return convert_strings(text, self.job)


def _nothing(pairs: object) -> None:
    return None


def convert_strings(text: str, job: Job) -> str:
    """`text`, valid JSON, with its string values converted and everything else as it was.

    In valid JSON every quote outside a string starts one, and a string followed by a
    colon is a key. Each string is a run of its own (the runs are converted together: a
    file of a million short strings is not a million calls of the engine).

    >>> from translit.converter.transliterator import get_transliterator
    >>> convert_strings('{"ключ": ["Салом", "\\u0446"]}', Job(get_transliterator()))
    '{"ключ": ["Salom", "s"]}'
    """
    runs = Runs(job)
    done = 0
    start = text.find('"')
    while start >= 0:
        _, end = scanstring(text, start + 1)  # end: just after the closing quote
        after = end
        while after < len(text) and text[after] in _SPACE:
            after += 1
        is_key = after < len(text) and text[after] == ":"
        content = text[start + 1:end - 1]
        runs.boundary(text[done:start + 1])
        if is_key:
            runs.boundary(content)
        else:
            _add_string(content, runs)
        runs.boundary('"')
        done = end
        start = text.find('"', end)
    runs.boundary(text[done:])
    return runs.finish()


def _add_string(content: str, runs: Runs) -> None:
    """A string's content as written: its text to convert, its escapes kept."""
    if "\\" not in content:  # (most strings: no escape)
        runs.text_with_placeholders(content)
        return
    done = 0
    simple: list[str] = []  # escapes of one character (\\n, \\\\) one after another
    for match in _ESCAPE.finditer(content):
        escape = match.group()
        if simple and (match.start() > done or escape.startswith("\\u")):
            _add_simple(simple, runs)
        if match.start() > done:
            runs.text_with_placeholders(content[done:match.start()])
        if escape[2:3] in "dD" and escape[3:4] in _SURROGATE_SECOND and len(escape) == 6:
            runs.kept(escape)  # half of a character alone: no letter, and no text to convert
        elif escape.startswith("\\u"):
            runs.reference(escape, _decoded(escape), spell=_SPELL[
                any(c in "ABCDEF" for c in escape)])
        else:
            simple.append(escape)
        done = match.end()
    if simple:
        _add_simple(simple, runs)
    runs.text_with_placeholders(content[done:])


def _add_simple(escapes: list[str], runs: Runs) -> None:
    """Escapes of one character, one after another, as one reference (each stands for no
    letter, and is written as it was unless the rules change what it stands for: a string
    of a million backslashes was a million pieces). They are taken from the list."""
    runs.reference("".join(escapes), "".join(_SIMPLE.get(e, e[1:]) for e in escapes),
                   spell=functools.partial(_respelled, tuple(escapes)))
    escapes.clear()


def _respelled(escapes: tuple[str, ...], new: str) -> str:
    """Escapes of one character once what they stand for is converted (`new`: --quotes
    changed a mark, ``\\"`` → “), written back as escapes: each as it was where it stands
    for the same character, the others as JSON writes them (``\\u201c``), so that the
    string stays valid (a backslash and a mark were written decoded, not JSON) and an
    ASCII file ASCII.

    >>> print(_respelled(("\\\\n", '\\\\"'), "\\n“"))
    \\n\\u201c
    """
    if len(new) != len(escapes):  # (no rule changes how many characters they stand for)
        return json.dumps(new)[1:-1]
    return "".join(escape if _SIMPLE.get(escape, escape[1:]) == char else json.dumps(char)[1:-1]
                   for escape, char in zip(escapes, new))


@functools.lru_cache(maxsize=4096)
def _decoded(escape: str) -> str:
    """What a \\u escape (or a pair of them) stands for (each file has few different ones,
    and a string of escapes many of each: json.loads once each)."""
    return json.loads(f'"{escape}"')  # type: ignore[no-any-return]


def _escaped_like(latin: str, upper: bool) -> str:
    """Latin for a \\u escape: ASCII as it is, anything else as \\u escapes."""
    return "".join(c if c.isascii() else (f"\\u{ord(c):04X}" if upper else f"\\u{ord(c):04x}")
                   for c in latin)


# How a \\u escape's Latin is written, by whether the escape's hexadecimal was upper case.
_SPELL = {upper: functools.partial(_escaped_like, upper=upper) for upper in (False, True)}
