"""translit: Uzbek Cyrillic → Uzbek Latin, exactly by the 1995 spelling rules.

>>> import translit
>>> translit.to_latin("Тошкент шаҳри, 1-сентябрь")
'Toshkent shahri, 1-sentabr'
>>> translit.to_cyrillic("Toshkent shahri")
'Тошкент шаҳри'

Text: `to_latin`, `to_cyrillic`, `to_latin_many`, `explain`, with `Options` (or its fields
as keyword arguments); `Transliterator` and `get_transliterator` for a converter kept.
Files, documents and streams are modules of their own, imported when used:

- ``translit.files``: what the command does to a file, as functions returning a result
  (`convert_file`, `convert_in_place`, `convert_to_stream`, `check_file`, `diff_file`,
  `find_inputs`);
- ``translit.formats.convert(data, format)``: a document's content (HTML, Markdown,
  subtitles, gettext, JSON, Word, Excel, PowerPoint, OpenDocument);
- ``translit.stream``: `convert_stream` and `convert_chunks`, in bounded memory.

>>> import pathlib, tempfile
>>> from translit import files
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Шаҳар\\n", encoding="utf-8")
>>> files.convert_file(folder / "a.txt", folder / "a.lat.txt").changed
True
>>> (folder / "a.lat.txt").read_text(encoding="utf-8")
'Shahar\\n'

The names are imported when first used, so that the command (which imports this package
first) starts fast and handles Ctrl-C from its first instruction.
"""

from .base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.2.0"

_WHERE = {
    "Options": "base.options",
    "Piece": "engine.reference",
    "RuleFileError": "tables.rules",
    "Transliterator": "converter.transliterator",
    "convert_arrow": "converter.batch",
    "convert_batch": "converter.batch",
    "convert_columns": "converter.batch",
    "convert_pandas": "converter.batch",
    "detect_script": "engine.scripts",
    "explain": "converter.shortcuts",
    "get_transliterator": "converter.transliterator",
    "to_cyrillic": "converter.shortcuts",
    "to_latin": "converter.shortcuts",
    "to_latin_many": "converter.shortcuts",
}

__all__ = [
    "Options",
    "Piece",
    "RuleFileError",
    "Transliterator",
    "__version__",
    "convert_arrow",
    "convert_batch",
    "convert_columns",
    "convert_pandas",
    "detect_script",
    "explain",
    "get_transliterator",
    "to_cyrillic",
    "to_latin",
    "to_latin_many",
]

if TYPE_CHECKING:
    from .converter.batch import convert_arrow as convert_arrow
    from .converter.batch import convert_batch as convert_batch
    from .converter.batch import convert_columns as convert_columns
    from .converter.batch import convert_pandas as convert_pandas
    from .converter.transliterator import Transliterator as Transliterator
    from .converter.shortcuts import explain as explain
    from .converter.transliterator import get_transliterator as get_transliterator
    from .converter.shortcuts import to_cyrillic as to_cyrillic
    from .converter.shortcuts import to_latin as to_latin
    from .converter.shortcuts import to_latin_many as to_latin_many
    from .base.options import Options as Options
    from .engine.reference import Piece as Piece
    from .tables.rules import RuleFileError as RuleFileError
    from .engine.scripts import detect_script as detect_script


def __getattr__(name: str) -> "Any":
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'translit' has no attribute {name!r}")
    import importlib  # here, not at the top: it imports warnings (start-up time)

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)  # the public names only (not the helpers of this module)
