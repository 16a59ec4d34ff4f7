"""The command as a demanding user finds it: a terminal, a pipe, a pager, the standard
streams by name, legacy encodings, one id per decision in every output."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import drain, pseudo_terminal, write

import translit

COMMAND = [sys.executable, "-m", "translit"]
ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")



def environment(env: dict[str, str] | None = None) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("NO_COLOR", "FORCE_COLOR", "LESS", "PAGER", "TRANSLIT_PAGER")}
    clean.update({"TERM": "xterm-256color", **(env or {})})
    return clean


def in_terminal(*args: object, env: dict[str, str] | None = None, columns: int = 80,
                rows: int = 500, cwd: Path | None = None,
                stdin: bytes | None = None) -> tuple[int, str, str]:
    """translit with standard output (and input, unless `stdin` is given) on a
    pseudo-terminal of `columns` × `rows`: (status, what the terminal shows, stderr)."""
    leader, follower = pseudo_terminal(rows, columns)
    process = subprocess.Popen([*COMMAND, *map(str, args)], stdout=follower,
                               stdin=subprocess.PIPE if stdin is not None else follower,
                               stderr=subprocess.PIPE, env=environment(env), cwd=cwd)
    os.close(follower)
    if stdin is not None:
        assert process.stdin is not None
        process.stdin.write(stdin)
        process.stdin.close()
    shown = drain(leader)
    assert process.stderr is not None
    return process.wait(30), shown.decode("utf-8", "replace"), process.stderr.read().decode()


def piped(*args: object, env: dict[str, str] | None = None, cwd: Path | None = None,
          input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*COMMAND, *map(str, args)], input=input, capture_output=True,
                          env=environment(env), cwd=cwd, timeout=60)


# --- 3. a binary document is not written to a terminal --------------------------------------


def word_document(path: Path) -> Path:
    import docx  # python-docx

    document = docx.Document()
    document.add_paragraph("Ҳисобот")
    saved = io.BytesIO()
    document.save(saved)
    return write(path, saved.getvalue())


def test_a_document_is_not_written_to_a_terminal(tmp_path):
    source = word_document(tmp_path / "report.docx")
    status, shown, err = in_terminal(source)
    assert status == 2
    assert shown == ""  # not a byte of the zip on the screen
    assert err == (f"translit: {source}: a Word document is binary: not written to a terminal; "
                   "name an output file (-o OUT) or redirect standard output\n")
    piped_out = piped(source)  # into a pipe or a file it is written as asked
    assert piped_out.returncode == 0 and piped_out.stdout.startswith(b"PK")


# --- 8. standard output by name -------------------------------------------------------------


def test_dash_and_dev_stdout_as_output_write_to_standard_output(tmp_path):
    write(tmp_path / "a.txt", "Шаҳар\n")
    for name in ("-", "/dev/stdout"):
        with open(tmp_path / "out.txt", "wb") as out:  # a file: /dev/stdout is a link to it
            result = subprocess.run([*COMMAND, "a.txt", "-o", name], stdout=out,
                                    stderr=subprocess.PIPE, cwd=tmp_path, timeout=60)
        assert (result.returncode, result.stderr) == (0, b""), name
        assert (tmp_path / "out.txt").read_bytes() == b"Shahar\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "out.txt"]
    result = piped("-o", "-", input="Ўзбек\n".encode(), cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "Oʻzbek\n".encode(), b"")
    assert not (tmp_path / "-").exists()
    assert piped("-i", "a.txt", "-o", "-", cwd=tmp_path).returncode == 2  # still a usage error


# --- 5. the pager, and a closed pipe ---------------------------------------------------------


def pager_script(tmp_path: Path) -> Path:
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\necho \"LESS=$LESS\" > {tmp_path}/paged; cat\n")
    pager.chmod(0o755)
    return pager


def test_the_users_own_less_gets_r_added(tmp_path):
    source = write(tmp_path / "long.txt", "".join(f"сатр {i}\n" for i in range(60)))
    pager = pager_script(tmp_path)
    for less, seen in (("-i", "-i -R"), ("-iR", "-iR"), (None, "FRX")):
        env = {"PAGER": str(pager), **({"LESS": less} if less is not None else {})}
        status, shown, err = in_terminal("--diff", source, env=env, rows=20)
        assert (status, err) == (1, "")
        assert (tmp_path / "paged").read_text() == f"LESS={seen}\n"


def test_a_pager_that_cannot_run_is_named_and_the_preview_shown_without_it(tmp_path):
    source = write(tmp_path / "long.txt", "".join(f"сатр {i}\n" for i in range(60)))
    status, shown, err = in_terminal("--diff", "--pager", "nosuchpager", source, rows=20)
    assert status == 1
    assert err == ("translit: nosuchpager: cannot run the pager (No such file or directory); "
                   "the preview is shown without one\n")
    assert "satr 59" in ESCAPES.sub("", shown)


@pytest.mark.parametrize("mode", [[], ["--json"], ["--color", "always"],
                                  ["--layout", "word-diff"], ["--layout", "inline"]])
def test_a_closed_pipe_is_141_in_every_output_mode(tmp_path, mode):
    """translit --diff ... | head -1: the reader went away, whatever the output's form."""
    write(tmp_path / "big.txt", "Ўзбекистон маъно ва объект\n" * 100_000)
    script = f"{' '.join(COMMAND)} --diff {' '.join(mode)} big.txt | head -1; echo ${{PIPESTATUS[0]}} >&2"
    result = subprocess.run(["bash", "-c", script], capture_output=True, cwd=tmp_path,
                            env=environment(), timeout=120)
    assert result.stdout.count(b"\n") == 1
    assert result.stderr == b"141\n"


