"""The `translit` command, driven as a user drives it: in subprocesses."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import NOBODY, can_drop_privileges, drain, pseudo_terminal, run_cli, write

from translit.files import fileio

COMMAND = [sys.executable, "-m", "translit"]
SCRIPT = Path(sys.executable).parent / "translit"
CYRILLIC = "Ўзбекистон [b] маъно\r\nШАҲАР объект\n"
LATIN = "Oʻzbekiston [b] maʼno\r\nSHAHAR obyekt\n"


def translit(*args, input: bytes | None = None, cwd=None, env=None, **kwargs):
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
    return subprocess.run(
        [*COMMAND, *map(str, args)],
        input=input,
        capture_output=True,
        cwd=cwd,
        env=environment,
        timeout=120,
        **kwargs,
    )



def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if "translit-tmp" in p.name]


# --- standard input and output ---------------------------------------------------------


def test_installed_script_filters_stdin():
    result = subprocess.run([str(SCRIPT)], input=CYRILLIC.encode(), capture_output=True)
    assert result.returncode == 0
    assert result.stdout == LATIN.encode()
    assert result.stderr == b""


def test_dash_is_stdin_and_bom_crlf_are_kept():
    data = b"\xef\xbb\xbf" + "ер\r\nсув\rend".encode()
    result = translit("-", input=data)
    assert result.stdout == b"\xef\xbb\xbf" + b"yer\r\nsuv\rend"


def test_files_are_written_one_after_the_other(tmp_path):
    a = write(tmp_path / "a.txt", "бир\n")
    b = write(tmp_path / "b.txt", "икки\n")
    assert translit(a, b).stdout == b"bir\nikki\n"


def test_engine_options(tmp_path):
    mine = write(tmp_path / "mine.tsv", "тошкент\tTashkent\tword\n")
    result = translit("--apostrophe", "ascii", "--exceptions", mine, input="Тошкент маъно".encode())
    assert result.stdout == b"Tashkent ma'no"
    result = translit("--alphabet", "latin2026", "--capitals", "title", input="ШАҲАР ЎҒИЛ".encode())
    assert result.stdout == "ŞAHAR ÖĞIL".encode()
    assert translit("--contested", input="актёр".encode()).stdout == b"aktor"
    result = translit("--ordinal-dates", "--typed-apostrophes", "--legacy-font", "anyflip-2022",
                      input="1995 йил 24 август ма'но ЄАБУЛ".encode())
    assert result.stdout == "1995-yil 24-avgust maʼno QABUL".encode()
    result = translit("--legacy-font", "nothing", input=b"x")
    assert result.returncode == 2 and b"no such legacy font table" in result.stderr


def test_cp1251_input_gives_utf8(tmp_path):
    source = write(tmp_path / "old.txt", "Ўзбек тили".encode("cp1251"))
    assert translit("--encoding", "cp1251", source).stdout == "Oʻzbek tili".encode()


def test_version_names_the_rules_hash():
    result = translit("--version")
    assert re.fullmatch(rb"translit \d+\.\d+\.\d+ \(distribution translit-uz; rules [0-9a-f]{12}\)\n",
                        result.stdout)


def test_help_shows_examples():
    result = translit("--help", env={"COLUMNS": "120"})
    assert result.returncode == 0
    assert b"translit --check docs/" in result.stdout


def read_line_within(stream, seconds: float = 20) -> bytes:
    """A line from a pipe, or fail (not hang) when none comes in time."""
    import select

    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, "no line came back in time"
    return stream.readline()


def test_stdin_pipe_lines_come_back_before_it_closes():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    process = subprocess.Popen(COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    try:
        process.stdin.write("биринчи қатор\n".encode())
        process.stdin.flush()
        assert read_line_within(process.stdout) == b"birinchi qator\n"
        process.stdin.write("иккинчи\n".encode())
        process.stdin.flush()
        assert read_line_within(process.stdout) == b"ikkinchi\n"
    finally:
        process.stdin.close()
        if process.poll() is None:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
    assert process.returncode == 0


def test_closed_pipe_ends_quietly(tmp_path):
    big = write(tmp_path / "big.txt", "сатр ва яна сатр\n" * 400_000)
    command = " ".join([*COMMAND, str(big)]) + " | head -1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True)
    assert result.stdout == b"satr va yana satr\n"
    assert result.stderr == b""
    assert result.returncode == 141


def test_full_output_device_is_an_error():
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*COMMAND], input=b"abc", stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 2
    assert result.stderr.startswith(b"translit: ")
    assert b"No space left on device" in result.stderr
    assert b"Traceback" not in result.stderr


# --- output files and folders -----------------------------------------------------------


def test_output_file(tmp_path):
    source = write(tmp_path / "a.txt", CYRILLIC)
    result = translit(source, "-o", tmp_path / "a.lat.txt")
    assert result.returncode == 0
    assert (tmp_path / "a.lat.txt").read_bytes() == LATIN.encode()


def test_output_onto_the_input_is_refused(tmp_path):
    source = write(tmp_path / "a.txt", CYRILLIC * 1000)
    result = translit(source, "-o", source)
    assert result.returncode == 2
    assert source.read_bytes() == (CYRILLIC * 1000).encode()
    assert b"use -i" in result.stderr
    assert result.stderr.startswith(f"translit: {source}: ".encode())


def test_output_folder_keeps_relative_paths(tmp_path):
    write(tmp_path / "docs" / "a" / "b.txt", "бир")
    loose = write(tmp_path / "loose.txt", "икки")
    result = translit(tmp_path / "docs", loose, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "a" / "b.txt").read_bytes() == b"bir"
    assert (tmp_path / "out" / "loose.txt").read_bytes() == b"ikki"


def test_output_folder_inside_the_input_folder_is_not_walked(tmp_path):
    write(tmp_path / "docs" / "a.txt", "бир")
    first = translit(tmp_path / "docs", "-o", tmp_path / "docs" / "out")
    second = translit(tmp_path / "docs", "-o", tmp_path / "docs" / "out")
    assert first.returncode == second.returncode == 0
    assert not (tmp_path / "docs" / "out" / "out").exists()


# --- in place ---------------------------------------------------------------------------


def test_in_place_keeps_mode_crlf_and_bom(tmp_path):
    source = write(tmp_path / "a.txt", b"\xef\xbb\xbf" + CYRILLIC.encode())
    source.chmod(0o640)
    result = translit("-i", source)
    assert result.returncode == 0, result.stderr
    assert source.read_bytes() == b"\xef\xbb\xbf" + LATIN.encode()
    assert stat.S_IMODE(source.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_in_place_leaves_unchanged_files_untouched(tmp_path):
    source = write(tmp_path / "latin.txt", "already Latin\n")
    before = source.stat()
    time.sleep(0.01)
    assert translit("-i", source).returncode == 0
    after = source.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_in_place_backup(tmp_path):
    source = write(tmp_path / "a.txt", CYRILLIC)
    assert translit("-i", "--backup", ".bak", source).returncode == 0
    assert (tmp_path / "a.txt.bak").read_bytes() == CYRILLIC.encode()
    assert source.read_bytes() == LATIN.encode()


def test_a_backup_copied_where_no_link_can_be_made_keeps_the_owner(tmp_path, monkeypatch):
    # Where the original cannot be linked (a file system without hard links; /proc's links
    # across mounts), it is copied: root's copy of another user's mode-600 file was root's,
    # and its owner could not read the backup of their own file.
    if can_drop_privileges():
        pytest.skip(can_drop_privileges())
    source = write(tmp_path / "a.txt", CYRILLIC)
    os.chown(source, NOBODY, NOBODY)
    source.chmod(0o600)

    def no_link(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(fileio.os, "link", no_link)
    assert run_cli("-i", "--backup", ".bak", source)[0] == 0
    backup = (tmp_path / "a.txt.bak").stat()
    assert (backup.st_uid, backup.st_gid, stat.S_IMODE(backup.st_mode)) == (NOBODY, NOBODY,
                                                                           0o600)
    assert (tmp_path / "a.txt.bak").read_bytes() == CYRILLIC.encode()


def test_in_place_through_a_symlink_keeps_the_link(tmp_path):
    target = write(tmp_path / "real.txt", CYRILLIC)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert translit("-i", link).returncode == 0
    assert link.is_symlink()
    assert target.read_bytes() == LATIN.encode()


def test_in_place_decode_error_leaves_the_file_intact(tmp_path):
    data = ("сатр\n" * 50_000).encode() + b"\xff\n" + ("сатр\n" * 10).encode()
    source = write(tmp_path / "bad.txt", data)
    result = translit("-i", source)
    assert result.returncode == 2
    assert source.read_bytes() == data
    assert leftovers(tmp_path) == []
    offset = len(("сатр\n" * 50_000).encode())
    assert result.stderr == (
        f"translit: {source}: line 50001, byte offset {offset}: "
        "cannot decode 0xff as utf-8 (invalid start byte)\n"
    ).encode()


def test_in_place_on_a_full_disk_leaves_the_file_intact(tmp_path):
    data = ("сатр ва сатр\n" * 200_000).encode()
    source = write(tmp_path / "big.txt", data)

    def small_file_limit():  # writes beyond 64 KiB fail, as on a full disk
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 16, 1 << 16))

    result = translit("-i", source, preexec_fn=small_file_limit)
    assert result.returncode == 2
    assert result.stderr == f"translit: {source}: cannot write: File too large\n".encode()
    assert source.read_bytes() == data
    assert leftovers(tmp_path) == []


def test_ctrl_c_during_in_place_leaves_the_file_intact(tmp_path):
    data = ("Ўзбекистон Республикаси ҳақида маълумот\n" * 1_500_000).encode()
    source = write(tmp_path / "huge.txt", data)
    process = subprocess.Popen([*COMMAND, "-i", str(source)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not leftovers(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert leftovers(tmp_path), "the conversion never started writing"
    process.send_signal(signal.SIGINT)
    assert process.wait(60) == 130
    assert process.stderr.read() == b""
    assert source.read_bytes() == data
    assert leftovers(tmp_path) == []


def test_many_files_in_parallel_equal_one_process(tmp_path):
    texts = {f"d{i % 7}/f{i}.txt": f"Файл {i}: ШАҲАР объект маъно\n" * 3000 for i in range(40)}
    for jobs in ("1", "2"):
        for name, text in texts.items():
            write(tmp_path / jobs / name, text)
        result = translit("-i", "--jobs", jobs, tmp_path / jobs)
        assert result.returncode == 0, result.stderr
    for name in texts:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()
    assert (tmp_path / "2" / "d0" / "f0.txt").read_bytes().startswith(b"Fayl 0: SHAHAR")


# --- folders ----------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "docs"
    write(root / "a.txt", "бир\n")
    write(root / "sub" / "b.md", "икки\n")
    write(root / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00binary")
    write(root / "data.bin2", b"\x00\x01binary")
    write(root / ".git" / "config", "[core]\n")
    write(root / ".hidden.txt", "уч\n")
    (root / "link.txt").symlink_to(root / "a.txt")
    return root


def test_walk_skips_binary_hidden_and_symlinks_and_reports_them(tree):
    result = translit("--check", tree)
    assert result.returncode == 1
    assert sorted(result.stdout.decode().split()) == [str(tree / "a.txt"), str(tree / "sub" / "b.md")]
    messages = result.stderr.decode()
    assert f"{tree / 'image.png'}: skipped: not converted: an image" in messages
    assert f"{tree / 'data.bin2'}: skipped: binary file" in messages
    assert f"{tree / '.git'}: skipped: hidden folder" in messages
    assert f"{tree / 'link.txt'}: skipped: symbolic link" in messages
    assert "2 file(s) would change, 0 unchanged" in messages


def test_follow_symlinks_and_globs(tree):
    result = translit("--check", "--follow-symlinks", "--include", "*.txt", tree)
    assert sorted(result.stdout.decode().split()) == [str(tree / "a.txt"), str(tree / "link.txt")]
    result = translit("--check", "--exclude", "sub", tree)
    assert result.stdout.decode().split() == [str(tree / "a.txt")]


def test_check_writes_nothing_and_exits_0_when_clean(tmp_path):
    clean = write(tmp_path / "clean.txt", "Latin only\n")
    dirty = write(tmp_path / "dirty.txt", "кирилл\n")
    assert translit("--check", clean).returncode == 0
    result = translit("--check", "-q", clean, dirty)
    assert (result.returncode, result.stdout, result.stderr) == (1, b"", b"")
    assert dirty.read_text() == "кирилл\n"


def test_missing_file_is_reported_and_the_others_done(tmp_path):
    good = write(tmp_path / "good.txt", "бир\n")
    result = translit("-i", tmp_path / "missing.txt", good)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"translit: {tmp_path / 'missing.txt'}: cannot read: No such file or directory",
        "translit: 1 file(s) converted, 0 unchanged, 1 failed",
    ]
    assert good.read_bytes() == b"bir\n"


def test_an_unknown_encoding_is_one_line():
    result = translit("--encoding", "no-such-codec", input=b"x")
    assert result.returncode == 2
    assert result.stderr.startswith(b"translit: unknown encoding: no-such-codec")
    assert result.stderr.count(b"\n") == 1


def test_bad_exception_file_is_one_line(tmp_path):
    mine = write(tmp_path / "mine.tsv", "б\tb\n")
    result = translit("--exceptions", mine, input=b"x")
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1
    assert f"{mine}:1:" in result.stderr.decode()


# --- diff -------------------------------------------------------------------------------


def test_piped_diff_is_a_plain_unified_diff(tmp_path):
    lines = [f"line {i}\n" for i in range(1, 11)]
    lines[4] = "бешинчи [b]\r\n"  # 5 unchanged lines to the next change: one hunk, as diff -u
    source = write(tmp_path / "r.txt", "".join(lines) + "охири")
    result = translit("--diff", source)
    assert result.returncode == 1
    expected = (
        f"--- {source}\t(original)\n+++ {source}\t(converted)\n"
        "@@ -2,10 +2,10 @@\n line 2\n line 3\n line 4\n"
        "-бешинчи [b]\r\n+beshinchi [b]\r\n line 6\n line 7\n line 8\n line 9\n line 10\n"
        "-охири\n\\ No newline at end of file\n+oxiri\n\\ No newline at end of file\n"
    ).encode()
    assert result.stdout == expected
    assert b"\x1b[" not in result.stdout


def test_piped_diff_applies_with_patch(tmp_path):
    source = write(tmp_path / "r.txt", "Ўзбек\nLatin\nмаъно\n")
    diff = translit("--diff", "r.txt", cwd=tmp_path).stdout
    subprocess.run(["patch", "-s", "-p0"], input=diff, cwd=tmp_path, check=True)
    assert source.read_bytes() == "Oʻzbek\nLatin\nmaʼno\n".encode()


@pytest.mark.parametrize("name, quoted", [
    ("new\nline.txt", '"new\\nline.txt"'),
    ("\x1b[31mred.txt", '"\\033[31mred.txt"'),
    ("tab\there.txt", '"tab\\there.txt"'),
    ('say "x".txt', '"say \\"x\\".txt"'),
    ("back\\slash.txt", '"back\\\\slash.txt"'),
    ("\u009bC1.txt", '"\\302\\233C1.txt"'),
    ("шаҳар.txt", "шаҳар.txt"),  # a name in letters of any script stays as it is
])
def test_a_piped_diff_quotes_a_name_that_would_break_its_header_as_git_does(
        tmp_path, name, quoted):
    # A name with a line break split the header in two, one with an escape sequence drove
    # the terminal the diff was read on; git quotes such a name in C's way (\n, \033), and
    # patch reads it back.
    source = write(tmp_path / name, "Ўзбек\nмаъно\n")
    result = translit("--diff", name, cwd=tmp_path)
    assert result.returncode == 1
    header = result.stdout.decode().split("@@")[0]
    assert header == f"--- {quoted}\t(original)\n+++ {quoted}\t(converted)\n"
    subprocess.run(["patch", "-s", "-p0"], input=result.stdout, cwd=tmp_path, check=True,
                   timeout=60)
    assert source.read_bytes() == "Oʻzbek\nmaʼno\n".encode()


def test_diff_of_an_unchanged_file_is_empty(tmp_path):
    result = translit("--diff", write(tmp_path / "l.txt", "Latin\n"))
    assert (result.returncode, result.stdout) == (0, b"")


def run_in_terminal(args, env=None, columns=120, rows=500, stdin_too=False):
    """Run translit with stdout (and stdin) on a pseudo-terminal; return what it printed."""
    leader, follower = pseudo_terminal(rows, columns)
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("NO_COLOR", "FORCE_COLOR", "PAGER", "TRANSLIT_PAGER")}
    environment.update({"TERM": "xterm-256color", **(env or {})})
    process = subprocess.Popen([*COMMAND, *map(str, args)], stdout=follower,
                               stdin=follower if stdin_too else None,
                               stderr=subprocess.PIPE, env=environment)
    os.close(follower)
    output = drain(leader)
    return process.wait(30), output.decode("utf-8", "replace")


@pytest.mark.parametrize("args", [
    ["--check", "-"], ["-", "-o", "out.txt"], ["--diff", "-"], ["--format", "html", "-"],
    ["--format", "markdown", "-o", "out.md"], ["--format", "csv", "-"],
    ["--encoding", "auto", "--check"]])
def test_one_ctrl_d_ends_what_is_typed_at_a_terminal(tmp_path, args):
    # Read in blocks (BufferedReader.read(n)), a terminal's Ctrl-D ended one block; the next
    # read waited for another Ctrl-D, as if translit hung.
    leader, follower = pseudo_terminal(24, 80)
    process = subprocess.Popen([*COMMAND, *args], stdin=follower, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=tmp_path)
    os.close(follower)
    os.write(leader, "Ўзбек\nЎзбек\n".encode())  # (a CSV's first line is its header)
    time.sleep(0.5)  # (typed: lines, then Ctrl-D on the next)
    os.write(leader, b"\x04")
    try:
        out, err = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"translit {args} still waits after Ctrl-D")
    finally:
        os.close(leader)
    assert process.returncode in (0, 1), err
    written = (tmp_path / args[-1]).read_bytes() if args[-2] == "-o" else out
    assert "Oʻzbek".encode() in written or b"-\n" == written, (out, err)


def test_preview_in_a_terminal_is_coloured_and_shows_text_literally(tmp_path):
    source = write(tmp_path / "r.txt", "бир [b]икки[/b] маъно\nLatin\n")
    status, shown = run_in_terminal(["--diff", "--explain", source])
    assert status == 1
    assert "\x1b[" in shown
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert "[b]ikki[/b]" in plain and "[b]икки[/b]" in plain
    assert "маъно → maʼno: ъ is the tutuq ʼ" in plain and "(R5.3)" in plain
    assert "1 of 1 file(s) would change, 1 line(s)" in plain


def test_preview_honours_no_color_and_inline_layout(tmp_path):
    source = write(tmp_path / "r.txt", "бир\n")
    status, shown = run_in_terminal(["--diff", "--layout", "inline", source], env={"NO_COLOR": "1"})
    assert status == 1
    codes = {int(n) for seq in re.findall(r"\x1b\[([0-9;]*)m", shown) for n in seq.split(";") if n}
    assert codes and not codes & ({*range(30, 50), *range(90, 108)})  # bold, yes; colour, no
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert re.search(r"1\s+-\s+бир", plain) and re.search(r"\+\s+bir", plain)


def test_preview_reports_letters_left_unconverted(tmp_path):
    source = write(tmp_path / "r.txt", "Єва бир\n")
    status, shown = run_in_terminal(["--diff", "--color", "never", source])
    assert "letters left unconverted: Єва → Єva ×1" in shown


def test_piped_diff_splits_hunks_like_diff_u(tmp_path):
    lines = [f"line {i}\n" for i in range(1, 21)]
    lines[1], lines[17] = "икки\n", "ўн саккиз\n"
    source = write(tmp_path / "r.txt", "".join(lines))
    converted = write(tmp_path / "expected.txt", translit(source).stdout)
    gnu = subprocess.run(["diff", "-u", source, converted], capture_output=True).stdout
    ours = translit("--diff", source).stdout
    assert ours.split(b"\n")[2:] == gnu.split(b"\n")[2:]  # the same hunks, past the file names
    assert ours.count(b"\n@@ -") == 2  # two hunks: the changes are 15 lines apart


def test_named_pipe_input_and_in_place_refusal(tmp_path):
    result = subprocess.run(["bash", "-c", " ".join(COMMAND) + " <(printf 'бир')"],
                            capture_output=True, timeout=60)
    assert result.stdout == b"bir"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = translit("-i", fifo)
    assert result.returncode == 2
    assert b"not a regular file" in result.stderr


def test_force_color_gives_the_coloured_preview_even_when_piped(tmp_path):
    source = write(tmp_path / "r.txt", "бир\n")
    result = translit("--diff", source, env={"FORCE_COLOR": "1"})
    assert result.returncode == 1
    assert b"\x1b[" in result.stdout and b"1 of 1 file(s) would change" in result.stdout
    plain = translit("--diff", source)
    assert plain.stdout.startswith(b"--- ")


@pytest.mark.timeout(120)
@pytest.mark.parametrize("no_color", [{"NO_COLOR": "1"}, {"TRANSLIT_COLOR_ARG": "never"}])
def test_a_message_while_the_progress_bar_shows_is_a_line_of_its_own(tmp_path, no_color):
    # Without colour (NO_COLOR, --color never) a message was written past Rich's bar, on
    # its line: "converting ━━━━ 31% 0:00:02translit: many/zz/bad.txt: ...".
    import pty

    for i in range(1500):
        write(tmp_path / "many" / f"d{i % 30}" / f"f{i}.txt", "Шаҳар\n")
    for i in range(3):
        (tmp_path / "many" / "zz").mkdir(exist_ok=True)
        (tmp_path / "many" / "zz" / f"bad{i}.txt").write_bytes(b"\xd0\xd0 \xff\n")
    leader, follower = pty.openpty()
    options = ["--color", "never"] if "TRANSLIT_COLOR_ARG" in no_color else []
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update({"TERM": "xterm-256color", "COLUMNS": "100"})
    if "NO_COLOR" in no_color:
        environment["NO_COLOR"] = "1"
    process = subprocess.Popen([*COMMAND, *options, "--jobs", "1", str(tmp_path / "many"), "-o",
                                f"{tmp_path / 'out'}/"], stderr=follower, stdout=subprocess.PIPE,
                               env=environment)
    os.close(follower)
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", drain(leader).decode("utf-8", "replace"))
    assert process.wait(100) == 2
    assert "converting" in shown  # the bar was there
    assert shown.count("bad") == 3 and "cannot decode" in shown
    assert not re.search(r"[^\r\n]translit: ", shown), shown


def test_progress_bar_only_on_a_terminal_stderr(tmp_path):
    import pty

    big = write(tmp_path / "big.txt", "Катта файл, ШАҲАР ва объект.\n" * 1_300_000)  # > 32 MB
    leader, follower = pty.openpty()
    process = subprocess.Popen([*COMMAND, str(big), "-o", str(tmp_path / "out.txt")],
                               stderr=follower, stdout=subprocess.PIPE)
    os.close(follower)
    shown = drain(leader)
    assert process.wait(120) == 0 and process.stdout.read() == b""
    assert b"converting" in shown  # the bar, on stderr
    assert (tmp_path / "out.txt").read_bytes() == ("Katta fayl, SHAHAR va obyekt.\n" * 1_300_000).encode()
    quiet = translit(big, "-o", tmp_path / "out2.txt")
    assert quiet.stderr == b""  # not a terminal: no bar


def test_installed_package_carries_its_data(tmp_path):
    code = "import translit.tables.rules as r; print(r.data_dir())"
    folder = Path(subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                                 text=True, check=True).stdout.strip())
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*.tsv")}
    assert {"rules.tsv", "exceptions.tsv", "lookalikes.tsv", "ordinal-words.tsv",
            "legacy/anyflip-2022.tsv"} <= names


def test_a_preview_taller_than_the_screen_goes_through_the_pager(tmp_path):
    source = write(tmp_path / "long.txt", "".join(f"сатр {i}\n" for i in range(60)))
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\necho \"LESS=$LESS\" > {tmp_path}/paged; cat\n")
    pager.chmod(0o755)
    status, shown = run_in_terminal(["--diff", source], env={"PAGER": str(pager)}, rows=20,
                                    stdin_too=True)
    assert status == 1
    assert (tmp_path / "paged").read_text() == "LESS=FRX\n"
    assert "satr 59" in re.sub(r"\x1b\[[0-9;]*m", "", shown)
    (tmp_path / "paged").unlink()
    status, shown = run_in_terminal(["--diff", source], env={"PAGER": str(pager)}, rows=500,
                                    stdin_too=True)
    assert status == 1 and "satr 59" in re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert not (tmp_path / "paged").exists()  # it fits on the screen: no pager


@pytest.mark.timeout(60)
@pytest.mark.parametrize("env, paged", [
    ({"PAGER": ""}, False),  # set to nothing: no pager, as git reads it
    ({"TERM": "dumb"}, False),  # less there asks to press RETURN before it shows anything
    ({"TERM": "dumb", "PAGER": "less"}, True),  # (asked for by name: it runs)
    ({}, True),
])
def test_no_pager_where_it_is_set_to_nothing_or_the_terminal_is_dumb(tmp_path, env, paged):
    source = write(tmp_path / "long.txt", "".join(f"сатр {i}\n" for i in range(60)))
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    (bin_folder / "less").write_text(f"#!/bin/sh\ntouch {tmp_path}/paged; cat\n")
    (bin_folder / "less").chmod(0o755)
    status, shown = run_in_terminal(
        ["--diff", source], rows=20, stdin_too=True,
        env={"PATH": f"{bin_folder}:{os.environ['PATH']}", **env})
    assert status == 1 and "satr 59" in re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert (tmp_path / "paged").exists() == paged


@pytest.mark.timeout(60)
@pytest.mark.parametrize("args, env", [
    (["--pager", " "], {}), ([], {"PAGER": " "}), ([], {"TRANSLIT_PAGER": "\t"})])
def test_a_pager_of_blanks_is_no_pager(tmp_path, args, env):
    # --pager ' ' (as a variable of blanks) names no program: it was an internal error,
    # said twice (IndexError: shlex.split found no word, and Popen was given none).
    source = write(tmp_path / "long.txt", "".join(f"сатр {i}\n" for i in range(60)))
    status, shown = run_in_terminal(["--diff", *args, source], rows=20, stdin_too=True,
                                    env=env)
    assert status == 1 and "satr 59" in re.sub(r"\x1b\[[0-9;]*m", "", shown)


@pytest.mark.timeout(60)
def test_a_corpus_in_a_terminal_preview_is_listed_in_its_place_through_the_pager(tmp_path):
    # A JSON Lines file's listing (row 1, field t) was written straight to the terminal
    # before the preview, beside the pager, and the summary did not count it.
    folder = tmp_path / "mix"
    write(folder / "a.txt", "".join(f"сатр {i}\n" for i in range(60)))
    write(folder / "b.jsonl", json.dumps({"t": "маъно"}) + "\n")
    write(folder / "c.txt", "шаҳар\n")
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\ncat > {tmp_path}/paged\n")
    pager.chmod(0o755)
    status, shown = run_in_terminal(["--diff", "--jobs", "1", folder], env={"PAGER": str(pager)},
                                    rows=20, stdin_too=True)
    assert status == 1
    assert "row 1" not in shown  # (all of it in the pager)
    paged = re.sub(r"\x1b\[[0-9;]*m", "", (tmp_path / "paged").read_text(encoding="utf-8"))
    assert paged.index("satr 59") < paged.index("row 1, field t\n-маъно\n+maʼno\n") < (
        paged.index("shahar"))
    assert "3 of 3 file(s) would change" in paged


@pytest.mark.timeout(60)
def test_a_message_of_a_paged_preview_comes_after_the_pager(tmp_path):
    # less owns the screen: a message written beside it (a file that cannot be read) was
    # painted over, and only the exit status said that something failed.
    folder = tmp_path / "mix"
    write(folder / "a.txt", "".join(f"сатр {i}\n" for i in range(60)))
    (folder / "b.txt").write_bytes(b"\xd1\x88 \xff\n")  # ш, then a byte of no character
    pager = tmp_path / "pager.sh"
    pager.write_text("#!/bin/sh\necho PAGER-STARTS; cat; echo PAGER-ENDS\n")
    pager.chmod(0o755)
    leader, follower = pseudo_terminal(20, 100)
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update({"TERM": "xterm-256color", "PAGER": str(pager)})
    process = subprocess.Popen([*COMMAND, "--diff", "--jobs", "1", str(folder)], stdout=follower,
                               stderr=follower, stdin=follower, env=environment)
    os.close(follower)
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", drain(leader).decode("utf-8", "replace"))
    assert process.wait(30) == 2
    assert "PAGER-STARTS" in shown and "satr 59" in shown
    assert shown.index("PAGER-ENDS") < shown.index("b.txt: line 1"), shown


def test_piped_diff_of_a_last_line_that_vanishes_applies_with_patch(tmp_path):
    source = write(tmp_path / "v.txt", "бир\nь")  # the last line converts to nothing
    diff = translit("--diff", "v.txt", cwd=tmp_path).stdout
    assert b"@@ -1,2 +1,1 @@\n-" in diff
    subprocess.run(["patch", "-s", "-p0"], input=diff, cwd=tmp_path, check=True, timeout=60)
    assert source.read_bytes() == b"bir\n"
