"""Many short texts in one call: the batch API for data frameworks.

A corpus is millions of short records. Converting them one Python call each pays the
call, the checks and the encoding a million times; `convert_batch` joins a batch with line
breaks, converts it in one call of the engine and splits it back. That is exact because
conversion is line-local (no rule, kept span or repair looks across a line break, see
Transliterator) and keeps every line break: the output holds as many line breaks as the
input, so each record takes back its own lines (a record holding line breaks takes as many
as it had; the test suite checks the whole against one call per record).

A record already in the target script (no Cyrillic letter for the Latin targets, no Latin
letter for ``cyrillic``) comes back as it was, byte for byte; ``None`` stays ``None``.

>>> convert_batch(["Салом, дунё!", None, "Toshkent", "Бир\\nИкки"])
['Salom, dunyo!', None, 'Toshkent', 'Bir\\nIkki']

The Arrow entry points take and give Arrow arrays (nulls kept, the type kept), for
pandas, Hugging Face datasets, Polars, DuckDB and Spark (README shows each):

>>> import pyarrow as pa
>>> convert_arrow(pa.array(["Шаҳар", None, "ok"]))  # doctest: +ELLIPSIS
<pyarrow.lib.StringArray object at ...>
[
  "Shahar",
  null,
  "ok"
]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .transliterator import PIECE_CHARS, Transliterator, get_transliterator
from ..base.options import Options

__all__ = ["convert_arrow", "convert_batch", "convert_batches", "convert_columns", "convert_pandas",
           "in_target_script", "string_columns"]


def _transliterator(options: Options | Transliterator | None) -> Transliterator:
    if isinstance(options, Transliterator):
        return options
    return get_transliterator(options)


def in_target_script(text: str, transliterator: Transliterator) -> bool:
    """Whether `text` holds nothing the conversion is for: no Cyrillic letter (for the
    Latin targets; for ``latin2026``, no 1995 letter either), no Latin letter (for
    ``cyrillic``). Such a record passes byte for byte.

    >>> t = get_transliterator()
    >>> in_target_script("Ishoq keldi", t), in_target_script("Исҳоқ", t)
    (True, False)
    """
    return transliterator.in_target_script(text)


def convert_batch(texts: Iterable[str | None],
                  options: Options | Transliterator | None = None) -> list[str | None]:
    """Each text converted, as `Transliterator.convert` would one by one, in a few calls
    of the engine; ``None`` stays ``None``; a text already in the target script comes back
    as it was.

    >>> convert_batch(["Салом", None, "Toshkent"])
    ['Salom', None, 'Toshkent']
    """
    transliterator = _transliterator(options)
    values = texts if isinstance(texts, list) else list(texts)
    out: list[str | None] = list(values)
    batch: list[int] = []
    held = 0
    for index, text in enumerate(values):
        if text is None:
            continue
        batch.append(index)
        held += len(text) + 1
        if held >= PIECE_CHARS:
            _convert_into(out, values, batch, transliterator)
            batch, held = [], 0
    if batch:
        _convert_into(out, values, batch, transliterator)
    return out


def _convert_into(out: list[str | None], values: Sequence[str | None], batch: list[int],
                  transliterator: Transliterator) -> None:
    texts: list[str] = [values[i] for i in batch]  # type: ignore[misc]
    lines = transliterator.convert("\n".join(texts)).split("\n")
    if len(lines) == len(texts):
        converted = lines
    else:  # records holding line breaks: each takes back as many lines as it had
        converted, done = [], 0
        for text in texts:
            count = text.count("\n") + 1
            converted.append("\n".join(lines[done:done + count]))
            done += count
        if done != len(lines):  # pragma: no cover - conversion keeps every line break
            converted = [transliterator.convert(text) for text in texts]
    for index, text, latin in zip(batch, texts, converted):
        if latin != text and in_target_script(text, transliterator):
            latin = text
        out[index] = latin


# --- Arrow ------------------------------------------------------------------------------


def convert_arrow(array: Any, options: Options | Transliterator | None = None) -> Any:
    """A pyarrow string array (``string``, ``large_string``, a dictionary of strings; an
    Array or a ChunkedArray) converted: the same type, the same nulls. pyarrow is imported
    by the caller, not here.

    >>> import pyarrow as pa
    >>> words = pa.chunked_array([["Ўзбек"], [None, "тили"]], type=pa.large_string())
    >>> out = convert_arrow(words)
    >>> out.type, out.to_pylist()
    (DataType(large_string), ['Oʻzbek', None, 'tili'])
    """
    import pyarrow as pa

    transliterator = _transliterator(options)
    if isinstance(array, pa.ChunkedArray):
        return pa.chunked_array([convert_arrow(chunk, transliterator) for chunk in array.chunks],
                                type=array.type)
    if pa.types.is_dictionary(array.type):  # each distinct value once
        return pa.DictionaryArray.from_arrays(array.indices,
                                              convert_arrow(array.dictionary, transliterator))
    return pa.array(convert_batch(array.to_pylist(), transliterator), type=array.type)


def string_columns(schema: Any) -> list[str]:
    """The names of a pyarrow schema's string columns (string, large_string, string_view,
    and dictionaries of them)."""
    import pyarrow as pa

    def is_text(kind: Any) -> bool:
        if pa.types.is_dictionary(kind):
            return is_text(kind.value_type)
        is_view = getattr(pa.types, "is_string_view", lambda _: False)  # pyarrow >= 16
        return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or is_view(kind))

    return [field.name for field in schema if is_text(field.type)]


def convert_columns(data: Any, columns: Sequence[str] | None = None,
                    options: Options | Transliterator | None = None) -> Any:
    """A pyarrow Table or RecordBatch with its `columns` (None: every string column)
    converted, the rest, the schema and its metadata as they were; for Spark's
    ``mapInArrow`` and Dask's ``map_partitions`` (README).

    >>> import pyarrow as pa
    >>> table = pa.table({"id": [1, 2], "text": ["Салом", "Хайр"]})
    >>> convert_columns(table).to_pydict()
    {'id': [1, 2], 'text': ['Salom', 'Xayr']}
    """
    transliterator = _transliterator(options)
    names = string_columns(data.schema) if columns is None else list(columns)
    arrays = list(data.columns)
    for name in names:
        index = data.schema.get_field_index(name)
        if index < 0:
            raise KeyError(f"no column {name!r} (columns: {', '.join(data.schema.names)})")
        arrays[index] = convert_arrow(arrays[index], transliterator)
    return type(data).from_arrays(arrays, schema=data.schema)


def convert_batches(batches: Iterable[Any], columns: Sequence[str] | None = None,
                    options: Options | Transliterator | None = None) -> Iterator[Any]:
    """`convert_columns` of each Arrow record batch, lazily: the function Spark's
    ``mapInArrow`` wants (``functools.partial(convert_batches, columns=["text"])``; it
    pickles by name, so the workers need only translit installed).

    >>> import pyarrow as pa
    >>> batches = [pa.record_batch({"text": ["Бир"]}), pa.record_batch({"text": ["Икки"]})]
    >>> [b.column(0).to_pylist() for b in convert_batches(batches)]
    [['Bir'], ['Ikki']]
    """
    for batch in batches:
        yield convert_columns(batch, columns, options)


def convert_pandas(series: Any, options: Options | Transliterator | None = None) -> Any:
    """A pandas Series of text converted: its index, name, dtype and missing values kept
    (for ``df["text"] = ...`` and Dask's ``map_partitions``).

    >>> import pandas as pd
    >>> out = convert_pandas(pd.Series(["Салом", None, "дунё"], name="text"))
    >>> out[0], out[2], out.isna().tolist(), out.name
    ('Salom', 'dunyo', [False, True, False], 'text')
    """
    out = series.copy()
    present = series.notna()
    out[present] = convert_batch(series[present].tolist(), options)
    return out
