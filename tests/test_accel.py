"""The compiled accelerator (translit/engine/_accel.c) and the pure fast engine agree, always.

Each is held equal to the other and to the reference engine, on random text for every
combination of options and on every three-letter window of the context letters; the
pure path stays the fallback where no C compiler was found at install.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import strategies
from hypothesis import example, given, settings
from hypothesis import strategies as st

import translit
from translit.engine.fastpath import FastEngine, accelerator_available
from translit.engine.reference import ReferenceEngine


def engines(options: translit.Options) -> tuple[FastEngine, FastEngine]:
    orthography = translit.get_transliterator(options).orthography
    return FastEngine(orthography, native=True), FastEngine(orthography, native=False)


def test_the_accelerator_is_built_where_a_compiler_is():
    # Else every test of this file would compare the pure path with itself.
    assert accelerator_available() or shutil.which("cc") is None
    native, pure = engines(translit.Options())
    assert native.native is not None and pure.native is None


@settings(max_examples=500, deadline=None)
@given(strategies.options, st.one_of(strategies.mixed_text, strategies.context_text,
                                     strategies.cross_word_text, strategies.any_text))
# A 2026 letter, to Latin on a transliterator to Cyrillic: to_latin respelled it, the
# reference did not (it took the Cyrillic target's own respelling).
@example(translit.Options(target="cyrillic"), "Ç")
def test_accelerated_equals_pure_and_reference(options, text):
    native, pure = engines(options)
    assert native.convert(text) == pure.convert(text)
    # Text decoded with surrogateescape holds only U+DC80-U+DCFF, each for a byte.
    escaped = text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogateescape")
    assert native.convert(escaped, "surrogateescape") == pure.convert(escaped, "surrogateescape")
    converter = translit.get_transliterator(options)  # the accelerated engine where built
    assert converter.to_latin(text) == converter.reference_to_latin(text)


def test_accelerated_equals_pure_on_every_three_letter_window():
    from strategies import CONTEXT_LETTERS

    alphabet = CONTEXT_LETTERS + CONTEXT_LETTERS.upper() + "-XʼÀ1"
    text = "\n".join(a + b + c for a in alphabet for b in alphabet for c in alphabet)
    for options in (translit.Options(), translit.Options(capitals="title", apostrophe="ascii"),
                    translit.Options(target="latin2026")):
        native, pure = engines(options)
        assert native.convert(text) == pure.convert(text)


def references(options: translit.Options) -> tuple[ReferenceEngine, ReferenceEngine]:
    """The reference engine that tells decisions by the accelerator's table, and the one that
    applies the rules letter by letter."""
    native = FastEngine(translit.get_transliterator(options).orthography).reference
    return native, ReferenceEngine(native.orthography)


@settings(max_examples=500, deadline=None)
@given(strategies.options, st.one_of(strategies.mixed_text, strategies.context_text,
                                     strategies.cross_word_text, strategies.any_text,
                                     strategies.uzbek_text))
def test_decisions_by_the_table_are_the_reference_engines(options, text):
    native, pure = references(options)
    assert native.decisions(text) == pure.decisions(text)
    assert native.explain(text) == pure.explain(text)  # (not by the table: unchanged)


def test_decisions_by_the_table_on_every_three_letter_window():
    from strategies import CONTEXT_LETTERS

    alphabet = CONTEXT_LETTERS + CONTEXT_LETTERS.upper() + "-XʼÀ1ѣ'"
    words = [a + b + c for a in alphabet for b in alphabet for c in alphabet]
    for options in (translit.Options(), translit.Options(capitals="upper"),
                    translit.Options(capitals="title", apostrophe="ascii"),
                    translit.Options(target="latin2026")):
        native, pure = references(options)
        assert native._native is not None
        decided = [native.decisions(word) for word in words]
        assert decided == [pure.decisions(word) for word in words]
        assert sum(map(len, decided)) > len(words) // 4  # (decisions of every kind were told)
        assert {"rule", "capitals", "leftover"} <= {piece.kind for pieces in decided
                                                    for piece in pieces}


def test_decisions_by_the_table_of_ones_own_exceptions(tmp_path):
    mine = tmp_path / "mine.tsv"
    mine.write_text("цех\tsex1\nёш\tyosh1\tword\n", encoding="utf-8")
    native, pure = references(translit.Options(exceptions=(str(mine),)))
    for text in ("цехда ёш Ёш ЁШ", "Ёшлар", "мацех", "ЦЕХ", "сентябрда ОКТЯБРЬ Бюджети",
                 "йилбюджет", "бюджет-бюджет"):
        assert native.decisions(text) == pure.decisions(text)
    assert [p.kind for p in native.decisions("Бюджети")] == ["exception"]
    assert [p.kind for p in native.decisions("цехда")] == ["exception"]


def test_undecodable_bytes_pass_through_the_accelerator():
    data = "Ўзбек \xff\xfe тили".encode("utf-8", "surrogateescape") + b"\xe2\x82"
    text = data.decode("utf-8", "surrogateescape")
    native, pure = engines(translit.Options())
    assert native.convert(text, "surrogateescape") == pure.convert(text, "surrogateescape")
    assert native.convert(text, "surrogateescape").endswith(b"\xe2\x82")


def test_without_the_accelerator_the_pure_path_converts(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Ўзбекистон ШАҲАР\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "translit", str(source)], capture_output=True,
                            timeout=60, env={"TRANSLIT_PURE": "1", "PATH": "/usr/bin:/bin"})
    assert (result.returncode, result.stdout) == (0, "Oʻzbekiston SHAHAR\n".encode())
    check = subprocess.run([sys.executable, "-c", "import translit.engine.fastpath as f; "
                            "print(f.accelerator_available())"], capture_output=True, text=True,
                           timeout=60, env={"TRANSLIT_PURE": "1"})
    assert check.stdout.strip() == "False"


@pytest.mark.parametrize("size", [1, 1000, 300_000])
def test_long_text_is_the_same_either_way(size):
    text = ("Ўзбекистон Республикаси ШАҲАР, объект маъно Центр сентябрда ёмғир. " * size)[:size * 7]
    native, pure = engines(translit.Options())
    assert native.convert(text) == pure.convert(text)


@settings(max_examples=500, deadline=None)
@given(st.one_of(strategies.mixed_text, strategies.any_text,
                 st.text(st.sampled_from("aZЁѐӿԀ\u0400\u04ff\ud800\ud8ff\ud900 .xЖ"), max_size=12)))
def test_the_accelerated_trigger_scan_finds_what_the_pattern_finds(text):
    from translit.engine.fastpath import STAND_IN_RANGE
    from translit.engine.repairs import _triggers, touches_cyrillic

    assert touches_cyrillic is not None
    for refuse, stand_ins in (("", False), (STAND_IN_RANGE, True)):
        assert touches_cyrillic(text, stand_ins) == bool(_triggers(refuse).search(text))


# --- the one pass over UTF-8 bytes (Table.convert_utf8, stream.StreamConverter) -----------

ADDRESS_BITS = ["https://", "http://", "ftp://", "www.", "kun.uz/", "a.b", "@", "x@y.uz",
                "-{", "}-", ".", ",", "!", "?", ":", ";", "«", "»", "“", "(", ")", "'", '"',
                "\u00a0", "\u2003", "\u3000", "\x1c", "\t", "sh", "SH", "Ishoq", "şahar", "Ö",
                "\ufffc", "ә", "і", "и\u0306", "Тoшкент", "Xат", "ЁЁ", "\u0500", "\u052f",
                "\u0531", "\u05d0", "\u07ff", "\u0800"]
# Mostly clean Cyrillic lines with one thing or two that the pass must notice.
one_pass_text = st.lists(st.one_of(
    strategies.uzbek_text, strategies.mixed_text, strategies.cross_word_text,
    strategies.context_text, st.sampled_from(ADDRESS_BITS + strategies.LINE_BREAKS),
    st.sampled_from([" ", "\n", " шаҳар ", "Объект", "сентябрь", "ЦЕХ"])),
    max_size=12).map("".join)
raw_bytes = st.lists(st.one_of(
    one_pass_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82", b"\xf4\x90\x80\x80",
                     b"\xd0", b"\n", b"\r"])), max_size=5).map(b"".join)


def stream_both_ways(options: translit.Options, data: bytes, errors: str, sizes: list[int],
                     track: bool) -> tuple[object, object]:
    """The stream converted with the one pass and without it (the str path), fed in
    blocks of `sizes`: (output, stats, lines) or the decode error's message, each way."""
    from translit.stream import StreamConverter

    transliterator = translit.get_transliterator(options)
    results = []
    for one_pass in (True, False):
        converter = StreamConverter(transliterator, errors=errors, track_changes=track)
        assert (converter._one_pass is not None) == (transliterator.one_pass is not None)
        if not one_pass:  # (with _table, it would take the pass again after a line break)
            converter._one_pass = converter._table = None
        out, at = [], 0
        try:
            for size in sizes:
                out.append(converter.feed(data[at:at + size]))
                at += size
            out.append(converter.feed(data[at:], final=True))
        except ValueError as error:
            results.append(str(error))
            continue
        stats = converter.stats
        results.append((b"".join(out), stats.bytes_in, stats.bytes_out, stats.changed,
                        dict(stats.leftovers), converter.lines_read))
    return results[0], results[1]