# --- 4. what the person names is honoured in a pipe ----------------------------------------

REPORT = "Компания маълумот эълон қилди.\nLatin line.\nОбъект 1-сентябрда топширилади.\n"


def test_preview_options_are_honoured_in_a_pipe_as_plain_text(tmp_path):
    write(tmp_path / "r.txt", REPORT)
    word_diff = piped("--diff", "--layout", "word-diff", "r.txt", cwd=tmp_path)
    assert word_diff.returncode == 1
    text = word_diff.stdout.decode()
    assert "\x1b" not in text
    assert "   1 [-Компания-]{+Kompaniya+} [-маълумот-]{+maʼlumot+} [-эълон-]{+eʼlon+}" in text
    assert "   2   Latin line.\n" in text
    inline = piped("--diff", "--layout", "inline", "--color", "never", "r.txt", cwd=tmp_path)
    assert inline.returncode == 1
    lines = inline.stdout.decode().splitlines()
    assert lines[0].startswith("r.txt ───") and len(lines[0]) == 80  # 80 columns in a pipe
    assert lines[1:5] == ["@@ from line 1 @@", "   1 - Компания маълумот эълон қилди.",
                          "     + Kompaniya maʼlumot eʼlon qildi.", "   2   Latin line."]
    explained = piped("--diff", "--explain", "r.txt", cwd=tmp_path).stdout.decode()
    assert "\x1b" not in explained
    assert "       сентябрда → sentabrda: a word exception (exceptions.tsv:" in explained
    assert "1 of 1 file(s) would change, 2 line(s)" in explained
    plain = piped("--diff", "r.txt", cwd=tmp_path).stdout.decode()  # nothing named: for patch
    assert plain.startswith("--- r.txt\t(original)\n+++ r.txt\t(converted)\n@@ -1,3 +1,3 @@\n")


# --- 11. small truths ------------------------------------------------------------------------


