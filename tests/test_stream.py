"""The streaming converter: same bytes wherever reads stop; errors located exactly."""

from __future__ import annotations

import io
import os
import threading

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import context_text, cross_word_text, mixed_text, options

import translit
from translit.engine.words import MAX_HELD_CHARS
from translit.stream import (
    InputDecodeError,
    StreamConverter,
    convert_chunks,
    convert_stream,
)


class Trickle(io.RawIOBase):
    """A file whose reads return the given sizes in turn (as a pipe or socket may)."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self.data, self.sizes, self.position = data, sizes or [1], 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        step = self.sizes[self.position % len(self.sizes)] if self.position else self.sizes[0]
        self.sizes = self.sizes[1:] + self.sizes[:1]
        chunk = self.data[self.position : self.position + step]
        self.position += len(chunk)
        return chunk


def stream_bytes(data: bytes, sizes: list[int], transliterator=None, **kwargs) -> bytes:
    sink = io.BytesIO()
    convert_stream(Trickle(data, sizes), sink, transliterator, interactive=False, **kwargs)
    return sink.getvalue()


def whole(data: bytes, errors: str = "strict") -> bytes:
    text = data.decode("utf-8", errors)
    surrogates = "surrogateescape" if errors == "surrogateescape" else "surrogatepass"
    return translit.get_transliterator().to_latin_bytes(text, surrogates)


sizes = st.lists(st.integers(1, 40), min_size=1, max_size=8)


@settings(max_examples=300)
@given(st.one_of(mixed_text, context_text), sizes)
def test_streamed_output_equals_whole_conversion(text, read_sizes):
    data = text.encode("utf-8", "surrogatepass")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return  # not valid UTF-8 input; covered by the surrogateescape test below
    assert stream_bytes(data, read_sizes) == whole(data)


@settings(max_examples=200)
@given(st.lists(st.one_of(context_text.map(str.encode), st.binary(max_size=4))).map(b"".join), sizes)
def test_invalid_bytes_go_through_untouched_under_surrogateescape(data, read_sizes):
    out = stream_bytes(data, read_sizes, errors="surrogateescape")
    assert out == whole(data, "surrogateescape")


@given(st.lists(mixed_text, max_size=6))
def test_text_chunks_equal_whole_conversion(chunks):
    assert "".join(convert_chunks(chunks)) == translit.to_latin("".join(chunks))


def test_line_endings_and_bom_are_kept_byte_for_byte():
    data = "\ufeffер\r\nсув\rҳаво\n\r\nend".encode()
    expected = "\ufeffyer\r\nsuv\rhavo\n\r\nend".encode()
    for size in (1, 2, 3, 7, 1 << 20):
        assert stream_bytes(data, [size]) == expected


def test_legacy_encoding_input_gives_utf8_output():
    data = "Ўзбек тили".encode("cp1251")
    assert stream_bytes(data, [3], encoding="cp1251") == "Oʻzbek tili".encode()


@pytest.mark.parametrize("size", [1, 2, 5, 64, 1 << 20])
def test_decode_error_names_line_and_byte_wherever_reads_stop(size):
    data = "бир\r\nикки\nуч\r".encode() + b"\xd0\xb0\xff\xfe" + b"\n"
    with pytest.raises(InputDecodeError) as error:
        stream_bytes(data, [size])
    assert error.value.offset == len("бир\r\nикки\nуч\r".encode()) + 2
    assert error.value.line == 4
    assert error.value.bad == b"\xff"
    assert str(error.value) == (
        "line 4, byte offset 24: cannot decode 0xff as utf-8 (invalid start byte)"
    )


def test_truncated_sequence_at_the_end_is_an_error():
    with pytest.raises(InputDecodeError) as error:
        stream_bytes("ок".encode() + b"\xd0", [1])
    assert (error.value.offset, error.value.line) == (4, 1)


def test_replace_errors_mode_replaces():
    assert stream_bytes(b"\xd0\xb0\xff", [1], errors="replace") == "a\ufffd".encode()


def test_a_line_without_line_breaks_streams_in_pieces():
    converter = StreamConverter()
    word = "сув " * 100_000
    outputs = [converter.feed(word[i : i + 4096].encode()) for i in range(0, len(word), 4096)]
    outputs.append(converter.finish())
    assert sum(1 for out in outputs if out) > 50  # written as it came, not held to the end
    assert b"".join(outputs) == ("suv " * 100_000).encode()


def test_a_giant_word_is_cut_to_keep_memory_bounded():
    converter = StreamConverter()
    data = ("а" * (3 * MAX_HELD_CHARS)).encode()
    first = converter.feed(data)
    assert len(first) == 2 * MAX_HELD_CHARS
    assert first + converter.finish() == b"a" * (3 * MAX_HELD_CHARS)


def read_within(fd: int, seconds: float = 10) -> bytes:
    """What the pipe has, or fail (not hang) when nothing comes in time."""
    import select

    ready, _, _ = select.select([fd], [], [], seconds)
    assert ready, "nothing came through the pipe in time"
    return os.read(fd, 100)


def test_pipe_lines_come_back_before_the_pipe_closes():
    read_end, write_end = os.pipe()
    sink_read, sink_write = os.pipe()
    with open(read_end, "rb", buffering=0) as source, open(sink_write, "wb") as sink:
        worker = threading.Thread(target=convert_stream, args=(source, sink), daemon=True)
        worker.start()
        try:
            os.write(write_end, "биринчи қатор\n".encode())
            assert read_within(sink_read) == b"birinchi qator\n"
            os.write(write_end, "иккинчи\n".encode())
            assert read_within(sink_read) == b"ikkinchi\n"
        finally:
            os.close(write_end)
            worker.join(5)
    os.close(sink_read)


# --- exact for every option -------------------------------------------------------------


@settings(max_examples=400)
@given(options, st.one_of(cross_word_text, mixed_text, context_text), sizes)
def test_streamed_output_equals_whole_conversion_for_every_option(chosen, text, read_sizes):
    assume(not any(0xD800 <= ord(c) <= 0xDFFF for c in text))
    transliterator = translit.get_transliterator(chosen)
    data = text.encode()
    sink = io.BytesIO()
    convert_stream(Trickle(data, read_sizes), sink, transliterator, interactive=False)
    assert sink.getvalue() == transliterator.convert_bytes(text)


@settings(max_examples=400)
@given(options, st.lists(st.one_of(cross_word_text, mixed_text), max_size=6))
def test_text_chunks_equal_whole_conversion_for_every_option(chosen, chunks):
    transliterator = translit.get_transliterator(chosen)
    streamed = "".join(convert_chunks(chunks, transliterator))
    assert streamed == transliterator.convert("".join(chunks))


@pytest.mark.parametrize("chunks, option, expected", [
    (["1995 ", "йил"], "ordinal_dates", "1995-yil"),
    (["1995", " йил"], "ordinal_dates", "1995-yil"),
    (["19", "95 йил 24 ", "август"], "ordinal_dates", "1995-yil 24-avgust"),
    (["30 йиллар ", "олдин"], "ordinal_dates", "30 yillar oldin"),
    (["ма'", "но"], "typed_apostrophes", "maʼno"),
    (["ма", "'но"], "typed_apostrophes", "maʼno"),
    (["Ѐ’", "Ѐ'"], "typed_apostrophes", translit.to_latin("Ѐ’Ѐ'", typed_apostrophes=True)),
])
def test_cross_word_options_at_a_chunk_boundary(chunks, option, expected):
    transliterator = translit.get_transliterator(translit.Options(**{option: True}))
    assert "".join(convert_chunks(chunks, transliterator)) == expected
    data = "".join(chunks).encode()
    for size in range(1, len(data) + 1):
        assert stream_bytes(data, [size], transliterator=transliterator) == expected.encode()


def test_long_text_in_pieces_is_exact_for_ordinal_dates():
    from translit.converter.transliterator import PIECE_CHARS

    transliterator = translit.get_transliterator(translit.Options(ordinal_dates=True))
    unit = "Ҳисобот 1995 йил 24 август "
    text = unit * (2 * PIECE_CHARS // len(unit) + 7)
    assert transliterator.to_latin(text) == transliterator.reference_to_latin(text)


def test_thirty_years_ago_is_not_the_thirties():
    convert = translit.get_transliterator(translit.Options(ordinal_dates=True)).to_latin
    assert convert("30 йиллар олдин") == "30 yillar oldin"
    assert convert("60 йиллар бошларидан") == "60-yillar boshlaridan"
    assert convert("30 йилларда машҳур") == "30-yillarda mashhur"
    assert convert("1995 йил") == "1995-yil"


_PASS_LINES = ["Салом дунё, шаҳар ва цирк.", "Сентябрь ойида ", "", "1995 йил", "ёз\r",
               "Ўзбекистон " * 40]
_STR_PATH_LINES = ["Привет shahar", "Батафсил: https://kun.uz/news/1 манба", "şahar va çoy",
                   "Oʻzbek tili", "shahar choy", "kitob " * 80, "ма'но\r"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PASS_LINES + _STR_PATH_LINES), min_size=1, max_size=400),
       st.sampled_from(["latin", "latin2026"]), st.integers(1, 1 << 17))
def test_many_lines_in_and_out_of_the_pass_equal_whole_conversion(lines, target, block):
    # The stream gives the one pass a window of lines that grows and shrinks with what the
    # pass takes (stream._convert_lines): lines converted by it and lines it gives back,
    # in any order and at any size, read in blocks of any size, come out as the whole text
    # converted at once.
    data = "\n".join(lines).encode()
    transliterator = translit.Transliterator(translit.Options(target=target))
    expected = transliterator.to_latin_bytes(data.decode()) if target == "latin" else (
        transliterator.convert(data.decode()).encode())
    assert stream_bytes(data, [block], transliterator) == expected



@pytest.mark.parametrize("target", ["latin", "latin2026", "cyrillic"])
def test_a_long_line_is_cut_with_quotes_too_to_keep_memory_bounded(target):
    # With --quotes the Latin directions held the unfinished line (a mark's level is read
    # within its line) with no limit: a line of 19 MB streamed in 774 MB and quadratic
    # time (each read joined to all that was held). Past MAX_HELD_CHARS it is cut anyway
    # (README, Limits), at a word's end, as without --quotes.
    transliterator = translit.get_transliterator(translit.Options(target=target,
                                                                  quotes="guillemets"))
    word = "oktabrda " if target == "cyrillic" else "сентябрда "
    line = word * (3 * MAX_HELD_CHARS // len(word))
    assert len(line) - transliterator.safe_cut(line) <= MAX_HELD_CHARS
    converter = StreamConverter(transliterator)
    first = converter.feed(line.encode())
    assert first  # written as it came, not held to the line's end
    assert first + converter.finish() == transliterator.convert(line).encode()
