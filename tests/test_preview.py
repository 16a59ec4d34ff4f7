"""The --diff preview: exactly the output, drawn as it streams, marking decisions (issue 9)."""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

import translit
from conftest import output_within_cpu, run_cli, write
from strategies import context_text, cross_word_text, mixed_text, options
from translit.diff import LinePair, hunk_stream, line_pairs
from translit.preview import DISPLAY_BYTES, Batch, Marker, Preview, json_decisions, printable
from translit.stream import StreamConverter, convert_stream

COMMAND = [sys.executable, "-m", "translit"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SAMPLE = ("Ҳисобот: 2025 йил якунлари\n\nКомпания «ЎЗБЕКИСТОН» [b]муҳим[/b] маълумот эълон қилди.\n"
          "Объект 1-сентябрда топширилади. ШАҲАР, Ш. Мирзиёев\nLatin line stays.\n"
          "Центр ва функция. Тoшкент әлем Исҳоқ\n")


def draw(text: str, chosen: translit.Options = translit.Options(), layout: str = "inline",
         width: int = 1_000_000, explain: bool = False) -> str:
    """The preview of `text`, without colours, as a terminal of `width` columns shows it."""
    transliterator = translit.get_transliterator(chosen)
    console = Console(width=width, color_system=None, force_terminal=False, file=io.StringIO())
    out = io.StringIO()
    preview = Preview(console, transliterator, out, layout=layout, explain=explain)
    converter = StreamConverter(transliterator)
    pairs = line_pairs(io.BytesIO(text.encode()), converter, max_line_bytes=DISPLAY_BYTES)
    preview.file("t.txt", hunk_stream(pairs, 2))
    return out.getvalue()


def real_output(text: str, chosen: translit.Options) -> str:
    sink = io.BytesIO()
    convert_stream(io.BytesIO(text.encode()), sink, translit.get_transliterator(chosen),
                   interactive=False)
    return sink.getvalue().decode()


# --- 1. exact by construction -------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(options, st.lists(st.one_of(cross_word_text, context_text, mixed_text,
                                   st.just("\n")), max_size=12).map("".join))
def test_the_right_hand_side_is_the_real_output_for_every_option(chosen, text):
    assume(not any(0xD800 <= ord(c) <= 0xDFFF for c in text) and "\r" not in text)
    expected = [printable(line.replace("\t", "⇥"))
                for line, original in zip(real_output(text, chosen).split("\n"), text.split("\n"))
                if line != original]
    shown = [line[line.index("+ ") + 2:] for line in draw(text, chosen).split("\n")
             if re.match(r"^ *\+ ", line)]
    assert shown == expected


@pytest.mark.parametrize("chosen, line, expected", [
    (translit.Options(ordinal_dates=True), "1995 йил 24 август", "1995-yil 24-avgust"),
    (translit.Options(typed_apostrophes=True), "Китобнинг ма'носи", "Kitobning maʼnosi"),
])
def test_options_that_look_across_words_are_shown_as_written(chosen, line, expected):
    shown = draw(line + "\n", chosen)
    assert f"+ {expected}" in shown
    assert real_output(line, chosen) == expected


# --- 3. decisions, not letters --------------------------------------------------------------


def test_decisions_are_marked_by_kind_and_plain_letters_stay_quiet():
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"preview-{os.getpid()}.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    try:
        code, out, err = run_cli("--diff", "--json", path)
    finally:
        path.unlink()
    assert code == 1
    records = [json.loads(line) for line in out.decode().splitlines()]
    by_word = {}
    for record in records:
        by_word.setdefault(record["word"], set()).add((record["kind"], record["id"]))
    assert by_word["маълумот"] == {("rule", "R5.3")}
    assert by_word["Объект"] == {("rule", "R5.2"), ("rule", "R2.ye")}
    assert by_word["сентябрда"] == {("exception", "exception")}
    assert ("capitals", "R9") in by_word["ШАҲАР"] and by_word["Ш"] == {("capitals", "R9")}
    assert by_word["Тoшкент"] == {("lookalike", "R0.2")}
    assert by_word["әлем"] == {("leftover", "")}
    assert by_word["Исҳоқ"] == {("rule", "R7")}
    assert "якунлари" not in by_word and "Ҳисобот" not in by_word  # plain letters: quiet
    lines = SAMPLE.split("\n")
    output = translit.to_latin(SAMPLE).split("\n")
    for record in records:  # the spans point at the decision on both sides
        start, end = record["span"]
        out_start, out_end = record["out_span"]
        assert lines[record["line"] - 1][start:end] == record["source"]
        assert output[record["line"] - 1][out_start:out_end] == record["latin"]
        if record["kind"] == "leftover":  # no table converts it: no place to name
            assert record["where"] == ""
        else:
            assert re.fullmatch(r"(rules|exceptions)\.tsv:\d+", record["where"]), record


def test_explain_puts_the_reason_under_the_word_in_words():
    shown = draw("Объект ва маъно\n", explain=True)
    assert ("Объект → Obyekt: ъ is dropped before е ё ю я after a consonant: the vowel carries "
            "the y (R5.2); е is ye at the start of a word, after a vowel, after ъ or ь (R2.ye)"
            in shown)
    assert "маъно → maʼno: ъ is the tutuq ʼ" in shown
    assert "ва → va" not in shown  # a plain word has no story


