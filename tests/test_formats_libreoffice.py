"""Documents saved by LibreOffice itself, converted, and opened again by LibreOffice
(issue 18).

The sources are made here by python-docx, openpyxl, python-pptx and odfpy with the
features offices use (formulas over text, validation lists, conditional formats, number
formats, charts, pictures' alternative text, drop-down lists, list labels, slide footers),
then saved by ``soffice --headless --convert-to`` in the six package formats, so that
the files are the real program's. Each is converted; it must pass the audit (no Cyrillic
left outside the documented keep list), change nothing but its text, and open in
LibreOffice; a workbook must compute, after a full recalculation by LibreOffice, the same
values (text compared through the conversion) with the same conditional colours.

LibreOffice runs with a private profile in the test's temporary folder (parallel runs do
not clash) that recalculates every formula on load, and every call has a deadline.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from lxml import etree, html
from test_formats_documents import _without_thumbnail, assert_only_text_changed

import translit
from translit.formats import docx, odf, pptx, xlsx
from translit.formats.audit import audit
from translit.formats.base import Job

SOFFICE_SECONDS = 240
# In two processes, this module is meant for one worker: LibreOffice's runs (the `saved`
# fixture) made once (see conftest.py: running beside another test, and why the mark does
# not hold under pytest 9).
pytestmark = pytest.mark.xdist_group("libreoffice")
# LibreOffice's settings: recalculate every formula when a file is loaded (.xlsx, .ods).
RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
CYRILLIC = re.compile("[\u0400-\u04ff]")


class Office:
    """LibreOffice headless with a private profile."""

    def __init__(self, folder: Path) -> None:
        found = shutil.which("soffice")
        if found is None:
            pytest.fail("LibreOffice (soffice) is not installed: .ci/run installs it from "
                        "Debian's packages (libreoffice-*-nogui)")
        self.soffice = found
        self.profile = folder / "profile"
        (self.profile / "user").mkdir(parents=True)
        (self.profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE)

    def convert(self, paths: list[Path], to: str, folder: Path) -> list[Path]:
        """Each of `paths` saved by LibreOffice as `to` into `folder` (one call for all)."""
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [self.soffice, f"-env:UserInstallation={self.profile.as_uri()}", "--headless",
             "--convert-to", to, "--outdir", str(folder), *map(str, paths)],
            capture_output=True, timeout=SOFFICE_SECONDS, check=False)
        assert done.returncode == 0, done.stderr
        extension = to.split(":", 1)[0]
        outputs = [folder / f"{path.stem}.{extension}" for path in paths]
        for path, output in zip(paths, outputs):
            assert output.exists() and output.stat().st_size > 0, (path, done.stdout, done.stderr)
        return outputs


def job() -> Job:
    return Job(translit.get_transliterator())


def picture() -> io.BytesIO:
    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(stream, "PNG")
    stream.seek(0)
    return stream


def with_member(data: bytes, name: str, change: Any) -> bytes:
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


# --- the sources ----------------------------------------------------------------------------

CITIES = [("Тошкент", 3000, "Ҳа"), ("Бухоро", 280, "Йўқ"), ("Самарқанд", 550, "Ҳа"),
          ("Тошкент", 10, "Йўқ")]


def make_workbook() -> bytes:
    import openpyxl
    from openpyxl.chart import BarChart, Reference
    from openpyxl.formatting.rule import CellIsRule, Rule
    from openpyxl.styles import PatternFill
    from openpyxl.styles.differential import DifferentialStyle
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.hyperlink import Hyperlink

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Маълумот"
    sheet.append(("Шаҳар", "Аҳоли", "Ҳа/Йўқ"))
    for row in CITIES:
        sheet.append(row)
    book.defined_names["capital"] = DefinedName("capital", attr_text='"Тошкент"')
    sheet["E1"] = '=COUNTIF(A2:A5,"Тошкент")'
    sheet["E2"] = '=VLOOKUP("Бухоро",A2:B5,2,FALSE)'
    sheet["E3"] = '=IF(C2="Ҳа","бор","йўқ")'
    sheet["E4"] = '=A2&" шаҳри"'
    sheet["E5"] = '=COUNTIF(A2:A5,"*қанд")'
    sheet["E6"] = "=COUNTIF(A2:A5,capital)"
    sheet["E7"] = '=SUMIF(C2:C5,"Ҳа",B2:B5)'
    sheet["F1"] = "Бошига"  # a link into the workbook (LibreOffice adds its display text)
    sheet["F1"].hyperlink = Hyperlink(ref="F1", location="'Маълумот'!A1")
    for cell in ("B2", "B3", "E2"):
        sheet[cell].number_format = '#,##0" киши"'
    rule = DataValidation(type="list", formula1='"Ҳа,Йўқ"', promptTitle="Танланг",
                          prompt="Ҳа ёки Йўқ", errorTitle="Хато", error="Рўйхатдан танланг")
    sheet.add_data_validation(rule)
    rule.add("C2:C5")
    green = PatternFill(bgColor="00FF00", fill_type="solid")
    sheet.conditional_formatting.add("C2:C5", CellIsRule(operator="equal", formula=['"Ҳа"'],
                                                         fill=green))
    contains = Rule(type="containsText", operator="containsText", text="Тош",
                    dxf=DifferentialStyle(fill=green))
    contains.formula = ['NOT(ISERROR(SEARCH("Тош",A2)))']
    sheet.conditional_formatting.add("A2:A5", contains)
    chart = BarChart()
    chart.title = "Аҳоли сони"
    chart.y_axis.title = "Киши"
    chart.x_axis.title = "Шаҳарлар"
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=5), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=5))
    sheet.add_chart(chart, "G2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_word_document() -> bytes:
    import docx as python_docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = python_docx.Document()
    document.add_heading("Ҳисобот", level=1)
    paragraph = document.add_paragraph("Шаҳар: ")
    paragraph._p.append(parse_xml(
        f'<w:sdt {w}><w:sdtPr><w:alias w:val="Шаҳар"/><w:tag w:val="city"/><w:dropDownList>'
        '<w:listItem w:displayText="Тошкент" w:value="Тошкент"/>'
        '<w:listItem w:displayText="Бухоро" w:value="Бухоро"/></w:dropDownList></w:sdtPr>'
        "<w:sdtContent><w:r><w:t>Тошкент</w:t></w:r></w:sdtContent></w:sdt>"))
    edited = document.add_paragraph("Қолган матн ")
    edited._p.append(parse_xml(
        f'<w:del {w} w:id="7" w:author="Муаллиф" w:date="2026-01-01T00:00:00Z"><w:r>'
        "<w:delText>ўчирилган сўз</w:delText></w:r></w:del>"))
    document.add_picture(picture())
    properties = document.inline_shapes[0]._inline.docPr
    properties.set("descr", "Тошкент харитаси")
    properties.set("title", "Харита")
    document.sections[0].header.paragraphs[0].text = "Юқори колонтитул"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_presentation() -> bytes:
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Аҳоли"
    data = CategoryChartData()
    data.categories = ["Тошкент", "Бухоро", "Самарқанд"]
    data.add_series("Аҳоли сони", (3000, 280, 550))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2),
                                   Inches(6), Inches(4), data).chart
    chart.has_title = True
    chart.chart_title.text_frame.text = "Шаҳарлар аҳолиси"
    image = slide.shapes.add_picture(picture(), Inches(8), Inches(1), Inches(1), Inches(1))
    image._element.nvPicPr.cNvPr.set("descr", "Байроқ расми")
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


DROP_DOWN = ('<text:drop-down text:name="Шаҳар"><text:label text:value="Тошкент" '
             'text:current-selected="true"/><text:label text:value="Бухоро"/>Тошкент'
             "</text:drop-down>")


def make_text_document() -> bytes:
    from odf.draw import Frame, Image
    from odf.opendocument import OpenDocumentText
    from odf.style import ListLevelProperties
    from odf.svg import Desc, Title
    from odf.text import List, ListItem, ListLevelStyleNumber, ListStyle, P

    document = OpenDocumentText()
    numbered = ListStyle(name="Моддалар")
    level = ListLevelStyleNumber(level=1, numformat="1", numprefix="Модда ", numsuffix=".")
    level.addElement(ListLevelProperties(minlabelwidth="2cm"))
    numbered.addElement(level)
    document.automaticstyles.addElement(numbered)
    items = List(stylename=numbered)
    for text in ("Биринчи", "Иккинчи"):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    document.text.addElement(items)
    document.text.addElement(P(text="Танлов: DROPDOWN"))
    picture_path = document.addPicture("Pictures/flag.png", "image/png", picture().getvalue())
    frame = Frame(width="2cm", height="2cm", anchortype="paragraph", name="Расм")
    frame.addElement(Image(href=picture_path))
    frame.addElement(Title(text="Байроқ"))
    frame.addElement(Desc(text="Ўзбекистон байроғи"))
    holder = P()
    holder.addElement(frame)
    document.text.addElement(holder)
    out = io.BytesIO()
    document.save(out)
    return with_member(out.getvalue(), "content.xml", lambda text: text.replace(
        "DROPDOWN", DROP_DOWN))


def make_slides() -> bytes:
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.presentation import DateTimeDecl, FooterDecl
    from odf.style import MasterPage, PageLayout
    from odf.text import P

    deck = OpenDocumentPresentation()
    layout = PageLayout(name="Саҳифа")
    deck.automaticstyles.addElement(layout)
    master = MasterPage(name="Асосий", pagelayoutname=layout)
    deck.masterstyles.addElement(master)
    deck.presentation.addElement(FooterDecl(name="ftr1", text="Тошкент, 2026"))
    deck.presentation.addElement(DateTimeDecl(name="dtd1", source="fixed", text="Бугун"))
    page = Page(name="Слайд", masterpagename=master, usefootername="ftr1",
                usedatetimename="dtd1")
    frame = Frame(width="10cm", height="2cm", x="1cm", y="1cm")
    box = TextBox()
    box.addElement(P(text="Сарлавҳа"))
    frame.addElement(box)
    page.addElement(frame)
    deck.presentation.addElement(page)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, Any]:
    """The sources saved by LibreOffice in the six formats, converted by translit, and the
    converted files saved again by LibreOffice (as HTML, in one run)."""
    folder = tmp_path_factory.mktemp("libreoffice")
    office = Office(folder)
    sources = folder / "sources"
    sources.mkdir()
    made = {"book.xlsx": make_workbook(), "letter.docx": make_word_document(),
            "deck.pptx": make_presentation(), "list.odt": make_text_document(),
            "slides.odp": make_slides()}
    for name, data in made.items():
        (sources / name).write_bytes(data)
    by_office = {}
    for to, names in (("xlsx", ["book.xlsx"]), ("ods", ["book.xlsx"]),
                      ("docx", ["letter.docx"]), ("odt", ["letter.docx", "list.odt"]),
                      ("pptx", ["deck.pptx"]), ("odp", ["deck.pptx", "slides.odp"])):
        for output in office.convert([sources / name for name in names], to, folder / to):
            by_office[f"{output.stem}.{to}"] = output.read_bytes()
    converted_folder = folder / "converted"
    converted_folder.mkdir()
    converted = {}
    modules = {"xlsx": xlsx, "ods": odf, "docx": docx, "odt": odf, "pptx": pptx, "odp": odf}
    for name, data in by_office.items():
        stem, extension = name.rsplit(".", 1)
        converted[name] = modules[extension].convert(data, job())
        for prefix, content in (("before", data), ("after", converted[name])):
            (converted_folder / f"{prefix}-{stem}-{extension}.{extension}").write_bytes(content)
    # Controls: a formula changed under its cached value, which only a recalculation shows
    for extension, part, old, new in (
            ("xlsx", "xl/worksheets/sheet1.xml", "COUNTIF(A2:A5,&quot;Тошкент&quot;)",
             "COUNTIF(A2:A5,&quot;Бухоро&quot;)"),
            ("ods", "content.xml", "COUNTIF([.A2:.A5];&quot;Тошкент&quot;)",
             "COUNTIF([.A2:.A5];&quot;Бухоро&quot;)")):
        control = with_member(by_office[f"book.{extension}"], part, lambda text: (
            text.replace(old, new) if old in text else pytest.fail(f"no {old} in {part}")))
        (converted_folder / f"control-book-{extension}.{extension}").write_bytes(control)
    paths = sorted(converted_folder.iterdir())
    # every kind opened by one LibreOffice run (slides too: their HTML is Draw's XHTML)
    opened = {p.name: p for p in office.convert(paths, "html", folder / "html")}
    return {"office": by_office, "converted": converted, "opened": opened, "folder": folder}


ALL = ["book.xlsx", "book.ods", "letter.docx", "letter.odt", "list.odt", "deck.pptx",
       "deck.odp", "slides.odp"]


@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", ALL)
def test_a_document_saved_by_libreoffice_passes_the_audit_and_opens(saved, name):
    before, after = saved["office"][name], saved["converted"][name]
    transliterator = translit.get_transliterator()
    assert audit(before, transliterator), name  # there was readable Cyrillic
    assert audit(after, transliterator) == []
    assert_only_text_changed(before, after)
    stem, extension = name.rsplit(".", 1)
    assert saved["opened"][f"after-{stem}-{extension}.html"].stat().st_size > 0


def cells(page: Path) -> list[tuple[str | None, str]]:
    """(background, text) of every cell of a sheet LibreOffice saved as HTML."""
    tree = html.fromstring(page.read_bytes())
    return [(cell.get("bgcolor"), cell.text_content().strip()) for cell in tree.iter("td")]


@pytest.mark.timeout(900)
@pytest.mark.parametrize("extension", ["xlsx", "ods"])
def test_a_workbook_computes_the_same_after_conversion(saved, extension):
    before = cells(saved["opened"][f"before-book-{extension}.html"])
    after = cells(saved["opened"][f"after-book-{extension}.html"])
    latin = [(colour, translit.to_latin(text)) for colour, text in before]
    assert after == latin
    shown = [text for _, text in after]
    # the values of COUNTIF, VLOOKUP with its number format, IF, "&", wildcards, a
    # defined name's text, SUMIF over a condition (recalculated by LibreOffice)
    for value in ("2", "280 kishi", "bor", "Toshkent shahri", "1", "3550", "3,000 kishi"):
        assert value in shown, (value, shown)
    assert ("#00FF00", "Ha") in after and ("#00FF00", "Toshkent") in after  # still coloured
    assert not any(CYRILLIC.search(text) for text in shown)


@pytest.mark.parametrize("extension", ["xlsx", "ods"])
def test_libreoffice_recalculated_every_formula(saved, extension):
    """The control: COUNTIF changed to look for Бухоро under its cached 2 shows 1, so the
    values compared above are LibreOffice's, not the files' cached ones."""
    before = cells(saved["opened"][f"before-book-{extension}.html"])
    control = cells(saved["opened"][f"control-book-{extension}.html"])
    differ = [(a, b) for a, b in zip(before, control) if a != b]
    assert len(before) == len(control) and differ == [((None, "2"), (None, "1"))]


def test_a_validation_list_still_holds_its_cells_after_conversion(saved):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(saved["converted"]["book.xlsx"]))
    sheet = book.worksheets[0]
    rule = sheet.data_validations.dataValidation[0]
    items = rule.formula1.strip('"').split(",")
    assert items == ["Ha", "Yoʻq"]
    assert {sheet[f"C{row}"].value for row in range(2, 6)} <= set(items)
    assert (rule.promptTitle, rule.errorTitle) == ("Tanlang", "Xato")
    content = zipfile.ZipFile(io.BytesIO(saved["converted"]["book.ods"])).read("content.xml")
    assert b'cell-content-is-in-list(&quot;Ha&quot;;&quot;Yo\xca\xbbq&quot;)' in content
    assert b'table:title="Tanlang"' in content


def member(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def test_charts_are_converted_in_every_format(saved):
    converted = saved["converted"]
    for name in ("book.xlsx", "deck.pptx"):
        package = zipfile.ZipFile(io.BytesIO(converted[name]))
        charts = [n for n in package.namelist() if re.search(r"charts/chart\d*\.xml$", n)]
        assert charts, name
        text = "".join(package.read(n).decode() for n in charts)
        assert "<c:v>Toshkent</c:v>" in text and "<c:v>Buxoro</c:v>" in text, name
        assert not CYRILLIC.search(text.replace("Маълумот", "")), name  # ODF keeps sheets
    for name in ("book.ods", "deck.odp"):
        package = zipfile.ZipFile(io.BytesIO(converted[name]))
        objects = [n for n in package.namelist() if re.fullmatch(r"Object \d+/content\.xml", n)]
        assert objects, name
        text = "".join(package.read(n).decode() for n in objects)
        assert ">Toshkent<" in text and ">Buxoro<" in text, name


def test_what_readers_see_beyond_paragraphs(saved):
    converted = saved["converted"]
    letter = member(converted["letter.docx"], "word/document.xml")
    assert 'descr="Toshkent xaritasi"' in letter  # (LibreOffice drops the title)
    assert 'w:displayText="Buxoro"' in letter and "<w:delText>oʻchirilgan soʻz</w:delText>" in letter
    listed = member(converted["list.odt"], "content.xml") + member(converted["list.odt"],
                                                                      "styles.xml")
    assert 'style:num-prefix="Modda "' in listed and 'loext:num-list-format="Modda %1%."' in listed
    letter = member(converted["letter.odt"], "content.xml")
    assert 'loext:display-text="Buxoro"' in letter and 'loext:value="Buxoro"' in letter
    assert 'text:value="Buxoro"' in listed and ">Toshkent</text:drop-down>" in listed
    assert "<svg:title>Bayroq</svg:title>" in listed
    assert "<svg:desc>Oʻzbekiston bayrogʻi</svg:desc>" in listed
    slides = member(converted["slides.odp"], "content.xml")
    assert ">Toshkent, 2026</presentation:footer-decl>" in slides
    deck = member(converted["deck.pptx"], "ppt/slides/slide1.xml")
    assert 'descr="Bayroq rasmi"' in deck
    link = etree.fromstring(member(converted["book.xlsx"], "xl/worksheets/sheet1.xml").encode(
        )).find(".//{*}hyperlink")
    assert (link.get("location"), link.get("display")) == ("'Maʼlumot'!A1", "Boshiga")  # renamed


def test_the_command_line_on_documents_libreoffice_saved(saved, tmp_path):
    for name in ALL:
        path = tmp_path / name
        path.write_bytes(saved["office"][name])
        code, out, err = run_cli("--strict", path, "-o", tmp_path / "out" / name)
        assert (code, err) == (0, b""), (name, err)
        assert (tmp_path / "out" / name).read_bytes() == saved["converted"][name]
    code, out, err = run_cli("--diff", tmp_path / "letter.docx")
    assert code == 1 and "\n+oʻchirilgan soʻz\n" in out.decode()  # a tracked deletion


def test_the_etree_of_a_converted_part_is_what_libreoffice_wrote(saved):
    """Only strings changed: LibreOffice's own markup (namespaces, order) is kept."""
    for name in ALL:
        before = zipfile.ZipFile(io.BytesIO(saved["office"][name]))
        after = zipfile.ZipFile(io.BytesIO(saved["converted"][name]))
        for info in before.infolist():
            if info.filename.endswith(".xml"):  # (less the line of the thumbnail, left out)
                a = _without_thumbnail(etree.fromstring(before.read(info)))
                b = etree.fromstring(after.read(info.filename))
                assert a.nsmap == b.nsmap and len(list(a.iter())) == len(list(b.iter()))