def test_the_summary_lists_every_word_behind_the_rare_decisions(tmp_path):
    """As README says: not the first twelve and "(and 30 more)"."""
    consonants = "бвгдзклмнпрст"
    words = [f"{a}o{b}ир" for a in consonants[:6] for b in consonants[6:]]  # a Latin o each
    write(tmp_path / "w.txt", " ".join(words) + "\n")
    text = piped("--diff", "--explain", "w.txt", cwd=tmp_path).stdout.decode()
    summary = " ".join(line.strip() for line in text[text.index("look-alike letters read as Cyrillic:"):].splitlines())
    assert len(words) == 42 and "more" not in summary
    for word in words:
        assert f"{word} → {translit.to_latin(word)} ×1" in summary


def test_diff_of_a_missing_file_in_a_terminal_is_one_line(tmp_path):
    status, shown, err = in_terminal("--diff", "missing.txt", cwd=tmp_path)
    assert status == 2
    assert (shown, err) == ("", "translit: missing.txt: cannot read: No such file or directory\n")


def test_standard_inputs_preview_is_headed_stdin(tmp_path):
    status, shown, err = in_terminal("--diff", "--color", "never", stdin="шаҳар\n".encode())
    assert status == 1
    assert ESCAPES.sub("", shown).splitlines()[0].startswith("<stdin> ───")


@pytest.mark.parametrize("columns", [80, 160])
def test_color_never_in_a_terminal_still_marks_the_decided_words(tmp_path, columns):
    """No colour, but an underline (an attribute) on each decided word; the plain letters
    stay unmarked, and a pipe gets no escape codes at all."""
    write(tmp_path / "r.txt", REPORT)
    status, shown, err = in_terminal("--diff", "--color", "never", "r.txt", cwd=tmp_path,
                                     columns=columns)
    assert status == 1
    underlined = re.findall(r"\x1b\[4m(.*?)\x1b\[24m", shown)
    assert {"маълумот", "maʼlumot", "эълон", "eʼlon", "Объект", "Obyekt", "сентябрда",
            "sentabrda"} <= set(underlined)
    assert not {"Компания", "Kompaniya"} & set(underlined)  # one-to-one letters: quiet
    assert not re.search(r"\x1b\[(?!4m|24m)[0-9;]*m", shown)  # nothing else: no colour
    assert "\x1b" not in piped("--diff", "--layout", "inline", "--color", "never", "r.txt",
                               cwd=tmp_path).stdout.decode()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("layout", ["side", "inline", "unified", "word-diff"])
def test_a_dumb_terminal_gets_no_escape_codes_unless_color_always(tmp_path, layout):
    """TERM=dumb cannot show attributes either: no underline there (Rich gives it no
    colour); --color always still colours, as it says."""
    write(tmp_path / "r.txt", REPORT)
    for color in ("auto", "never"):
        status, shown, err = in_terminal("--diff", "--layout", layout, "--color", color,
                                         "r.txt", cwd=tmp_path, env={"TERM": "dumb"})
        assert status == 1 and "maʼlumot" in shown
        assert "\x1b" not in shown, color
    status, shown, err = in_terminal("--diff", "--layout", layout, "--color", "always",
                                     "r.txt", cwd=tmp_path, env={"TERM": "dumb"})
    assert status == 1
    assert re.search(r"\x1b\[[0-9;]*3[1-6]m", shown)  # a colour


@pytest.mark.timeout(60)
@pytest.mark.parametrize("layout", ["word-diff", "unified"])
def test_a_preview_of_few_long_lines_taller_than_the_screen_is_paged(tmp_path, layout):
    """The word-diff and unified layouts leave a line whole, as git does, and the terminal
    wraps it: 8 lines of 600 characters fill 60 rows of an 80-column screen. The pager
    starts when the rows the terminal shows would overflow the screen, not the lines."""
    write(tmp_path / "long.txt", ("Бу ерда маъно бор, эълон ва сўз. " * 20 + "\n") * 8)
    pager = tmp_path / "pager.sh"
    pager.write_text(f'#!/bin/sh\ntouch "{tmp_path}/paged"\ncat\n')
    pager.chmod(0o755)
    status, shown, err = in_terminal("--diff", "--layout", layout, "long.txt", cwd=tmp_path,
                                     rows=30, env={"PAGER": str(pager)})
    assert status == 1 and "maʼno" in shown
    assert (tmp_path / "paged").exists()


