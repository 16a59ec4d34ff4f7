"""Text a document holds twice, or beside its body (issue 18): a pivot table's cache and
captions (the cache copies its source cells), custom XML data bound to Word's content
controls (Word writes the bound value into the control when it opens the file), and
custom document properties (File ▸ Properties).

Each fixture is made by the format's library (openpyxl, python-docx) with the parts
written here as Office writes them; after conversion the copies must match their source,
the audit must find nothing, only text may change, and LibreOffice must open the result.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest
from lxml import etree
from test_formats_documents import assert_only_text_changed, job, saved

import translit
from translit.formats import docx, odf, pptx, xlsx
from translit.formats.audit import audit

S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument."
STORE = "{6C3C8BC8-F283-45AE-878A-BAB7291924A1}"
CYRILLIC = re.compile("[\u0400-\u04ff]")


def with_parts(data: bytes, parts: dict[str, str], types: dict[str, str],
               relationships: dict[str, list[tuple[str, str]]],
               edits: dict[str, Callable[[str], str]] | None = None) -> bytes:
    """The package with `parts` added (their content types), `relationships` added to
    (or written as) the named .rels members, and `edits` made to members."""
    source = zipfile.ZipFile(io.BytesIO(data))
    present = set(source.namelist())
    rels = {}
    for member, targets in relationships.items():
        rels[member] = "".join(
            f'<Relationship Id="rIdX{n}" Type="{R}/{kind}" Target="{target}"/>'
            for n, (kind, target) in enumerate(targets))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in rels and info.filename not in (edits or {}) \
                    and info.filename != "[Content_Types].xml":
                target.writestr(info, source.read(info))
                continue
            content = source.read(info).decode()
            if info.filename == "[Content_Types].xml":
                content = content.replace("</Types>", "".join(
                    f'<Override PartName="/{name}" ContentType="{kind}"/>'
                    for name, kind in types.items()) + "</Types>")
            if info.filename in rels:
                content = content.replace("</Relationships>", rels[info.filename]
                                          + "</Relationships>")
            if edits and info.filename in edits:
                content = edits[info.filename](content)
            target.writestr(info, content)
        for name, xml in parts.items():
            target.writestr(name, xml)
        for member, written in rels.items():
            if member not in present:
                target.writestr(member, f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
                                        f"{written}</Relationships>")
    return out.getvalue()


CUSTOM = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
          'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
          'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
          'name="Бўлим"><vt:lpwstr>Молия бўлими</vt:lpwstr></property><property '
          'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Шаҳар">'
          "<vt:lpstr>Тошкент</vt:lpstr></property></Properties>")
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def with_custom_properties(data: bytes) -> bytes:
    return with_parts(data, {"docProps/custom.xml": CUSTOM},
                      {"docProps/custom.xml": TYPES + "custom-properties+xml"},
                      {"_rels/.rels": [("custom-properties", "docProps/custom.xml")]})


def member(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


# --- pivot tables -----------------------------------------------------------------------------

CACHE = f"""<pivotCacheDefinition xmlns="{S}" xmlns:r="{R}" r:id="rIdX0" refreshOnLoad="1"
 recordCount="3"><cacheSource type="worksheet"><worksheetSource ref="A1:B4" sheet="Маълумот"/>
</cacheSource><cacheFields count="2"><cacheField name="Шаҳар" numFmtId="0"><sharedItems count="2">
<s v="Тошкент"/><s v="Бухоро"/></sharedItems></cacheField><cacheField name="Сони" numFmtId="0">
<sharedItems containsSemiMixedTypes="0" containsString="0" containsNumber="1" containsInteger="1"
 minValue="3" maxValue="7"/></cacheField></cacheFields></pivotCacheDefinition>"""
RECORDS = f"""<pivotCacheRecords xmlns="{S}" count="3"><r><x v="0"/><n v="5"/></r>
<r><x v="1"/><n v="7"/></r><r><s v="Тошкент"/><n v="3"/></r></pivotCacheRecords>"""
PIVOT = f"""<pivotTableDefinition xmlns="{S}" name="ЖамиЖадвал" cacheId="1"
 applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" applyPatternFormats="0"
 applyAlignmentFormats="0" applyWidthHeightFormats="1" dataCaption="Қийматлар"
 grandTotalCaption="Умумий жами" updatedVersion="6" minRefreshableVersion="3"
 useAutoFormatting="1" itemPrintTitles="1" createdVersion="6" indent="0" outline="1"
 outlineData="1" multipleFieldFilters="0" rowHeaderCaption="Шаҳарлар">
