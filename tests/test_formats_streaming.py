"""Large document parts converted as they stream (formats/streaming.py): the same bytes as
the whole-tree path, in bounded memory, with the same refusals."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from test_formats_derived import bound_document, pivot_workbook  # noqa: F401 (fixtures)
from test_formats_documents import text_document, word_document, workbook  # noqa: F401
from test_formats_libreoffice import (
    make_slides,
    make_text_document,
    make_word_document,
    make_workbook,
    with_member,
)

from translit import Options
from translit.converter.transliterator import get_transliterator
from translit.formats import FormatError, docx, odf, streaming, xlsx
from translit.formats.base import Job
from translit.formats.base import latin_language_attributes
from translit.formats.package import parse_xml, serialize_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TARGETS = ("latin", "cyrillic")


def job(target: str = "latin") -> Job:
    return Job(get_transliterator(Options(target=target)))  # type: ignore[arg-type]


def converted(data: bytes, target: str, monkeypatch: pytest.MonkeyPatch, *, streamed: bool
              ) -> tuple[bytes, Job]:
    monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0 if streamed else 1 << 62)
    done = job(target)
    return docx.convert(data, done), done


def test_the_fixtures_convert_to_the_same_bytes_streamed_or_whole(
        word_document, bound_document, monkeypatch):  # noqa: F811
    calls: list[str] = []
    real = streaming.stream_xml

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(streaming, "stream_xml", counted)
    for data in (word_document, bound_document, make_word_document()):
        for target in TARGETS:
            whole, whole_job = converted(data, target, monkeypatch, streamed=False)
            assert not calls
            streamed, streamed_job = converted(data, target, monkeypatch, streamed=True)
            assert "word/document.xml" in calls  # the streamed path was taken
            calls.clear()
            assert streamed == whole
            assert (streamed_job.changed, streamed_job.leftovers, streamed_job.notes) == (
                whole_job.changed, whole_job.leftovers, whole_job.notes)
    # the fixtures do change: the comparison is not of two copies of the input
    assert converted(word_document, "latin", monkeypatch, streamed=True)[0] != word_document


def shared_strings_workbook(rows: int) -> bytes:
    """A workbook as Excel writes it: its cells' text in a table of shared strings."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Маълумот"
    book.active["A1"] = 1
    made = io.BytesIO()
    book.save(made)
    source = zipfile.ZipFile(made)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings = "".join(
        f'<si><t xml:space="preserve">Қатор {row} </t></si>'
        f'<si><r><rPr><b/></rPr><t>ҳу</t></r><r><t>жайра</t></r><rPh sb="0" eb="1"><t>ҳ</t></rPh></si>'
        f"<si><t>uz-Cyrl</t></si>" for row in range(rows))
    cells = "".join(f'<row r="{row + 1}"><c r="A{row + 1}" t="s"><v>{3 * row}</v></c>'
                    f'<c r="B{row + 1}" t="s"><v>{3 * row + 1}</v></c></row>' for row in range(rows))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                                    b'spreadsheetml.sharedStrings+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://'
                                    b"schemas.openxmlformats.org/officeDocument/2006/relationships/"
                                    b'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
            elif info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<sheetData>.*</sheetData>", f"<sheetData>{cells}</sheetData>"
                              .encode(), data, flags=re.DOTALL)
            target.writestr(info, data)
        target.writestr("xl/sharedStrings.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{main}" '
            f'count="{3 * rows}" uniqueCount="{3 * rows}">{strings}</sst>').encode())
    return out.getvalue()


def test_a_workbook_converts_to_the_same_bytes_streamed_or_whole(monkeypatch):
    calls: list[str] = []
    real = streaming.stream_xml

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(streaming, "stream_xml", counted)
    made = shared_strings_workbook(500)
    for data in (shared_strings_workbook(3), made):
        for target in TARGETS:
            monkeypatch.setattr(streaming, "STREAMED_ABOVE", 1 << 62)
            whole_job = job(target)
            whole = xlsx.convert(data, whole_job)
            assert not calls
            monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0)
            streamed_job = job(target)
            streamed = xlsx.convert(data, streamed_job)
            assert calls == ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"]
            calls.clear()
            assert streamed == whole
            assert (streamed_job.changed, streamed_job.leftovers) == (
                whole_job.changed, whole_job.leftovers)
    assert xlsx.convert(made, job()) != made


