"""Record formats in the command: JSON Lines, CSV and TSV, Parquet, from files written by
their own libraries (json, csv, pyarrow), in every mode."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import translit
from conftest import run_cli

ROWS = [
    {"id": 1, "text": "Тошкент шаҳри, 1-сентябрь", "meta": {"title": "Хабар", "lang": "uz"},
     "tags": ["янги", "Toshkent"]},
    {"id": 2, "text": "Already Latin: Ishoq keldi", "meta": {"title": "Sarlavha"}},
    {"id": 3, "text": "Кўп\nқаторли «иқтибос» \"қўштирноқ\"", "meta": {"title": None},
     "n": 1.5e3, "ok": True},
    {"id": 4, "матн": "калит ўзгармайди", "text": ""},
]


def latin_of(value):
    """What converting a record must give: every string value converted, keys kept."""
    if isinstance(value, str):
        return value if not translit.detect_script(value).cyrillic else translit.to_latin(value)
    if isinstance(value, list):
        return [latin_of(v) for v in value]
    if isinstance(value, dict):
        return {k: latin_of(v) for k, v in value.items()}
    return value


def write_jsonl(path: Path, rows, **dumps) -> bytes:
    data = "".join(json.dumps(row, **dumps) + "\n" for row in rows).encode()
    path.write_bytes(data)
    return data


# --- JSON Lines --------------------------------------------------------------------------


@pytest.mark.parametrize("ascii_only", [True, False])
def test_jsonl_string_values_are_converted_keys_and_layout_kept(tmp_path, ascii_only):
    source = tmp_path / "a.jsonl"
    write_jsonl(source, ROWS, ensure_ascii=ascii_only)
    code, _, err = run_cli(source, "-o", tmp_path / "b.jsonl")
    assert code == 0, err
    out = (tmp_path / "b.jsonl").read_bytes()
    lines = out.decode().splitlines()
    assert len(lines) == len(ROWS)  # each record stays one line
    assert [json.loads(line) for line in lines] == [latin_of(row) for row in ROWS]
    assert out.isascii() == ascii_only  # escaped as it was
    assert lines[1] == json.dumps(ROWS[1], ensure_ascii=ascii_only)  # Latin: byte for byte
    assert '"матн"' in out.decode() or "\\u043c" in out.decode()  # a key is never converted


def test_jsonl_fields_take_dotted_paths(tmp_path):
    source = tmp_path / "a.jsonl"
    write_jsonl(source, ROWS, ensure_ascii=False)
    code, out, err = run_cli(source, "--field", "meta.title", "--field", "tags")
    assert code == 0, err
    got = [json.loads(line) for line in out.decode().splitlines()]
    assert got[0]["meta"]["title"] == "Xabar" and got[0]["tags"] == ["yangi", "Toshkent"]
    assert got[0]["text"] == ROWS[0]["text"]  # not named: as it was
    assert got[3] == ROWS[3]


def test_jsonl_bad_line_is_an_error_naming_it_or_skipped(tmp_path):
    source = tmp_path / "a.jsonl"
    good = write_jsonl(source, ROWS[:2], ensure_ascii=False)
    source.write_bytes(good + b'{"text": "\xd0\xb1\xd0\xb8\xd1\x80",\n' + good)
    target = tmp_path / "b.jsonl"
    code, _, err = run_cli(source, "-o", target)
    assert code == 2 and not target.exists()
    message = err.decode().strip()
    assert "\n" not in message and "a.jsonl: line 3: not valid JSON" in message
    code, _, err = run_cli(source, "-o", target, "--skip-bad-records")
    assert code == 0, err
    assert target.read_bytes().splitlines()[2] == b'{"text": "\xd0\xb1\xd0\xb8\xd1\x80",'
    assert "1 bad record(s) copied as they were (line 3:" in err.decode()
    assert len(target.read_bytes().splitlines()) == 5


@pytest.mark.parametrize("options, named", [
    (["--field", "text"], "--field"), (["--column", "text", "--stats"], "--column, --stats"),
    (["--skip-bad-records"], "--skip-bad-records")])
def test_options_of_records_given_for_no_record_file_are_said_to_be_unused(
        tmp_path, options, named):
    # --field, --column, --stats and --skip-bad-records were silently ignored on plain text.
    source = tmp_path / "a.txt"
    source.write_text("Шаҳар\n", encoding="utf-8")
    code, out, err = run_cli(*options, source)
    assert code == 0 and out == b"Shahar\n"
    assert f"{named}: only for JSON Lines, CSV, TSV and Parquet; no input is one" in err.decode()
    rows = tmp_path / "r.jsonl"
    rows.write_text(json.dumps({"text": "Шаҳар"}) + "\n", encoding="utf-8")
    code, _, err = run_cli(*options, source, rows, "-o", f"{tmp_path / 'out'}/")
    assert code == 0 and "only for JSON Lines" not in err.decode()


def test_a_record_diff_shows_control_characters_as_escapes(tmp_path):
    # A value (or the file's name) with an escape sequence cleared the screen and set the
    # window title of the terminal the diff was read on: the listing wrote it as it was.
    source = tmp_path / "r\x1b]0;t\x07.jsonl"
    source.write_text(json.dumps({"t": "шаҳар \x1b[2J\x1b]0;owned\x07 маъно\x9b\tx\ny"}) + "\n",
                      encoding="utf-8")
    code, out, _ = run_cli("--diff", source)
    assert code == 1
    shown = out.decode()
    assert not {"\x1b", "\x07", "\x9b", "\t"} & set(shown)
    assert "-шаҳар \\x1b[2J\\x1b]0;owned\\x07 маъно\\x9b\\tx⏎y\n" in shown
    assert "+shahar \\x1b[2J\\x1b]0;owned\\x07 maʼno\\x9b\\tx⏎y\n" in shown
    assert "r\\x1b]0;t\\x07.jsonl" in shown


def test_jsonl_check_diff_in_place_and_stats(tmp_path):
    source = tmp_path / "a.jsonl"
    original = write_jsonl(source, ROWS)
    code, out, err = run_cli("--check", source)
    assert code == 1 and out.decode().strip() == str(source)
    assert "3 of 4 record(s) would change (row 1, 3, 4)" in err.decode()
    code, out, _ = run_cli("--diff", source)
    assert code == 1
    diff = out.decode()
    assert "row 1, field text\n-Тошкент шаҳри, 1-сентябрь\n+Toshkent shahri, 1-sentabr\n" in diff
    assert "row 1, field meta.title\n" in diff and "row 2," not in diff
    assert source.read_bytes() == original  # --check and --diff write nothing
    code, _, err = run_cli("-i", "--stats", source)
    assert code == 0
    assert ("4 record(s) by script: before cyrillic 2, latin 1, mixed 1, none 0; after "
            "cyrillic 0, latin 4, mixed 0, none 0") in err.decode()
    assert run_cli("--check", source)[0] == 0


def test_jsonl_to_cyrillic_leaves_cyrillic_rows_byte_for_byte(tmp_path):
    source = tmp_path / "a.jsonl"
    rows = [{"text": "Тошкент  шаҳри"}, {"text": "Toshkent shahri"}]
    write_jsonl(source, rows, ensure_ascii=False)
    code, out, _ = run_cli("--to", "cyrillic", source)
    assert code == 0
    lines = out.decode().splitlines()
    assert lines[0] == json.dumps(rows[0], ensure_ascii=False)
    assert json.loads(lines[1])["text"] == "Тошкент шаҳри"


# --- CSV and TSV -------------------------------------------------------------------------

TABLE = [["id", "text", "note"],
         ["1", "Салом, дунё", "Хайр"],
         ["2", 'Кўп\nқаторли "иқтибос"', "ok"],
         ["3", "Latin only", ""],
         ["4", "", "Ишоқ; бир"]]


@pytest.mark.parametrize("dialect", [
    {"delimiter": ",", "lineterminator": "\r\n"},
    {"delimiter": ";", "lineterminator": "\n", "quoting": csv.QUOTE_ALL},
    {"delimiter": "\t", "lineterminator": "\n", "suffix": ".tsv"},
    {"delimiter": "|", "lineterminator": "\r\n", "quoting": csv.QUOTE_MINIMAL},
])
def test_csv_cells_converted_dialect_kept(tmp_path, dialect):
    dialect = dict(dialect)
    suffix = dialect.pop("suffix", ".csv")
    source = tmp_path / f"a{suffix}"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, **dialect).writerows(TABLE)
    target = tmp_path / f"b{suffix}"
    code, _, err = run_cli(source, "-o", target)
    assert code == 0, err
    with open(target, newline="", encoding="utf-8") as handle:
        got = list(csv.reader(handle, delimiter=dialect["delimiter"]))
    assert got[0] == TABLE[0]
    assert got[1:] == [[latin_of(cell) for cell in row] for row in TABLE[1:]]
    before, after = source.read_bytes(), target.read_bytes()
    assert after.count(b"\r\n") == before.count(b"\r\n")  # line endings kept
    assert after.count(b'"') == before.count(b'"')  # quoting kept
    assert after.splitlines()[0] == before.splitlines()[0]  # header byte for byte
    latin_row = [line for line in after.splitlines() if b"Latin only" in line]
    assert latin_row == [line for line in before.splitlines() if b"Latin only" in line]


def test_csv_columns_named_and_a_missing_one(tmp_path):
    source = tmp_path / "a.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(TABLE)
    code, out, _ = run_cli(source, "--column", "note")
    assert code == 0
    got = list(csv.reader(io.StringIO(out.decode(), newline="")))
    assert [row[1] for row in got] == [row[1] for row in TABLE]
    assert [row[2] for row in got][1:] == ["Xayr", "ok", "", "Ishoq; bir"]
    code, _, err = run_cli(source, "--column", "body")
    assert code == 2 and "a.csv: no column 'body' in the header (columns: id, text, note)" in err.decode()


def test_csv_unclosed_quote_and_text_after_a_quote(tmp_path):
    source = tmp_path / "a.csv"
    source.write_bytes('id,text\n1,"ok" x\n2,Бир\n3,"never closed\n'.encode())
    code, _, err = run_cli(source)
    assert code == 2 and "line 2: text after a closing quote" in err.decode()
    code, out, err = run_cli(source, "--skip-bad-records")
    assert code == 0
    assert out.decode() == 'id,text\n1,"ok" x\n2,Bir\n3,"never closed\n'
    assert "2 bad record(s) copied as they were (line 2:" in err.decode()
    assert "line 4: a quote is never closed" in err.decode()


@pytest.mark.parametrize("record", [
    '1,"Бир\nикки\nуч",Тўрт\n',  # a cell over lines
    '1,"""Бир""\n""икки""\n""",x\n',  # doubled quotes at the lines' edges
    '1,"Бир\nикки",Уч,"тўрт\nбеш\n",олти\n',  # a cell closed, another opened, on one line
    '1,"Бир\r\nикки\r\n",x\r\n',  # CRLF
    '1,"Бир\n\n\nикки"\n',  # empty lines in it
])
def test_csv_a_record_over_lines_is_read_as_one(record):
    data = ("id,a,b,c,d\n" + record + "2,Сўнг,x\n").encode()
    out = convert_format(data, "csv")
    def read(data: bytes) -> list[list[str]]:
        return list(csv.reader(io.StringIO(data.decode(), newline="")))
    written = read(data)
    assert read(out) == [written[0], *[[latin_value(cell) for cell in row] for row in written[1:]]]


def test_csv_text_after_a_closing_quote_on_a_later_line_is_the_records_error(tmp_path):
    source = tmp_path / "a.csv"
    source.write_bytes('id,text\n1,"Бир\nикки" x\n2,Уч\n'.encode())
    code, _, err = run_cli(source)
    assert code == 2 and "line 2: text after a closing quote" in err.decode()
    code, out, _ = run_cli(source, "--skip-bad-records")
    assert code == 0 and out.decode() == 'id,text\n1,"Бир\nикки" x\n2,Uch\n'


def test_csv_check_and_diff_name_rows_and_columns(tmp_path):
    source = tmp_path / "a.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(TABLE)
    code, _, err = run_cli("--check", source)
    assert code == 1 and "3 of 4 record(s) would change (row 1, 2, 4)" in err.decode()
    code, out, _ = run_cli("--diff", source)
    assert code == 1
    assert "row 2, field text\n-Кўп⏎қаторли \"иқтибос\"\n+Koʻp⏎qatorli \"iqtibos\"\n" in out.decode()


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
@pytest.mark.parametrize("name", ["a.csv", "a.tsv", "a.jsonl"])
def test_records_found_by_encoding_auto_in_every_mode(tmp_path, name, encoding):
    # --diff read the records with the codec named "auto": an internal error.
    text = {"a.csv": "id,text\n1,Тошкент\n", "a.tsv": "id\ttext\n1\tТошкент\n",
            "a.jsonl": '{"text": "Тошкент"}\n'}[name]
    source = tmp_path / name
    source.write_bytes(text.encode(encoding))
    for mode in ("--diff", "--check"):
        code, out, err = run_cli("--encoding", "auto", mode, source)
        assert code == 1, err
        assert "internal error" not in err.decode()
    code, out, err = run_cli("--encoding", "auto", "--diff", source)
    assert "-Тошкент\n+Toshkent\n" in out.decode()
    code, out, err = run_cli("--encoding", "auto", source, "-o", tmp_path / "out")
    assert code == 0, err
    assert (tmp_path / "out").read_text("utf-8") == text.replace("Тошкент", "Toshkent")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
@pytest.mark.parametrize("name", ["a.csv", "a.tsv", "a.jsonl"])
def test_records_in_an_encoding_whose_line_break_is_not_one_byte_are_refused(tmp_path, name,
                                                                             encoding):
    # Records are split at the byte b"\n": UTF-16 split there read as nonsense, and
    # --skip-bad-records wrote the pieces (mojibake, exit 0).
    source = tmp_path / name
    source.write_bytes("id,text\n1,Тошкент\n".encode(encoding))
    for extra in ([], ["--skip-bad-records"]):
        code, out, err = run_cli("--encoding", encoding, *extra, source, "-o", tmp_path / "out")
        assert code == 2
        assert err.decode() == (f"translit: {source}: {name[2:]} is read a line at a time, which "
                                f"needs an encoding in which a line break is one byte, not "
                                f"{encoding} (iconv -f {encoding} -t utf-8 converts it first)\n")
        assert not (tmp_path / "out").exists()


# --- Parquet -----------------------------------------------------------------------------


def write_parquet(path: Path, rows: int = 50, row_group: int = 10, **options) -> pa.Table:
    table = pa.table({
        "id": pa.array(range(rows), pa.int64()),
        "text": pa.array([None if i % 7 == 3 else (f"Қатор {i}: Тошкент" if i % 2 else
                                                     f"Row {i}") for i in range(rows)]),
        "note": pa.array(["Хайр"] * rows, pa.large_string()),
    }).replace_schema_metadata({"source": "crawl-2026"})
    pq.write_table(table, path, row_group_size=row_group, **options)
    return table


def test_parquet_keeps_row_groups_compression_and_metadata(tmp_path):
    source, target = tmp_path / "a.parquet", tmp_path / "b.parquet"
    table = write_parquet(source, compression="zstd")
    code, _, err = run_cli(source, "-o", target)
    assert code == 0, err
    before, after = pq.ParquetFile(source), pq.ParquetFile(target)
    assert after.schema_arrow == before.schema_arrow
    assert after.schema_arrow.metadata[b"source"] == b"crawl-2026"
    assert after.metadata.num_row_groups == before.metadata.num_row_groups == 5
    assert [after.metadata.row_group(i).num_rows for i in range(5)] == [10] * 5
    assert {after.metadata.row_group(0).column(i).compression for i in range(3)} == {"ZSTD"}
    got = after.read()
    assert got.column("id").equals(table.column("id"))
    assert got.column("text").to_pylist() == [None if v is None else translit.to_latin(v)
                                              for v in table.column("text").to_pylist()]
    assert got.column("note").to_pylist() == ["Xayr"] * 50


def test_parquet_named_column_check_diff_and_unchanged_file(tmp_path):
    source = tmp_path / "a.parquet"
    write_parquet(source, compression="snappy")
    code, _, err = run_cli("--check", "--column", "note", source)
    assert code == 1 and "50 of 50 record(s) would change" in err.decode()
    code, out, _ = run_cli("--diff", "--column", "text", source)
    assert code == 1 and "row 2, field text\n-Қатор 1: Тошкент\n+Qator 1: Toshkent\n" in out.decode()
    assert "row 1," not in out.decode()
    code, _, err = run_cli("--column", "id", source, "-o", tmp_path / "x.parquet")
    assert code == 2 and "column 'id' holds int64, not text" in err.decode()
    latin = tmp_path / "latin.parquet"
    pq.write_table(pa.table({"text": ["Toshkent", None]}), latin)
    target = tmp_path / "copy.parquet"
    assert run_cli(latin, "-o", target)[0] == 0
    assert target.read_bytes() == latin.read_bytes()  # nothing changed: the bytes copied
    code, out, _ = run_cli("-i", source)
    assert code == 0 and pq.read_table(source).column("note").to_pylist()[0] == "Xayr"


def test_parquet_bad_file_is_one_line(tmp_path):
    source = tmp_path / "a.parquet"
    source.write_bytes(b"PAR1 not really")
    code, _, err = run_cli(source, "-o", tmp_path / "b.parquet")
    message = err.decode().strip()
    assert code == 2 and "\n" not in message and "a.parquet: not a Parquet file" in message


# --- folders of shards, --jobs, imports ----------------------------------------------------


@pytest.mark.timeout(120)
def test_a_folder_of_shards_with_jobs(tmp_path):
    shards = tmp_path / "shards"
    shards.mkdir()
    expected = {}
    for i in range(4):
        rows = [{"text": f"Ҳужжат {i}-{j}: " + "Тошкент шаҳри " * 200} for j in range(400)]
        write_jsonl(shards / f"part-{i}.jsonl", rows, ensure_ascii=False)
        expected[f"part-{i}.jsonl"] = [latin_of(row) for row in rows]
    write_parquet(shards / "part-9.parquet")
    code, _, err = run_cli(shards, "-o", tmp_path / "out", "--jobs", "2")
    assert code == 0, err
    for name, rows in expected.items():
        got = [json.loads(line) for line in (tmp_path / "out" / name).read_text().splitlines()]
        assert got == rows
    assert pq.read_table(tmp_path / "out" / "part-9.parquet").column("note")[0].as_py() == "Xayr"


def test_text_records_do_not_import_pyarrow(tmp_path):
    source = tmp_path / "a.jsonl"
    write_jsonl(source, ROWS)
    (tmp_path / "b.csv").write_text("id,text\n1,Бир\n", encoding="utf-8")
    code = ("import sys; from translit.cli.app import parse_and_run; import io;"
            f"parse_and_run([{str(source)!r}, {str(tmp_path / 'b.csv')!r}], io.BytesIO(), io.BytesIO());"
            "print('pyarrow' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


# --- properties: whatever the json and csv modules write comes back as they read it ----------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from strategies import mixed_text, uzbek_text  # noqa: E402

from translit.formats import convert as convert_format  # noqa: E402

cell_text = st.one_of(uzbek_text, mixed_text, st.sampled_from(["", "a,b", '"', "\r\n", "x\ny"]))


def latin_value(text: str) -> str:
    transliterator = translit.get_transliterator()
    from translit.converter.batch import in_target_script

    return text if in_target_script(text, transliterator) else transliterator.convert(text)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), cell_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(cell_text, inner, max_size=3)),
    max_leaves=8)


def latin_json(value):
    if isinstance(value, str):
        return latin_value(value)
    if isinstance(value, list):
        return [latin_json(v) for v in value]
    if isinstance(value, dict):
        return {k: latin_json(v) for k, v in value.items()}
    return value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(json_values, min_size=1, max_size=5), st.booleans())
def test_jsonl_property(rows, ascii_only):
    data = "".join(json.dumps(row, ensure_ascii=ascii_only) + "\n" for row in rows).encode(
        "utf-8", "surrogatepass")
    out = convert_format(data, "jsonl")
    lines = out.split(b"\n")[:-1]
    assert len(lines) == len(rows)
    assert [json.loads(line) for line in lines] == [latin_json(row) for row in rows]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=5),
       st.sampled_from([",", ";", "\t"]), st.sampled_from(["\n", "\r\n"]),
       st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
def test_csv_property(rows, delimiter, ending, quoting):
    header = ["id", "a,b" if delimiter != "," else "ab", "c"]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=ending, quoting=quoting).writerows(
        [header, *rows])
    data = buffer.getvalue().encode("utf-8", "surrogatepass")
    out = convert_format(data, "tsv" if delimiter == "\t" else "csv")
    def read(data: bytes) -> list[list[str]]:
        return list(csv.reader(io.StringIO(data.decode("utf-8", "surrogatepass"), newline=""),
                               delimiter=delimiter))

    # As the csv module reads the input (it writes a lone CR unquoted, and reads it back as
    # a line break), each cell converted:
    written = read(data)
    assert read(out) == [written[0], *[[latin_value(cell) for cell in row] for row in written[1:]]]
    if all(latin_value(cell) == cell for row in rows for cell in row):
        assert out == data  # nothing to convert: byte for byte


def test_parquet_from_a_pipe_is_refused_in_one_line(tmp_path):
    from translit.formats import FormatError
    from translit.formats.parquet import convert as convert_parquet
    from translit.formats.corpus import RecordJob

    class Pipe(io.RawIOBase):
        def seekable(self):
            return False

    with pytest.raises(FormatError, match="read from its end .* not a pipe"):
        convert_parquet(Pipe(), None, RecordJob(translit.get_transliterator()))


@settings(max_examples=200, deadline=None)
@given(json_values, st.booleans())
def test_jsonl_both_scans_find_the_same_strings(value, ascii_only):
    from translit.formats.jsonl import every_string_value, string_values

    line = json.dumps(value, ensure_ascii=ascii_only)
    fast = [(v.start, v.end, v.text) for v in every_string_value(line)]
    assert fast == [(v.start, v.end, v.text) for v in string_values(line)]
