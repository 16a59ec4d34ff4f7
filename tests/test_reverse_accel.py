"""The compiled pass of Latin → Cyrillic (_accel.c `plain_region`, plainwords.py) held
equal to the pure path (TRANSLIT_PURE=1) and to the reference (`parts`) on generated Latin
text with the hard classes in it: options, files, domains, versions, acronyms, mixed case,
apostrophes of every kind, hyphens, numbers, quotation marks, brackets, phrases, Cyrillic,
spaces of every kind."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import translit
from translit.directions import plainwords
from translit.directions.reverse import CyrillicConverter, _long_enough

CYRILLIC = translit.Options(target="cyrillic")

needs_accel = pytest.mark.skipif(plainwords._accel is None,
                                 reason="the accelerator is not built here (no C compiler)")

pieces = st.sampled_from([
    "a", "e", "i", "o", "u", "b", "d", "k", "l", "m", "n", "r", "t", "s", "y", "h", "q", "x",
    "z", "f", "g", "j", "p", "v", "sh", "ch", "ts", "tsi", "ksi", "ye", "yo", "yu", "ya", "oʻ",
    "gʻ", "yoʻ", "ng", "lar", "da", "ni", "ga", "ning", "dan", "kitob", "shahar", "film",
    "sirk", "mar", "shel", "rossiya", "fevral", "oktabr", "the", "c", "w", "ph", "ck", "oo",
    "ue", "o'", "g'", "s'h", "ʼ", "'", "`", "‘", "’", "ʻ", "ö", "ş", "ğ", "ç", "ё", "ш",
])
letters = st.lists(pieces, min_size=1, max_size=7).map("".join)


@st.composite
def words(draw: st.DrawFn) -> str:
    word = draw(letters)
    case = draw(st.sampled_from(["small", "small", "small", "capital", "capital", "upper",
                                 "odd", "camel"]))
    if case == "capital":
        word = word[:1].upper() + word[1:]
    elif case == "upper":
        word = word.upper()
    elif case == "odd":
        word = "".join(c.upper() if i % 3 == 1 else c for i, c in enumerate(word))
    elif case == "camel" and len(word) > 2:
        word = word[:2] + word[2].upper() + word[3:]
    return word


@st.composite
def tokens(draw: st.DrawFn) -> str:
    word = draw(words())
    if draw(st.booleans()):
        word += draw(st.sampled_from(["-", "-", "\xad", "/", ".", "_"])) + draw(words())
    before = draw(st.sampled_from(["", "", "", "", "«", "“", "„", '"', "(", "[", "'", "‘",
                                   "-", "--", "/", "~/", "./", "«(", "…", "{"]))
    after = draw(st.sampled_from(["", "", "", "", ",", ".", "!", "?", ";", ":", "»", "”",
                                  '"', ")", "]", "».", "),", "'", "’", ".,", "...", "…", "-",
                                  "5", "'da", "ʼga", "’ni", ".uz", ".yaml", ".js", "3.12",
                                  "=1", "}"]))
    return before + word + after


fixed = st.sampled_from([
    "Linux", "Linux'da", "config.yaml", "--verbose", "--list-media", "-n", "/?", "/usr/bin",
    "Wi-Fi", "Hi-Tech", "Toshkent-Samarqand", "Python", "3.12", "v2", "x86_64", "MP3", "5ta",
    "'Xato'", "AQSh", "OʻzMU", "ToshDU", "BMT", "USB", "GitHub", "iPhone", "Mar", "Apr",
    "shel", "kun.uz", "org.gnome.Shell", "Node.js", "%s", "{0}", "<b>", "</b>", "&amp;",
    "the", "file", "open", "it", "men", "Men", "ham", "save", "and", "Save", "changes",
    "2020-yil", "1-may", "XXI", "I", "VII", "https://kun.uz/a", "a@b.uz", "12", "1990,",
    "2025.", "007", "12:30", "100%", "№5", "-Yomon", "Open", "Class", "mana", "kitob",
    "Shvarts", "Muhammad", "Ali", "e-mail", "IT-park", "COVID-19", "UzA", "al-Xorazmiy",
    "Ўзбекистон", "салом", "—", "-", "•", "…", "«", "»", "😀", "日本",
    # numbers in quotation marks and brackets, a number beside a word
    "«1101»", "(12)", "[3]", '"7"', "“5”", "„5“", "«12».", "(2020),", "12)", "((1))", "«12",
    "5»", "(5)-", "12%)", "ham 93", "AI 1065", "«men» 7", "3 ham 4",
])
spaces = st.sampled_from([" ", " ", " ", " ", "  ", "\n", "\r\n", "\t", " \n ", "\xa0",
                          "\u2003", "\u3000", "\x0b", "\x1c"])
texts = st.lists(st.tuples(st.one_of(tokens(), tokens(), fixed), spaces),
                 min_size=1, max_size=40).map(
    lambda items: "".join(a + b for a, b in items))


@functools.cache
def converters(options: translit.Options = CYRILLIC) -> tuple[CyrillicConverter,
                                                              CyrillicConverter]:
    """A converter with the compiled pass and one without (TRANSLIT_PURE=1 when it decides);
    made once, so that the examples also meet what earlier ones left remembered."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TRANSLIT_PURE", raising=False)
        accelerated = translit.Transliterator(options).direction.converter  # type: ignore[attr-defined]
        assert accelerated._accelerated is not None
        patch.setenv("TRANSLIT_PURE", "1")
        pure = translit.Transliterator(options).direction.converter  # type: ignore[attr-defined]
        assert pure._accelerated is None
    return accelerated, pure


