"""Word, Excel, PowerPoint and OpenDocument files (issue 10).

Every fixture is made here by the format's own library (python-docx, openpyxl,
python-pptx, odfpy), with a word split by formatting, text that must not change, and the
expected result. After conversion each document opens in its library; every zip member
without text is byte-identical, and every XML member equals the original after parsing
except for the converted strings (`assert_only_text_changed`).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli
from lxml import etree

import translit
from translit import formats
from translit.formats import FormatError, docx, odf, pptx, xlsx
from translit.formats.base import Job

CYRILLIC = re.compile("[\u0400-\u04ff]")


def job() -> Job:
    return Job(translit.get_transliterator())


def assert_only_text_changed(before: bytes, after: bytes) -> set[str]:
    """Same members in the same order with the same dates and compression; members that
    differ are XML whose trees are equal but for strings that held Cyrillic (or were an
    Uzbek Cyrillic language tag); and the output passes the audit (no readable Cyrillic
    left outside the keep list). Returns the names of the members that differ."""
    from translit.formats.audit import audit

    assert audit(after, translit.get_transliterator()) == []
    old, new = zipfile.ZipFile(io.BytesIO(before)), zipfile.ZipFile(io.BytesIO(after))
    # (but for the thumbnail, a picture of the first page in the old alphabet: left out,
    # and so is what names it)
    old_infos = [i for i in old.infolist() if not _is_thumbnail(i.filename)]
    new_infos = new.infolist()
    assert [i.filename for i in old_infos] == [i.filename for i in new_infos]
    differ = set()
    for a, b in zip(old_infos, new_infos):
        assert (a.compress_type, a.date_time, a.external_attr) == (
            b.compress_type, b.date_time, b.external_attr), a.filename
        data_a, data_b = old.read(a), new.read(b)
        if data_a == data_b:
            continue
        differ.add(a.filename)
        _same_tree(_without_thumbnail(etree.fromstring(data_a)), etree.fromstring(data_b),
                   a.filename)
    return differ


def _is_thumbnail(name: str) -> bool:
    return name.startswith("Thumbnails/") or name.startswith("docProps/thumbnail.")


def _without_thumbnail(root):
    """An OpenDocument manifest, Office relationships or content types, without what names
    the package's thumbnail."""
    for element in list(root):
        named = element.get("{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}full-path") \
            or element.get("PartName") or element.get("Target") or ""
        if _is_thumbnail(named.lstrip("/")) and element.get("TargetMode") != "External":
            root.remove(element)
    return root


def _may_differ(before: str | None, after: str | None) -> bool:
    if before == after:
        return True
    return before is not None and after is not None and (
        bool(CYRILLIC.search(before)) or before.lower() in ("uz-cyrl", "uz-cyrl-uz", "cyrl")
        or _UZBEK_LOCALE.sub(r"\1?43]", before) == _UZBEK_LOCALE.sub(r"\1?43]", after))


# A number format's locale of Uzbek, in Cyrillic or in Latin (``[$-843]``, ``[$-443]``).
_UZBEK_LOCALE = re.compile(r"(\[\$[^\]-]*-[0-9A-Fa-f]*?)[48]43\]")


def _same_tree(a, b, where: str) -> None:
    assert a.tag == b.tag, where
    assert list(a.attrib) == list(b.attrib), (where, a.tag)
    for key in a.attrib:
        assert _may_differ(a.get(key), b.get(key)), (where, a.tag, key, a.get(key), b.get(key))
    assert _may_differ(a.text, b.text), (where, a.tag, a.text, b.text)
    assert _may_differ(a.tail, b.tail), (where, a.tag, a.tail, b.tail)
    assert len(a) == len(b), (where, a.tag)
    for x, y in zip(a, b):
        _same_tree(x, y, where)


def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_part(data: bytes, name: str, content_type: str, xml: str, relationship: str,
             owner_rels: str = "word/_rels/document.xml.rels") -> bytes:
    """A package with one more part, its content type and a relationship to it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", (
                    f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'
                ).encode())
            elif info.filename == owner_rels:
                target_name = name.split("/", 1)[1]
                content = content.replace(b"</Relationships>", (
                    f'<Relationship Id="rIdT9" Type="{relationship}" Target="{target_name}"/>'
                    "</Relationships>").encode())
            target.writestr(info, content)
        target.writestr(name, xml)
    return out.getvalue()


# --- Word -----------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1"><w:p><w:r><w:t>Изоҳ</w:t></w:r>
<w:r><w:rPr><w:i/></w:rPr><w:t>лар</w:t></w:r></w:p></w:footnote></w:footnotes>"""


@pytest.fixture(scope="module")
def word_document() -> bytes:
    import docx as python_docx
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn

    document = python_docx.Document()
    document.core_properties.title = "Ҳисобот"
    heading = document.styles.add_style("Менинг сарлавҳам", 1)  # a style name: never
    paragraph = document.add_paragraph(style=heading)
    run = paragraph.add_run("Ц")
    run.bold = True
    paragraph.add_run("ентр ва об")
    run = paragraph.add_run("ъект")
    run.italic = True
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "uz-Cyrl-UZ")
    run._r.get_or_add_rPr().append(language)
    # A field: its code (HYPERLINK …) stays, its displayed result is converted.
    field = document.add_paragraph()
    for kind, text in (("begin", None), (None, ' HYPERLINK "https://сайт.уз/йўл" '),
                       ("separate", None), ("text", "Сайт"), ("end", None)):
        run = field.add_run()
        if kind in ("begin", "separate", "end"):
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif kind == "text":
            run.text = text
        else:
            code = OxmlElement("w:instrText")
            code.text = text
            run._r.append(code)
    # A hyperlink to a Cyrillic address, a bookmark with a Cyrillic name.
    link = document.add_paragraph()
    part = document.part
    rel = part.relate_to("https://сайт.уз/янги", "http://schemas.openxmlformats.org/"
                         "officeDocument/2006/relationships/hyperlink", is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel)
    hyperlink_run = OxmlElement("w:r")
    hyperlink_text = OxmlElement("w:t")
    hyperlink_text.text = "Янгиликлар"
    hyperlink_run.append(hyperlink_text)
    hyperlink.append(hyperlink_run)
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "0")
    start.set(qn("w:name"), "Хатчўп")
    link._p.append(start)
    link._p.append(hyperlink)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Жадвал"
    table.cell(0, 1).text = "Ҳужайра"
    document.sections[0].header.paragraphs[0].text = "Юқори"
    document.sections[0].footer.paragraphs[0].text = "Пастки\tсаҳифа"
    boxed = document.add_paragraph("Қути ёнида")
    boxed.runs[0]._r.append(parse_xml(
        f'<w:pict xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml"><v:shape>'
        f"<v:textbox><w:txbxContent><w:p><w:r><w:t>Матн қути</w:t></w:r><w:r><w:rPr><w:b/>"
        "</w:rPr><w:t>сида</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>"))
    commented = document.add_paragraph()
    note_run = commented.add_run("Изоҳли матн")
    document.add_comment(note_run, text="Изоҳ матни", author="Муаллиф")
    data = saved(document)
    return add_part(data, "word/footnotes.xml", "application/vnd.openxmlformats-"
                    "officedocument.wordprocessingml.footnotes+xml", FOOTNOTES,
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "footnotes")