def test_workbooks_with_renamed_sheets_convert_to_the_same_bytes_streamed_or_whole(
        workbook, pivot_workbook, monkeypatch):  # noqa: F811
    """Sheets stream too, a row at a time; renaming a sheet rewrites the references of a
    streamed sheet in a second pass, and what a streamed sheet holds keeps a sheet's name
    as it does in a tree (a formula naming it in a string)."""
    calls: list[str] = []
    real = streaming.stream_xml

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(streaming, "stream_xml", counted)
    for data in (workbook, pivot_workbook, make_workbook()):
        for target in TARGETS:
            monkeypatch.setattr(streaming, "STREAMED_ABOVE", 1 << 62)
            whole_job = job(target)
            whole = xlsx.convert(data, whole_job)
            assert not calls
            monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0)
            streamed_job = job(target)
            streamed = xlsx.convert(data, streamed_job)
            assert "xl/worksheets/sheet1.xml" in calls
            calls.clear()
            assert streamed == whole
            assert (streamed_job.changed, streamed_job.leftovers, streamed_job.notes) == (
                whole_job.changed, whole_job.leftovers, whole_job.notes)
    # the fixture's first sheet is renamed, and its name in the second sheet with it; the
    # second keeps its name (a formula names it in a string)
    monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0)
    out = zipfile.ZipFile(io.BytesIO(xlsx.convert(workbook, job())))
    assert b'name="Hisobot"' in out.read("xl/workbook.xml")
    assert b"<f>Hisobot!B2*2</f>" in out.read("xl/worksheets/sheet2.xml")
    assert b'name="\xd0\x9c' in out.read("xl/workbook.xml")  # Маълумот stays


def body(*children: str, declarations: str = "", tail: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W}" xmlns:o="urn:o"{declarations}>\n<w:body>'
            + "".join(children) + f"</w:body>{tail}</w:document>").encode()


def paragraph(text: str, attributes: str = "") -> str:
    return f"<w:p{attributes}><w:r><w:t>{text}</w:t></w:r></w:p>"


EDGES = {
    "plain": body(paragraph("Ҳа"), "\n", paragraph("Йўқ")),
    "comments, instructions and text between": body(
        "\n  <!-- изоҳ -->", paragraph("Ҳа"), "<?pi uz-Cyrl?>тагида", paragraph("б"), "\n"),
    "cdata in a tail": body(paragraph("а"), "<![CDATA[<ц>]]>", paragraph("б")),
    "a unit's own namespaces": body(
        paragraph("а", ' xmlns:x="urn:x" x:a="1"'), paragraph("б", f' xmlns:w="{W}"'),
        paragraph("в", ' xmlns:o="urn:other"'), paragraph("г", ' xmlns="urn:d"')),
    "units not reported between": body(
        paragraph("а"), '<w:bookmarkStart w:id="0" w:name="Ном"/>',
        '<w:customXml><w:p><w:r><w:t>ичида</w:t></w:r></w:p></w:customXml>', paragraph("б")),
    "an unreported unit declaring a namespace": body(
        paragraph("а"), '<w:bookmarkStart xmlns:q="urn:q" w:id="0"/>', paragraph("б")),
    # a unit that declares nothing is dropped before it is written (lxml then declares
    # only what it uses): the prefixes must stay what they were
    "a prefix bound again inside a unit": body(
        paragraph("а"), f'<w:p><w:r><w:t>б</w:t></w:r><w:r xmlns:v="{W}"><v:t>в</v:t></w:r>'
        f'<w:r><w:t>г</w:t><q:x xmlns:q="urn:o" o:a="1"/></w:r></w:p>', paragraph("д")),
    "a default namespace in scope": body(
        paragraph("а"), '<w:p><w:r><x o:a="1"/><w:t>б</w:t></w:r></w:p>',
        declarations=' xmlns="urn:d"'),
    "namespaces from every level": body(
        '<w:p o:a="1"><w:r><w:t>а</w:t></w:r></w:p>', paragraph("б"),
        declarations=' xmlns:r="urn:r"').replace(
            b"<w:body>", b'<w:body xmlns:s="urn:s"><w:p s:a="1" r:b="2"><w:r><r:t>x</r:t>'
            b"<w:t>\xd0\xb2</w:t></w:r></w:p>"),
    "language tags on the containers": body(
        paragraph("а", ' w:lang="uz-Cyrl"'), declarations=' o:lang="uz-Cyrl-UZ"'),
    "an empty body": body(),
    "a body of text only": body("матн uz-Cyrl"),
    "text after the body": body(paragraph("а"), tail="\n<!-- охир -->"),
    "character references": body(paragraph("&#1094;&amp;&lt;&gt;\r\t&#x1F600;")),
    "tables and text boxes": body(
        "<w:tbl><w:tr><w:tc>" + paragraph("Жадвал") + "</w:tc></w:tr></w:tbl>",
        '<w:p><w:r><w:pict><w:txbxContent>' + paragraph("қути") + "</w:txbxContent>"
        "</w:pict><w:t>ёнида</w:t></w:r></w:p>"),
    "no declaration": body(paragraph("а")).split(b"\n", 1)[1],
    "a byte order mark": b"\xef\xbb\xbf" + body(paragraph("а")),
    "a comment before the root": body(paragraph("а")).replace(
        b"?>\n", "?>\n<!-- бош --><?x y?>\n".encode()),
    "windows-1251": body(paragraph("Ҳа")).decode().replace(
        "UTF-8", "windows-1251").replace("Ҳ", "Х").encode("cp1251"),
    "latin-1 with characters it cannot write": body(paragraph("a")).replace(
        b"UTF-8", b"ISO-8859-1"),
    "utf-16": body(paragraph("а")).decode().replace("UTF-8", "UTF-16").encode("utf-16"),
    "a root that is no container": (f'<w:numbering xmlns:w="{W}">' + paragraph("а")
                                    + "</w:numbering>").encode(),
}