# The options the one pass takes (the others go to the str path: tested just below).
one_pass_options = st.builds(
    translit.Options, apostrophe=st.sampled_from(["official", "ascii", "typographic"]),
    capitals=st.sampled_from(["upper", "title"]), contested_exceptions=st.booleans(),
    lookalikes=st.booleans(), keep_addresses=st.booleans())


@settings(max_examples=600, deadline=None)
@given(st.one_of(one_pass_options, strategies.options), raw_bytes, st.sampled_from(["strict", "surrogateescape", "replace"]),
       st.lists(st.integers(0, 40), max_size=4), st.booleans(), st.sampled_from([6, 1 << 16]))
def test_the_one_pass_equals_the_str_path(options, data, errors, sizes, track, longest):
    from unittest import mock

    # `longest`: a line longer than this goes through the str path, and the pass resumes
    with mock.patch("translit.stream.MAX_HELD_LINE", longest):
        one_pass, str_path = stream_both_ways(options, data, errors, sizes, track)
    assert one_pass == str_path


@pytest.mark.parametrize("line", [
    "Ишоқ Ishoq келди", "шаҳар şahar", "ӘЛЕМ әлем", "йўл и\u0306ўл", "Тoшкент", "Xат",
    "хат x@y.uz", "хат @ном", "хат -{Газпром}-", "\ufffc хат", "хат \udcff хат", "хат \r хат"])