@pytest.mark.parametrize("chosen, plain, beside", [
    (translit.Options(), "Объект ва маълумот эълон сентябрда", " https://gov.uz/янги"),
    (translit.Options(target="cyrillic"), "Bu yerda maʼlumot eʼlon qilindi", " https://gov.uz"),
])
def test_a_line_read_whole_is_explained_word_by_word_as_any_line(chosen, plain, beside):
    """A line read whole (one with an address; every line to Cyrillic) is marked decision
    by decision, a letter each: its notes said "ъ → : ..." and "е → ye: ...", naming no
    word, left out a second word decided alike, and the summary and --json named parts
    of words (сентябр → sentabr)."""
    alone = draw(plain + "\n", chosen, explain=True)
    with_address = draw(plain + beside + "\n", chosen, explain=True)
    notes = [line.strip() for line in alone.splitlines() if " → " in line]
    assert len(notes) >= 3 and all(" → " in note.split(":")[0] for note in notes)
    assert [line.strip() for line in with_address.splitlines() if " → " in line] == notes
    transliterator = translit.get_transliterator(chosen)
    marker = Marker(transliterator)
    records = io.StringIO()
    for line in (plain, plain + beside):
        pairs = line_pairs(io.BytesIO((line + "\n").encode()), StreamConverter(transliterator))
        json_decisions("t.txt", pairs, marker, "utf-8", records)
    words = [json.loads(line)["word"] for line in records.getvalue().splitlines()]
    assert words[: len(words) // 2] == words[len(words) // 2:]
    assert set(words) <= set(plain.split())


# Text beside a span: letters of both scripts, apostrophes (between letters or not),
# combining marks, digits, "_", ASCII and other punctuation and spaces.
EDGE_TEXT = st.text(st.sampled_from("аъbQ'‘’\u0301\u0306 1_,.-!\t\u00a0«»—\x1b"),
                    max_size=8)


@settings(max_examples=1000)
@given(EDGE_TEXT, st.integers(0, 8), st.integers(0, 8))
@example("b'a", 0, 1)  # (an apostrophe between letters is inside a word)
@example("а\u0301", 0, 1)
def test_a_span_plainly_whole_is_its_words_own(text, start, end):
    """`_by_word`'s shortcut: a span whose edges `_plainly_whole` passes is what
    `_word_around` widens it to, so the mark is taken as it is."""
    from translit.preview import _plainly_whole, _word_around

    start = min(start, len(text))
    end = min(max(start, end), len(text))
    if _plainly_whole(text, start, end):
        assert _word_around(text, start, end) == (start, end)


def test_the_summary_names_whole_words_in_a_line_read_whole():
    transliterator = translit.get_transliterator()
    console = Console(width=100, color_system=None, file=io.StringIO())
    out = io.StringIO()
    preview = Preview(console, transliterator, out, layout="inline")
    text = "сентябрда әлемә\nсентябрда әлемә https://gov.uz\n"
    preview.file("t.txt", hunk_stream(line_pairs(io.BytesIO(text.encode()), StreamConverter())))
    preview.print_summary()
    summary = out.getvalue().split("─" * 100)[-1]
    assert "word exceptions: сентябрда → sentabrda ×2" in summary
    assert "letters left unconverted: әлемә → әlemә ×2" in summary


def test_the_summary_counts_decisions_and_lists_the_rare_words():
    transliterator = translit.get_transliterator()
    console = Console(width=100, color_system=None, file=io.StringIO())
    out = io.StringIO()
    preview = Preview(console, transliterator, out, layout="side")
    preview.file("t.txt", hunk_stream(line_pairs(io.BytesIO(SAMPLE.encode()), StreamConverter())))
    preview.print_summary()
    summary = out.getvalue().split("─" * 100)[-1]
    assert "1 of 1 file(s) would change, 4 line(s)" in summary
    assert "word exceptions: сентябрда → sentabrda ×1" in summary
    assert "look-alike letters read as Cyrillic: Тoшкент → Toshkent ×1" in summary
    assert "letters left unconverted: әлем → әlem ×1" in summary
    assert re.search(r"decisions: .*context rules \d+", summary.replace("\n  ", " "))
    assert "R2.e " not in summary  # the usual е → e is not a decision


def test_every_rule_id_is_in_readme():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for rule in translit.tables.rules.load_rule_table().rules:
        if rule.mark:
            assert f"`{rule.id}`" in readme, rule.id


# --- 5. layouts -----------------------------------------------------------------------------


def test_unified_layout_is_the_unified_diff_in_colour(tmp_path):
    source = tmp_path / "r.txt"
    source.write_text(SAMPLE, encoding="utf-8")
    plain = subprocess.run([*COMMAND, "--diff", str(source)], capture_output=True, timeout=60)
    coloured = subprocess.run([*COMMAND, "--diff", "--layout", "unified", "--no-pager",
                               str(source)], capture_output=True, timeout=60,
                              env={**os.environ, "FORCE_COLOR": "1", "COLUMNS": "200"})
    assert coloured.returncode == plain.returncode == 1
    body = ANSI.sub("", coloured.stdout.decode())
    diff_lines = [line for line in plain.stdout.decode().splitlines()[2:]]
    shown = [line for line in body.splitlines()[2:] if line[:1] in "-+ @"
             and not line.startswith("──")]
    assert shown[: len(diff_lines)] == diff_lines
    assert "\x1b[" in coloured.stdout.decode()


def test_word_diff_layout():
    shown = draw("Объект ва маъно\n", layout="word-diff")
    assert "[-Объект-]{+Obyekt+} [-ва-]{+va+} [-маъно-]{+maʼno+}" in shown


def test_color_never_still_marks_changed_lines():
    shown = draw("бир\nLatin\n", layout="side", width=120)
    lines = shown.splitlines()
    assert "\x1b[" not in shown
    assert re.match(r" *1 ~ бир +│ bir", lines[2]) and re.match(r" *2 │ Latin +│ Latin", lines[3])


C1_CONTROLS = "".join(map(chr, range(0x80, 0xA0)))  # U+009B is CSI, U+009D OSC ...


@pytest.mark.timeout(60)
@pytest.mark.parametrize("layout", ["side", "inline", "word-diff", "unified"])
def test_c1_control_characters_are_shown_as_symbols_and_keep_the_columns(layout, tmp_path):
    """A terminal may read U+009B as CSI (ESC [), as xterm does: a file's C1 controls are
    shown as a symbol of one cell, like its C0 controls, and the columns stay in line."""
    text = f"шаҳар \x9b31m қизил \x9d0;title\x9c ўқиш {C1_CONTROLS}\nмаъно\n"
    shown = draw(text, layout=layout, width=120)
    assert not set(C1_CONTROLS) & set(shown)
    assert "31m" in shown and "0;title" in shown  # the rest is shown as it is
    if layout == "side":
        columns = {line.index("│", 5) for line in shown.splitlines() if " ~ " in line}
        assert len(columns) == 1
    # a file's name too, in a real terminal
    from test_cli import run_in_terminal

    name = write(tmp_path / "c1\x9b31m.txt", "шаҳар\n")
    status, terminal = run_in_terminal(["--diff", "--layout", layout, name])
    assert status == 1 and "\x9b" not in terminal and "31m.txt" in terminal


@pytest.mark.timeout(60)
@pytest.mark.parametrize("layout", ["side", "unified"])
def test_a_file_s_name_in_the_preview_shows_the_marks_of_bidirectional_text_as_escapes(
        layout, tmp_path):
    """A right-to-left override in a name turned the rest of the preview's header around
    (gone\u202etxt.exe and its rule read as a rule and "exe.txt"), as it did in messages,
    which show it as an escape."""
    from test_cli import run_in_terminal

    name = write(tmp_path / "gone\u202etxt.exe\u2066", "шаҳар\n")
    status, terminal = run_in_terminal(["--diff", "--layout", layout, name])
    assert status == 1
    assert "\u202e" not in terminal and "\u2066" not in terminal
    assert "gone\\u202etxt.exe\\u2066" in terminal


@pytest.mark.parametrize("width", [20, 24, 30, 39, 80])
@pytest.mark.parametrize("layout", ["side", "inline"])
def test_a_narrow_terminal_gets_rows_that_fit_it(layout, width):
    """A narrow pane (a split tmux window, a phone) is drawn to its width: a row wider
    than the terminal is wrapped by it, and the columns and indents are lost."""
    from rich.cells import cell_len

    transliterator = translit.get_transliterator()
    console = Console(width=width, color_system=None, force_terminal=False, file=io.StringIO())
    out = io.StringIO()
    preview = Preview(console, transliterator, out, layout=layout, explain=True)
    pairs = line_pairs(io.BytesIO(SAMPLE.encode()), StreamConverter(transliterator),
                       max_line_bytes=DISPLAY_BYTES)
    preview.file("t.txt", hunk_stream(pairs, 2))
    preview.print_summary()
    shown = out.getvalue()
    assert "Hisob" in shown and "rules:" in shown
    assert max(map(cell_len, shown.splitlines())) <= width


@pytest.mark.timeout(60)
def test_a_columns_wider_than_any_screen_draws_to_the_widest_width(tmp_path):
    """COLUMNS=100000000000 drew the file's rule that wide: an internal error (MemoryError)."""
    source = write(tmp_path / "a.txt", "Шаҳар\n")
    shown = subprocess.run([sys.executable, "-m", "translit", "--diff", "--no-pager", source],
                           capture_output=True, text=True, timeout=60,
                           env={"PATH": os.environ["PATH"], "COLUMNS": "100000000000",
                                "FORCE_COLOR": "1"})
    assert shown.returncode == 1 and shown.stderr == ""
    assert "Shahar" in shown.stdout
    assert max(map(len, shown.stdout.splitlines())) < 5000


def test_a_long_unchanged_line_is_wrapped_under_its_text_in_the_inline_layout():
    shown = draw("шаҳар\n" + "Latin words " * 20 + "\n", width=80)
    rows = shown.splitlines()[4:]
    assert rows[0].startswith("   2   Latin words") and len(rows) > 2
    assert all(len(row) <= 80 and row.startswith(" " * 7 + "Latin") for row in rows[1:])


WRAPPED = ("Бу ерда маъно бор, эълон ва сўз. Шаҳар ичида катта боғ бор, у ерда гул ва дарахт "
           "кўп. Объект ва маъно.\n"
           "漢字 маъно 東京 шаҳар 漢字 эълон 東京 сўз 漢字 боғ 東京 гул 漢字 ерда 東京 маъно 漢字 кўп\n")


@pytest.mark.parametrize("layout, width", [  # (a column wide enough to cut at spaces only)
    *(("inline", width) for width in range(40, 100, 7)),
    *(("side", width) for width in range(60, 160, 11))])
def test_a_wrapped_line_neither_ends_nor_starts_a_row_with_its_space(layout, width):
    """A line is wrapped at a space, which is shown at neither end of a row: a row that
    began with it was a cell out of line with the rows under it, and a row that ended
    with it left trailing white space in a saved preview."""
    from rich.cells import cell_len

    shown = draw(WRAPPED, layout=layout, width=width, explain=True)
    rows = shown.splitlines()
    # (a row whose right-hand side has ended ends with the bar and its space)
    assert all(row.removesuffix(" │ ") == row.removesuffix(" │ ").rstrip(" ")
               and cell_len(row) <= width for row in rows), rows
    for number, line in enumerate(WRAPPED.splitlines(), 1):
        if layout == "inline":  # the input's rows: from "N - " to the "+" row
            first = next(i for i, row in enumerate(rows) if row.startswith(f"{number:4} - "))
            end = next(i for i in range(first, len(rows)) if rows[i].startswith("     + "))
            texts = [row[7:] for row in rows[first:end]]
        else:  # the left column of the rows of line N
            first = next(i for i, row in enumerate(rows) if row.startswith(f"{number:4} ~ "))
            texts = []
            for row in rows[first:]:
                if texts and not row.startswith("     ~ "):
                    break
                texts.append(row[7:row.index(" │ ")].rstrip(" "))
        assert " ".join(filter(None, texts)) == line, texts  # (the left side may end first)
    for note in (row for row in rows if "→" in row or "(R" in row):  # 7 cells in, 2 more after
        assert len(note) - len(note.lstrip(" ")) in (7, 9), note


@settings(max_examples=500)
@given(st.lists(st.sampled_from([" ", "a", "ш", "漢", "\u0301", "\u200b", "👨\u200d👩", "⇥"]),
                max_size=60).map("".join), st.integers(2, 30))
@example("а  ", 2)  # a space that ends the text ends its row, with no empty row after it
@example(" ́a\u200b漢", 2)  # what follows a space, and a wide letter, in a column of 2
def test_every_row_fits_and_only_the_spaces_wrapped_at_are_left_out(text, width):
    from rich.cells import cell_len

    from translit.preview import _row_ends

    rows = _row_ends(text, width)
    assert all(cell_len(text[start:end]) <= width for start, end in rows), rows
    gaps = [text[end:start] for (_, end), (start, _) in itertools.pairwise(rows)]
    assert all(gap in ("", " ") for gap in gaps), rows
    assert rows[0][0] == 0 and text[rows[-1][1]:] in ("", " ")
    assert rows[-1][0] < rows[-1][1] or len(rows) == 1, rows  # no empty last row


def test_long_lines_are_shown_in_part_and_say_so():
    text = "сўз " * 100_000 + "\nохир\n"  # an 800 KB line
    shown = draw(text, width=120)
    assert "… the line goes on:" in shown and "more bytes, shown in part" in shown
    assert "+ oxir" in shown
    assert len(shown) < 300_000


# --- 2. streaming ---------------------------------------------------------------------------


def test_the_first_screen_comes_while_the_input_is_still_being_written(tmp_path):
    from conftest import pseudo_terminal

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    leader, follower = pseudo_terminal(50, 120)
    env = {**os.environ, "TERM": "xterm-256color", "PAGER": "cat"}
    process = subprocess.Popen([*COMMAND, "--diff", str(fifo)], stdout=follower,
                               stderr=subprocess.DEVNULL, stdin=follower, env=env)
    os.close(follower)
    writer = open(fifo, "wb")
    try:
        writer.write(("Ўзбекистон маъно\n" * 2000).encode())
        writer.flush()
        seen, deadline = b"", time.monotonic() + 20
        while "maʼno".encode() not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                seen += os.read(leader, 65536)
        assert "maʼno".encode() in seen  # shown before the input ended
        assert process.poll() is None
    finally:
        writer.close()
        try:
            while os.read(leader, 65536):
                pass
        except OSError:
            pass
        os.close(leader)
        process.wait(30)


def test_usage_json_and_pager_options_need_diff():
    for option in (["--json"], ["--no-pager"], ["--pager", "cat"]):
        code, out, err = run_cli(*option, "-")
        assert code == 2
        assert err.decode() == f"translit: {option[0]} only goes with --diff\n"


@given(st.lists(st.booleans(), max_size=60), st.integers(0, 5))
def test_the_streamed_hunks_are_the_hunks_of_diff_u(changes, context):
    from translit.diff import HunkStart, LinePair, hunks

    pairs = [LinePair(i + 1, b"x", b"y" if changed else b"x") for i, changed in enumerate(changes)]
    expected = []
    for hunk in hunks(pairs, context):
        expected += [HunkStart(hunk.start), *hunk.lines]
    assert list(hunk_stream(pairs, context)) == expected


@settings(max_examples=500)
@given(options, st.one_of(context_text, mixed_text, cross_word_text))
@example(translit.Options(), "Ç")  # a 2026 letter respelled (Ch) is a decision too
@example(translit.Options(target="latin2026"), "Ishoq")
# A capital digraph before a kept span that starts with a small Latin letter: the engine
# sees no small letter after it (the span is kept), so Ч is a capitals decision (with
# look-alikes off, no other trigger finds the Latin letters).
@example(translit.Options(capitals="upper", lookalikes=False), "Чhttps://gov.uz/янги")
@example(translit.Options(capitals="upper", lookalikes=False), "Чwww.gov.uz")
def test_the_decision_trigger_misses_no_decision(chosen, text):
    transliterator = translit.get_transliterator(chosen)
    from translit.engine.reference import DECISIONS

    decided = [p for p in transliterator.explain(text)
               if p.kind in DECISIONS and p.kind not in ("exception", "ordinal")]
    if decided:  # the preview looks where its triggers point
        assert Marker(transliterator).triggered(text), decided


@settings(max_examples=300)
@given(options, st.one_of(context_text, mixed_text, cross_word_text))
@example(translit.Options(capitals="upper", lookalikes=False), "Чhttps://gov.uz/янги")
@example(translit.Options(capitals="upper", lookalikes=False), "Ш kun.uz Чwww.gov.uz")
@example(translit.Options(apostrophe="ascii", lookalikes=False), "Исҳоқ")  # Is'hoq: one word
@example(translit.Options(apostrophe="ascii", lookalikes=False), "сентябрў")  # sentabro'
@example(translit.Options(), "D\u0301ЎA")  # a combining mark is part of the word
@example(translit.Options(ordinal_dates=True, lookalikes=False), "ъ1995 йил")  # across words
@example(translit.Options(typed_apostrophes=True), "'' ш")  # a hit before the first word
def test_the_preview_marks_every_decision_of_a_line(chosen, text):
    from translit.engine.reference import DECISIONS

    transliterator = translit.get_transliterator(chosen)
    marker = Marker(transliterator)
    for line in text.split("\n"):
        decided = [p.span[0] for p in transliterator.explain(line) if p.kind in DECISIONS]
        marks = marker.marks(line, transliterator.convert(line))
        assert marks is not None
        marked = [m for m in marks if any(m.start <= at < m.end for at in decided)]
        assert all(any(m.start <= at < m.end for m in marks) for at in decided), (decided, marks)
        assert marked == marks  # and nothing else


ADDRESSES = st.sampled_from(["https://gov.uz/янги", "www.kun.uz", "Чwww.gov.uz",
                             "https://kun.uz/news/2025/11/27", "info@gov.uz", "kun.uz"])


@settings(max_examples=400)
@given(options, st.lists(st.one_of(context_text, mixed_text, ADDRESSES), min_size=1,
                         max_size=6), st.sampled_from(["", " ", ", ", "\u00a0"]))
@example(translit.Options(capitals="upper", lookalikes=False), ["Ш", "kun.uz", "Чwww.gov.uz"], " ")
@example(translit.Options(capitals="upper", lookalikes=False), ["Ч", "https://gov.uz/янги"], "")
@example(translit.Options(), ["Сентябрь", "www.kun.uz", "ЦИРК", "сентябрў"], " ")
# (a random draw, 2026-12-06: G’ is Ğ in the line, but G read alone is unchanged)
@example(translit.Options(target="latin2026", lookalikes=False), ["https://gov.uz/янги", " G’"], "")
def test_a_line_with_kept_spans_is_marked_as_when_it_is_read_whole(chosen, parts, gap):
    """Issue 23: a line with an address (a kept span) is marked part by part between its
    kept spans, word by word, no longer by explaining the whole line letter by letter;
    its marks are those of the line read whole, one for each decision."""
    transliterator = translit.get_transliterator(chosen)
    marker = Marker(transliterator)
    for line in gap.join(parts).split("\n"):
        after = transliterator.convert(line)
        if transliterator.orthography.kept_spans(line):
            assert marker.marks(line, after) == marker._whole_line(line, after)


@pytest.mark.parametrize("line", ["tog’", "baland tog’", "G’"])
def test_a_word_whose_apostrophe_is_its_letter_is_marked(line):
    # The preview explains the words a trigger points at, each alone, as the splitter cuts
    # them: tog’ is the word tog and an apostrophe, and tog alone is unchanged, so the
    # respelling to toğ went unmarked. A word whose output in the line is not its
    # output alone sends the line to be read whole.
    transliterator = translit.get_transliterator(translit.Options(target="latin2026"))
    marker = Marker(transliterator)
    after = transliterator.convert(line)
    marks = marker.marks(line, after)
    assert marks == marker._whole_line(line, after)
    assert [after[m.out_start:m.out_end] for m in marks or ()] == ["ğ" if "g" in line else "Ğ"]


CYRILLIC_LINES = [
    "Open the file and save it. Sentabr oyida film Windows ekranida",
    "Bu 'Xato' emas: config.yaml faylini org.gnome.Shell ichida --verbose bilan",
    "Batafsil: https://kun.uz/news/2025/11/27 (manba), Wi-Fi va Hi-Tech parki, %s va {0}",
    "MAʼNO, taʼlim, Erdoʻgʻan, Toshkent-Samarqand 2020-yil, yO, Маттиас Hölzer-Klüpfel",
    "AQSh, OʻzMU va iPhone; Node.js, Python 3.12, e-mail",
]


@pytest.mark.parametrize("line", CYRILLIC_LINES)
def test_the_preview_to_cyrillic_reads_a_line_token_by_token(monkeypatch, line):
    # To Cyrillic a line is one decision, so the preview explained every changed line
    # whole, every word decided again, letter by letter: 35 times the time per byte of the
    # preview to Latin. Its decisions are now read token by token (each distinct token
    # once), the same marks as the line explained whole.
    transliterator = translit.get_transliterator(translit.Options(target="cyrillic"))
    marker = Marker(transliterator)
    after = transliterator.convert(line)
    whole = marker._whole_line(line, after)
    explained: list[str] = []
    real_explain = transliterator.explain
    monkeypatch.setattr(transliterator, "explain",
                        lambda text: (explained.append(text), real_explain(text))[1])
    assert marker.marks(line, after) == whole
    assert whole  # (every line has decisions to mark)
    # (a token with a kept span in it, an address or a placeholder: the line is read whole)
    assert explained == ([] if "https://" not in line else [line])


@pytest.mark.parametrize(("before", "after"), [
    ('"save": "Saqlash",', '"save": "Сақлаш",'),  # a JSON key, kept Latin by the format
    ("Windows⇥zero width", "Windows⇥зеро width"),  # a tab, shown as ⇥ on both sides
])
def test_the_preview_to_cyrillic_marks_no_words_of_a_line_that_is_not_its_conversion(
        before, after):
    # The token way read each token's output alone, so a line whose output is not the
    # conversion of its input (a format keeps part of it) was given marks, with reasons
    # that are wrong ("save": a word of a foreign phrase); explained whole, such a line has
    # no marks (its words do not pair up). Found by a review of the change.
    transliterator = translit.get_transliterator(translit.Options(target="cyrillic"))
    marker = Marker(transliterator)
    assert transliterator.convert(before) != after
    assert marker.marks(before, after) is None
    assert marker._whole_line(before, after) is None


@pytest.mark.timeout(120)
def test_the_preview_to_cyrillic_of_a_long_line_with_many_kept_spans_takes_linear_time():
    # Each token of the line was looked for among all its kept spans: 26 s for this line.
    code = ("import sys, translit\n"
            "from translit.preview import Marker\n"
            "t = translit.get_transliterator(translit.Options(target='cyrillic'))\n"
            "line = 'Sentabr shahar ' * 20000 + '%s ' * 20000\n"
            "marks = Marker(t).marks(line, t.convert(line))\n"
            "sys.stdout.write(str(len(marks)))\n")
    assert output_within_cpu(code) == "20000"  # a mark for each Sentabr (a word of the lexicon)


def test_a_line_with_an_address_is_not_explained_letter_by_letter(monkeypatch):
    """Issue 23: explaining every letter of the lines with an address was a quarter of the
    whole preview's work on make_corpus.py text; only the words a trigger points at are."""
    transliterator = translit.get_transliterator(translit.Options())
    marker = Marker(transliterator)
    explained: list[str] = []
    real_explain = transliterator.explain
    monkeypatch.setattr(transliterator, "explain",
                        lambda text: (explained.append(text), real_explain(text))[1])
    line = "Батафсил: https://kun.uz/news/2025/11/27 Сентябрь ойида цирк очилди.\n"
    marks = marker.marks(line, transliterator.convert(line))
    assert explained == []
    assert [m.word(line) for m in marks] == ["Сентябр", "ь", "ц"]  # a mark for each decision


@settings(max_examples=300)
@given(options, st.one_of(context_text, mixed_text, cross_word_text))
def test_decisions_are_the_decision_pieces_of_explain(chosen, text):
    from translit.engine.reference import DECISIONS

    transliterator = translit.get_transliterator(chosen)
    expected = [p for p in transliterator.explain(text) if p.kind in DECISIONS]
    assert transliterator.decisions(text) == expected


def test_the_right_hand_column_of_the_side_layout_is_the_real_output():
    text = SAMPLE + "ма'но 1995 йил\n"
    for chosen in (translit.Options(), translit.Options(typed_apostrophes=True,
                                                        ordinal_dates=True)):
        shown = draw(text, chosen, layout="side", width=1000)
        right = [line.rsplit(" │ ", 1)[1] for line in shown.splitlines() if " │ " in line]
        assert right == [printable(line) for line in real_output(text, chosen).split("\n")[:-1]]


def test_a_users_exception_file_in_a_folder_with_spaces_is_named_in_the_notes(tmp_path):
    folder = tmp_path / "my words"
    folder.mkdir()
    mine = folder / "names.tsv"
    mine.write_text("тошкент\tTashkent\tword\n", encoding="utf-8")
    shown = draw("Тошкент шаҳри\n", translit.Options(exceptions=(mine,)), explain=True)
    assert f"Тошкент → Tashkent: a word exception ({mine}:1)" in shown


def test_quitting_the_pager_early_ends_quietly_with_the_diff_status(tmp_path):
    from test_cli import run_in_terminal

    source = tmp_path / "long.txt"
    source.write_text("сатр маъно\n" * 20_000, encoding="utf-8")
    quitter = tmp_path / "pager.sh"
    quitter.write_text("#!/bin/sh\nhead -n 5 > /dev/null\n")  # reads a little, then quits
    quitter.chmod(0o755)
    status, shown = run_in_terminal(["--diff", source], env={"PAGER": str(quitter)}, rows=20,
                                    stdin_too=True)
    assert status == 1
    assert "Traceback" not in shown and "Broken pipe" not in shown


def test_a_last_line_that_converts_to_nothing_is_still_shown():
    assert "+ \n" in draw("ь") or draw("ь").rstrip().endswith("+")
    from translit.diff import hunks

    pairs = list(line_pairs(io.BytesIO("бир\nь".encode()), StreamConverter()))
    assert [(p.before, p.after) for p in pairs] == [("бир\n".encode(), b"bir\n"),
                                                    ("ь".encode(), b"")]
    assert sum(len(h.lines) for h in hunks(pairs)) == 2


# --- 7. a large file drawn on worker processes (issue 23) ------------------------------------


def _cyrillic_number(number: int) -> str:
    """A different run of Cyrillic letters for each number."""
    letters = "бвгдзклмнпрст"
    word = ""
    while True:
        number, digit = divmod(number, len(letters))
        word += letters[digit]
        if not number:
            return word


def _drawn(text: str, layout: str, explain: bool, jobs: int) -> tuple[str, bool]:
    """The preview of `text` and its summary, with `jobs` workers; whether any was started."""
    from translit.files.parallel import Workers

    transliterator = translit.get_transliterator()
    console = Console(width=120, color_system="truecolor", force_terminal=True,
                      file=io.StringIO())
    out = io.StringIO()
    started = []

    def start(function):
        started.append(True)
        return Workers(function, jobs)

    preview = Preview(console, transliterator, out, layout=layout, explain=explain,
                      start_workers=start, jobs=jobs)
    try:
        for name in ("one.txt", "two.txt"):  # the workers serve the second file too
            pairs = line_pairs(io.BytesIO(text.encode()), StreamConverter(transliterator),
                               max_line_bytes=DISPLAY_BYTES)
            preview.show(name, pairs, "utf-8", regular=True)
        preview.close()
    finally:
        preview.stop()
    preview.print_summary()
    return out.getvalue(), bool(started)


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("layout", "explain"), [("side", False), ("inline", True),
                                                 ("word-diff", False)])
