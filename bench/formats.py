"""Speed and memory of the document formats, in one run, beside plain text.

    python bench/formats.py                   # a 20 MB .docx and a 100 MB HTML tree
    python bench/formats.py --docx-mb 5 --html-mb 20 --markdown-mb 10 --one-line-mb 5

The documents are made here from ../shared/bench/make_corpus.py text: a Word document by
python-docx, its paragraphs in runs of a few words with the formatting changing inside
words too (as Word's own editing splits runs), with pictures making up part of its size;
an HTML tree of 100 KB pages with headings, paragraphs, inline formatting split inside
words, links, attributes, code and a script; a minified HTML page (the whole document on
one line) of links, spans and nested divs; a Markdown book (front matter, headings,
paragraphs with emphasis, code spans and links, lists, tables, quotes, fenced code), a
format read whole. Every measurement is a whole process (start-up included) with its peak
RSS and the CPU seconds of its processes, as in bench.py; MB/s counts the input's bytes.
Results are printed as a Markdown table and saved to bench/results/formats.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import RESULTS, TRANSLIT, corpus, measure  # noqa: E402


def words_of(mb: float) -> list[str]:
    return corpus(mb).read_text(encoding="utf-8").split()


def make_docx(path: Path, mb: float) -> None:
    """A Word document of about `mb` MB: text in split runs, and pictures."""
    import docx
    from docx.shared import Inches

    rng = random.Random(1)
    words = words_of(max(4.0, mb))
    document = docx.Document()
    picture = _png(200_000, rng)
    at = 0

    def add(paragraphs: int) -> None:
        nonlocal at
        for number in range(paragraphs):
            paragraph = document.add_paragraph()
            length = rng.randint(8, 40)
            text = " ".join(words[at % len(words):at % len(words) + length]) + " "
            at += length
            done = 0
            while done < len(text):  # runs of 3 to 30 characters, split anywhere
                step = rng.randint(3, 30)
                run = paragraph.add_run(text[done:done + step])
                run.bold = rng.random() < 0.3
                done += step
            if number % 400 == 399:
                document.add_picture(io.BytesIO(picture), width=Inches(2))

    add(2000)  # a sample, to learn the size of a paragraph
    buffer = io.BytesIO()
    document.save(buffer)
    add(max(0, int(2000 * mb * (1 << 20) / buffer.tell()) - 2000))
    document.save(path)


def _png(size: int, rng: random.Random) -> bytes:
    """A valid PNG of about `size` bytes of noise (pictures do not compress)."""
    import struct
    import zlib

    width = height = int((size / 3) ** 0.5)
    raw = b"".join(b"\0" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))


def make_html_tree(root: Path, mb: float) -> None:
    """Pages of about 100 KB each, `mb` MB in all, in folders of 50."""
    rng = random.Random(2)
    words = words_of(max(4.0, mb / 4))
    page_bytes = 100 << 10
    total, at, number = 0, 0, 0
    while total < mb * (1 << 20):
        parts = ['<!DOCTYPE html>\n<html lang="uz-Cyrl"><head><meta charset="utf-8">',
                 f"<title>{' '.join(words[at:at + 5])}</title>",
                 '<script>var матн = "сўз";</script></head>\n<body class="саҳифа">\n']
        size = 0
        while size < page_bytes:
            length = rng.randint(20, 80)
            chunk = words[at % len(words):at % len(words) + length]
            at += length
            text = " ".join(chunk)
            cut = rng.randint(1, max(1, len(text) - 2))
            paragraph = (f'<p id="п{at}" title="{chunk[0]}">{text[:cut]}<b>{text[cut:cut + 7]}'
                         f'</b>{text[cut + 7:]} <a href="/{chunk[-1]}/">{chunk[-1]}</a> '
                         f"<code>{chunk[1]}</code></p>\n")
            if rng.random() < 0.1:
                paragraph = f"<h2>{' '.join(chunk[:6])}</h2>\n" + paragraph
            parts.append(paragraph)
            size += len(paragraph.encode())
        parts.append("</body></html>\n")
        data = "".join(parts).encode()
        folder = root / f"section{number // 50:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page{number:05d}.html").write_bytes(data)
        total += len(data)
        number += 1


def make_one_line_html(path: Path, mb: float) -> None:
    """A minified page of about `mb` MB, on one line: links, spans, nested divs, headings."""
    rng = random.Random(3)
    words = words_of(max(4.0, mb / 4))
    parts = ['<!DOCTYPE html><html lang="uz-Cyrl"><head><meta charset="utf-8">'
             '<title>Бош саҳифа</title></head><body>']
    size, at = 0, 0
    while size < mb * (1 << 20):
        chunk = words[at % len(words):at % len(words) + rng.randint(6, 30)]
        at += len(chunk)
        links = "".join(f'<a href="/{word}/" class="link">{word}</a> ' for word in chunk[:3])
        piece = (f'<div class="row"><div class="col-md-6"><h3>{chunk[0]}</h3><p>{links}'
                 f'<span class="text">{" ".join(chunk[3:])}</span></p></div></div>')
        parts.append(piece)
        size += len(piece.encode())
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")


def make_markdown(path: Path, mb: float) -> None:
    """A Markdown book of about `mb` MB."""
    rng = random.Random(4)
    words = words_of(max(4.0, mb / 4))
    parts = ["---\ntitle: Китоб\nauthor: Муаллиф\n---\n\n"]
    size, at = 0, 0
    while size < mb * (1 << 20):
        chunk = words[at % len(words):at % len(words) + rng.randint(12, 60)]
        at += len(chunk)
        kind = rng.random()
        if kind < 0.08:
            block = f"## {' '.join(chunk[:5])}\n\n"
        elif kind < 0.18:
            block = "".join(f"- {word} [{word}](/{word}/) `{word}`\n" for word in chunk[:5]) + "\n"
        elif kind < 0.22:
            block = "| Сўз | Маъно |\n|---|---|\n" + "".join(
                f"| {a} | *{b}* |\n" for a, b in zip(chunk[:5], chunk[5:10])) + "\n"
        elif kind < 0.25:
            block = f"```\n{chunk[0]}\n\n{chunk[1]}\n```\n\n"
        elif kind < 0.28:
            block = f"> {' '.join(chunk)}\n\n"
        else:
            chunk[1] = f"**{chunk[1]}**"
            chunk[3] = f"_{chunk[3]}_"
            chunk[5] = f"`{chunk[5]}`"
            chunk[7] = f"[{chunk[7]}](/йўл/{at})"
            text, lines, line = chunk, [], ""
            for word in text:  # lines of about 80 characters
                if line and len(line) + len(word) > 80:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
            block = "\n".join(lines + [line]) + "\n\n"
        parts.append(block)
        size += len(block.encode())
    path.write_text("".join(parts), encoding="utf-8")


def tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docx-mb", type=float, default=20)
    parser.add_argument("--html-mb", type=float, default=100)
    parser.add_argument("--one-line-mb", type=float, default=10)
    parser.add_argument("--markdown-mb", type=float, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="translit-formats-"))
    try:
        document = work / "big.docx"
        make_docx(document, args.docx_mb)
        site = work / "site"
        make_html_tree(site, args.html_mb)
        page = work / "one-line.html"
        make_one_line_html(page, args.one_line_mb)
        book = work / "book.md"
        make_markdown(book, args.markdown_mb)
        text = corpus(args.html_mb)
        runs = {
            "Word .docx, FILE -o OUT": ([TRANSLIT, str(document), "-o", str(work / "out.docx")],
                                        document.stat().st_size),
            "HTML tree, DIR -o OUT (default workers)": (
                [TRANSLIT, str(site), "-o", str(work / "site-out")], tree_size(site)),
            "HTML tree, DIR -o OUT --jobs 1": (
                [TRANSLIT, "--jobs", "1", str(site), "-o", str(work / "site-out1")],
                tree_size(site)),
            "HTML on one line (a minified page), FILE -o OUT": (
                [TRANSLIT, str(page), "-o", str(work / "out.html")], page.stat().st_size),
            "Markdown book (read whole), FILE -o OUT": (
                [TRANSLIT, str(book), "-o", str(work / "out.md")], book.stat().st_size),
            "plain text of the same size, --jobs 1 FILE -o OUT": (
                [TRANSLIT, "--jobs", "1", str(text), "-o", str(work / "out.txt")],
                text.stat().st_size),
        }
        times: dict[str, list[float]] = {name: [] for name in runs}
        peaks: dict[str, list[float]] = {name: [] for name in runs}
        cpus: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, (command, _) in runs.items():
                for out in (work / "site-out", work / "site-out1"):
                    shutil.rmtree(out, ignore_errors=True)
                seconds, peak, _ = measure(command, cpu=cpus[name])
                times[name].append(seconds)
                peaks[name].append(peak)
        lines = [f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
                 f"{platform.python_version()}, {platform.system()}; "
                 f"{time.strftime('%Y-%m-%d')}; medians of {args.rounds} rounds.", "",
                 "| run | input | seconds | MB/s | CPU seconds | MB per CPU second | "
                 "peak RSS (largest process) |",
                 "|---|---:|---:|---:|---:|---:|---:|"]
        for name, (_, size) in runs.items():
            seconds, cpu = statistics.median(times[name]), statistics.median(cpus[name])
            lines.append(f"| {name} | {size / (1 << 20):.1f} MB | {seconds:.2f} | "
                         f"{size / (1 << 20) / seconds:.1f} | {cpu:.2f} | "
                         f"{size / (1 << 20) / cpu:.1f} | {max(peaks[name]):.0f} MB |")
        import zipfile

        xml = sum(i.file_size for i in zipfile.ZipFile(document).infolist()
                  if i.filename.endswith(".xml"))
        lines += ["", f"The .docx holds {xml / (1 << 20):.0f} MB of XML (its text) and "
                      f"{(document.stat().st_size) / (1 << 20):.0f} MB in all; the HTML tree "
                      f"{len(list(site.rglob('*.html')))} pages."]
        report = "\n".join(lines)
        print(report)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "formats.md").write_text(report + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
