"""The common path of Latin → Cyrillic (plainwords.py) held equal to the reference: the
per-word path (`Rules.spell`, `CyrillicConverter.parts`), on random Uzbek-like Latin text
with capitals, apostrophes, quotes, punctuation and tokens that stay Latin."""

from __future__ import annotations

import pytest
from conftest import fresh_transliterator
from hypothesis import given, settings
from hypothesis import strategies as st

import translit
from translit.directions import foreign
from translit.directions.plainwords import PlainWords, TableSpeller
from translit.directions.reverse import Rules
from translit.tables.rules import load_reverse_table
from translit.tables.wordlists import load_latin_words, load_lexicon

CYRILLIC = translit.Options(target="cyrillic")
RULES = Rules(load_reverse_table())
SPELLER = TableSpeller(load_reverse_table())
PLAIN = PlainWords(load_reverse_table(), load_lexicon(), load_latin_words())  # read only

# Pieces of Uzbek-like words: every sequence of cyrillic.tsv, its contexts' neighbours, and
# letters and clusters that are not Uzbek (c, w, ph), apostrophes of every kind.
syllables = st.sampled_from([
    "a", "e", "i", "o", "u", "b", "d", "k", "l", "m", "n", "r", "t", "s", "y", "h", "q", "x",
    "z", "sh", "ch", "ts", "tsi", "ksi", "ye", "yo", "yu", "ya", "oʻ", "gʻ", "yoʻ", "ng",
    "lar", "da", "ni", "ga", "kitob", "shahar", "film", "sirk", "mar", "shel", "the",
    "c", "w", "ph", "oo", "o'", "g'", "s'h", "ʼ", "'", "`", "ʻ", "ö", "ş",
])
words = st.lists(syllables, min_size=1, max_size=6).map("".join)
small_words = st.lists(st.sampled_from([s for s in (
    "a", "e", "i", "o", "u", "b", "d", "k", "l", "t", "s", "y", "h", "sh", "ch", "ts", "tsi",
    "ksi", "ye", "yo", "yu", "ya", "oʻ", "gʻ", "yoʻ", "ng")]), min_size=1, max_size=8).map(
    "".join)


@st.composite
def tokens(draw: st.DrawFn) -> str:
    word = draw(words)
    case = draw(st.sampled_from(["small", "small", "small", "capital", "upper", "odd"]))
    if case == "capital":
        word = word[:1].upper() + word[1:]
    elif case == "upper":
        word = word.upper()
    elif case == "odd":
        word = "".join(c.upper() if i % 3 == 1 else c for i, c in enumerate(word))
    before = draw(st.sampled_from(["", "", "", "'", '"', "(", "«", "-", "--"]))
    after = draw(st.sampled_from(["", "", "", ",", ".", "!", "?", ";", ":", "'", '"', ")",
                                  ".,", "-", "5", "'da", "ʼga", ".uz"]))
    return before + word + after


fixed_tokens = st.sampled_from([
    "Linux", "config.yaml", "--verbose", "-n", "Wi-Fi", "Hi-Tech", "Toshkent-Samarqand",
    "3.12", "v2", "'Xato'", "AQSh", "Mar", "kun.uz", "%s", "<b>", "the", "file", "open",
    "it", "men", "Men", "save", "and", "Save", "changes", "2020-yil", "XXI", "I",
])
texts = st.lists(st.tuples(st.one_of(tokens(), tokens(), fixed_tokens),
                           st.sampled_from([" ", " ", " ", ", ", "\n", " \t", "  "])),
                 min_size=8, max_size=40).map(lambda items: "".join(a + b for a, b in items))


@settings(max_examples=400, deadline=None)
@given(st.lists(small_words, min_size=1, max_size=12))
def test_the_table_spells_as_the_reader(words):
    spelled = SPELLER.spell("\n".join(words)).split("\n")
    for word, cyrillic in zip(words, spelled):
        if SPELLER.hazard.search(word) is None:
            assert cyrillic == RULES.spell(word)


def test_the_hazards_are_where_the_letter_before_misleads():
    # gʻ is a consonant, its last character ʻ is no consonant: the pattern alone would read
    # the e after it as at a word's start
    assert RULES.spell("bogʻe") == "боғе"
    assert SPELLER.hazard.search("bogʻe")


@settings(max_examples=300, deadline=None)
@given(st.lists(tokens(), min_size=1, max_size=30))
def test_each_plain_token_is_what_the_reference_makes_of_it(some):
    cyrillic = translit.get_transliterator(CYRILLIC).direction.converter  # type: ignore[attr-defined]
    for token, out in PLAIN.convert(some).items():
        assert out == "".join(part[2] for part in cyrillic.parts(token)), token
        # one Uzbek word (a plain token ends a foreign phrase's run: reverse.py)
        kinds = [item.word_kind for item in cyrillic._decided_token(token, shortcut=False).items
                 if item.word_kind is not None]
        assert kinds == [foreign.UZBEK], token


@settings(max_examples=300, deadline=None)
@given(texts)
def test_convert_equals_the_reference_on_uzbek_like_text(text):
    fresh = fresh_transliterator(CYRILLIC)
    reference = "".join(part[2] for part in fresh.direction.converter.parts(text))
    assert fresh.convert(text) == reference
    assert fresh.convert(text) == reference  # remembered, the same


@pytest.mark.parametrize(("latin", "cyrillic"), [
    # plain words with a phrase word among them: the phrase is read between them
    ("kitob Open the file va Save changes bilan shahar, eshik.",
     "китоб Open the file ва Save changes билан шаҳар, эшик."),
    ("Oʻzbekiston togʻ, bogʻlar yoʻl federatsiya obyekt ketsa", (
        "Ўзбекистон тоғ, боғлар йўл федерация объект кетса")),
])
def test_plain_words_beside_phrases(latin, cyrillic):
    many = " ".join([latin] * 3)  # enough new tokens for the common path
    assert translit.Transliterator(CYRILLIC).convert(many) == " ".join([cyrillic] * 3)


def test_the_pure_paths_patterns_are_compiled_only_where_it_is_taken():
    # The compiled pass reads the speller's sequences and hazards, never its patterns: they
    # are compiled when the pure path first needs them (a millisecond of every start).
    from translit.directions.plainwords import PlainWords
    from translit.directions.reverse import Suffixes, _fits, _long_enough
    from translit.tables.rules import load_reverse_table
    from translit.tables.wordlists import load_latin_words, load_lexicon

    patterns = {"unplain", "vowelless", "prefixes"}
    plain = PlainWords(load_reverse_table(), load_lexicon(), load_latin_words())
    plain.accelerated(_fits, _long_enough, Suffixes(load_lexicon()))
    assert not patterns & set(plain.__dict__) and "_pattern" not in vars(plain.speller)
    assert plain.convert(["Shahar", "eshik,", "film", "Linux", "rpm"]) == {
        "Shahar": "Шаҳар", "eshik,": "эшик,"}
    assert patterns <= set(plain.__dict__) and "_pattern" in vars(plain.speller)
    other = PlainWords(load_reverse_table(), load_lexicon(), load_latin_words())
    other.prepare()
    assert patterns <= set(other.__dict__) and "_pattern" in vars(other.speller)
