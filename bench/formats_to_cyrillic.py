"""Latin → Cyrillic by document format, beside the same text as plain text, in one run.

    python bench/formats_to_cyrillic.py                 # about 2 MB of text in each format
    python bench/formats_to_cyrillic.py --mb 5 --rounds 5
    python bench/formats_to_cyrillic.py --command "python -m translit"   # another build

Each file is made here from the Latin that translit makes of ../shared/bench/make_corpus.py
text (bench.py's `latin_corpus`): a SubRip file of cues, a gettext catalogue, a JSON
object of strings, Markdown with bold words, HTML whose paragraphs have bold runs that
start and end anywhere (inside words too, as in Word), and a Word document whose runs are
cut anywhere (python-docx), and another whose runs are 20 to 200 characters, most cut at
a space ("edited docx"). Every run is a whole process, `--to cyrillic --jobs 1 FILE -o
OUT`, start-up included; MB/s counts the file's bytes; medians of the rounds, which
alternate the formats. `--command` runs another translit (a checkout of an earlier commit:
``env PYTHONPATH=/tmp/old python -m translit``), for a before and after on one machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import TRANSLIT, latin_corpus, measure  # noqa: E402


def _phrases(words: list[str], rng: random.Random, shortest: int, longest: int):
    at = 0
    while True:
        length = rng.randint(shortest, longest)
        yield " ".join(words[at % len(words):at % len(words) + length])
        at += length


def make_files(folder: Path, mb: float) -> dict[str, Path]:
    """The same Latin text, about `mb` MB, in each format."""
    source = latin_corpus(max(4.0, 2 * mb))
    text = source.read_text(encoding="utf-8")[: int(mb * 1_000_000)]
    words = text.split()
    size = len(text.encode())
    made: dict[str, Path] = {}

    def write(name: str, parts: list[str]) -> None:
        path = folder / name
        path.write_text("".join(parts), encoding="utf-8")
        made[name.rsplit(".", 1)[1]] = path

    write("text.txt", [text])
    rng = random.Random(1)
    phrases = _phrases(words, rng, 3, 12)
    cues, total, number = [], 0, 0
    while total < size:
        number += 1
        line = next(phrases)
        start = number * 2500
        cues.append(f"{number}\n{_time(start)} --> {_time(start + 2000)}\n{line}\n\n")
        total += len(line.encode())
    write("cues.srt", cues)
    messages, total, number = ['msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                               '"Language: uz\\n"\n\n'], 0, 0
    while total < size:
        number += 1
        line = next(phrases).replace("\\", "").replace('"', "'")
        messages.append(f'#: src/view{number % 40}.c:{number}\nmsgid "Message {number}"\n'
                        f'msgstr "{line}"\n\n')
        total += len(line.encode())
    write("messages.po", messages)
    strings: dict[str, str] = {}
    total = 0
    while total < size:
        line = next(phrases)
        strings[f"key{len(strings)}"] = line
        total += len(line.encode())
    write("strings.json", [json.dumps(strings, ensure_ascii=False, indent=1)])
    paragraphs, markdown, total = _phrases(words, rng, 20, 80), [], 0
    while total < size:
        line = next(paragraphs)
        cut = line.find(" ", len(line) // 2)
        bold = f"{line[:cut]} **{line[cut + 1:cut + 12].strip()}**{line[cut + 12:]}" \
            if cut > 0 else line
        markdown.append(f"## {next(phrases)}\n\n{bold}\n\n")
        total += len(line.encode())
    write("page.md", markdown)
    pages, total = ['<!DOCTYPE html>\n<html lang="uz"><head><meta charset="utf-8"></head>'
                    "<body>\n"], 0
    while total < size:
        line = next(paragraphs)
        cut = rng.randint(1, max(1, len(line) - 2))  # anywhere: inside a word too
        pages.append(f"<p>{line[:cut]}<b>{line[cut:cut + 7]}</b>{line[cut + 7:]}</p>\n")
        total += len(line.encode())
    write("page.html", pages + ["</body></html>\n"])
    # runs of 3 to 30 characters, cut anywhere
    _word_document(folder / "document.docx", paragraphs, size, lambda: rng.random() < 0.3,
                   lambda line, done: done + rng.randint(3, 30))
    made["docx"] = folder / "document.docx"

    def edited(line: str, done: int) -> int:
        """As people edit a document: runs of 20 to 200 characters, most of them cut at a
        space, some inside a word."""
        step = rng.randint(20, 200)
        cut = line.rfind(" ", done, done + step) + 1 if rng.random() < 0.7 else done + step
        return cut if cut > done else done + step

    _word_document(folder / "edited.docx", paragraphs, size, lambda: rng.random() < 0.2,
                   edited)
    made["edited docx"] = folder / "edited.docx"
    return made


def _word_document(path: Path, paragraphs: Iterator[str], size: int,
                   bold: Callable[[], bool], cut: Callable[[str, int], int]) -> None:
    """A Word document (python-docx) of about `size` bytes of `paragraphs`, each in runs
    that end where `cut(paragraph, start)` says, bold where `bold()` says."""
    import docx

    document = docx.Document()
    total = 0
    while total < size:
        line = next(paragraphs) + " "
        paragraph = document.add_paragraph()
        done = 0
        while done < len(line):
            end = cut(line, done)
            paragraph.add_run(line[done:end]).bold = bold()
            done = end
        total += len(line.encode())
    document.save(path)


def _time(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--command", default=TRANSLIT, help="the translit command to run")
    args = parser.parse_args()
    command = shlex.split(args.command)
    with tempfile.TemporaryDirectory(prefix="translit-to-cyrillic-") as work:
        folder = Path(work)
        files = make_files(folder, args.mb)
        times: dict[str, list[float]] = {kind: [] for kind in files}
        cpu: dict[str, list[float]] = {kind: [] for kind in files}
        peaks: dict[str, float] = {}
        for round_number in range(args.rounds):
            order = list(files.items())
            shift = round_number % len(order)
            for kind, path in order[shift:] + order[:shift]:
                out = folder / f"out{path.suffix}"
                seconds, peak, _ = measure([*command, "--to", "cyrillic", "--jobs", "1",
                                            str(path), "-o", str(out)], cpu=cpu[kind])
                times[kind].append(seconds)
                peaks[kind] = max(peaks.get(kind, 0.0), peak)
                print(f"  round {round_number + 1}: {kind} {seconds:.2f} s", file=sys.stderr)
        plain = statistics.median(times["txt"]) / files["txt"].stat().st_size
        lines = [f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} "
                 f"CPUs, Python {platform.python_version()}, {platform.system()}; "
                 f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; `{args.command}`; "
                 f"medians of {args.rounds} rounds.", "",
                 "| format | file | seconds | CPU s | MB/s | time per byte ÷ plain text's | "
                 "peak RSS |", "|---|---:|---:|---:|---:|---:|---:|"]
        for kind, path in files.items():
            size = path.stat().st_size
            seconds = statistics.median(times[kind])
            lines.append(f"| {kind} | {size / 1e6:.2f} MB | {seconds:.2f} | "
                         f"{statistics.median(cpu[kind]):.2f} | {size / 1e6 / seconds:.2f} | "
                         f"{seconds / size / plain:.1f} | {peaks[kind]:.0f} MB |")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
