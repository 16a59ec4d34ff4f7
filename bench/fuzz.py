"""Fuzzing: hostile shapes and random mutations of real files, in every format, each case
checked on a deadline (issue 24).

    nice -n 19 python bench/fuzz.py --cases 100000 --seed 1 --jobs 2   # two children
    nice -n 19 python bench/fuzz.py --cases 20000 --options random     # options drawn too
    python bench/fuzz.py --replay bench/fuzz-failures/CASE             # one saved case again

Seeds are real files made by their own libraries (python-docx, python-pptx, openpyxl,
odfpy; three in four Word and PowerPoint cases start from the same file cut to the styles
and the slide layout it uses, the others from the library's whole template) and samples of
the text formats, and pathological shapes (deep nesting, long runs
of one metacharacter, long mixed-script words, huge lines, cues and strings, NUL and
control characters, duplicate and oddly encoded members, many parts). A case is a seed
mutated at random: bytes changed, inserted, deleted or repeated, runs of the format's own
metacharacters, two seeds spliced; in a package, one member mutated and the package zipped
again (so that the XML, not only the zip, is what is hostile), members duplicated or
dropped, parts re-encoded. Cases are made from (seed, index) alone, so any case is made
again by its number.

The cases run in long-lived child processes, in-process (a crash of a C extension ends the
child, not the harness: the case is a failure, saved, and a new child goes on after it;
`--jobs N` children side by side, case i in child i mod N). A case stuck in C code is
ended by the kernel (RLIMIT_CPU, set before each case), a silent child by its supervisor.
Each must:

* end as translit ends a file: converted, or a `FormatError` or `InputDecodeError` (exit 2),
  never another exception;
* use at most `limits.MAX_SECONDS_PER_MB` CPU seconds a megabyte (at least 1 s: CPU time,
  not the clock, as the machine is shared) and keep the child's peak RSS under
  `limits.MAX_RSS_BYTES`;
* when converted: the output is read again (converted again; text and HTML, whose
  conversion refuses nothing else of a megabyte, decoded as UTF-8), and every byte outside
  the text people read is unchanged (text formats: the text with its letters and character
  references left out is the same, HTML's references decoded first as a browser decodes
  them; packages: the same members in the same order, each either its own bytes or XML
  whose tree is the same but for strings that held Cyrillic);
* a streaming format (text, html, srt, vtt, po) fed in pieces of random sizes comes out
  the same, or is refused alike (unless a run without white space is long enough to be
  cut anyway, where the reads stop: README, Limits; with quotes or a keep list, a line);
* every 500th case also runs through the command line: exit 0 or 2 (as the library said),
  no raw control character on stderr, and an error in one line (a converted file may
  have several notes).

`--target latin2026` or `--target cyrillic` converts to that alphabet instead of the 1995
Latin one (the library with ``Options(target=...)``, the command with ``--to``); the seeds'
text is first made Latin by translit, so that the direction meets the text it converts,
and any string with a letter in it may then differ in a package.

`--options random` (the default, `--options default`, converts with the default options
to --target, case for case as before) also draws each case's options (`Options`), from
(seed, index) alone,
as the case's bytes are (the bytes are those of the same case without it): each field
keeps its default (the target: --target's) or, one time in two, takes one of its values
at random. The values are read from the options' own definitions (`option_values`): a
choice's from its tuple of values (the ``Literal`` its annotation names), a repair's from
its entry of `translit.engine.repairs.REPAIRS`, a flag's False and True, the rule table
None or the built-in one named as one's own file; only the files a case may name are the
harness's (OPTION_FILES: valid keep lists and exception tables, none, one or two of them),
and a field of any other kind stops the fuzzer until it is told what to draw. Each check
is made with the case's options (the output read again, the pieces, the command line with
the flags they stand for), and two of them change what the check of the bytes outside the
text allows, for exactly these options:

* ``quotes`` other than ``unchanged``: the double quotation marks it reads
  (`translit.engine.quotes.MARKS`) may become one another, not appear or go: they are
  all one mark to the comparison, however written (\\" in a catalogue or JSON string,
  a character reference or \\u escape of one: a catalogue writes « where it read \\",
  JSON \\u00ab); in a package, a string may differ so;
* ``ordinal_dates``: a hyphen before a letter (or a character reference) is the same as
  a space (1995 йил → 1995-yil, and back to Cyrillic; markup may stand between the
  digits and the hyphen: 1<i>-oktabr</i>, or between the hyphen and the word: a
  subtitle's 2024-{\an8}yil).

(``legacy_font``'s characters are letters, or ², which the comparison leaves out as it
leaves out letters; in a package a string holding one may differ.) A case's target may
differ from --target, whose alphabet the seeds are in: Latin text converted between the
two Latin alphabets, or Cyrillic text to Cyrillic. A failure's options are saved beside
its bytes (CASE.options.json: the options, file contents and all, and --target), which
--replay reads.

A summary (cases, failures, slowest case in CPU seconds per MB, largest RSS) is printed
and, with --report, written as JSON; failures are saved in bench/fuzz-failures/.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import hashlib
import html.entities
import io
import itertools
import json
import os
import random
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
import zipfile
from collections import Counter
from pathlib import Path
from collections.abc import Iterator
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from translit.base import limits  # noqa: E402

FAILURES = Path(os.environ.get("TRANSLIT_FUZZ_FAILURES", HERE / "fuzz-failures"))
# (For the harness's own test: the child kills itself, as a crash in C would, at this case.)
CRASH_AT = int(os.environ.get("TRANSLIT_FUZZ_CRASH_AT", "-1"))
FORMATS = ("text", "html", "markdown", "srt", "vtt", "po", "json", "docx", "xlsx", "pptx",
           "odt", "ods", "odp")
EXTENSION = {"text": ".txt", "markdown": ".md", "html": ".html", "srt": ".srt", "vtt": ".vtt",
             "po": ".po", "json": ".json"}
MAX_CASE_BYTES = 1 << 20
CLI_EVERY = 500

# --- seeds ---

PROSE = ("Ўзбекистон Республикаси — Марказий Осиёдаги давлат. Тошкент шаҳри, объект маъно, "
         "ЦЕНТР ва Цирк; «Янги ҳаёт» 1-октябрда, сентябрь 2024 йил. Тoшкент (look-alike o).")
TEXT_SEEDS: dict[str, list[str]] = {
    "text": [PROSE + "\n" + PROSE.upper() + "\r\n", "сентябрь" * 50, "http://сайт.уз/йўл "
             + PROSE],
    "html": ['<!DOCTYPE html><html lang="uz-Cyrl"><head><meta charset="utf-8"><title>Сарлавҳа'
             '</title></head><body><p title="Изоҳ">Ц<b>ентр</b> &amp; &#1094;ирк <code>код'
             '</code></p><!-- изоҳ --><script>var x = "<p>";</script><pre>код</pre>'
             '<a href="/йўл">йўл</a><br/>' + PROSE + '</body></html>'],
    "markdown": ["---\ntitle: Сарлавҳа\nslug: йўл\n---\n# Ц**ентр**\n\n" + PROSE +
                 "\n\n- бир\n  - икки\n> иқтибос *қия* _ва_ ~~ўчган~~\n\n`код` [йўл](/йўл "
                 "\"Йўл\") ![расм](a.png)\n\n```\nкод\n```\n\n| а | б |\n|---|---|\n| в | г |\n"
                 "\n<p>Ҳ<b>тмл</b></p>\n[йўл]: /йўл\n"],
    "srt": ["1\n00:00:01,000 --> 00:00:02,000\nСалом, <i>дунё</i>!\n\n2\n00:00:03,000 --> "
            "00:00:04,500\n" + PROSE + "\n\n"],
    "vtt": ["WEBVTT\n\nNOTE изоҳ\n\n00:01.000 --> 00:02.000 align:start\n<v Али>Салом</v> "
            "<c.red>дунё</c>\n\nid\n00:03.000 --> 00:04.000\n" + PROSE + "\n"],
    "po": ['msgid ""\nmsgstr ""\n"Language: uz@cyrillic\\n"\n"Content-Type: text/plain; '
           'charset=UTF-8\\n"\n\n#: a.c:1\nmsgctxt "меню"\nmsgid "Open"\nmsgstr "Оч%s"\n"иш '
           '{name} \\"қўш\\"\\n"\n\nmsgid "File"\nmsgid_plural "Files"\nmsgstr[0] "Файл"\n'
           'msgstr[1] "Файллар %(n)d"\n\n#~ msgid "Old"\n#~ msgstr "Эски"\n'],
    "json": ['{"сарлавҳа": "Салом, {исм}!", "n": ["\\u0446\\u0435\\u043d\\u0442\\u0440", 1, '
             'true, null, {"a": "Цирк %s \\"қўш\\""}], "e": "\\ud83d\\ude00 ъ"}'],
}
# The characters and tokens each format's parser cares about: inserted, and repeated.
TOKENS = {
    "text": ["\n", "\r", "\x00", "\x1b", "Цo", "ъ", "'", "http://", "\ufeff", " ", "\u0306"],
    "html": ["<", ">", "&", "</", "<!", "<!--", "-->", "<?", "<a ", "<p>", "</p>", "<b>",
             '"', "'", "=", "&#", "&#1094;", "&amp", "<script>", "</script>", "<![CDATA[",
             "<code>", "\x00", "<![if", "lang=\"uz-Cyrl\""],
    "markdown": ["*", "_", "~", "[", "]", "(", ")", "!", "`", "```", "#", ">", "- ", "  ",
                 "\n", "\n\n", "<", "&", "|", "---\n", "\\", "[a](", "![a", "*a _", "\t"],
    "srt": ["\n", "\n\n", "-->", "00:00:01,000 --> 00:00:02,000\n", "<i>", "</i>", "{\\an8}",
            "\r\n", "1\n", "\x00"],
    "vtt": ["\n", "\n\n", "-->", "00:01.000 --> 00:02.000\n", "<v Али>", "</v>", "<c.", "&",
            "NOTE", "STYLE\n", "WEBVTT", "\x00"],
    "po": ['"', "\\", "\n", 'msgid "', 'msgstr "', "msgstr[0] \"", "msgctxt \"", "#~ ", "%s",
           "%(", "{", "}", "\\n", "\\x", "\\0", "#, fuzzy\n", "\x00"],
    "json": ['"', "\\", "\\u", "\\u0446", "\\ud83d", "{", "}", "[", "]", ",", ":", "0",
             "true", "\x00", " ", "\\\"", "\ufeff"],
    "xml": ["<", ">", "&", "&#1094;", "<!--", "-->", "<![CDATA[", "]]>", "\x00", '"', "'",
            "<w:t>", "</w:t>", "<w:p>", "<a:t>", "<text:p>", "<t>", "<?xml", "xmlns:x=\"y\"",
            "<!DOCTYPE", "<!ENTITY", "Ц", "\ufeff"],
}


def _document_seeds() -> dict[str, list[bytes]]:
    """Real files made by the formats' own libraries (quietly: they warn)."""
    seeds: dict[str, list[bytes]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import docx as python_docx

        document = python_docx.Document()
        document.core_properties.title = "Сарлавҳа"
        document.add_heading("Ўзбекистон", 1)
        paragraph = document.add_paragraph("Ц")
        paragraph.add_run("ентр").bold = True
        paragraph.add_run(" ва объект " + PROSE)
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Жадвал"
        document.sections[0].header.paragraphs[0].text = "Сарлавҳа"
        full = _saved(document)
        # Mostly the same document with only the styles it uses: python-docx's template
        # carries 800 KB of styles, which every case would parse (and zip again) for
        # nothing; one case in four has them all.
        seeds["docx"] = [full] + [_trimmed_docx(full)] * 3

        import pptx as python_pptx

        presentation = python_pptx.Presentation()
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = "Тақдимот"
        slide.placeholders[1].text = PROSE
        slide.notes_slide.notes_text_frame.text = "Изоҳ"
        full = _saved(presentation)
        # Mostly with only the slide layout its slide uses (python-docx's template has
        # eleven, which every case would convert for nothing); one case in four has all.
        seeds["pptx"] = [full] + [_trimmed_pptx(full)] * 3

        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Варақ"
        sheet["A1"] = "Салом"
        sheet["A2"] = PROSE
        sheet["B1"] = 42
        sheet["B2"] = "=LEN(A1)"
        workbook.create_sheet("Иккинчи")["A1"] = "Дунё"
        seeds["xlsx"] = [_saved(workbook)]

        from odf.draw import Frame, Page, TextBox
        from odf.opendocument import (
            OpenDocumentPresentation,
            OpenDocumentSpreadsheet,
            OpenDocumentText,
        )
        from odf.style import MasterPage, PageLayout
        from odf.table import Table, TableCell, TableRow
        from odf.text import H, P, Span

        text = OpenDocumentText()
        text.text.addElement(H(outlinelevel=1, text="Сарлавҳа"))
        paragraph = P(text="Ц")
        paragraph.addElement(Span(text="ентр"))
        paragraph.addText(" " + PROSE)
        text.text.addElement(paragraph)
        seeds["odt"] = [_saved(text)]

        spreadsheet = OpenDocumentSpreadsheet()
        table = Table(name="Варақ")
        row = TableRow()
        cell = TableCell(valuetype="string")
        cell.addElement(P(text="Салом"))
        row.addElement(cell)
        table.addElement(row)
        spreadsheet.spreadsheet.addElement(table)
        seeds["ods"] = [_saved(spreadsheet)]

        slides = OpenDocumentPresentation()
        layout = PageLayout(name="L")
        slides.automaticstyles.addElement(layout)
        master = MasterPage(name="M", pagelayoutname=layout)
        slides.masterstyles.addElement(master)
        page = Page(masterpagename=master)
        frame = Frame(width="10cm", height="2cm", x="1cm", y="1cm")
        box = TextBox()
        box.addElement(P(text="Тақдимот " + PROSE))
        frame.addElement(box)
        page.addElement(frame)
        slides.presentation.addElement(page)
        seeds["odp"] = [_saved(slides)]
    return seeds


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _trimmed_docx(data: bytes) -> bytes:
    """The Word document `data` with its styles cut to those it uses (and the defaults,
    and what those are based on or linked to), and without stylesWithEffects.xml (a
    copy of the styles for old versions of Word), each reference to it removed."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(data))
    members = {info.filename: source.read(info) for info in source.infolist()}
    used = {value for name, member in members.items()
            if name.startswith("word/") and name.endswith(".xml") and "styles" not in name
            for value in re.findall(rb'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', member)}
    styles = etree.fromstring(members["word/styles.xml"])
    by_id = {style.get(W + "styleId"): style for style in styles.iter(W + "style")}
    wanted = {value.decode() for value in used} | {
        key for key, style in by_id.items() if style.get(W + "default") == "1"}
    pending = list(wanted)
    while pending:  # what the wanted styles are based on, or linked to
        style = by_id.get(pending.pop())
        for tag in ("basedOn", "link", "next"):
            other = style.find(W + tag) if style is not None else None
            if other is not None and other.get(W + "val") not in wanted:
                wanted.add(other.get(W + "val"))
                pending.append(other.get(W + "val"))
    for key, style in by_id.items():
        if key not in wanted:
            styles.remove(style)
    for latent in styles.findall(W + "latentStyles"):
        styles.remove(latent)
    members["word/styles.xml"] = etree.tostring(styles, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    del members["word/stylesWithEffects.xml"]
    for name in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
        members[name] = re.sub(rb"<[^<>]*stylesWithEffects[^<>]*/>", b"", members[name])
    return _zipped(members)


def _trimmed_pptx(data: bytes) -> bytes:
    """The presentation `data` without the slide layouts no slide uses (each reference to
    them removed: the master's list and relationships, the content types)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {info.filename: source.read(info) for info in source.infolist()}
    used = {match for name, member in members.items() if name.startswith("ppt/slides/_rels/")
            for match in re.findall(rb"slideLayout\d+\.xml", member)}
    master, rels = "ppt/slideMasters/slideMaster1.xml", "ppt/slideMasters/_rels/slideMaster1.xml.rels"
    for number in range(1, 100):
        layout = b"slideLayout%d.xml" % number
        if f"ppt/slideLayouts/{layout.decode()}" not in members or layout in used:
            continue
        del members[f"ppt/slideLayouts/{layout.decode()}"]
        del members[f"ppt/slideLayouts/_rels/{layout.decode()}.rels"]
        relation = re.search(rb'<Relationship Id="(\w+)"[^>]*/' + layout + rb'"/>', members[rels])
        assert relation is not None
        members[rels] = members[rels].replace(relation.group(), b"")
        members[master] = re.sub(rb'<p:sldLayoutId id="\d+" r:id="' + relation.group(1)
                                 + rb'"/>', b"", members[master])
        members["[Content_Types].xml"] = re.sub(rb'<Override PartName="/ppt/slideLayouts/'
                                                + layout + rb'"[^>]*/>', b"",
                                                members["[Content_Types].xml"])
    return _zipped(members)


def _zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, member in members.items():
            target.writestr(name, member)
    return out.getvalue()


def _saved(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def hostile_shapes() -> dict[str, list[bytes]]:
    """Pathological shapes of each text format, near and past the caps of limits.py."""
    big = 200_000
    shapes = {
        "text": ["Цo" * (big // 2), "сентябрь" * (big // 8), "\x00" * big, "а\u0306" * big,
                 "Ц" * big + " " + "o" * big, "\r" * big, "ъ'" * big],
        "html": ["<p>Салом</p>" + run * (big // len(run)) for run in
                 ("<", "&", "<!", "</", "<?", "<!--", "<a ", '<a b="', "&#", "<p>", "<b>",
                  "<![if ")] + ["<div>" * 50_000 + "Салом", "<p title='" + "ц" * big + "'>"],
        "markdown": ["[a](" * 20_000 + "Салом", "*" * 240 + "Салом" + "*" * 240,
                     "".join("  " * k + "- а\n" for k in range(150)),
                     "".join(">" * k + " а\n" for k in range(150)), "*a _" * 4000,
                     ("*a _" * 100 + "\n\n") * 300, "`" * big, "\\" * big, "|" * big,
                     "---\n" + "title: " + "ц" * big + "\n---\n"],
        "srt": ["1\n00:00:01,000 --> 00:00:02,000\n" + "Салом " * big,
                "".join(f"{i}\n00:00:01,000 --> 00:00:02,000\nСалом\n\n" for i in range(20000))],
        "vtt": ["WEBVTT\n\n00:01.000 --> 00:02.000\n" + "Салом " * big,
                "WEBVTT\n\n" + "00:01.000 --> 00:02.000\nа\n\n" * 20000],
        "po": ['msgid "a"\nmsgstr "' + "Салом " * big, 'msgid "a"\nmsgstr "' + "\\n" * big + '"\n',
               'msgid "a"\nmsgstr ""\n' + '"а"\n' * 50000],
        "json": ['"' + "\\u0446" * (big // 3) + '"', "[" * 100_000 + "]" * 100_000,
                 '["' + "\\\\" * big + '"]', "[" + '"ц",' * 100_000 + "0]"],
    }
    return {name: [s.encode("utf-8", "surrogatepass") for s in texts]
            for name, texts in shapes.items()}


# --- mutations ---


def _count(rng: random.Random) -> int:
    """How many times a token is repeated: mostly a few, sometimes tens of thousands."""
    return min(int(rng.paretovariate(0.6)), 50_000)


def mutate_bytes(data: bytes, rng: random.Random, tokens: list[str],
                 others: list[bytes]) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 5))):
        at = rng.randint(0, len(buffer))
        kind = rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 7))
        if kind == 0 and buffer:  # a byte changed
            buffer[min(at, len(buffer) - 1)] = rng.randrange(256)
        elif kind in (1, 2, 3):  # a token, repeated
            token = rng.choice(tokens).encode("utf-8")
            buffer[at:at] = token * _count(rng)
        elif kind == 4:  # a range deleted
            buffer[at:at + rng.randint(1, 64)] = b""
        elif kind == 5 and buffer:  # a range repeated
            end = min(len(buffer), at + rng.randint(1, 64))
            buffer[at:at] = bytes(buffer[at:end]) * _count(rng)
        elif kind == 6 and others:  # spliced with another seed
            other = rng.choice(others)
            cut = rng.randint(0, len(other))
            buffer[at:] = other[cut:]
        elif kind == 7:  # random bytes
            buffer[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        if len(buffer) > MAX_CASE_BYTES:
            del buffer[MAX_CASE_BYTES:]
    return bytes(buffer)


_MEMBERS: dict[bytes, list[tuple[zipfile.ZipInfo, bytes]]] = {}  # of each seed, read once


def mutate_package(data: bytes, rng: random.Random) -> bytes:
    if data not in _MEMBERS:
        source = zipfile.ZipFile(io.BytesIO(data))
        _MEMBERS[data] = [(info, source.read(info)) for info in source.infolist()]
    members = list(_MEMBERS[data])
    kind = rng.randrange(10)
    if kind == 0:  # the zip's own bytes
        return mutate_bytes(data, rng, ["PK", "\x00"], [])
    if kind == 1 and members:  # a member twice
        members.insert(rng.randrange(len(members) + 1), rng.choice(members))
    elif kind == 2 and members:  # a member dropped
        members.pop(rng.randrange(len(members)))
    elif kind == 3:  # a part re-encoded (UTF-16 with or without a BOM, its declaration kept)
        xml = [i for i, (info, _) in enumerate(members) if info.filename.endswith(".xml")]
        if xml:
            i = rng.choice(xml)
            text = members[i][1].decode("utf-8", "replace")
            encoded = text.encode(rng.choice(("utf-16", "utf-16-le", "utf-32", "cp1251")),
                                  "replace")
            members[i] = (members[i][0], encoded)
    elif kind == 4:  # many parts
        extra = zipfile.ZipInfo("word/extra.xml")
        members += [(zipfile.ZipInfo(f"customXml/item{n}.xml"), b"<a>\xd1\x86</a>")
                    for n in range(_count(rng) % 3000)] + [(extra, b"<x/>")]
    else:  # one member's XML mutated
        xml = [i for i, (info, _) in enumerate(members)
               if info.filename.endswith((".xml", ".rels"))]
        if xml:
            i = rng.choice(xml)
            members[i] = (members[i][0], mutate_bytes(members[i][1], rng, TOKENS["xml"], []))
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # (the fastest compression: the bytes after it are the same whatever the level)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for info, member in members:
                target.writestr(info.filename, member)
    return out.getvalue()


class Cases:
    """Case number i of a seed: (format, bytes), made from the seed and i alone."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.documents = _document_seeds()
        self.texts = {name: [t.encode() for t in texts] for name, texts in TEXT_SEEDS.items()}
        if TARGET != "latin":  # the seeds' text in Latin: what the direction converts
            from translit.formats import convert

            def latin(data: bytes, format: str) -> bytes:
                converted: bytes = convert(data, "odf" if format in ("odt", "ods", "odp")
                                           else format)
                return converted

            self.documents = {f: [latin(d, f) for d in seeds]
                              for f, seeds in self.documents.items()}
            self.texts = {f: [latin(t, f) for t in seeds] for f, seeds in self.texts.items()}
        self.shapes = hostile_shapes()

    def case(self, index: int) -> tuple[str, bytes]:
        rng = random.Random(f"{self.seed}:{index}")
        format = FORMATS[index % len(FORMATS)]
        if format in self.documents:
            data = rng.choice(self.documents[format])
            return format, mutate_package(data, rng) if rng.random() < 0.97 else data
        seeds = self.texts[format]
        pool = seeds + self.shapes.get(format, []) if rng.random() < 0.03 else seeds
        data = rng.choice(pool)
        others = [d for texts in self.texts.values() for d in texts]
        return format, mutate_bytes(data, rng, TOKENS[format], others)

    def options(self, index: int) -> dict[str, Any] | None:
        """Case i's options (`draw_options`) with --options random, else None (the
        default ones, to --target)."""
        return draw_options(self.seed, index) if OPTIONS_MODE == "random" else None


# --- checks ---

# (a catalogue's uz@cyrillic, in any case, is read as the language it is: po.py)
_REFERENCES = re.compile(r"(?i:@cyrillic)|&#[0-9]+;?|&#[xX][0-9a-fA-F]+;?|\\u[0-9a-fA-F]{4}")
# Named references in Markdown (CommonMark: only with their semicolon; "&yentyabr" is
# text). HTML is read as a browser reads it, every reference decoded (html.unescape): a
# reference made by converting the letters after an "&" (с&ентябрь → s&yentyabr, shown
# s¥tyabr) is a character changed.
_NAMED = re.compile("&(?:" + "|".join(sorted(html.entities.name2codepoint, key=len,
                                             reverse=True)) + ");")
_LETTERS = re.compile(r"[^\W\d_]|[\u0300-\u036f\u02b0-\u02ff\u2018\u2019'`]")


# (with ordinal_dates) a hyphen before a letter, which may be an ordinal date's (after its
# digits, or markup after them: 1<i>-oktabr</i>; or markup between it and the word, a
# subtitle's tag: 2024-{\an8}yil), and may be a space
_ORDINAL_HYPHEN = re.compile(r"-(?=(?:<[^<>]*>|\{\\[^{}]*\})*(?:[^\W\d_]|&#|\\u))")


def skeleton(data: bytes, format: str = "text", opts: Any = None) -> str:
    """What is not text: the letters and character references left out (and, with the
    options `opts`, what they may change besides: the module's docstring)."""
    text = data.decode("utf-8", "surrogateescape")
    if opts is not None:
        text = _what_options_leave(text, opts, format)
    if format == "html":
        text = html.unescape(text)
    elif format == "markdown":  # first: leaving out the others may make new ones
        text = _NAMED.sub("", text)
    return _LETTERS.sub("", _REFERENCES.sub("", text))


# A double quotation mark written otherwise, by format: as an escape (\" in a catalogue
# or JSON, which « needs not; JSON's \u), or a character reference (HTML, Markdown)
_REFERENCED_QUOTE = (r"&(?:quot|laquo|raquo|ldquo|rdquo|bdquo);|&#0*(?:34|171|187|822[0-2]);"
                     r"|&#[xX]0*(?:22|[aAbB][bB]|201[cCdDeE]);")
_QUOTE_WRITTEN = {"po": re.compile(r'\\"'),
                  "json": re.compile(r'\\(?:"|u(?:0022|00[aAbB][bB]|201[cCdDeE]))'),
                  "html": re.compile(_REFERENCED_QUOTE), "markdown": re.compile(_REFERENCED_QUOTE)}


def _what_options_leave(text: str, opts: Any, format: str = "") -> str:
    """`text` with what the options `opts` may change outside letters made one: every
    double quotation mark, however written (quotes), a space or hyphen before a letter
    (ordinal_dates)."""
    if opts.quotes != "unchanged":
        from translit.engine.quotes import MARKS

        if format in _QUOTE_WRITTEN:
            text = _QUOTE_WRITTEN[format].sub('"', text)
        text = text.translate(dict.fromkeys(map(ord, MARKS), '"'))
    if opts.ordinal_dates:
        text = _ORDINAL_HYPHEN.sub(" ", text)
    return text


CYRILLIC = re.compile("[\u0400-\u04ff]")
LETTER = re.compile(r"[^\W\d_]")
# The alphabet converted to (--target; children read it from their environment)
TARGET = os.environ.get("TRANSLIT_FUZZ_TARGET", "latin")


# Whether each case draws its options (--options random; children read it from their
# environment) or converts with the default ones (to --target).
OPTIONS_MODE = os.environ.get("TRANSLIT_FUZZ_OPTIONS", "default")
# The files a case's options may name, by field: their contents (each valid), met by the
# seeds' words in either alphabet. The other fields' values are the definitions' own. (No
# exception may change a word of an example of data/rules.tsv: with that table named as
# one's own, its examples are checked with one's exceptions, and such a pair is refused.)
OPTION_FILES: dict[str, tuple[str, ...]] = {
    "keep": ("# names\nТошкент\nЦентр\nToshkent\n", "re:«[^»]*»\nre:[A-Z]{2,}\n",
             "Марказий Осиё\nre:\\d+ йил\nsentabr\n"),
    "exceptions": ("cyrillic\tlatin\tmatch\tdefault\nцирк\tsirk\tword\n"
                   "объектив\tobektiv\tword\n",
                   "сентябр\tsentyabr\tstem\nдавлат\tdavlat\tword\toff\n"
                   "тошкент\ttashkent\tword\n"),
}


@functools.lru_cache(maxsize=1)
def option_values() -> dict[str, tuple[Any, ...]]:
    """Each field of `Options` and the values a case may draw for it, as JSON values,
    read from the options' definitions (see the module's docstring).

    >>> option_values()["quotes"], option_values()["legacy_font"][0]
    (('unchanged', 'guillemets', 'curly'), None)
    """
    import typing

    from translit import Options
    from translit.base import options as definitions
    from translit.engine.repairs import REPAIRS

    repairs = {repair.option: tuple(repair.values) for repair in REPAIRS}
    annotations = Options.__new__.__wrapped__.__annotations__
    values: dict[str, tuple[Any, ...]] = {}
    for field in Options._fields:
        kind = annotations[field]
        literal = getattr(definitions, kind, None) if kind.isidentifier() else None
        if field in repairs:
            values[field] = repairs[field]
        elif kind == "bool":
            values[field] = (False, True)
        elif typing.get_origin(literal) is typing.Literal:
            values[field] = typing.get_args(literal)
        elif kind == "tuple[Path, ...]" and field in OPTION_FILES:
            files = OPTION_FILES[field]
            values[field] = ((),) + tuple((text,) for text in files) + tuple(
                itertools.combinations(files, 2))
        elif kind == "Path | None" and field == "rules":
            values[field] = (None, "rules.tsv")  # data/rules.tsv, as a table of one's own
        else:
            raise SystemExit(f"fuzz.py: what may a case draw for Options.{field} ({kind})? "
                             "(option_values)")
    return values


def draw_options(seed: int, index: int) -> dict[str, Any]:
    """Case i's options, as JSON values (files by their contents), from (seed, i) alone:
    each field its default (the target: --target) or, one time in two, one of its values."""
    from translit import Options

    rng = random.Random(f"{seed}:{index}:options")
    defaults = {**Options._field_defaults, "target": TARGET}
    drawn = {field: rng.choice(choices) if rng.random() < 0.5 else defaults[field]
             for field, choices in option_values().items()}
    return json.loads(json.dumps(drawn))  # (tuples as lists, as a saved case has them)


_OPTION_FOLDER: list[Path] = []  # this process's folder for the option files, made once


def _option_file(field: str, text: str) -> Path:
    """A file of `text` for the option `field`, named by its contents (the same options
    make the same `Options`, which translit's caches then find)."""
    if not _OPTION_FOLDER:
        _OPTION_FOLDER.append(Path(tempfile.mkdtemp(prefix="translit-fuzz-options-")))
        atexit.register(shutil.rmtree, _OPTION_FOLDER[0], True)
    digest = hashlib.sha1(text.encode()).hexdigest()[:12]
    path = _OPTION_FOLDER[0] / f"{field}-{digest}.tsv"
    if not path.exists():
        path.write_text(text, encoding="utf-8")
    return path


def options(drawn: dict[str, Any] | None = None) -> Any:
    """The `Options` of drawn options (`draw_options`); without them, the default ones to
    --target."""
    from translit import Options
    from translit.tables.rules import data_file

    if drawn is None:
        return Options(target=TARGET)
    values = dict(drawn)
    for field in OPTION_FILES:
        values[field] = tuple(_option_file(field, text) for text in drawn[field])
    if drawn["rules"] is not None:
        values["rules"] = Path(data_file(drawn["rules"]))
    return Options(**values)


# The command line's flag of each field that is not a repair's (those are read from
# REPAIRS): a flag for True (keep_addresses: for False), or one that takes the value.
CLI_FLAGS = {"apostrophe": "--apostrophe", "target": "--to", "capitals": "--capitals",
             "quotes": "--quotes", "rules": "--rules", "exceptions": "--exceptions",
             "keep": "--keep", "contested_exceptions": "--contested",
             "keep_addresses": "--convert-addresses",
             "convert_all_languages": "--convert-all-languages"}


def cli_arguments(opts: Any) -> list[str]:
    """The command line's flags for the options `opts`: --to, and each field not at its
    default."""
    from translit.engine.repairs import REPAIRS

    repairs = {repair.option: repair for repair in REPAIRS}
    arguments = ["--to", opts.target]
    for field, value in zip(opts._fields, opts):
        if field == "target" or value == opts._field_defaults[field]:
            continue
        if field in repairs:
            repair = repairs[field]
            arguments += [repair.flag, str(value)] if repair.metavar else [repair.flag]
        elif isinstance(value, bool):
            arguments.append(CLI_FLAGS[field])
        elif isinstance(value, tuple):
            arguments += [part for path in value for part in (CLI_FLAGS[field], str(path))]
        else:
            arguments += [CLI_FLAGS[field], str(value)]
    return arguments


def same_package_but_text(before: bytes, after: bytes, opts: Any = None) -> str | None:
    """Why the package `after` differs from `before` in more than its Cyrillic text."""
    from lxml import etree

    from translit.formats.package import Package

    old, new = zipfile.ZipFile(io.BytesIO(before)), zipfile.ZipFile(io.BytesIO(after))
    names = [i.filename for i in old.infolist()]
    # A converted package leaves its thumbnail out (a picture of the old text), and the
    # names of it in its manifest, relationships and content types; also where the
    # thumbnail's member is missing (a mutated package), its name in those.
    edited, dropped = Package(before).thumbnail_dropped({})
    if names != [i.filename for i in new.infolist()]:
        names = [name for name in names if name not in dropped]
        if not dropped or names != [i.filename for i in new.infolist()]:
            return "members differ"
    for a, b in zip([old.getinfo(name) for name in names], new.infolist()):
        data_a, data_b = old.read(a), new.read(b)
        if data_a == data_b:
            continue
        data_a = edited.get(a.filename, data_a)
        if data_a == data_b:
            continue
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        why = _tree_difference(etree.fromstring(data_a, parser), etree.fromstring(data_b, parser),
                               opts if opts is not None else options())
        if why:
            return f"{a.filename}: {why}"
    return None


def _may_differ(before: str | None, after: str | None, opts: Any) -> bool:
    if before == after:
        return True
    if before is None or after is None:
        return False
    if _what_options_leave(before, opts) == _what_options_leave(after, opts):
        return True
    # (Latin seeds, or another target than Latin: any string with a letter may change)
    letters = CYRILLIC if TARGET == opts.target == "latin" else LETTER
    return bool(letters.search(before)) or "cyrl" in before.lower() or bool(
        opts.legacy_font and set(before) & _legacy_characters(opts.legacy_font))


@functools.lru_cache(maxsize=4)
def _legacy_characters(name: str) -> frozenset[str]:
    from translit.tables.rules import load_legacy_font

    return frozenset(old for old, _ in load_legacy_font(name))


def _tree_difference(a: Any, b: Any, opts: Any) -> str | None:
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if x.tag != y.tag or list(x.attrib) != list(y.attrib) or len(x) != len(y):
            return f"element {x.tag} differs"
        for key in x.attrib:
            if not _may_differ(x.get(key), y.get(key), opts):
                return f"attribute {key} of {x.tag} differs"
        if not (_may_differ(x.text, y.text, opts) and _may_differ(x.tail, y.tail, opts)):
            return f"text of {x.tag} differs"
        stack.extend(zip(x, y))
    return None


class Deadline(Exception):
    pass


def _on_deadline(signum: int, frame: Any) -> None:
    raise Deadline


# The formats converted as they are read (a pipe, a large file): each case is also fed in
# random pieces, and must come out the same (or be refused the same way) ...
STREAMED = ("text", "html", "srt", "vtt", "po")
# ... unless it has a run without white space long enough to be cut anyway, where the
# reads stop (README: Limits).
LONGEST_EXACT_RUN = 60_000


def chunked(data: bytes, name: str, rng: random.Random, opts: Any = None) -> bytes:
    """`data` converted by the format's streaming converter fed in pieces of random sizes
    (1 byte to 64 KiB), as a pipe gives them."""
    from translit.converter.transliterator import get_transliterator
    from translit.formats import BY_NAME, converter_for

    converter = converter_for(BY_NAME[name], get_transliterator(
        opts if opts is not None else options()))
    out, at = [], 0
    while at < len(data):
        size = rng.randint(1, 1 << rng.randint(0, 16))
        out.append(converter.feed(data[at:at + size]))
        at += size
    out.append(converter.feed(b"", final=True))
    return b"".join(out)


def run_case(format: str, data: bytes, opts: Any = None) -> tuple[str, str]:
    """("ok" | "error" | "FAIL", why) for one case, in this process, with the options
    `opts` (by default: `options()`)."""
    from translit.formats import FormatError, convert
    from translit.stream import InputDecodeError

    name = "odf" if format in ("odt", "ods", "odp") else format
    opts = opts if opts is not None else options()
    seconds = case_seconds(data)
    streamed = format in STREAMED and max(map(len, data.split()), default=0) < LONGEST_EXACT_RUN
    if streamed and (opts.quotes != "unchanged" or opts.keep):  # a line is such a run too
        streamed = max(map(len, data.splitlines()), default=0) < LONGEST_EXACT_RUN
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        out = convert(data, name, opts)
    except (FormatError, InputDecodeError) as error:
        message = str(error)
        if not message.strip():
            return "FAIL", "an empty message"
        if streamed:  # (a deadline here is not caught by the clauses below: its own)
            signal.setitimer(signal.ITIMER_PROF, seconds)
            try:
                chunked(data, name, random.Random(len(data)), opts)
            except (FormatError, InputDecodeError):
                pass
            except Deadline:
                return "FAIL", f"in pieces: over {seconds:.1f} CPU seconds"
            else:
                return "FAIL", f"refused whole ({message[:100]}) but converted in pieces"
        return "error", message
    except Deadline:
        return "FAIL", f"over {seconds:.1f} CPU seconds"
    except MemoryError:
        return "FAIL", "MemoryError"
    except RecursionError:
        return "FAIL", "RecursionError"
    except Exception as error:
        return "FAIL", f"{type(error).__name__}: {error}"[:300]
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    try:  # the output is read again (converted again, but for text and HTML, whose
        # conversion refuses nothing else of a megabyte: its UTF-8), and only text changed
        again = (out.decode("utf-8") if format in ("text", "html")
                 else convert(out, name, opts))
    except Exception as error:
        return "FAIL", f"the output does not convert again: {type(error).__name__}: {error}"[:300]
    if format in FORMATS[7:]:
        why = same_package_but_text(data, out, opts) if out != data else None
        if why:
            return "FAIL", f"more than text changed: {why}"
    elif skeleton(data, format, opts) != skeleton(out, format, opts):
        return "FAIL", "more than text changed: " + _first_difference(
            skeleton(data, format, opts), skeleton(out, format, opts))
    del again
    if streamed:
        signal.setitimer(signal.ITIMER_PROF, seconds)
        try:
            pieces = chunked(data, name, random.Random(len(data)), opts)
        except Deadline:
            return "FAIL", f"in pieces: over {seconds:.1f} CPU seconds"
        except Exception as error:
            return "FAIL", f"in pieces: {type(error).__name__}: {error}"[:300]
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        if pieces != out:
            return "FAIL", "in pieces, not the same: " + _first_difference(
                out.decode("utf-8", "replace"), pieces.decode("utf-8", "replace"))
    return "ok", ""


def _first_difference(a: str, b: str) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at {at}: {a[max(0, at - 20):at + 20]!r} became {b[max(0, at - 20):at + 20]!r}"


def run_cli(format: str, data: bytes, library_outcome: str, opts: Any = None) -> str | None:
    """Why the command line did wrong with this case (converted with the flags of the
    options `opts`, by default `options()`), or None."""
    opts = opts if opts is not None else options()
    arguments = cli_arguments(opts)
    if OPTIONS_MODE == "random":  # (the flags must stand for the options: the harness's own)
        import typer.main
        from translit.cli.app import build_app

        request = typer.main.get_command(build_app()).main(
            args=arguments + ["x"], prog_name="translit", standalone_mode=False)
        if request.settings.options != opts:
            return f"fuzz.py: the flags {arguments} are not the options {opts}"
    extension = EXTENSION.get(format, "." + format)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"case{extension}"
        source.write_bytes(data)
        try:
            done = subprocess.run([sys.executable, "-m", "translit", *arguments,
                                   str(source), "-o", str(Path(folder) / f"out{extension}")],
                                  capture_output=True, timeout=120)
        except subprocess.TimeoutExpired:
            return "the command line ran over 120 s"
    expected = {"ok": 0, "error": 2}[library_outcome]
    if done.returncode != expected:
        return f"the command line exited {done.returncode}, the library said {library_outcome}"
    text = done.stderr.decode("utf-8", "replace")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        return f"the command line's stderr holds a control character: {text[:200]!r}"
    if expected == 2 and text.count("\n") > 1:  # (notes of a converted file may be several)
        return f"the command line's error is not one line: {text[:200]!r}"
    return None


# --- the child: runs cases, one JSON line each ---


def case_seconds(data: bytes) -> float:
    """The CPU seconds a case may take: `limits.MAX_SECONDS_PER_MB` a megabyte, at least 1."""
    return max(1.0, limits.MAX_SECONDS_PER_MB * len(data) / (1 << 20))


# The clock Linux holds RLIMIT_CPU (and ITIMER_PROF) to: the process's user and system
# time as the scheduler's tick counts them (with tick-based accounting, as here), read by
# clock_gettime with the kernel's encoding of "this process, CPUCLOCK_PROF" (~0 << 3 | 0).
# getrusage reports another figure: the precise run time, split in the ratio of the
# ticks. The two part as a process runs (a task running when a tick falls is charged the
# whole tick), and RLIMIT_CPU counts from the process's start: a long-lived child whose
# ticks had run more than a small case's 8 s ahead of getrusage was ended (SIGXCPU)
# inside a 192-byte WebVTT case that takes 0.07 s (seed 3101, case 478794).
_PROF_CLOCK = -8 if sys.platform.startswith("linux") else None


def cpu_seconds_used() -> list[float]:
    """The CPU seconds this process has used, by each clock there is: getrusage's and,
    on Linux, the kernel's own count, to which it holds RLIMIT_CPU."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = [usage.ru_utime + usage.ru_stime]
    if _PROF_CLOCK is not None:
        used.append(time.clock_gettime(_PROF_CLOCK))
    return used


def cpu_limit(seconds: float, used: list[float]) -> tuple[int, int]:
    """RLIMIT_CPU's (soft, hard) for `seconds` more CPU seconds, `used` the seconds used
    so far by each clock: the soft limit past the furthest of them (RLIMIT_CPU counts
    from the process's start, and the clocks part), in whole seconds; the hard limit
    none, as each case sets a later soft one (a process cannot raise its hard limit again).

    >>> cpu_limit(8, [100.2, 130.5])[0]
    139
    """
    return int(max(used) + seconds) + 1, resource.RLIM_INFINITY


def _hard_cpu_limit(seconds: float) -> None:
    """The kernel ends this process (SIGXCPU) past `seconds` more CPU seconds: the
    backstop of a case stuck inside C code, where the Python-level deadline (SIGPROF)
    cannot interrupt it. The supervisor then records the case as one that hung."""
    resource.setrlimit(resource.RLIMIT_CPU, cpu_limit(seconds, cpu_seconds_used()))


def child(seed: int, start: int, stop: int, step: int = 1) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (6 * limits.MAX_RSS_BYTES,) * 2)
    signal.signal(signal.SIGPROF, _on_deadline)
    cases = Cases(seed)
    import translit.formats.markdown  # noqa: F401  (loaded before the baseline is read)
    from translit.formats import convert

    convert(b"<p>\xd1\x86</p>", "html")
    write = sys.stdout.write
    for index in range(start, stop, step):
        format, data = cases.case(index)
        opts = options(cases.options(index))
        write(json.dumps({"start": index}) + "\n")
        sys.stdout.flush()
        # the case, converting its output again, the checks: three times its budget, and 5 s
        _hard_cpu_limit(3 * case_seconds(data) + 5)
        if index == CRASH_AT:
            os.kill(os.getpid(), signal.SIGSEGV)
        cpu = time.process_time()
        outcome, why = run_case(format, data, opts)
        cpu = time.process_time() - cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if rss > limits.MAX_RSS_BYTES:
            outcome, why = "FAIL", f"peak RSS {rss >> 20} MB"
        if outcome != "FAIL" and index % CLI_EVERY == 0:
            problem = run_cli(format, data, outcome, opts)
            if problem:
                outcome, why = "FAIL", problem
        write(json.dumps({"i": index, "format": format, "size": len(data), "outcome": outcome,
                          "why": why, "cpu": round(cpu, 4), "rss": rss}) + "\n")
        sys.stdout.flush()
        if outcome == "FAIL" and why.startswith("peak RSS"):
            return  # the peak stays: a fresh child goes on


# --- the parent: one supervisor (a thread) per child, each its share of the cases ---

# A child that writes nothing for this long (wall clock) is stuck: it is killed and its
# case is a failure. (CPU time is capped in the child; this catches a case that waits.)
WALL_SECONDS = 900


class Tally:
    """What the supervisors found, together (each adds under the lock)."""

    def __init__(self, seed: int, report: Path | None) -> None:
        self.seed, self.report = seed, report
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.by_format: Counter[str] = Counter()
        self.failures: list[dict[str, Any]] = []
        self.slowest: dict[str, Any] = {"per_mb": 0.0}
        self.largest_rss = 0
        self.started = time.monotonic()
        self.maker: Cases | None = None

    def add(self, record: dict[str, Any]) -> None:
        with self.lock:
            self.counts[record["outcome"]] += 1
            self.by_format[record.get("format", "?")] += 1
            self.largest_rss = max(self.largest_rss, record.get("rss", 0))
            per_mb = record.get("cpu", 0) / max(record.get("size", 1), 1) * (1 << 20)
            if record.get("size", 0) >= 1 << 14 and per_mb > self.slowest["per_mb"]:
                self.slowest = {"per_mb": round(per_mb, 2), **record}
            if record["outcome"] == "FAIL":
                self.maker = self.maker or Cases(self.seed)
                drawn = self.maker.options(record["i"])
                self.failures.append({**record, "options": drawn} if drawn else record)
                _save(self.maker, record["i"], record["why"])
            done = sum(self.counts.values())
            if done % 1000 == 0:
                print(f"{done} cases, {self.counts['FAIL']} failures, "
                      f"{time.monotonic() - self.started:.0f} s", file=sys.stderr, flush=True)
                if self.report:  # so far: a run stopped early still has its figures
                    self.summary()

    def summary(self) -> dict[str, Any]:
        return _write(self.report, self.seed, self.counts, self.by_format, self.failures,
                      self.slowest, self.largest_rss, self.started)


def supervise(tally: Tally, first: int, stop: int, step: int) -> None:
    """Cases first, first + step ... below stop, in a child restarted after a crash."""
    index = first
    while index < stop:
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", "--seed", str(tally.seed), "--start",
             str(index), "--stop", str(stop), "--step", str(step)], stdout=subprocess.PIPE)
        assert process.stdout is not None
        current = None
        lines = _lines(process)
        for line in lines:
            if line is None:  # nothing for WALL_SECONDS: stuck
                process.kill()
                break
            record = json.loads(line)
            if "start" in record:
                current = record["start"]
                continue
            current = None
            index = record["i"] + step
            tally.add(record)
        code = process.wait()
        if current is not None:  # the child died inside a case (or was stuck, and killed)
            why = ("killed after " + str(WALL_SECONDS) + " s without a word" if code == -9
                   else f"the process ended inside the case (status {code})")
            tally.add({"i": current, "outcome": "FAIL", "why": why})
            index = current + step
        elif code != 0 and index < stop and not (
                tally.failures and tally.failures[-1]["why"].startswith("peak RSS")):
            raise SystemExit(f"the child failed (status {code})")


def _lines(process: subprocess.Popen[bytes]) -> Iterator[bytes | None]:
    """The child's lines as they come; None when it says nothing for WALL_SECONDS."""
    assert process.stdout is not None
    stream = process.stdout
    buffer = b""
    while True:
        ready, _, _ = select.select([stream], [], [], WALL_SECONDS)
        if not ready:
            yield None
            return
        chunk = os.read(stream.fileno(), 1 << 16)
        if not chunk:
            return
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        yield from complete


def fuzz(seed: int, cases: int, start: int, report: Path | None,
         jobs: int = 1) -> dict[str, Any]:
    """Cases start ... start + cases - 1, by `jobs` children side by side (case i by the
    child i mod jobs), summed up."""
    FAILURES.mkdir(parents=True, exist_ok=True)
    tally = Tally(seed, report)
    threads = [threading.Thread(target=supervise, args=(tally, start + k, start + cases, jobs))
               for k in range(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally.summary()


def _write(report: Path | None, seed: int, counts: Counter[str], by_format: Counter[str],
           failures: list[dict[str, Any]], slowest: dict[str, Any], largest_rss: int,
           started: float) -> dict[str, Any]:
    summary = {"seed": seed, "cases": sum(counts.values()), "outcomes": dict(counts),
               "by_format": dict(by_format), "failures": failures[:50],
               "slowest": slowest, "largest_rss_mb": largest_rss >> 20,
               "seconds": round(time.monotonic() - started),
               "cases_per_second": round(sum(counts.values()) / max(time.monotonic() - started,
                                                                      1e-9), 1)}
    if report:
        report.write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    return summary


def _save(maker: Cases, index: int, why: str) -> None:
    format, data = maker.case(index)
    path = FAILURES / f"{maker.seed}-{index}{EXTENSION.get(format, '.' + format)}"
    path.write_bytes(data)
    drawn = maker.options(index)
    if drawn is not None:  # what --replay reads: the options, and the seeds' alphabet
        _options_path(path).write_text(json.dumps(
            {"target": TARGET, "options": drawn}, ensure_ascii=False, indent=1))
    print(f"FAIL {path}: {why}", file=sys.stderr, flush=True)


def _options_path(case: Path) -> Path:
    return case.with_name(case.name + ".options.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--stop", type=int, default=0)
    parser.add_argument("--step", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1,
                        help="children side by side (each one CPU: mind a shared machine)")
    parser.add_argument("--report", type=Path)
    parser.add_argument("--replay", type=Path, help="run one saved case and say what it did")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--target", choices=("latin", "latin2026", "cyrillic"),
                        default=TARGET, help="the alphabet converted to (default: latin)")
    parser.add_argument("--options", choices=("default", "random"), default=OPTIONS_MODE,
                        help="each case's options: the default ones (to --target), or drawn "
                             "at random from (seed, case) (default: default)")
    args = parser.parse_args()
    os.environ["TRANSLIT_FUZZ_TARGET"] = args.target  # (for the children it starts)
    os.environ["TRANSLIT_FUZZ_OPTIONS"] = args.options
    globals()["TARGET"] = args.target
    globals()["OPTIONS_MODE"] = args.options
    if args.child:
        child(args.seed, args.start, args.stop, args.step)
        return
    if args.replay:
        signal.signal(signal.SIGPROF, _on_deadline)
        suffix = args.replay.suffix.lstrip(".")
        format = {"txt": "text", "md": "markdown"}.get(suffix, suffix)
        drawn = None
        if _options_path(args.replay).exists():  # a case saved with --options random
            saved = json.loads(_options_path(args.replay).read_text())
            globals()["TARGET"], drawn = saved["target"], saved["options"]
            print("options:", options(drawn), file=sys.stderr)
        print(run_case(format, args.replay.read_bytes(), options(drawn)))
        return
    summary = fuzz(args.seed, args.cases, args.start, args.report, args.jobs)
    print(json.dumps({k: v for k, v in summary.items() if k != "failures"}, ensure_ascii=False))
    for failure in summary["failures"]:
        print(failure)


if __name__ == "__main__":
    main()