def region(converter: Any, text: str) -> list[str]:
    """The compiled pass's pieces of `text`, nothing remembered, each as a str (it writes
    what it converts in UTF-8, and hands back each run as it is)."""
    pieces = converter._accelerated(text, {})
    assert all(isinstance(piece, bytes) for piece in pieces[::2]), pieces
    assert all(isinstance(piece, str) for piece in pieces[1::2]), pieces
    return [piece.decode() if isinstance(piece, bytes) else piece for piece in pieces]


@needs_accel
def test_the_compiled_pass_is_used_where_it_is_built():
    accelerated, _ = converters.__wrapped__()  # nothing remembered
    pieces = region(accelerated, "Oʻzbekiston «shahri», 2025 Linux kun.uz yoʻl.")
    assert pieces == ["Ўзбекистон «шаҳри», 2025 ", "Linux kun.uz", " йўл."]


@needs_accel
@settings(max_examples=400, deadline=None)
@given(st.lists(texts, min_size=1, max_size=3))
def test_the_compiled_pass_equals_the_pure_path_and_the_reference(some):
    accelerated, pure = converters()
    for text in some + some:  # the second time, from what is remembered
        expected = "".join(part[2] for part in pure.parts(text))
        assert pure.convert(text) == expected
        assert accelerated.convert(text) == expected, text


@needs_accel
@pytest.mark.parametrize("options", [
    translit.Options(target="cyrillic", ordinal_dates=True),
    translit.Options(target="cyrillic", quotes="guillemets"),
    translit.Options(target="cyrillic", keep_addresses=False),
])
@settings(max_examples=80, deadline=None)
@given(text=texts)
def test_the_compiled_pass_equals_the_pure_path_with_options(options, text):
    accelerated, pure = converters(options)
    assert accelerated.convert(text) == pure.convert(text), text


@needs_accel
def test_a_word_of_the_word_lists_goes_the_python_way():
    # a name, an English or phrase word is handed back, not spelled
    converter, _ = converters()
    plain = converter._plain
    sample = sorted(w for w in plain.excluded if w.isalpha())[::40]
    for word in sample:
        assert region(converter, word) == ["", word, ""], word


