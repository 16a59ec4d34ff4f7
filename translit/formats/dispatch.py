"""The one dispatch of the formats: `converter_for` makes the converter of one file in a
format, and every operation converts through it (``-o``, ``-i``, ``--check``, ``--diff`` in
the files layer, and `convert` here). It sits above the registry and the helpers, which
never import it: a format's kind (registry.Kind) says which helper converts it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any

from .registry import BY_NAME, FORMAT_NAMES, Format


def converter_for(format: Format, transliterator: Any, *, encoding: str = "utf-8",
                  errors: str = "strict", paragraphs: bool = False,
                  relink: Callable[[str], str] | None = None) -> Any:
    """The converter of one file in `format`: bytes in as they come, UTF-8 bytes out (a
    `translit.stream.ByteConverter` whose ``stats`` say what it did). `paragraphs`: a
    document also gathers its paragraphs, before and after, for the preview
    (``converter.paragraphs`` once it is finished). `relink`: how a text format writes a
    link (see `base.Setting`), and a document its links to other files
    (`package.relinked_package`).

    >>> from translit.converter.transliterator import get_transliterator
    >>> converter = converter_for(BY_NAME["srt"], get_transliterator())
    >>> converter.feed("1\\n00:00:01,000 --> 00:00:02,000\\nЦентр\\n".encode(), final=True)
    b'1\\n00:00:01,000 --> 00:00:02,000\\nSentr\\n'
    """
    if format.kind == "plain":
        from ..stream import StreamConverter

        return StreamConverter(transliterator, encoding=encoding, errors=errors,
                               track_changes=True)
    if format.kind == "records":
        from .corpus import RecordConverter

        return RecordConverter(format, transliterator, encoding=encoding, errors=errors)
    from .base import Job

    job = Job(transliterator)
    if format.kind == "document":
        from .document import DocumentConverter

        return DocumentConverter(format, job, paragraphs=paragraphs, relink=relink)
    from .base import TextFormatConverter

    return TextFormatConverter(format.maker(), job, encoding=encoding, errors=errors,
                               relink=relink)


def convert(data: bytes | str, format: str, options: Any = None, *, encoding: str = "utf-8",
            errors: str = "strict") -> Any:
    """Convert a whole file's content in `format` (a name of `FORMAT_NAMES`); text in, text
    out, or bytes in, bytes out (UTF-8). `options` are the conversion's `translit.Options`.
    A document is converted as what its content says it is (a workbook named .docx as a
    workbook).

    >>> print(convert('<p title="Сарлавҳа">Ц<b>ентр</b> <code>код</code></p>', "html"))
    <p title="Sarlavha">S<b>entr</b> <code>код</code></p>
    >>> print(convert('{"матн": "Салом"}\\n', "jsonl"), end="")
    {"матн": "Salom"}
    >>> convert("Ц", "auto")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: convert() needs the format named (data has no file name to tell it by): ...
    """
    from ..converter.transliterator import get_transliterator

    found = BY_NAME.get(format)
    if found is None:
        why = " (data has no file name to tell it by)" if format == "auto" else ""
        raise ValueError(f"convert() needs the format named{why}: "
                         f"{', '.join(FORMAT_NAMES[:-1])} or {FORMAT_NAMES[-1]}, not {format!r}")
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    converter = converter_for(found, get_transliterator(options), encoding=encoding,
                              errors=errors)
    out: bytes = converter.feed(raw, final=True)
    return out.decode("utf-8", "surrogatepass") if isinstance(data, str) else out
