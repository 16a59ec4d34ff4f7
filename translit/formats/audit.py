"""What is left in Cyrillic in a document package, and whether it should be.

After conversion, every piece of text in every member and attribute of a package either
was converted, or is on the list below of things that stay, each with its reason. `audit`
walks every XML member of a package (of its own, and the charts and objects inside it)
and reports each piece of text that holds Cyrillic that converting it would change, and
that no rule keeps: a place translit does not convert and should (the test suite runs it
on every document it converts; ``--check`` and ``--strict`` run it on what they would
write, so that Cyrillic left in a document's readable text is a note, or with
``--strict`` an error, as it is in plain text).

What stays (`KEPT`), with its reason: names that are identifiers (styles, bookmarks,
fields, shapes, sheets in OpenDocument, defined names, table columns), field codes, link
targets and the names of parts, authors, fonts, the view's settings, and formulas' and
charts' references to cells. A formula is looked into: the string literals in it are
text and must have been converted (unless one names a sheet, ``INDIRECT("Лист1!A1")``).
`SHOWN` names the text a wider rule would keep that is read, or copies converted cells:
a pivot table's captions and OpenDocument's data pilot's names of fields and items.

>>> import io, zipfile
>>> from translit.converter.transliterator import get_transliterator
>>> package = io.BytesIO()
>>> with zipfile.ZipFile(package, "w") as written:
...     written.writestr("content.xml", '<o xmlns:t="urn:oasis:names:tc:opendocument:xmlns:'
...                      'text:1.0"><t:p t:style-name="Қалин">Sentr</t:p><t:p>Ҳа</t:p></o>')
>>> audit(package.getvalue(), get_transliterator())
[Finding(member='content.xml', where='<text:p>', text='Ҳа')]
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from ..converter.transliterator import Transliterator

# Namespaces by the prefixes the rules use.
NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "cx": "http://schemas.microsoft.com/office/drawing/2014/chartex",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "xm": "http://schemas.microsoft.com/office/excel/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "loext": "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0",
    "tableooo": "http://openoffice.org/2009/table",
}
_PREFIXES = {uri: prefix for prefix, uri in NAMESPACES.items()}

STYLE_NAME = "a style's name (an identifier other parts refer to)"
AUTHOR = "a person's or an organisation's name (an author is not translated)"
FONT = "a font's name"
REFERENCE = "a reference to cells (it names a sheet, whose name stays or is renamed everywhere)"
# What stays, and why: "element" (its text), "element@attribute", "@attribute" (on any
# element), "*@attribute" by local name on any element in any namespace.
KEPT: dict[str, str] = {
    "rel:Relationship@Target": "a link's target or the name of a part",
    "manifest:file-entry@manifest:full-path": "the name of a part",
    "w:delInstrText": "a field code (its displayed result is converted)",
    "w:name@w:val": STYLE_NAME,
    "w:style@w:styleId": STYLE_NAME,
    "w:pStyle@w:val": STYLE_NAME, "w:rStyle@w:val": STYLE_NAME, "w:tblStyle@w:val": STYLE_NAME,
    "w:basedOn@w:val": STYLE_NAME, "w:next@w:val": STYLE_NAME, "w:link@w:val": STYLE_NAME,
    "w:aliases@w:val": STYLE_NAME, "w:numStyleLink@w:val": STYLE_NAME,
    "w:styleLink@w:val": STYLE_NAME,
    "w:bookmarkStart@w:name": "a bookmark's name (links and fields refer to it)",
    "w:hyperlink@w:anchor": "a bookmark's name (links and fields refer to it)",
    "w:tag@w:val": "a content control's tag (an identifier for programs)",
    "w:docPart@w:val": "a building block's name (a content control's placeholder names it)",
    "w:docPartGallery@w:val": "a building blocks' gallery (an identifier)",
    "w:docPartCategory@w:val": "a building blocks' category (an identifier)",
    "w:docVar@w:name": "a document variable (data for macros)",
    "w:docVar@w:val": "a document variable (data for macros)",
    "@w:author": AUTHOR, "@w:initials": AUTHOR, "w15:person@w15:author": AUTHOR,
    "w:font@w:name": FONT, "w:altName@w:val": FONT, "*@typeface": FONT,
    "w:rFonts@w:ascii": FONT, "w:rFonts@w:hAnsi": FONT, "w:rFonts@w:cs": FONT,
    "w:rFonts@w:eastAsia": FONT,
    "*@name": "a name: of a shape, slide, sheet, style, table, field or theme (an identifier)",
    "*@id": "an identifier (a VML shape's name, as Word writes it)",
    "*@ID": "an identifier (a VML shape's name, as LibreOffice writes it)",
    "*@initials": AUTHOR, "*@userId": AUTHOR, "*@displayName": AUTHOR,
    "dc:creator": AUTHOR, "cp:lastModifiedBy": AUTHOR, "meta:initial-creator": AUTHOR,
    "meta:printed-by": AUTHOR, "ep:Company": AUTHOR, "ep:Manager": AUTHOR,
    "ep:Template": "a template's file name",
    "vt:lpstr": "the titles of the parts (sheet names, renamed with the sheets)",
    "s:author": AUTHOR,
    "s:hyperlink@location": REFERENCE, "s:definedName@name": "a defined name (formulas use it)",
    "s:tableColumn@name": "a table's column name (its header cell keeps matching it)",
    "s:cacheField@name": "a pivot table's field name (its header cell keeps matching it)",
    "s:sheetPr@codeName": "a sheet's name for macros",
    "*@cache": "a slicer's cache (an identifier)",
    "*@sourceName": "a slicer's field: a pivot field's name (its header cell keeps it)",
    "@xlink:href": "a link's target (a bookmark's or a sheet's name, a file, an address)",
    "table:data-pilot-table@table:buttons": REFERENCE,
    "svg:font-family": FONT, "style:font-family-generic": FONT,
    "*@font-family": FONT, "*@font-family-asian": FONT, "*@font-family-complex": FONT,
    "config:config-item": "the view's settings (they name sheets)",
    "config:config-item-map-entry@config:name": "the view's settings (they name sheets)",
}
# Text where a wider rule above would keep it: a pivot table's captions of its data fields
# and fields (not identifiers, though ``*@name`` holds them); OpenDocument's data pilot
# names its source's fields and items by their cells' text, which is converted.
SHOWN = frozenset({
    "s:dataField@name", "s:pivotField@name",
    "table:data-pilot-field@table:source-field-name", "table:data-pilot-member@table:name",
    "table:data-pilot-groups@table:source-field-name", "table:data-pilot-group@table:name",
    "table:data-pilot-group-member@table:name",
    "table:data-pilot-field-reference@table:field-name",
    "table:data-pilot-field-reference@table:member-name",
    "table:data-pilot-field@tableooo:display-name",
    "table:data-pilot-grand-total@tableooo:display-name",
    "table:data-pilot-field@table:display-name",
    "table:data-pilot-grand-total@table:display-name"})
# Cell references and ranges of OpenDocument (``Лист.A1:Лист.B5``), by the attribute's
# local name.
_ODF_REFERENCE = re.compile(r"address|range")
# Formulas: their references stay, their string literals are converted (checked).
EXCEL_FORMULAS = frozenset({"s:f", "s:formula", "s:formula1", "s:formula2", "xm:f",
                            "s:definedName", "c:f", "cx:f", "s:calculatedColumnFormula",
                            "s:totalsRowFormula"})
OPENDOCUMENT_FORMULAS = frozenset({"@table:formula", "@table:condition", "@table:expression",
                                   "@calcext:value", "@style:condition", "@text:formula",
                                   "@text:condition"})
# Word's field codes: kept, but the texts they show when updated are looked into (an
# index entry's, ``XE "Шаҳар"``) and must have been converted.
FIELD_CODES = frozenset({"w:instrText", "w:fldSimple@w:instr"})
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CYRILLIC_BYTES = re.compile(rb"[\xd0-\xd3][\x80-\xbf]|&#(?:10[2-9]\d|11\d\d|12[0-7]\d|"
                             rb"[xX]0*4[0-9a-fA-F]{2});")
# The bytes one of those begins with: found by memchr-speed `in` before the pattern is
# searched (a part with none, as every part is after conversion, is not scanned by it).
_CYRILLIC_LEADS = (b"\xd0", b"\xd1", b"\xd2", b"\xd3", b"&#")


def _holds_cyrillic(data: bytes) -> bool:
    """Whether `data` holds a Cyrillic letter in UTF-8 or as a character reference.

    >>> _holds_cyrillic("Ҳа".encode()), _holds_cyrillic(b"&#1094;"), _holds_cyrillic(b"&#65; x")
    (True, True, False)
    """
    return any(lead in data for lead in _CYRILLIC_LEADS) and bool(_CYRILLIC_BYTES.search(data))


class Finding(NamedTuple):
    """A piece of text left in Cyrillic that no rule keeps: the member, where in it (the
    element, and ``@attribute`` if it is one), and the text."""

    member: str
    where: str
    text: str


def audit(data: bytes, transliterator: Transliterator) -> list[Finding]:
    """Every piece of text in the package `data` that holds Cyrillic which converting it
    with `transliterator` would change, and which is not kept by a rule of `KEPT`; a
    package inside it (a chart's workbook) is looked into too, one level deep. Members that are not XML
    are not read."""
    return list(_findings(data, transliterator, ""))


def _findings(data: bytes, transliterator: Transliterator, inside: str) -> Iterator[Finding]:
    from .errors import FormatError
    from .package import Package

    package = Package(data)  # read with the limits of every package
    infos = package.members
    xml = []
    for info in infos:
        first, cyrillic = _read_if_cyrillic(package, info.filename)
        if first.startswith(b"PK\x03\x04") and not inside:  # a chart's workbook ...
            try:
                yield from _findings(package.read(info.filename), transliterator,
                                     f"{inside}{info.filename}/")
            except FormatError:
                continue  # damaged: not read, as translit does not convert it
        elif cyrillic and first.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
            xml.append(info.filename)
    sheets = _sheet_names(package, infos)
    columns = _column_names(package, xml)
    def wanted(text: str, kind: str) -> bool:
        # (not a header cell that names a table's column or a pivot's field)
        return kind != "kept" and _CYRILLIC.search(text) is not None and text not in columns

    for name in xml:
        for where, text, kind in _part_slots(package, name, wanted, _CYRILLIC):
            if kind == "excel":
                if _formula_converts(text, transliterator, sheets, excel=True):
                    yield Finding(inside + name, where, text)
            elif kind == "opendocument":
                if _formula_converts(text, transliterator, sheets, excel=False):
                    yield Finding(inside + name, where, text)
            elif kind == "field":
                if _field_text_converts(text, transliterator):
                    yield Finding(inside + name, where, text)
            elif transliterator.convert(text) != text:
                yield Finding(inside + name, where, text)


def _read_if_cyrillic(package: Any, name: str) -> tuple[bytes, bool]:
    """A member's first piece, and whether it may hold Cyrillic (a package's first piece:
    True). It is looked through a piece at a time: a large part with nothing left to
    audit, the usual case after conversion, is never held whole."""
    from .errors import FormatError

    with package.open(name) as source:
        first = b""
        last = b""
        while True:
            try:
                piece = source.read(1 << 20)
            except Exception as error:  # a damaged member, as `Package.read` says it
                raise FormatError(package.damaged(name)(error)) from None
            if not piece:
                return first, False
            if not first:
                first = piece
                if piece.startswith(b"PK\x03\x04"):
                    return first, True
            # a character or a reference cut between two pieces is found across them
            if _holds_cyrillic(last[-12:] + piece):
                return first, True
            last = piece


def _part_slots(package: Any, name: str, wanted: Callable[[str, str], bool],
                holding: re.Pattern[str] | None = None) -> list[tuple[str, str, str]]:
    """The `_slots` of a part that are `wanted(text, kind)`, in `_slots`'s order, the part
    parsed as it is read, an element at a time (its text and attributes once it ends, its
    tail once the next one starts or its parent ends) and dropped once read: a large part
    is never held whole. With `holding`, only the slots whose text it is found in are
    looked at (where they are and what they are kept for is worked out for those only:
    a part of names left in Cyrillic, or of none, is read at about twice the speed).

    >>> import io, zipfile
    >>> from lxml import etree
    >>> from translit.formats.package import Package
    >>> xml = '<a x="б"><b>в</b>г<!-- c -->д<c/></a>'.encode()
    >>> zipped = io.BytesIO()
    >>> with zipfile.ZipFile(zipped, "w") as written:
    ...     written.writestr("part.xml", xml)
    >>> _part_slots(Package(zipped.getvalue()), "part.xml", lambda text, kind: True)
    [('<a @x>', 'б', 'text'), ('<b>', 'в', 'text'), ('<a>', 'г', 'text')]
    >>> _ == [slot for slot in _slots(etree.fromstring(xml))]  # read whole
    True
    """
    import itertools

    from lxml import etree

    from .errors import FormatError
    from .streaming import CheckedReader

    found: list[tuple[tuple[int, int], tuple[str, str, str]]] = []
    order: dict[Any, int] = {}  # the elements read and not dropped: their place in order
    counted = itertools.count()

    search = holding.search if holding is not None else None
    attribute_kinds: dict[str, dict[str, str]] = {}  # of this part's names (a few)

    def add(at: tuple[int, int], where: str, text: str, kind: str) -> None:
        if wanted(text, kind):
            found.append((at, (where, text, kind)))

    def tails(parent: Any, until: Any) -> None:
        """The tails of `parent`'s children before `until` (None: all), which are dropped."""
        while len(parent) and parent[0] is not until:
            child = parent[0]
            at = order.pop(child, None)
            tail = child.tail
            if at is not None and tail and (search is None or search(tail)):
                short = _short(parent.tag)
                add((at, 1), f"<{short}>", tail, _kind(short, parent))
            parent.remove(child)

    with package.open(name) as source:
        events = etree.iterparse(
            CheckedReader(source, name, package.damaged(name)), events=("start", "end"),
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
            remove_blank_text=False, strip_cdata=False, remove_comments=False,
            remove_pis=False)
        try:
            for event, element in events:
                if event == "start":
                    order[element] = next(counted)
                    parent = element.getparent()
                    if parent is not None:
                        tails(parent, element)
                    continue
                at = order[element]
                text = element.text
                if text and (search is None or search(text)):
                    tag = _short(element.tag)
                    add((at, 0), f"<{tag}>", text, _kind(tag, element))
                for index, (attribute, value) in enumerate(element.attrib.items()):
                    if search is None or search(value):
                        tag = _short(element.tag)
                        kinds = attribute_kinds.get(tag)
                        if kinds is None:
                            kinds = {}
                            if len(attribute_kinds) < 4096:
                                attribute_kinds[tag] = kinds
                        kind = kinds.get(attribute)
                        if kind is None:
                            kind = _attribute_kind(tag, attribute)
                            if len(kinds) < 256:  # (a part's names are few; a hostile one's not)
                                kinds[attribute] = kind
                        add((at, 2 + index), f"<{tag} @{_short(attribute)}>", value, kind)
                if len(element):
                    tails(element, None)
        except etree.XMLSyntaxError as error:
            raise FormatError(f"{name}: damaged XML ({' '.join(str(error).split())})") from None
    found.sort(key=lambda item: item[0])
    return [slot for _, slot in found]