@pytest.mark.timeout(60)
def test_an_empty_force_color_is_no_force_color(tmp_path):
    """force-color.org: FORCE_COLOR set to nothing is as if unset. Rich took it for "not
    a terminal", so a preview in a terminal lost its colours and every mark of a decision
    (NO_COLOR set to nothing is already ignored)."""
    write(tmp_path / "r.txt", REPORT)
    plain = in_terminal("--diff", "r.txt", cwd=tmp_path)
    for variable in ("FORCE_COLOR", "NO_COLOR"):
        status, shown, err = in_terminal("--diff", "r.txt", cwd=tmp_path, env={variable: ""})
        assert (status, shown) == plain[:2], variable
    assert re.search(r"\x1b\[[0-9;]*3[1-6]m", plain[1])


def interrupt_the_paged_preview(tmp_path: Path, pager_script: str, within: float) -> None:
    """`translit --diff` of a long file in a terminal, its pager `pager_script` (shell, run
    with the folder as $1); Ctrl-C once the pager has been fed: the run ends 130, quiet."""
    import signal
    import time

    write(tmp_path / "big.txt", "Ўзбекистон маъно\n" * 400_000)
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\n{pager_script}\n")
    pager.chmod(0o755)
    leader, follower = pseudo_terminal(24, 80)
    process = subprocess.Popen([*COMMAND, "--diff", "big.txt"], stdout=follower, stdin=follower,
                               stderr=subprocess.PIPE, cwd=tmp_path,
                               env=environment({"PAGER": f"{pager} {tmp_path}"}))
    os.close(follower)
    try:
        paged = tmp_path / "paged"
        deadline = time.monotonic() + 30
        while not (paged.exists() and paged.stat().st_size > 100_000):
            assert time.monotonic() < deadline, "the pager was never fed"
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        assert process.wait(within) == 130
        assert process.stderr is not None and process.stderr.read() == b""
    finally:
        process.kill()
        drain(leader)


@pytest.mark.timeout(60)
def test_ctrl_c_while_the_pager_shows_the_preview_says_it_was_cut_short(tmp_path):
    # A pager that reads everything it is given, as less can.
    interrupt_the_paged_preview(tmp_path, 'cat > "$1/paged"', within=30)
    text = (tmp_path / "paged").read_text()
    assert text.endswith("\n(translit was interrupted: the preview is cut short here)\n")
    assert "would change" not in text  # no summary: it was not complete


@pytest.mark.timeout(60)
def test_after_ctrl_c_the_preview_waits_for_the_person_reading_the_pager(tmp_path):
    """An interrupted run is ended at once when it overstays (OVERDUE_SECONDS), but not
    while the pager is open: the person reads the cut-short preview as long as they like."""
    from translit.cli.main import OVERDUE_SECONDS

    # Reads everything, then is read a while, then quits.
    interrupt_the_paged_preview(
        tmp_path, f'cat > "$1/paged"\nsleep {OVERDUE_SECONDS + 2}\ntouch "$1/quit"',
        within=OVERDUE_SECONDS + 30)
    assert (tmp_path / "quit").exists()  # it ended after the pager, not before


# --- 6. one id per decision, the same in every output ----------------------------------------

README = Path(__file__).parent.parent / "README.md"
DECIDED = ("Ҳисобот: 2025 йил якунлари\nКомпания «ЎЗБЕКИСТОН ТЕМИР ЙЎЛЛАРИ» маълумот эълон "
           "қилди.\nОбъект 1-сентябрда.\nЦентр ва функция. Тoшкент, Исҳоқ ва Ш. Мирзиёев.\n"
           "Бу ерда әлем, мўъжиза, батальон, фильм, федерация.\n")


