"""Parquet (``.parquet``): the string columns named (``--column text``), or every string
column, converted one row group at a time; with pyarrow, imported only here.

The file is read and written a row group at a time, so memory is bounded by a row group,
not by the file. What is written keeps the schema and its metadata (pandas' index, your
own keys), the row groups (one out for each one in, as many rows), each column's
compression, dictionary encoding and statistics, and the format version; the columns not
converted are the same values. A file in which nothing changes is written back byte for
byte (its bytes copied, not rewritten). The file must be seekable (Parquet's index is at
its end): not standard input.

>>> import io, pyarrow as pa, pyarrow.parquet as pq
>>> from translit.converter.transliterator import get_transliterator
>>> from translit.formats.corpus import RecordJob
>>> data = io.BytesIO()
>>> pq.write_table(pa.table({"id": [1, 2], "text": ["Салом", None]}), data)
>>> sink = io.BytesIO()
>>> convert(io.BytesIO(data.getvalue()), sink, RecordJob(get_transliterator()))
>>> pq.read_table(io.BytesIO(sink.getvalue())).to_pydict()
{'id': [1, 2], 'text': ['Salom', None]}
"""

from __future__ import annotations

import os
from typing import Any

from .errors import FormatError
from .corpus import RecordJob

COPY_BYTES = 1 << 20
SLICE_ROWS = 1 << 13  # rows of a column converted in one batch (their Python strings held)