def test_a_large_file_drawn_on_workers_is_the_same_text_and_summary(monkeypatch, layout,
                                                                    explain):
    """Batches drawn by worker processes and written in order give the preview drawn here,
    byte for byte, summary included: also where the summary's list of words is full (its
    limit applied as the batches are added up, in order), with unchanged lines between."""
    import translit.preview as preview_module
    from translit.files import parallel

    monkeypatch.setattr(preview_module, "DRAWN_HERE", 600)
    monkeypatch.setattr(preview_module, "BATCH_BYTES", 1500)
    monkeypatch.setattr(preview_module, "SUMMARY_WORDS", 7)
    lines = []
    for number in range(400):
        word = _cyrillic_number(number)
        # A word kept early comes back now and then after many new ones in a batch.
        again = " Тoшкент" if number % 19 == 1 else ""
        lines.append(f"Тoш{word} ә{word} сентябрда Объект {number}, {word}{again}\n"
                     if number % 5 else "Latin only\n" * (number % 7))
    text = "".join(lines)
    drawn_here, started = _drawn(text, layout, explain, jobs=1)
    assert not started
    drawn_on_workers, started = _drawn(text, layout, explain, jobs=2)
    assert started
    assert drawn_on_workers == drawn_here
    assert "(and " in drawn_here and "more of other words, not kept" in drawn_here
    assert not parallel.LIVE  # every worker ended and was reaped


