"""The registry of the formats: each is one `Format` (its name, the endings it owns, what in
a file's first bytes says it is this format, how much of it may be read whole), and which
format a file is (by its name, then by its first bytes). It imports none of the formats'
modules, so that the plain filter starts fast, and nothing of this package: the helpers and
the formats look formats up here, and the dispatch (dispatch.py) sits above them all.

>>> detect("report.docx").name, detect("notes.txt").name, detect("index.HTML").name
('docx', 'text', 'html')
>>> detect("logo.png")
NotConverted(why='an image')
>>> detect("README", b"<!DOCTYPE html><p>").name
'html'
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping

from ..base.checking import TYPE_CHECKING, literals_made_when_asked  # not typing's
if TYPE_CHECKING:
    from typing import Any, Literal, NamedTuple
    from pathlib import PurePath
else:  # the same classes, made faster (see records.py)
    from ..base.records import NamedTuple

from ..base.lazy import lazy_pattern

FORMAT_NAMES: tuple[str, ...] = ("text", "html", "markdown", "srt", "vtt", "po", "json", "jsonl",
                                  "csv", "tsv", "parquet", "docx", "xlsx", "pptx", "odf")
if TYPE_CHECKING:  # the same names, for type checkers (a test holds them equal)
    FormatName = Literal["text", "html", "markdown", "srt", "vtt", "po", "json", "jsonl",
                         "csv", "tsv", "parquet", "docx", "xlsx", "pptx", "odf"]
FORMAT_CHOICES: tuple[str, ...] = ("auto", *FORMAT_NAMES)
SNIFF_BYTES = 8192  # of a file whose name says nothing, this much tells its format
DOCUMENT_MAX_BYTES = 1 << 30  # a document (a zip package) is read whole: at most this much

# How a format is read, converted and previewed (the one dispatch: dispatch.converter_for):
# "plain": the core's streaming converter (stream/__init__.py), split over processes when large;
# "text": a text format's `Transform`, streamed (base.TextFormatConverter), previewed as the
#     lines of the file;
# "document": read whole (at most `max_bytes`) and converted by the module's
#     ``convert(data, job, found)``; its content decides which document format it is
#     (document.py), and the preview shows its paragraphs;
# "records": a corpus (JSON Lines, CSV, TSV, Parquet), converted record by record by the
#     module's ``convert(source, sink, job)`` (corpus.py), previewed as ``row N, field F``.
KINDS: tuple[str, ...] = ("plain", "text", "document", "records")
if TYPE_CHECKING:
    Kind = Literal["plain", "text", "document", "records"]


if not TYPE_CHECKING:  # FormatName and Kind, for code that reads them at run time
    __getattr__ = literals_made_when_asked(globals(), {"FormatName": FORMAT_NAMES,
                                                       "Kind": KINDS})


class Format(NamedTuple):
    """A format: its name (``--format NAME``), its module, the file name endings it owns,
    how it is read (`Kind`), what in a file's first bytes says it is this format, and how
    much of it may be read whole."""

    name: str
    module: str
    extensions: tuple[str, ...]
    kind: Kind = "text"
    title: str = ""
    entry: str = "make"  # the module's function that makes a converter (text formats)
    sniff: Callable[[bytes], bool] | None = None  # the first bytes say it is this format
    max_bytes: int | None = None  # read whole, at most this much (None: streamed)

    @property
    def document(self) -> bool:
        """Read and converted whole (a zip package), not a text that streams."""
        return self.kind == "document"

    def load(self) -> Any:
        """The format's module (imported on first use)."""
        import importlib  # here: it imports warnings, which the plain filter does not need

        return importlib.import_module(f".{self.module}", __package__)

    def maker(self) -> Any:
        """A text format's function making its converter: (Job, Setting) -> Transform."""
        return getattr(self.load(), self.entry)


_SRT_TIMING = lazy_pattern(rb"\A\s*\d+\s*\r?\n\d{1,2}:\d\d:\d\d[,.]\d{1,3} +--> +\d")
_HTML_START = lazy_pattern(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype html|html)[\s>]",
                           re.IGNORECASE | re.DOTALL)
