"""Zip packages of XML (Office Open XML, OpenDocument), read and written back safely.

What the document formats (docx, xlsx, pptx, odf) share:

* `Package`: the members of a zip, read with limits (a zip bomb, a password-protected or
  damaged package is one `FormatError`), and written back in the same order with the same
  names, dates, attributes and compression methods; members that were not changed keep
  their bytes. A part in Strict Open XML is read with the Transitional names of its
  namespaces, which the converters know, and written back with its own.
* `parse_xml` / `serialize_xml`: lxml, which keeps namespaces and prefixes as written,
  with entities, DTDs and the network off (a DOCTYPE is refused outright), and the
  original XML declaration kept.
* `SlotRuns`: the text of a paragraph as it lies in XML elements (``<w:t>``, an element's
  text or tail), converted a run at a time through `Job.pieces`, each slot getting back
  the Latin of its own letters; and `Paragraphs`, what the preview shows of a document (a
  paragraph per line, before and after).
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

from .errors import FormatError
from .base import Job, latin_language_attributes

from ..base.limits import MAX_PACKAGE_BYTES as MAX_TOTAL_BYTES
from ..base.limits import MAX_PACKAGE_MEMBERS as MAX_MEMBERS
from ..base.limits import MAX_PACKAGE_RATIO as MAX_RATIO
from ..base.limits import RATIO_CHECKED_ABOVE
from ..stream import ascii_compatible

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_COMPRESSIONS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                           zipfile.ZIP_LZMA})
_XML_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*\?>\s*")
# Namespaces of the document properties every Office package has (docProps/core.xml).
DC = "{http://purl.org/dc/elements/1.1/}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
PROPERTY_TAGS = (f"{DC}title", f"{DC}subject", f"{DC}description", f"{CP}keywords")
# docProps/custom.xml: a document's own properties, whose text values File ▸ Properties
# shows (their names are identifiers and stay).
CUSTOM_PROPERTIES = ("custom-properties+xml",)
_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
CUSTOM_PROPERTY_TAGS = (f"{_VT}lpwstr", f"{_VT}lpstr", f"{_VT}bstr")


class Package:
    """A zip package, its members in order (see the module's docstring)."""

    def __init__(self, data: bytes, what: str = "document") -> None:
        self.data = data
        self.what = what
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise FormatError(f"a password-protected or old binary {what}: translit cannot "
                              "read it (remove the password, or save it in the new format)")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.members = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
                NotImplementedError, RuntimeError, zlib.error) as error:
            raise FormatError(f"not a {what} (a damaged zip package: {error})") from None
        if len(self.members) > MAX_MEMBERS:
            raise FormatError(f"a {what} of {len(self.members)} parts: too many (a zip bomb?)")
        total = packed = 0
        names: set[str] = set()
        for info in self.members:
            if info.filename in names:
                raise FormatError(f"a {what} with two members named {info.filename!r} "
                                  "(ambiguous: which one is the document's?)")
            names.add(info.filename)
            if info.flag_bits & 0x1:
                raise FormatError(f"a password-protected {what}: translit cannot read it")
            if info.compress_type not in _COMPRESSIONS:  # (zipfile could neither read it
                # nor, a member copied as it was, write it)
                raise FormatError(f"a damaged {what}: {info.filename}: compression method "
                                  f"{info.compress_type} (translit reads stored, deflated, "
                                  "bzip2 and LZMA members)")
            total += info.file_size
            packed += info.compress_size
            if info.file_size > RATIO_CHECKED_ABOVE and info.file_size > MAX_RATIO * max(
                    1, info.compress_size):
                raise FormatError(f"{info.filename} would unpack to {info.file_size} bytes from "
                                  f"{info.compress_size}: a zip bomb?")
        if total > MAX_TOTAL_BYTES:
            raise FormatError(f"a {what} that unpacks to {total >> 20} MB: too large (a zip bomb?)")
        # The ratio holds for the package as a whole too: many members each under the
        # per-member check must not add up to a bomb.
        if total > RATIO_CHECKED_ABOVE and total > MAX_RATIO * max(1, packed):
            raise FormatError(f"a {what} that would unpack to {total} bytes from {packed}: "
                              "a zip bomb?")
        self.names = names
        self.strict: set[str] = set()  # parts read in Strict Open XML (`_STRICT_NAMES`)

    def read(self, name: str) -> bytes:
        """A member's bytes (a part in Strict Open XML with the Transitional names of its
        namespaces, see `_STRICT_NAMES`)."""
        try:
            data = self.zip.read(name)
        except KeyError:
            raise FormatError(f"not a {self.what}: it has no {name}") from None
        except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError,
                RuntimeError, zlib.error) as error:
            raise FormatError(f"a damaged {self.what}: {name}: {error}") from None
        if _STRICT in data:
            transitional = _transitional(data)
            if transitional is not None:
                self.strict.add(name)
                return transitional
        return data

    def open(self, name: str) -> IO[bytes]:
        """A member's bytes as they are decompressed (`read`'s errors, when read); a part
        in Strict Open XML (its namespaces are declared at its start) is read whole, as
        `read` gives it."""
        source = self._open_as_it_is(name)
        try:
            head = source.read(_HEAD)
        except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError,
                RuntimeError, zlib.error) as error:
            source.close()
            raise FormatError(self.damaged(name)(error)) from None
        if _STRICT in head:
            source.close()
            return io.BytesIO(self.read(name))
        return io.BufferedReader(_Rejoined(head, source), 1 << 16)

    def _open_as_it_is(self, name: str) -> IO[bytes]:
        """A member's bytes as they are decompressed, as they are written (`read`'s errors,
        when read)."""
        try:
            return self.zip.open(name)
        except KeyError:
            raise FormatError(f"not a {self.what}: it has no {name}") from None
        except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError,
                RuntimeError, zlib.error) as error:
            raise FormatError(f"a damaged {self.what}: {name}: {error}") from None

    def damaged(self, name: str) -> Callable[[BaseException], str]:
        """The message for an error reading member `name` (as `read` says it)."""
        return lambda error: f"a damaged {self.what}: {name}: {error}"

    def _copy(self, name: str, target: IO[bytes]) -> None:
        """Member `name`, decompressed a piece at a time into `target`, as it is written."""
        with self._open_as_it_is(name) as source:
            while True:
                try:
                    chunk = source.read(1 << 20)
                except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError,
                        EOFError, RuntimeError, zlib.error) as error:
                    raise FormatError(self.damaged(name)(error)) from None
                if not chunk:
                    return
                target.write(chunk)

    def written(self, replaced: Mapping[str, bytes | IO[bytes]], *,
                keep_thumbnail: bool = False) -> bytes:
        """The package with the members in `replaced` replaced (by bytes, or a file read
        from its start), every other member's bytes as they were; order, names, dates,
        attributes and compression methods are kept. Members are copied a piece at a time.

        A package whose text changed loses its thumbnail (`thumbnail_dropped`), unless
        `keep_thumbnail` (only its links changed)."""
        replaced, dropped = (self.thumbnail_dropped(replaced) if replaced and not keep_thumbnail
                             else (replaced, set()))
        out = io.BytesIO()
        target = zipfile.ZipFile(out, "w")
        try:
            target.comment = self.zip.comment
            for info in self.members:
                if info.filename in dropped:
                    continue
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                for field in ("compress_type", "comment", "extra", "create_system",
                              "external_attr", "internal_attr"):
                    setattr(copy, field, getattr(info, field))
                data = replaced.get(info.filename)
                if data is not None and info.filename in self.strict:
                    data = _strict(data)  # written back with its own names
                if isinstance(data, bytes):
                    target.writestr(copy, data)
                elif data is not None:  # as writestr does, with the size known before
                    copy.file_size = data.seek(0, io.SEEK_END)
                    data.seek(0)
                    with target.open(copy, "w") as member:
                        shutil.copyfileobj(data, member, 1 << 20)
                else:
                    copy.file_size = info.file_size
                    with target.open(copy, "w") as member:
                        self._copy(info.filename, member)
                # zipfile writes 0 (no attributes, as LibreOffice writes) as rw-------: the
                # central directory, written at the end, gets the original back
                copy.external_attr = info.external_attr
        except BaseException:
            # Interrupted (Ctrl-C) or failed inside a member: the package is in memory and
            # thrown away. Closing it would raise ValueError (a member still open) in place
            # of the interruption, and so would its finaliser, on stderr.
            target.fp = None
            raise
        target.close()
        return out.getvalue()


    def thumbnail_dropped(self, replaced: Mapping[str, bytes | IO[bytes]],
                          ) -> tuple[dict[str, bytes | IO[bytes]], set[str]]:
        """`replaced`, with what names the package's thumbnail taken out of the manifest
        (OpenDocument) or the relationships and content types (Office), and the members
        of the thumbnail to leave out. The thumbnail is a picture of the first page as it
        was saved: of a converted document it showed the old alphabet, in a file manager
        and an open dialog (the program that opens the document makes a new one when it
        saves it)."""
        edited = dict(replaced)
        thumbnails = {name for name in self.names if name.startswith(_ODF_THUMBNAILS)}
        if thumbnails and _ODF_MANIFEST in self.names:
            tree = parse_xml(original := self._current(_ODF_MANIFEST, edited), _ODF_MANIFEST)
            for entry in list(tree.getroot()):
                if (entry.get(f"{_MANIFEST}full-path") or "").startswith(_ODF_THUMBNAILS):
                    entry.getparent().remove(entry)
            edited[_ODF_MANIFEST] = serialize_xml(tree, original)
            return edited, thumbnails
        if _OOXML_RELATIONSHIPS not in self.names:
            return edited, set()
        tree = parse_xml(original := self._current(_OOXML_RELATIONSHIPS, edited),
                         _OOXML_RELATIONSHIPS)
        parts = set()
        for relationship in list(tree.getroot()):
            if (relationship.get("Type") or "").endswith(_THUMBNAIL_TYPE) and (
                    relationship.get("TargetMode") != "External"):
                parts.add((relationship.get("Target") or "").lstrip("/"))
                relationship.getparent().remove(relationship)
        if not parts:
            return edited, set()
        edited[_OOXML_RELATIONSHIPS] = serialize_xml(tree, original)
        if _CONTENT_TYPES in self.names:
            types = parse_xml(original := self._current(_CONTENT_TYPES, edited), _CONTENT_TYPES)
            for override in list(types.getroot()):
                if (override.get("PartName") or "").lstrip("/") in parts:
                    override.getparent().remove(override)
            edited[_CONTENT_TYPES] = serialize_xml(types, original)
        return edited, parts & self.names

    def _current(self, name: str, replaced: Mapping[str, bytes | IO[bytes]]) -> bytes:
        """Member `name` as it is to be written: replaced, or as it was."""
        data = replaced.get(name)
        if data is None:
            return self.read(name)
        if isinstance(data, bytes):
            return data
        data.seek(0)
        return data.read()