<location ref="A3:B6" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/>
<pivotFields count="2"><pivotField axis="axisRow" showAll="0"><items count="3">
<item x="1" n="Бухоро шаҳри"/><item x="0"/><item t="default"/></items></pivotField>
<pivotField dataField="1" showAll="0"/></pivotFields><rowFields count="1"><field x="0"/></rowFields>
<rowItems count="3"><i><x/></i><i><x v="1"/></i><i t="grand"><x/></i></rowItems>
<colItems count="1"><i/></colItems>
<dataFields count="1"><dataField name="Сумма - Сони" fld="1" baseField="0" baseItem="0"/>
</dataFields></pivotTableDefinition>"""


@pytest.fixture(scope="module")
def pivot_workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    data = book.active
    data.title = "Маълумот"
    for row in (("Шаҳар", "Сони"), ("Тошкент", 5), ("Бухоро", 7), ("Тошкент", 3)):
        data.append(row)
    table = book.create_sheet("Жадвал")
    table["A3"], table["B3"] = "Шаҳарлар", "Сумма - Сони"
    table["A4"], table["B4"] = "Бухоро шаҳри", 7
    table["A5"], table["B5"] = "Тошкент", 8
    table["A6"], table["B6"] = "Умумий жами", 15
    made = with_custom_properties(saved(book))
    return with_parts(
        made,
        {"xl/pivotCache/pivotCacheDefinition1.xml": CACHE,
         "xl/pivotCache/pivotCacheRecords1.xml": RECORDS,
         "xl/pivotTables/pivotTable1.xml": PIVOT},
        {"xl/pivotCache/pivotCacheDefinition1.xml": TYPES + "spreadsheetml.pivotCacheDefinition+xml",
         "xl/pivotCache/pivotCacheRecords1.xml": TYPES + "spreadsheetml.pivotCacheRecords+xml",
         "xl/pivotTables/pivotTable1.xml": TYPES + "spreadsheetml.pivotTable+xml"},
        {"xl/_rels/workbook.xml.rels": [("pivotCacheDefinition",
                                         "pivotCache/pivotCacheDefinition1.xml")],
         "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": [("pivotCacheRecords",
                                                                 "pivotCacheRecords1.xml")],
         "xl/worksheets/_rels/sheet2.xml.rels": [("pivotTable", "../pivotTables/pivotTable1.xml")],
         "xl/pivotTables/_rels/pivotTable1.xml.rels": [
             ("pivotCacheDefinition", "../pivotCache/pivotCacheDefinition1.xml")]},
        {"xl/workbook.xml": lambda text: text.replace(
            "</workbook>", f'<pivotCaches><pivotCache xmlns:r="{R}" cacheId="1" r:id="rIdX0"/></pivotCaches>'
                           "</workbook>")})


@pytest.mark.filterwarnings("ignore:Unknown type for")  # openpyxl on a vt:lpstr property
def test_a_pivot_cache_matches_its_converted_source_and_its_captions_are_converted(
        pivot_workbook):
    import openpyxl

    transliterator = translit.get_transliterator()
    places = {(f.member, f.where) for f in audit(pivot_workbook, transliterator)}
    assert ("xl/pivotCache/pivotCacheDefinition1.xml", "<s:s @v>") in places
    assert ("xl/pivotTables/pivotTable1.xml", "<s:dataField @name>") in places
    out = xlsx.convert(pivot_workbook, job())
    assert_only_text_changed(pivot_workbook, out)  # the audit finds nothing left
    book = openpyxl.load_workbook(io.BytesIO(out))
    source = {cell.value for cell in book["Maʼlumot"]["A"][1:]}
    cache = member(out, "xl/pivotCache/pivotCacheDefinition1.xml")
    items = [s.get("v") for s in cache.iter(f"{{{S}}}s")]
    assert items == ["Toshkent", "Buxoro"] and set(items) == source
    assert cache.find(f".//{{{S}}}worksheetSource").get("sheet") == "Maʼlumot"
    assert [f.get("name") for f in cache.iter(f"{{{S}}}cacheField")] == ["Шаҳар", "Сони"]
    assert book["Maʼlumot"]["A1"].value == "Шаҳар"  # the field's header cell matches it
    records = member(out, "xl/pivotCache/pivotCacheRecords1.xml")
    assert [s.get("v") for s in records.iter(f"{{{S}}}s")] == ["Toshkent"]
    pivot = member(out, "xl/pivotTables/pivotTable1.xml")
    shown = book["Jadval"]
    assert pivot.find(f".//{{{S}}}dataField").get("name") == shown["B3"].value == "Summa - Soni"
    assert pivot.get("rowHeaderCaption") == shown["A3"].value == "Shaharlar"
    assert pivot.get("grandTotalCaption") == shown["A6"].value == "Umumiy jami"
    assert pivot.get("dataCaption") == "Qiymatlar"
    assert pivot.find(f".//{{{S}}}item").get("n") == shown["A4"].value == "Buxoro shahri"
    assert pivot.get("name") == "ЖамиЖадвал"  # the table's name: an identifier


def test_a_pivot_table_s_label_filter_still_picks_its_items(pivot_workbook):
    # A label filter compares its value with the items' captions (stringValue1, and the
    # condition again as an autofilter); it stayed Тошкент beside items now Toshkent.
    filtered = with_parts(pivot_workbook, {}, {}, {}, {
        "xl/pivotTables/pivotTable1.xml": lambda text: text.replace(
            "</dataFields>", '</dataFields><filters count="1"><pivotFilter fld="0" '
            'type="captionEqual" evalOrder="-1" id="1" stringValue1="Тошкент"><autoFilter '
            'ref="A1"><filterColumn colId="0"><customFilters><customFilter val="Тошкент"/>'
            "</customFilters></filterColumn></autoFilter></pivotFilter></filters>")})
    out = xlsx.convert(filtered, job())
    pivot = member(out, "xl/pivotTables/pivotTable1.xml")
    assert pivot.find(f".//{{{S}}}pivotFilter").get("stringValue1") == "Toshkent"
    assert pivot.find(f".//{{{S}}}customFilter").get("val") == "Toshkent"
    assert_only_text_changed(filtered, out)


# --- content controls bound to custom XML -----------------------------------------------------

ITEM = '<data xmlns="urn:translit:test" region="Фарғона"><city>Тошкент</city></data>'
ITEM_PROPERTIES = (f'<ds:datastoreItem ds:itemID="{STORE}" xmlns:ds="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/>'
                   "</ds:datastoreItem>")


def bound_control(xpath: str, text: str) -> str:
    return (f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:alias w:val="Шаҳар"/><w:tag w:val="city"/>'
            f"<w:dataBinding w:prefixMappings=\"xmlns:ns0='urn:translit:test'\" "
            f'w:xpath="{xpath}" w:storeItemID="{STORE}"/><w:text/></w:sdtPr><w:sdtContent>'
            f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:sdtContent></w:sdt>")


@pytest.fixture(scope="module")
def bound_document() -> bytes:
    return make_bound_document(STORE)


def make_bound_document(store: str) -> bytes:
    """Two controls bound to `STORE`, and custom XML whose store's ID is `store`."""
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("Маълумотлар")
    controls = (bound_control("/ns0:data[1]/ns0:city[1]", "Тошкент")
                + bound_control("/ns0:data[1]/@region", "Фарғона"))
    return with_parts(
        with_custom_properties(saved(document)),
        {"customXml/item2.xml": ITEM,
         "customXml/itemProps2.xml": ITEM_PROPERTIES.replace(STORE, store)},
        {"customXml/itemProps2.xml": TYPES + "customXmlProperties+xml"},
        {"word/_rels/document.xml.rels": [("customXml", "../customXml/item2.xml")],
         "customXml/_rels/item2.xml.rels": [("customXmlProps", "itemProps2.xml")]},
        {"word/document.xml": lambda text: text.replace("<w:sectPr", controls + "<w:sectPr", 1)})


