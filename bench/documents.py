"""Large documents (.docx, .xlsx, .odt): time and peak memory of this checkout beside a
baseline checkout (main before documents streamed), in one run, alternating rounds.

    python bench/documents.py --baseline /path/to/main/checkout
    python bench/documents.py --baseline DIR --sizes 10 30 --cells 200000 --odt-xml-mb 40

The workbook and the text document are made by `make_large_xlsx` and `make_large_odt`
(see them). The Word documents are made here, fast: python-docx writes a small document with a picture,
and its body is then filled with generated paragraphs in python-docx's own XML (runs of 3
to 30 characters, bold or not, the formatting changing inside words as Word's editing
splits runs) from ../shared/bench/make_corpus.py text, and pictures of noise (which do
not compress) every 400 paragraphs, until the package has about the size asked with
about 4.4 times as much XML (as the issue's 29.9 MB .docx held 131 MB). Both checkouts run
in the same Python (the baseline by PYTHONPATH, with this checkout's compiled accelerator
copied beside its source); their outputs are compared byte for byte. MB/s counts the
XML's bytes. Results are printed as a Markdown table and saved to
bench/results/documents.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import PYTHON, RESULTS, TRANSLIT, measure  # noqa: E402
from formats import _png, words_of  # noqa: E402

XML_PER_PACKAGE_BYTE = 4.4
PICTURE_BYTES = 200_000
RELATIONSHIP_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def make_large_docx(path: Path, mb: float, seed: int = 1) -> int:
    """A Word document of about `mb` MB (see the module); returns its XML's bytes."""
    import docx

    rng = random.Random(seed)
    words = words_of(10)
    sample = docx.Document()
    sample.add_paragraph("Намуна")
    sample.add_picture(io.BytesIO(_png(PICTURE_BYTES, rng)))
    buffer = io.BytesIO()
    sample.save(buffer)
    source = zipfile.ZipFile(buffer)
    xml = source.read("word/document.xml").decode()
    picture = re.search(r"<w:p>(?:(?!<w:p>).)*?<w:drawing>.*?</w:p>", xml, re.DOTALL)
    assert picture is not None
    picture_rid = re.search(r'r:embed="([^"]+)"', picture.group()).group(1)  # type: ignore[union-attr]
    head = xml[:xml.index("<w:body>") + len("<w:body>")]
    tail = xml[xml.index("<w:sectPr"):]
    xml_target = int(mb * (1 << 20) * XML_PER_PACKAGE_BYTE)
    at = 0
    written = 0
    pictures: list[str] = []
    out = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
    with out:
        for info in source.infolist():
            if info.filename not in ("word/document.xml", "word/_rels/document.xml.rels"):
                out.writestr(info, source.read(info))
        with out.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head.encode())
            number = 0
            while written < xml_target:
                parts = []
                for _ in range(400):
                    length = rng.randint(8, 40)
                    text = " ".join(words[at % len(words):at % len(words) + length]) + " "
                    at += length
                    runs, done = [], 0
                    while done < len(text):
                        step = rng.randint(3, 30)
                        piece = escape(text[done:done + step])
                        done += step
                        bold = "<w:b/>" if rng.random() < 0.3 else '<w:b w:val="0"/>'
                        space = ' xml:space="preserve"' if piece != piece.strip() else ""
                        runs.append(f"<w:r><w:rPr>{bold}</w:rPr><w:t{space}>{piece}</w:t></w:r>")
                    parts.append("<w:p>" + "".join(runs) + "</w:p>")
                number += 1
                rid = f"rIdBench{number}"
                pictures.append(rid)
                parts.append(picture.group().replace(f'r:embed="{picture_rid}"', f'r:embed="{rid}"'))
                chunk = "".join(parts).encode()
                member.write(chunk)
                written += len(chunk)
            member.write(tail.encode())
        relationships = source.read("word/_rels/document.xml.rels").decode()
        added = "".join(f'<Relationship Id="{rid}" Type="{RELATIONSHIP_IMAGE}" '
                        f'Target="media/bench{index}.png"/>' for index, rid in enumerate(pictures))
        out.writestr("word/_rels/document.xml.rels",
                     relationships.replace("</Relationships>", added + "</Relationships>"))
        # pictures until the package has its size (the text's XML compresses about 7 times)
        for index in range(len(pictures)):
            data = _png(PICTURE_BYTES, rng) if out.fp is not None and (
                out.fp.tell() < mb * (1 << 20)) else _png(2_000, rng)
            out.writestr(f"word/media/bench{index}.png", data)
    return sum(info.file_size for info in zipfile.ZipFile(path).infolist()
               if info.filename.endswith(".xml"))