def test_what_libreoffice_opened_is_what_streamed_parts_give(saved, monkeypatch):
    """The files LibreOffice opened above were converted part by part whole (they are
    small); with every part of a body, sheet, table of strings or content.xml streamed (a
    threshold of 0: streaming.py), the bytes are the same: LibreOffice opens what a large
    document's streamed conversion writes."""
    from translit.formats import streaming

    streamed: list[str] = []
    real = streaming.stream_xml

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        real(*args, **kwargs)
        streamed.append(args[1])  # streamed to its end, not refused

    monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0)
    monkeypatch.setattr(streaming, "stream_xml", counted)
    modules = {"xlsx": xlsx, "ods": odf, "docx": docx, "odt": odf, "pptx": pptx, "odp": odf}
    for name in ALL:
        streamed.clear()
        extension = name.rsplit(".", 1)[1]
        assert modules[extension].convert(saved["office"][name], job()) == (
            saved["converted"][name]), name
        wanted = {"xlsx": "xl/worksheets/sheet1.xml", "docx": "word/document.xml",
                  "pptx": None}.get(extension, "content.xml")
        assert wanted is None or wanted in streamed, (name, streamed)


# --- links and indexes of a text document ---------------------------------------------------

FLAT_TEXT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles><style:style style:name="Heading_20_1" style:display-name="Heading 1"
  style:family="paragraph" style:default-outline-level="1"/></office:styles>
 <office:body><office:text>
  <text:table-of-content text:name="Мундарижа1"><text:table-of-content-source
   text:outline-level="1"><text:index-title-template>Мундарижа</text:index-title-template>
   <text:table-of-content-entry-template text:outline-level="1"><text:index-entry-text/>
   </text:table-of-content-entry-template></text:table-of-content-source>
   <text:index-body><text:index-title text:name="Мундарижа1_Head"><text:p>Мундарижа</text:p>
   </text:index-title><text:p>Кириш бўлими</text:p><text:p>Хулоса</text:p></text:index-body>
  </text:table-of-content>
  <text:h text:style-name="Heading_20_1" text:outline-level="1">Кириш бўлими</text:h>
  <text:p>Қаранг: <text:a xlink:type="simple" xlink:href="#Хулоса|outline">хулосага</text:a>,
   <text:a xlink:type="simple" xlink:href="#Белги">белгига</text:a>.
   <text:alphabetical-index-mark text:string-value="Шаҳар" text:key1="Жойлар"/>Тошкент.</text:p>
  <text:p text:style-name="Heading_20_1"><text:bookmark text:name="Белги"/>Белги.</text:p>
  <text:h text:style-name="Heading_20_1" text:outline-level="1">Хулоса</text:h>
  <text:p>Орқага: <text:a xlink:type="simple" xlink:href="#Кириш бўлими|outline">киришга</text:a>.</text:p>
  <text:p><draw:custom-shape draw:name="Шакл" text:anchor-type="paragraph" svg:width="4cm"
   svg:height="2cm"><text:p>Шакл матни</text:p><draw:enhanced-geometry draw:type="rectangle"/>
   </draw:custom-shape></text:p>
  <text:alphabetical-index text:name="Кўрсаткич1"><text:alphabetical-index-source>
   <text:index-title-template>Кўрсаткич</text:index-title-template>
   </text:alphabetical-index-source><text:index-body><text:index-title
   text:name="Кўрсаткич1_Head"><text:p>Кўрсаткич</text:p></text:index-title>
   <text:p>Жойлар</text:p><text:p>Шаҳар, 1</text:p></text:index-body></text:alphabetical-index>
 </office:text></office:body>
