"""Issue 18, items 5 and 7: each format is one object of one registry, with one dispatch
used by every operation; a document's content, not its name, decides what it is; flat
OpenDocument files (one XML file) are OpenDocument."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from lxml import etree

import translit
from translit import files, formats

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
CYRILLIC = re.compile("[\u0400-\u04ff]")


def saved(document: object) -> bytes:
    out = io.BytesIO()
    document.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


@pytest.fixture(scope="module")
def workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Маълумот"
    book.active["A1"] = "Тошкент шаҳри"
    book.properties.title = "Ҳисобот"
    return saved(book)


@pytest.fixture(scope="module")
def word_document() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Центр ва объект")
    return saved(document)


@pytest.fixture(scope="module")
def text_document() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text="Ўзбекистон"))
    return saved(document)


def flat_spreadsheet() -> bytes:
    """A flat .fods (odfpy writes the flat form with .xml()): a sheet named in Cyrillic
    beside one whose name is its Latin, and formulas naming the Cyrillic one."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for name in ("Ҳисобот", "Hisobot"):
        table, row = Table(name=name), TableRow()
        cell = TableCell(valuetype="string")
        cell.addElement(P(text="Жами"))
        row.addElement(cell)
        row.addElement(TableCell(formula="of:=LEN(['Ҳисобот'.A1])", valuetype="float",
                                 value="4"))
        table.addElement(row)
        document.spreadsheet.addElement(table)
    data: bytes = document.xml()
    return data


# --- item 7: one registry, one dispatch ---------------------------------------------------


def test_every_format_is_one_object_that_converts_through_one_dispatch():
    assert set(formats.FORMAT_NAMES) == set(formats.BY_NAME)  # --format's choices
    for found in formats.FORMATS:
        assert formats.BY_NAME[found.name] is found
        assert all(formats.BY_EXTENSION[ext] is found for ext in found.extensions)
        assert found.kind in ("plain", "text", "document", "records")
        assert (found.max_bytes is not None) == found.document  # read whole: bounded
    converter = formats.converter_for(formats.BY_NAME["srt"], translit.get_transliterator())
    out = converter.feed("1\n00:00:01,000 --> 00:00:02,000\nЦентр\n".encode(), final=True)
    assert out.endswith(b"Sentr\n") and converter.stats.changed
    # A record format too (the files layer streams it record by record instead).
    converter = formats.converter_for(formats.BY_NAME["jsonl"], translit.get_transliterator())
    assert converter.feed('{"k": "Центр"}\n'.encode(), final=True) == b'{"k": "Sentr"}\n'
    assert converter.stats.changed


@pytest.fixture()
def tiny_limit(monkeypatch):
    """The Word format with a limit of 1 KiB, in the registry every operation reads."""
    small = formats.BY_NAME["docx"]._replace(max_bytes=1024)
    monkeypatch.setitem(formats.BY_NAME, "docx", small)
    for extension in small.extensions:
        monkeypatch.setitem(formats.BY_EXTENSION, extension, small)


def test_every_operation_keeps_the_document_size_limit(tmp_path, word_document, tiny_limit):
    # The limit was written in one copy of the dispatch only: --diff read past it.
    path = tmp_path / "big.docx"
    path.write_bytes(word_document)
    results = [files.check_file(path), files.convert_file(path, tmp_path / "out.docx"),
               files.convert_in_place(path), files.diff_file(path, io.BytesIO()),
               files.convert_to_stream(path, io.BytesIO())]
    for result in results:
        assert result.problem is not None and "too large a document" in result.problem.reason
    assert path.read_bytes() == word_document and not (tmp_path / "out.docx").exists()
    with pytest.raises(formats.FormatError, match="too large"):
        formats.convert(word_document, "docx")