@needs_accel
def test_the_lexicon_in_the_compiled_pass_is_the_lexicon_of_the_reference():
    # a key, capitalized, with suffixes, with a letter more: as the pure path takes it
    accelerated, pure = converters()
    keys = sorted(k for k in accelerated._plain.lexicon if k.isalpha())[::25]
    words = [form for key in keys for form in (
        key, key[:1].upper() + key[1:], key + "lar", key + "larimizda", key + "ni", key + "a")]
    text = " ".join(words)
    assert accelerated.convert(text) == pure.convert(text)
    assert len(region(accelerated, text)) < len(words) / 4  # the most of them in C


@needs_accel
@pytest.mark.parametrize("token", [
    "maʼno", "ma'no", "Ma’no", "ma`no", "ma‘no", "ma´no", "ma′no", "eʼlon", "sheʼriyat",
    "bog'lar", "o‘zbek", "O'zbekiston", "to'g'ri", "qatʼi", "Bemaʼni", "Isʼhoq", "is'hoq",
    "Linux'da", "LVM'ga", "Server'iga", "fayl'ni", "maʼ", "'maʼno'", "«maʼno»", "maʼʼno",
    "maʼNo", "oʻʼa", "aʻb", "mo'jiza", "kitob'lar", "Kitob'lar", "Toshkent'da",
    # capitals
    "SHAHAR", "YA", "YAB", "BYA", "YAYA", "TSEX", "XXI", "MIX", "CIVIC", "LINUX", "USB",
    "OʻZBEK", "KITOBLAR", "FILMLAR", "FILM", "AQSH", "AQSh", "SHAHAR.", "«SHAHAR»", "YOʻL",
    "OYNA", "QALʼA", "MAʼNO", "SIRK", "OKTABRDA", "THE", "SAVE", "VADA", "YEYE", "ShAHAR",
    # capitals with an apostrophe (read in the compiled pass too)
    "YAʼNI", "YA'NIDAGI", "QATʼI", "BOʻLIBDA", "BO'LIBDA", "TOʻGʻRI", "OʻʼA", "AʻB", "SHEʼR",
    "NASA'GA", "LVM'GA", "SERVER'IGA", "YOʻLʼ", "MAʼʼNO", "MA'", "'MAʼNO'", "OʻZBEK'", "YAʼ",
    "SANʼAT", "SAN`AT", "SAN’ATI", "ISʼHOQ", "IS'HOQ", "OʻZBEKISTONʼDA", "TAʼLIM,", "«TAʼLIM»",
])
def test_a_word_with_an_apostrophe_or_capitals_as_the_pure_path_reads_it(token):
    accelerated, pure = converters()
    for text in (token, f"kitob {token} shahar", f"{token}, {token}."):
        assert accelerated.convert(text) == pure.convert(text), text


@needs_accel
def test_an_apostrophe_between_letters_is_read_in_the_compiled_pass():
    accelerated, _ = converters()
    assert region(accelerated, "maʼno ma'no Oʻzbek 'Xato' Linux'da") == [
        "маъно маъно Ўзбек ", "'Xato' Linux'da", ""]


@needs_accel
def test_a_word_of_capitals_with_an_apostrophe_is_read_in_the_compiled_pass():
    # a heading's words (BOʻLIBDA, SANʼATI) are spelled in C, as the small ones are, not
    # handed back one by one; an apostrophe before a suffix (NASA'GA) is, as a word that
    # begins as a key of the lexicon in capitals (OʻZBEKISTON)
    accelerated, _ = converters()
    assert region(accelerated, "BOʻLIBDA BO'LIBDA SANʼATI, SHEʼR. NASA'GA") == [
        "БЎЛИБДА БЎЛИБДА САНЪАТИ, ШЕЪР. ", "NASA'GA", ""]