def test_a_workers_text_comes_back_as_utf8_and_is_written_as_it_is_where_the_output_takes_it():
    """A worker sends its lines encoded (the parent neither decodes nor encodes them
    again); the output writes them after what its text layer holds, and decodes them where
    it is not a stream of UTF-8 (a Latin-1 terminal) or holds lines to count the screen."""
    from translit.preview import PagedOutput

    console = Console(width=120, color_system="truecolor", force_terminal=True,
                      file=io.StringIO())
    preview = Preview(console, translit.get_transliterator(), io.StringIO(), layout="side")
    pairs = list(line_pairs(io.BytesIO("маъно\nкитоб\n".encode()), StreamConverter()))
    steps = [("header", "a.txt"), ("hunk", 1), *(("pair", pair, 4) for pair in pairs)]
    drawn, _ = preview._draw_batch(Batch.of("utf-8", steps))
    assert isinstance(drawn, bytes)
    expected = "".join(line + "\n" for step in steps for line in preview._draw(step))
    assert drawn.decode("utf-8") == expected
    # a name that UTF-8 cannot encode (a file name's byte kept as a surrogate): as text
    drawn, _ = preview._draw_batch(Batch.of("utf-8", [("header", "caf\udce9.txt")]))
    assert isinstance(drawn, str) and "caf\udce9.txt" in drawn

    for encoding, written in (("utf-8", "→ маъно\n".encode()), ("latin-1", b"? ?????\n")):
        raw = io.BytesIO()
        file = io.TextIOWrapper(raw, encoding=encoding, errors="replace")
        out = PagedOutput(console, None, file=file)
        out.write("→ ")  # held by the text layer until the bytes are written
        out.write_utf8("маъно\n".encode())
        out.flush()
        assert raw.getvalue() == written
    held = PagedOutput(console, None, file=io.StringIO())
    held.held = []  # (as when a pager waits for a screenful)
    held.write_utf8("маъно\n".encode())
    assert held.held == ["маъно\n"] and held.rows == 1