_PO_HEADER = lazy_pattern(rb'^msgid ""\r?\nmsgstr ', re.MULTILINE)
_FLAT_ODF = lazy_pattern(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*"
                         rb"<office:document[\s>]", re.DOTALL)


def _is_html(head: bytes) -> bool:
    return _HTML_START.match(head) is not None


def _is_vtt(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT")


def _is_srt(head: bytes) -> bool:
    return _SRT_TIMING.match(head.lstrip(b"\xef\xbb\xbf")) is not None


def _is_po(head: bytes) -> bool:
    return _PO_HEADER.search(head) is not None


_ZIP_MEMBER = b"PK\x03\x04"


def _zip_member_names(head: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(name, what follows its header) of each zip member whose header is in `head`."""
    at = head.find(_ZIP_MEMBER) if head.startswith(_ZIP_MEMBER) else -1
    while 0 <= at and at + 30 <= len(head):
        length = int.from_bytes(head[at + 26:at + 28], "little")
        extra = int.from_bytes(head[at + 28:at + 30], "little")
        yield head[at + 30:at + 30 + length], head[at + 30 + length + extra:]
        at = head.find(_ZIP_MEMBER, at + 30 + length)


def _holds_folder(head: bytes, folder: bytes) -> bool:
    """A zip whose first members hold the folder of one kind of Office package (word/,
    xl/, ppt/); the whole package's content types confirm it when it is read."""
    return any(name.startswith(folder) for name, _ in _zip_member_names(head))


def _is_docx(head: bytes) -> bool:
    return _holds_folder(head, b"word/")


def _is_xlsx(head: bytes) -> bool:
    return _holds_folder(head, b"xl/")


def _is_pptx(head: bytes) -> bool:
    return _holds_folder(head, b"ppt/")


def _is_odf(head: bytes) -> bool:
    """A flat OpenDocument file, or a package whose first member, the mimetype, says so."""
    if _FLAT_ODF.match(head) is not None:
        return True
    first = next(_zip_member_names(head), None)
    return first is not None and first[0] == b"mimetype" and first[1].startswith(
        b"application/vnd.oasis.opendocument.")


FORMATS: tuple[Format, ...] = (
    Format("text", "text", (".txt", ".text", ".log"), "plain", title="plain text"),
    Format("html", "html", (".html", ".htm", ".xhtml", ".shtml"), title="HTML and XHTML",
           sniff=_is_html),
    Format("markdown", "markdown", (".md", ".markdown", ".mdown", ".mkd"), title="Markdown"),
    Format("srt", "subtitles", (".srt",), title="SubRip subtitles", sniff=_is_srt),
    Format("vtt", "subtitles", (".vtt",), title="WebVTT subtitles", sniff=_is_vtt),
    Format("po", "po", (".po", ".pot"), title="gettext catalogues", sniff=_is_po),
    Format("json", "json", (".json",), title="JSON"),
    Format("jsonl", "jsonl", (".jsonl", ".ndjson"), "records", "JSON Lines"),
    Format("csv", "csv", (".csv",), "records", "CSV"),
    Format("tsv", "csv", (".tsv",), "records", "tab-separated values"),
    Format("parquet", "parquet", (".parquet", ".parq"), "records", "Parquet"),
    Format("docx", "docx", (".docx", ".docm", ".dotx", ".dotm"), "document", "Word",
           sniff=_is_docx, max_bytes=DOCUMENT_MAX_BYTES),
    Format("xlsx", "xlsx", (".xlsx", ".xlsm", ".xltx", ".xltm"), "document", "Excel",
           sniff=_is_xlsx, max_bytes=DOCUMENT_MAX_BYTES),
    Format("pptx", "pptx", (".pptx", ".pptm", ".potx", ".ppsx"), "document", "PowerPoint",
           sniff=_is_pptx, max_bytes=DOCUMENT_MAX_BYTES),
    Format("odf", "odf", (".odt", ".ods", ".odp", ".ott", ".ots", ".otp", ".fodt", ".fods",
                          ".fodp"), "document", "OpenDocument", sniff=_is_odf,
           max_bytes=DOCUMENT_MAX_BYTES),
)
BY_NAME = {f.name: f for f in FORMATS}
BY_EXTENSION = {ext: f for f in FORMATS for ext in f.extensions}


class NotConverted(NamedTuple):
    """A file translit does not convert (copied as it is into an output tree), and why."""

    why: str


# Files that are not text people read, or whose text is code: never converted as text.
_NOT_CONVERTED = {
    "an image": "png jpg jpeg gif webp bmp tif tiff ico svg heic avif psd",
    "a font": "ttf otf woff woff2 eot",
    "sound or video": "mp3 wav ogg oga flac m4a aac mp4 m4v webm mkv avi mov",
    "an archive": "zip gz tgz bz2 xz 7z rar tar zst jar",
    "a PDF": "pdf",
    "code or a style sheet": "css scss sass less js mjs cjs ts tsx jsx map py rb php java "
                             "c h cc cpp hpp cs go rs swift kt sh bat ps1 sql",
    "data or markup translit does not know (XML, YAML ...)": "xml xsl xslt yml yaml toml ini "
                                                             "plist rss atom",
    "an old binary Office file (save it as .docx, .xlsx or .pptx to convert it)":
        "doc xls ppt dot xlt pps rtf",
    "a program or a library": "exe dll so dylib bin o a class pyc wasm",
}
NOT_CONVERTED = {f".{ext}": why for why, exts in _NOT_CONVERTED.items() for ext in exts.split()}

def detect(path: PurePath | str, head: bytes | None = None) -> Format | NotConverted:
    """The format of a file: by its name's ending, else by its first bytes `head`.

    A name translit does not know is read by its content: HTML, WebVTT, SubRip, a
    gettext catalogue, an Office or OpenDocument package or a flat OpenDocument file by how
    it starts (each format's ``sniff``), else plain text (binary content is told apart by
    the caller).
    """
    found = by_name(path)
    if found is not None:
        return found
    if head is None:
        return BY_NAME["text"]
    return sniff(head)


def by_name(path: PurePath | str) -> Format | NotConverted | None:
    """The format a file's name says (by its ending), or None when it says nothing.

    >>> by_name("data.CSV").name, by_name("font.woff"), by_name("README")
    ('csv', NotConverted(why='a font'), None)
    """
    from pathlib import PurePath  # here: standard input (the plain filter) has no name

    suffix = PurePath(path).suffix.lower()
    if suffix in BY_EXTENSION:
        return BY_EXTENSION[suffix]
    if suffix in NOT_CONVERTED:
        return NotConverted(NOT_CONVERTED[suffix])
    return None


def sniff(head: bytes) -> Format | NotConverted:
    """The format of a file by its first bytes (for a name translit does not know)."""
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return NotConverted("an old binary or a password-protected Office file")
    for found in FORMATS:
        if found.sniff is not None and found.sniff(head):
            return found
    if head.startswith(_ZIP_MEMBER):
        return NotConverted("a zip archive (name a document .docx, .xlsx, .pptx, .odt ...)")
    return BY_NAME["text"]


# Under msgfilter (gettext), standard input is one message of a catalogue at a time.
MSGFILTER_MESSAGE = Format("po-message", "po", (), title="a gettext message (msgfilter)",
                           entry="make_message")


def choose(name: str, path: PurePath | str, head: bytes | None,
           environ: Mapping[str, str] | None = None) -> Format | NotConverted:
    """The format to use: `name` (``--format``), or for ``auto`` the one `detect` finds;
    standard input is plain text (one message of a catalogue under msgfilter)."""
    if name != "auto":
        return BY_NAME[name]
    if str(path) == "-":
        environ = os.environ if environ is None else environ
        return MSGFILTER_MESSAGE if "MSGFILTER_MSGID" in environ else BY_NAME["text"]
    return detect(path, head)
