"""Properties that hold for every input; the fast engine equals the reference engine."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
import strategies
from strategies import any_text, context_text, mixed_text, uzbek_text

import translit
from translit.engine.words import is_cyrillic_letter

OPTION_SETS = [
    translit.Options(),
    translit.Options(apostrophe="ascii", capitals="title"),
    translit.Options(target="latin2026", apostrophe="typographic", contested_exceptions=True),
    translit.Options(lookalikes=False),
    translit.Options(typed_apostrophes=True, legacy_font="anyflip-2022", ordinal_dates=True),
]


@settings(max_examples=400)
@given(mixed_text, st.sampled_from(OPTION_SETS))
@example("Тoшкент ШАҲАР-ЁШ 1-СЕНТЯБРЬДА цц ЪЕ Ъ\uf300ц", translit.Options())
def test_fast_engine_equals_reference(text, options):
    converter = translit.get_transliterator(options)
    assert converter.to_latin(text) == converter.reference_to_latin(text)


@settings(max_examples=400)
@given(context_text, st.sampled_from(OPTION_SETS))
def test_fast_engine_equals_reference_on_every_context(text, options):
    converter = translit.get_transliterator(options)
    assert converter.to_latin(text) == converter.reference_to_latin(text)


@settings(max_examples=200)
@given(any_text)
def test_fast_engine_equals_reference_on_any_characters(text):
    converter = translit.get_transliterator()
    assert converter.to_latin(text) == converter.reference_to_latin(text)


@given(any_text)
def test_no_input_raises(text):
    converter = translit.get_transliterator()
    assert isinstance(converter.to_latin(text), str)


@given(st.binary(max_size=80))
@example(b"\xd4\x80B")  # Ԁ (U+0500, Cyrillic Supplement) and a Latin B: read as Cyrillic В
def test_undecodable_bytes_pass_through_byte_for_byte(data):
    """Bytes read with surrogateescape and written back so: what is not Cyrillic comes back
    as it was, byte for byte (the fast engine's byte output against the reference engine)."""
    converter = translit.get_transliterator()
    text = data.decode("utf-8", "surrogateescape")
    out = converter.to_latin_bytes(text, "surrogateescape")
    assert out == converter.reference_to_latin(text).encode("utf-8", "surrogateescape")
    # Cyrillic as the engine reads it (both blocks: a look-alike beside Ԁ is read as one)
    if not any(is_cyrillic_letter(c) for c in text) and strategies.nothing_to_respell(text):
        assert out == data


@given(uzbek_text)
def test_converting_the_output_again_changes_nothing(text):
    once = translit.to_latin(text)
    assert translit.to_latin(once) == once


@given(st.text(st.characters(exclude_categories=(), exclude_characters=None).filter(
    lambda c: not "\u0400" <= c <= "\u04ff"
)).filter(strategies.nothing_to_respell))
def test_text_without_cyrillic_comes_back_unchanged(text):
    # (Words of the 2026 alphabet are respelled: see test_reverse.py.)
    assert translit.to_latin(text) == text


@given(mixed_text, mixed_text)
def test_conversion_is_line_local(first, second):
    convert = translit.to_latin
    assert convert(first + "\n" + second) == convert(first) + "\n" + convert(second)


@given(uzbek_text)
def test_output_has_no_cyrillic_left(text):
    # Addresses (https://gov.uz/янги) are kept as they are, so they are left out here.
    output = translit.to_latin(text, keep_addresses=False)
    assert not any("\u0400" <= char <= "\u04ff" for char in output)


@given(uzbek_text)
def test_only_addresses_keep_cyrillic(text):
    from translit.engine.spans import find_addresses

    output = translit.to_latin(text)
    outside, done = [], 0
    for start, end in find_addresses(output):
        outside.append(output[done:start])
        done = end
    outside.append(output[done:])
    assert not any("\u0400" <= char <= "\u04ff" for char in "".join(outside))


def test_fast_engine_equals_reference_on_every_three_letter_window():
    # Every rule looks at most one character to each side, so all windows of three
    # characters over the context-sensitive letters (both cases) cover every rule branch.
    from strategies import CONTEXT_LETTERS

    alphabet = CONTEXT_LETTERS + CONTEXT_LETTERS.upper() + "-Xʼ"
    lines = [a + b + c for a in alphabet for b in alphabet for c in alphabet]
    text = "\n".join(lines)
    for options in OPTION_SETS[:2]:
        converter = translit.get_transliterator(options)
        fast = converter.to_latin(text).split("\n")
        reference = converter.reference_to_latin(text).split("\n")
        assert len(fast) == len(lines)
        mismatches = [(line, f, r) for line, f, r in zip(lines, fast, reference) if f != r]
        assert mismatches == []


@settings(max_examples=400, deadline=None)
@given(strategies.options, st.one_of(strategies.mixed_text, strategies.cross_word_text,
                                     strategies.context_text), st.lists(st.integers(0, 60)))
def test_pieces_converted_as_one_text_join_to_its_conversion(chosen, text, cuts):
    transliterator = translit.get_transliterator(chosen)
    points = sorted({min(c, len(text)) for c in cuts})
    pieces = [text[a:b] for a, b in zip([0, *points], [*points, len(text)])]
    out = transliterator.convert_pieces(pieces)
    assert len(out) == len(pieces)
    assert "".join(out) == transliterator.convert(text)
    for piece, latin in zip(pieces, out):
        if all(c in " .,;:!?0123456789\n" for c in piece):  # no letter, no apostrophe
            # Only R11 may touch it, writing a hyphen for a space after an ordinal number.
            assert len(latin) == len(piece)
            assert all(a == b or (a, b) == (" ", "-") for a, b in zip(piece, latin))


def test_a_word_split_by_formatting_is_converted_as_one_word():
    convert = translit.get_transliterator().to_latin_pieces
    assert convert(["Ц", "ентр"]) == ["S", "entr"]  # <b>Ц</b>ентр: the text pieces
    assert convert(["объ", "ект"]) == ["ob", "yekt"]  # ъ dropped in its own piece
    assert convert(["Ш", "АҲАР"]) == ["SH", "AHAR"]  # the digraph stays with its letter
    assert convert(["Сент", "ябрь"]) == ["Sentabr", ""]  # an exception: where it starts
