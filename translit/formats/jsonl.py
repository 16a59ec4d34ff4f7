"""JSON Lines (``.jsonl``, ``.ndjson``): one JSON value a line; string values converted,
never keys, or only the fields named (``--field text --field meta.title``).

Each line stays one line, and everything but the converted strings stays byte for byte:
spacing, key order, numbers, escapes of the strings left alone. A converted string is
written as ``json.dumps`` writes it, in ASCII with ``\\u`` escapes if it was so written
(Python's ``json.dumps`` default), else as UTF-8. A blank line is copied; a line that is
not valid JSON is an error naming its line (or, with ``--skip-bad-records``, counted and
copied as it was). Lines are read and converted a block at a time: memory is bounded by
the block, not the file.

>>> import io
>>> from translit.converter.transliterator import get_transliterator
>>> from translit.formats.corpus import RecordJob
>>> from translit.base.options import RecordOptions
>>> source = io.BytesIO('{"текст": "Салом", "meta": {"title": "Хабар", "n": 1}}\\n'.encode())
>>> sink = io.BytesIO()
>>> convert(source, sink, RecordJob(get_transliterator()))
>>> print(sink.getvalue().decode())
{"текст": "Salom", "meta": {"title": "Xabar", "n": 1}}
<BLANKLINE>
>>> job = RecordJob(get_transliterator(), RecordOptions(fields=("meta.title",)))
>>> sink = io.BytesIO()
>>> convert(io.BytesIO('{"text": "Салом", "meta": {"title": "Хабар"}}'.encode()), sink, job)
>>> print(sink.getvalue().decode())
{"text": "Салом", "meta": {"title": "Xabar"}}
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, NamedTuple

from .corpus import RecordJob

_TOKEN = re.compile(r'[{}\[\]",]')
_BLANK = re.compile(r"\A[ \t\r\n\ufeff]*\Z")


class _Value(NamedTuple):
    start: int  # just after the opening quote
    end: int  # at the closing quote
    path: str  # the keys leading to it, dotted
    text: str  # decoded


def string_values(line: str) -> Iterator[_Value]:
    """The string values of a line of valid JSON (never its keys), with their places and
    the dotted path of keys leading to each (array indices are not part of it).

    >>> [(v.path, v.text) for v in string_values('{"a": {"b": ["x", 1, "y"]}, "c": "z"}')]
    [('a.b', 'x'), ('a.b', 'y'), ('c', 'z')]
    """
    keys: list[str | None] = []  # one per open object (its current key) or array (None)
    last = ""
    position = 0
    while (match := _TOKEN.search(line, position)) is not None:
        token = match.group()
        position = match.end()
        if token == '"':
            text, end = scanstring(line, position)
            if keys and keys[-1] is not None and last in "{,":  # an object's key
                keys[-1] = text
            else:
                path = ".".join(key for key in keys if key is not None)
                yield _Value(position, end - 1, path, text)
            position = end
        elif token == "{":
            keys.append("")
        elif token == "[":
            keys.append(None)
        elif token in "}]":
            keys.pop()
        last = token


# In valid JSON every quote outside a string opens one: the string literals, left to right,
# and whether each is a key (a colon follows).
_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"(\s*:)?', re.DOTALL)


def every_string_value(line: str) -> Iterator[_Value]:
    """`string_values` without the paths (all of them are converted), by one regular
    expression: most corpora are converted so, and this is several times faster.

    >>> [v.text for v in every_string_value('{"a": ["x\\u00e9", 1], "b": {"c": "z"}}')]
    ['xé', 'z']
    """
    for match in _STRING.finditer(line):
        if match.group(2) is None:
            content = match.group(1)
            text = json.loads(match.group()) if "\\" in content else content
            yield _Value(match.start(1), match.end(1), "", text)


def _chosen(path: str, fields: tuple[str, ...]) -> bool:
    return not fields or any(path == f or path.startswith(f + ".") for f in fields)


_ESCAPED = re.compile(r'["\\\x00-\x1f\x7f\u2028\u2029\ud800-\udfff]')


def _written(text: str, raw: str) -> str:
    """A converted string's content as JSON writes it, in ASCII if `raw` was escaped so."""
    ascii_only = "\\u" in raw and raw.isascii()
    if not ascii_only and _ESCAPED.search(text) is None:
        return text  # nothing to escape (the usual case): as json.dumps would write it
    return json.dumps(text, ensure_ascii=ascii_only)[1:-1]


def convert(source: Any, sink: Any, job: RecordJob) -> None:
    """Convert the JSON Lines read from `source` into `sink` (None: only count)."""
    number = 0
    each = job.wants_each
    fields = job.options.fields
    for block in job.lines(source):
        lines: list[tuple[int, bytes, str | None, list[_Value]]] = []
        texts: list[str] = []
        for raw in block:
            number += 1
            job.bytes_in += len(raw)
            line = job.decode(raw, number)
            values: list[_Value] = []
            if line is not None and not _BLANK.match(line):
                try:
                    json.loads(line[1:] if line.startswith("\ufeff") else line)
                except (json.JSONDecodeError, RecursionError) as error:
                    why = (f"not valid JSON: {error.msg} (column {error.colno})"
                           if isinstance(error, json.JSONDecodeError) else "nested too deeply")
                    job.bad_record(number, why)
                    line = None
                else:
                    values = ([v for v in string_values(line) if _chosen(v.path, fields)]
                              if fields or each else list(every_string_value(line)))
                    texts += (v.text for v in values)
            lines.append((number, raw, line, values))
        converted = iter(job.values(texts))
        out: list[bytes] = []
        records, changed_rows = 0, []
        for row, raw, line, values in lines:
            if line is None or (not values and _BLANK.match(line)):
                out.append(raw)  # a bad record or a blank line: as it was
                continue
            changes = [(v.path or "(value)", v.text, next(converted)) for v in values]
            if each:
                job.record(row, changes)
            else:
                records += 1
                if any(before != after for _, before, after in changes):
                    changed_rows.append(row)
            if all(before == after for _, before, after in changes):
                out.append(raw if job.encoding == "utf-8" else line.encode("utf-8", job.surrogates))
                continue
            parts: list[str] = []
            done = 0
            for value, (_, before, after) in zip(values, changes):
                if before != after:
                    parts += (line[done:value.start], _written(after, line[value.start:value.end]))
                    done = value.end
            parts.append(line[done:])
            out.append("".join(parts).encode("utf-8", job.surrogates))
        job.count(records, changed_rows)
        data = b"".join(out)
        job.bytes_out += len(data)
        if sink is not None:
            sink.write(data)