def test_a_batch_drawn_by_the_parent_is_a_workers_and_leaves_the_parent_s_summary():
    """Between the workers' answers the parent draws batches itself (`_draw_here`): the
    text and counts a worker would send, and its own summary as it was."""
    def preview() -> Preview:
        console = Console(width=120, color_system="truecolor", force_terminal=True,
                          file=io.StringIO())
        return Preview(console, translit.get_transliterator(), io.StringIO(), layout="side",
                       explain=True)

    pairs = list(line_pairs(io.BytesIO("маъно Тoшкент\nкитоб\nәлем сентябрда\n".encode()),
                            StreamConverter()))
    steps = [("header", "a.txt"), ("hunk", 1), *(("pair", pair, 4) for pair in pairs)]
    parent = preview()
    parent.summary.lines_changed = 7  # (what the parent counted before)
    summary = parent.summary
    drawn, counted = parent._draw_here(Batch.of("utf-8", steps))
    assert parent.summary is summary and summary.lines_changed == 7
    assert parent.summary.kinds == {}
    assert (drawn, counted) == preview()._draw_batch(Batch.of("utf-8", steps))
    assert counted.lines_changed == 3 and counted.kinds["lookalike"] == 1


def test_a_line_pair_sent_to_a_worker_comes_back_the_same():
    import pickle

    from translit.diff import LinePair

    for pair in (LinePair(3, "маъно\n".encode(), "maʼno\n".encode()),
                 LinePair(4, b"a" * 10, b"a" * 10, 5, 6, True),
                 LinePair(5, b"x", b"x", 0, 0, False)):
        again = pickle.loads(pickle.dumps(pair, pickle.HIGHEST_PROTOCOL))
        assert again == pair and type(again) is LinePair and again.changed == pair.changed
    assert b"omitted_before" not in pickle.dumps(LinePair(3, b"a", b"b"))  # (its fields alone)