def test_custom_xml_bound_to_a_content_control_matches_the_converted_control(bound_document):
    transliterator = translit.get_transliterator()
    assert ("customXml/item2.xml", "<urn:translit:test:city>") in {
        (f.member, f.where) for f in audit(bound_document, transliterator)}
    out = docx.convert(bound_document, job())
    assert_only_text_changed(bound_document, out)
    item = member(out, "customXml/item2.xml")
    body = member(out, "word/document.xml")
    controls = ["".join(sdt.itertext()) for sdt in body.iter(f"{{{W}}}sdtContent")]
    assert controls == ["Toshkent", "Fargʻona"]
    assert item.findtext("{urn:translit:test}city") == controls[0]
    assert item.get("region") == controls[1]
    assert member(out, "customXml/itemProps2.xml").get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/customXml}itemID") == STORE


def test_custom_xml_no_control_is_bound_to_stays():
    """Custom XML no control is bound to is data for programs: it stays (and the audit
    names it, as Cyrillic left)."""
    unbound = make_bound_document("{00000000-0000-0000-0000-000000000000}")
    out = docx.convert(unbound, job())
    assert ("customXml/item2.xml", "<urn:translit:test:city>", "Тошкент") in {
        tuple(f) for f in audit(out, translit.get_transliterator())}
    assert zipfile.ZipFile(io.BytesIO(out)).read("customXml/item2.xml") == ITEM.encode()


