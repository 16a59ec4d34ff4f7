"""The compiled accelerator (translit/_accel.c) and the pure fast engine agree, always.

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
from hypothesis import given, settings
from hypothesis import strategies as st

import translit
from translit.fastpath import FastEngine, accelerator_available


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
    check = subprocess.run([sys.executable, "-c", "import translit.fastpath as f; "
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
    from translit.fastpath import STAND_IN_RANGE
    from translit.repairs import _triggers, touches_cyrillic

    assert touches_cyrillic is not None
    for refuse, stand_ins in (("", False), (STAND_IN_RANGE, True)):
        assert touches_cyrillic(text, stand_ins) == bool(_triggers(refuse).search(text))