def _slots(root: Any) -> Iterator[tuple[str, str, str]]:
    """(where, text, kind) of every text, tail and attribute below `root`: kind is
    "kept", "excel" or "opendocument" (a formula), or "text". (What `_part_slots` gives of
    a part read in pieces: the tests hold the two equal.)"""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = _short(element.tag)
        if element.text:
            yield f"<{tag}>", element.text, _kind(tag, element)
        if element.tail:
            parent = element.getparent()
            if parent is not None:
                short = _short(parent.tag)
                yield f"<{short}>", element.tail, _kind(short, parent)
        for attribute, value in element.attrib.items():
            yield f"<{tag} @{_short(attribute)}>", value, _attribute_kind(tag, attribute)


def _kind(tag: str, element: Any) -> str:
    if tag == "vt:lpstr":  # a custom property's value is text; in app.xml, sheet names
        parent = element.getparent()
        if parent is not None and _short(parent.tag) == "op:property":
            return "text"
    if tag in FIELD_CODES:
        return "field"
    if tag in KEPT:
        return "kept"
    if tag in EXCEL_FORMULAS:
        return "excel"
    if tag == "svg:desc":
        parent = element.getparent()
        if parent is not None and _short(parent.tag) == "draw:g" and parent.getparent() is not None \
                and _short(parent.getparent().tag) == "table:table-cell":
            return "kept"  # in a chart's table: the range its data comes from
    return "text"