@needs_accel
def test_a_number_beside_a_handed_back_word_is_not_in_its_run():
    # a token of digits (perhaps in quotation marks or brackets) is no word of a phrase:
    # it is written where it stands, and a run of other tokens ends at its last word, so
    # that 'ham 93' and 'ham 94' are one run, 'ham', remembered once
    accelerated, pure = converters()
    text = "kitob ham 93 shahar «1101» ham 12 men 5 kitob (7) AI 1065"
    assert region(accelerated, text) == [
        "китоб ", "ham", " 93 шаҳар «1101» ", "ham 12 men", " 5 китоб (7) ", "AI", " 1065"]
    assert accelerated.convert(text) == pure.convert(text)
    for words in ("Open 3 the file", "Open the 3 file", "ham 5 men", "men 5 ham 6 kitob"):
        for text in (words, f"kitob {words}", f"{words} 7 kitob", f"«{words}» (8)"):
            assert accelerated.convert(text) == pure.convert(text), text


@needs_accel
def test_every_cluster_and_hazard_is_found_wherever_it_stands():
    # the pass looks for them only where a pair of letters may start one (`suspect`):
    # each at a word's start, inside and at its end, after each kind of letter
    accelerated, pure = converters()
    found = [*accelerated._plain.speller.hazards, "ph", "ck", "w", "ca", "c", "ch", "oo",
             "oob", "oobd", "oobdf", "ue", "y", "ye", "by", "byb", "aʻ", "oʻ", "gʻ", "sʼh"]
    words = [f"{a}{x}{b}" for x in found for a in ("", "a", "b", "o", "t") for b in ("", "a", "d")]
    text = " ".join(words + [w[:1].upper() + w[1:] for w in words])
    assert accelerated.convert(text) == pure.convert(text)


@needs_accel
def test_a_long_run_is_converted_but_not_remembered():
    # a foreign paragraph is one run between plain tokens: remembering every such run
    # would let memory grow with the input
    accelerated, pure = converters.__wrapped__()
    paragraph = " ".join(["Open the file and save it, then close the window."] * 20)
    text = f"kitob {paragraph} shahar"
    assert accelerated.convert(text) == pure.convert(text)
    assert paragraph not in accelerated._runs and all(
        len(run) <= 256 for run in accelerated._runs)


@needs_accel
def test_a_lone_surrogate_is_written_as_each_call_s_handler_says():
    # the pass writes UTF-8, and remembers the runs it hands back in UTF-8: a run with a
    # lone surrogate (the bytes of a file that are not UTF-8, read with surrogateescape) is
    # written by the handler of the call, not by the one of the call that met it first
    accelerated, pure = converters.__wrapped__()  # nothing remembered
    texts = ["kitob \udcff shahar", "ham \udce9tude ham", "Linux\udcff ham kitob", "ham \udcff"]
    for handler in ("surrogateescape", "surrogatepass", "surrogateescape"):
        for text in texts:
            expected = pure.convert(text).encode("utf-8", handler)
            assert accelerated.convert_utf8(text, handler) == expected, (text, handler)
    assert accelerated.convert_utf8("ham \udcff", "surrogateescape").endswith(b" \xff")


@needs_accel
def test_a_lexicon_with_more_first_four_letters_than_the_index_holds_is_read_whole():
    # the pass indexes the lexicon's first four letters in 16 bits: past 65,535 of them
    # the rest share one entry that sends every length to the look-up (before, such a
    # lexicon made every conversion fail with MemoryError)
    import itertools
    import string

    from translit.tables.rules import Where
    from translit.tables.wordlists import LexiconEntry

    starts = ("".join(four) for four in itertools.product(string.ascii_lowercase, repeat=4))
    keys = [start + "a" for start in itertools.islice(starts, 70_000)]
    lexicon = {key: LexiconEntry(key, "ц" + key, True, "test", Where("test.tsv", line))
               for line, key in enumerate(keys, 1)}
    options = translit.Options(target="cyrillic")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TRANSLIT_PURE", raising=False)
        accelerated = CyrillicConverter(options, translit.to_latin, lexicon=lexicon)
        assert accelerated._accelerated is not None
        patch.setenv("TRANSLIT_PURE", "1")
        pure = CyrillicConverter(options, translit.to_latin, lexicon=lexicon)
        assert pure._accelerated is None
    text = " ".join([keys[0], keys[65_534], keys[65_535], keys[-1], keys[-1] + "lar", "kitob"])
    assert accelerated.convert(text) == pure.convert(text)
    assert accelerated.convert(keys[-1]) == "ц" + keys[-1]


