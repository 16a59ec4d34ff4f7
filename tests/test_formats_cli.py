"""Formats on the command line: choosing the format, output trees, --rename, --diff,
standard input, and the msgfilter convention (issue 10)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli, write

BIN = Path(sys.executable).parent
PAGE = '<html lang="uz-Cyrl"><body class="матн"><p>Ц<b>ентр</b> <code>код</code></p></body></html>\n'
PAGE_OUT = '<html lang="uz-Latn"><body class="матн"><p>S<b>entr</b> <code>код</code></p></body></html>\n'



@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "сайт"
    write(root / "index.html", PAGE)
    write(root / "янгиликлар" / "мақола.md", "# Сарлавҳа\n\n`код` матн\n")
    write(root / "img" / "логотип.png", b"\x89PNG\r\n\x1a\n\x00\x00data")
    write(root / "style.css", ".центр { color: red }\n")
    write(root / "notes.txt", "Latin only\n")
    return root


def test_a_folder_into_a_tree_converts_and_copies_the_rest(site, tmp_path):
    out = tmp_path / "out"
    code, stdout, err = run_cli(site, "-o", out)
    assert code == 0, err
    assert (out / "index.html").read_text(encoding="utf-8") == PAGE_OUT
    assert (out / "янгиликлар" / "мақола.md").read_text(encoding="utf-8") == (
        "# Sarlavha\n\n`код` matn\n")
    assert (out / "img" / "логотип.png").read_bytes() == (site / "img" / "логотип.png").read_bytes()
    assert (out / "style.css").read_text(encoding="utf-8") == ".центр { color: red }\n"
    assert err.decode() == ("translit: 2 file(s) converted, 1 unchanged, 2 copied as they are "
                            "(not converted)\n")


def test_only_converted_leaves_the_rest_out_and_says_so(site, tmp_path):
    out = tmp_path / "out"
    code, stdout, err = run_cli(site, "-o", out, "--only-converted")
    assert code == 0
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == [
        "index.html", "notes.txt", "мақола.md"]
    assert "2 not converted and left out (--only-converted)" in err.decode()


def test_rename_converts_file_and_folder_names(site, tmp_path):
    out = tmp_path / "out"
    code, stdout, err = run_cli(site, "-o", out, "--rename")
    assert code == 0, err
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "img/logotip.png", "index.html", "notes.txt", "style.css", "yangiliklar/maqola.md"]


def test_rename_is_refused_with_the_cyrillic_direction(tmp_path):
    # It Latinised the Cyrillic names of a tree converted to Cyrillic (хабар.txt -> xabar.txt).
    write(tmp_path / "in" / "хабар.txt", "salom\n")
    code, stdout, err = run_cli(tmp_path / "in", "-o", tmp_path / "out", "--rename",
                                "--to", "cyrillic")
    assert code == 2 and not (tmp_path / "out").exists()
    assert err.decode() == ("translit: --rename spells Cyrillic file and folder names in Latin; "
                            "it does not go with --to cyrillic (names stay as they are without "
                            "it)\n")


def test_rename_never_writes_two_files_to_one_name(tmp_path):
    write(tmp_path / "in" / "ш.txt", "бир\n")
    write(tmp_path / "in" / "щ.txt", "икки\n")
    code, stdout, err = run_cli(tmp_path / "in", "-o", tmp_path / "out", "--rename")
    assert code == 2
    assert (tmp_path / "out" / "sh.txt").read_text(encoding="utf-8") == "bir\n"
    message = err.decode().splitlines()[0]
    assert message == (f"translit: {tmp_path / 'out' / 'sh.txt'}: cannot write: "
                       f"{tmp_path / 'in' / 'ш.txt'} and {tmp_path / 'in' / 'щ.txt'} would both "
                       f"be written here; {tmp_path / 'in' / 'щ.txt'} is left out")


@pytest.mark.parametrize("args", [["--rename"], ["--only-converted"]])
def test_tree_options_without_an_output_tree_are_refused(tmp_path, args):
    source = write(tmp_path / "a.txt", "а\n")
    code, stdout, err = run_cli(source, *args)
    assert code == 2
    assert "only goes with -o FOLDER" in err.decode()


def test_a_walk_notes_what_it_does_not_convert(site):
    code, stdout, err = run_cli("--check", site)
    assert code == 1
    assert sorted(stdout.decode().split()) == sorted(
        [str(site / "index.html"), str(site / "янгиликлар" / "мақола.md")])
    messages = err.decode()
    assert f"{site / 'style.css'}: skipped: not converted: code or a style sheet" in messages
    assert f"{site / 'img' / 'логотип.png'}: skipped: not converted: an image" in messages


def test_a_named_file_of_a_kind_translit_does_not_convert_is_an_error(site):
    code, stdout, err = run_cli(site / "style.css")
    assert (code, stdout) == (2, b"")
    assert err.decode() == (f"translit: {site / 'style.css'}: translit does not convert code "
                            "or a style sheet; --format text would convert it as plain text\n")
    code, stdout, err = run_cli("--format", "text", site / "style.css")
    assert (code, stdout) == (0, b".sentr { color: red }\n")


def test_a_name_that_says_nothing_is_read_by_its_content(tmp_path):
    page = write(tmp_path / "page", "<!DOCTYPE html>\n" + PAGE)
    code, stdout, err = run_cli(page)
    assert (code, stdout.decode()) == (0, "<!DOCTYPE html>\n" + PAGE_OUT)
    cues = write(tmp_path / "cues", "1\n00:00:01,000 --> 00:00:02,000\nЦентр\n")
    assert run_cli(cues)[1].decode() == "1\n00:00:01,000 --> 00:00:02,000\nSentr\n"


def run(*args: object, input: bytes = b"", env: dict[str, str] | None = None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MSGFILTER")}
    environment.update(env or {})
    return subprocess.run([str(BIN / "translit"), *map(str, args)], input=input,
                          capture_output=True, timeout=60, env=environment)


def test_standard_input_takes_a_format():
    result = run("--format", "html", input=PAGE.encode())
    assert (result.returncode, result.stdout.decode(), result.stderr) == (0, PAGE_OUT, b"")
    result = run(input=PAGE.encode())  # plain text by default: every word converted
    assert result.stdout.decode() == ('<html lang="uz-Cyrl"><body class="matn"><p>S<b>yentr'
                                      '</b> <code>kod</code></p></body></html>\n')


def test_standard_input_takes_a_document(tmp_path):
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("Ўзбек")
    document.save(tmp_path / "a.docx")
    result = run("--format", "docx", input=(tmp_path / "a.docx").read_bytes())
    assert result.returncode == 0, result.stderr
    (tmp_path / "b.docx").write_bytes(result.stdout)
    assert python_docx.Document(tmp_path / "b.docx").paragraphs[0].text == "Oʻzbek"


def test_msgfilter_runs_translit_on_each_translation(tmp_path):
    assert shutil.which("msgfilter"), "gettext's msgfilter is needed (.ci/run installs it)"
    catalogue = write(tmp_path / "uz@cyrillic.po", (
        'msgid ""\nmsgstr ""\n"Language: uz@cyrillic\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "File %(name)s"\nmsgstr "Файл %(name)s {исм}"\n'))
    environment = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(["msgfilter", "-i", str(catalogue), "-o", str(tmp_path / "uz.po"),
                             "translit"], capture_output=True, text=True, timeout=60,
                            env=environment)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "uz.po").read_text(encoding="utf-8")
    assert '"Language: uz\\n"' in text
    assert 'msgstr "Fayl %(name)s {исм}"' in text


def test_the_unified_diff_of_a_text_format_is_a_patch(tmp_path, site):
    if shutil.which("patch") is None:
        pytest.fail("patch is needed")
    page = site / "index.html"
    code, stdout, err = run_cli("--diff", page)
    assert code == 1
    (tmp_path / "change.diff").write_bytes(stdout)
    copy = tmp_path / "copy.html"
    shutil.copy(page, copy)
    subprocess.run(["patch", str(copy), str(tmp_path / "change.diff")], check=True,
                   capture_output=True, timeout=60)
    assert copy.read_text(encoding="utf-8") == PAGE_OUT


def test_strict_counts_only_text_that_was_converted(tmp_path):
    page = write(tmp_path / "a.html", '<p class="әлем">Салом</p>\n')
    assert run_cli("--strict", page)[0] == 0
    page = write(tmp_path / "b.html", "<p>әлем</p>\n")
    code, stdout, err = run_cli("--strict", page)
    assert (code, stdout) == (2, b"")
    assert "1 Cyrillic letter(s) the tables do not convert: ә ×1" in err.decode()


def test_in_place_on_markup_formats(tmp_path):
    page = write(tmp_path / "a.html", PAGE)
    catalogue = write(tmp_path / "b.po", 'msgid "a"\nmsgstr "Ўзбек"\n')
    code, stdout, err = run_cli("-i", page, catalogue)
    assert (code, err) == (0, b"translit: 2 file(s) converted, 0 unchanged\n")
    assert page.read_text(encoding="utf-8") == PAGE_OUT
    assert catalogue.read_text(encoding="utf-8") == 'msgid "a"\nmsgstr "Oʻzbek"\n'
    assert run_cli("--check", page, catalogue)[0] == 0


def test_the_preview_marks_only_words_that_were_converted(tmp_path):
    # In HTML, the word of an address or of code is written as it was: nothing was decided
    # there, so the preview marks nothing there (it marks the same word in the text).
    page = write(tmp_path / "a.html", '<a href="/объект">Объект</a> <kbd>Ш</kbd> Ш.\n')
    result = run("--diff", "--explain", "--color", "always", "--no-pager", "--layout", "inline",
                 page, env={"COLUMNS": "120"})
    assert result.returncode == 1, result.stderr
    text = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout.decode())
    notes = [line.strip() for line in text.splitlines() if "→" in line]
    assert notes[0].startswith("Объект → Obyekt:")
    assert notes[1].startswith("Ш → Sh:")
    assert not any(note.startswith(("объект", "Ш → Ш")) for note in notes)
