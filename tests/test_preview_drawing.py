"""The preview's compiled loops (translit/preview/_drawing.c) draw what the Python ones draw.

The preview finds the words its triggers point at, and draws a changed line side by side,
in one compiled loop each where the module is built (issue 23: these loops were most of a
large preview's time). Each is held here to its Python definition, which stays the
reference and the fallback (TRANSLIT_PURE=1, or no compiler at install).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console

import translit
from strategies import context_text, cross_word_text, mixed_text, options
from translit.diff import LinePair
from translit.engine.fastpath import WORD_CLASS
from translit.preview import (_PLAIN_WORDS, _WORDS, MARKED, STYLES, Mark, Marker, Painter, Preview,
                              _drawing, _trigger_table)

pytestmark = pytest.mark.skipif(_drawing is None, reason="the compiled preview was not built "
                                "(tests/test_preview_drawing.py::test_it_is_built_here fails then)")


def test_it_is_built_here():
    """CI builds it (a C compiler is there): the tests below then always run."""
    import sysconfig

    assert _drawing is not None or not sysconfig.get_config_var("CC")


# Letters of both scripts, digits, "_", the apostrophes a word may hold, numbers that are
# word characters to re (², ½), spaces and punctuation, a wide letter.
CHARS = st.sampled_from(list("ащЎҚAbz019_'‘’²½ ,.-–:\u00a0漢ʻ"))
TEXT = st.lists(CHARS, max_size=40).map("".join)


def test_a_word_character_is_what_the_python_pattern_reads_as_one():
    """Every code point: the compiled loop's word character is _PLAIN_WORDS's."""
    word_pairs = _drawing.word_pairs
    differ = [code for code in range(0x110000)
              if (word_pairs(chr(code), 1, chr(code), [0]) == [(0, 1, 0, 1)])
              != (_PLAIN_WORDS.fullmatch(chr(code)) is not None)]
    assert differ == []


def test_the_word_class_of_the_triggers_is_fastpaths():
    """Every code point: a context of the word class (ц before a letter) reads it as
    fastpath.WORD_CLASS does (letters, combining marks, the fast engine's stand-ins)."""
    from translit.engine.fastpath import LocalTriggers

    table = _trigger_table(_drawing, LocalTriggers(
        (("ц", None, (None, False)),), frozenset(), frozenset(), frozenset()))
    word = re.compile(WORD_CLASS)
    differ = [code for code in range(0x110000)
              if (_drawing.trigger_hits(table, "ц" + chr(code)) == [0])
              != (word.fullmatch(chr(code)) is not None)]
    assert differ == []


# Text for the triggers: every letter of the Cyrillic blocks and of both Latin alphabets,
# the fast engine's stand-ins, a kept span's mark, apostrophes, combining marks, and
# stems the respelling knows.
TRIGGER_CHARS = st.one_of(st.characters(min_codepoint=0x400, max_codepoint=0x52F),
                          st.sampled_from(list("AaBbIiMmSsHhçöğşșÇÖĞŞ'’ʻ ,.-1\ufffc\u0301"
                                               "\ud800\ud828\ud8ff")))
TRIGGER_TEXT = st.one_of(st.lists(TRIGGER_CHARS, max_size=30).map("".join),
                         st.sampled_from(["Ishoq", "ishoq ma'no", "mushaf", "ЦИРК"]))


@settings(max_examples=700)
@given(options, st.one_of(context_text, mixed_text, cross_word_text, TRIGGER_TEXT))
@example(translit.Options(), "Ç")
@example(translit.Options(target="latin2026"), "Ishoq")
@example(translit.Options(), "Цирк ЦИРК Ёлка ёЁ Съезд объект")
# (the respelling's trigger ignores case: ſ is an s to it, ı an i, and its quick look too)
@example(translit.Options(target="latin2026"), "muſhaf")
@example(translit.Options(), "Iſhoq ıshoq")
@example(translit.Options(target="latin2026"), "ıshoq \u212a")
def test_the_compiled_triggers_find_what_the_regular_expressions_find(chosen, text):
    """The rule table's triggers in the compiled loop, and the others behind their quick
    looks, find what every trigger's regular expression finds."""
    transliterator = translit.get_transliterator(chosen)
    marker = Marker(transliterator)
    everywhere = {m.start() for pattern in transliterator.decision_triggers
                  for m in pattern.finditer(text)}
    assert marker.trigger_table is not None or transliterator.trigger_parts[0] is None
    assert marker.triggered(text, []) == everywhere
    local, rest = transliterator.trigger_parts
    expected = [*(local.patterns() if local else ()), *(t.pattern.pattern for t in rest)]
    assert expected == [pattern.pattern for pattern in transliterator.decision_triggers]


def _both_ways(marker: Marker, before: str, after: str, hits: set[int]):
    compiled = marker._hit_words(before, after, set(hits), True)
    marker.compiled = None
    try:
        return compiled, marker._hit_words(before, after, set(hits), True)
    finally:
        marker.compiled = _drawing


@settings(max_examples=1500)
@given(st.lists(st.tuples(TEXT, st.sampled_from(["", "x", "shch", "ʼ", "'"])), min_size=1,
                max_size=8), st.data())
@example([("Is'hoq, 2 ta so'z", "")], None)
def test_the_words_pointed_at_are_found_as_the_python_split_finds_them(parts, data):
    """`after` is mostly `before` with its words changed (the gaps kept), as a conversion
    changes them; sometimes another text."""
    before = "".join(text for text, _ in parts)
    after = "".join(text.replace("а", extra) for text, extra in parts)
    marker = Marker(translit.get_transliterator())
    if data is None:
        hits = {0, 5, 14}
    else:
        if data.draw(st.booleans()):
            after = data.draw(TEXT)
        hits = data.draw(st.sets(st.integers(0, max(0, len(before) - 1)), min_size=1))
    compiled, pure = _both_ways(marker, before, after, hits)
    assert compiled == pure


# --- what a line holds (Marker.facts) ---


def _facts_by_python(marker: Marker, text: str) -> int:
    """`Marker.facts` by each bit's definition, one scan each."""
    from translit.engine.invisible import has_invisible
    from translit.preview import (_COMBINING, _CONTROL, _NARROW, COMBINING, CONTROLS,
                                  DECOMPOSED, EXCEPTIONS, FIRST_TRIGGER, INVISIBLE, KEPT,
                                  TRIGGER_BITS, TRIGGERED, WIDE, printable)

    def needed(trigger: Any) -> bool:
        return bool(trigger.needs is None and text or trigger.needs is not None and any(
            char in text for char in trigger.needs))

    orthography = marker.orthography
    kept = orthography.kept.quick_chars()
    return sum(bit for bit, held in (
        (CONTROLS, _CONTROL.search(text) is not None),
        (WIDE, _NARROW.fullmatch(printable(text)) is None),
        (COMBINING, _COMBINING.search(text) is not None),
        (INVISIBLE, has_invisible(text)),
        (DECOMPOSED, any(d[-1] in text for d, _ in orthography.repairs.compositions)),
        (KEPT, bool(text) if kept is None else any(char in text for char in kept)),
        (TRIGGERED, any(needed(trigger) for trigger in marker.triggers)),
        *((FIRST_TRIGGER << k, needed(trigger))
          for k, trigger in enumerate(marker.triggers[:TRIGGER_BITS])),
        (EXCEPTIONS, any(e.cyrillic in text for e in orthography.exceptions)),
    ) if held)


def test_every_character_is_in_the_classes_of_its_python_definitions():
    """Every code point, alone and between letters: the compiled pass's controls, wide
    characters (as `printable` shows them), combining marks and invisible characters."""
    from translit.preview import COMBINING, CONTROLS, INVISIBLE, WIDE

    marker = Marker(translit.get_transliterator())
    classes = CONTROLS | WIDE | COMBINING | INVISIBLE
    differ = [code for code in range(0x110000)
              if marker.facts(chr(code)) & classes
              != _facts_by_python(marker, chr(code)) & classes]
    assert differ == []
    assert marker.facts("аб\u0301в") & classes == COMBINING | WIDE  # (a mark is no cell)


# Text with what each bit looks for: controls, wide and zero-width characters, decomposed
# letters, addresses and escapes, word exceptions (of every case) and pieces of them.
FACT_TEXT = st.lists(st.one_of(
    st.sampled_from(["сентябрь", "Октябр", "БЮДЖЕТ", "ентябр", "ктяб", "x@y.uz", "a://b",
                     "www.kun.uz", "-{Тошкент}-", "{", "w", "и\u0306", "\u0306", "е\u0308",
                     "\u00ad", "\u200d", "\x1b", "\x9b", "\x7f", "漢", "😀", "\u0301", "é",
                     " ", "'", "ъ", "ſh", "sh", "ı", "İ", "\u212a", "ç", "Ş", "Tо", "оA",
                     "Ishoq", "mushaf"]),
    st.text(max_size=3)), max_size=12).map("".join)


@settings(max_examples=600)
@given(options, st.one_of(FACT_TEXT, mixed_text, context_text, TRIGGER_TEXT))
@example(translit.Options(), "1 сентябрь x@y.uz и\u0306 \x1b漢")
# (a stem's s is all the respelling's quick look needs where no look-alike is looked for)
@example(translit.Options(lookalikes=False), "mushaf")
def test_the_compiled_facts_of_a_line_are_their_python_definitions(chosen, text):
    """Each bit is the Python definition's; and a bit not set means that the scan it
    spares finds nothing: no kept span, nothing to compose, no word exception."""
    from translit.preview import (DECOMPOSED, EXCEPTIONS, FIRST_TRIGGER, KEPT, TRIGGER_BITS,
                                  TRIGGERED)

    transliterator = translit.get_transliterator(chosen)
    marker = Marker(transliterator)
    facts = marker.facts(text)
    assert facts == _facts_by_python(marker, text)
    if not facts & KEPT:
        assert marker.orthography.kept_spans(text) == []
    if not facts & DECOMPOSED:
        assert marker.orthography.repairs.compose(text) == text
    if not facts & EXCEPTIONS:
        assert transliterator.exception_spans(text, composed=True) == []
    if not facts & TRIGGERED:
        assert all(quick is None or not quick(text) for _, quick, _ in marker.triggers)
    for k, (_, quick, _) in enumerate(marker.triggers[:TRIGGER_BITS]):
        if not facts & (FIRST_TRIGGER << k):  # (the trigger's own bit)
            assert quick is None or not quick(text)


@settings(max_examples=400)
@given(options, st.one_of(FACT_TEXT, mixed_text, context_text, cross_word_text))
@example(translit.Options(), "Объект 1 сентябрь x@y.uz и\u0306 Ёлка \x1b漢 сентябрда")
def test_marks_with_the_facts_of_the_lines_are_the_marks_without(chosen, text):
    """What the facts spare changes no mark."""
    transliterator = translit.get_transliterator(chosen)
    marker = Marker(transliterator)
    after = transliterator.convert(text)
    assert marker.marks(text, after, marker.facts(text), marker.facts(after)) == \
        marker.marks(text, after)


@settings(max_examples=500)
@given(options, st.one_of(mixed_text, context_text, cross_word_text, TRIGGER_TEXT))
@example(translit.Options(target="latin2026"), "Ishoq ma'no mushaf")
@example(translit.Options(), "Объект ЦИРК сентябрда Тoшкент x@y.uz")
def test_a_words_latin_by_the_one_pass_is_its_conversion(chosen, text):
    """A word's Latin found by the accelerator's one pass (`Marker._latin`) is `convert`'s,
    for every word the preview reads alone, and for a line without a line break."""
    transliterator = translit.get_transliterator(chosen)
    marker = Marker(transliterator)
    words = [*_WORDS.findall(text), *_PLAIN_WORDS.findall(text)]
    if not any(char in text for char in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        words.append(text)
    for word in words:
        assert marker._latin(word) == transliterator.convert(word)


STRING_CHARS = st.sampled_from(list("абвсеёнтяр ʻ漢😀") + ["\u0439"])


@settings(max_examples=800)
@given(st.lists(st.lists(STRING_CHARS, min_size=1, max_size=4).map("".join), max_size=6),
       st.lists(STRING_CHARS, max_size=40).map("".join))
@example(["се", "с"], "ас")
@example(["сентябр", "октябр"], "ок сен сентяб сентябр")
def test_the_strings_of_a_fact_table_are_found_as_python_finds_them(strings, text):
    """The strings' bit (one character alone, or more, found by their first two): set
    exactly where one of them is in the text; one that starts beyond the BMP is refused."""
    if any(ord(string[0]) > 0xFFFF for string in strings):
        with pytest.raises(ValueError, match="beyond the BMP"):
            _drawing.fact_table([[(0x430, 0x430)]], strings)
        return
    table = _drawing.fact_table([[(0x430, 0x430)]], strings)
    expected = (1 if "а" in text else 0) | (2 if any(s in text for s in strings) else 0)
    assert _drawing.facts(table, text) == expected


def test_the_facts_are_every_bit_without_the_compiled_module(monkeypatch):
    from translit.preview import EVERY_FACT

    monkeypatch.setenv("TRANSLIT_PURE", "1")
    assert Marker(translit.get_transliterator()).facts("абв") == EVERY_FACT


MARK_KINDS = st.sampled_from(sorted(MARKED) + ["", "context"])


def _painters():
    return {
        "colour": Console(file=io.StringIO(), force_terminal=True, color_system="truecolor",
                          width=160),
        "standard": Console(file=io.StringIO(), force_terminal=True, color_system="standard",
                            width=160),
        "no colour": Console(file=io.StringIO(), force_terminal=True, no_color=True,
                             width=160),
        "underline": Console(file=io.StringIO(), force_terminal=True, color_system=None,
                             width=160),
        "plain": Console(file=io.StringIO(), color_system=None, width=160),
    }


@pytest.mark.parametrize("mode", list(_painters()))
def test_a_style_is_a_prefix_and_a_suffix(mode):
    paint = Painter(_painters()[mode])
    for style in [*STYLES, "", "bold"]:
        prefix, suffix = paint.codes(style)
        for text in ("a", "слово ", "\x1b", "漢字"):
            assert paint(text, style) == prefix + text + suffix, (style, text)
        assert paint("", style) == ""


def _random_marks(data, before: str, after: str) -> list[Mark]:
    """Marks in order; sometimes overlapping, sometimes past the end of the text."""
    marks = []
    for _ in range(data.draw(st.integers(0, 6))):
        start, out_start = (data.draw(st.integers(0, len(text) + 2)) for text in (before, after))
        end, out_end = (at + data.draw(st.integers(0, 12)) for at in (start, out_start))
        marks.append(Mark(start, end, out_start, out_end, data.draw(MARK_KINDS), ()))
    return sorted(marks, key=lambda mark: mark.start)


# (one-byte, Latin-1 and two-byte str, and rows of one kind cut from text of another)
NARROW_CHARS = st.sampled_from(list("аbш ʻ,.-'‘’⇥␛«»é"))
NARROW = st.lists(NARROW_CHARS, max_size=300).map("".join)


@settings(max_examples=800)
@given(NARROW, NARROW, st.integers(20, 200), st.integers(1, 7), st.sampled_from(list(_painters())),
       st.data())
@example("а " * 40, "b " * 41, 20, 4, "colour", None)
def test_a_line_pair_is_drawn_side_by_side_as_python_draws_it(before, after, width, digits,
                                                              mode, data):
    compiled, pure = _drawn_both_ways("side", before, after, width, digits, mode, data)
    assert compiled == pure


@settings(max_examples=500)
@given(NARROW, NARROW, st.integers(20, 200), st.integers(1, 7), st.sampled_from(list(_painters())),
       st.data())
@example("а " * 40, "b " * 41, 20, 4, "colour", None)
# a row of ASCII cut from a Latin-1 str ("«Borlari» XXI …", with no ʻ): CPython's own copy
# of it refused (SystemError), where the Latin-1 letter stood before the row
@example("«Борлари» XXI аср томонлик", "«Borlari» XXI asr tomonlik bilan birga yangi", 20, 3,
         "colour", None)
def test_a_line_pair_is_drawn_inline_as_python_draws_it(before, after, width, digits, mode,
                                                        data):
    compiled, pure = _drawn_both_ways("inline", before, after, width, digits, mode, data)
    assert compiled == pure


def _drawn_both_ways(layout: str, before: str, after: str, width: int, digits: int,
                     mode: str, data) -> tuple[list[str], list[str]]:
    """The rows of a changed line pair in `layout`, drawn by the compiled loop and by
    Python, with random marks (none without `data`)."""
    preview = Preview(_painters()[mode], translit.get_transliterator(), io.StringIO(),
                      layout=layout)
    preview.width = width
    marks = _random_marks(data, before, after) if data is not None else []
    pair = LinePair(10 ** (digits - 1), before.encode(), after.encode())
    draw = preview._side if layout == "side" else preview._inline
    compiled = list(draw(pair, before, after, marks, digits))
    preview.marker.compiled = None
    return compiled, list(draw(pair, before, after, marks, digits))


@pytest.mark.parametrize("width", [1, 2, 3, 7, 2 ** 31, 2 ** 62, 2 ** 63 - 1])
def test_rows_of_any_width_are_cut_as_python_cuts_them(width):
    """Down to one cell, and up to the largest width: a width near PY_SSIZE_T_MAX / 2 made
    row_ends's `width * 2` overflow (undefined behaviour, which UBSan reports; a build
    with -fsanitize=undefined runs this test to see it)."""
    from translit.preview import _row_ends

    for text in ("", " ", "ab c", "a  b ", "«a» bé " * 9):
        expected = [text[start:end] for start, end in _row_ends(text, width)]
        assert _drawing.wrapped_rows(text, width, [], "", "") == expected, (text, width)


def test_the_whole_preview_is_the_same_with_and_without_the_compiled_loops(tmp_path):
    """The seed article and a mixed page, side by side and inline, with --explain:
    byte for byte the same preview with TRANSLIT_PURE=1 (which turns off every compiled
    path) as without."""
    from conftest import CASES

    page = tmp_path / "page.txt"
    page.write_text("Ш. Тoшкент шаҳрида 1995 йил сентябрь, ма'но; Объект ЦИРК www.kun.uz "
                    "Is'hoq 漢字\nЕр юзи, цирк, съезд\n«Борлари» XXI аср, café — «янги» "
                    "йўл\n«Борлари» XXI аср томонлик ва бир нечта янги гаплар билан, кейин эса "
                    "яна бир нечта янги гаплар, кейин эса яна бир нечта янги гаплар билан, "
                    "кейин эса яна\n" * 30, encoding="utf-8")
    for path in (CASES / "seed-article.cyr.txt", page):
        shown = []
        for pure in ("", "1"):
            env = {"PATH": "/usr/bin:/bin", "FORCE_COLOR": "1", "COLUMNS": "160",
                   "TRANSLIT_PURE": pure}
            shown.append(b"".join(subprocess.run(
                [sys.executable, "-m", "translit", "--diff", "--no-pager", "--explain",
                 "--layout", layout, str(path)], capture_output=True, env=env,
                timeout=120).stdout for layout in ("side", "inline")))
        assert shown[0] == shown[1] and len(shown[0]) > 1000


def test_a_fact_table_takes_as_many_strings_as_the_compiled_modules_limit_and_no_more():
    # (the limit is the compiled module's own, which the preview reads: not a second
    # copy of it in Python that could drift from the C one)
    limit = _drawing.MAX_FACT_STRINGS
    strings = [chr(0x4E00 + k) for k in range(limit + 1)]
    table = _drawing.fact_table([], strings[:limit])
    assert _drawing.facts(table, "a" + strings[limit - 1]) == 1
    with pytest.raises(ValueError, match="too many"):
        _drawing.fact_table([], strings)


# A line of a file as line_pairs gives it: any bytes but b"\n", and its line break.
_LINE_BYTES = st.binary(max_size=12).map(lambda data: data.replace(b"\n", b"")) | st.sampled_from(
    [b"\r", b"\t", b"\xd0", b"\xd0\x9c", b"\xe2\x80", b"\xef\xbb\xbf", "маъно".encode()])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_LINE_BYTES, max_size=4).map(lambda parts: b"".join(parts) + b"\n"),
                max_size=8), st.sampled_from(["utf-8", "UTF8", "utf-8-sig", "cp1251"]))
def test_lines_read_in_one_decoding_are_each_line_read_alone(lines, encoding):
    from translit.preview import _text, _texts

    read = _texts(lines, encoding)
    if encoding in ("utf-8", "UTF8") and lines:
        assert read == [_text(line, encoding) for line in lines]
    else:  # (each line alone, as before: a BOM is read at every line's start in utf-8-sig)
        assert read is None
    assert _texts([*lines, b"no line break"], "utf-8") is None
