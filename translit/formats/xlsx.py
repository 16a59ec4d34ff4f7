"""Excel workbooks (``.xlsx .xlsm .xltx .xltm``): the text in cells and around them.

Converted: the text of cells (shared strings and inline strings, rich text run by run),
comments and threaded comments, text boxes and shapes on sheets and their alternative
text, charts (titles, series names, categories and their caches), the prompts and error
messages of data validation, page headers and footers (their ``&`` codes kept), the
workbook's title, subject, description and keywords, custom properties' values, sheet
names, and pivot tables: their caches' text items (as the source cells they copy) and
their captions. So that the workbook computes what it did, the string literals of formulas
(cells, shared and array formulas, defined names, validation lists, conditional formats
and the text they look for, tables' calculated columns and totals), the cached text
results of formulas, the quoted text of number formats and tables' totals row labels are
converted as the cells are (see formulas.py).

Renaming a sheet updates every reference to it: formulas, defined names, data
validation and conditional formats, hyperlinks (a picture's or a shape's too, kept as a
relationship's target ``#Лист1!A1``), text boxes that show a cell, charts (their data
labels taken from cells too), pivot cache sources and the document's list of parts. A
sheet keeps its name when renaming it could break something: the new name would be too
long, taken or not allowed, a formula names the sheet in a string
(``INDIRECT("Лист1!A1")``), a part translit does not rewrite mentions it, or the workbook
has macros. Never converted: references, function names, defined names, a
formula's string that names a sheet, and the strings that name a table's columns or a
pivot table's fields (their header cells must keep matching them). The workbook's
package is rewritten in place, part by part: images and everything translit does not
touch stay as they were.
"""

from __future__ import annotations

import functools
import io
import re
import tempfile
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import unquote

from .base import Job, latin_language_attributes
from .drawing import convert_alt_text, convert_chart_text, convert_drawing_paragraphs
from .formulas import (
    excel_formula,
    formula_tokens,
    keeping_sheet_names,
    number_format,
    validation_list,
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
    convert_embedded,
    may_hold_language_tag,
    parse_xml,
    serialize_xml,
    stream_part,
)

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"

WORKBOOK = ("sheet.main+xml", "sheet.macroEnabled.main+xml", "template.main+xml",
            "template.macroEnabled.main+xml")
MACRO_WORKBOOK = ("macroEnabled.main+xml",)
SHARED_STRINGS = ("sharedStrings+xml",)
WORKSHEET = ("worksheet+xml",)
COMMENTS = ("spreadsheetml.comments+xml",)
THREADED_COMMENTS = ("threadedcomments+xml",)
DRAWINGS = ("drawing+xml", "drawingml.chart+xml", "chartex+xml", "drawingml.diagramData+xml")
CHART = ("drawingml.chart+xml", "chartex+xml")
PIVOT_CACHE = ("pivotCacheDefinition+xml",)
PIVOT_RECORDS = ("pivotCacheRecords+xml",)
PIVOT_TABLE = ("pivotTable+xml",)
TABLE = ("spreadsheetml.table+xml",)
SLICERS = ("ms-excel.slicer+xml", "ms-excel.timeline+xml")
APP = ("extended-properties+xml",)
STYLES = ("spreadsheetml.styles+xml",)
CORE = ("package.core-properties+xml",)
# The table of shared strings streams through its root, a string at a time; a sheet
# through itself and its table of cells, a row at a time (and its other children: merged
# cells, validations, links, headers ... each at a time).
STRING_TABLE = frozenset({f"{S}sst"})
STRINGS = frozenset({f"{S}si"})
SHEET = frozenset({f"{S}worksheet", f"{S}sheetData"})
SHEET_UNITS = frozenset(f"{S}{name}" for name in (
    "row", "cols", "mergeCells", "conditionalFormatting", "dataValidations", "hyperlinks",
    "headerFooter", "extLst", "sheetViews", "sheetFormatPr", "pageMargins", "pageSetup"))
