"""Nothing lost when the file is shared: a second translit on a locked file, concurrent
in-place runs, a file that changes while it is read, the input reached again as the
output, a symbolic link loop.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli, temporaries, wait_for, write

import translit
from translit import files

SCRIPT = Path(sys.executable).parent / "translit"
COMMAND = [sys.executable, "-m", "translit"]
LINE = "Ўзбекистон Республикаси ҳақида маълумот\n"


# --- 1. two runs on one file ----------------------------------------------------------------


def test_a_second_translit_on_a_locked_file_refuses(tmp_path):
    import fcntl

    source = write(tmp_path / "doc.txt", LINE)
    with open(source, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # what a running translit -i holds
        code, out, err = run_cli("-i", "--backup", ".bak", source)
    assert code == 2
    assert err.decode() == f"translit: {source}: another translit is converting this file\n"
    assert source.read_text() == LINE and not (tmp_path / "doc.txt.bak").exists()


@pytest.mark.parametrize("trial", range(6))
def test_concurrent_in_place_runs_with_backups_keep_the_original(tmp_path, trial):
    data = LINE * 60_000  # about 3 MB: long enough for the two runs to overlap
    source = write(tmp_path / "doc.txt", data)
    runs = [subprocess.Popen([*COMMAND, "-i", "--backup", ".bak", "--jobs", "1", str(source)],
                             stderr=subprocess.PIPE) for _ in range(2)]
    results = [(run.wait(120), run.stderr.read().decode()) for run in runs]
    for code, err in results:
        assert code in (0, 2), err
        if code == 2:
            assert err.endswith("another translit is converting this file\n") or (
                "while translit read it" in err), err
    assert source.read_text() == translit.to_latin(data)
    assert (tmp_path / "doc.txt.bak").read_text() == data  # the backup is the original
    assert temporaries(tmp_path) == []


# --- 2. a file that changes while it is read ------------------------------------------------


def change_on_first_block(path: Path, change):
    done = []

    def progress(n: int) -> None:
        if not done:
            done.append(n)
            change(path)

    return progress


@pytest.mark.parametrize("change, why", [
    (lambda p: p.open("a").write("охирги қатор\n"), "it changed while translit read it"),
    (lambda p: os.truncate(p, 100), "it changed while translit read it"),
    (lambda p: (write(p.with_name("new"), "янги версия\n"), os.replace(p.with_name("new"), p)),
     "it was replaced by another file while translit read it"),
    (lambda p: p.unlink(), "it was removed or renamed while translit read it"),
])
def test_a_file_that_changes_while_read_is_left_alone(tmp_path, change, why):
    source = write(tmp_path / "doc.txt", LINE * 20_000)
    result = files.convert_in_place(source, files.FileOptions(),
                                    progress=change_on_first_block(source, change))
    assert result.problem is not None and why in result.problem.reason
    assert not result.changed
    if source.exists():  # what the other program left, not a conversion
        assert "Ўзбекистон".encode()[:16] in source.read_bytes() or (
            "янги".encode() in source.read_bytes())
        assert "Oʻzbekiston".encode() not in source.read_bytes()
    assert temporaries(tmp_path) == []


def test_lines_appended_during_a_real_run_are_not_lost(tmp_path):
    source = write(tmp_path / "doc.txt", LINE * 400_000)  # about 20 MB
    run = subprocess.Popen([*COMMAND, "-i", "--jobs", "1", str(source)], stderr=subprocess.PIPE)
    wait_for(lambda: temporaries(tmp_path), what="the temporary file")
    with open(source, "a") as appending:
        appending.write("охирги қатор\n")
    assert run.wait(120) == 2
    assert b"it changed while translit read it" in run.stderr.read()
    assert source.read_text().endswith(LINE + "охирги қатор\n")
    assert temporaries(tmp_path) == []


# --- 3. input file is output file -----------------------------------------------------------


def test_appending_to_the_input_is_refused(tmp_path):
    source = write(tmp_path / "x.txt", "бир\n")
    result = subprocess.run(["bash", "-c", f"{SCRIPT} x.txt >> x.txt"], cwd=tmp_path,
                            capture_output=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr == b"translit: x.txt: input file is output file\n"
    assert source.read_text() == "бир\n"


@pytest.mark.parametrize("how", ["hard link", "symlink", "/dev/fd", "/proc/self/fd"])
def test_the_same_file_reached_another_way_is_refused(tmp_path, how):
    source = write(tmp_path / "x.txt", "бир\n")
    if how == "hard link":
        os.link(source, tmp_path / "y.txt")
        script = f"{SCRIPT} x.txt -o y.txt; echo $? >&2; {SCRIPT} x.txt >> y.txt"
    elif how == "symlink":
        (tmp_path / "y.txt").symlink_to(source)
        script = f"{SCRIPT} x.txt -o y.txt; echo $? >&2; {SCRIPT} x.txt >> y.txt"
    else:
        script = (f"exec 3>>x.txt; {SCRIPT} x.txt -o {how}/3; echo $? >&2; "
                  f"{SCRIPT} < x.txt -o {how}/3")
    result = subprocess.run(["bash", "-c", script + "; echo $? >&2"], cwd=tmp_path,
                            capture_output=True, timeout=30)
    lines = result.stderr.decode().splitlines()
    assert lines[1] == lines[3] == "2", lines
    assert lines[0].startswith("translit: ") and lines[2].startswith("translit: ")
    assert source.read_text() == "бир\n"


# --- 4. symbolic link loops -----------------------------------------------------------------


def test_a_symlink_loop_is_followed_once_and_reported(tmp_path):
    docs = tmp_path / "docs"
    write(docs / "a.txt", "бир\n")
    write(docs / "sub" / "b.txt", "икки\n")
    (docs / "sub" / "up").symlink_to("..")
    code, out, err = run_cli("--follow-symlinks", docs, "-o", tmp_path / "out")
    assert code == 0
    written = sorted(p.relative_to(tmp_path / "out").as_posix()
                     for p in (tmp_path / "out").rglob("*.txt"))
    assert written == ["a.txt", "sub/b.txt"]
    assert f"{docs / 'sub' / 'up'}: skipped: a symbolic link loop" in err.decode()


def test_a_large_output_is_written_behind_as_it_grows_and_whole(tmp_path, monkeypatch):
    # The kernel is asked to start writing the file after each WRITE_BEHIND_BYTES (so that
    # the fsync before the rename waits for the last few only), from where the last ask
    # ended; the file is the same, byte for byte.
    from translit.files import fileio

    asked = []
    monkeypatch.setattr(fileio, "WRITE_BEHIND_BYTES", 1000)
    monkeypatch.setattr(fileio, "_ADVISE", lambda fd, offset, length, advice: asked.append(
        (os.fstat(fd).st_size, offset, length, advice)))
    target = tmp_path / "out.txt"
    blocks = [bytes([65 + n]) * 700 for n in range(5)]
    with fileio.atomic_replace(target) as out:
        for block in blocks:
            out.write(block)
    assert target.read_bytes() == b"".join(blocks)
    # after 1,400 bytes (all of them written to the file first) and after 2,800
    assert asked == [(1400, 0, 0, os.POSIX_FADV_DONTNEED), (2800, 1400, 0, os.POSIX_FADV_DONTNEED)]


def test_a_temporary_takes_another_name_where_its_first_is_taken(tmp_path, monkeypatch):
    # fileio.created_temporary (tempfile.mkstemp's work, without importing tempfile): a
    # name another run holds is never opened; the next name is tried.
    from translit.files import fileio

    (tmp_path / ".a.txt.1-aaaaaaaa.tmp").write_bytes(b"another run's")
    draws = iter([b"\0" * 8, b"\1" * 8])
    monkeypatch.setattr(os, "urandom", lambda size: next(draws))
    fd, path = fileio.created_temporary(str(tmp_path), ".a.txt.1-", ".tmp")
    os.close(fd)
    assert path == str(tmp_path / ".a.txt.1-bbbbbbbb.tmp")
    assert (tmp_path / ".a.txt.1-aaaaaaaa.tmp").read_bytes() == b"another run's"
    monkeypatch.setattr(os, "urandom", lambda size: b"\0" * size)  # every name taken
    with pytest.raises(FileExistsError):
        fileio.created_temporary(str(tmp_path), ".a.txt.1-", ".tmp")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".a.txt.1-aaaaaaaa.tmp",
                                                          ".a.txt.1-bbbbbbbb.tmp"]


def test_a_temporary_is_not_made_through_a_link(tmp_path, monkeypatch):
    # (O_EXCL: a link planted under the name is not followed, its target not written)
    from translit.files import fileio

    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"kept")
    (tmp_path / ".a.txt.1-aaaaaaaa.tmp").symlink_to(target)
    draws = iter([b"\0" * 8, b"\2" * 8])
    monkeypatch.setattr(os, "urandom", lambda size: next(draws))
    fd, path = fileio.created_temporary(str(tmp_path), ".a.txt.1-", ".tmp")
    os.close(fd)
    assert path.endswith(".a.txt.1-cccccccc.tmp") and target.read_bytes() == b"kept"