# The package's thumbnail (`Package.thumbnail_dropped`): OpenDocument's folder and its
# manifest; the Office package's relationship of that type, and its content types.
_ODF_THUMBNAILS = "Thumbnails/"
_ODF_MANIFEST = "META-INF/manifest.xml"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_OOXML_RELATIONSHIPS = "_rels/.rels"
_CONTENT_TYPES = "[Content_Types].xml"
_THUMBNAIL_TYPE = "/metadata/thumbnail"  # (Transitional's and Strict's names end so)


# ISO/IEC 29500 Strict (Word's, Excel's and PowerPoint's "Strict Open XML" documents) has
# the elements of the Transitional form that the converters read, under other namespace
# names, and names its relationships' types alike. A part written in it is read with the
# Transitional names and written back with its own (a part that holds names of both is
# read as it is: they could not be told apart again). The package's own namespaces
# (relationships, content types, core properties) are the same in both.
_STRICT = b"http://purl.oclc.org/ooxml/"
_TRANSITIONAL = b"http://schemas.openxmlformats.org/"
_STRICT_NAMES = (
    (_STRICT + b"officeDocument/extendedProperties",
     _TRANSITIONAL + b"officeDocument/2006/extended-properties"),
    (_STRICT + b"officeDocument/customProperties",
     _TRANSITIONAL + b"officeDocument/2006/custom-properties"),
    *((_STRICT + group + b"/", _TRANSITIONAL + group + b"/2006/") for group in (
        b"officeDocument", b"wordprocessingml", b"spreadsheetml", b"presentationml",
        b"drawingml", b"schemaLibrary")),
)
_HEAD = 1 << 16  # what `Package.open` reads first, to find a part's namespaces