MAX_SHEET_NAME = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
# A sheet's name that a formula writes without quotes: word characters (letters of any
# script, ʻ and ʼ among them, digits, _) and dots, not starting with a digit or a dot, as
# Excel and LibreOffice write one (``Маълумот!A1``, ``Maʼlumot!A1``). LibreOffice reads
# no quoted reference to a range of sheets (``'Oʻquv1:Oʻquv2'!B2`` is #NAME? there).
_PLAIN_SHEET_NAME = re.compile(r"[^\W\d][\w.]*")
_CELL_LIKE = re.compile(r"(?:[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*|TRUE|FALSE)", re.IGNORECASE)
_HEADER_CODE = re.compile(r'&(?:"[^"]*"|\d+|.)', re.DOTALL)
_VALIDATION_TEXT = ("promptTitle", "prompt", "errorTitle", "error")
_HEADERS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")


def convert(data: bytes, job: Job, found: Paragraphs | None = None) -> bytes:
    """A workbook with its text converted (see the module's docstring);
    with `found`, each paragraph's text before and after is gathered there (for --diff)."""
    return _Workbook(data, job, found).converted()


class _Workbook:
    def __init__(self, data: bytes, job: Job, found: Paragraphs | None) -> None:
        self.data, self.job, self.found = data, job, found
        self.package = Package(data, "Excel workbook")
        self.types = content_types(self.package)
        self.trees: dict[str, Any] = {}
        self.originals: dict[str, bytes] = {}
        self.changed: set[str] = set()
        self.streamed: dict[str, bytes | IO[bytes]] = {}  # parts converted as they streamed
        # Sheets that streamed: those with a reference a sheet's new name would change
        # (renamed in a second pass, see `_rename_streamed`), and the names that cannot
        # be renamed because of what one of them holds (as `_safe` finds in a tree).
        self.streamed_sheets: set[str] = set()
        self.to_rename: set[str] = set()
        self.unsafe: set[str] = set()

    def parts(self, kinds: tuple[str, ...]) -> list[str]:
        return [info.filename for info in self.package.members
                if self.types.get(info.filename, "").endswith(kinds)]

    def tree(self, name: str) -> Any:
        if name not in self.trees:
            self.originals[name] = self.package.read(name)
            self.trees[name] = parse_xml(self.originals[name], name)
        return self.trees[name]

    def converted(self) -> bytes:
        kept = self._names_that_must_stay()
        for name in self.parts(SHARED_STRINGS):
            # A large table of strings (the text of every cell) is converted as it streams,
            # a string at a time (streaming.py), unless the preview gathers its text.
            if self.found is None and stream_part(
                    self.package, name, self.job,
                    lambda unit, name: self._strings(unit, f"{S}si", kept),
                    (STRING_TABLE, STRINGS), self.streamed):
                continue
            self._convert(name, lambda root: self._strings(root, f"{S}si", kept))
        proposed = self._proposed_renames()
        for name in self.parts(WORKSHEET):
            if self.found is None and self._stream_sheet(name, kept, proposed):
                continue
            self._convert(name, lambda root: self._worksheet(root, kept))
        for name in self.parts(COMMENTS):
            self._convert(name, lambda root: self._strings(root, f"{S}text", frozenset()))
        for name in self.parts(THREADED_COMMENTS):
            self._convert(name, lambda root: self._plain(root, "text"))
        for name in self.parts(DRAWINGS):
            self._convert(name, lambda root: convert_drawing_paragraphs(root, self.job, self.found))
            self._convert(name, lambda root: convert_alt_text(root, self.job, self.found))
        for name in self.parts(CHART):
            self._convert(name, lambda root: convert_chart_text(root, self.job, self.found))
        for name in self.parts(STYLES):
            self._convert(name, self._number_formats)
        for name in self.parts(PIVOT_CACHE + PIVOT_RECORDS):
            self._convert(name, lambda root: self._pivot_items(root, kept))
        for name in self.parts(PIVOT_TABLE):
            self._convert(name, self._pivot_captions)
        for name in self.parts(TABLE):
            self._convert(name, lambda root: self._table(root, kept))
        for name in self.parts(SLICERS):
            self._convert(name, self._slicer_captions)
        for name in self.parts(WORKBOOK):
            self._convert(name, self._defined_names)
        for name in self.parts(CORE):
            self._convert(name, lambda root: convert_elements(root, PROPERTY_TAGS, self.job,
                                                              self.found))
        for name in self.parts(CUSTOM_PROPERTIES):
            self._convert(name, lambda root: convert_elements(root, CUSTOM_PROPERTY_TAGS,
                                                              self.job, self.found))
        self._rename_sheets()
        replaced: dict[str, bytes | IO[bytes]] = {
            name: serialize_xml(self.trees[name], self.originals[name]) for name in self.changed}
        replaced.update(self.streamed)
        replaced.update(convert_embedded(self.package, self.job))
        return self.package.written(replaced) if replaced else self.data

    def _stream_sheet(self, name: str, kept: frozenset[str], proposed: dict[str, str]
                      ) -> bool:
        """A large sheet converted as it streams, a row at a time (False: it is small or
        not streamable, and nothing was done). Its references are read as they pass, as
        `_safe` and `_rename_sheets` read those of a sheet held whole: which proposed new
        names they forbid, and whether one of them would change."""
        lowered = {old.lower(): new for old, new in proposed.items()}
        unsafe: set[str] = set()
        renamed = [False]

        def work(unit: Any, _: str) -> None:
            self._worksheet(unit, kept)
            if not proposed:
                return
            for element, slot in _sheet_references(unit):
                value = element.text if slot == "text" else element.get(slot)
                new = _renamed_formula(value, lowered)
                if new is None or _named_in_strings(value, lowered):
                    unsafe.update(old for old in proposed if old.lower() in value.lower())
                elif new != value:
                    renamed[0] = True

        if not stream_part(self.package, name, self.job, work, (SHEET, SHEET_UNITS),
                           self.streamed):
            return False
        self.streamed_sheets.add(name)
        self.unsafe |= unsafe
        if renamed[0]:
            self.to_rename.add(name)
        return True

    def _proposed_renames(self) -> dict[str, str]:
        """old → new names of the sheets `_rename_sheets` may rename (none: it renames none)."""
        workbooks = self.parts(WORKBOOK)
        if len(workbooks) != 1 or self.types[workbooks[0]].endswith(MACRO_WORKBOOK):
            return {}
        sheets = self.tree(workbooks[0]).getroot().iter(f"{S}sheet")
        return _proposed_names([sheet.get("name", "") for sheet in sheets], self.job)

    def _convert(self, name: str, work: Any) -> None:
        tree = self.tree(name)
        root = tree.getroot()
        before, self.job.changed = self.job.changed, False
        work(root)
        if may_hold_language_tag(self.originals[name], tree):
            latin_language_attributes(root, self.job)
        if self.job.changed:
            self.changed.add(name)
        self.job.changed = self.job.changed or before

    # --- text ---

    def _strings(self, root: Any, tag: str, kept: frozenset[str]) -> None:
        """Strings made of ``<t>`` or of rich-text runs ``<r><t>`` (phonetic runs left out)."""
        for string in root.iter(tag):
            texts = [t for t in _own_texts(string)]
            if "".join(t.text or "" for t in texts) in kept:
                continue
            runs = SlotRuns(self.job, self.found)
            for text in texts:
                runs.text(text)
            runs.end_paragraph()

    def _worksheet(self, root: Any, kept: frozenset[str]) -> None:
        self._strings(root, f"{S}is", kept)
        self._formulas(root)
        if next(root.iter(*_RARE_SHEET_TAGS), None) is None:
            return  # a row: one search for what only a sheet's other parts hold
        for validation in root.iter(f"{S}dataValidation"):
            for attribute in _VALIDATION_TEXT:
                runs = SlotRuns(self.job, self.found)
                runs.text(validation, attribute)
                runs.end_paragraph()
        for header in _HEADERS:
            for element in root.iter(f"{S}{header}"):
                if element.text:
                    element.text = _header_text(element.text, self.job)
        self._filters(root)

    def _filters(self, root: Any) -> None:
        """The values an autofilter shows (``<filter val="Тошкент"/>``) and those a custom
        filter compares with (``*қанд``): converted as the cells they are compared with
        when the filter is applied again."""
        for element in root.iter(f"{S}filter", f"{S}customFilter"):
            value = element.get("val")
            if value:
                element.set("val", self.job.text(value))
        # A sort by a list of one's own (Тошкент,Самарқанд): its values, as the cells'.
        for element in root.iter(f"{S}sortCondition"):
            value = element.get("customList")
            if value:
                element.set("customList", self.job.text(value))

    def _formulas(self, root: Any) -> None:
        """The string literals of formulas (cells, validation, conditional formats, and
        their x14 extensions), the cached text results of formulas, and the text a
        "contains text" rule looks for: converted as the cells are, so that the sheet
        computes what it did (a literal that names a sheet stays, like the sheet's name
        in it may)."""
        for element in root.iter(*_FORMULA_TAGS):  # found by lxml: not every value in Python
            local = element.tag.rsplit("}", 1)[-1]
            if local in _FORMULAS and element.text:
                if _in_list_validation(element):
                    element.text = validation_list(element.text, self.job)
                else:
                    element.text = excel_formula(element.text, self.job, self._literal)
            elif local == "hyperlink":
                for attribute in _LINK_TEXT:
                    if element.get(attribute):
                        element.set(attribute, self.job.text(element.get(attribute)))
            elif local == "cfRule" and element.get("text"):
                element.set("text", self.job.text(element.get("text")))
            elif (local == "c" and element.get("t") == "str"
                  and element.find(f"{S}f") is not None):
                for value in element.iter(f"{S}v"):
                    runs = SlotRuns(self.job, self.found)
                    runs.text(value)
                    runs.end_paragraph()

    def _literal(self, text: str, job: Job) -> str:
        """A formula's string literal: converted, unless it names a sheet."""
        if not hasattr(self, "_keeping"):
            self._keeping = keeping_sheet_names(
                [sheet.get("name", "") for name in self.parts(WORKBOOK)
                 for sheet in self.tree(name).getroot().iter(f"{S}sheet")])
        return self._keeping(text, job)

    def _defined_names(self, root: Any) -> None:
        """The string literals of defined names' formulas (the names themselves stay)."""
        for element in root.iter(f"{S}definedName"):
            if element.text:
                element.text = excel_formula(element.text, self.job, self._literal)

    def _number_formats(self, root: Any) -> None:
        """The quoted text of number formats (``#,##0" киши"``)."""
        for element in root.iter(f"{S}numFmt"):
            code = element.get("formatCode")
            if code:
                element.set("formatCode", number_format(code, self.job))

    def _pivot_items(self, root: Any, kept: frozenset[str]) -> None:
        """A pivot cache's text items (``<s v="Тошкент"/>``, in its shared items, records
        and groups): converted as the source cells they copy are (a cell that names a field
        stays, and so does its item), so that the cache matches its source and a refresh
        changes nothing."""
        for item in root.iter(f"{S}s"):
            value = item.get("v")
            if value and value not in kept:
                item.set("v", self.job.text(value))

    def _table(self, root: Any, kept: frozenset[str]) -> None:
        """A table's totals row label, converted as the cell that shows it is, the string
        literals of its calculated columns' and totals' formulas, as its cells' formulas'
        (Excel writes a calculated column's formula into each row added to the table), and
        its filter's values; its name and its columns' names stay, as their header cells."""
        for column in root.iter(f"{S}tableColumn"):
            label = column.get("totalsRowLabel")
            if label and label not in kept:
                column.set("totalsRowLabel", self.job.text(label))
        for element in root.iter(f"{S}calculatedColumnFormula", f"{S}totalsRowFormula"):
            if element.text:
                element.text = excel_formula(element.text, self.job, self._literal)
        self._filters(root)

    def _slicer_captions(self, root: Any) -> None:
        """The header a slicer or a timeline shows (``caption``); its name and its cache's
        stay, as identifiers (its buttons are the pivot cache's items, converted there)."""
        for element in root.iter("{*}slicer", "{*}timeline"):
            caption = element.get("caption")
            if caption:
                element.set("caption", self.job.text(caption))

    def _pivot_captions(self, root: Any) -> None:
        """What a pivot table shows of its own: its data fields' names ("Сумма - Сони"),
        its items' captions and its captions (of values, totals, errors, headers), and its
        label filters' values; the table's own name stays, as an identifier."""
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            local = element.tag.rsplit("}", 1)[-1]
            for attribute in _PIVOT_CAPTIONS.get(local, ()):
                value = element.get(attribute)
                if value:
                    element.set(attribute, self.job.text(value))
        self._filters(root)  # (a label filter keeps its condition as an autofilter too)

    def _plain(self, root: Any, local: str) -> None:
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag.endswith("}" + local):
                runs = SlotRuns(self.job, self.found)
                runs.text(element)
                runs.end_paragraph()

    def _names_that_must_stay(self) -> frozenset[str]:
        """Table column names and pivot field names: their header cells must match them."""
        names: set[str] = set()
        for name in self.parts(TABLE):
            names.update(c.get("name", "") for c in self.tree(name).getroot().iter(f"{S}tableColumn"))
        for name in self.parts(PIVOT_CACHE):
            names.update(f.get("name", "") for f in self.tree(name).getroot().iter(f"{S}cacheField"))
        return frozenset(n for n in names if n)

    # --- sheet names ---

    def _rename_sheets(self) -> None:
        workbooks = self.parts(WORKBOOK)
        if len(workbooks) != 1 or self.types[workbooks[0]].endswith(MACRO_WORKBOOK):
            return  # macros may name sheets in code translit cannot read
        workbook = self.tree(workbooks[0]).getroot()
        sheets = list(workbook.iter(f"{S}sheet"))
        renames = _proposed_names([s.get("name", "") for s in sheets], self.job)
        if not renames:
            return
        renames = self._safe(renames, workbooks[0])
        if not renames:
            return
        lowered = {old.lower(): new for old, new in renames.items()}
        for sheet in sheets:
            old = sheet.get("name", "")
            if old in renames:
                sheet.set("name", self.job.rewrote(old, renames[old]))
                if self.found is not None:
                    self.found.pairs.append((old, renames[old]))
        self.changed.add(workbooks[0])
        for name, element, slot in self._references():
            value = element.text if slot == "text" else element.get(slot)
            new = _renamed_value(value, slot, lowered)
            if new is not None and new != value:
                if slot == "text":
                    element.text = new
                else:
                    element.set(slot, new)
                self.changed.add(name)
        for name in sorted(self.to_rename):
            self._rename_streamed(name, lowered)
        self.job.changed = True

    def _rename_streamed(self, name: str, lowered: dict[str, str]) -> None:
        """A streamed sheet's references renamed as `_rename_sheets` renames a sheet's held
        whole: its converted XML (or, if the conversion changed nothing, the original)
        streams once more, a row at a time; if it cannot, it is renamed whole."""
        from .package import parse_xml, serialize_xml
        from .streaming import CheckedReader, NotStreamable, stream_xml

        def work(unit: Any, _: str) -> None:
            for element, slot in _sheet_references(unit):
                value = element.text if slot == "text" else element.get(slot)
                if "!" not in value:
                    continue  # it names no sheet (`_renamed_reference`): not read again
                new = _renamed_formula(value, lowered)
                if new is not None and new != value:
                    if slot == "text":
                        element.text = new
                    else:
                        element.set(slot, new)

        converted = self.streamed.get(name)  # a temporary file (see `stream_part`)
        if isinstance(converted, bytes):
            converted = io.BytesIO(converted)
        if converted is not None:
            converted.seek(0)
        source = self.package.open(name) if converted is None else converted
        out = tempfile.TemporaryFile()
        renamed: bytes | IO[bytes] = out
        try:
            stream_xml(CheckedReader(source, name, self.package.damaged(name)), name,
                       self.job, work, SHEET, SHEET_UNITS, out)
        except NotStreamable:
            out.close()
            if converted is None:
                data = self.package.read(name)
            else:
                converted.seek(0)
                data = converted.read()
            tree = parse_xml(data, name)
            work(tree.getroot(), name)
            renamed = serialize_xml(tree, data)
        except BaseException:
            out.close()
            raise
        finally:
            source.close()
        self.streamed[name] = renamed

    @functools.cached_property
    def _anchored_relationships(self) -> list[str]:
        """The relationship parts that may hold a link to a place in the workbook (each
        part read once: `_references` is read twice, to check and to rename)."""
        return [name for name in self.package.names
                if name.endswith(".rels") and b"#" in self.package.read(name)]

    def _references(self) -> Iterator[tuple[str, Any, str]]:
        """(part, element, slot) of every place that may name a sheet: formulas and the
        like ("text" or an attribute), pivot sources by name ("sheet"), and links to a
        place in the workbook kept as a relationship's target ("Target", ``#Лист1!A1``:
        Excel's for a picture's or a shape's link)."""
        for name in self.parts(WORKBOOK):
            for element in self.tree(name).getroot().iter(f"{S}definedName"):
                if element.text:
                    yield name, element, "text"
        for name in self.parts(WORKSHEET):
            if name in self.streamed_sheets:
                continue  # read as it streamed (`_stream_sheet`)
            for element, slot in _sheet_references(self.tree(name).getroot()):
                yield name, element, slot
        for name in self.parts(DRAWINGS):
            for element in self.tree(name).getroot().iter(f"{XDR}sp"):
                if element.get("textlink"):  # a text box that shows a cell
                    yield name, element, "textlink"
        for name in self.parts(CHART):
            # (``c:f``, and the extensions' ``c15:f`` and ``c15:sqref``: data labels taken
            # from cells, a filtered series' range)
            for element in self.tree(name).getroot().iter("{*}f", "{*}sqref"):
                if element.text:
                    yield name, element, "text"
        for name in self._anchored_relationships:
            for element in self.tree(name).getroot().iter(f"{REL}Relationship"):
                if element.get("Target", "").startswith("#"):
                    yield name, element, "Target"
        for name in self.parts(PIVOT_CACHE):
            for element in self.tree(name).getroot().iter(f"{S}worksheetSource"):
                if element.get("sheet"):
                    yield name, element, "sheet"
        for name in self.parts(APP):
            for element in self.tree(name).getroot().iter(f"{VT}lpstr"):
                if element.text:
                    yield name, element, "text"

    def _safe(self, renames: dict[str, str], workbook: str) -> dict[str, str]:
        """The renames that can be made everywhere: none whose old name stands in a string
        of a formula, in a formula translit cannot read, or in a part it does not rewrite."""
        lowered = {old.lower(): new for old, new in renames.items()}
        unsafe: set[str] = set(self.unsafe)  # what the streamed sheets forbid
        for _, element, slot in self._references():
            value = element.text if slot == "text" else element.get(slot)
            if slot == "sheet":
                continue
            named = unquote(value[1:]) if slot == "Target" else value
            if _renamed_value(value, slot, lowered) is None or _named_in_strings(named, lowered):
                unsafe.update(old for old in renames if old.lower() in named.lower())
        handled = set(self.parts(WORKBOOK + WORKSHEET + CHART + PIVOT_CACHE + PIVOT_RECORDS
                                 + PIVOT_TABLE + APP + SHARED_STRINGS
                                 + COMMENTS + THREADED_COMMENTS + DRAWINGS + CORE
                                 + CUSTOM_PROPERTIES))
        for info in self.package.members:
            if info.filename in handled or info.filename.endswith((".rels", "].xml")):
                continue
            data = self.package.read(info.filename)
            for old in renames:
                if old.encode("utf-8") in data or _xml_escaped(old).encode("utf-8") in data:
                    unsafe.add(old)
        return {old: new for old, new in renames.items() if old not in unsafe}


