"""Issue 18, item 4: links inside what translit writes stay valid. A Markdown link to a
heading of its file follows the heading's converted anchor; with --rename, the relative
links of pages (HTML href/src/srcset, Markdown, CSS url(…)) to renamed files of the tree
follow them, and every other link stays byte for byte."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

from translit import formats
from translit.formats.markdown import github_slug


def test_an_in_page_link_follows_its_heading():
    page = ("# Форум **бўлими** #\n\n## Форум бўлими\n\nСарлавҳа\n===\n\n"
            "[бу](#форум-бўлими) [иккинчи](#форум-бўлими-1) [учинчи](#сарлавҳа)\n\n"
            "[ҳавола]: <#форум-бўлими> \"Ҳа\"\n")
    assert formats.convert(page, "markdown") == (
        "# Forum **boʻlimi** #\n\n## Forum boʻlimi\n\nSarlavha\n===\n\n"
        "[bu](#forum-boʻlimi) [ikkinchi](#forum-boʻlimi-1) [uchinchi](#sarlavha)\n\n"
        "[havola]: <#forum-boʻlimi> \"Ha\"\n")


def test_only_links_to_a_heading_of_the_file_change():
    page = ("## Бўлим\n\n[йўқ](#бошқа) [ташқи](https://x.uz/#бўлим) [файл](b.md#бўлим) "
            "`[код](#бўлим)`\n\n```\n[код](#бўлим)\n```\n")
    assert formats.convert(page, "markdown") == (
        "## Boʻlim\n\n[yoʻq](#бошқа) [tashqi](https://x.uz/#бўлим) [fayl](b.md#бўлим) "
        "`[код](#бўлим)`\n\n```\n[код](#бўлим)\n```\n")


def test_an_escaped_anchor_and_raw_html_follow_too():
    escaped = "#%D0%B1%D1%9E%D0%BB%D0%B8%D0%BC"  # #бўлим, as browsers copy it
    page = f"## Бўлим\n\n[a]({escaped}) <a href=\"#бўлим\">б</a>\n"
    assert formats.convert(page, "markdown") == (
        "## Boʻlim\n\n[a](#bo%CA%BBlim) <a href=\"#boʻlim\">b</a>\n")


def test_github_slugs():
    assert github_slug("Ўзбекистон — Тарих (1991)") == "ўзбекистон--тарих-1991"
    assert github_slug("Oʻzbekiston: tarix!") == "oʻzbekiston-tarix"


def make_site(root: Path) -> None:
    for path, text in {
        "index.html": ('<link rel="stylesheet" href="css/услуб.css">'
                       '<img src="расмлар/логотип.png" srcset="расмлар/логотип.png 1x, '
                       'logo.png 2x" alt="Логотип">'
                       '<a href="./саҳифалар/бош.html?v=1#боб">Бош</a> '
                       '<a href="https://сайт.уз/расмлар/логотип.png">ташқи</a> '
                       '<a href="расмлар/йўқ.png">йўқ</a> '
                       '<a href="%D1%80%D0%B0%D1%81%D0%BC%D0%BB%D0%B0%D1%80/">расмлар</a>\n'
                       '<style>.x{background:url(расмлар/логотип.png)}</style>'
                       '<div style="background:url(\'расмлар/логотип.png\')">Расм</div>\n'),
        "саҳифалар/бош.html": '<a href="../index.html">Уй</a><img src="../расмлар/логотип.png">\n',
        "README.md": ("# Сайт\n\n![Логотип](расмлар/логотип.png) [бош](саҳифалар/бош.html)\n\n"
                      "[р]: ./расмлар/логотип.png\n\n<img src=\"расмлар/логотип.png\">\n"),
        "css/услуб.css": ('a{background:url("../расмлар/логотип.png")} '
                          '@import "../css/бошқа.css"; b{background:url(../logo.png)}\n'),
        "расмлар/логотип.png": "PNG",
        "logo.png": "PNG",
    }.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


def test_rename_keeps_the_links_of_a_site(tmp_path):
    site, out = tmp_path / "site", tmp_path / "out"
    make_site(site)
    code, _, err = run_cli(site, "-o", out, "--rename")
    assert code == 0, err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "README.md", "css/uslub.css", "index.html", "logo.png", "rasmlar/logotip.png",
        "sahifalar/bosh.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == (
        '<link rel="stylesheet" href="css/uslub.css">'
        '<img src="rasmlar/logotip.png" srcset="rasmlar/logotip.png 1x, logo.png 2x" '
        'alt="Logotip">'
        '<a href="./sahifalar/bosh.html?v=1#боб">Bosh</a> '
        '<a href="https://сайт.уз/расмлар/логотип.png">tashqi</a> '  # another site
        '<a href="расмлар/йўқ.png">yoʻq</a> '  # no such file in the tree
        '<a href="rasmlar/">rasmlar</a>\n'
        '<style>.x{background:url(rasmlar/logotip.png)}</style>'  # CSS in the page too
        '<div style="background:url(\'rasmlar/logotip.png\')">Rasm</div>\n')
    assert (out / "sahifalar" / "bosh.html").read_text(encoding="utf-8") == (
        '<a href="../index.html">Uy</a><img src="../rasmlar/logotip.png">\n')
    assert (out / "README.md").read_text(encoding="utf-8") == (
        "# Sayt\n\n![Logotip](rasmlar/logotip.png) [bosh](sahifalar/bosh.html)\n\n"
        "[r]: ./rasmlar/logotip.png\n\n<img src=\"rasmlar/logotip.png\">\n")
    # A style sheet is not converted; only its links to renamed files follow them.
    assert (out / "css" / "uslub.css").read_text(encoding="utf-8") == (
        'a{background:url("../rasmlar/logotip.png")} '
        '@import "../css/бошқа.css"; b{background:url(../logo.png)}\n')


def test_without_rename_every_link_stays(tmp_path):
    site, out = tmp_path / "site", tmp_path / "out"
    make_site(site)
    code, _, err = run_cli(site, "-o", out)
    assert code == 0, err
    assert (out / "css" / "услуб.css").read_bytes() == (site / "css" / "услуб.css").read_bytes()
    assert 'src="расмлар/логотип.png"' in (out / "index.html").read_text(encoding="utf-8")


def test_what_goes_to_worker_processes_pickles():
    import pickle

    from translit.files.links import TreeLinks, tree_names
    from translit.files.walking import Input

    links = TreeLinks(tree_names({"а/б.png": "a/b.png", "x.html": "x.html"}), "x.html")
    assert pickle.loads(pickle.dumps(links))("а/б.png") == "a/b.png"
    item = Input("x.html", "x.html", False, formats.BY_NAME["docx"])
    assert pickle.loads(pickle.dumps(item)).format == formats.BY_NAME["docx"]


def test_links_above_the_tree_or_unmatched_stay():
    from translit.files.links import TreeLinks, tree_names

    links = TreeLinks(tree_names({"а/б.png": "a/b.png", "c/d.html": "c/d.html"}), "c/d.html")
    for link in ("../../а/б.png", "/а/б.png", "//host/а/б.png", "mailto:а@б.уз", "?а=б",
                 "../а/в.png", "../а/б.png/x", ""):
        assert links(link) == link
    assert links("../а/б.png") == "../a/b.png"
    assert links("..//а/./б.png#x?y") == "..//a/./b.png#x?y"


# --- a link to a heading of another page of the run (issue 18) -------------------------------


def make_pages(root: Path) -> None:
    for path, text in {
        "a.md": ("# Бош\n\n[бўлимга](b.md#форум-бўлими) [иккинчи](./қисм/c.md#иккинчи-боб) "
                 "[йўқ](b.md#бошқа) [ташқи](https://x.uz/b.md#форум-бўлими) "
                 "[бегона](d.md#форум-бўлими)\n"),
        "b.md": "# Форум бўлими\n\nМатн\n",
        "қисм/c.md": "# Биринчи\n\n## Иккинчи боб\n\n[орқага](../a.md#бош)\n",
        "page.html": ('<a href="b.md#%D1%84%D0%BE%D1%80%D1%83%D0%BC-%D0%B1%D1%9E%D0%BB%D0%B8%D0%BC%D0%B8">'
                      "Ҳавола</a>\n"),
        "d.txt": "d.md is not a page of the run\n",
    }.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


EXPECTED_A = ("# Bosh\n\n[boʻlimga](b.md#forum-boʻlimi) [ikkinchi](./қисм/c.md#ikkinchi-bob) "
              "[yoʻq](b.md#бошқа) [tashqi](https://x.uz/b.md#форум-бўлими) "
              "[begona](d.md#форум-бўлими)\n")


def test_a_link_to_a_heading_of_another_page_follows_it_in_an_output_tree(tmp_path):
    site, out = tmp_path / "site", tmp_path / "out"
    make_pages(site)
    code, _, err = run_cli(site, "-o", out)
    assert code == 0, err
    assert (out / "a.md").read_text(encoding="utf-8") == EXPECTED_A
    assert (out / "қисм" / "c.md").read_text(encoding="utf-8").endswith(
        "[orqaga](../a.md#bosh)\n")
    assert (out / "page.html").read_text(encoding="utf-8") == (
        '<a href="b.md#forum-bo%CA%BBlimi">Havola</a>\n')  # escaped as it was


def test_a_link_to_a_heading_of_another_page_follows_it_in_place(tmp_path):
    """Every page's anchors are read before any page is rewritten (also with workers)."""
    make_pages(tmp_path)
    code, _, err = run_cli(tmp_path, "-i", "-j", "2")
    assert code == 0, err
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == EXPECTED_A
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "# Forum boʻlimi\n\nMatn\n"