@needs_accel
def test_the_suffixes_the_compiled_pass_reads_are_the_patterns():
    # the pass reads the slots of suffixes.tsv itself (after a stem of the lexicon, after
    # an apostrophe), where the pure path matches their patterns: every form of every
    # slot, forms of two slots in their order and in the other, a letter short or over,
    # after stems the lexicon spells otherwise than the rules (so that either answer shows)
    accelerated, pure = converters()
    lexicon, spell = accelerated.lexicon, accelerated.rules.spell

    def tails(slots: tuple[tuple[str, ...], ...]) -> list[str]:
        forms = [form for slot in slots for form in slot]
        found = set(forms) | {form[:-1] for form in forms} | {form + "a" for form in forms}
        for i, first in enumerate(slots):
            for later in slots[i + 1:]:
                found |= {a + b for a in first[::7] for b in later}
                found |= {b + a for a in first[::7] for b in later}
        return sorted(found - {""})

    stems = [key for key in sorted(lexicon) if key.isascii() and key.isalpha() and (
        lexicon[key].stem and _long_enough(lexicon[key])) and (
        lexicon[key].cyrillic.rstrip("ь") != spell(key))]
    plain = [key for key in stems if not lexicon[key].name][::1500]
    names = [key.capitalize() for key in stems if lexicon[key].name][::1500]
    after_stems = [stem + tail for stem in plain + names
                   for tail in tails(accelerated.suffixes.stem_slots)]
    # after a name's stem uzbek-words.tsv has its say too (Suffixes.match: Ilgari is ilgari)
    after_stems += ["Ilgari", "Virusi", "Kransi", "Elchini", "Ayoli", "Olgada", "Nitsshechilik"]
    after_apostrophes = [base + mark + tail for base in ("Server", "Linux", "kitob")
                         for mark in ("'", "ʼ") for tail in tails(accelerated.suffixes.after_name_slots)]
    for words in (after_stems, after_apostrophes):
        text = " ".join(words)
        assert accelerated.convert(text) == pure.convert(text)
    assert len(region(accelerated, " ".join(after_stems))) < len(after_stems) / 4  # in C


@needs_accel
@settings(max_examples=200, deadline=None)
@given(texts)
def test_kept_spans_written_by_the_compiled_pass_equal_the_regions_read_one_by_one(text):
    """convert_utf8 hands the compiled pass the kept spans (plain_region's `kept`): its
    output is what reading each region between them alone, and writing each span as it is,
    gives (the way a handler other than surrogatepass still goes)."""
    accelerated, _ = converters()
    kept = accelerated.kept.find(text)
    whole = accelerated.convert_utf8(text)
    out, done = [], 0
    for start, end in kept:
        out += [accelerated._region(text[done:start], "surrogatepass"),
                text[start:end].encode("utf-8", "surrogatepass")]
        done = end
    out.append(accelerated._region(text[done:], "surrogatepass"))
    assert whole == b"".join(out), text


@needs_accel
def test_the_compiled_pass_writes_a_kept_span_with_a_lone_surrogate_and_checks_the_spans():
    accelerated, _ = converters.__wrapped__()  # nothing remembered
    text = "kitob https://a.uz/\udcff shahar"
    kept = accelerated.kept.find(text)
    assert [text[a:b] for a, b in kept] == ["https://a.uz/\udcff"]
    assert accelerated.convert_utf8(text) == "китоб https://a.uz/\udcff шаҳар".encode(
        "utf-8", "surrogatepass")
    run = accelerated._accelerated
    for bad in ([(3, 2)], [(0, 99)], [(4, 6), (5, 7)], [(1,)], [("a", 2)]):
        with pytest.raises((ValueError, TypeError)):
            run(text, {}, bad)
    assert run("kitob", {}, None) == run("kitob", {}) == ["китоб".encode()]