</office:document>
"""


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> dict[str, Any]:
    """A text document with links to headings and a bookmark, a table of contents, an index
    and a shape, saved by LibreOffice as .odt (and .docx), converted, and both .odt files
    exported as PDF."""
    folder = tmp_path_factory.mktemp("linked")
    office = Office(folder)
    source = folder / "linked.fodt"
    source.write_text(FLAT_TEXT, encoding="utf-8")
    before = office.convert([source], "odt", folder / "odt")[0].read_bytes()
    after = odf.convert(before, job())
    word = office.convert([source], "docx", folder / "docx")[0]
    pdf = folder / "pdf"
    pdf.mkdir()
    (pdf / "before.odt").write_bytes(before)
    (pdf / "after.odt").write_bytes(after)
    exported = office.convert([pdf / "before.odt", pdf / "after.odt"], "pdf", folder / "out")
    return {"before": before, "after": after, "word": word,
            "pdf": {path.stem: path.read_bytes() for path in exported}}


def pdf_links(pdf: bytes) -> list[bytes]:
    """The link annotations of a PDF LibreOffice wrote (each with its destination): a link
    whose target LibreOffice cannot find is not written."""
    return re.findall(rb"/Subtype/Link\b.*?(?:/Dest\[[^\]]*\]|/URI\([^)]*\))", pdf, re.DOTALL)


@pytest.mark.timeout(900)
def test_a_link_to_a_heading_still_finds_it_after_conversion(linked):
    """LibreOffice links to a heading by its text (``#Хулоса|outline``): the heading is
    converted, and so is the link, so that LibreOffice still finds it."""
    content = member(linked["after"], "content.xml")
    assert 'xlink:href="#Xulosa|outline"' in content
    assert 'xlink:href="#Kirish boʻlimi|outline"' in content
    assert 'xlink:href="#Белги"' in content  # a bookmark's name stays, as the bookmark
    before, after = pdf_links(linked["pdf"]["before"]), pdf_links(linked["pdf"]["after"])
    assert len(before) == 3 and len(after) == len(before), (before, after)


def test_an_index_made_again_shows_what_the_converted_document_shows(linked, monkeypatch):
    """A table of contents or an index is made again from its title's template and its
    marks' texts (when a user updates it, or LibreOffice on opening a file from Word):
    they are converted as the title and the entries the index shows."""
    content = member(linked["after"], "content.xml")
    assert ">Mundarija</text:index-title-template>" in content
    assert ">Koʻrsatkich</text:index-title-template>" in content
    assert 'text:string-value="Shahar"' in content and 'text:key1="Joylar"' in content
    for shown in ("Mundarija", "Koʻrsatkich", "Joylar", "Shahar, 1"):  # in the index bodies
        assert f">{shown}</text:p>" in content, shown
    assert audit(linked["after"], translit.get_transliterator()) == []
    assert_only_text_changed(linked["before"], linked["after"])
    from translit.formats import streaming

    monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0)  # content.xml streamed: the same
    assert odf.convert(linked["before"], job()) == linked["after"]


def test_references_to_renamed_sheets_still_compute(tmp_path):
    """A sheet renamed into a name with ʻ or ʼ (Ўқув1 → Oʻquv1) is written unquoted in
    formulas, as Excel and LibreOffice write a name of letters: LibreOffice reads no quoted
    reference to a range of sheets (``'Oʻquv1:Oʻquv2'!B2`` is #NAME? there)."""
    import openpyxl

    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "Жами"
    for name, value in (("Ўқув1", 3), ("Ўқув2", 4), ("Маъруза", 5)):
        book.create_sheet(name)["B2"] = value
    summary["A1"] = "=SUM(Ўқув1:Ўқув2!B2)"
    summary["A2"] = "=Ўқув2!B2*10+Маъруза!B2"
    summary["A3"] = "=SUM(Ўқув1:Маъруза!B2)"
    source = tmp_path / "source.xlsx"
    book.save(source)
    office = Office(tmp_path)
    before = office.convert([source], "xlsx", tmp_path / "office")[0].read_bytes()
    after = xlsx.convert(before, job())
    sheets = re.findall(r'<sheet name="([^"]*)"', member(after, "xl/workbook.xml"))
    assert sheets == ["Jami", "Oʻquv1", "Oʻquv2", "Maʼruza"]
    formulas = re.findall(r"<f[^>]*>([^<]*)</f>", member(after, "xl/worksheets/sheet1.xml"))
    assert formulas == ["SUM(Oʻquv1:Oʻquv2!B2:B2)", "Oʻquv2!B2*10+Maʼruza!B2",
                        "SUM(Oʻquv1:Maʼruza!B2:B2)"]
    for name, data in (("before", before), ("after", after)):
        (tmp_path / f"{name}.xlsx").write_bytes(data)
    pages = office.convert([tmp_path / "before.xlsx", tmp_path / "after.xlsx"], "html",
                           tmp_path / "html")
    shown = [[text for _, text in cells(page)] for page in pages]
    assert shown[0][:3] == ["7", "45", "12"] and shown[1] == [translit.to_latin(text)
                                                              for text in shown[0]]


def test_a_shape_keeps_its_name_in_the_word_document_libreoffice_saved(linked, tmp_path):
    """LibreOffice writes a shape's name as its VML fallback's ``ID`` (``<v:rect
    ID="Шакл">``): an identifier, which stays, not text left for --strict to refuse."""
    out = tmp_path / "out.docx"
    code, _, err = run_cli("--strict", linked["word"], "-o", out)
    assert (code, err) == (0, b"")
    body = member(out.read_bytes(), "word/document.xml")
    assert 'ID="Шакл"' in body and "Shakl matni" in body
    assert_only_text_changed(linked["word"].read_bytes(), out.read_bytes())


# --- Strict Open XML ------------------------------------------------------------------------

STRICT_GROUPS = ("officeDocument", "wordprocessingml", "spreadsheetml", "presentationml",
                 "drawingml", "schemaLibrary")


def as_strict(data: bytes) -> bytes:
    """An Office package as its program saves it in ISO/IEC 29500 Strict: the same parts
    with Strict's namespace names (and relationship types)."""
    def strict(text: str) -> str:
        for special, name in (("extended-properties", "extendedProperties"),
                              ("custom-properties", "customProperties")):
            text = text.replace(f"http://schemas.openxmlformats.org/officeDocument/2006/{special}",
                                f"http://purl.oclc.org/ooxml/officeDocument/{name}")
        for group in STRICT_GROUPS:
            text = text.replace(f"http://schemas.openxmlformats.org/{group}/2006/",
                                f"http://purl.oclc.org/ooxml/{group}/")
        return text

    package = zipfile.ZipFile(io.BytesIO(data))
    for name in package.namelist():
        if name.endswith((".xml", ".rels")):
            data = with_member(data, name, strict)
    return data


def test_a_strict_open_xml_document_is_converted_and_stays_strict(tmp_path, monkeypatch):
    """Word, Excel and PowerPoint save "Strict Open XML" documents: the Transitional form's
    elements under other namespace names. They are converted as the Transitional ones are
    (a sheet renamed, a formula's literals as its cells), every part keeps its Strict names,
    and LibreOffice opens them: the text it reads is the source's, converted, and the
    workbook computes the same values."""
    import docx as python_docx
    import openpyxl

    document = python_docx.Document()
    document.add_paragraph("Салом, дунё")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Жадвалдаги матн"
    document.core_properties.title = "Сарлавҳа"
    book = openpyxl.Workbook()
    report = book.active
    report.title = "Ҳисобот"
    report["A1"], report["B1"] = "Ҳа", '=IF(A1="Ҳа","бор","йўқ")'
    book.create_sheet("Жами")["A1"] = "=Ҳисобот!B1"
    from pptx import Presentation

    deck = Presentation()
    deck.slides.add_slide(deck.slide_layouts[0]).shapes.title.text = "Тақдимот"
    sources = {}
    for name, made in (("letter.docx", document), ("book.xlsx", book), ("deck.pptx", deck)):
        out = io.BytesIO()
        made.save(out)
        sources[name] = as_strict(out.getvalue())
    modules = {"docx": docx, "xlsx": xlsx, "pptx": pptx}
    converted = {name: modules[name.rsplit(".", 1)[1]].convert(data, job())
                 for name, data in sources.items()}
    for name, data in converted.items():
        package = zipfile.ZipFile(io.BytesIO(data))
        for part in package.namelist():
            assert b"http://schemas.openxmlformats.org/officeDocument/2006/" not in (
                package.read(part)), (name, part)  # Strict's names, as the source's
        assert audit(data, translit.get_transliterator()) == [], name
    assert "Salom, dunyo" in member(converted["letter.docx"], "word/document.xml")
    assert re.search(r'<sheet [^>]*name="Hisobot"', member(converted["book.xlsx"],
                                                          "xl/workbook.xml"))
    assert "<dc:title>Sarlavha</dc:title>" in member(converted["letter.docx"],
                                                     "docProps/core.xml")
    assert ">Taqdimot</a:t>" in member(converted["deck.pptx"], "ppt/slides/slide1.xml")
    for name in sources:
        assert_only_text_changed(sources[name], converted[name])
    from translit.formats import streaming

    monkeypatch.setattr(streaming, "STREAMED_ABOVE", 0)  # every large part streamed: the same
    for name, data in sources.items():
        assert modules[name.rsplit(".", 1)[1]].convert(data, job()) == converted[name], name
    monkeypatch.undo()
    office = Office(tmp_path)
    for prefix, files in (("before", sources), ("after", converted)):
        for name, data in files.items():
            (tmp_path / f"{prefix}-{name}").write_bytes(data)
    texts = office.convert([tmp_path / "before-letter.docx", tmp_path / "after-letter.docx"],
                           "txt:Text (encoded):UTF8", tmp_path / "text")
    before, after = (path.read_text(encoding="utf-8-sig") for path in texts)
    assert "Салом, дунё" in before and after == translit.to_latin(before)
    pages = office.convert([tmp_path / "before-book.xlsx", tmp_path / "after-book.xlsx"],
                           "html", tmp_path / "html")
    shown = [[text for _, text in cells(page)] for page in pages]
    assert "бор" in shown[0] and shown[1] == [translit.to_latin(text) for text in shown[0]]


def test_an_index_entry_of_a_word_document_is_converted_in_its_field(linked, tmp_path):
    """Word keeps an index entry in its field's code (``XE "Жойлар:Шаҳар"``, what
    LibreOffice writes for an index mark): the index is made again from it, so its text is
    converted as the index shows it; LibreOffice reads the converted entry back."""
    out = docx.convert(linked["word"].read_bytes(), job())
    body = member(out, "word/document.xml")
    assert 'XE "Joylar:Shahar"' in body.replace("&quot;", '"')
    assert audit(out, translit.get_transliterator()) == []
    (tmp_path / "entry.docx").write_bytes(out)
    office = Office(tmp_path)
    opened = office.convert([tmp_path / "entry.docx"], "odt", tmp_path / "odt")[0]
    marks = re.findall(r"<text:alphabetical-index-mark [^>]*>",
                       member(opened.read_bytes(), "content.xml"))
    # (LibreOffice 7.4 reads this code's whole entry as the mark's key)
    assert len(marks) == 1 and "Joylar:Shahar" in marks[0], marks


@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", ["letter.odt", "list.odt", "deck.odp", "slides.odp",
                                  "book.ods"])
def test_the_thumbnail_of_the_old_text_is_left_out_and_the_file_still_opens(saved, name):
    """LibreOffice saves a picture of the first page in every OpenDocument file: of a
    converted one, it showed the old alphabet. It is left out, and so is its line of the
    manifest; LibreOffice opens the file (and makes a new picture when it saves it)."""
    before = zipfile.ZipFile(io.BytesIO(saved["office"][name]))
    after = zipfile.ZipFile(io.BytesIO(saved["converted"][name]))
    assert "Thumbnails/thumbnail.png" in before.namelist()
    assert not [member for member in after.namelist() if member.startswith("Thumbnails/")]
    assert b"Thumbnails/" in before.read("META-INF/manifest.xml")
    assert b"Thumbnails/" not in after.read("META-INF/manifest.xml")
    stem, extension = name.rsplit(".", 1)
    assert saved["opened"][f"after-{stem}-{extension}.html"].stat().st_size > 0