def whole_part(data: bytes, done: Job) -> bytes:
    tree = parse_xml(data, "part")
    docx.convert_word_paragraphs(tree.getroot(), done, None)
    latin_language_attributes(tree.getroot(), done)
    return serialize_xml(tree, data)


def streamed_part(data: bytes, done: Job) -> bytes | None:
    out = io.BytesIO()
    try:
        streaming.stream_xml(io.BytesIO(data), "part", done,
                             lambda unit, name: docx.convert_word_paragraphs(unit, done, None),
                             docx.CONTAINERS, docx.UNITS, out)
    except streaming.NotStreamable:
        return None
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(EDGES))
@pytest.mark.parametrize("target", TARGETS)
def test_a_part_streams_to_what_the_whole_tree_writes(name, target):
    whole = whole_part(EDGES[name], job(target))
    streamed = streamed_part(EDGES[name], job(target))
    if name in ("utf-16", "a root that is no container",
                "an unreported unit declaring a namespace"):
        assert streamed is None  # converted whole instead
    else:
        assert streamed == whole


def test_the_tree_holds_a_unit_at_a_time():
    """Memory does not grow with the part: while a unit is converted, the body holds it
    and what the parser has read ahead, never the paragraphs already written."""
    many = body(*(paragraph(f"Сатр {number}") for number in range(20_000)))
    held = []
    done = job()

    def work(unit, name):  # type: ignore[no-untyped-def]
        held.append(len(unit.getparent()))
        docx.convert_word_paragraphs(unit, done, None)

    out = io.BytesIO()
    streaming.stream_xml(io.BytesIO(many), "part", done, work, docx.CONTAINERS, docx.UNITS,
                         out)
    assert len(held) == 20_000 and max(held) < 2_000  # the read-ahead: some 64 KB of XML
    assert out.getvalue() == whole_part(many, job())


@pytest.mark.parametrize("declaration", [b"<!DOCTYPE w:document>", b'<!ENTITY e "x">'])
def test_a_streamed_part_is_refused_as_a_whole_one(declaration, monkeypatch, word_document):  # noqa: F811
    source = zipfile.ZipFile(io.BytesIO(word_document))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, rest = data.split(b"?>", 1)
                data = head + b"?>" + (declaration if b"DOCTYPE" in declaration else b"") + (
                    rest.replace(b"<w:body>", b"<w:body>" + b"<!-- x -->" * 20_000
                                 + (b"" if b"DOCTYPE" in declaration else declaration), 1))
            target.writestr(info, data)
    monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0)
    with pytest.raises(FormatError, match="DOCTYPE or entity declarations"):
        docx.convert(out.getvalue(), job())


