"""The batch API (convert_batch, the Arrow entry points) and script detection."""

from __future__ import annotations

import pickle

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import translit
from translit.converter.batch import convert_arrow, convert_batch, convert_columns, in_target_script
from translit.engine.scripts import detect_script

from strategies import cross_word_text, mixed_text, options, uzbek_text

records = st.lists(st.one_of(st.none(), uzbek_text, mixed_text, cross_word_text), max_size=12)


def one_by_one(texts: list[str | None], transliterator: translit.Transliterator) -> list[str | None]:
    """What the batch must give: each record on its own, and a record in the target
    script as it was."""
    return [None if t is None else t if in_target_script(t, transliterator)
            else transliterator.convert(t) for t in texts]


@settings(max_examples=150, deadline=None)
@given(records, options)
def test_batch_is_one_call_per_record(texts: list[str | None], chosen: translit.Options) -> None:
    transliterator = translit.get_transliterator(chosen)
    assert convert_batch(texts, chosen) == one_by_one(texts, transliterator)


@settings(max_examples=60, deadline=None)
@given(records, st.sampled_from(["latin2026", "cyrillic"]))
def test_batch_other_targets(texts: list[str | None], target: str) -> None:
    transliterator = translit.get_transliterator(translit.Options(target=target))  # type: ignore[arg-type]
    assert convert_batch(texts, transliterator) == one_by_one(texts, transliterator)


def test_batch_of_a_large_list_crosses_the_piece_size() -> None:
    texts = [f"Қатор {i}: Тошкент шаҳри" for i in range(30_000)]  # > PIECE_CHARS in all
    out = convert_batch(texts)
    assert out[0] == "Qator 0: Toshkent shahri" and out[-1] == "Qator 29999: Toshkent shahri"
    assert len(out) == len(texts)


def test_records_in_the_target_script_pass_byte_for_byte() -> None:
    # The 1995 target respells a 2026 stem (Ishoq → Isʼhoq) in running text, but a record
    # with no Cyrillic letter is already in the target script: left as it is.
    assert translit.to_latin("Ishoq") != "Ishoq"
    assert convert_batch(["Ishoq", "Исҳоқ"]) == ["Ishoq", translit.to_latin("Исҳоқ")]
    to_cyrillic = translit.Options(target="cyrillic")
    assert convert_batch(["Тошкент", "Toshkent"], to_cyrillic) == ["Тошкент", "Тошкент"]


def test_detect_script() -> None:
    assert detect_script("Ўзбекистон").script == "cyrillic"
    assert detect_script("Oʻzbekiston").script == "latin"
    assert detect_script("").script == "none" and detect_script("123 ...").letters == 0
    mixed = detect_script("Салом, Alisher")
    assert mixed.script == "mixed" and mixed.cyrillic + mixed.latin == pytest.approx(1.0)
    assert translit.detect_script is detect_script


def test_arrow_types_and_nulls_are_kept() -> None:
    for kind in (pa.string(), pa.large_string()):
        array = pa.array(["Китоб", None, "", "book"], type=kind)
        out = convert_arrow(array)
        assert out.type == kind and out.to_pylist() == ["Kitob", None, "", "book"]
        assert out.null_count == 1
    chunked = pa.chunked_array([pa.array(["Бир"]), pa.array([None, "Икки"])])
    out = convert_arrow(chunked)
    assert out.num_chunks == 2 and out.to_pylist() == ["Bir", None, "Ikki"]
    dictionary = pa.array(["Бир", "Бир", None, "Икки"]).dictionary_encode()
    out = convert_arrow(dictionary)
    assert pa.types.is_dictionary(out.type) and out.to_pylist() == ["Bir", "Bir", None, "Ikki"]


def test_convert_columns_keeps_schema_and_metadata() -> None:
    schema = pa.schema([("id", pa.int64()), ("text", pa.string()), ("note", pa.string())],
                       metadata={b"source": b"crawl"})
    batch = pa.record_batch([pa.array([1, 2]), pa.array(["Салом", None]),
                             pa.array(["Ҳа", "Йўқ"])], schema=schema)
    out = convert_columns(batch, ["text"])
    assert out.schema == schema and out.schema.metadata == {b"source": b"crawl"}
    assert out.column(1).to_pylist() == ["Salom", None]
    assert out.column(2).to_pylist() == ["Ҳа", "Йўқ"]  # not named: as it was
    assert convert_columns(pa.Table.from_batches([batch])).column("note").to_pylist() == [
        "Ha", "Yoʻq"]
    with pytest.raises(KeyError, match="no column 'body'"):
        convert_columns(batch, ["body"])


def test_pandas_through_arrow() -> None:
    pandas = pytest.importorskip("pandas")  # the test extra installs it
    frame = pandas.DataFrame({"text": ["Тошкент", None, "Самарқанд"]})
    frame["text"] = convert_arrow(pa.array(frame["text"])).to_pandas()
    assert frame["text"].tolist()[0] == "Toshkent" and frame["text"].isna().tolist() == [
        False, True, False]


def test_a_transliterator_pickles_small_and_fast() -> None:
    transliterator = translit.get_transliterator(translit.Options(apostrophe="ascii"))
    data = pickle.dumps(transliterator)
    assert len(data) < 1024  # the options only; tables are rebuilt (cached) on arrival
    # Fast because nothing is built: each arrival is the cached one in this process (the
    # time itself is bench/'s to measure, not a test's on a shared machine).
    for _ in range(100):
        assert pickle.loads(data) is transliterator
