"""CPU megabytes a second and peak memory of every format on hostile shapes (issue 24: at
least 1 MB/s on any shape; no input of 1 MB or less over 10 s or 500 MB), beside a baseline.

    python bench/shapes.py                          # this tree alone
    python bench/shapes.py --baseline ../old-tree   # and another tree, rounds alternating

Each shape is made here, about `--mb` megabytes (1 by default), and converted by
`translit.formats.convert` in a process of its own, which reports the CPU seconds of the
conversion alone (not the interpreter's start); its peak RSS is the whole process's (from
os.wait4). With `--baseline`, the same conversion runs from that tree (a checkout of an
older commit, its accelerator built or copied in), the two alternating in each round so
that a busy moment of a shared machine does not fall on one only. The median of the rounds
is printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from translit.formats import FormatError, convert
data = open(sys.argv[2], "rb").read()
convert(b"<p>\\xd1\\x86</p>", "html")  # (the engine's tables loaded before the clock starts)
start = time.process_time()
try:
    out = convert(data, sys.argv[3])
    outcome = "ok"
except FormatError as error:
    outcome = "refused: " + str(error)[:80]
print(json.dumps({"cpu": time.process_time() - start, "outcome": outcome}))
"""

PROSE = ("Ўзбекистон Республикаси — Марказий Осиёдаги давлат. Тошкент шаҳри, объект маъно, "
         "ЦЕНТР ва Цирк; «Янги ҳаёт» 1-октябрда, сентябрь 2024 йил.\n")