def _running(pid: str) -> bool:
    """Whether process `pid` exists and is not a zombie (ended, waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


@pytest.mark.timeout(60)
def test_ctrl_c_ends_a_preview_drawn_on_workers_and_every_worker(tmp_path):
    """Ctrl-C while workers draw (the output blocked: nobody reads it): exit 130, and no
    worker outlives the command."""
    import signal

    (tmp_path / "big.txt").write_text("Ўзбекистон маъно сентябрда\n" * 400_000,
                                      encoding="utf-8")
    process = subprocess.Popen([*COMMAND, "--diff", "--color", "always", "--no-pager",
                                "big.txt"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        deadline = time.monotonic() + 30
        workers: list[str] = []
        while len(workers) < 2:  # the workers are started once the output is written
            assert time.monotonic() < deadline, "no workers were started"
            assert process.stdout is not None
            os.read(process.stdout.fileno(), 65536)
            workers = children.read_text().split()
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 130
        deadline = time.monotonic() + 10
        while [pid for pid in workers if _running(pid)]:
            assert time.monotonic() < deadline, f"workers {workers} outlived the command"
            time.sleep(0.01)
    finally:
        process.kill()
        process.wait()


@pytest.mark.timeout(120)
def test_a_file_that_fails_while_workers_draw_it_leaves_the_next_file_whole(tmp_path):
    """A file that cannot be read to its end (a byte that is not UTF-8 after its first
    256 KB) is reported, and what the workers were drawing of it is written before the
    error, never into the next file's preview: the same text, summary and error as one
    process gives."""
    lines = "".join(f"Аааа сентябрь {number} ўзбек\n" for number in range(40_000))
    (tmp_path / "a.txt").write_bytes(lines.encode() + b"\xff bad\n" + b"tail\n" * 10)
    (tmp_path / "b.txt").write_text("".join(f"Бббб объект {number} маъно\n"
                                            for number in range(40_000)), encoding="utf-8")
    runs = [subprocess.run([*COMMAND, "--diff", "--color", "never", "--layout", "inline",
                            "--no-pager", "--jobs", jobs, "a.txt", "b.txt"], cwd=tmp_path,
                           capture_output=True, stdin=subprocess.DEVNULL, timeout=100)
            for jobs in ("1", "2")]
    one, two = runs
    assert one.returncode == two.returncode == 2
    assert b"a.txt" in one.stderr and two.stderr == one.stderr
    assert two.stdout == one.stdout
    assert two.stdout.count(b" + Bbbb obyekt ") == 40_000  # the next file whole


_STEP = st.one_of(
    st.tuples(st.just("header"), st.text(max_size=5)),
    st.tuples(st.just("hunk"), st.integers(1, 10 ** 6)),
    st.builds(lambda pair, width: ("pair", pair, width), st.one_of(
        st.builds(LinePair, st.integers(1, 10 ** 9), st.binary(max_size=6), st.binary(max_size=6)),
        st.builds(LinePair, st.integers(1, 10 ** 9), st.binary(max_size=6), st.binary(max_size=6),
                  st.integers(0, 9), st.integers(0, 9), st.sampled_from([None, True, False]))),
        st.integers(4, 10)))


@settings(max_examples=300, deadline=None)
@given(st.lists(_STEP, max_size=12))
def test_a_batch_sent_to_a_worker_gives_back_its_steps(steps):
    """Sent in columns (`Batch`), pickled as a worker gets it: the same steps, in order,
    each line pair a LinePair with all its fields."""
    import pickle

    batch = pickle.loads(pickle.dumps(Batch.of("utf-8", steps), pickle.HIGHEST_PROTOCOL))
    again = batch.steps()
    assert again == steps
    assert [type(step[1]) for step in again if step[0] == "pair"] == [
        LinePair for step in steps if step[0] == "pair"]
    assert [step[1].changed for step in again if step[0] == "pair"] == [
        step[1].changed for step in steps if step[0] == "pair"]