@pytest.mark.parametrize("options", [translit.Options(), translit.Options(capitals="title")])
def test_a_line_the_one_pass_cannot_finish_goes_to_the_str_path(line, options):
    data = f"Шаҳар\n{line}\nШаҳар\n".encode("utf-8", "surrogateescape")
    one_pass, str_path = stream_both_ways(options, data, "surrogateescape", [], True)
    assert one_pass == str_path
    first = len("Шаҳар\n".encode())
    out, stop, lines = translit.get_transliterator(options).one_pass.convert_utf8(
        data, 0, len(data))
    if "\r" in line:  # a lone CR is a line break the pass counts; nothing to hand back
        assert (stop, lines) == (len(data), 4)
    else:
        assert (out, stop, lines) == (b"Shahar\n", first, 1)


def test_the_one_pass_is_used_for_the_default_options():
    converter = translit.get_transliterator()
    assert converter.one_pass is not None
    assert translit.get_transliterator(translit.Options(keep_addresses=False)).one_pass is not None
    # What only the str path does: the opt-in repairs, a keep list, the other targets.
    for options in (translit.Options(typed_apostrophes=True),
                    translit.Options(ordinal_dates=True),
                    translit.Options(keep=(strategies.KEEP_LIST,)),
                    translit.Options(quotes="guillemets"), translit.Options(quotes="curly"),
                    translit.Options(target="cyrillic")):
        assert translit.get_transliterator(options).one_pass is None