_FORMULAS = frozenset({"f", "formula", "formula1", "formula2"})
# What a link shows: its tooltip, and its display text (its cell's text, which LibreOffice
# writes on every link).
_LINK_TEXT = ("tooltip", "display")
# What `_formulas` reads, in any namespace (or none): formulas, links, rules, cells.
_FORMULA_TAGS = tuple(f"{{*}}{local}" for local in (*sorted(_FORMULAS), "hyperlink", "cfRule",
                                                      "c"))
# Data validations and page headers and footers (what `_worksheet` converts besides).
_RARE_SHEET_TAGS = (f"{S}dataValidation", *(f"{S}{header}" for header in _HEADERS),
                    f"{S}filter", f"{S}customFilter", f"{S}sortCondition")


def _sheet_references(root: Any) -> Iterator[tuple[Any, str]]:
    """(element, slot) of each place below `root`, in a sheet, that may name a sheet:
    formulas ("text") and links into the workbook ("location")."""
    for element in root.iter(*_REFERENCE_TAGS):  # found by lxml: not every cell in Python
        if element.tag.rsplit("}", 1)[-1] == "hyperlink":
            if element.get("location"):
                yield element, "location"
        elif element.text:
            yield element, "text"


# In any namespace (or none): formulas, and links into the workbook.
_REFERENCE_TAGS = tuple(f"{{*}}{local}" for local in (*sorted(_FORMULAS), "hyperlink"))
# A pivot table's captions, by element: the text it shows that is not its source's.
_PIVOT_CAPTIONS = {
    "pivotTableDefinition": ("dataCaption", "grandTotalCaption", "errorCaption",
                             "missingCaption", "rowHeaderCaption", "colHeaderCaption"),
    "dataField": ("name",), "item": ("n",), "pivotField": ("name", "subtotalCaption"),
    # a label filter's values, compared with the items' converted captions
    "pivotFilter": ("stringValue1", "stringValue2"),
}