def test_every_output_gives_a_decision_the_same_id_and_readme_lists_them(tmp_path):
    import json

    from translit.engine.reference import KIND_IDS

    write(tmp_path / "r.txt", DECIDED)
    records = [json.loads(line) for line in
               piped("--diff", "--json", "r.txt", cwd=tmp_path).stdout.decode().splitlines()]
    json_ids = {(r["word"], r["id"]) for r in records if r["id"]}
    explained = piped("--diff", "--explain", "--layout", "inline", "r.txt", cwd=tmp_path,
                      env={"COLUMNS": "400"}).stdout.decode()
    notes = re.findall(r"^ {7}(\S+) → .*?: (.*)$", explained, re.MULTILINE)
    explain_ids = set()
    for word, reasons in notes:
        for reason in reasons.split("; "):
            found = re.search(r"\((R[\d.]+\w*|exceptions\.tsv:\d+)\)$", reason)
            if found:
                explain_ids.add((word, "exception" if found[1].startswith("exceptions")
                                 else found[1]))
    assert json_ids == explain_ids
    summary = explained[explained.index("\nrules: "):]
    summary_ids = dict(re.findall(r"([\w.]+) ×(\d+)", summary))
    assert set(summary_ids) == {id for _, id in json_ids}
    assert {"R9", "R0.2", "R2.ye", "exception"} <= set(summary_ids)
    # README's list: every marked rule of the table in its table, the other ids in its text.
    section = README.read_text()[README.read_text().index("## The rules"):]
    listed = set(re.findall(r"^  \| `([^`]+)` \|", section, re.MULTILINE))
    orthography = translit.get_transliterator().orthography
    marked = {row.rule.id for rows in orthography.rows.values() for row in rows if row.rule.mark}
    assert listed == marked
    said = section[:section.index("Capitals follow rule R9")]
    for id in (*KIND_IDS.values(), "exception"):
        assert f"({id}" in said or f"(`{id}`" in said, id


# --- 7. legacy encodings ---------------------------------------------------------------------

OLD_TEXT = ("Ўзбекистон Республикаси ҳақида маълумот: бу ерда ўқувчилар кўп, ЎЗБЕКИСТОН ва "
            "Тошкент шаҳри.\n")


def in_code_page(text: str, encoding: str) -> str:
    """`text` with the Uzbek letters a code page lacks written as old files wrote them."""
    for letter, stand_in in (("ҳ", "х"), ("қ", "к"), ("ғ", "г"), ("ў", "у"), ("Ў", "У")):
        try:
            letter.encode(encoding)
        except UnicodeEncodeError:
            text = text.replace(letter, stand_in)
    return text


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-u", "koi8-r", "cp866", "mac-cyrillic"])
def test_encoding_auto_reads_a_legacy_code_page_and_says_which(tmp_path, encoding):
    text = in_code_page(OLD_TEXT, encoding)
    write(tmp_path / "old.txt", text.encode(encoding))
    result = piped("--encoding", "auto", "old.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode() == translit.to_latin(text)
    found = re.fullmatch(r"translit: old\.txt: read as (\S+) \(its bytes are not UTF-8; "
                         r"--encoding auto\)\n", result.stderr.decode())
    assert found and text.encode(encoding).decode(found[1]) == text  # koi8-r reads as koi8-u
    assert found[1] == encoding or {found[1], encoding} == {"koi8-u", "koi8-r"}


def test_encoding_auto_takes_utf8_as_it_is_and_works_in_a_walk_and_in_place(tmp_path):
    write(tmp_path / "docs" / "new.txt", OLD_TEXT)
    write(tmp_path / "docs" / "old.txt", in_code_page(OLD_TEXT, "cp1251").encode("cp1251"))
    result = piped("--encoding", "auto", "docs/new.txt", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, b"")
    walked = piped("--encoding", "auto", "--check", "docs", cwd=tmp_path)
    assert walked.returncode == 1
    assert sorted(walked.stdout.decode().split()) == ["docs/new.txt", "docs/old.txt"]
    assert "docs/old.txt: read as cp1251" in walked.stderr.decode()
    word_document(tmp_path / "report.docx")  # a zip: no text encoding, and no note
    document = piped("--encoding", "auto", "report.docx", "-o", "out.docx", cwd=tmp_path)
    assert (document.returncode, document.stderr) == (0, b"")
    assert piped("--encoding", "auto", "-i", "docs/old.txt", cwd=tmp_path).returncode == 0
    assert (tmp_path / "docs" / "old.txt").read_text(encoding="utf-8") == translit.to_latin(
        in_code_page(OLD_TEXT, "cp1251"))


UNICODE_WITH_BOM = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]