def opendocument_spreadsheet() -> bytes:
    """Two sheets, cells, a formula naming the other sheet in a string and converting
    another, and on the first sheet an attribute people read (``office:string-value``,
    converted wherever it is): a container's own work is done as the whole tree does it."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    sheet = OpenDocumentSpreadsheet()
    for name in ("Лист1", "Ҳисобот"):
        table = Table(name=name)
        for text in ("Тошкент", "Бухоро", "Лист1"):
            row = TableRow()
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=text))
            row.addElement(cell)
            formula = TableCell(formula='of:=COUNTIF([.A1:.A3];"Тошкент")&"Лист1"',
                                valuetype="string", stringvalue="1Лист1")
            formula.addElement(P(text="1Лист1"))
            row.addElement(formula)
            table.addElement(row)
        sheet.spreadsheet.addElement(table)
    out = io.BytesIO()
    sheet.save(out)
    return with_member(out.getvalue(), "content.xml", lambda text: text.replace(
        'table:name="Лист1"', 'table:name="Лист1" office:string-value="Жадвал"', 1))


def test_opendocument_files_convert_to_the_same_bytes_streamed_or_whole(
        text_document, monkeypatch):  # noqa: F811
    calls: list[str] = []
    real = streaming.stream_xml

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(streaming, "stream_xml", counted)
    spreadsheet = opendocument_spreadsheet()
    for data in (text_document, make_text_document(), make_slides(), spreadsheet):
        for target in TARGETS:
            monkeypatch.setattr(streaming, "STREAMED_ABOVE", 1 << 62)
            whole_job = job(target)
            whole = odf.convert(data, whole_job)
            assert not calls
            monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0)
            streamed_job = job(target)
            streamed = odf.convert(data, streamed_job)
            assert calls == ["content.xml"]  # streamed, not refused (styles.xml: no container)
            calls.clear()
            assert streamed == whole
            assert (streamed_job.changed, streamed_job.leftovers, streamed_job.notes) == (
                whole_job.changed, whole_job.leftovers, whole_job.notes)
    content = zipfile.ZipFile(io.BytesIO(odf.convert(spreadsheet, job()))).read("content.xml")
    assert b'office:string-value="Jadval"' in content  # the sheet's own attribute
    assert b'&quot;Toshkent&quot;)&amp;&quot;\xd0\x9b\xd0\xb8\xd1\x81\xd1\x821' in content


def test_a_streamed_sheet_that_cannot_stream_again_is_renamed_whole(workbook, monkeypatch):  # noqa: F811
    seen: list[str] = []
    real = streaming.stream_xml

    def second_refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(args[1])
        if seen.count(args[1]) == 2:  # the second pass, which renames
            raise streaming.NotStreamable("refused for the test")
        return real(*args, **kwargs)

    monkeypatch.setattr(streaming, "STREAMED_ABOVE", 1 << 62)
    whole = xlsx.convert(workbook, job())
    monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0)
    monkeypatch.setattr(streaming, "stream_xml", second_refused)
    assert xlsx.convert(workbook, job()) == whole
    assert seen.count("xl/worksheets/sheet2.xml") == 2  # renamed: whole, after its refusal


def test_the_audit_reads_a_part_in_pieces_as_it_read_the_whole_tree(
        word_document, workbook, text_document, bound_document):  # noqa: F811
    """The audit (Cyrillic left after converting) parses a part that holds some as it is
    read, an element at a time: every text, tail and attribute in the whole tree's order,
    on documents full of Cyrillic (before conversion), comments and nested text."""
    from translit.formats.audit import _part_slots, _slots
    from translit.formats.package import Package

    for data in (word_document, workbook, text_document, bound_document, make_slides(),
                 make_text_document(), opendocument_spreadsheet(), make_workbook()):
        package = Package(data)
        for info in package.members:
            if not info.filename.endswith(".xml"):
                continue
            whole = list(_slots(parse_xml(package.read(info.filename), info.filename).getroot()))
            assert _part_slots(package, info.filename, lambda text, kind: True) == whole
    # Read for what holds Cyrillic only (as the audit reads): those slots, in that order.
    cyrillic = re.compile("[\u0400-\u04ff]")
    for data in (word_document, text_document, make_text_document()):
        package = Package(data)
        for info in package.members:
            if not info.filename.endswith(".xml"):
                continue
            whole = [slot for slot in _slots(parse_xml(package.read(info.filename),
                                                       info.filename).getroot())
                     if cyrillic.search(slot[1])]
            assert _part_slots(package, info.filename, lambda text, kind: True,
                               cyrillic) == whole
