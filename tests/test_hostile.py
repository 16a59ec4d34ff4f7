"""Hostile input (issue 24): whatever a file holds, translit ends on a deadline with exit 0
or 2, one line on stderr without raw control characters, bounded memory, and nothing lost.

Every pathological input runs in a child process (`hostile_run`) with a timeout and an
address-space cap, so that a hang, a crash or a runaway allocation fails the test instead
of taking the test run down with it.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from translit import limits

MEMORY_CAP = limits.MAX_RSS_BYTES  # what a run may use, whatever its input (README: limits)


def _cap_memory() -> None:  # in the child, before it runs translit
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP * 2, MEMORY_CAP * 2))


class Ran:
    def __init__(self, code: int, out: bytes, err: bytes, seconds: float, rss: int) -> None:
        self.code, self.out, self.err, self.seconds, self.rss = code, out, err, seconds, rss

    def one_clean_line(self) -> str:
        """stderr is one line (or none) with no raw control character; returned."""
        text = self.err.decode("utf-8", "replace")
        assert text.count("\n") <= 1 and (not text or text.endswith("\n")), text
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text.rstrip("\n")), text
        return text


def hostile_run(*args: object, cwd: Path, stdin: bytes = b"", timeout: float = 30) -> Ran:
    """translit with `args` in a child: its exit status, output, time and peak RSS."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-c", "from translit.cli import main; main()", *map(str, args)],
        cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=_cap_memory)
    try:
        out, err = process.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"translit {args} ran over {timeout} s")
    seconds = time.monotonic() - started
    _, _, usage = os.wait4(process.pid, os.WNOHANG) if False else (0, 0, None)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert process.returncode >= 0, f"killed by signal {-process.returncode}: {err[-300:]!r}"
    return Ran(process.returncode, out, err, seconds, rss)


def zipped(members: list[tuple[str, bytes]]) -> bytes:
    import warnings

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a duplicate name is what some tests want
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            for name, data in members:
                package.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{comment}'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>')


def docx(text: str = "Салом", comment: str = "", document: bytes | None = None) -> bytes:
    return zipped([("[Content_Types].xml", CONTENT_TYPES.format(comment=comment).encode()),
                   ("word/document.xml",
                    document if document is not None else DOCUMENT.format(text=text).encode())])


# --- data lost or corrupted with exit 0 ---


@pytest.mark.timeout(60)
@pytest.mark.parametrize("in_place", [False, True])
def test_a_package_with_two_members_of_one_name_is_refused(tmp_path, in_place):
    data = zipped([("[Content_Types].xml", CONTENT_TYPES.format(comment="").encode()),
                   ("word/document.xml", DOCUMENT.format(text="Салом").encode()),
                   ("word/document.xml", DOCUMENT.format(text="Дунё").encode())])
    (tmp_path / "d.docx").write_bytes(data)
    ran = hostile_run("d.docx", *(["-i"] if in_place else ["-o", "o.docx"]), cwd=tmp_path)
    assert ran.code == 2
    assert "two members named 'word/document.xml'" in ran.one_clean_line()
    assert (tmp_path / "d.docx").read_bytes() == data
    assert not (tmp_path / "o.docx").exists()


@pytest.mark.timeout(60)
def test_an_xml_part_whose_bom_says_utf16_stays_readable(tmp_path):
    from lxml import etree

    part = b"\xff\xfe" + DOCUMENT.format(text="Салом").encode("utf-16-le")  # says UTF-8
    (tmp_path / "d.docx").write_bytes(docx(document=part))
    ran = hostile_run("d.docx", "-i", cwd=tmp_path)
    assert ran.code == 0, ran.err
    written = zipfile.ZipFile(tmp_path / "d.docx").read("word/document.xml")
    root = etree.fromstring(written)  # a parser reads it (BOM and declaration agree)
    assert "".join(root.itertext()) == "Salom"
    assert written.decode("utf-16").startswith("<?xml")


@pytest.mark.timeout(60)
def test_a_comment_in_content_types_is_no_internal_error(tmp_path):
    (tmp_path / "d.docx").write_bytes(docx(comment="<!-- made by hand -->"))
    ran = hostile_run("d.docx", "-o", "o.docx", cwd=tmp_path)
    assert ran.code == 0, ran.err
    written = zipfile.ZipFile(tmp_path / "o.docx").read("word/document.xml")
    assert b"Salom" in written


@pytest.mark.timeout(60)
@pytest.mark.parametrize("in_place", [False, True])
def test_a_catalogue_with_an_unterminated_string_is_an_error(tmp_path, in_place):
    data = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "a"\nmsgstr "Салом\n').encode()
    (tmp_path / "m.po").write_bytes(data)
    ran = hostile_run("m.po", *(["-i"] if in_place else ["-o", "o.po"]), cwd=tmp_path)
    assert ran.code == 2
    line = ran.one_clean_line()
    assert "m.po" in line and "line 6" in line and "unterminated" in line
    assert (tmp_path / "m.po").read_bytes() == data
    assert not (tmp_path / "o.po").exists()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_to_a_full_disk_is_one_line(tmp_path, option):
    with open("/dev/full", "wb") as full:
        process = subprocess.run(
            [sys.executable, "-c", "from translit.cli import main; main()", option],
            stdout=full, stderr=subprocess.PIPE, timeout=30)
    assert process.returncode == 2
    assert process.stderr.decode() == (
        "translit: standard output: cannot write: No space left on device\n")
