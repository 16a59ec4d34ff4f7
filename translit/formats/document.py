"""What the document formats (Word, Excel, PowerPoint, OpenDocument) share around their
conversion: a document is read whole (a zip package needs its directory at the end),
converted by its format's module, ``convert(data, job, found)``, and written whole;
an unchanged document is written back byte for byte.

Its content, not its name, decides which document it is: a workbook saved as ``.docx``
is converted as a workbook, with a note that the name is misleading (`content_format`),
never half converted in silence.

>>> from translit.converter.transliterator import get_transliterator
>>> from translit.formats import BY_NAME, converter_for
>>> converter = converter_for(BY_NAME["odf"], get_transliterator())
>>> flat = ('<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
...         'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
...         'office:mimetype="application/vnd.oasis.opendocument.text"><office:body>'
...         '<office:text><text:p>Ц<text:span>ентр</text:span></text:p></office:text>'
...         '</office:body></office:document>')
>>> out = converter.feed(flat.encode(), final=True).decode()
>>> out[out.index("<text:p>"):out.index("</text:p>") + 9]
'<text:p>S<text:span>entr</text:span></text:p>'
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..stream import StreamStats
from .errors import FormatError
from .registry import BY_NAME, Format
from .base import Job

if TYPE_CHECKING:
    from collections.abc import Callable

    from .package import Paragraphs

# The content types of an Office package's main part, by the format they make it.
_MAIN_PART = re.compile(r"(?:wordprocessingml|ms-word|spreadsheetml|ms-excel|presentationml"
                        r"|ms-powerpoint)\.[A-Za-z.]*main\+xml\Z")
_OFFICE_FORMATS = (("wordprocessingml", "docx"), ("ms-word", "docx"),
                   ("spreadsheetml", "xlsx"), ("ms-excel", "xlsx"),
                   ("presentationml", "pptx"), ("ms-powerpoint", "pptx"))
_WHAT = {"docx": "a Word document", "xlsx": "an Excel workbook",
         "pptx": "a PowerPoint presentation", "odf": "an OpenDocument file"}
ODF_MIMETYPE = "application/vnd.oasis.opendocument."
_FLAT_ODF_ROOT = re.compile(rb"<office:document[\s>]")


def content_format(data: bytes) -> Format | None:
    """The document format `data` is, by what it holds: an OpenDocument ``mimetype`` (or a
    flat OpenDocument file's root), or the main part named in an Office package's
    ``[Content_Types].xml``; None when its content does not say."""
    if not data.startswith(b"PK"):
        return BY_NAME["odf"] if _FLAT_ODF_ROOT.search(data[:4096]) else None
    from .package import Package, content_types

    try:
        package = Package(data)
        if "mimetype" in package.names:
            mimetype = package.read("mimetype").decode("ascii", "replace").strip()
            return BY_NAME["odf"] if mimetype.startswith(ODF_MIMETYPE) else None
        if "[Content_Types].xml" not in package.names:
            return None
        types = content_types(package)
    except FormatError:
        return None  # damaged: the format the name says reports it
    for kind in types.values():
        if _MAIN_PART.search(kind):
            return next(BY_NAME[name] for marker, name in _OFFICE_FORMATS if marker in kind)
    return None


class DocumentConverter:
    """A document's `ByteConverter`: the bytes are held (at most the format's
    ``max_bytes``) and converted whole when the last of them comes."""

    def __init__(self, format: Format, job: Job, *, paragraphs: bool = False,
                 relink: Callable[[str], str] | None = None) -> None:
        self.format, self.job = format, job
        self.relink = relink  # --rename: its links to renamed files of the tree follow them
        self.stats = StreamStats()
        self.paragraphs: list[tuple[str, str]] = []  # with `paragraphs`: before and after
        self._gather = paragraphs
        self._held: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes, final: bool = False) -> bytes:
        limit = self.format.max_bytes
        self._size += len(data)
        if limit is not None and self._size > limit:
            raise FormatError(f"larger than {limit >> 20} MB: too large a document for translit")
        if data:
            self._held.append(data)
        self.stats.bytes_in = self._size
        if not final:
            return b""
        data = b"".join(self._held)
        self._held = []
        out = self._converted(data)
        self.stats.bytes_out = len(out)
        self.stats.changed = self.job.changed
        self.stats.leftovers = self.job.leftovers
        self.stats.notes += self.job.notes
        return out

    def finish(self) -> bytes:
        return self.feed(b"", final=True)

    @property
    def lines_read(self) -> int:
        return 0

    def _converted(self, data: bytes) -> bytes:
        actual = content_format(data)
        used = self.format
        if actual is not None and actual.name != used.name:
            self.stats.notes.append(f"it is {_what(actual)}, not {_what(used)} as its name "
                                    "(or --format) says: converted as what it is")
            used = actual
        from .package import Paragraphs

        found: Paragraphs | None = Paragraphs() if self._gather else None
        out: bytes = used.load().convert(data, self.job, found)
        if found is not None:
            self.paragraphs = found.pairs
        out = out if self.job.changed else data
        if self.relink is not None and out.startswith(b"PK\x03\x04"):
            from .package import relinked_package

            relinked = relinked_package(out, self.relink, opendocument=used.name == "odf")
            if relinked != out:
                out = relinked
                self.job.changed = True
        self._audit(out)
        return out

    def _audit(self, out: bytes) -> None:
        """Cyrillic left in a package's readable text where translit does not convert it
        (see audit.py): its letters are counted with the letters left unconverted (a note;
        with --strict an error, nothing written), and a note says where. The Cyrillic
        direction is not audited, nor a document that is one XML file."""
        if self.job.source_script != "Cyrl" or not out.startswith(b"PK\x03\x04"):
            return
        from .audit import audit

        found = audit(out, self.job.transliterator)
        if not found:
            return
        for finding in found:
            self.job.leftovers.update(char for char in finding.text if "\u0400" <= char <= "\u04ff")
        first = found[0]
        self.stats.left_at = f"{first.member} {first.where} {first.text[:40]!r}"
        self.stats.notes.append(
            f"{len(found)} piece(s) of readable text left in Cyrillic where translit does not "
            f"convert, first {self.stats.left_at}")


def _what(format: Format) -> str:
    return _WHAT.get(format.name, f"a {format.title} file")