def _repeat(unit: str, size: int) -> bytes:
    data = unit.encode("utf-8", "surrogatepass")
    return data * max(1, size // len(data))


def text_shapes(size: int) -> list[tuple[str, str, bytes]]:
    """(name, format, bytes) of each text shape, about `size` bytes."""
    return [
        ("prose", "text", _repeat(PROSE, size)),
        ("'Цo' (mixed-script word)", "text", _repeat("Цo", size)),
        ("`<p>ц</p>`", "html", _repeat("<p>ц</p>", size)),
        ("`<b>Ц</b>`", "html", _repeat("<b>Ц</b>", size)),
        ("`ц<br>`", "html", _repeat("ц<br>", size)),
        ("`<li>Ш</li>` lines", "html", _repeat("<li>Ш</li>\n", size)),
        ("`&amp;`", "html", _repeat("&amp;", size)),
        ("`&`", "html", _repeat("&", size)),
        ("`<`", "html", b"<p>\xd0\xa1</p>" + _repeat("<", size)),
        ("`</`", "html", b"<p>\xd0\xa1</p>" + _repeat("</", size)),
        ("nested `<div>`", "html", _repeat("<div>", size) + "Салом".encode()),
        ("prose in `<p title>`", "html", _repeat(f'<p title="Изоҳ">{PROSE}</p>', size)),
        ("prose", "markdown", _repeat(PROSE + "\n", size)),
        ("`*a _` paragraphs (within the caps)", "markdown",
         _repeat("*a _" * 100 + "сўз " * 300 + "\n\n", size)),
        ("one cue", "vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\n" + _repeat("Салом ", size)),
        ("one-line cues", "srt", _repeat("1\n00:00:01,000 --> 00:00:02,000\nСалом\n\n", size)),
        ("messages", "po", _repeat('msgid "a"\nmsgstr "Салом, дунё"\n\n', size)),
        ("one string", "po", b'msgid "a"\nmsgstr "' + _repeat("Салом ", size) + b'"\n'),
        ("`\\u0446` escapes, one string", "json", b'"' + _repeat("\\u0446", size) + b'"'),
        ("`\\\\` escapes, one string", "json", b'"' + _repeat("\\\\", size) + b'"'),
        ("`\\ud83d` lone surrogates", "json", b'"' + _repeat("\\ud83d", size) + b'"'),
        ("short strings", "json", b"[" + _repeat('"ц",', size) + b"0]"),
    ]


def _sentences(count: int) -> list[str]:
    """`count` sentences of the prose's words in random order (so that a document's zip
    is not smaller than its text by much more than real text is)."""
    import random

    rng = random.Random(1)
    words = PROSE.split() + [str(n) for n in range(50)]
    return [" ".join(rng.choice(words) for _ in range(14)) + "." for _ in range(count)]


def document_shapes(size: int) -> list[tuple[str, str, bytes]]:
    """A document of each package format, about `size` bytes as a file."""
    paragraphs = max(1, 10 * size // len(PROSE.encode()))
    sentences = _sentences(paragraphs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import docx
        import openpyxl
        import pptx
        from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
        from odf.table import Table, TableCell, TableRow
        from odf.text import P

        document = docx.Document()
        for _ in range(paragraphs):
            document.add_paragraph(sentences[_])
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in range(paragraphs):
            sheet.cell(row=row + 1, column=1, value=sentences[row])
        presentation = pptx.Presentation()
        for at in range(0, paragraphs, 50):
            slide = presentation.slides.add_slide(presentation.slide_layouts[1])
            slide.placeholders[1].text = "\n".join(sentences[at:at + 50])
        # (odfpy adds elements one by one slowly: a small document, its body filled in)
        text = OpenDocumentText()
        text.text.addElement(P(text="-"))
        spreadsheet = OpenDocumentSpreadsheet()
        table = Table(name="A")
        row = TableRow()
        cell = TableCell(valuetype="string")
        cell.addElement(P(text="-"))
        row.addElement(cell)
        table.addElement(row)
        spreadsheet.spreadsheet.addElement(table)
    made = []
    for name, format, thing in (("paragraphs", "docx", document), ("cells", "xlsx", workbook),
                                ("slides", "pptx", presentation)):
        buffer = io.BytesIO()
        thing.save(buffer)
        made.append((name, format, buffer.getvalue()))
    body = "".join(f"<text:p>{sentence}</text:p>" for sentence in sentences)
    made.append(("paragraphs (.odt)", "odf", _filled(text, "<text:p>-</text:p>", body)))
    cells = "".join(f'<table:table-row><table:table-cell office:value-type="string">'
                    f"<text:p>{sentence}</text:p></table:table-cell></table:table-row>"
                    for sentence in sentences)
    made.append(("cells (.ods)", "odf", _filled(spreadsheet, "<table:table-row>", cells, True)))
    return made


def _filled(document: object, placeholder: str, body: str, before: bool = False) -> bytes:
    """An odfpy document saved, its content.xml's `placeholder` replaced by `body` (or
    `body` put before it)."""
    import zipfile

    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "content.xml":
                text = data.decode()
                assert placeholder in text, text[:500]
                text = text.replace(placeholder, body + placeholder if before else body, 1)
                data = text.encode()
            target.writestr(info, data)
    return out.getvalue()


def measure(tree: Path, path: Path, format: str) -> tuple[float, int, str]:
    """(CPU seconds of the conversion, peak RSS in bytes, outcome) in a process of its own."""
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(tree), str(path), format],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    out, err = process.stdout.read(), process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        return float("nan"), usage.ru_maxrss * 1024, "failed: " + err.decode()[-200:]
    report = json.loads(out)
    return report["cpu"], usage.ru_maxrss * 1024, report["outcome"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another tree of translit to compare")
    parser.add_argument("--only", help="shapes whose name or format holds this")
    parser.add_argument("--set", choices=("all", "text", "documents"), default="all")
    args = parser.parse_args()
    size = int(args.mb * (1 << 20))
    shapes = (text_shapes(size) if args.set != "documents" else []) + (
        document_shapes(size) if args.set != "text" else [])
    if args.only:
        shapes = [s for s in shapes if args.only in s[0] or args.only == s[1]]
    trees = {"now": HERE.parent} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    print("| shape | format | MB | " + " | ".join(
        f"{name} MB/s | {name} CPU s | {name} peak RSS MB" for name in trees) + " | outcome |")
    print("|---|---|---:|" + "---:|---:|---:|" * len(trees) + "---|")
    with tempfile.TemporaryDirectory() as folder:
        for number, (name, format, data) in enumerate(shapes):
            path = Path(folder) / f"{number}.in"
            path.write_bytes(data)
            results: dict[str, list[tuple[float, int, str]]] = {tree: [] for tree in trees}
            for round in range(args.rounds):
                order = list(trees) if round % 2 == 0 else list(reversed(trees))
                for tree in order:
                    results[tree].append(measure(trees[tree], path, format))
            cells = []
            outcome = ""
            for tree in trees:
                cpu = statistics.median(r[0] for r in results[tree])
                rss = max(r[1] for r in results[tree])
                outcome = outcome or results[tree][0][2]
                cells.append(f"{len(data) / (1 << 20) / cpu:.2f} | {cpu:.2f} | {rss >> 20}")
            print(f"| {name} | {format} | {len(data) / (1 << 20):.2f} | " + " | ".join(cells)
                  + f" | {outcome} |", flush=True)


if __name__ == "__main__":
    main()