def _attribute_kind(tag: str, attribute: str) -> str:
    short = _short(attribute)
    local = short.rsplit(":", 1)[-1]
    if f"{tag}@{short}" in SHOWN:
        return "text"
    if f"{tag}@{short}" in FIELD_CODES:
        return "field"
    if (f"{tag}@{short}" in KEPT or f"@{short}" in KEPT or f"*@{local}" in KEPT
            or local.endswith("-name") or _ODF_REFERENCE.search(local)):
        return "kept"
    if f"@{short}" in OPENDOCUMENT_FORMULAS:
        return "opendocument"
    return "text"


def _short(name: str) -> str:
    """``{uri}local`` as ``prefix:local`` (a namespace the rules do not name: its URI)."""
    short = _SHORT.get(name)
    if short is None:
        short = name
        if name.startswith("{"):
            uri, local = name[1:].split("}", 1)
            short = f"{_PREFIXES.get(uri, uri)}:{local}"
        if len(_SHORT) < 4096:  # (a part's names are few; a hostile part's, not)
            _SHORT[name] = short
    return short


_SHORT: dict[str, str] = {}


def _formula_converts(formula: str, transliterator: Transliterator, sheets: list[str], *,
                      excel: bool) -> bool:
    """Whether a string literal of `formula` is left that would be converted."""
    from .base import Job
    from .formulas import excel_formula, keeping_sheet_names, opendocument_formula

    convert: Callable[..., str] = excel_formula if excel else opendocument_formula
    return bool(convert(formula, Job(transliterator), keeping_sheet_names(sheets)) != formula)


