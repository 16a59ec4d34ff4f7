"""The Python API: options, explain, batches, pickling, threads, and what the core imports."""

from __future__ import annotations

import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import translit


def test_to_latin_with_options():
    assert translit.to_latin("Ўғил маъно") == "O\u02bbg\u02bbil ma\u02bcno"
    assert translit.to_latin("Ўғил маъно", apostrophe="ascii") == "O'g'il ma'no"
    assert translit.to_latin("Ўғил маъно", apostrophe="typographic") == "O‘g‘il ma’no"
    assert translit.to_latin("Ўғил ШАҲАР чой", target="latin2026") == "Öğil ŞAHAR çoy"
    assert translit.to_latin("АҚШ МЧЖ Шаҳар", capitals="title") == "AQSh MChJ Shahar"
    assert translit.to_latin("Eр") == "Yer"  # a Latin E typed in a Cyrillic word
    assert translit.to_latin("Eр", lookalikes=False) == "Er"


def test_bad_option_is_a_value_error():
    with pytest.raises(ValueError, match="apostrophe must be one of"):
        translit.to_latin("а", apostrophe="fancy")


def test_options_are_checked_however_they_are_made(tmp_path):
    from pathlib import Path

    from translit.files import FileOptions

    with pytest.raises(ValueError, match="target must be one of"):
        translit.Options()._replace(target="latin1066")
    with pytest.raises(ValueError, match="errors must be one of"):
        FileOptions()._replace(errors="ignore")
    options = translit.Options(keep=[str(tmp_path / "keep.txt")], rules=str(tmp_path / "r.tsv"))
    assert options.keep == (tmp_path / "keep.txt",) and options.rules == tmp_path / "r.tsv"
    assert isinstance(options.rules, Path) and hash(options) == hash(pickle.loads(pickle.dumps(options)))
    assert options._replace(apostrophe="ascii").keep == options.keep
    assert translit.Options() == translit.Options() and translit.Options() != options


def test_explain_names_rule_and_exception():
    pieces = translit.explain("объект 1-сентябрда")
    by_source = {piece.source: piece for piece in pieces}
    assert by_source["ъ"].latin == ""
    assert "R5.2" in by_source["ъ"].reason
    assert by_source["сентябр"].latin == "sentabr"
    assert "exceptions.tsv" in by_source["сентябр"].reason
    assert by_source[" 1-"].reason == ""  # passed through
    assert "".join(piece.latin for piece in pieces) == "obyekt 1-sentabrda"


def test_to_latin_many_is_lazy_and_ordered():
    results = translit.to_latin_many(iter(["ер", "сув", "ҳаво"]))
    assert next(results) == "yer"
    assert list(results) == ["suv", "havo"]


def test_transliterator_pickles_and_converts_after():
    converter = translit.get_transliterator(translit.Options(apostrophe="ascii"))
    clone = pickle.loads(pickle.dumps(converter))
    assert clone.options == converter.options
    assert clone.to_latin("маъно") == "ma'no"


def test_default_transliterator_is_cached():
    assert translit.get_transliterator() is translit.get_transliterator(translit.Options())


def test_threads_get_the_same_answer():
    text = "Ўзбекистон Республикаси ШАҲАР объект маъно " * 200
    expected = translit.to_latin(text)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(translit.to_latin, [text] * 64))
    assert results == [expected] * 64


def test_decomposed_letters_are_composed_but_other_text_is_not():
    assert translit.to_latin("и\u0306у\u0306л е\u0308з") == "yo\u02bbl yoz"
    assert translit.to_latin("cafe\u0301 Å") == "cafe\u0301 Å"  # Latin keeps its bytes


