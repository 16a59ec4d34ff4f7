"""Piece alignment (alignment.py): pieces converted as one text, each given its own output;
in linear time however many pieces there are (issue 24)."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import translit
from conftest import output_within_cpu
from translit.base.options import Options

CYRILLIC = Options(target="cyrillic")


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("target", "pieces", "count"), [
    ("cyrillic", ["a"], 100_000),  # the Cyrillic direction: every piece goes this way
    ("latin", ["а"], 300_000),  # to Latin, text longer than a piece of the fast path
    # one token of many words, each cut from the next (a compound formatted word by word)
    ("cyrillic", ["ka", "-"], 50_000),
])
def test_many_one_letter_pieces_with_no_place_to_cut(target, pieces, count):
    # One word of 100,000 letters, each letter a piece of its own (a document whose every
    # letter is formatted): no place to cut between the pieces. Held text was joined and
    # looked at again for every piece: quadratic, hours for this. To Cyrillic, each word
    # then read every cut of its token, and each letter every cut again: quadratic too
    # (32 s for this, 28 s for 20,000 words of a token).
    code = ("import translit\n"
            f"transliterator = translit.Transliterator(translit.Options(target={target!r}))\n"
            f"pieces = {pieces!r} * {count}\n"
            "out = transliterator.convert_pieces(pieces)\n"
            "print(len(out) == len(pieces), ''.join(out) == transliterator.convert(''.join(pieces)),\n"
            "      [len(p) for p in out[:len(pieces)]] == [len(p) for p in pieces])\n")
    assert output_within_cpu(code) == "True True True\n"


def test_the_text_held_is_looked_at_a_bounded_number_of_times():
    from translit.directions.alignment import aligned_pieces

    looked_at = 0

    def never(text: str) -> int:  # no place to cut, ever (the text is one word)
        nonlocal looked_at
        looked_at += len(text)
        return 0

    count = 100_000
    out = aligned_pieces(["x"] * count, never, str.upper,
                         lambda parts: [(index, part.upper()) for index, part in parts])
    assert out == ["X"] * count
    assert looked_at <= 4 * count  # each character a few times, not once per piece after it


@pytest.mark.timeout(60)
def test_held_text_is_cut_where_it_may_be():
    from translit.directions.alignment import aligned_pieces

    explained: list[list[tuple[int, str]]] = []

    def explain(parts: list[tuple[int, str]]) -> list[tuple[int, str]]:
        explained.append(parts)
        return [(index, part.upper()) for index, part in parts]

    def at_spaces(text: str) -> int:
        return text.rfind(" ") + 1

    out = aligned_pieces(["ab c", "d ef", "", "g h"], at_spaces, str.upper, explain)
    assert out == ["AB C", "D EF", "", "G H"]
    # only the words split by the pieces are explained, each from its start to its end
    assert explained == [[(0, "c"), (1, "d ")], [(1, "ef"), (3, "g ")]]


@pytest.mark.timeout(60)
def test_a_piece_that_starts_with_a_line_break_ends_the_part_before_it():
    # Runs of a document (a subtitle's cues, a catalogue's messages, paragraphs) are
    # converted in one call, a line break between them as a piece of its own. A direction
    # that cuts only after a line break (to Cyrillic: a phrase is read with its line) could
    # not cut at the end of a run, so every run, up to the line break after it, was a part
    # over two pieces and explained letter by letter: a subtitle file converted to Cyrillic
    # 10 times slower than the same text as .txt. No rule looks across a line break.
    from translit.directions.alignment import aligned_pieces

    explained: list[list[tuple[int, str]]] = []

    def explain(parts: list[tuple[int, str]]) -> list[tuple[int, str]]:
        explained.append(parts)
        return [(index, part.upper()) for index, part in parts]

    def after_line_breaks(text: str) -> int:
        return text.rfind("\n") + 1

    pieces = ["ab c", "\n", "d", "e f", "\n", "g\nh", "\n"]
    out = aligned_pieces(pieces, after_line_breaks, str.upper, explain)
    assert out == [piece.upper() for piece in pieces]
    # only the word split by the pieces is explained, up to the line break after it
    assert explained == [[(2, "d"), (3, "e f"), (4, "\n")]]
    # and the direction to Cyrillic, a run at a time, gives what it gives the runs alone
    transliterator = translit.Transliterator(CYRILLIC)
    runs = ["Shahar eshik", "\n", "Sentabr", "\n", "config.yaml faylini", "\n", "Hi", "-Tech"]
    assert transliterator.convert_pieces(runs) == [
        "Шаҳар эшик", "\n", "Сентябрь", "\n", "config.yaml файлини", "\n", "Hi", "-Tech"]


def test_a_paragraph_split_by_formatting_is_not_explained_word_by_word(monkeypatch):
    # To Cyrillic a line is one decision, so a paragraph with a bold word in it was a part
    # over several pieces, and every word of it was explained, letter by letter (HTML,
    # Markdown, Word to Cyrillic at a fifth of a MB a second). Only a token that a piece
    # boundary cuts is explained now, within its line; the others come from the conversion.
    transliterator = translit.Transliterator(CYRILLIC)
    converter = transliterator.direction.converter
    explained: list[str] = []
    real = converter.explain
    monkeypatch.setattr(converter, "explain",
                        lambda text, **kw: (explained.append(text), real(text, **kw))[1])
    tokens: list[str] = []
    real_token = converter.explain_token
    monkeypatch.setattr(converter, "explain_token",
                        lambda token, out, **kw: (tokens.append(token),
                                                  real_token(token, out, **kw))[1])
    pieces = ["Yangi kitoblar va ", "filmlar", " haqida, ", "S", "entr", "da shahar eshik"]
    assert transliterator.convert_pieces(pieces) == [
        "Янги китоблар ва ", "фильмлар", " ҳақида, ", "Ц", "ентр", "да шаҳар эшик"]
    assert explained == []
    assert tokens == ["Sentrda"]  # the one token cut inside


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("pieces", "count"), [
    ("list(text)", 86000),  # a paragraph of 86,000 characters, each a piece (each letter
    # formatted); a word cut by formatting, and a placeholder, 16,000 times:
    ("['Sen', 'tabr %s '] * 16000", 32000),
])
def test_a_paragraph_in_many_pieces_to_cyrillic_takes_linear_time(pieces, count):
    # Reading a paragraph token by token, each token cut by a piece boundary looked at
    # every piece after it (and at every kept span): 36.7 s for the first, and 7.0 s for
    # the second at half this size, against 2.9 s and 1.6 s when the paragraph was
    # explained whole. Found by a review of the change.
    code = ("import sys, translit\n"
            "from translit.base.options import Options\n"
            "words = ['Sentabr', 'oyida', 'shahar', 'eshik', 'film', 'Windows', 'kun.uz',\n"
            "         'yangi', 'Centr', 'taʼlim', 'oʻzbek']\n"
            "text = ' '.join(words[i * 7 % 11] for i in range(20000))[:86000]\n"
            f"pieces = {pieces}\n"
            "transliterator = translit.Transliterator(Options(target='cyrillic'))\n"
            "out = transliterator.convert_pieces(pieces)\n"
            "assert ''.join(out) == transliterator.convert(''.join(pieces))\n"
            "sys.stdout.write(str(len(out)))\n")
    assert output_within_cpu(code) == str(count)


words = st.sampled_from(["Центр", "объект", "Сентябрь", "ШАҲАР", "маъно", "Oʻzbekiston",
                         "film", "Windows", "config.yaml", "2020-yil", "yoʻl", "Ishoq"])
texts = st.lists(st.tuples(words, st.sampled_from([" ", ", ", "\n", ""])), min_size=1,
                 max_size=12).map(lambda items: "".join(a + b for a, b in items))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([Options(), Options(target="latin2026"), CYRILLIC]), texts,
       st.lists(st.integers(0, 80), max_size=12))
def test_each_piece_gets_what_the_explanation_of_the_whole_text_gives_it(options, text, cuts):
    # Where the text is cut (or not) changes nothing: the output of each piece is what the
    # explanation of the whole text, not cut anywhere, gives the letters of that piece.
    from translit.directions.alignment import explained_parts

    transliterator = translit.get_transliterator(options)
    points = sorted({min(c, len(text)) for c in cuts})
    pieces = [text[a:b] for a, b in zip([0, *points], [*points, len(text)])]
    whole = [""] * len(pieces)
    for index, output in explained_parts([(i, p) for i, p in enumerate(pieces) if p],
                                         transliterator.explain,
                                         cut_word=getattr(transliterator.direction,
                                                          "cut_word", None)):
        whole[index] += output
    assert transliterator.convert_pieces(pieces) == whole


def test_a_token_kept_whole_is_split_over_its_pieces_by_position():
    # Found by the pieces property: to Cyrillic, a token that stays Latin as a whole
    # (www.b1995, not an address here) went whole to its first piece, leaving '' for the
    # piece '95'; text that comes out as it went in is split by position.
    transliterator = translit.get_transliterator(translit.Options(target="cyrillic",
                                                                  keep_addresses=False))
    assert transliterator.convert_pieces(["www.b19", "95"]) == ["www.b19", "95"]
    assert transliterator.convert_pieces(["www.ʼсен", "тябр1995"]) == ["www.ʼсен", "тябр1995"]


@pytest.mark.parametrize(("pieces", "expected"), [
    (["S", "entr"], ["Ц", "ентр"]),  # a word of the lexicon: all of it went to "S"
    (["Yan", "var"], ["Ян", "варь"]),
    (["Sen", "tabr"], ["Сен", "тябрь"]),  # an exception: its letters in order
    (["Fil", "mlar"], ["Филь", "млар"]),
    (["S", "h", "ahar"], ["Ш", "", "аҳар"]),  # one letter, sh: where it starts, as before
    (["Wi", "ndows"], ["Wi", "ndows"]),
])
def test_a_word_decided_whole_keeps_its_letters_in_their_pieces(pieces, expected):
    # Found by bench/fuzz.py --target cyrillic: a Latin word split by formatting
    # (S<b>entr</b>) and decided whole came out with all its Cyrillic in the first piece,
    # so that the formatting of the others was lost (Центр<b></b>).
    transliterator = translit.get_transliterator(CYRILLIC)
    assert transliterator.convert_pieces(pieces) == expected


def test_a_piece_made_of_many_outputs_takes_linear_time():
    # Found by bench/fuzz.py --target cyrillic: each output of a piece was added to a
    # string, which copied the string each time; a long paragraph explained whole (to
    # Cyrillic, a line is one decision) gave a piece 130,000 outputs (2.3 CPU seconds for
    # 200 KB of HTML). Here 1,600,000 one-letter outputs: about 30 s before (each
    # doubling four times as long), half a second now.

    code = ("from translit.directions.alignment import aligned_pieces\n"
            "n = 1_600_000\n"
            "out = aligned_pieces(['a' * n, 'b'], lambda text: 0, str.upper,\n"
            "                     lambda parts: [(0, c.upper()) for c in parts[0][1]]\n"
            "                                   + [(1, 'B')])\n"
            "print(out == ['A' * n, 'B'])\n")
    assert output_within_cpu(code) == "True\n"