def test_a_walk_finds_each_format_once(tmp_path, monkeypatch, word_document):
    (tmp_path / "a.docx").write_bytes(word_document)
    (tmp_path / "b").write_text("<!DOCTYPE html><p>Центр</p>\n", encoding="utf-8")
    calls: list[str] = []
    detect = formats.detect

    def counting(path, head=None):
        calls.append(Path(path).name)
        return detect(path, head)

    monkeypatch.setattr(formats, "detect", counting)  # what the files layer calls ...
    monkeypatch.setattr(formats.registry, "detect", counting)  # ... and `choose` does
    code, out, err = run_cli("--check", tmp_path)
    assert code == 1, err
    assert sorted(calls) == ["a.docx", "b"]  # found by the walk, carried to the check
    code, out, err = run_cli(tmp_path, "-o", tmp_path.parent / "converted")
    assert code == 0, err
    assert (tmp_path.parent / "converted" / "b").read_text(encoding="utf-8") == (
        "<!DOCTYPE html><p>Sentr</p>\n")


@pytest.mark.parametrize("mode", [("--check",), ("--diff",), ("--diff", "--json"),
                                  ("--diff", "--layout", "side"), ("-i",), ("-o", "OUT/")])
def test_every_operation_finds_each_format_once(tmp_path, monkeypatch, word_document, mode):
    # The format is found once per input and carried with it: by the walk for the files of
    # a folder, when it is opened for a file named (--diff found it three times: a look at
    # its name for the records, then again in diff_file and once more for its lines).
    folder, named = tmp_path / "folder", tmp_path / "named"
    for where in (folder, named):
        where.mkdir()
        (where / "a.docx").write_bytes(word_document)
        (where / "b").write_text("<!DOCTYPE html><p>Центр</p>\n", encoding="utf-8")
        (where / "c.csv").write_text("матн\nЦентр\n", encoding="utf-8")
        (where / "d.txt").write_text("Центр\n", encoding="utf-8")
    calls: list[str] = []
    detect = formats.detect

    def counting(path, head=None):
        calls.append(Path(path).name)
        return detect(path, head)

    monkeypatch.setattr(formats, "detect", counting)  # what the files layer calls ...
    monkeypatch.setattr(formats.registry, "detect", counting)  # ... and `choose` does
    args = [str(tmp_path / "OUT") + "/" if arg == "OUT/" else arg for arg in mode]
    expected = 0 if mode[0] in ("-i", "-o") else 1
    code, _, err = run_cli("--jobs", "1", *args, folder)
    assert code == expected, err
    assert sorted(calls) == ["a.docx", "b", "c.csv", "d.txt"]
    calls.clear()
    shutil.rmtree(tmp_path / "OUT", ignore_errors=True)
    code, _, err = run_cli("--jobs", "1", *args, *sorted(named.iterdir()))
    assert code == expected, err
    assert sorted(calls) == ["a.docx", "b", "c.csv", "d.txt"]


# --- item 5: content decides ------------------------------------------------------------


def test_a_workbook_named_docx_is_converted_as_a_workbook_with_a_note(tmp_path, workbook):
    import openpyxl

    source = tmp_path / "book.docx"
    source.write_bytes(workbook)
    code, _, err = run_cli(source, "-o", tmp_path / "out.docx")
    assert code == 0
    assert b"book.docx: it is an Excel workbook, not a Word document as its name (or --format) says" in err
    (tmp_path / "out.xlsx").write_bytes((tmp_path / "out.docx").read_bytes())
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["Maʼlumot"] and book.active["A1"].value == "Toshkent shahri"
    # Every operation reads it as what it is: the check, the diff, the library.
    code, out, err = run_cli("--check", source)
    assert code == 1 and b"Excel workbook" in err
    code, out, _ = run_cli("--diff", source)
    assert code == 1 and b"+Toshkent shahri" in out
    converted = formats.convert(workbook, "docx")
    assert openpyxl.load_workbook(io.BytesIO(converted)).active["A1"].value == "Toshkent shahri"


def test_a_document_named_xlsx_and_an_opendocument_named_docx(tmp_path, word_document,
                                                              text_document):
    import docx
    from odf import teletype
    from odf.opendocument import load

    (tmp_path / "a.xlsx").write_bytes(word_document)
    (tmp_path / "b.docx").write_bytes(text_document)
    code, _, err = run_cli(tmp_path, "-o", tmp_path.parent / "out")
    assert code == 0, err
    assert b"a.xlsx: it is a Word document, not an Excel workbook as its name" in err
    assert b"b.docx: it is an OpenDocument file, not a Word document as its name" in err
    converted = docx.Document(str(tmp_path.parent / "out" / "a.xlsx"))
    assert converted.paragraphs[0].text == "Sentr va obyekt"
    document = load(str(tmp_path.parent / "out" / "b.docx"))
    assert teletype.extractText(document.text.childNodes[0]) == "Oʻzbekiston"