def _in_list_validation(element: Any) -> bool:
    """A ``formula1`` of a list validation (or the ``xm:f`` inside the x14 extension's)."""
    formula1 = element if element.tag.endswith("}formula1") else element.getparent()
    if formula1 is None or not formula1.tag.endswith("}formula1"):
        return False
    validation = formula1.getparent()
    return validation is not None and validation.get("type") == "list"


def _own_texts(string: Any) -> Iterator[Any]:
    """The ``<t>`` of a string, directly or in its runs, not in phonetic runs."""
    for child in string:
        if child.tag == f"{S}t":
            yield child
        elif child.tag == f"{S}r":
            yield from child.iter(f"{S}t")


def _header_text(text: str, job: Job) -> str:
    """A page header or footer: its text converted, its ``&`` codes (``&P``, ``&"Arial"``)
    kept."""
    from .base import Runs

    runs = Runs(job)
    done = 0
    for match in _HEADER_CODE.finditer(text):
        runs.text(text[done:match.start()])
        runs.kept(match.group())
        done = match.end()
    runs.text(text[done:])
    return runs.finish()


def _proposed_names(names: list[str], job: Job) -> dict[str, str]:
    """old → new sheet names, for the sheets whose converted name is a valid, free name."""
    converted = {name: job.transliterator.convert(name) for name in names}
    taken = {name.lower() for name in names}
    renames: dict[str, str] = {}
    for old, new in converted.items():
        if new == old or not new.strip() or len(new) > MAX_SHEET_NAME:
            continue
        if _NOT_IN_SHEET_NAMES.search(new) or new.startswith("'") or new.endswith("'"):
            continue
        if new.lower() in taken or new.lower() == "history":
            continue
        taken.add(new.lower())
        renames[old] = new
    return renames