def _transitional(data: bytes) -> bytes | None:
    """A Strict part's bytes with the Transitional names (None: it holds those already)."""
    if any(transitional in data for _, transitional in _STRICT_NAMES):
        return None
    for strict, transitional in _STRICT_NAMES:
        data = data.replace(strict, transitional)
    return data


def _strict(data: bytes | IO[bytes]) -> bytes:
    """What `_transitional` gave, converted, with the Strict names back."""
    if not isinstance(data, bytes):
        data.seek(0)
        data = data.read()
    for strict, transitional in _STRICT_NAMES:
        data = data.replace(transitional, strict)
    return data


class _Rejoined(io.RawIOBase):
    """A member's stream whose first bytes were read already (`Package.open`)."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._rest.close()
        super().close()


def parse_xml(data: bytes, name: str) -> Any:
    """An XML part as an lxml tree; entities, DTDs and the network are off."""
    from lxml import etree

    if _DOCTYPE.search(data[:4096]) or b"<!ENTITY" in data:
        raise FormatError(f"{name}: XML with a DOCTYPE or entity declarations (refused: "
                          "documents have none, and they can read other files)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_blank_text=False, strip_cdata=False)
    try:
        return etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as error:
        raise FormatError(f"{name}: damaged XML ({' '.join(str(error).split())})") from None


def serialize_xml(tree: Any, original: bytes) -> bytes:
    """The tree as XML, after the original's own declaration (and the space after it)."""
    from lxml import etree

    encoding = tree.docinfo.encoding or "UTF-8"
    if not ascii_compatible(encoding):
        # UTF-16 or UTF-32 (told by a byte order mark, whatever the declaration says):
        # written whole by lxml, with a byte order mark and a declaration that agree.
        wide = "UTF-32" if encoding.upper().startswith("UTF-32") else "UTF-16"
        whole = etree.tostring(tree, encoding=wide, xml_declaration=True)
        assert isinstance(whole, bytes)
        return whole
    body = etree.tostring(tree, encoding=encoding, xml_declaration=False)
    assert isinstance(body, bytes)
    declaration = _XML_DECLARATION.match(original)
    if declaration is not None:
        return declaration.group() + body
    return b"\xef\xbb\xbf" + body if original.startswith(b"\xef\xbb\xbf") else body