def test_a_document_whose_name_is_right_has_no_note(tmp_path, word_document):
    (tmp_path / "a.docx").write_bytes(word_document)
    code, _, err = run_cli(tmp_path / "a.docx", "-o", tmp_path / "b.docx")
    assert code == 0 and err == b""


def test_a_flat_spreadsheet_is_opendocument_and_its_sheets_keep_their_names(tmp_path):
    data = flat_spreadsheet()
    (tmp_path / "a.fods").write_bytes(data)
    code, _, err = run_cli(tmp_path / "a.fods", "-o", tmp_path / "b.fods")
    assert code == 0, err
    root = etree.fromstring((tmp_path / "b.fods").read_bytes())
    # As in .ods: sheet names are never converted, so no two sheets meet, and the
    # formulas that name a sheet still find it.
    assert [t.get(f"{TABLE}name") for t in root.iter(f"{TABLE}table")] == ["Ҳисобот", "Hisobot"]
    assert {c.get(f"{TABLE}formula") for c in root.iter(f"{TABLE}table-cell")} - {None} == {
        "of:=LEN(['Ҳисобот'.A1])"}
    assert [p.text for p in root.iter(f"{TEXT}p")] == ["Jami", "Jami"]
    # ... and the rest of the file as it was: only the converted text differs.
    assert (tmp_path / "b.fods").read_bytes() == data.replace("Жами".encode(), b"Jami")


def test_flat_text_documents_by_name_and_by_content(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import P, Span

    document = OpenDocumentText()
    paragraph = P()
    paragraph.addElement(Span(text="Ц"))
    paragraph.addText("ентр")
    document.text.addElement(paragraph)
    data = document.xml()
    (tmp_path / "a.fodt").write_bytes(data)
    (tmp_path / "unnamed").write_bytes(data)  # a name that says nothing: its content
    assert formats.detect(tmp_path / "unnamed", data[:8192]).name == "odf"
    for name in ("a.fodt", "unnamed"):
        code, out, _ = run_cli("--diff", tmp_path / name)
        assert code == 1 and b"-\xd0\xa6\xd0\xb5\xd0\xbd\xd1\x82\xd1\x80\n+Sentr\n" in out
    code, _, err = run_cli(tmp_path, "-o", tmp_path.parent / "out")
    assert code == 0, err
    for name in ("a.fodt", "unnamed"):
        out = (tmp_path.parent / "out" / name).read_bytes()
        assert b"<text:span>S</text:span>entr" in out and not CYRILLIC.search(out.decode())


def test_a_package_whose_name_says_nothing_is_read_by_its_content(tmp_path, workbook,
                                                                    word_document,
                                                                    text_document):
    import docx
    import openpyxl
    from odf import teletype
    from odf.opendocument import load

    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in (("book", workbook), ("letter", word_document), ("note", text_document),
                       ("archive", _zip_of({"a.txt": b"x"}))):
        (folder / name).write_bytes(data)
    assert [formats.detect(folder / name, (folder / name).read_bytes()[:8192])
            for name in ("book", "letter", "note")] == [
        formats.BY_NAME["xlsx"], formats.BY_NAME["docx"], formats.BY_NAME["odf"]]
    code, _, err = run_cli(folder, "-o", tmp_path / "out")
    assert code == 0, err
    assert b"1 copied as they are" in err  # the archive, as it is
    assert (tmp_path / "out" / "archive").read_bytes() == (folder / "archive").read_bytes()
    (tmp_path / "book.xlsx").write_bytes((tmp_path / "out" / "book").read_bytes())
    assert openpyxl.load_workbook(tmp_path / "book.xlsx").active["A1"].value == "Toshkent shahri"
    assert docx.Document(str(tmp_path / "out" / "letter")).paragraphs[0].text == (
        "Sentr va obyekt")
    note = load(str(tmp_path / "out" / "note"))
    assert teletype.extractText(note.text.childNodes[0]) == "Oʻzbekiston"


def _zip_of(members: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()