def test_a_link_to_a_heading_follows_it_and_the_renamed_file(tmp_path):
    site, out = tmp_path / "site", tmp_path / "out"
    make_pages(site)
    code, _, err = run_cli(site, "-o", out, "--rename")
    assert code == 0, err
    assert "[ikkinchi](./qism/c.md#ikkinchi-bob)" in (out / "a.md").read_text(encoding="utf-8")


# --- Office and OpenDocument links to renamed files (issue 18) --------------------------------


def office_documents() -> dict[str, bytes]:
    """A document of each Office kind, and an OpenDocument text, each linking to
    ``ҳужжатлар/б.docx`` (a file of the tree), to a file that is not in it and to a site."""
    import io

    import docx as python_docx
    import openpyxl
    import pptx as python_pptx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from odf.opendocument import OpenDocumentText
    from odf.text import A, P

    targets = ("ҳужжатлар/б.docx", "ҳужжатлар/йўқ.docx", "https://сайт.уз/ҳужжатлар/б.docx")
    made: dict[str, bytes] = {}
    word = python_docx.Document()
    for target in targets:
        paragraph = word.add_paragraph()
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), word.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK,
                                                 is_external=True))
        run, text = OxmlElement("w:r"), OxmlElement("w:t")
        text.text = "Ҳужжат"
        run.append(text)
        link.append(run)
        paragraph._p.append(link)
    book = openpyxl.Workbook()
    deck = python_pptx.Presentation()
    box = deck.slides.add_slide(deck.slide_layouts[6]).shapes.add_textbox(0, 0, 100, 100)
    text = OpenDocumentText()
    for row, target in enumerate(targets, start=1):
        book.active.cell(row, 1, "Ҳужжат").hyperlink = target
        run = (box.text_frame.paragraphs[0] if row == 1 else box.text_frame.add_paragraph()
               ).add_run()
        run.text, run.hyperlink.address = "Ҳужжат", target
        paragraph = P()
        paragraph.addElement(A(href=target if "://" in target else "../" + target,
                               text="Ҳужжат"))
        text.text.addElement(paragraph)
    for name, document in (("a.docx", word), ("book.xlsx", book), ("deck.pptx", deck)):
        saved = io.BytesIO()
        document.save(saved)
        made[name] = saved.getvalue()
    saved = io.BytesIO()
    text.write(saved)
    made["list.odt"] = saved.getvalue()
    made["ҳужжатлар/б.docx"] = made["a.docx"]
    return made