def test_core_imports_neither_typer_nor_rich():
    code = "import sys, translit; translit.to_latin('а'); print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_long_text_in_pieces_equals_the_reference():
    from translit.converter.transliterator import PIECE_CHARS

    text = "Ўзбекистон ШАҲАР объект, маъно; ёз-ер 1-сентябрь.\n" * (3 * PIECE_CHARS // 50)
    converter = translit.get_transliterator()
    assert len(text) > 2 * PIECE_CHARS
    assert converter.to_latin(text) == converter.reference_to_latin(text)
    word = "а" * (PIECE_CHARS + 5)  # a word longer than a piece stays whole
    assert converter.to_latin("x " + word + " ер") == "x " + "a" * (PIECE_CHARS + 5) + " yer"


def test_addresses_and_handles_stay_as_they_are():
    text = ("Сайт: https://gov.uz/uz/янгиликлар, хат: али@почта.уз ёки @translit_уз. "
            "www.kun.uz/янги ер")
    assert translit.to_latin(text) == (
        "Sayt: https://gov.uz/uz/янгиликлар, xat: али@почта.уз yoki @translit_уз. "
        "www.kun.uz/янги yer")
    assert translit.to_latin(text, keep_addresses=False) == (
        "Sayt: https://gov.uz/uz/yangiliklar, xat: ali@pochta.uz yoki @translit_uz. "
        "www.kun.uz/yangi yer")


def test_an_address_split_between_reads_is_still_kept():
    from translit.stream import convert_chunks

    text = "Манба: https://gov.uz/янгиликлар ва ер"
    expected = translit.to_latin(text)
    for cut in range(1, len(text)):
        assert "".join(convert_chunks([text[:cut], text[cut:]])) == expected


def test_text_that_holds_the_address_mark_itself_is_still_exact():
    converter = translit.get_transliterator()
    text = "ер \ufffc https://gov.uz/ер \ufffc али@почта.уз ер"
    assert converter.to_latin(text) == converter.reference_to_latin(text)
    assert converter.to_latin(text) == "yer \ufffc https://gov.uz/ер \ufffc али@почта.уз yer"


# --- issue 19.9: the library from help() and a typo -------------------------------------------


def test_every_public_name_has_a_docstring_with_examples_that_run(tmp_path, monkeypatch):
    import doctest
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the examples' folders (conftest.py)
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for name in translit.__all__:
        if name == "__version__":
            continue
        value = getattr(translit, name)
        assert ">>> " in (value.__doc__ or ""), f"{name} has no example in its docstring"
        module = sys.modules[value.__module__]  # its examples run in its module, as pytest runs them
        tests = [t for t in finder.find(value, name, module=module)
                 if t.name == name and t.examples]  # its own docstring's, not its methods'
        assert tests, name
        for test in tests:
            runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_the_library_says_what_the_caller_did_wrong_in_the_callers_words():
    import pydoc

    from translit import formats

    shown = pydoc.render_doc(translit.Options, renderer=pydoc.plaintext)
    assert "Options(apostrophe: 'Apostrophe' = 'official', target: 'Target' = 'latin'" in shown
    with pytest.raises(TypeError, match=r"^Options has no option 'apostrophy' \(did you mean "
                                        r"apostrophe\?\); its options: apostrophe, target"):
        translit.to_latin("ш", apostrophy="ascii")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^to_latin\(\) takes text \(str\), not bytes"):
        translit.to_latin(b"\xd1\x88")  # type: ignore[arg-type]
    assert translit.Transliterator().to_cyrillic("Toshkent") == "Тошкент"
    assert translit.Transliterator(translit.Options(target="cyrillic")).to_latin("Шаҳар") == "Shahar"
    assert dir(translit) == sorted(translit.__all__)
    assert not {"Any", "TYPE_CHECKING", "annotations"} & set(dir(translit))
    with pytest.raises(ValueError, match=r"^convert\(\) needs the format named \(data has no file "
                                         r"name to tell it by\): text, html, .* not 'auto'$"):
        formats.convert("Ц", "auto")
    helped = pydoc.render_doc(translit, renderer=pydoc.plaintext)
    assert "translit.files" in helped and "convert_file" in helped