def test_word_text_is_converted_and_formatting_kept(word_document):
    import docx as python_docx

    out = docx.convert(word_document, job())
    document = python_docx.Document(io.BytesIO(out))
    first = document.paragraphs[0]
    assert [(r.text, r.bold, r.italic) for r in first.runs] == [
        ("S", True, None), ("entr va ob", None, None), ("yekt", None, True)]
    assert first.style.name == "Менинг сарлавҳам"
    assert [c.text for c in document.tables[0].rows[0].cells] == ["Jadval", "Hujayra"]
    assert document.sections[0].header.paragraphs[0].text == "Yuqori"
    assert document.sections[0].footer.paragraphs[0].text == "Pastki\tsahifa"
    assert document.core_properties.title == "Hisobot"
    comment = next(iter(document.comments))
    assert (comment.text, comment.author) == ("Izoh matni", "Муаллиф")
    assert document.paragraphs[3].text == "Quti yonida"
    assert document.paragraphs[4].text == "Izohli matn"
    body = zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml").decode()
    assert "<w:t>Matn quti</w:t>" in body and "<w:t>sida</w:t>" in body  # a text box


def test_word_field_codes_links_and_bookmarks_stay(word_document):
    out = docx.convert(word_document, job())
    package = zipfile.ZipFile(io.BytesIO(out))
    body = package.read("word/document.xml").decode()
    assert 'HYPERLINK "https://сайт.уз/йўл"' in body
    assert ">Sayt<" in body and ">Yangiliklar<" in body
    assert 'w:name="Хатчўп"' in body
    assert 'w:val="uz-Latn-UZ"' in body and "uz-Cyrl" not in body
    assert "https://сайт.уз/янги" in package.read("word/_rels/document.xml.rels").decode()
    footnotes = package.read("word/footnotes.xml").decode()
    assert "<w:t>Izoh</w:t>" in footnotes and "<w:t>lar</w:t>" in footnotes


def test_word_only_text_changes_in_the_package(word_document):
    out = docx.convert(word_document, job())
    changed = assert_only_text_changed(word_document, out)
    assert changed == {"word/document.xml", "word/header1.xml", "word/footer1.xml",
                       "word/comments.xml", "word/footnotes.xml", "docProps/core.xml",
                       "_rels/.rels"}  # (which related the thumbnail, left out)


def test_word_paragraphs_for_the_preview(word_document):
    converter = formats.converter_for(formats.BY_NAME["docx"], translit.get_transliterator(),
                                      paragraphs=True)
    converter.feed(word_document, final=True)
    pairs = converter.paragraphs
    assert ("Центр ва объект", "Sentr va obyekt") in pairs
    assert ("Пастки\tсаҳифа", "Pastki\tsahifa") in pairs


# --- PowerPoint -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def presentation() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.core_properties.title = "Тақдимот"
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Сарлавҳа"
    paragraph = slide.placeholders[1].text_frame.paragraphs[0]
    for text, bold in (("Ц", True), ("ентр ва объект", False)):
        run = paragraph.add_run()
        run.text = text
        run.font.bold = bold
    run.hyperlink.address = "https://сайт.уз/йўл"
    slide.notes_slide.notes_text_frame.text = "Изоҳлар"
    table = slide.shapes.add_table(1, 2, Inches(1), Inches(4), Inches(4), Inches(1)).table
    table.cell(0, 0).text = "Жадвал"
    box = slide.shapes.add_textbox(Inches(1), Inches(5), Inches(3), Inches(1))
    box.text_frame.text = "Матн қутиси"
    box.name = "Қути"  # a shape's name: never
    return saved(deck)


def test_powerpoint_text_is_converted_and_formatting_kept(presentation):
    from pptx import Presentation

    out = pptx.convert(presentation, job())
    slide = Presentation(io.BytesIO(out)).slides[0]
    texts = {}
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts[shape.name] = [[(r.text, r.font.bold) for r in p.runs]
                                 for p in shape.text_frame.paragraphs]
        if shape.has_table:
            assert shape.table.cell(0, 0).text == "Jadval"
    assert [("S", True), ("entr va obyekt", False)] in texts["Content Placeholder 2"]
    assert texts["Қути"] == [[("Matn qutisi", None)]]
    assert slide.notes_slide.notes_text_frame.text == "Izohlar"
    assert slide.shapes.title.text == "Sarlavha"
    changed = assert_only_text_changed(presentation, out)
    assert "ppt/slides/slide1.xml" in changed
    assert "https://сайт.уз/йўл" in zipfile.ZipFile(io.BytesIO(out)).read(
        "ppt/slides/_rels/slide1.xml.rels").decode()