@pytest.mark.parametrize("encoding", UNICODE_WITH_BOM)
def test_encoding_auto_reads_utf16_and_utf32_by_their_byte_order_mark(tmp_path, encoding):
    # Their bytes are not UTF-8, and a legacy code page reads anything: cp1251 made
    # "яю!\x040\x04..." of them, exit 0.
    data = ("\ufeff" + OLD_TEXT).encode(encoding)
    found = encoding[:6]  # utf-16 or utf-32: the codec that reads (and drops) the mark
    write(tmp_path / "docs" / "wide.txt", data)
    result = piped("--encoding", "auto", "docs/wide.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == translit.to_latin(OLD_TEXT)
    assert result.stderr.decode() == (f"translit: docs/wide.txt: read as {found} (its bytes are "
                                      "not UTF-8; --encoding auto)\n")
    with open(tmp_path / "docs" / "wide.txt", "rb") as redirected:  # translit < wide.txt
        result = subprocess.run([*COMMAND, "--encoding", "auto"], stdin=redirected,
                                capture_output=True, timeout=60)
    assert result.stdout.decode() == translit.to_latin(OLD_TEXT)
    walked = piped("--encoding", "auto", "--check", "docs", cwd=tmp_path)  # not "binary"
    assert (walked.returncode, walked.stdout) == (1, b"docs/wide.txt\n"), walked.stderr
    diff = piped("--encoding", "auto", "--diff", "docs/wide.txt", cwd=tmp_path)
    assert diff.returncode == 2
    assert diff.stderr.decode().splitlines()[-1] == (
        f"translit: docs/wide.txt: --diff needs an encoding in which a line break is one byte, "
        f"not {found} (found by --encoding auto); convert with -o and compare")
    assert piped("--encoding", "auto", "-i", "docs/wide.txt", cwd=tmp_path).returncode == 0
    assert (tmp_path / "docs" / "wide.txt").read_text("utf-8") == translit.to_latin(OLD_TEXT)


@pytest.mark.parametrize("encoding", UNICODE_WITH_BOM)
def test_a_decode_error_of_utf16_or_utf32_suggests_it_not_a_code_page(tmp_path, encoding):
    write(tmp_path / "wide.txt", ("\ufeff" + OLD_TEXT).encode(encoding))
    result = piped("wide.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode().endswith(
        f"; it looks like {encoding[:6]}: try --encoding {encoding[:6]} (or --encoding auto)\n")


def test_a_decode_error_suggests_the_likely_encoding(tmp_path):
    write(tmp_path / "old.txt", in_code_page(OLD_TEXT, "cp866").encode("cp866"))
    result = piped("old.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "translit: old.txt: line 1, byte offset 0: cannot decode 0xf6 as utf-8 (invalid start "
        "byte); it looks like cp866: try --encoding cp866 (or --encoding auto)\n")
    with open(tmp_path / "old.txt", "rb") as redirected:  # translit < old.txt
        result = subprocess.run(COMMAND, stdin=redirected, capture_output=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.decode().endswith("; it looks like cp866: try --encoding cp866 (or "
                                           "--encoding auto)\n")