@pytest.mark.parametrize("text", [
    "Сайт https://gov.uz/янги, ва www.kun.uz. ҳақида\n",
    "ftp://a.b/ц) ва http://x.uz?!\n", "https://. ва https:// ва www.?\n",
    "сентябрhttps://x.uz сентябрь\n", "Тошкентhttps://x.uz ЦИРКwww.a.b\n",
    "Шhttps://x.uz, хатhttps://a «https://б.уз/ш»\n"])
def test_the_one_pass_keeps_addresses_as_the_str_path_does(text):
    data = text.encode()
    converter = translit.get_transliterator()
    out, stop, lines = converter.one_pass.convert_utf8(data, 0, len(data))
    assert (stop, lines) == (len(data), text.count("\n"))  # no line left to the str path
    assert out == converter.convert_bytes(text)


def test_the_one_pass_is_made_from_the_python_definitions():
    """What the C pass sees in each character is what the Python definitions say: word
    characters (words.py), what an address holds and ends with (spans.py), the characters
    whose line goes to the str path (leftover letters, the respeller's letters, the
    repairs' marks), the Cyrillic block and the Latin letters the repairs look at."""
    import re

    from translit.engine import spans
    from translit.engine import words
    from translit.engine.invisible import INVISIBLE_IN_WORDS

    converter = translit.get_transliterator()
    table = converter.one_pass
    not_in = re.compile(spans._NOT_IN_ADDRESS.join("[]"))
    tail = re.compile(f"[{re.escape(spans.ADDRESS_TAIL)}]")
    cyrillic = re.compile(f"[{words.CYRILLIC_BLOCKS}]")
    orthography = converter.orthography
    python = set(converter.direction.respell.quick) | {"@"} | {
        decomposed[-1] for decomposed, _ in orthography.repairs.compositions}
    python |= INVISIBLE_IN_WORDS  # read through by the str path (a soft hyphen ...)
    # The ones from U+0530 on are no flag: each sends its line to the str path.
    for char in sorted(c for c in python if ord(c) >= 0x530):
        line = f"шаҳар{char}да\n".encode()
        assert table.convert_utf8(line, 0, len(line))[1] == 0, hex(ord(char))
    # Over every code point: the set of those with a flag is the set its pattern matches,
    # each pattern run once over all of them (one character at a time took 5 s). Each is
    # a pattern of one character (words.is_word_char is WORD_CHAR.match).
    flags = [table.flags(code) for code in range(0x110000)]
    every = "".join(map(chr, range(0x110000)))
    for bit, pattern in ((256, words.WORD_CHAR), (512, not_in), (1024, tail)):
        flagged = {code for code, found in enumerate(flags) if found & bit}
        matched = {match.start() for match in pattern.finditer(every)}
        assert flagged == matched, (bit, sorted(map(hex, flagged ^ matched))[:20])
    for code in range(0x530):
        char = chr(code)
        assert bool(flags[code] & 1) == (char in python or bool(
            orthography.leftover_letters.match(char))), hex(code)
        assert bool(flags[code] & 2) == bool(cyrillic.match(char)), hex(code)
        assert bool(flags[code] & 4) == bool(re.match("[A-Za-z]", char)), hex(code)


# What the one pass must notice wherever it stands: its tight loop finds where characters
# start 64 bytes at a time (the last bytes before the end of what it is given, apart),
# looks for word exceptions where a word starts with one of their first letters, and
# decides again a letter whose rules look after it (с, ь) where the next one may change it.
BLOCK_ITEMS = [b"\x80", b"a\xbf", b"\xc0\xaf", b"\xd0", b"\xd0a", b"\xd4\x80", b"\xed\xa0\x80",
               "—“".encode(), "😀".encode(), "Бюджет".encode(), "сентябрь ".encode(),
               "БЮДЖЕТ".encode(), "обюджет".encode(), "-мещан".encode(), "ец".encode(),
               " Цех ".encode(), "ЁЁ".encode(), "ШАҲАР".encode(), "Ш".encode(), b"\n", b"\r",
               b"\r\n", b" https://x.uz/ ", b"x@y.uz", b" sh", "Тoш".encode(),
               "\ufffc".encode(), "\u0500".encode(), "\u052f".encode(), b"-{", "«ь»".encode(),
               "сҳ".encode(), "ьи".encode(), "ъё".encode(), "ЕЕ".encode()]