def _renamed_value(value: str, slot: str, lowered: dict[str, str]) -> str | None:
    """What a place that may name a sheet (`_Workbook._references`) holds once the sheets
    are renamed (None: it cannot be read, and the sheets it names keep their names)."""
    if slot == "sheet":  # a pivot cache's source: a sheet's name alone
        return lowered.get(value.lower(), value)
    if slot == "Target":  # "#" and a reference; percent-encoded, it is not rewritten
        reference = value[1:]
        new = _renamed_formula(unquote(reference), lowered)
        if new is None or (new != unquote(reference) and unquote(reference) != reference):
            return None
        return value if new == reference else "#" + new
    return _renamed_formula(value, lowered)


def _renamed_formula(formula: str, lowered: dict[str, str]) -> str | None:
    """The formula with its references to renamed sheets renamed (None: it cannot be read)."""
    from openpyxl.formula.tokenizer import Token

    tokens = formula_tokens(formula)
    if tokens is None:
        return None
    out: list[str] = []
    done = 0
    for start, end, token in tokens:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            new = _renamed_reference(token.value, lowered)
            if new != token.value:
                out += (formula[done:start], new)
                done = end
    out.append(formula[done:])
    return "".join(out)


def _named_in_strings(formula: str, lowered: dict[str, str]) -> bool:
    from openpyxl.formula.tokenizer import Token

    tokens = formula_tokens(formula) or ()
    return any(token.type == Token.OPERAND and token.subtype == Token.TEXT
               and any(old in token.value.lower() for old in lowered) for _, _, token in tokens)