# --- custom properties ------------------------------------------------------------------------


def test_custom_properties_values_are_converted_their_names_kept(bound_document, pivot_workbook):
    import pptx as python_pptx

    presentation = with_custom_properties(saved(python_pptx.Presentation()))
    transliterator = translit.get_transliterator()
    for module, data in ((docx, bound_document), (xlsx, pivot_workbook), (pptx, presentation)):
        found = {(f.member, f.text) for f in audit(data, transliterator)}
        assert {("docProps/custom.xml", "Молия бўлими"), ("docProps/custom.xml", "Тошкент")} <= found
        out = module.convert(data, job())
        assert_only_text_changed(data, out)
        properties = member(out, "docProps/custom.xml")
        assert [p.get("name") for p in properties] == ["Бўлим", "Шаҳар"], module
        assert [p[0].text for p in properties] == ["Moliya boʻlimi", "Toshkent"], module
        assert [p[0].tag for p in properties] == [f"{{{VT}}}lpwstr", f"{{{VT}}}lpstr"]


@pytest.mark.timeout(900)
def test_libreoffice_opens_what_was_converted(tmp_path, bound_document, pivot_workbook):
    """The Word document and the workbook converted, and the workbook saved by LibreOffice
    as OpenDocument (its pivot table a data pilot table) converted: LibreOffice opens each
    and lays the pivot tables out again from their converted sources."""
    from test_formats_libreoffice import Office

    office = Office(tmp_path)
    source = tmp_path / "source" / "pivot.xlsx"
    source.parent.mkdir()
    source.write_bytes(pivot_workbook)
    by_office = office.convert([source], "ods", tmp_path / "ods")[0].read_bytes()
    transliterator = translit.get_transliterator()
    assert ("content.xml", "<table:data-pilot-member @table:name>") in {
        (f.member, f.where) for f in audit(by_office, transliterator)}
    converted = odf.convert(by_office, job())
    assert_only_text_changed(by_office, converted)
    pilot = etree.fromstring(zipfile.ZipFile(io.BytesIO(converted)).read("content.xml"))
    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    assert [f.get(f"{table}source-field-name") for f in pilot.iter(f"{table}data-pilot-field")
            ] == ["Shahar", "Soni"]  # the source's header cells, converted
    assert [m.get(f"{table}name") for m in pilot.iter(f"{table}data-pilot-member")
            ] == ["Buxoro", "Toshkent"]
    paths = []
    for name, data in (("bound.docx", docx.convert(bound_document, job())),
                       ("pivot.xlsx", xlsx.convert(pivot_workbook, job())),
                       ("pilot.ods", converted)):
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    pages = office.convert(paths, "html", tmp_path / "html")
    shown = [re.sub(r"<[^>]*>", " ", page.read_text(errors="replace")) for page in pages]
    assert "Toshkent" in shown[0] and "Fargʻona" in shown[0]
    # LibreOffice lays the pivot table out again from its cache: the converted items, and
    # the data field's converted name
    assert re.search(r"Summa - Soni\s+Buxoro\s+7\s+Toshkent\s+8", shown[1]), shown[1]
    assert re.search(r"Summa - Soni\s+Buxoro\s+7\s+Toshkent\s+8", shown[2]), shown[2]
    words = [set(re.findall(r"\w*[\u0400-\u04ff]\w*", text)) for text in shown]
    # in .xlsx only the fields' names keep their Cyrillic (the header cells match the
    # cache's fields); in .ods they are converted with their cells, and only the sheets'
    # names stay (OpenDocument's sheets are not renamed)
    assert words == [set(), {"Шаҳар", "Сони"}, {"Маълумот", "Жадвал"}], words