# --- Excel ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook() -> bytes:
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table

    book = openpyxl.Workbook()
    report = book.active
    report.title = "Ҳисобот"
    report["A1"], report["B1"] = "Номи", "Сони"
    report["A2"], report["B2"] = "Олма", 5
    report["A3"] = CellRichText([TextBlock(InlineFont(b=True), "Ц"), "ентр"])
    report["B3"] = 7
    report["C1"] = "=SUM('Ҳисобот'!B2:B3)"
    report["C2"] = '=IF(B2>1,"кўп","оз")'  # a formula's strings: as the cells
    report["A2"].comment = Comment("Изоҳ матни", "Муаллиф")
    report["D1"].number_format = '0" сўм"'
    report["D1"] = 3
    validation = DataValidation(type="whole", prompt="Сон киритинг", promptTitle="Диққат")
    report.add_data_validation(validation)
    validation.add("B2")
    chart = BarChart()
    chart.title = "Диаграмма"
    chart.add_data(Reference(report, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    report.add_chart(chart, "E5")
    data = book.create_sheet("Маълумот")
    data["A1"] = "=Ҳисобот!B2*2"
    data["A2"] = '=INDIRECT("Маълумот!A1")'  # names its own sheet in a string
    data.oddHeader.center.text = "Сарлавҳа &P"
    book.defined_names["Жами"] = DefinedName("Жами", attr_text="Ҳисобот!$B$2:$B$3")
    tables = book.create_sheet("Жадвал")
    tables.append(["Устун", "Б"])
    tables.append(["х", 1])
    tables.add_table(Table(displayName="T1", ref="A1:B2"))
    return saved(book)


def test_excel_cells_comments_and_sheet_names(workbook):
    import openpyxl

    out = xlsx.convert(workbook, job())
    book = openpyxl.load_workbook(io.BytesIO(out))
    assert book.sheetnames == ["Hisobot", "Маълумот", "Jadval"]
    report = book["Hisobot"]
    assert [report[c].value for c in ("A1", "B1", "A2", "A3")] == ["Nomi", "Soni", "Olma",
                                                                    "Sentr"]
    assert report["A2"].comment.text == "Izoh matni"
    assert report["A2"].comment.author == "Муаллиф"
    assert report["C1"].value == "=SUM('Hisobot'!B2:B3)"
    assert report["C2"].value == '=IF(B2>1,"koʻp","oz")'
    assert report["D1"].number_format == '0" soʻm"'
    rule = report.data_validations.dataValidation[0]
    assert (rule.prompt, rule.promptTitle) == ("Son kiriting", "Diqqat")
    data = book["Маълумот"]  # kept: a formula names it in a string
    assert data["A1"].value == "=Hisobot!B2*2"
    assert data.oddHeader.center.text == "Sarlavha &P"
    assert book.defined_names["Жами"].attr_text == "Hisobot!$B$2:$B$3"  # the name itself stays
    assert [c.value for c in book["Jadval"][1]] == ["Устун", "Б"]  # a table's column names
    chart = zipfile.ZipFile(io.BytesIO(out)).read("xl/charts/chart1.xml").decode()
    assert "'Hisobot'!$B$2:$B$3" in chart and "Диаграмма" not in chart and "Diagramma" in chart
    assert_only_text_changed(workbook, out)


def test_excel_sheet_names_keep_every_reference_working(workbook):
    out = xlsx.convert(workbook, job())
    package = zipfile.ZipFile(io.BytesIO(out))
    for name in package.namelist():
        if name.endswith(".xml") and "sharedStrings" not in name:
            text = package.read(name).decode()
            assert "Ҳисобот" not in text, name  # no reference left to the old name


def test_excel_rich_text_keeps_its_runs(workbook):
    import openpyxl

    out = xlsx.convert(workbook, job())
    book = openpyxl.load_workbook(io.BytesIO(out), rich_text=True)
    value = book["Hisobot"]["A3"].value
    assert [str(part) for part in value] == ["S", "entr"]
    assert value[0].font.b


# --- OpenDocument ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def text_document() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, Note, NoteBody, NoteCitation, P, Span

    document = OpenDocumentText()
    bold = Style(name="Қалин", family="text")
    bold.addElement(TextProperties(fontweight="bold", language="uz", script="Cyrl",
                                   country="UZ"))
    document.automaticstyles.addElement(bold)
    document.text.addElement(H(outlinelevel=1, text="Сарлавҳа"))
    paragraph = P()
    paragraph.addElement(Span(stylename=bold, text="Ц"))
    paragraph.addText("ентр ва объект")
    note = Note(noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Изоҳ"))
    note.addElement(body)
    paragraph.addElement(note)
    paragraph.addText(" давоми")
    document.text.addElement(paragraph)
    return saved(document)


def test_opendocument_text_is_converted(text_document):
    from odf import teletype
    from odf.opendocument import load

    out = odf.convert(text_document, job())
    document = load(io.BytesIO(out))
    texts = [teletype.extractText(element) for element in document.text.childNodes]
    assert texts == ["Sarlavha", "Sentr va obyekt1Izoh davomi"]
    package = zipfile.ZipFile(io.BytesIO(out))
    assert package.infolist()[0].filename == "mimetype"
    assert package.infolist()[0].compress_type == zipfile.ZIP_STORED
    content = package.read("content.xml").decode()
    assert 'fo:script="Latn"' in content and 'style:name="Қалин"' in content
    assert_only_text_changed(text_document, out)


def test_opendocument_presentation_slides_and_notes():
    from odf import teletype
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation, load
    from odf.presentation import Notes
    from odf.style import MasterPage, PageLayout
    from odf.text import P, Span

    deck = OpenDocumentPresentation()
    layout = PageLayout(name="Саҳифа")
    deck.automaticstyles.addElement(layout)
    master = MasterPage(name="Асосий", pagelayoutname=layout)
    deck.masterstyles.addElement(master)
    page = Page(name="Слайд", masterpagename=master)
    frame = Frame(width="10cm", height="2cm", x="1cm", y="1cm")
    box = TextBox()
    paragraph = P()
    paragraph.addElement(Span(text="Ц"))
    paragraph.addText("ентр")
    box.addElement(paragraph)
    frame.addElement(box)
    page.addElement(frame)
    notes = Notes()
    notes_frame = Frame(width="10cm", height="2cm", x="1cm", y="5cm")
    notes_box = TextBox()
    notes_box.addElement(P(text="Изоҳ"))
    notes_frame.addElement(notes_box)
    notes.addElement(notes_frame)
    page.addElement(notes)
    deck.presentation.addElement(page)
    data = saved(deck)
    out = odf.convert(data, job())
    document = load(io.BytesIO(out))
    texts = [teletype.extractText(p) for p in document.getElementsByType(P)]
    assert texts == ["Sentr", "Izoh"]
    content = zipfile.ZipFile(io.BytesIO(out)).read("content.xml").decode()
    assert 'draw:name="Слайд"' in content
    assert_only_text_changed(data, out)


def test_opendocument_spreadsheet_keeps_sheet_names():
    from odf.opendocument import OpenDocumentSpreadsheet, load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    sheet = OpenDocumentSpreadsheet()
    table = Table(name="Лист")
    row = TableRow()
    cell = TableCell(valuetype="string")
    cell.addElement(P(text="Қиймат"))
    row.addElement(cell)
    table.addElement(row)
    sheet.spreadsheet.addElement(table)
    data = saved(sheet)
    out = odf.convert(data, job())
    content = zipfile.ZipFile(io.BytesIO(out)).read("content.xml").decode()
    assert 'table:name="Лист"' in content and ">Qiymat<" in content
    load(io.BytesIO(out))


# --- damaged, encrypted, hostile ------------------------------------------------------------


def test_a_damaged_document_is_one_error(word_document):
    with pytest.raises(FormatError, match="damaged zip"):
        docx.convert(word_document[:len(word_document) // 2], job())
    with pytest.raises(FormatError, match="password-protected or old binary"):
        docx.convert(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, job())


def test_a_password_protected_member_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    data = bytearray(out.getvalue())
    data[6] |= 0x01  # the local header's flag: encrypted
    data[data.index(b"PK\x01\x02") + 8] |= 0x01  # and the central directory's
    with pytest.raises(FormatError, match="password-protected"):
        docx.convert(bytes(data), job())


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"\0" * (64 << 20))
    assert len(out.getvalue()) < 1 << 20
    with pytest.raises(FormatError, match="zip bomb"):
        docx.convert(out.getvalue(), job())


def test_xml_with_external_entities_is_refused_and_reads_nothing(word_document, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("махфий", encoding="utf-8")
    hostile = (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY s SYSTEM "file://{secret}">]>'
               f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&s;</w:t></w:r></w:p>'
               "</w:body></w:document>")
    source = zipfile.ZipFile(io.BytesIO(word_document))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = hostile.encode() if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info, data)
    with pytest.raises(FormatError, match="DOCTYPE"):
        docx.convert(out.getvalue(), job())


def test_a_broken_document_with_minus_i_is_left_as_it_was(tmp_path, word_document):
    broken = tmp_path / "report.docx"
    broken.write_bytes(word_document[:-100])
    code, out, err = run_cli("-i", broken)
    assert code == 2
    assert err.decode().count("\n") == 1 and f"{broken}: " in err.decode()
    assert broken.read_bytes() == word_document[:-100]
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


def test_documents_through_the_command_line(tmp_path, word_document, workbook, presentation,
                                            text_document):
    for name, data in (("a.docx", word_document), ("b.xlsx", workbook),
                       ("c.pptx", presentation), ("d.odt", text_document)):
        path = tmp_path / name
        path.write_bytes(data)
        assert run_cli("--check", "-q", path)[0] == 1
        code, out, err = run_cli(path, "-o", tmp_path / "out" / name)
        assert (code, err) == (0, b""), err
        converted = (tmp_path / "out" / name).read_bytes()
        assert run_cli("--check", "-q", tmp_path / "out" / name)[0] == 0
        code, out, err = run_cli("-i", path)
        assert (code, err) == (0, b"")
        assert path.read_bytes() == converted
        code, out, err = run_cli("--diff", tmp_path / "out" / name)
        assert (code, out) == (0, b"")
    code, out, err = run_cli("--check", Path(__file__))  # code is not converted
    assert code == 2
    assert "does not convert code or a style sheet; --format text" in err.decode()


def test_diff_of_a_document_shows_its_paragraphs(tmp_path, word_document):
    path = tmp_path / "a.docx"
    path.write_bytes(word_document)
    code, out, err = run_cli("--diff", path)
    assert code == 1
    text = out.decode()
    assert "\n-Центр ва объект\n" in text and "\n+Sentr va obyekt\n" in text
    assert "<w:" not in text


# --- the audit: nothing readable left in Cyrillic (issue 18) --------------------------------


def test_every_fixture_passes_the_audit_after_conversion(word_document, workbook, presentation,
                                                         text_document):
    from translit.formats.audit import audit

    transliterator = translit.get_transliterator()
    for module, data in ((docx, word_document), (xlsx, workbook), (pptx, presentation),
                         (odf, text_document)):
        assert audit(data, transliterator), module  # the input has text to convert
        out = module.convert(data, job())
        assert audit(out, transliterator) == [], module
        assert_only_text_changed(data, out)


def test_the_audit_finds_what_translit_leaves_and_keeps_what_it_must(workbook):
    from translit.formats.audit import audit

    transliterator = translit.get_transliterator()
    found = {(f.member, f.where, f.text) for f in audit(workbook, transliterator)}
    # in the input, the formula's literals and the number format's text are found ...
    assert ("xl/worksheets/sheet1.xml", "<s:f>", 'IF(B2>1,"кўп","оз")') in found
    assert ("xl/styles.xml", "<s:numFmt @formatCode>", '0" сўм"') in found
    # ... and never what stays: a comment's author, a defined name, a reference, the
    # formula that names its own sheet in a string, a table's column names
    texts = {text for _, _, text in found}
    assert not texts & {"Муаллиф", "Жами", "Ҳисобот!$B$2:$B$3", 'INDIRECT("Маълумот!A1")',
                        "Устун", "Б"}
    planted = add_part(workbook, "xl/extra.xml", "application/xml",
                       "<extra><label>Ёрлиқ</label></extra>", "http://example.com/extra",
                       "xl/_rels/workbook.xml.rels")
    left = audit(xlsx.convert(planted, job()), transliterator)
    assert [tuple(f) for f in left] == [("xl/extra.xml", "<label>", "Ёрлиқ")]


def test_check_notes_and_strict_refuses_cyrillic_left_in_a_document(tmp_path, workbook):
    planted = add_part(workbook, "xl/extra.xml", "application/xml",
                       "<extra><label>Ёрлиқ</label></extra>", "http://example.com/extra",
                       "xl/_rels/workbook.xml.rels")
    path = tmp_path / "book.xlsx"
    path.write_bytes(planted)
    code, out, err = run_cli("--check", path)
    assert code == 1 and "Cyrillic letter(s) left unconverted" in err.decode(), err
    assert "1 piece(s) of readable text left in Cyrillic" in err.decode()
    assert "xl/extra.xml <label> 'Ёрлиқ'" in err.decode()
    code, out, err = run_cli("--strict", path, "-o", tmp_path / "out.xlsx")
    assert code == 2 and not (tmp_path / "out.xlsx").exists()
    assert err.decode().count("\n") == 1
    assert f"{path}: " in err.decode() and "Ё ×1" in err.decode(), err
    # the one line names the place, not only a count
    assert "xl/extra.xml <label> 'Ёрлиқ'" in err.decode(), err
    fine = tmp_path / "fine.xlsx"
    fine.write_bytes(workbook)
    code, out, err = run_cli("--strict", fine, "-o", tmp_path / "fine-out.xlsx")
    assert (code, err) == (0, b"")


def test_members_without_attributes_keep_none(text_document):
    """LibreOffice writes external attributes 0; zipfile alone would write rw-------."""
    source = zipfile.ZipFile(io.BytesIO(text_document))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            info.external_attr = 0
            target.writestr(info, content)
            info.external_attr = 0
    data = out.getvalue()
    assert {i.external_attr for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {0}
    converted = odf.convert(data, job())
    assert {i.external_attr for i in zipfile.ZipFile(io.BytesIO(converted)).infolist()} == {0}


def test_a_chart_and_the_workbook_it_is_edited_from_agree():
    """python-pptx embeds the chart's data as a workbook: its cells are converted with the
    cached labels, so that editing the chart's data does not bring the Cyrillic back."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    from translit.formats.audit import audit

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    data = CategoryChartData()
    data.categories = ["Тошкент", "Бухоро"]
    data.add_series("Аҳоли сони", (3000, 280))
    slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1), Inches(4),
                           Inches(3), data)
    before = saved(deck)
    out = pptx.convert(before, job())
    assert audit(out, translit.get_transliterator()) == []
    package = zipfile.ZipFile(io.BytesIO(out))
    chart = package.read("ppt/charts/chart1.xml").decode()
    assert "<c:v>Toshkent</c:v>" in chart and "<c:v>Aholi soni</c:v>" in chart
    embedded = zipfile.ZipFile(io.BytesIO(package.read(
        "ppt/embeddings/Microsoft_Excel_Sheet1.xlsx"))).read("xl/sharedStrings.xml").decode()
    assert ">Toshkent<" in embedded and ">Aholi soni<" in embedded
    original = zipfile.ZipFile(io.BytesIO(before))
    assert {name for name in original.namelist() if name not in package.namelist()
            or original.read(name) != package.read(name)} == {
        "ppt/charts/chart1.xml", "ppt/embeddings/Microsoft_Excel_Sheet1.xlsx",
        "docProps/thumbnail.jpeg", "_rels/.rels"}  # (the thumbnail left out)


def test_a_picture_keeps_its_name_and_gets_its_alternative_text_converted():
    import docx as python_docx
    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", (4, 4)).save(stream, "PNG")
    document = python_docx.Document()
    document.add_picture(io.BytesIO(stream.getvalue()))
    properties = document.inline_shapes[0]._inline.docPr
    properties.set("descr", "Тошкент харитаси")
    properties.set("title", "Харита")
    properties.set("name", "Расм 1")
    out = docx.convert(saved(document), job())
    body = zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml").decode()
    assert 'descr="Toshkent xaritasi"' in body and 'title="Xarita"' in body
    assert 'name="Расм 1"' in body


def test_a_link_keeps_its_target_and_gets_its_tooltip_converted(word_document, text_document):
    from docx.oxml.ns import qn

    import docx as python_docx

    document = python_docx.Document(io.BytesIO(word_document))
    link = document.element.body.find(".//" + qn("w:hyperlink"))
    link.set(qn("w:tooltip"), "Янгиликлар саҳифаси")
    out = docx.convert(saved(document), job())
    body = zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml").decode()
    assert 'w:tooltip="Yangiliklar sahifasi"' in body
    opendocument = with_member(text_document, "content.xml", lambda text: text.replace(
        "</office:text>", '<text:p><text:a xmlns:xlink="http://www.w3.org/1999/xlink" xlink:type="simple" '
        'xlink:href="https://сайт.уз/" '
        'office:title="Сайт">Сайт</text:a></text:p></office:text>'))
    content = zipfile.ZipFile(io.BytesIO(odf.convert(opendocument, job()))).read(
        "content.xml").decode()
    assert 'office:title="Sayt"' in content and 'xlink:href="https://сайт.уз/"' in content
    assert_only_text_changed(opendocument, odf.convert(opendocument, job()))


def with_member(data: bytes, name: str, change) -> bytes:
    """The package with member `name` replaced by `change(its text)`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == name:
                content = change(content.decode()).encode()
            target.writestr(info, content)
    return out.getvalue()


def test_opendocument_formulas_convert_their_text_and_keep_their_references():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    sheet = OpenDocumentSpreadsheet()
    table = Table(name="Лист")
    row = TableRow()
    for formula, shown in (('of:=IF([.B1]="Ҳа";"бор";"йўқ")', "бор"),
                           ('of:=INDIRECT("Лист.A1")', "бор"),
                           ("of:=['Лист'.A1]&\" шаҳри\"", "бор шаҳри")):
        cell = TableCell(formula=formula, valuetype="string", stringvalue=shown)
        cell.addElement(P(text=shown))
        row.addElement(cell)
    table.addElement(row)
    sheet.spreadsheet.addElement(table)
    data = saved(sheet)
    out = odf.convert(data, job())
    content = zipfile.ZipFile(io.BytesIO(out)).read("content.xml").decode()
    assert 'table:formula="of:=IF([.B1]=&quot;Ha&quot;;&quot;bor&quot;;&quot;yoʻq&quot;)"' in content
    assert 'table:formula="of:=INDIRECT(&quot;Лист.A1&quot;)"' in content  # names the sheet
    assert "table:formula=\"of:=['Лист'.A1]&amp;&quot; shahri&quot;\"" in content
    assert 'office:string-value="bor shahri"' in content
    assert_only_text_changed(data, out)


def test_a_link_to_a_bookmark_keeps_its_target_and_passes_the_strict_check(text_document,
                                                                          tmp_path):
    """A link into the document names a bookmark (``#Белги``), an identifier that stays
    as its bookmark does: not Cyrillic left in readable text, so --strict writes the file."""
    from translit.formats.audit import audit

    linked = with_member(text_document, "content.xml", lambda text: text.replace(
        "</office:text>", '<text:p><text:bookmark text:name="Белги"/>Белги. <text:a '
        'xmlns:xlink="http://www.w3.org/1999/xlink" xlink:type="simple" xlink:href="#Белги">'
        "Белгига</text:a></text:p></office:text>"))
    out = odf.convert(linked, job())
    content = zipfile.ZipFile(io.BytesIO(out)).read("content.xml").decode()
    assert 'xlink:href="#Белги"' in content and 'text:name="Белги"' in content
    assert ">Belgiga</text:a>" in content
    assert audit(out, translit.get_transliterator()) == []
    path = tmp_path / "linked.odt"
    path.write_bytes(linked)
    code, _, err = run_cli("--strict", path, "-o", tmp_path / "out.odt")
    assert (code, err) == (0, b"")
    assert (tmp_path / "out.odt").read_bytes() == out


XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
LINKED_SHAPE = f"""<oneCellAnchor xmlns="{XDR}"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
 <from><col>0</col><colOff>0</colOff><row>8</row><rowOff>0</rowOff></from>
 <ext cx="1800000" cy="400000"/><sp macro="" textlink="Ҳисобот!$A$1"><nvSpPr>
 <cNvPr id="9" name="TextBox 1"><a:hlinkClick r:id="rIdPlace"/></cNvPr><cNvSpPr txBox="1"/>
 </nvSpPr><spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></spPr><txBody><a:bodyPr/>
 <a:p><a:fld id="{{5A1C2B3D-0000-4000-8000-000000000001}}" type="TxLink"><a:t>1</a:t></a:fld>
 </a:p></txBody></sp><clientData/></oneCellAnchor>"""
LABELS_FROM_CELLS = """<extLst xmlns="http://schemas.openxmlformats.org/drawingml/2006/chart">
 <ext uri="{02D57815-91ED-43cb-92C2-25804820EDAC}"
 xmlns:c15="http://schemas.microsoft.com/office/drawing/2012/chart"><c15:datalabelsRange>
 <c15:f>Ҳисобот!$B$1</c15:f></c15:datalabelsRange></ext></extLst>"""


def test_every_place_that_names_a_renamed_sheet_follows_it():
    """Besides formulas: a link to a place in the workbook kept as a relationship's target
    (``#Ҳисобот!A1``: a picture's or a shape's link as Excel writes it, a cell's link as
    openpyxl does), a text box showing a cell (``textlink``) and a chart's data labels taken
    from cells (``c15:f``) name the sheet too; each follows its new name, or the sheet keeps
    its name."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    report = book.active
    report.title = "Ҳисобот"
    report["A1"], report["B1"] = 5, "Беш"
    chart = BarChart()
    chart.add_data(Reference(report, min_col=1, min_row=1, max_row=1))
    report.add_chart(chart, "C3")
    front = book.create_sheet("Бош")
    front["A1"] = "Ҳисоботга"
    front["A1"].hyperlink = "#Ҳисобот!A1"

    def linked_shape(text: str) -> str:
        drawing = etree.fromstring(text.encode())
        drawing.append(etree.fromstring(LINKED_SHAPE))
        return etree.tostring(drawing).decode()

    def labelled(text: str) -> str:
        chart = etree.fromstring(text.encode())
        chart.find(".//{*}ser").append(etree.fromstring(LABELS_FROM_CELLS))
        return etree.tostring(chart).decode()

    data = saved(book)
    data = with_member(data, "xl/drawings/drawing1.xml", linked_shape)
    data = with_member(data, "xl/drawings/_rels/drawing1.xml.rels", lambda text: text.replace(
        "</Relationships>", '<Relationship Id="rIdPlace" Type="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships/hyperlink" Target="#Ҳисобот!A1"/>'
        "</Relationships>"))
    data = with_member(data, "xl/charts/chart1.xml", labelled)
    out = xlsx.convert(data, job())
    package = zipfile.ZipFile(io.BytesIO(out))
    assert re.findall(r'<sheet [^>]*name="([^"]*)"', package.read("xl/workbook.xml").decode()
                      ) == ["Hisobot", "Bosh"]
    for name in package.namelist():
        assert "Ҳисобот".encode() not in package.read(name), name  # no place left behind
    assert 'Target="#Hisobot!A1"' in package.read("xl/drawings/_rels/drawing1.xml.rels").decode()
    assert 'Target="#Hisobot!A1"' in package.read(
        "xl/worksheets/_rels/sheet2.xml.rels").decode()
    assert 'textlink="Hisobot!$A$1"' in package.read("xl/drawings/drawing1.xml").decode()
    assert "<c15:f>Hisobot!$B$1</c15:f>" in package.read("xl/charts/chart1.xml").decode()
    assert_only_text_changed(data, out)
    from urllib.parse import quote

    encoded = with_member(data, "xl/drawings/_rels/drawing1.xml.rels", lambda text: text.replace(
        "#Ҳисобот!A1", "#" + quote("Ҳисобот") + "!A1"))  # not rewritten: the sheet stays
    workbook = zipfile.ZipFile(io.BytesIO(xlsx.convert(encoded, job()))).read("xl/workbook.xml")
    assert re.findall(r'<sheet [^>]*name="([^"]*)"', workbook.decode()) == ["Ҳисобот", "Bosh"]


def test_a_date_written_in_uzbek_cyrillic_is_written_in_uzbek_latin():
    """A number format's locale is the workbook's language tag: ``[$-843]`` (Uzbek in
    Cyrillic) makes Excel write a date's month and weekday in Cyrillic (``5 март 2026``);
    converted, it is ``[$-443]`` (Uzbek in Latin: ``5 mart 2026``), with a currency's symbol
    and the calendar's upper digits kept, and back for --to cyrillic; other locales stay."""
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    formats = ["[$-843]d mmmm yyyy", "[$-F800843]dddd", "[$сўм-843]#,##0", "[$-419]d mmmm",
               "[$-0843]mmm"]
    for row, code in enumerate(formats, 1):
        sheet.cell(row, 1, datetime.date(2026, 3, 5)).number_format = code
    data = saved(book)
    out = xlsx.convert(data, job())
    written = [cell.number_format for cell in openpyxl.load_workbook(io.BytesIO(out)).active["A"]]
    assert written == ["[$-443]d mmmm yyyy", "[$-F800443]dddd", "[$soʻm-443]#,##0",
                       "[$-419]d mmmm", "[$-0443]mmm"]
    back = Job(translit.get_transliterator(translit.Options(target="cyrillic")))
    again = xlsx.convert(out, back)
    assert [cell.number_format for cell in openpyxl.load_workbook(io.BytesIO(again)).active["A"]
            ][:2] == ["[$-843]d mmmm yyyy", "[$-F800843]dddd"]
    assert_only_text_changed(data, out)


GLOSSARY = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:glossaryDocument xmlns:w="{W_NS}"><w:docParts><w:docPart><w:docPartPr>
<w:name w:val="Ф_Исм"/><w:category><w:name w:val="General"/><w:gallery w:val="placeholder"/>
</w:category><w:guid w:val="{{11111111-2222-3333-4444-555555555555}}"/></w:docPartPr>
<w:docPartBody><w:p><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>
<w:t>Исмингизни киритинг</w:t></w:r></w:p></w:docPartBody></w:docPart></w:docParts>
</w:glossaryDocument>"""


def test_the_placeholder_text_of_a_form_s_empty_fields_is_converted():
    """Word shows an empty content control's placeholder (grey "Исмингизни киритинг", a
    form's fields) from the glossary document, word/glossary/document.xml, its building
    blocks: converted as the body is; the building block's name stays, as the control
    names it."""
    import docx as python_docx
    from docx.oxml import parse_xml

    document = python_docx.Document()
    paragraph = document.add_paragraph("Исм: ")
    paragraph._p.append(parse_xml(
        f'<w:sdt xmlns:w="{W_NS}"><w:sdtPr><w:placeholder><w:docPart w:val="Ф_Исм"/>'
        '</w:placeholder><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rStyle '
        'w:val="PlaceholderText"/></w:rPr><w:t>Исмингизни киритинг</w:t></w:r></w:sdtContent>'
        "</w:sdt>"))
    data = add_part(saved(document), "word/glossary/document.xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    ".glossary+xml", GLOSSARY, "http://schemas.openxmlformats.org/"
                    "officeDocument/2006/relationships/glossaryDocument")
    out = docx.convert(data, job())
    package = zipfile.ZipFile(io.BytesIO(out))
    glossary = package.read("word/glossary/document.xml").decode()
    assert "<w:t>Ismingizni kiriting</w:t>" in glossary and 'w:val="Ф_Исм"' in glossary
    assert "<w:t>Ismingizni kiriting</w:t>" in package.read("word/document.xml").decode()
    assert_only_text_changed(data, out)


def test_the_texts_a_field_shows_when_updated_are_converted_in_its_code():
    """An index entry (XE, with its cross-reference \\t), a table of contents entry (TC)
    and a link's tooltip (HYPERLINK \\o) are shown from the field's code when the field or
    the index is updated: converted, a code written over several runs too; the bookmark a
    link names, a date's picture and a sequence's name stay."""
    import docx as python_docx
    from docx.oxml import parse_xml

    def run(inner: str) -> str:
        return f"<w:r>{inner}</w:r>"

    def field(*codes: str) -> str:
        return (run('<w:fldChar w:fldCharType="begin"/>')
                + "".join(run(f'<w:instrText xml:space="preserve">{code}</w:instrText>')
                          for code in codes)
                + run('<w:fldChar w:fldCharType="separate"/>') + run("<w:t>1</w:t>")
                + run('<w:fldChar w:fldCharType="end"/>'))

    document = python_docx.Document()
    paragraph = document.add_paragraph("Матн")
    for xml in (field(' XE "Жой', 'лар:Шаҳар" \\t "Қаранг: Тошкент" '),
                field(' HYPERLINK \\l "Белги" \\o "Маслаҳат" '), field(' DATE \\@ "d MMMM" '),
                field(" SEQ Жадвал \\* ARABIC "),
                '<w:fldSimple w:instr=\' TC "Кириш" \\l 1 \'><w:r><w:t>1</w:t></w:r></w:fldSimple>'):
        for element in parse_xml(f'<w:p xmlns:w="{W_NS}">{xml}</w:p>'):
            paragraph._p.append(element)
    data = saved(document)
    from translit.formats.audit import audit

    assert {f.text for f in audit(data, translit.get_transliterator())} >= {
        ' HYPERLINK \\l "Белги" \\o "Маслаҳат" ', ' TC "Кириш" \\l 1 '}
    out = docx.convert(data, job())
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml"))
    codes = [element.text for element in body.iter(f"{{{W_NS}}}instrText")]
    assert codes == [' XE "Joylar:Shahar', '" \\t "Qarang: Toshkent" ',
                     ' HYPERLINK \\l "Белги" \\o "Maslahat" ', ' DATE \\@ "d MMMM" ',
                     " SEQ Жадвал \\* ARABIC "]
    assert [simple.get(f"{{{W_NS}}}instr") for simple in body.iter(f"{{{W_NS}}}fldSimple")
            ] == [' TC "Kirish" \\l 1 ']
    assert_only_text_changed(data, out)


CHART_EX = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cx:chartSpace xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"
 xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex"><cx:chartData>
 <cx:data id="0"><cx:strDim type="cat"><cx:f>Ҳисобот!$A$2:$A$3</cx:f>
 <cx:lvl ptCount="2"><cx:pt idx="0">Тошкент</cx:pt><cx:pt idx="1">Бухоро</cx:pt></cx:lvl>
 </cx:strDim><cx:numDim type="val"><cx:f>Ҳисобот!$B$2:$B$3</cx:f>
 <cx:lvl ptCount="2" formatCode="General"><cx:pt idx="0">5</cx:pt><cx:pt idx="1">3</cx:pt>
 </cx:lvl></cx:numDim></cx:data></cx:chartData><cx:chart><cx:title pos="t" align="ctr"
 overlay="0"><cx:tx><cx:rich><a:bodyPr/><a:p><a:r><a:t>Аҳоли</a:t></a:r></a:p></cx:rich>
 </cx:tx></cx:title><cx:plotArea><cx:plotAreaRegion><cx:series layoutId="waterfall">
 <cx:tx><cx:txData><cx:f>Ҳисобот!$B$1</cx:f><cx:v>Сони</cx:v></cx:txData></cx:tx>
 <cx:dataLabels><cx:numFmt formatCode='0" киши"' sourceLinked="0"/></cx:dataLabels>
 <cx:dataId val="0"/></cx:series></cx:plotAreaRegion></cx:plotArea></cx:chart>
</cx:chartSpace>"""


def test_a_chart_of_the_newer_kinds_is_converted_as_its_cells():
    """Excel's newer charts (waterfall, treemap, funnel, histogram …) are a part of their
    own, chartEx (``application/vnd.ms-office.chartex+xml``): its categories' cache (as the
    cells they copy), series names, titles and number formats are converted as a chart's
    are, and the references follow a renamed sheet."""
    import openpyxl

    from translit.formats.audit import audit

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ҳисобот"
    for row in (("Шаҳар", "Сони"), ("Тошкент", 5), ("Бухоро", 3)):
        sheet.append(row)
    data = add_part(saved(book), "xl/charts/chartEx1.xml", "application/vnd.ms-office.chartex+xml",
                    CHART_EX, "http://schemas.microsoft.com/office/2014/relationships/chartEx",
                    "xl/_rels/workbook.xml.rels")
    out = xlsx.convert(data, job())
    chart = zipfile.ZipFile(io.BytesIO(out)).read("xl/charts/chartEx1.xml").decode()
    for shown in ("<cx:pt idx=\"0\">Toshkent</cx:pt>", "<cx:pt idx=\"1\">Buxoro</cx:pt>",
                  "<a:t>Aholi</a:t>", "<cx:v>Soni</cx:v>", "formatCode=\"0&quot; kishi&quot;\"",
                  "<cx:f>Hisobot!$A$2:$A$3</cx:f>", "<cx:f>Hisobot!$B$1</cx:f>"):
        assert shown in chart, shown
    assert re.search(r'<sheet [^>]*name="Hisobot"', zipfile.ZipFile(io.BytesIO(out)).read(
        "xl/workbook.xml").decode())
    assert_only_text_changed(data, out)
    kept = xlsx.convert(with_member(data, "xl/worksheets/sheet1.xml", lambda text: text.replace(
        "</sheetData>", '<row r="9"><c r="A9"><f>INDIRECT("Ҳисобот!B2")</f></c></row>'
        "</sheetData>")), job())  # the sheet keeps its name, and so does the chart's range
    assert "<cx:f>Ҳисобот!$A$2:$A$3</cx:f>" in zipfile.ZipFile(io.BytesIO(kept)).read(
        "xl/charts/chartEx1.xml").decode()
    assert audit(kept, translit.get_transliterator()) == []
    # in a Word document, the same part is converted too
    import docx as python_docx

    data = add_part(saved(python_docx.Document()), "word/charts/chartEx1.xml",
                    "application/vnd.ms-office.chartex+xml", CHART_EX,
                    "http://schemas.microsoft.com/office/2014/relationships/chartEx")
    chart = zipfile.ZipFile(io.BytesIO(docx.convert(data, job()))).read(
        "word/charts/chartEx1.xml").decode()
    assert '<cx:pt idx="0">Toshkent</cx:pt>' in chart and "<a:t>Aholi</a:t>" in chart


def test_a_table_s_totals_label_and_column_formulas_match_its_converted_cells():
    """A table's totals row shows its label (``totalsRowLabel``), and a calculated column's
    formula (``calculatedColumnFormula``) is what Excel writes into each row added to the
    table: converted as its cells are (the label as the totals row's cell, the formula's
    string literals as the cells' formulas'), so that the table and its cells agree and a
    new row computes what the others do; the column names stay, as their header cells."""
    import openpyxl
    from openpyxl.worksheet.table import Table, TableColumn, TableFormula

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Шаҳар", "Сони", "Баҳо"])
    for city, count in (("Тошкент", 5), ("Бухоро", 3)):
        row = sheet.max_row + 1
        sheet.append([city, count, f'=IF(B{row}>4,"кўп","оз")'])
    sheet.append(["Жами", "=SUBTOTAL(109,Жадвал1[Сони])", None])
    table = Table(displayName="Жадвал1", ref="A1:C4", totalsRowCount=1)
    table.tableColumns = [
        TableColumn(id=1, name="Шаҳар", totalsRowLabel="Жами"),
        TableColumn(id=2, name="Сони", totalsRowFunction="sum"),
        TableColumn(id=3, name="Баҳо", calculatedColumnFormula=TableFormula(
            attr_text='IF(Жадвал1[[#This Row],[Сони]]>4,"кўп","оз")'))]
    sheet.add_table(table)
    data = saved(book)
    out = xlsx.convert(data, job())
    converted = openpyxl.load_workbook(io.BytesIO(out))
    columns = converted.active.tables["Жадвал1"].tableColumns
    assert [column.name for column in columns] == ["Шаҳар", "Сони", "Баҳо"]
    assert columns[0].totalsRowLabel == converted.active["A4"].value == "Jami"
    assert columns[2].calculatedColumnFormula.attr_text == (
        'IF(Жадвал1[[#This Row],[Сони]]>4,"koʻp","oz")')
    assert converted.active["C2"].value == '=IF(B2>4,"koʻp","oz")'
    assert_only_text_changed(data, out)


def test_a_filter_still_picks_the_rows_it_picked(monkeypatch):
    """An autofilter keeps the values it shows (``<filter val="Тошкент"/>``, a custom
    filter's ``*қанд``), compared with the cells when it is applied again: converted as the
    cells are, on a sheet and in a table, so that it still picks the same rows."""
    import openpyxl
    from openpyxl.worksheet.filters import CustomFilter, CustomFilters, FilterColumn, Filters
    from openpyxl.worksheet.table import Table

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (("Шаҳар", "Сони"), ("Тошкент", 5), ("Бухоро", 3), ("Самарқанд", 4)):
        sheet.append(row)
    sheet.auto_filter.ref = "A1:B4"
    sheet.auto_filter.filterColumn.append(FilterColumn(colId=0, filters=Filters(
        filter=["Тошкент", "Бухоро"])))
    listed = book.create_sheet("Рўйхат")
    for row in (("Шаҳар", "Сони"), ("Тошкент", 5), ("Самарқанд", 4)):
        listed.append(row)
    table = Table(displayName="Шаҳарлар", ref="A1:B3")
    table._initialise_columns()
    table.autoFilter = openpyxl.worksheet.filters.AutoFilter(ref="A1:B3", filterColumn=[
        FilterColumn(colId=0, customFilters=CustomFilters(customFilter=[
            CustomFilter(operator="equal", val="*қанд")]))])
    listed.add_table(table)
    data = saved(book)
    out = xlsx.convert(data, job())
    converted = openpyxl.load_workbook(io.BytesIO(out))
    shown = converted.worksheets[0].auto_filter.filterColumn[0].filters.filter
    assert shown == ["Toshkent", "Buxoro"] == [converted.worksheets[0][f"A{row}"].value
                                              for row in (2, 3)]
    custom = converted.worksheets[1].tables["Шаҳарлар"].autoFilter.filterColumn[0]
    assert custom.customFilters.customFilter[0].val == "*qand"
    assert converted.worksheets[1]["A3"].value == "Samarqand"
    assert_only_text_changed(data, out)
    from translit.formats import streaming

    monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0)  # every sheet streamed: the same
    assert xlsx.convert(data, job()) == out


def test_a_sort_by_a_list_of_one_s_own_still_sorts_by_it(monkeypatch):
    # A custom list's values (Тошкент,Самарқанд,Бухоро) are compared with the cells when the
    # sort is made again; they stayed Cyrillic beside cells now Latin.
    import openpyxl
    from openpyxl.worksheet.filters import SortCondition, SortState

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (("Шаҳар", "Сони"), ("Тошкент", 5), ("Самарқанд", 4), ("Бухоро", 3)):
        sheet.append(row)
    sheet.auto_filter.ref = "A1:B4"
    sheet.auto_filter.sortState = SortState(ref="A2:B4", sortCondition=[SortCondition(
        ref="A2:A4", customList="Тошкент,Самарқанд,Бухоро")])
    data = saved(book)
    out = xlsx.convert(data, job())
    condition = openpyxl.load_workbook(io.BytesIO(out)).active.auto_filter.sortState.sortCondition[0]
    assert condition.customList == "Toshkent,Samarqand,Buxoro"
    assert_only_text_changed(data, out)
    from translit.formats import streaming

    monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0)  # every sheet streamed: the same
    assert xlsx.convert(data, job()) == out


SLICERS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<slicers xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
<slicer name="Шаҳар" cache="Slicer_Шаҳар" caption="Шаҳарни танланг" rowHeight="241300"/>
</slicers>"""
SLICER_CACHE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<slicerCacheDefinition xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
 name="Slicer_Шаҳар" sourceName="Шаҳар"><pivotTables><pivotTable tabId="1"
 name="Жамлама"/></pivotTables><data><tabular pivotCacheId="1"><items><i x="0" s="1"/>
</items></tabular></data></slicerCacheDefinition>"""


def test_a_slicer_s_caption_is_converted_and_its_names_kept():
    """A slicer (a dashboard's buttons that filter a pivot table or a table) shows its
    caption as its header: converted; its name and its cache's name are identifiers, and
    its buttons are the converted items of the pivot cache."""
    import openpyxl

    from translit.formats.audit import audit

    book = openpyxl.Workbook()
    book.active["A1"] = "Шаҳар"
    data = add_part(saved(book), "xl/slicers/slicer1.xml", "application/vnd.ms-excel.slicer+xml",
                    SLICERS, "http://schemas.microsoft.com/office/2007/relationships/slicer",
                    "xl/_rels/workbook.xml.rels")
    data = add_part(data, "xl/slicerCaches/slicerCache1.xml",
                    "application/vnd.ms-excel.slicerCache+xml", SLICER_CACHE,
                    "http://schemas.microsoft.com/office/2007/relationships/slicerCache",
                    "xl/_rels/workbook.xml.rels")
    out = xlsx.convert(data, job())
    slicers = zipfile.ZipFile(io.BytesIO(out)).read("xl/slicers/slicer1.xml").decode()
    assert 'caption="Shaharni tanlang"' in slicers
    assert 'name="Шаҳар"' in slicers and 'cache="Slicer_Шаҳар"' in slicers
    assert audit(out, translit.get_transliterator()) == []
    assert_only_text_changed(data, out)


THUMBNAIL_TYPE = ("http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                  "thumbnail")


def with_thumbnail(data: bytes, override: bool) -> bytes:
    """A Word document python-docx made, which has a thumbnail as Word saves one
    (docProps/thumbnail.jpeg, related from the package, its type that of its extension),
    with `override` its type given by its name instead."""
    source = zipfile.ZipFile(io.BytesIO(data))
    assert "docProps/thumbnail.jpeg" in source.namelist()
    assert THUMBNAIL_TYPE.encode() in source.read("_rels/.rels")
    if not override:
        return data
    return with_member(data, "[Content_Types].xml", lambda types: types.replace(
        "</Types>", '<Override PartName="/docProps/thumbnail.jpeg" ContentType="image/jpeg"/>'
        "</Types>"))


@pytest.mark.parametrize("override", [True, False])
def test_a_converted_office_document_loses_its_thumbnail_of_the_old_text(word_document,
                                                                          override):
    """The thumbnail is a picture of the first page as it was saved: converted, it showed
    the old alphabet in a file manager. It is left out, with its relationship and its
    content type; the document still opens; an unchanged one keeps it."""
    import docx as python_docx

    before = with_thumbnail(word_document, override)
    after = docx.convert(before, job())
    package = zipfile.ZipFile(io.BytesIO(after))
    assert "docProps/thumbnail.jpeg" not in package.namelist()
    assert b"thumbnail" not in package.read("_rels/.rels")
    types = package.read("[Content_Types].xml")
    assert b"/docProps/thumbnail.jpeg" not in types
    assert b'Extension="jpeg"' in types  # (kept: a type by extension may serve other parts)
    assert assert_only_text_changed(before, after)
    python_docx.Document(io.BytesIO(after))
    latin = python_docx.Document()  # nothing to convert: the bytes as they were
    latin.add_paragraph("Markaz va obyekt")
    unchanged = with_thumbnail(saved(latin), override)
    assert docx.convert(unchanged, job()) == unchanged