def _renamed_reference(reference: str, lowered: dict[str, str]) -> str:
    """``Лист1!A1`` → ``List1!A1``; ``'Лист 1'!A1``, ``Лист1:Лист3!A1`` likewise; a
    reference into another workbook (``[1]Лист1!A1``) as it is."""
    bang = _last_bang(reference)
    if bang < 0:
        return reference
    prefix, rest = reference[:bang], reference[bang:]
    quoted = len(prefix) >= 2 and prefix[0] == prefix[-1] == "'"
    inner = prefix[1:-1].replace("''", "'") if quoted else prefix
    if inner.startswith("["):
        return reference
    names = inner.split(":")
    new_names = [lowered.get(name.lower(), name) for name in names]
    if new_names == names:
        return reference
    joined = ":".join(new_names)
    if quoted or any(_needs_quotes(name) for name in new_names):
        joined = "'" + joined.replace("'", "''") + "'"
    return joined + rest


def _last_bang(reference: str) -> int:
    """The position of the ``!`` that ends a sheet prefix (not one inside quotes)."""
    quoted = False
    found = -1
    for index, char in enumerate(reference):
        if char == "'":
            quoted = not quoted
        elif char == "!" and not quoted:
            found = index
    return found


def _needs_quotes(name: str) -> bool:
    return not _PLAIN_SHEET_NAME.fullmatch(name) or bool(_CELL_LIKE.fullmatch(name))


def _xml_escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        "'", "&apos;").replace('"', "&quot;")
