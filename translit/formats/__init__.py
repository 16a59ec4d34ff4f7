"""Document formats: which parts of a file are text people read, and how to put them back.

Each format is a module of this package behind one protocol (see base.py): a *text* format
(HTML, Markdown, subtitles, gettext, JSON) converts text as it streams; a *document* format
(Word, Excel, PowerPoint, OpenDocument: zip packages of XML) converts a whole package. Both
find the pieces of each paragraph, cell, cue or string and hand them to the one capability
of the core, `Transliterator.convert_pieces`, so that a word split by formatting is
converted as one word; everything else is written back as it was. Plain text is the core's
own streaming converter.

The package is in three floors, so that no module imports one above it: at the bottom the
error (errors.py: `FormatError`) and the registry (registry.py: each format one `Format`
object in `FORMATS` — its name, the endings it owns, what in a file's first bytes says it
is this format, how much of it may be read whole — and `detect`, which tells which format
a file is and imports none of the formats' modules, so that the plain filter starts fast);
in the middle the helpers (base, markup, package, document, corpus ...) and the formats'
modules, which import only the floor below and each other's helpers; at the top the one
dispatch every operation converts through (dispatch.py: `converter_for`, and `convert`).
This module only re-exports them.

A new format is a module of this package and one `Format` line in `FORMATS` (its name also
in `FormatName`): a text format's module has ``make(job, setting) -> Transform`` (see
base.py), a document's ``convert(data, job, found=None) -> bytes`` (`found` gathers its
paragraphs before and after, for ``--diff``: package.Paragraphs), a record format's
``convert(source, sink, job)`` (corpus.py: the files layer streams it); the dispatch,
the walk, ``--format``, ``--check``, ``--diff`` and the library then know it.

>>> detect("report.docx").name, detect("notes.txt").name, detect("index.HTML").name
('docx', 'text', 'html')
>>> convert("<p>Центр</p>", "html")
'<p>Sentr</p>'
"""

from .dispatch import convert as convert, converter_for as converter_for
from .errors import FormatError as FormatError
from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from .registry import FormatName as FormatName, Kind as Kind
from .registry import (
    BY_EXTENSION as BY_EXTENSION,
    BY_NAME as BY_NAME,
    DOCUMENT_MAX_BYTES as DOCUMENT_MAX_BYTES,
    FORMAT_CHOICES as FORMAT_CHOICES,
    FORMAT_NAMES as FORMAT_NAMES,
    FORMATS as FORMATS,
    MSGFILTER_MESSAGE as MSGFILTER_MESSAGE,
    NOT_CONVERTED as NOT_CONVERTED,
    SNIFF_BYTES as SNIFF_BYTES,
    Format as Format,
    NotConverted as NotConverted,
    by_name as by_name,
    choose as choose,
    detect as detect,
    sniff as sniff,
)


if not TYPE_CHECKING:
    def __getattr__(name: str) -> object:  # FormatName, Kind: the registry's, made when asked for
        if name in ("FormatName", "Kind"):
            from . import registry

            return getattr(registry, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
