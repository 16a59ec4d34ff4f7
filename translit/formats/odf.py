"""OpenDocument files (``.odt .ods .odp`` and their templates), as LibreOffice writes them,
and flat OpenDocument files (``.fodt .fods .fodp``: the same parts in one XML file).

Converted: every paragraph and heading (``<text:p>``, ``<text:h>``) of the text, the
cells, the slides and notes, headers and footers (in styles.xml), footnotes, comments and
text boxes (each a paragraph of its own), and the document's title, subject, description
and keywords and its own properties' values; charts and other embedded objects (``Object
1/content.xml``) alike; the string literals of formulas, validation and conditional-format
conditions, and formulas' cached text results (as the cells, so that a sheet computes what
it did, see formulas.py); number formats' text; slides' footer and date declarations; list
labels' prefix and suffix; drop-down items; pictures' titles and descriptions; validation
messages' titles; the title a table of contents or an index is made again with, and the
entries and keys of index marks; a data pilot table's names of its source's fields and items (as their
cells) and its captions. Spans, links and fields inside a paragraph keep their formatting,
and a word split across them is converted as one word. Never: sheet names (and a formula's
string that names a sheet), style names, authors and dates of comments, link targets (but
a link to a heading names it by its text, ``#Хулоса|outline``: converted as the heading
is), cell references. A style's script ``Cyrl`` for Uzbek becomes ``Latn``, and ``uz-Cyrl`` language
tags ``uz-Latn``. The ``mimetype`` member stays first and uncompressed, and parts that
hold no text are copied byte for byte.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from .errors import FormatError
from .base import Job, Runs
from .package import (
    Package,
    Paragraphs,
    SlotRuns,
    convert_elements,
    rewrite_parts,
    rewrite_xml_file,
)

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
NUMBER = "{urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0}"
PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
LOEXT = "{urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0}"
TABLEOOO = "{http://openoffice.org/2009/table}"
XLINK = "{http://www.w3.org/1999/xlink}"

PARTS = ("content.xml", "styles.xml", "meta.xml")  # of the document and of each embedded
# object (a chart's ``Object 1/content.xml``)
MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
             "application/vnd.oasis.opendocument.presentation",
             "application/vnd.oasis.opendocument.graphics")
# Inside a paragraph: what ends a run of words, and what holds text of its own (a note, a
# comment, a frame: their paragraphs are converted on their own) or none to convert.
_BREAKS = {f"{TEXT}tab": "\t", f"{TEXT}line-break": "\n", f"{TEXT}s": " "}
_APART = frozenset({f"{TEXT}note", f"{OFFICE}annotation", f"{OFFICE}annotation-end",
                    f"{DRAW}frame", f"{DRAW}a", f"{DRAW}custom-shape", f"{DRAW}rect",
                    f"{DRAW}g", f"{TEXT}bookmark", f"{TEXT}bookmark-start",
                    f"{TEXT}bookmark-end", f"{TEXT}reference-mark", f"{TEXT}soft-page-break",
                    f"{TEXT}change", f"{TEXT}change-start", f"{TEXT}change-end",
                    f"{TEXT}toc-mark", f"{TEXT}alphabetical-index-mark"})
# Scripts of a style's text properties, with the language they go with.
_SCRIPTS = ((f"{FO}script", f"{FO}language"), (f"{STYLE}script-asian", f"{STYLE}language-asian"),
            (f"{STYLE}script-complex", f"{STYLE}language-complex"))
# The document's properties, its own ones (``<meta:user-defined>``) too: their names stay.
_PROPERTIES = (f"{DC}title", f"{DC}subject", f"{DC}description", f"{META}keyword",
               f"{META}user-defined")
# Elements whose own text people read, outside paragraphs: a number format's literal
# text (`` киши``), a currency's symbol, the footer, header and date declared once for
# the slides, a picture's title and description (its alternative text), the title a
# table of contents or an index is given each time it is made again.
_OWN_TEXT = (f"{NUMBER}text", f"{NUMBER}currency-symbol", f"{PRESENTATION}footer-decl",
             f"{PRESENTATION}header-decl", f"{PRESENTATION}date-time-decl", f"{SVG}title",
             f"{SVG}desc", f"{TEXT}index-title-template")
# A data pilot (pivot) table names its source's fields by their header cells and its
# items by the source's cells, which are converted: so are these names, so that they keep
# matching (and what it shows: its items, fields' and totals' captions); the table's own
# name stays.
_DATA_PILOT = {
    f"{TABLE}source-field-name": (f"{TABLE}data-pilot-field", f"{TABLE}data-pilot-groups"),
    f"{TABLE}name": (f"{TABLE}data-pilot-member", f"{TABLE}data-pilot-group",
                     f"{TABLE}data-pilot-group-member"),
    f"{TABLE}field-name": (f"{TABLE}data-pilot-field-reference",),
    f"{TABLE}member-name": (f"{TABLE}data-pilot-field-reference",),
    f"{TABLE}data-field": (f"{TABLE}data-pilot-sort-info", f"{TABLE}data-pilot-display-info"),
    f"{TABLEOOO}display-name": (f"{TABLE}data-pilot-field", f"{TABLE}data-pilot-grand-total"),
    f"{TABLE}display-name": (f"{TABLE}data-pilot-field", f"{TABLE}data-pilot-grand-total"),
}
# The marks of a table of contents' or an index's entries.
_INDEX_MARKS = tuple(f"{TEXT}{name}" for name in (
    "toc-mark", "toc-mark-start", "alphabetical-index-mark", "alphabetical-index-mark-start",
    "user-index-mark", "user-index-mark-start"))
# Attributes people read: list labels' prefix and suffix, a drop-down's items, the cached
# text result of a formula, the titles of a validation's messages, a filter's value,
# index marks' entries.
_TEXT_ATTRIBUTES = {
    f"{STYLE}num-prefix": None, f"{STYLE}num-suffix": None,
    f"{TEXT}value": (f"{TEXT}label",), f"{OFFICE}string-value": None,
    f"{TABLE}title": (f"{TABLE}help-message", f"{TABLE}error-message"),
    f"{TABLE}value": (f"{TABLE}filter-condition",),
    f"{LOEXT}display-text": (f"{LOEXT}list-item",), f"{LOEXT}value": (f"{LOEXT}list-item",),
    f"{OFFICE}title": (f"{TEXT}a", f"{DRAW}a"),  # a link's tooltip
    # what an index mark puts in the index when it is made again (its entry, its keys)
    f"{TEXT}string-value": _INDEX_MARKS, f"{TEXT}key1": _INDEX_MARKS,
    f"{TEXT}key2": _INDEX_MARKS,
    **_DATA_PILOT,
}
# LibreOffice's whole list label, ``Модда %1%.``: its text converted, ``%1%`` kept.
_LIST_FORMAT = f"{LOEXT}num-list-format"
_LEVEL_NUMBER = re.compile(r"%\d+%")
_SHEET_NAME = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"')
# Attributes that are formulas or conditions: their string literals are converted.
_FORMULA_ATTRIBUTES = (f"{TABLE}formula", f"{TABLE}condition", f"{TABLE}expression",
                       f"{CALCEXT}value", f"{STYLE}condition", f"{TEXT}formula",
                       f"{TEXT}condition")


def convert(data: bytes, job: Job, found: Paragraphs | None = None) -> bytes:
    """An OpenDocument file with its text converted (see the module's docstring);
    with `found`, each paragraph's text before and after is gathered there (for --diff)."""
    from .formulas import keeping_sheet_names

    literal: list[Callable[[str, Job], str]] = []  # a string naming a sheet stays

    def work(root: Any, name: str) -> None:
        for paragraph in root.iter(f"{TEXT}p", f"{TEXT}h"):
            runs = SlotRuns(job, found)
            runs.text(paragraph, "text")
            _content(paragraph, runs)
            runs.end_paragraph()
        rare = next(root.iter(*_RARE_TAGS), None) is not None  # (one search, not three)
        if rare:
            convert_elements(root, _PROPERTIES, job, found)
            _own_text(root, job, found)
        _attributes(root, job, literal[0])
        if rare:
            _latin_scripts(root, job)

    if not data.startswith((b"PK", b"\xd0\xcf\x11\xe0")):  # a flat file (.fodt .fods .fodp)
        if not any(f'office:mimetype="{kind}'.encode() in data[:8192] for kind in MIMETYPES):
            raise FormatError("not an OpenDocument file: neither a package nor a flat "
                              "OpenDocument file of a known mimetype")
        literal.append(keeping_sheet_names(_sheet_names(data)))
        return rewrite_xml_file(data, "flat OpenDocument file", job, work)
    package = Package(data, "OpenDocument file")
    if "mimetype" not in package.names or not package.read("mimetype").decode(
            "ascii", "replace").strip().startswith(MIMETYPES):
        raise FormatError("not an OpenDocument file: its mimetype is missing or unknown")
    if "META-INF/manifest.xml" in package.names and b"encryption-data" in package.read(
            "META-INF/manifest.xml"):
        raise FormatError("a password-protected OpenDocument file: translit cannot read it")
    literal.append(keeping_sheet_names(_package_sheet_names(package)))
    names = [info.filename for info in package.members
             if info.filename.rsplit("/", 1)[-1] in PARTS
             and not info.filename.startswith("META-INF/")]

    def containers(name: str) -> tuple[frozenset[str], frozenset[str]] | None:
        # A large content.xml streams a paragraph, a row or a slide at a time
        # (streaming.py), unless the preview gathers paragraphs (in the whole tree's order).
        return (CONTAINERS, UNITS) if found is None and name.endswith("content.xml") else None

    return rewrite_parts(package, names, job, work, containers,
                         lambda container: _own_attributes(container, job, literal[0]))


# What only holds a document's paragraphs, tables, rows and slides (none of which work
# reads outside itself): a large content.xml streams through them; and the tags of their
# usual children, reported by the parser as it reads.
CONTAINERS = frozenset({f"{OFFICE}document-content", f"{OFFICE}body", f"{OFFICE}text",
                        f"{OFFICE}spreadsheet", f"{OFFICE}presentation", f"{OFFICE}drawing",
                        f"{TABLE}table"})
UNITS = frozenset({f"{TEXT}p", f"{TEXT}h", f"{TEXT}list", f"{TEXT}section",
                   f"{TABLE}table-row", f"{TABLE}table-column", f"{TABLE}table-header-rows",
                   f"{TABLE}table-row-group", f"{TABLE}table-rows", f"{DRAW}page"})


def _package_sheet_names(package: Package) -> list[str]:
    """`_sheet_names` of a package's content.xml, read a piece at a time."""
    from .streaming import CheckedReader

    if "content.xml" not in package.names:
        return []
    with package.open("content.xml") as source:
        return _sheet_names_read(CheckedReader(source, "content.xml",
                                               package.damaged("content.xml")))


def _own_text(root: Any, job: Job, found: Paragraphs | None) -> None:
    for element in root.iter(*_OWN_TEXT):
        parent = element.getparent()
        if element.tag == f"{SVG}desc" and parent is not None and parent.tag == f"{DRAW}g" and (
                parent.getparent() is not None and parent.getparent().tag == f"{TABLE}table-cell"):
            continue  # in a chart's table: the range its data comes from
        runs = SlotRuns(job, found)
        runs.text(element)
        runs.end_paragraph()


def _sheet_names(content: bytes) -> list[str]:
    """The names of a spreadsheet's sheets, from its content (a formula's string that names
    one stays)."""
    return [html.unescape(name.decode("utf-8", "replace")) for name in _SHEET_NAME.findall(content)]


def _sheet_names_read(source: Any, size: int = 1 << 16) -> list[str]:
    """`_sheet_names` of what `source.read` gives a piece at a time: the same names, found
    by the same expression where it is decided (a start tag cut by a piece waits for the
    next), without holding the whole.

    >>> import io
    >>> xml = (b'<table:table  table:name="&#1040;1"/><table:table-row/><table:table x="1>"'
    ...        b' table:name="B"/><table:table\ttable:name="C>D"/>')
    >>> _sheet_names(xml)
    ['А1', 'C>D']
    >>> all(_sheet_names_read(io.BytesIO(xml), size) == _sheet_names(xml)
    ...     for size in range(1, len(xml) + 1))
    True
    """
    found: list[bytes] = []
    buffer = b""
    opening = b"<table:table"
    while True:
        chunk = source.read(size)
        buffer += chunk
        at = 0
        while True:
            start = buffer.find(opening, at)
            if start < 0:  # keep what may be the beginning of one
                at = max(at, len(buffer) - len(opening) + 1)
                break
            match = _SHEET_NAME.match(buffer, start)
            if match is not None:
                found.append(match.group(1))
                at = match.end()
            elif chunk and _may_match_later(buffer, start + len(opening)):
                at = start
                break
            else:
                at = start + 1
        buffer = buffer[at:]
        if not chunk:
            return [html.unescape(name.decode("utf-8", "replace")) for name in found]


def _may_match_later(buffer: bytes, after: int) -> bool:
    """Whether `_SHEET_NAME`, failing on a start tag whose name ends at `after`, could
    match once more bytes follow: the tag does not end in `buffer`, or it has its
    ``table:name="`` but not yet the quote that ends the name."""
    if len(buffer) <= after:
        return True
    if buffer[after:after + 1] not in b" \t\n\r\f\v":
        return False
    end = buffer.find(b">", after)
    return end < 0 or buffer.find(b'table:name="', after, end) >= 0

def _attributes(root: Any, job: Job, literal: Callable[[str, Job], str]) -> None:
    """`_own_attributes` of every element below `root` that has one of the attributes it
    converts (their names looked at first: most elements have none of them)."""
    converted = _CONVERTED_ATTRIBUTES
    for element in root.iter():
        if isinstance(element.tag, str) and not converted.isdisjoint(element.keys()):
            _own_attributes(element, job, literal)


def _own_attributes(element: Any, job: Job, literal: Callable[[str, Job], str]) -> None:
    """The attributes of `element` that people read or that are formulas, converted."""
    if element.attrib:
        for name, value in element.attrib.items():
            if name in _TEXT_ATTRIBUTES:
                owners = _TEXT_ATTRIBUTES[name]
                if owners is None or element.tag in owners:
                    element.set(name, job.text(value))
            elif name in _FORMULA_ATTRIBUTES:
                from .formulas import opendocument_formula

                element.set(name, opendocument_formula(value, job, literal))
            elif name == _LIST_FORMAT:
                element.set(name, _list_format(value, job))
            elif name == _LINK and value.startswith("#") and value.endswith(_TO_HEADING):
                element.set(name, _link_to_heading(value, job))


# A link's target: in the document, a link to a heading names the heading by its text
# (``#Кириш|outline``, LibreOffice's "target in document"), which is converted.
_LINK = f"{XLINK}href"
_TO_HEADING = "|outline"
# Every attribute `_own_attributes` may convert.
_CONVERTED_ATTRIBUTES = frozenset({*_TEXT_ATTRIBUTES, *_FORMULA_ATTRIBUTES, _LIST_FORMAT,
                                   _LINK})
# What the converters of a part's properties, own texts and scripts act on.
_RARE_TAGS = (*_PROPERTIES, *_OWN_TEXT, f"{STYLE}text-properties")


def _list_format(value: str, job: Job) -> str:
    runs = Runs(job)
    done = 0
    for match in _LEVEL_NUMBER.finditer(value):
        runs.text(value[done:match.start()])
        runs.kept(match.group())
        done = match.end()
    runs.text(value[done:])
    return runs.finish()


def _link_to_heading(target: str, job: Job) -> str:
    """``#Кириш|outline`` → ``#Kirish|outline``: the heading's text (after its number, if
    it has one: ``#1.2.Кириш|outline``) converted as the heading is, so that the link still
    finds it. A target written percent-encoded (``#%D0%9A…``) stays so."""
    from urllib.parse import quote, unquote

    heading = target[1:-len(_TO_HEADING)]
    decoded = unquote(heading)
    converted = job.text(decoded)
    if converted == decoded:
        return target
    if decoded != heading:  # it was encoded: encode the new text alike
        converted = quote(converted, safe=_UNENCODED)
    return f"#{converted}{_TO_HEADING}"


# What a percent-encoded heading's name writes as it is (besides letters and digits).
_UNENCODED = "!$&'()*+,-./:;=?@_~"


def _content(element: Any, runs: SlotRuns) -> None:
    """The text inside a paragraph, after its own text: children's text and tails."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in (f"{TEXT}p", f"{TEXT}h") or tag in _APART:
            runs.boundary()
        elif tag in _BREAKS:
            runs.boundary(_BREAKS[tag])
        else:  # a span, a link, a field: its text, and what is inside it
            runs.text(child, "text")
            _content(child, runs)
        runs.text(child, "tail")


def _latin_scripts(root: Any, job: Job) -> None:
    """``fo:script="Cyrl"`` on text properties for Uzbek made ``Latn``."""
    for element in root.iter(f"{STYLE}text-properties"):
        for script, language in _SCRIPTS:
            value = element.get(script)
            if value is not None and value.lower() == "cyrl" and (
                    element.get(language) or "").lower() == "uz":
                element.set(script, job.rewrote(value, "Latn"))
