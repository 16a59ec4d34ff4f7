"""Invisible characters inside a word (a soft hyphen, zero-width joiners, the word joiner):
the rules read through them on every path, and each comes back where it stood."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from strategies import context_text, cross_word_text, mixed_text, options

import translit
from translit.engine.invisible import INVISIBLE_IN_WORDS, split
from translit.engine.reference import DECISIONS
from translit.formats import convert as convert_document
from translit.preview import Marker
from translit.stream import StreamConverter

SHY = "\u00ad"


def visible(text: str) -> str:
    return "".join(split(text)[0])


def hidden(text: str) -> list[str]:
    return [c for c in text if c in INVISIBLE_IN_WORDS]


# Each of these was converted as two words before (the soft hyphen ended the first):
# сен-тябрь's exception missed, е after it read as a word's first letter (ye), a capital
# digraph read alone (Sh), a 2026 word of mixed case respelled half.
@pytest.mark.parametrize("text, expected", [
    (f"сен{SHY}тябрь", f"sentabr{SHY}"),
    (f"б{SHY}е", f"b{SHY}e"),
    (f"Ц{SHY}ЕНТР", f"S{SHY}ENTR"),
    (f"Ш{SHY}О", f"SH{SHY}O"),
    ("Ўз\u200cбе\u200dки\u2060стон", "Oʻz\u200cbe\u200dki\u2060ston"),
    (f"ö{SHY}A", f"ö{SHY}A"),
])
def test_the_rules_read_through_invisible_characters(text, expected):
    assert translit.to_latin(text) == expected
    assert visible(translit.to_latin(text)) == translit.to_latin(visible(text))


def test_the_cyrillic_direction_reads_through_them_too():
    assert translit.to_cyrillic(f"Tosh{SHY}kent") == f"Тош{SHY}кент"
    assert translit.to_cyrillic(f"con{SHY}fig.yaml") == f"con{SHY}fig.yaml"  # a file name


def test_a_json_escape_and_the_character_itself_convert_alike():
    # Found by Hypothesis: with ensure_ascii the soft hyphen is written \u00ad, which the
    # format reads as part of the word; the character itself ended the word in the engine.
    for ensure_ascii in (True, False):
        data = json.dumps({"k": f"ö{SHY}A сен{SHY}тябрь"}, ensure_ascii=ensure_ascii).encode()
        value = json.loads(convert_document(data, "json").decode())["k"]
        assert value == translit.to_latin(f"ö{SHY}A сен{SHY}тябрь")


@st.composite
def with_invisibles(draw: st.DrawFn, text: st.SearchStrategy[str]) -> str:
    base = draw(text)
    places = draw(st.lists(st.tuples(st.integers(0, len(base)),
                                     st.text(sorted(INVISIBLE_IN_WORDS), min_size=1, max_size=2)),
                           max_size=4))
    for at, run in sorted(places, reverse=True):
        base = base[:at] + run + base[at:]
    return base


TEXT = with_invisibles(st.one_of(context_text, mixed_text, cross_word_text))


@settings(max_examples=300)
@given(options, TEXT)
@example(translit.Options(), f"сен{SHY}тябрь")
@example(translit.Options(), f"\u200cШ{SHY}{SHY}О\u2060")
def test_every_path_reads_through_them_and_keeps_them(chosen, text):
    transliterator = translit.get_transliterator(chosen)
    out = transliterator.convert(text)
    assert hidden(out) == hidden(text)
    assert visible(out) == transliterator.convert(visible(text))
    pieces = transliterator.explain(text)
    assert "".join(p.latin for p in pieces) == out
    assert "".join(p.original for p in pieces) == text
    assert all(text[p.span[0]:p.span[1]] == p.original for p in pieces)
    assert all(out[p.out_span[0]:p.out_span[1]] == p.latin for p in pieces)
    assert transliterator.decisions(text) == [p for p in pieces if p.kind in DECISIONS]
    if chosen.target != "cyrillic":
        assert transliterator.reference_to_latin(text) == out


@settings(max_examples=300)
@given(options, TEXT, st.lists(st.integers(1, 9), min_size=1, max_size=6))
@example(translit.Options(), f"шаҳар сен{SHY}тябрь", [13])
def test_a_stream_cut_anywhere_reads_through_them(chosen, text, sizes):
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return  # not UTF-8 (the stream's own tests cover surrogates)
    transliterator = translit.get_transliterator(chosen)
    data, out, at, step = text.encode(), [], 0, 0
    converter = StreamConverter(transliterator)
    while at < len(data):
        size = sizes[step % len(sizes)]
        out.append(converter.feed(data[at:at + size]))
        at, step = at + size, step + 1
    out.append(converter.finish())
    assert b"".join(out) == transliterator.convert_bytes(text)


@settings(max_examples=200)
@given(options, TEXT)
def test_the_preview_marks_every_decision_through_them(chosen, text):
    transliterator = translit.get_transliterator(chosen)
    marker = Marker(transliterator)
    for line in text.split("\n"):
        decided = [p.span[0] for p in transliterator.explain(line) if p.kind in DECISIONS]
        marks = marker.marks(line, transliterator.convert(line))
        assert marks is not None
        assert all(any(m.start <= at < m.end for m in marks) for at in decided)