def convert(source: Any, sink: Any, job: RecordJob) -> None:
    """Convert the Parquet file read from `source` (seekable) into `sink` (None: only
    count)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    handle = getattr(source, "handle", source)
    previous = pa.default_memory_pool()
    pa.set_memory_pool(_bounded_pool(pa))
    try:
        _convert(pa, pq, handle, sink, job)
    finally:
        pa.set_memory_pool(previous)


def _bounded_pool(pa: Any) -> Any:
    """An Arrow memory pool that gives freed memory back, so that the process's memory
    stays that of a row group or two: jemalloc, freeing at once, where pyarrow has it (the
    default pool keeps what a row group used, and grows again with the next)."""
    try:
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(0)
    except (NotImplementedError, pa.ArrowException):
        return pa.default_memory_pool()
    return pool


def _convert(pa: Any, pq: Any, handle: Any, sink: Any, job: RecordJob) -> None:
    from ..converter.batch import string_columns

    seekable = getattr(handle, "seekable", None)
    if seekable is not None and not seekable():
        raise FormatError("a Parquet file is read from its end (its index is there): name "
                          "the file, not a pipe")
    try:
        # One row group read at a time, by this thread only (threads each keep memory).
        parquet = pq.ParquetFile(handle, pre_buffer=False, buffer_size=COPY_BYTES)
    except (pa.ArrowException, OSError) as error:
        raise FormatError(f"not a Parquet file that pyarrow can read ({error})") from None
    metadata, schema = parquet.metadata, parquet.schema_arrow
    job.bytes_in = _size(handle)
    texts = string_columns(schema)
    names = list(job.options.columns) or texts
    for name in names:
        if name not in schema.names:
            raise FormatError(f"no column {name!r} (columns: {', '.join(schema.names)})")
        if name not in texts:
            raise FormatError(f"column {name!r} holds {schema.field(name).type}, not text")
    writer = None
    output = _Output(sink)
    if sink is not None:
        writer = pq.ParquetWriter(output, schema, **_writer_options(metadata))
    row = 0
    try:
        for group in range(metadata.num_row_groups):
            # The row group read a slice at a time; only its converted copy is held whole,
            # to be written as one row group again.
            batches = []
            for batch in parquet.iter_batches(batch_size=SLICE_ROWS, row_groups=[group],
                                              use_threads=False):
                batches.append(_converted(batch, names, row, job))
                row += batch.num_rows
            table = pa.Table.from_batches(batches, schema=schema)
            del batches
            if writer is not None:
                writer.write_table(table, row_group_size=max(1, table.num_rows))
    finally:
        if writer is not None:
            writer.close()
    if writer is not None and not job.changed and _rewind(sink, output.written):
        handle.seek(0)
        while block := handle.read(COPY_BYTES):
            sink.write(block)
    job.bytes_out = _size_written(sink) if sink is not None else 0


def _converted(batch: Any, names: list[str], first_row: int, job: RecordJob) -> Any:
    """A record batch (a slice of a row group) with its `names` columns converted; the job
    counts its records."""
    import pyarrow as pa

    arrays = list(batch.columns)
    befores, afters = [], []
    for name in names:
        index = batch.schema.get_field_index(name)
        before = arrays[index].to_pylist()
        converted = iter(job.values([value for value in before if value is not None]))
        after = [None if value is None else next(converted) for value in before]
        if after != before:
            arrays[index] = pa.array(after, type=arrays[index].type)
        befores.append(before)
        afters.append(after)
    _count(job, names, first_row, befores, afters)
    return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)


def _count(job: RecordJob, names: list[str], first_row: int, befores: list[list[Any]],
           afters: list[list[Any]]) -> None:
    """Tell the job about each record of a slice (with --stats every one, for its script
    before and after; else those that changed, the others only counted)."""
    rows = len(befores[0]) if befores else 0
    if not job.wants_each:
        changed = sorted({i for before, after in zip(befores, afters)
                          for i, (b, a) in enumerate(zip(before, after)) if b != a})
        job.count(rows, [first_row + i + 1 for i in changed])
        return
    offsets: Any = range(rows) if job.options.stats else sorted(
        {i for before, after in zip(befores, afters)
         for i, (b, a) in enumerate(zip(before, after)) if b != a})
    job.records += rows - len(offsets)
    for offset in offsets:
        job.record(first_row + offset + 1, [(name, before[offset] or "", after[offset] or "")
                                            for name, before, after in zip(names, befores, afters)])


def _writer_options(metadata: Any) -> dict[str, Any]:
    """The writer's options that keep the file as it was: per column its compression,
    dictionary encoding and statistics; the format version."""
    options: dict[str, Any] = {}
    if metadata.num_row_groups:
        first = metadata.row_group(0)
        columns = [first.column(i) for i in range(first.num_columns)]
        options["compression"] = {c.path_in_schema: _codec(c.compression) for c in columns}
        options["use_dictionary"] = [c.path_in_schema for c in columns
                                     if any("DICTIONARY" in e for e in c.encodings)]
        options["write_statistics"] = [c.path_in_schema for c in columns if c.is_stats_set]
    if metadata.format_version in ("1.0", "2.4", "2.6"):
        options["version"] = metadata.format_version
    return options


def _codec(name: str) -> str:
    return {"UNCOMPRESSED": "NONE", "LZ4_RAW": "LZ4"}.get(name, name)


class _Output:
    """The sink as the file object pyarrow writes to (its errors name the output)."""

    def __init__(self, sink: Any) -> None:
        self.sink = sink
        self.closed = False
        self.written = 0

    def write(self, data: Any) -> int:
        self.sink.write(bytes(data))
        self.written += len(data)
        return len(data)

    def flush(self) -> None:
        flush = getattr(self.sink, "flush", None)
        if flush is not None:
            flush()

    def tell(self) -> int:
        return self.written

    def close(self) -> None:
        self.closed = True
        self.flush()

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False


def _rewind(sink: Any, written: int) -> bool:
    """Empty a seekable sink that holds only what was `written` here (to copy the unchanged
    input into it instead); False if it cannot be."""
    handle = getattr(sink, "handle", sink)
    try:
        if handle.tell() != written:  # standard output holding other files' output too
            return False
        handle.seek(0)
        handle.truncate()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _size(handle: Any) -> int:
    try:
        return os.fstat(handle.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        size: int = handle.seek(0, os.SEEK_END)
        handle.seek(0)
        return size


def _size_written(sink: Any) -> int:
    handle = getattr(sink, "handle", sink)
    try:
        position: int = handle.tell()
    except (AttributeError, OSError, ValueError):
        return 0
    return position