def test_office_links_to_renamed_files_follow_them(tmp_path):
    import zipfile

    site, out = tmp_path / "site", tmp_path / "out"
    for name, data in office_documents().items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    code, _, err = run_cli(site, "-o", out, "--rename")
    assert code == 0, err
    kept = ("ҳужжатлар/йўқ.docx", "https://сайт.уз/ҳужжатлар/б.docx")
    for name, part in (("a.docx", "word/_rels/document.xml.rels"),
                       ("book.xlsx", "xl/worksheets/_rels/sheet1.xml.rels"),
                       ("deck.pptx", "ppt/slides/_rels/slide1.xml.rels"),
                       ("list.odt", "content.xml")):
        text = zipfile.ZipFile(out / name).read(part).decode()
        prefix = "../" if name.endswith(".odt") else ""
        assert f'="{prefix}hujjatlar/b.docx"' in text, (name, text)
        assert f'="{prefix}{kept[0]}"' in text and f'="{kept[1]}"' in text, (name, text)
        assert "ҳужжатлар/б.docx\"" not in text.replace(kept[1], ""), name
    assert (out / "hujjatlar" / "b.docx").exists()
    # without --rename every link stays
    code, _, err = run_cli(site, "-o", tmp_path / "plain")
    assert code == 0, err
    text = zipfile.ZipFile(tmp_path / "plain" / "a.docx").read("word/_rels/document.xml.rels")
    assert 'Target="ҳужжатлар/б.docx"'.encode() in text