def _field_text_converts(code: str, transliterator: Transliterator) -> bool:
    """Whether a text a field's code shows when updated is left that would be converted
    (a code written over several runs is looked at a run at a time)."""
    from .base import Job
    from .formulas import field_texts

    return bool(field_texts(code, Job(transliterator)))


def _column_names(package: Any, names: list[str]) -> frozenset[str]:
    """The names of tables' columns and pivot tables' fields of a workbook: their header
    cells keep them."""
    import html

    found: set[bytes] = set()
    for name in names:
        found.update(_found_in_pieces(package, name, _COLUMN_NAME))
    return frozenset(html.unescape(name.decode("utf-8", "replace")) for name in found)


def _sheet_names(package: Any, infos: list[zipfile.ZipInfo]) -> list[str]:
    """The sheets of a workbook or an OpenDocument spreadsheet (a literal naming one stays)."""
    import html

    names = []
    for info in infos:
        if info.filename.endswith(("workbook.xml", "content.xml")):
            names += [html.unescape(name.decode("utf-8", "replace"))
                      for name in _found_in_pieces(package, info.filename, _SHEET_NAME)]
    return names


_COLUMN_NAME = re.compile(rb'<(?:\w+:)?(?:tableColumn|cacheField)\s[^>]*?\bname="([^"]*)"')
_SHEET_NAME = re.compile(rb'<(?:\w+:)?(?:sheet|table:table)\s[^>]*?\bname="([^"]*)"')


def _found_in_pieces(package: Any, name: str, pattern: re.Pattern[bytes]) -> list[bytes]:
    """``pattern.findall`` over a member read a piece at a time, for a pattern whose
    matches lie inside one start tag (from its ``<``: XML allows no other ``<`` there),
    so each piece is searched up to its last ``<`` and the rest waits for the next."""
    from .errors import FormatError

    found: list[bytes] = []
    buffer = b""
    with package.open(name) as source:
        while True:
            try:
                piece = source.read(1 << 20)
            except Exception as error:  # a damaged member, as `Package.read` says it
                raise FormatError(package.damaged(name)(error)) from None
            buffer += piece
            cut = buffer.rfind(b"<") if piece else len(buffer)
            if cut > 0:
                found += pattern.findall(buffer, 0, cut)
                buffer = buffer[cut:]
            if not piece:
                return found