def make_large_xlsx(path: Path, cells: int, seed: int = 1) -> int:
    """A workbook of about `cells` cells as openpyxl writes it (its text in the cells, as
    inline strings), on a sheet named in Cyrillic, "Маълумот": rows of ten cells, six of text, two
    of numbers, a formula with string literals and one that names the other sheet,
    "Ҳисобот" (so both sheets are renamed, and every reference with them); returns its
    XML's bytes."""
    import openpyxl

    rng = random.Random(seed)
    words = words_of(2)
    book = openpyxl.Workbook()
    data = book.active
    data.title = "Маълумот"
    report = book.create_sheet("Ҳисобот")
    data.append(["Шаҳар", "Номи", "Изоҳ", "Тури", "Ҳолати", "Манзил", "Сони", "Нархи",
                 "Текширув", "Ҳисобот"])
    at = 0
    for row in range(2, cells // 10 + 1):
        texts = []
        for _ in range(6):
            length = rng.randint(1, 6)
            texts.append(" ".join(words[at % len(words):at % len(words) + length]))
            at += length
        data.append([*texts, rng.randint(1, 1000), rng.random() * 100,
                     f'=IF(A{row}="Тошкент","ҳа","йўқ")', f"=Ҳисобот!A1&\" {row}\""])
    report.append(["Жами", "=COUNTA(Маълумот!A:A)"])
    book.save(path)
    return sum(info.file_size for info in zipfile.ZipFile(path).infolist()
               if info.filename.endswith(".xml"))


def make_large_odt(path: Path, mb: float, seed: int = 1) -> int:
    """A text document of about `mb` MB of XML (content.xml) as odfpy writes it: generated
    paragraphs whose formatting changes inside words (spans of 3 to 30 characters, bold or
    not), from make_corpus.py text, and a heading every 50 paragraphs; returns its XML's
    bytes."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import P, Span

    rng = random.Random(seed)
    words = words_of(10)
    document = OpenDocumentText()
    bold = Style(name="Қалин", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    sample = P()
    sample.addElement(Span(stylename=bold, text="Намуна"))
    document.text.addElement(sample)
    template = io.BytesIO()
    document.save(template)
    source = zipfile.ZipFile(template)
    xml = source.read("content.xml").decode()
    head = xml[:xml.index("<text:p")]
    tail = xml[xml.index("</office:text>"):]
    target = int(mb * (1 << 20))
    at = written = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "content.xml":
                out.writestr(info, source.read(info))
        with out.open("content.xml", "w", force_zip64=True) as member:
            member.write(head.encode())
            while written < target:
                parts = []
                for index in range(200):
                    length = rng.randint(8, 40)
                    text = " ".join(words[at % len(words):at % len(words) + length]) + " "
                    at += length
                    spans, done = [], 0
                    while done < len(text):
                        step = rng.randint(3, 30)
                        piece = escape(text[done:done + step]).replace("  ", " <text:s/>")
                        done += step
                        spans.append(f'<text:span text:style-name="Қалин">{piece}</text:span>'
                                     if rng.random() < 0.3 else piece)
                    tag = "text:h" if index % 50 == 0 else "text:p"
                    level = ' text:outline-level="1"' if tag == "text:h" else ""
                    parts.append(f'<{tag} text:style-name="Standard"{level}>'
                                 + "".join(spans) + f"</{tag}>")
                chunk = "".join(parts).encode()
                member.write(chunk)
                written += len(chunk)
            member.write(tail.encode())
    return sum(info.file_size for info in zipfile.ZipFile(path).infolist()
               if info.filename.endswith(".xml"))


def baseline_checkout(folder: Path, work: Path) -> Path:
    """`folder` with this checkout's compiled accelerator beside its ``_accel.c``."""
    built = [path for path in (HERE.parent / "translit").rglob("_accel*.so")
             if (path.parent / "_accel.c").exists()]
    sources = list((folder / "translit").rglob("_accel.c"))
    if built and sources and not list(sources[0].parent.glob("_accel*.so")):
        copy = work / "baseline"
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".git", ".venv"))
        target = copy / sources[0].parent.relative_to(folder)
        shutil.copy2(built[0], target / built[0].name)
        return copy
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True,
                        help="a checkout of the baseline (its translit/ folder is imported)")
    parser.add_argument("--sizes", type=float, nargs="+", default=[10, 30],
                        help="the .docx documents' sizes in MB")
    parser.add_argument("--cells", type=int, nargs="*", default=[200_000],
                        help="the .xlsx workbooks' numbers of cells")
    parser.add_argument("--odt-xml-mb", type=float, nargs="*", default=[40],
                        help="the .odt documents' MB of XML")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="translit-documents-"))
    try:
        baseline = baseline_checkout(args.baseline.resolve(), work)
        rows = []
        documents: list[tuple[Path, int]] = []
        for mb in args.sizes:
            path = work / f"doc{mb:g}.docx"
            documents.append((path, make_large_docx(path, mb)))
        for cells in args.cells:
            path = work / f"book{cells}.xlsx"
            documents.append((path, make_large_xlsx(path, cells)))
        for mb in args.odt_xml_mb:
            path = work / f"text{mb:g}.odt"
            documents.append((path, make_large_odt(path, mb)))
        for document, xml in documents:
            new, old = work / f"new{document.suffix}", work / f"old{document.suffix}"
            candidates = {
                "this checkout": [TRANSLIT, str(document), "-o", str(new)],
                # -P: not the current folder first on the path (it may be this checkout)
                "baseline": ["env", f"PYTHONPATH={baseline}", PYTHON, "-P", "-m", "translit",
                             str(document), "-o", str(old)],
            }
            times: dict[str, list[float]] = {name: [] for name in candidates}
            peaks: dict[str, list[float]] = {name: [] for name in candidates}
            cpu: dict[str, list[float]] = {name: [] for name in candidates}
            for round_ in range(args.rounds):
                order = list(candidates) if round_ % 2 == 0 else list(reversed(candidates))
                for name in order:
                    (new if name == "this checkout" else old).unlink(missing_ok=True)
                    seconds, peak, _ = measure(candidates[name], cpu=cpu[name])
                    times[name].append(seconds)
                    peaks[name].append(peak)
            same = "identical" if new.read_bytes() == old.read_bytes() else "DIFFERENT"
            for name in candidates:
                seconds = statistics.median(times[name])
                rows.append(f"| {name} | {document.suffix} {document.stat().st_size / (1 << 20):.1f}"
                            f" MB ({xml / (1 << 20):.0f} MB XML) | {seconds:.1f} | "
                            f"{statistics.median(cpu[name]):.1f} | "
                            f"{xml / (1 << 20) / seconds:.2f} | {max(peaks[name]):.0f} MB | {same} |")
        load = os.getloadavg()
        lines = [f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
                 f"{platform.python_version()}, {platform.system()}; "
                 f"{time.strftime('%Y-%m-%d %H:%M')} UTC; load average {load[0]:.1f} at the "
                 f"end; medians of {args.rounds} alternating rounds.", "",
                 "| translit | document | seconds | CPU seconds | MB/s of XML | peak RSS | outputs |",
                 "|---|---:|---:|---:|---:|---:|---|", *rows]
        report = "\n".join(lines)
        print(report)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "documents.md").write_text(report + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