# Encodings in which a part's bytes hold ``uz-`` or ``uz_`` (in some case) wherever its
# text does, but for character references.
_PLAIN_ENCODINGS = frozenset({"UTF-8", "UTF8", "US-ASCII", "ASCII", "ISO-8859-1", "LATIN1",
                              "WINDOWS-1251", "CP1251", "WINDOWS-1252", "CP1252"})


def may_hold_language_tag(original: bytes, tree: Any) -> bool:
    """Whether the part `original`, read as `tree`, may hold a language tag: False only
    when its bytes plainly hold none (``uz-`` or ``uz_`` in no case, no character
    reference, in an encoding that writes ASCII as ASCII), so that the Python loop of
    `latin_language_attributes` over every element and attribute of a large part (a
    template's styles cost more than converting its text) is not run for nothing."""
    encoding = (tree.docinfo.encoding or "UTF-8").upper().replace("_", "-")
    if encoding not in _PLAIN_ENCODINGS or b"\x00" in original or b"&#" in original:
        return True
    lower = original.lower()  # (ASCII letters only: memchr-speed, unlike a pattern)
    return b"uz-" in lower or b"uz_" in lower


# Packages of Office inside a document (a chart's workbook in Word and PowerPoint, an
# embedded spreadsheet or document), by their name's ending; converted as their format.
EMBEDDED = (".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".pptm")
_embedding = [0]  # how deep in embedded packages the conversion is (one level is read)


def convert_embedded(package: Package, job: Job) -> dict[str, bytes]:
    """The Office packages inside `package` (``word/embeddings/Microsoft_Excel_Sheet1.xlsx``)
    converted, by name: a chart's cached labels and the workbook it is edited from must
    agree. One level deep; a damaged one is left as it is."""
    from .registry import BY_EXTENSION

    replaced: dict[str, bytes] = {}
    if _embedding[0]:
        return replaced
    for info in package.members:
        extension = info.filename[info.filename.rfind("."):].lower()
        if extension not in EMBEDDED or "/" not in info.filename:
            continue
        content = package.read(info.filename)
        before, job.changed = job.changed, False
        _embedding[0] += 1
        try:
            out = BY_EXTENSION[extension].load().convert(content, job)
        except FormatError:
            out = content
            job.changed = False
        finally:
            _embedding[0] -= 1
        if job.changed:
            replaced[info.filename] = out
        job.changed = job.changed or before
    return replaced


def rewrite_parts(package: Package, names: Iterable[str], job: Job,
                  work: Callable[[Any, str], None],
                  containers: Callable[[str], tuple[frozenset[str], frozenset[str]] | None]
                  | None = None, own: Callable[[Any], None] | None = None) -> bytes:
    """The package with `work(root, name)` done to each XML part of `names` (and their
    language tags made Latin); a part is written back only if something in it changed, and
    an unchanged package is the original bytes. A large part for which `containers` names
    the elements that only hold its paragraphs, and the tags of their usual children, is
    converted as it streams (see streaming.py): `work` then gets each child of those in
    turn, and must do to it what it does to it in the whole tree; `own(container)` does
    what `work` does to a container itself (see `streaming.stream_xml`)."""
    replaced: dict[str, bytes | IO[bytes]] = {}
    for name in names:
        held = containers(name) if containers is not None else None
        if held and stream_part(package, name, job, work, held, replaced, own):
            continue
        original = package.read(name)
        tree = parse_xml(original, name)
        root = tree.getroot()
        before, job.changed = job.changed, False
        work(root, name)
        if may_hold_language_tag(original, tree):
            latin_language_attributes(root, job)
        if job.changed:
            replaced[name] = serialize_xml(tree, original)
        job.changed = job.changed or before
    replaced.update(convert_embedded(package, job))
    return package.written(replaced) if replaced else package.data


def stream_part(package: Package, name: str, job: Job, work: Callable[[Any, str], None],
              held: tuple[frozenset[str], frozenset[str]],
              replaced: dict[str, bytes | IO[bytes]], own: Callable[[Any], None] | None = None
              ) -> bool:
    """Part `name` converted as it streams, into `replaced` if it changed; False if it is
    small or not streamable (then nothing was done: it is converted whole)."""
    from .streaming import STREAMED_ABOVE, CheckedReader, NotStreamable, stream_xml

    if package.zip.getinfo(name).file_size <= STREAMED_ABOVE:
        return False
    before, job.changed = job.changed, False
    leftovers, notes = job.leftovers.copy(), list(job.notes)
    out = tempfile.TemporaryFile()
    try:
        with package.open(name) as source:
            stream_xml(CheckedReader(source, name, package.damaged(name)), name, job, work,
                       *held, out, own)
    except NotStreamable:
        out.close()
        job.changed, job.leftovers, job.notes[:] = before, leftovers, notes
        return False
    except BaseException:
        out.close()
        raise
    if job.changed:
        replaced[name] = out
    else:
        out.close()
    job.changed = job.changed or before
    return True


_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def relinked_package(data: bytes, relink: Callable[[str], str], *, opendocument: bool) -> bytes:
    """The package `data` with its links to other files relinked (``--rename``: a file of
    the tree renamed, see links.TreeLinks): Office's external relationships
    (``TargetMode="External"``: hyperlinks, linked pictures), OpenDocument's ``xlink:href``
    that leave the package (``../б.odt``: OpenDocument counts a relative link from inside
    the package, as if it were a folder). Every other byte as it was; unchanged, the
    original bytes."""
    package = Package(data)
    replaced = {}
    for info in package.members:
        name = info.filename
        if opendocument and name not in ("content.xml", "styles.xml"):
            continue  # an embedded object's links count from its own folder: not followed
        if not opendocument and not name.endswith(".rels"):
            continue
        content = package.read(name)
        if (b"../" if opendocument else b"External") not in content:
            continue
        tree = parse_xml(content, name)
        changed = False
        root = tree.getroot()
        for element in root.iter() if opendocument else root.iter(_RELATIONSHIP):
            if not isinstance(element.tag, str):
                continue
            if opendocument:
                old = element.get(_XLINK_HREF)
                if old is None or not old.startswith("../"):
                    continue
                new = "../" + relink(old[3:])
                attribute = _XLINK_HREF
            else:
                old = element.get("Target")
                if old is None or element.get("TargetMode") != "External":
                    continue
                new, attribute = relink(old), "Target"
            if new != old:
                element.set(attribute, new)
                changed = True
        if changed:
            replaced[name] = serialize_xml(tree, content)
    return package.written(replaced, keep_thumbnail=True) if replaced else data


def convert_elements(root: Any, tags: tuple[str, ...], job: Job,
                     found: Paragraphs | None) -> None:
    """Each element of `tags` below `root` holds one text of its own (a title, a comment)."""
    if next(root.iter(*tags), None) is None:
        return  # most parts and streamed paragraphs: one search instead of one a tag
    for tag in tags:
        for element in root.iter(tag):
            runs = SlotRuns(job, found)
            runs.text(element)
            runs.end_paragraph()


class Paragraphs:
    """What the preview shows of a document: each paragraph before and after, in order."""

    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []


class SlotRuns:
    """A paragraph's text slots (an element's text or tail, or an attribute), converted a
    run at a time; a boundary (a tab, a line break) ends the run."""

    def __init__(self, job: Job, paragraphs: Paragraphs | None = None) -> None:
        self.job = job
        self.paragraphs = paragraphs
        self._slots: list[tuple[Any, str, str]] = []  # (element, "text"/"tail"/attribute, value)
        self._before: list[str] = []
        self._after: list[str] = []

    def text(self, element: Any, slot: str = "text") -> None:
        value = element.text if slot == "text" else _get(element, slot)
        if value:
            self._slots.append((element, slot, value))

    def boundary(self, shown: str = " ") -> None:
        self.end_run()
        if self.paragraphs is not None:
            self._before.append(shown)
            self._after.append(shown)

    def end_run(self) -> None:
        if not self._slots:
            return
        slots, self._slots = self._slots, []
        values = [value for _, _, value in slots]
        latin = self.job.pieces(values)
        for (element, slot, value), new in zip(slots, latin):
            if new != value:
                if slot == "text":
                    element.text = new
                else:
                    _set(element, slot, new)
        if self.paragraphs is not None:  # the preview's text: only when it is gathered
            self._before.append("".join(values))
            self._after.append("".join(latin))

    def end_paragraph(self) -> None:
        """The paragraph is over: its run is converted, and the preview gets its text."""
        self.end_run()
        if self.paragraphs is None:
            return
        before, after = "".join(self._before).strip(), "".join(self._after).strip()
        if before:
            self.paragraphs.pairs.append((before, after))
        self._before, self._after = [], []


def _get(element: Any, slot: str) -> str | None:
    if slot == "text":
        return element.text  # type: ignore[no-any-return]
    if slot == "tail":
        return element.tail  # type: ignore[no-any-return]
    return element.get(slot)  # type: ignore[no-any-return]


def _set(element: Any, slot: str, value: str) -> None:
    if slot == "text":
        element.text = value
    elif slot == "tail":
        element.tail = value
    else:
        element.set(slot, value)


def content_types(package: Package) -> dict[str, str]:
    """Office Open XML: the content type of each member (from [Content_Types].xml)."""
    tree = parse_xml(package.read("[Content_Types].xml"), "[Content_Types].xml")
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for element in tree.getroot():
        if not isinstance(element.tag, str):
            continue  # a comment or a processing instruction
        local = element.tag.rsplit("}", 1)[-1]
        if local == "Default":
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
        elif local == "Override":
            overrides[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
    types = {}
    for info in package.members:
        name = info.filename
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        types[name] = overrides.get(name) or defaults.get(extension, "")
    return types


def members_of_type(package: Package, types: dict[str, str], wanted: tuple[str, ...]
                    ) -> Iterator[str]:
    """The members whose content type ends with one of `wanted`, in package order."""
    for info in package.members:
        if types.get(info.filename, "").endswith(wanted):
            yield info.filename


def rewrite_xml_file(data: bytes, what: str, job: Job,
                     work: Callable[[Any, str], None]) -> bytes:
    """An XML file that is a whole document (a flat OpenDocument file) with `work(root,
    what)` done to it and its language tags made the target's, as `rewrite_parts` does to
    a part of a package; unchanged, the original bytes."""
    tree = parse_xml(data, what)
    root = tree.getroot()
    before, job.changed = job.changed, False
    work(root, what)
    if may_hold_language_tag(data, tree):
        latin_language_attributes(root, job)
    changed, job.changed = job.changed, job.changed or before
    return serialize_xml(tree, data) if changed else data