@pytest.mark.parametrize("item", BLOCK_ITEMS)
def test_the_one_pass_notices_what_stands_anywhere_in_its_blocks(item):
    options = translit.Options()
    for filler in ("шаҳар ", "a b. ", "мактаб", "объект "):
        text = (filler * 30).encode()
        for at in range(140):  # (some places cut a letter of the filler in two: not UTF-8)
            data = text[:at] + item + text[at:]
            one_pass, str_path = stream_both_ways(options, data, "surrogateescape", [], True)
            assert one_pass == str_path, (filler, at)


def test_the_one_pass_reads_nothing_beyond_the_end_it_is_given():
    # each end `stop` cuts the text somewhere (a letter in two, an address, a word
    # exception ...): what follows it must make no difference
    text = ("Бюджет шаҳар «сентябрь» www.kun.uz ва ЦЕХ объекти мактабда ғ—ъ\n" * 3).encode()
    table = translit.get_transliterator().one_pass
    for start in (0, text.index(b"\n") + 1):
        for stop in range(start, len(text) + 1):
            assert (table.convert_utf8(text, start, stop)
                    == table.convert_utf8(text[:stop], start, stop)), (start, stop)


def test_the_one_pass_finds_user_exceptions_of_any_shape(tmp_path):
    # The pass tells most words from the exceptions their first letter starts by the two
    # bytes after it, where they are one value or two for all of those exceptions: here
    # letters with one (к), two (п) and four (б, with the built-in бюджет).
    path = tmp_path / "mine.tsv"
    path.write_text("ко\tko1\tword\nбо\tbo1\nба\tba1\nбу\tbu1\tword\nпа\tpa1\nпо\tpo1\n",
                    encoding="utf-8")
    options = translit.Options(exceptions=(str(path),))
    assert translit.get_transliterator(options).one_pass is not None
    words = ["ко", "кол", "ка", "бо", "бола", "ба", "бу", "бур", "би", "па", "по", "пи", "папо",
             "Па", "ПО", "Бу", "бюджет", "мбо", "кпо"]
    data = "\n".join(" ".join(words[k:] + words[:k]) for k in range(len(words))).encode()
    one_pass, str_path = stream_both_ways(options, data, "strict", [], True)
    assert one_pass == str_path
    assert b" pa1 po1 pi pa1po " in one_pass[0]


def test_the_one_pass_equals_the_str_path_on_every_three_letter_window():
    # each letter whose rules look at its neighbours between any two (the pass decides it
    # by tables of what each neighbour is to the rules), and beside characters of two bytes
    # beyond those tables (Armenian ա, N'Ko ߐ) and of three (ẞ)
    from strategies import CONTEXT_LETTERS

    alphabet = CONTEXT_LETTERS + CONTEXT_LETTERS.upper() + "-XʼÀ1 աߐẞ"
    data = "\n".join(a + b + c for a in alphabet for b in alphabet for c in alphabet).encode()
    for options in (translit.Options(), translit.Options(capitals="title", apostrophe="ascii"),
                    translit.Options(target="latin2026")):
        one_pass, str_path = stream_both_ways(options, data, "strict", [], False)
        assert one_pass == str_path


def test_a_second_one_pass_set_up_leaves_the_first_as_it_was():
    # A test asked the default transliterator's fast engine for a one pass with no
    # characters of its own; the one table was set up again, and the default stream then
    # let a 2026 letter through unrespelled ('Ö' came out as 'Ö', not 'Oʻ') for the rest
    # of the process. Found by the stream property in a full run.
    import io

    from translit.stream import convert_stream

    transliterator = translit.get_transliterator()
    assert (transliterator.one_pass is not None) == accelerator_available()
    transliterator.direction.fast.one_pass((), False)
    sink = io.BytesIO()
    convert_stream(io.BytesIO("Ö\n".encode()), sink, transliterator, interactive=False)
    assert sink.getvalue() == "Oʻ\n".encode()
