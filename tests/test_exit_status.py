"""Exit statuses that never lie, and no file skipped silently: each error one line naming
the path, usage errors refused up front, translit's own files never inputs.

Usage checks run in this process (fast); what needs a real process, a terminal, a shell or
a second user runs as users run it.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import as_nobody, patched_command, run_cli, write

from translit.files.fileio import is_marked_backup

COMMAND = [sys.executable, "-m", "translit"]
BIN = Path(sys.executable).parent


def translit(*args, input: bytes | None = None, cwd=None, env=None, **kwargs):
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
    return subprocess.run([*COMMAND, *map(str, args)], input=input, capture_output=True,
                          cwd=cwd, env=environment, timeout=120, **kwargs)



def one_line(stderr: bytes) -> str:
    text = stderr.decode()
    assert text.count("\n") == 1 and text.endswith("\n"), text
    assert "Traceback" not in text
    return text


# --- 1. a named file is never skipped ------------------------------------------------------


@pytest.mark.parametrize("encoding, data", [
    ("utf-16", "Ўзбек тили\n".encode("utf-16")),  # with a BOM
    ("utf-16-le", "Ўзбек тили\n".encode("utf-16-le")),  # without
    ("utf-32", "Ўзбек тили\n".encode("utf-32")),
])
def test_a_named_file_with_nul_bytes_in_its_encoding_is_converted(tmp_path, encoding, data):
    source = write(tmp_path / "notes.txt", data)
    code, out, err = run_cli("--encoding", encoding, source, "-o", tmp_path / "out.txt")
    assert (code, err) == (0, b"")
    assert (tmp_path / "out.txt").read_bytes() == "Oʻzbek tili\n".encode()
    assert run_cli("--check", "--encoding", encoding, source)[0] == 1


@pytest.mark.parametrize("mode", [[], ["-i"], ["--check"], ["--diff"], ["-o", "out/"]])
def test_an_empty_name_is_no_file_not_the_current_folder(tmp_path, mode):
    # pathlib reads Path("") as ".": translit -i "$f", with $f unset, rewrote every file
    # of the current folder.
    source = write(tmp_path / "x.txt", "Ўзбек\n")
    code, out, err = run_cli(*mode, "", cwd=tmp_path)
    assert (code, out) == (2, b""), err
    assert err.decode().splitlines()[0] == "translit: '': cannot read: No such file or directory"
    assert source.read_bytes() == "Ўзбек\n".encode()
    assert not list(tmp_path.glob("out/**/*.txt"))


@pytest.mark.timeout(60)
def test_a_folder_as_standard_input_is_one_line_naming_standard_input(tmp_path):
    # translit < /tmp ended in Python's own start-up: "Fatal Python error: init_sys_streams:
    # <stdin> is a directory, cannot continue", exit 1. The installed command says it first.
    command = Path(sys.executable).parent / "translit"
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        run = subprocess.run([str(command)], stdin=folder, capture_output=True, timeout=30)
    finally:
        os.close(folder)
    if not (command.parent / "_translit").exists():  # no launcher here (hatch_build.py):
        assert run.returncode != 0  # Python's own start-up refuses it
        return
    assert (run.returncode, run.stdout) == (2, b"")
    assert run.stderr == b"translit: standard input: cannot read: Is a directory\n"


def test_an_output_folder_is_not_made_for_inputs_that_all_failed(tmp_path):
    # translit missing.txt -o newout/ said the input was missing and left an empty newout/.
    code, _, err = run_cli(tmp_path / "missing.txt", "-o", f"{tmp_path / 'newout'}/")
    assert code == 2 and b"missing.txt: cannot read" in err
    assert not (tmp_path / "newout").exists()
    (tmp_path / "empty").mkdir()
    code, _, _ = run_cli(tmp_path / "empty", "-o", f"{tmp_path / 'tree'}/")
    assert code == 0 and (tmp_path / "tree").is_dir()  # an empty folder is copied as one


@pytest.mark.parametrize("inputs", [["x.txt"], ["x.txt", "y.txt"], ["docs"], ["-"]])
def test_an_empty_output_name_is_refused_not_the_current_folder(tmp_path, inputs):
    # translit docs -o "$out", with $out unset, wrote the tree into the current folder, over
    # a notes.txt of the user's own.
    for name in ("x.txt", "y.txt", "docs/notes.txt"):
        write(tmp_path / name, "Ўзбек\n")
    own = write(tmp_path / "notes.txt", "mine\n")
    code, out, err = run_cli(*inputs, "-o", "", cwd=tmp_path)
    assert (code, out) == (2, b"")
    assert one_line(err) == "translit: -o '' names no file or folder\n"
    assert own.read_text() == "mine\n"
    assert (tmp_path / "x.txt").read_text() == "Ўзбек\n"


def test_a_named_binary_file_is_an_error_not_a_skip(tmp_path):
    blob = write(tmp_path / "report.dat", b"PK\x03\x04\x00\xff\xfe binary")
    for args in (["--check", "-q", blob], [blob, "-o", tmp_path / "out.txt"]):
        code, out, err = run_cli(*args)
        assert code == 2
        assert one_line(err).startswith(f"translit: {blob}: ")
    assert not (tmp_path / "out.txt").exists()
    # A document that is not one (a zip without its parts) is an error too, not a skip.
    document = tmp_path / "report.docx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("word/document.xml", "<w:t>Ўзбек</w:t>")
    code, out, err = run_cli("--check", "-q", document)
    assert code == 2
    assert one_line(err).startswith(f"translit: {document}: ")


def test_a_walk_in_utf16_does_not_take_utf16_text_for_binary(tmp_path):
    write(tmp_path / "docs" / "a.txt", "Ўзбек\n".encode("utf-16"))
    write(tmp_path / "docs" / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\x00\xd8")
    write(tmp_path / "docs" / "image.dat", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\x00\xd8")
    code, out, err = run_cli("--check", "--encoding", "utf-16", tmp_path / "docs")
    assert code == 1
    assert out.decode().split() == [str(tmp_path / "docs" / "a.txt")]
    assert "image.png: skipped: not converted: an image" in err.decode()
    assert "image.dat: skipped: binary file" in err.decode()


# --- 2. unreadable folders and files in a walk --------------------------------------------


def test_unreadable_folder_in_a_walk_is_an_error_and_the_rest_is_done(open_tmp):
    tree = open_tmp / "tree"
    write(tree / "a.txt", "бир\n")
    write(tree / "priv" / "secret.txt", "икки\n")
    write(tree / "locked.txt", "уч\n")
    (tree / "priv").chmod(0o700)
    (tree / "locked.txt").chmod(0o600)
    code, out, err = as_nobody("--check", tree)
    assert code == 2, err
    assert out.decode().split() == [str(tree / "a.txt")], err
    messages = err.decode()
    assert f"translit: {tree / 'priv'}: cannot read folder: Permission denied" in messages
    assert f"translit: {tree / 'locked.txt'}: cannot read: Permission denied" in messages
    assert "translit: 1 file(s) would change, 0 unchanged, 2 failed" in messages
    code, out, err = as_nobody(tree, "-o", open_tmp / "out")
    assert code == 2
    assert (open_tmp / "out" / "a.txt").read_bytes() == b"bir\n"
    assert f"{tree / 'priv'}: cannot read folder" in err.decode()


@pytest.mark.parametrize("mode", [[], ["--check"], ["-i"]])
def test_a_named_file_in_a_folder_one_may_not_enter_is_an_error_and_the_rest_is_done(open_tmp,
                                                                                     mode):
    # Python 3.11's Path.is_dir() raises on EACCES: an internal error, and a.txt, named
    # beside it, was never done.
    write(open_tmp / "a.txt", "бир\n").chmod(0o666)
    write(open_tmp / "priv" / "secret.txt", "икки\n")
    (open_tmp / "priv").chmod(0o700)
    names = [open_tmp / "priv" / "secret.txt", open_tmp / "a.txt"]
    code, out, err = as_nobody(*mode, *names, *([] if mode else ["-o", open_tmp / "out/"]))
    assert code == 2, err
    lines = err.decode().splitlines()
    assert lines[0] == f"translit: {names[0]}: cannot read: Permission denied", err
    assert "internal error" not in err.decode()
    done = {"--check": lambda: out == f"{names[1]}\n".encode(),
            "-i": lambda: names[1].read_bytes() == b"bir\n",
            "": lambda: (open_tmp / "out" / "a.txt").read_bytes() == b"bir\n"}
    assert done[" ".join(mode)](), (out, err)


@pytest.mark.parametrize("output", ["priv/out", "priv/out/", "priv/a.txt/"])
def test_an_output_folder_in_a_folder_one_may_not_enter_names_it(open_tmp, output):
    write(open_tmp / "a.txt", "бир\n")
    write(open_tmp / "b.txt", "икки\n")
    (open_tmp / "priv").mkdir(mode=0o700)
    code, out, err = as_nobody(open_tmp / "a.txt", open_tmp / "b.txt", "-o", open_tmp / output)
    assert code == 2
    assert one_line(err) == (f"translit: {open_tmp / output.rstrip('/')}: cannot create folder: "
                             "Permission denied\n")


# --- 3. no tracebacks; exit 1 means "would change" only -------------------------------------


def test_diff_of_utf16_is_refused_up_front(tmp_path):
    source = write(tmp_path / "f.txt", "бир\n".encode("utf-16"))
    result = translit("--encoding", "utf-16", "--diff", "-", input=source.read_bytes())
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("translit: --diff needs an encoding in which")


@pytest.mark.parametrize("codec", ["base64", "zlib", "rot13", "hex"])
def test_a_codec_that_is_not_a_text_encoding_is_refused(codec):
    code, out, err = run_cli("--encoding", codec, "-")
    assert code == 2
    assert one_line(err).startswith(f"translit: {codec} is not a text encoding")


def test_several_inputs_onto_an_existing_file_is_one_line(tmp_path):
    a, b = write(tmp_path / "a.txt", "бир"), write(tmp_path / "b.txt", "икки")
    existing = write(tmp_path / "existing.txt", "keep")
    code, out, err = run_cli(a, b, "-o", existing)
    assert code == 2
    assert one_line(err) == (f"translit: -o {existing} is a file; several inputs or a folder "
                             "need a folder for -o\n")
    assert existing.read_text() == "keep"


def test_an_output_folder_that_cannot_be_made_names_it(open_tmp):
    write(open_tmp / "src" / "a.txt", "бир")
    (open_tmp / "outro").mkdir()
    (open_tmp / "outro").chmod(0o555)
    code, out, err = as_nobody(open_tmp / "src", "-o", open_tmp / "outro" / "tree")
    assert code == 2
    assert one_line(err) == (f"translit: {open_tmp / 'outro' / 'tree'}: cannot create folder: "
                             "Permission denied\n")


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "PYTHONUNBUFFERED"])
@pytest.mark.parametrize("mode", [["--check"], ["--diff"], [], ["--diff", "--explain"],
                                  ["--diff", "--layout", "word-diff"],
                                  ["--diff", "--color", "always"], ["--diff", "--json"]])
@pytest.mark.parametrize("inputs", [1, 2])
def test_a_full_standard_output_is_exit_2_not_1(tmp_path, mode, unbuffered, inputs):
    # Most shells do not set PYTHONUNBUFFERED: with Python's buffered standard output the
    # bytes a failed write left were tried again at exit, and reported a second time. The
    # preview named the input file ("f.txt: No space left on device"), then an internal
    # error as it closed.
    sources = [write(tmp_path / f"f{n}.txt", "объект бир\n" * 10) for n in range(inputs)]
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        environment["PYTHONUNBUFFERED"] = "1"
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*COMMAND, *mode, *map(str, sources)],
                                stdout=full, stderr=subprocess.PIPE, timeout=60,
                                env=environment)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "standard output" in line and "No space left on device" in line


def closed_run(closed: int, *args: object, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The real command with file descriptor `closed` (0, 1 or 2) closed, as `<&-`, `>&-`
    or `2>&-` leave it: standard output and standard error captured when not closed."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    pipes = {1: "stdout", 2: "stderr"}
    streams = {name: subprocess.PIPE for fd, name in pipes.items() if fd != closed}
    return subprocess.run([*COMMAND, *map(str, args)], cwd=cwd, env=environment, timeout=60,
                          stdin=subprocess.DEVNULL, preexec_fn=lambda: os.close(closed),
                          **streams)  # type: ignore[call-overload]


@pytest.mark.parametrize("args", [["a.txt", "-o", "b.txt"], ["-i", "b.txt"]],
                         ids=["-o", "-i"])
@pytest.mark.parametrize("closed", [0, 1, 2], ids=["stdin", "stdout", "stderr"])
def test_a_closed_standard_stream_does_not_stop_a_run_that_does_not_use_it(tmp_path, closed,
                                                                             args):
    # Python makes sys.stdout None when descriptor 1 is closed (the run crashed), and the
    # first file opened gets number 1: what goes to standard output would land in it.
    write(tmp_path / "a.txt", "Ўзбек\n")
    write(tmp_path / "b.txt", "Ўзбек\n")
    result = closed_run(closed, *args, cwd=tmp_path)
    assert result.returncode == 0, result
    assert (result.stderr or b"") == b"" and (result.stdout or b"") == b""
    assert (tmp_path / "b.txt").read_bytes() == "Oʻzbek\n".encode()
    assert (tmp_path / "a.txt").read_bytes() == "Ўзбек\n".encode()


@pytest.mark.parametrize("closed, args, named", [
    (0, [], "-: cannot read"),
    (0, ["-", "-o", "b.txt"], "-: cannot read"),
    (1, ["a.txt"], "standard output: cannot write"),
    (1, ["--check", "a.txt"], "standard output: cannot write"),
    (1, ["--diff", "a.txt"], "standard output: cannot write"),
])
def test_a_closed_standard_stream_that_is_needed_is_one_line_and_exit_2(tmp_path, closed,
                                                                       args, named):
    write(tmp_path / "a.txt", "Ўзбек\n")
    result = closed_run(closed, *args, cwd=tmp_path)
    assert result.returncode == 2, result
    assert one_line(result.stderr).startswith(f"translit: {named}: ")
    assert not (tmp_path / "b.txt").exists()


@pytest.mark.parametrize("args, status", [(["missing.txt"], 2), (["--check", "a.txt"], 1),
                                          (["a.txt"], 0)])
def test_a_closed_standard_error_leaves_the_exit_status_as_it_is(tmp_path, args, status):
    write(tmp_path / "a.txt", "Ўзбек\n")
    result = closed_run(2, *args, cwd=tmp_path)
    assert result.returncode == status, result
    assert result.stdout in (b"", b"a.txt\n", "Oʻzbek\n".encode())


def test_an_unexpected_exception_is_one_line_naming_the_file(tmp_path, monkeypatch):
    import translit.stream

    def broken(*args, **kwargs):
        raise TypeError("something nobody expected")

    monkeypatch.setattr(translit.stream, "convert_stream", broken)
    monkeypatch.setattr("translit.files.operations.convert_stream", broken)
    source = write(tmp_path / "a.txt", "бир")
    code, out, err = run_cli(source, "-o", tmp_path / "b.txt")
    assert code == 2
    assert one_line(err) == (
        f"translit: {source}: internal error (TypeError: something nobody expected); please "
        "report it (TRANSLIT_DEBUG=1 or --debug shows the traceback)\n")
    monkeypatch.setenv("TRANSLIT_DEBUG", "1")
    with pytest.raises(TypeError):
        run_cli(source, "-o", tmp_path / "b.txt")


def test_debug_flag_shows_the_traceback_of_a_bug(tmp_path):
    source = write(tmp_path / "a.txt", "бир")
    patch = ("import translit.files.operations as f\n"
             "def broken(*a, **k): raise TypeError('planted')\n"
             "f.convert_stream = broken\n")
    result = subprocess.run(patched_command(patch, "--debug", source), capture_output=True,
                            timeout=60)
    assert result.returncode == 2
    assert b"Traceback" in result.stderr and b"planted" in result.stderr


# --- 4. shell completion --------------------------------------------------------------------


def test_bash_completion_completes_and_never_reads_stdin(tmp_path):
    # The script `translit --install-completion` installs for bash (asked for by name:
    # --show-completion guesses the shell from the parent process, which is pytest here).
    script = subprocess.run([str(BIN / "translit")], capture_output=True, timeout=60,
                            stdin=subprocess.DEVNULL,
                            env={**os.environ, "_TRANSLIT_COMPLETE": "source_bash"})
    assert script.returncode == 0, script.stderr
    (tmp_path / "completion.bash").write_bytes(script.stdout)
    probe = (f"source {tmp_path / 'completion.bash'}\n"
             "COMP_WORDS=(translit --dif); COMP_CWORD=1\n"
             "_translit_completion translit\n"
             "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
    # A pipe that never closes: a completion that reads stdin would hang here.
    read_end, write_end = os.pipe()
    try:
        result = subprocess.run(["bash", "-c", probe], stdin=read_end, capture_output=True,
                                env=env, timeout=30)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert result.stdout.decode().split() == ["--diff"]


@pytest.mark.parametrize("shell", ["complete_zsh", "complete_fish"])
def test_zsh_and_fish_completion_answer_without_reading_stdin(shell):
    env = {**os.environ, "_TRANSLIT_COMPLETE": shell, "COMP_WORDS": "translit --chec",
           "COMP_CWORD": "1", "_TYPER_COMPLETE_ARGS": "translit --chec",
           "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    read_end, write_end = os.pipe()
    try:
        result = subprocess.run([str(BIN / "translit")], stdin=read_end, capture_output=True,
                                env=env, timeout=30)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert result.returncode == 0
    assert b"--check" in result.stdout


# --- 5. translit's own backups and temporaries are never inputs -----------------------------


def test_backups_are_not_inputs_of_a_later_walk(tmp_path):
    docs = tmp_path / "docs"
    write(docs / "report.txt", "ҳисобот\n")
    assert run_cli("-i", docs, "--backup", ".bak")[0] == 0
    assert (docs / "report.txt.bak").read_text() == "ҳисобот\n"
    code, out, err = run_cli("--check", docs)
    assert (code, out) == (0, b"")
    assert f"{docs / 'report.txt.bak'}: skipped: a backup made by translit" in err.decode()
    code, out, err = run_cli("-i", docs, "--backup", ".bak")
    assert code == 0
    assert (docs / "report.txt.bak").read_text() == "ҳисобот\n"
    assert not (docs / "report.txt.bak.bak").exists()


def test_backups_with_the_suffix_in_use_are_not_inputs_even_unmarked(tmp_path):
    docs = tmp_path / "docs"
    write(docs / "a.txt", "бир\n")
    write(docs / "a.txt.orig", "бир\n")  # e.g. made by hand, or on a file system without xattrs
    code, out, err = run_cli("-i", docs, "--backup", ".orig")
    assert code == 0
    assert (docs / "a.txt.orig").read_text() == "бир\n"


@pytest.mark.parametrize("mode", [["-i", "--backup", ".orig"], ["--check"], ["-i"]])
def test_a_backup_named_again_is_skipped_not_converted(tmp_path, mode):
    # translit -i --backup .orig *, run again, named a.txt.orig too: the backup was converted
    # in place (its original kept only in a.txt.orig.orig), and --check * failed on it.
    source = write(tmp_path / "a.txt", "бир\n")
    assert run_cli("-i", "--backup", ".orig", source)[0] == 0
    backup = tmp_path / "a.txt.orig"
    if not is_marked_backup(backup):
        pytest.skip("this file system keeps no extended attributes: backups are not marked")
    code, out, err = run_cli(*mode, source, backup)
    assert (code, out) == (0, b""), err
    assert f"translit: {backup}: skipped: a backup made by translit" in err.decode()
    assert backup.read_text() == "бир\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "a.txt.orig"]


def test_a_backup_that_would_replace_another_input_is_refused(tmp_path):
    # translit -i a a.txt --backup .txt kept a's original as a.txt, over the file a.txt,
    # which was lost before it was converted.
    first, second = write(tmp_path / "a", "бир\n"), write(tmp_path / "a.txt", "икки\n")
    code, out, err = run_cli("-i", "--backup", ".txt", first, second)
    assert code == 2
    assert one_line(err) == (f"translit: --backup .txt would keep the original of {first} as "
                             f"{second}, which is an input too; choose another suffix\n")
    assert (first.read_text(), second.read_text()) == ("бир\n", "икки\n")


# --- 6. errors about the output name the output ---------------------------------------------


def test_permission_denied_on_the_output_folder_names_it(open_tmp):
    source = write(open_tmp / "a.txt", "бир")
    (open_tmp / "out").mkdir()
    (open_tmp / "out").chmod(0o555)
    code, out, err = as_nobody(source, "-o", open_tmp / "out" / "a.txt")
    assert code == 2
    assert one_line(err) == (f"translit: {open_tmp / 'out'}: cannot write into folder: "
                             "Permission denied (translit replaces a.txt atomically: it writes "
                             "a new file in this folder and renames it over the old)\n")


def test_in_place_refuses_a_read_only_file(open_tmp):
    """Issue 19.2: as -o onto it, ruff and black do; a file that would not change is no
    error (it is not touched either way)."""
    source = write(open_tmp / "ro.txt", "бир\n")
    latin = write(open_tmp / "latin.txt", "bir\n")
    for path in (source, latin):
        path.chmod(0o444)
    code, out, err = as_nobody("-i", source, latin)
    assert code == 2
    assert err.decode().splitlines() == [
        f"translit: {source}: cannot write: it is read-only (mode 444); -i leaves it as it is "
        "(make it writable first: chmod u+w)",
        "translit: 0 file(s) converted, 1 unchanged, 1 failed"]
    assert source.read_text() == "бир\n" and latin.read_text() == "bir\n"
    assert os.stat(source).st_mode & 0o777 == 0o444
    assert sorted(p.name for p in open_tmp.iterdir()) == ["latin.txt", "ro.txt"]


def test_in_place_in_a_folder_it_may_not_write_names_the_folder(open_tmp):
    """The file is writable, its folder is not: the folder is named, and why it matters."""
    folder = open_tmp / "d2"
    source = write(folder / "f.txt", "бир\n")
    source.chmod(0o666)
    folder.chmod(0o555)
    code, out, err = as_nobody("-i", "d2/f.txt", cwd=open_tmp)
    assert code == 2
    assert one_line(err) == ("translit: d2: cannot write into folder: Permission denied "
                             "(translit replaces f.txt atomically: it writes a new file in this "
                             "folder and renames it over the old)\n")
    assert source.read_text() == "бир\n"


def test_a_full_disk_on_the_output_names_the_output(tmp_path):
    import signal as signals

    source = write(tmp_path / "big.txt", "сатр ва сатр\n" * 100_000)

    def small_file_limit():
        import resource

        signals.signal(signals.SIGXFSZ, signals.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 16, 1 << 16))

    target = tmp_path / "out.txt"
    result = translit(source, "-o", target, preexec_fn=small_file_limit)
    assert result.returncode == 2
    assert one_line(result.stderr) == f"translit: {target}: cannot write: File too large\n"
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["big.txt"]


# --- 7. -o onto an existing file respects it -------------------------------------------------


def test_output_onto_a_read_only_file_of_another_user_is_refused(open_tmp):
    source = write(open_tmp / "a.txt", "бир")
    target = write(open_tmp / "readonly.txt", "keep")
    target.chmod(0o444)
    code, out, err = as_nobody(source, "-o", target)
    assert code == 2
    assert one_line(err) == f"translit: {target}: cannot write: Permission denied\n"
    assert target.read_text() == "keep"
    info = target.stat()
    assert (stat.S_IMODE(info.st_mode), info.st_uid) == (0o444, 0)


def test_output_onto_an_existing_file_keeps_its_mode(tmp_path):
    source = write(tmp_path / "a.txt", "бир")
    target = write(tmp_path / "out.txt", "old")
    target.chmod(0o640)
    assert run_cli(source, "-o", target)[0] == 0
    assert target.read_bytes() == b"bir"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_output_onto_a_symlink_to_a_file_is_refused(tmp_path):
    source = write(tmp_path / "a.txt", "бир")
    other = write(tmp_path / "other.txt", "keep")
    link = tmp_path / "link.txt"
    link.symlink_to(other)
    code, out, err = run_cli(source, "-o", link)
    assert code == 2
    assert one_line(err).startswith(f"translit: {link}: cannot write: it is a symbolic link")
    assert other.read_text() == "keep" and link.is_symlink()


def test_output_to_a_device_is_written_directly(tmp_path):
    source = write(tmp_path / "a.txt", "бир")
    assert run_cli(source, "-o", "/dev/null")[0] == 0
    assert os.path.exists("/dev/null") and stat.S_ISCHR(os.stat("/dev/null").st_mode)


# --- 8. odd -o targets ----------------------------------------------------------------------


def test_a_trailing_slash_means_a_folder(tmp_path):
    source = write(tmp_path / "a.txt", "бир")
    code, out, err = run_cli(source, "-o", f"{tmp_path / 'newdir'}/")
    assert (code, err) == (0, b"")
    assert (tmp_path / "newdir" / "a.txt").read_bytes() == b"bir"


def test_standard_input_into_a_folder_needs_a_name(tmp_path):
    (tmp_path / "existing").mkdir()
    result = translit("-o", tmp_path / "existing", input="салом".encode())
    assert result.returncode == 2
    assert one_line(result.stderr).startswith(
        f"translit: -o {tmp_path / 'existing'} is a folder: standard input needs a file name")
    assert list((tmp_path / "existing").iterdir()) == []


# --- 9. a folder needs a mode ---------------------------------------------------------------


def test_a_folder_without_a_mode_is_refused(tmp_path):
    write(tmp_path / "docs" / "a.txt", "бир")
    code, out, err = run_cli(tmp_path / "docs")
    assert (code, out) == (2, b"")
    assert one_line(err) == (f"translit: {tmp_path / 'docs'} is a folder: use -o OUT to convert "
                             "it into another folder, -i to convert it in place, or "
                             "--check/--diff\n")


# --- 10. letters left unconverted -----------------------------------------------------------


def test_letters_left_unconverted_are_counted_once_per_file(tmp_path):
    source = write(tmp_path / "kk.txt", "Қазақ әні ңң ї\nсўз\n")
    code, out, err = run_cli(source, "-o", tmp_path / "out.txt")
    assert code == 0
    assert one_line(err) == (f"translit: {source}: 5 Cyrillic letter(s) left unconverted: "
                             "ң ×2, ә ×1, і ×1, ї ×1\n")
    assert run_cli("-q", source, "-o", tmp_path / "out2.txt")[2] == b""


@pytest.mark.parametrize("mode", ["-o", "stdout", "-i"])
def test_strict_makes_leftovers_an_error_and_writes_nothing(tmp_path, mode):
    data = "сўз ә\n" * 1000
    source = write(tmp_path / "kk.txt", data)
    args = {"-o": [source, "-o", tmp_path / "out.txt"], "stdout": [source],
            "-i": ["-i", source]}[mode]
    result = translit("--strict", *args)
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        f"translit: {source}: 1000 Cyrillic letter(s) the tables do not convert: ә ×1000 "
        "(--strict); nothing written\n")
    assert result.stdout == b""
    assert source.read_text() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kk.txt"]


# --- 11. options that would do nothing; help; usage errors ----------------------------------


@pytest.mark.parametrize("args, message", [
    (["--explain", "-"], "--explain only goes with --diff"),
    (["--layout", "side", "-"], "--layout only goes with --diff"),
    (["-U", "5", "-"], "--context only goes with --diff"),
    (["-i"], "-i needs files: standard input cannot be converted in place"),
    (["-i", "-o", "x", "a"], "-i and -o cannot be used together"),
    (["--backup", ".bak", "x"], "--backup only goes with -i"),
    (["-i", "--backup", "", "x"], "--backup needs a suffix such as .bak"),
    (["-i", "--backup", "a/b", "x"], "--backup needs a suffix such as .bak"),
    (["--check", "--diff", "x"], "--check and --diff cannot be used together"),
    (["--check", "-o", "y", "x"], "--check and --diff write nothing; leave out -i and -o"),
    (["--diff", "-i", "x"], "--check and --diff write nothing; leave out -i and -o"),
    (["-o", "y", "-", "x"], "-o with standard input takes no other inputs"),
])
def test_each_usage_check_says_what_is_wrong(args, message):
    code, out, err = run_cli(*args)
    assert (code, out) == (2, b"")
    assert one_line(err) == f"translit: {message}\n"


@pytest.mark.parametrize("mode", [[], ["--json"], ["--color", "always", "--no-pager"]])
def test_a_context_larger_than_any_file_is_the_whole_file(tmp_path, mode):
    # -U 2**63 was an internal error (OverflowError: the deque of leading lines).
    source = write(tmp_path / "a.txt", "Latin\n" * 5 + "Ўзбек\n" + "Latin\n" * 5)
    code, out, err = run_cli("--diff", "-U", str(2**64), *mode, source)
    assert (code, err) == (1, b"")
    assert run_cli("--diff", "-U", "1000", *mode, source)[1] == out


def test_typer_usage_errors_are_one_line_too():
    for args, start in ((["--bogus"], "translit: No such option: --bogus"),
                        (["--apostrophe", "fancy"], "translit: Invalid value for '--apostrophe'"),
                        (["--jobs", "-1"], "translit: Invalid value for '-j' / '--jobs'")):
        result = translit(*args, input=b"")
        assert result.returncode == 2
        assert one_line(result.stderr).startswith(start), result.stderr


def test_help_fits_80_columns_grouped_with_examples_first():
    result = translit("--help", env={"COLUMNS": "80", "TERM": "dumb"})
    assert result.returncode == 0
    text = result.stdout.decode()
    lines = text.splitlines()
    assert max(map(len, lines)) <= 80
    assert "…" not in text
    assert text.index("translit --check docs/") < text.index("--output")
    for panel in ("Conversion", "Files and folders", "Check and preview", "Messages"):
        assert f"─ {panel} " in text
    assert not re.search(r"--no-(check|diff|explain|in-place|quiet)", text)
    for option in ("--typed-apostrophes", "--follow-symlinks", "--legacy-font",
                   "--ordinal-dates", "--no-lookalikes", "--exceptions", "--strict"):
        assert option in text
    for choice in ("surrogateescape", "typographic", "latin2026", "inline", "never"):
        assert choice in text  # every choice whole, none cut by wrapping
    assert len(lines) <= 100
