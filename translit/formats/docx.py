"""Word documents (``.docx .docm .dotx .dotm``): the text of every part people read.

Converted: the body (paragraphs, tables, text boxes, content controls), headers and
footers, footnotes and endnotes, comments, the building blocks of the glossary document
(the placeholder text an empty content control shows), the labels of numbered lists
(``Модда %1.``), charts (titles, series names and categories, and the workbook a chart
is edited from), SmartArt text, pictures' alternative text, drop-down lists' items, form
fields' help, links' tooltips, the custom XML values content controls are bound to (as
the controls' text), the document's title, subject, description, keywords and custom
properties' values;
deleted text of tracked changes is converted on its own (``--diff`` shows it after its
paragraph). Every run keeps its formatting, and a word split across runs (``Ц`` bold,
``ентр`` plain) is converted as one word. Never: field codes (``HYPERLINK …``, ``TOC …``:
the displayed results are converted, and the texts a field shows when it is updated, an
index entry's ``XE "…"``, a contents entry's ``TC "…"``, a link's tooltip), hyperlink
targets, style names, bookmarks, authors.
The language tags ``uz-Cyrl-UZ`` become ``uz-Latn-UZ``. Parts that hold no text are copied
byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .base import Job, Runs
from .formulas import field_texts
from .drawing import (
    ALT_TEXT_TAGS,
    CHART_TAGS,
    A,
    convert_alt_text,
    convert_chart_text,
    convert_drawing_paragraphs,
)
from .package import (
    CUSTOM_PROPERTIES,
    CUSTOM_PROPERTY_TAGS,
    PROPERTY_TAGS,
    Package,
    Paragraphs,
    SlotRuns,
    content_types,
    convert_elements,
    parse_xml,
    rewrite_parts,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DS = "{http://schemas.openxmlformats.org/officeDocument/2006/customXml}"
_PREFIX_MAPPING = re.compile(r"""xmlns:([\w.-]+)\s*=\s*(['"])(.*?)\2""")

# Parts by the end of their content type: with paragraphs, with only language tags, and
# the document's properties.
TEXT_PARTS = ("document.main+xml", "document.macroEnabled.main+xml", "template.main+xml",
              "template.macroEnabledTemplate.main+xml", "document.glossary+xml",
              "header+xml", "footer+xml",
              "footnotes+xml", "endnotes+xml", "comments+xml", "numbering+xml",
              "drawingml.chart+xml", "chartex+xml", "drawingml.diagramData+xml",
              "drawingml.diagramDrawing+xml")
LANGUAGE_PARTS = ("wordprocessingml.styles+xml", "wordprocessingml.settings+xml")
PROPERTY_PARTS = ("package.core-properties+xml",)

# What only holds a part's paragraphs, tables and sections (and what each of those converts
# on its own does the same in the whole part): a large part streams through them.
CONTAINERS = frozenset(f"{W}{name}" for name in (
    "document", "body", "hdr", "ftr", "footnotes", "endnotes", "comments"))
UNITS = frozenset(f"{W}{name}" for name in (
    "p", "tbl", "sdt", "sectPr", "footnote", "endnote", "comment"))

# Inside a paragraph: what ends a run of words, and what holds no text at all.
_BREAKS = {f"{W}{name}": shown for name, shown in (
    ("tab", "\t"), ("ptab", "\t"), ("br", "\n"), ("cr", "\n"), ("noBreakHyphen", "-"),
    ("sym", " "), ("footnoteReference", " "), ("endnoteReference", " "),
    ("commentReference", ""), ("drawing", " "), ("pict", " "), ("object", " "),
    ("fldChar", ""), ("separator", ""), ("continuationSeparator", ""))}
_NO_TEXT = frozenset(f"{W}{name}" for name in (
    "rPr", "pPr", "sectPr", "tblPr", "trPr", "tcPr", "sdtPr", "sdtEndPr", "instrText",
    "delInstrText", "bookmarkStart", "bookmarkEnd", "proofErr", "lastRenderedPageBreak"))


def convert(data: bytes, job: Job, found: Paragraphs | None = None) -> bytes:
    """A Word document with its text converted (see the module's docstring);
    with `found`, each paragraph's text before and after is gathered there (for --diff)."""
    package = Package(data, "Word document")
    types = content_types(package)

    items = custom_xml_stores(package)  # converted last: the controls bound to them first
    bindings: dict[str, list[tuple[str, dict[str, str]]]] = {}

    def work(root: Any, name: str) -> None:
        kind = types[name]
        if name in items:
            convert_bound_values(root, bindings.get(items[name], []), job)
        elif kind.endswith(TEXT_PARTS):
            if items:
                _bindings(root, bindings)
            convert_word_paragraphs(root, job, found)
            if next(root.iter(*_RARE_TAGS), None) is not None:  # (one search, not six)
                convert_drawing_paragraphs(root, job, found)
                convert_chart_text(root, job, found)
                convert_alt_text(root, job, found)
                convert_list_labels(root, job)
                convert_form_fields(root, job, found)
            # (fields are in most bodies, a table of contents' every line: not behind the
            # gate of the rare converters, whose searches each would then make; its own
            # searches for fields are the gate)
            convert_field_texts(root, job)
        elif kind.endswith(PROPERTY_PARTS):
            convert_elements(root, PROPERTY_TAGS, job, found)
        elif kind.endswith(CUSTOM_PROPERTIES):
            convert_elements(root, CUSTOM_PROPERTY_TAGS, job, found)

    names = [info.filename for info in package.members
             if types.get(info.filename, "").endswith(TEXT_PARTS + LANGUAGE_PARTS + PROPERTY_PARTS
                                                     + CUSTOM_PROPERTIES)] + list(items)
    def containers(name: str) -> tuple[frozenset[str], frozenset[str]] | None:
        # Streamed paragraph by paragraph (streaming.py): the text parts, unless the
        # preview gathers paragraphs (it shows them in the whole tree's order).
        if found is None and name not in items and types[name].endswith(TEXT_PARTS):
            return CONTAINERS, UNITS
        return None

    return rewrite_parts(package, names, job, work, containers)


def convert_word_paragraphs(root: Any, job: Job, found: Paragraphs | None) -> None:
    """Convert every ``<w:p>`` below `root` (a paragraph in a text box is one of its own)."""
    for paragraph in root.iter(f"{W}p"):
        runs = SlotRuns(job, found)
        deleted = SlotRuns(job, found)  # shown apart by --diff, after its paragraph
        if not _found_content(paragraph, runs, deleted):
            _paragraph_content(paragraph, runs, deleted)
        runs.end_paragraph()
        deleted.end_paragraph()


def _found_content(paragraph: Any, runs: SlotRuns, deleted: SlotRuns) -> bool:
    """What `_paragraph_content` does, found by lxml's tag filter: only the elements it
    acts on are made Python objects (not every run's properties), each taken if every
    element between it and the paragraph is one `_paragraph_content` reads inside (a
    run, a link, an insertion ...). A third of the time of the walk over every child of
    every run. False, nothing done, for a paragraph with alternative content (each
    alternative is a run of its own: `_paragraph_content` reads it)."""
    actions: list[tuple[str, Any]] = []
    kinds = _KINDS
    for element in paragraph.iter(*_ACTED_ON):
        parent = element.getparent()
        while parent is not paragraph:
            if parent.tag in kinds:
                break  # inside what is skipped, a text or a break: not read
            parent = parent.getparent()
        else:
            kind = kinds[element.tag]
            if kind is _ALTERNATIVES:
                return False
            actions.append((kind, element))
    for kind, element in actions:
        if kind is _TEXT:
            runs.text(element)
        elif kind is _DELETED:
            deleted.text(element)
        else:
            runs.boundary(_BREAKS[element.tag])
            deleted.boundary()
    return True


def _paragraph_content(element: Any, runs: SlotRuns, deleted: SlotRuns) -> None:
    for child in element:
        kind = _KINDS.get(child.tag, _INSIDE)
        if kind is _INSIDE:  # a run, a hyperlink, a content control, an insertion ...
            if len(child):
                _paragraph_content(child, runs, deleted)
        elif kind is _TEXT:
            runs.text(child)
        elif kind is _SKIPPED:
            continue  # a nested paragraph is converted on its own
        elif kind is _DELETED:
            deleted.text(child)
        elif kind is _ALTERNATIVES:
            runs.boundary()
            for choice in child:  # each alternative is a run of its own
                _paragraph_content(choice, runs, deleted)
                runs.boundary("")
        else:
            runs.boundary(_BREAKS[child.tag])
            deleted.boundary()


# What `_paragraph_content` does with a child, by its tag (one lookup, not a chain of
# tests: this runs for every element of every paragraph); any other tag: what is inside
# (a comment's or a processing instruction's ``tag`` is a function: it holds nothing).
_TEXT, _DELETED, _SKIPPED, _BREAK, _ALTERNATIVES, _INSIDE = (
    "text", "deleted", "skipped", "break", "alternatives", "inside")
_KINDS: dict[Any, str] = {
    f"{W}t": _TEXT, f"{W}delText": _DELETED, f"{W}p": _SKIPPED,
    **dict.fromkeys(_NO_TEXT, _SKIPPED), **dict.fromkeys(_BREAKS, _BREAK),
    f"{MC}AlternateContent": _ALTERNATIVES}
# What `_found_content` looks for: what `_paragraph_content` acts on but runs' insides.
_ACTED_ON = tuple(tag for tag, kind in _KINDS.items() if kind is not _SKIPPED)


# Text of content controls and form fields people read: (element, attribute); an item's
# value too, since Word shows the item whose value is the control's text.
_FORM_TEXT = tuple((f"{W}{element}", f"{W}{attribute}") for element, attribute in (
    ("listItem", "displayText"), ("listItem", "value"), ("listEntry", "val"),
    ("alias", "val"), ("helpText", "val"), ("statusText", "val"), ("default", "val"),
    ("hyperlink", "tooltip")))
_FORM_TAGS = tuple(dict.fromkeys(tag for tag, _ in _FORM_TEXT))

# What the converters after `convert_word_paragraphs` act on (a paragraph of a large body
# mostly holds none of them): DrawingML paragraphs, charts' values and number formats,
# pictures' and shapes' properties and links, list labels, form fields.
_RARE_TAGS = (f"{A}p", *CHART_TAGS, *ALT_TEXT_TAGS, f"{A}hlinkClick",
              f"{A}hlinkHover", f"{W}lvlText", *_FORM_TAGS)


def convert_field_texts(root: Any, job: Job) -> None:
    """The text a field puts in the document when it is updated, in its code: an index
    entry's (``XE "Шаҳар:Жойлар" \\t "Қаранг: Тошкент"``), a table of contents entry's
    (``TC "Кириш"``), a link's tooltip (``HYPERLINK \\l "Белги" \\o "Маслаҳат"``); the
    field's name and its other switches (a bookmark, a style, a date's picture) stay. A
    code written over several runs is read as one, and each converted text goes back in
    the run where it begins."""
    for simple in root.iter(f"{W}fldSimple"):
        code = simple.get(f"{W}instr")
        if code:
            simple.set(f"{W}instr", _replaced_in_pieces([code], field_texts(code, job))[0])
    for pieces in _field_codes(root):
        code = "".join(piece.text or "" for piece in pieces)
        replacements = field_texts(code, job)
        if replacements:
            texts = _replaced_in_pieces([piece.text or "" for piece in pieces], replacements)
            for piece, text in zip(pieces, texts):
                piece.text = text


def _field_codes(root: Any) -> Iterator[list[Any]]:
    """The ``<w:instrText>`` of each complex field below `root`: those between its begin
    and its separate (or end) ``<w:fldChar>``; a field inside another's code is one of
    its own."""
    codes: list[list[Any] | None] = []  # of the fields begun, innermost last (None: in
    # its result, past its separate)
    for element in root.iter(f"{W}fldChar", f"{W}instrText"):
        if element.tag == f"{W}instrText":
            if codes and codes[-1] is not None:
                codes[-1].append(element)
            continue
        kind = element.get(f"{W}fldCharType")
        if kind == "begin":
            codes.append([])
        elif kind in ("separate", "end") and codes:
            pieces = codes.pop()
            if pieces:
                yield pieces
            if kind == "separate":
                codes.append(None)


def _replaced_in_pieces(texts: list[str], replacements: list[tuple[int, int, str]]
                        ) -> list[str]:
    """`texts`, which joined make a code, with each (start, end, new) of the code replaced:
    the new text in the piece where the span begins, the rest of the span taken out of the
    pieces it runs over (the replacements in order, none overlapping)."""
    texts = list(texts)
    for start, end, new in reversed(replacements):
        offset = 0
        for index, text in enumerate(texts):
            low, high = max(start, offset), min(end, offset + len(text))
            if offset <= start < offset + len(text):
                texts[index] = text[:start - offset] + new + text[high - offset:]
            elif low < high:
                texts[index] = text[:low - offset] + text[high - offset:]
            offset += len(text)
    return texts




def convert_form_fields(root: Any, job: Job, found: Paragraphs | None) -> None:
    """The items of drop-down lists (content controls' ``<w:listItem>``, legacy form
    fields' ``<w:ddList><w:listEntry>``), a control's title, a form field's help and
    default text, a link's tooltip; a help text that names an AutoText entry stays."""
    if next(root.iter(*_FORM_TAGS), None) is None:
        return  # most parts and paragraphs: one search instead of one a tag
    for tag, attribute in _FORM_TEXT:
        for element in root.iter(tag):
            if element.get(f"{W}type") == "autoText":
                continue
            runs = SlotRuns(job, found)
            runs.text(element, attribute)
            runs.end_paragraph()


def convert_list_labels(root: Any, job: Job) -> None:
    """The text of numbered list labels (``<w:lvlText w:val="%1-модда.">``)."""
    for label in root.iter(f"{W}lvlText"):
        value = label.get(f"{W}val")
        if value:
            runs = Runs(job)
            runs.text_with_placeholders(value)
            label.set(f"{W}val", runs.finish())


def custom_xml_stores(package: Package) -> dict[str, str]:
    """The custom XML items of a package (``customXml/item1.xml``) → their store's ID
    (``{6C3C…}``, from the item's properties, found by its relationship): what content
    controls are bound to."""
    names = {info.filename for info in package.members}
    stores: dict[str, str] = {}
    for name in sorted(names):
        folder, _, leaf = name.rpartition("/")
        relations = f"{folder}/_rels/{leaf}.rels"
        if not (folder.endswith("customXml") and leaf.startswith("item")
                and relations in names):
            continue
        for target in re.findall(rb'Target="([^"]+)"', package.read(relations)):
            properties = f"{folder}/{target.decode('utf-8', 'replace')}"
            if properties in names:
                root = parse_xml(package.read(properties), properties).getroot()
                store = (root.get(f"{DS}itemID") or "").upper()
                if store:
                    stores[name] = store
    return stores


def _bindings(root: Any, bindings: dict[str, list[tuple[str, dict[str, str]]]]) -> None:
    """The data bindings of the content controls below `root`, by their store's ID: the
    path of the value bound (``/ns0:root[1]/ns0:city[1]``) and its prefixes. Word writes a
    bound value into its control when it opens the document, so it is converted as the
    control's text is; the rest of the item is data for programs and stays."""
    for binding in root.iter(f"{W}dataBinding"):
        store, path = binding.get(f"{W}storeItemID", ""), binding.get(f"{W}xpath", "")
        prefixes = {m.group(1): m.group(3) for m in
                    _PREFIX_MAPPING.finditer(binding.get(f"{W}prefixMappings", ""))}
        if store and path:
            paths = bindings.setdefault(store.upper(), [])
            if (path, prefixes) not in paths:  # each value converted once
                paths.append((path, prefixes))


def convert_bound_values(root: Any, paths: list[tuple[str, dict[str, str]]], job: Job) -> None:
    """The values (an element's text, or an attribute) a content control is bound to."""
    from lxml import etree

    for path, prefixes in paths:
        try:
            found = root.xpath(path, namespaces=prefixes)
        except (etree.XPathError, TypeError, ValueError):
            continue  # a path lxml cannot read: the value stays (the audit names it)
        for value in found if isinstance(found, list) else ():
            if isinstance(value, etree._Element) and value.text and len(value) == 0:
                value.text = job.text(value.text)
            elif getattr(value, "is_attribute", False):
                owner = value.getparent()
                owner.set(value.attrname, job.text(str(value)))
