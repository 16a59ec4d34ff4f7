"""The command's launchers (hatch_build.py): the compiled one (scripts/translit-launcher.c,
the command where a C compiler is) does what the shell one (scripts/translit-launcher) does
before Python starts. Each is run here in front of a stand-in Python part that reports what
it was given."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import hatch_build  # noqa: E402

# The stand-in for _translit: its arguments, the signals blocked when it starts, its input.
PYTHON_PART = """\
import signal, sys
blocked = signal.pthread_sigmask(signal.SIG_BLOCK, [])
print(repr(sys.argv[1:]))
print(sorted(s.name for s in blocked if s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)))
print(repr(sys.stdin.read()))
sys.exit(3)
"""


def _executable(path: Path) -> None:
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


# (the compiled one also as it is where /proc is not mounted: it then finds itself by the
# name it was run by, as the shell found it)
NO_PROC = '-DSELF_EXE="/proc/translit-test/no-such-file"'


@pytest.fixture(params=["compiled", "compiled, no /proc", "shell"])
def launcher(request, tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    if request.param.startswith("compiled"):
        if not sys.platform.startswith("linux"):
            pytest.skip("the compiled launcher is built on Linux only")
        flags = [NO_PROC] if request.param.endswith("no /proc") else []
        try:
            path = Path(hatch_build.compile_launcher(str(ROOT), str(folder), *flags))
        except (OSError, subprocess.SubprocessError):
            pytest.skip("no C compiler here")
    else:
        if not hatch_build.env_blocks_signals():
            pytest.skip("env --block-signal does not work here")
        path = folder / "translit"
        shutil.copyfile(ROOT / "scripts" / "translit-launcher", path)
        _executable(path)
    python_part = folder / "_translit"
    python_part.write_text(f"#!{sys.executable}\n{PYTHON_PART}", encoding="utf-8")
    _executable(python_part)
    return path


def test_it_runs_the_python_part_with_the_signals_blocked_and_everything_passed_on(launcher):
    arguments = ["-o", "", "two words", "--", "-", "ш"]
    run = subprocess.run([str(launcher), *arguments], input=b"\xd1\x88\n", capture_output=True,
                         timeout=60)
    assert (run.returncode, run.stderr) == (3, b"")  # the Python part's own exit status
    assert run.stdout.decode().splitlines() == [
        repr(arguments), "['SIGHUP', 'SIGINT', 'SIGTERM']", repr("ш\n")]


def test_a_folder_as_standard_input_is_refused_before_python_starts(launcher, tmp_path):
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        run = subprocess.run([str(launcher)], stdin=folder, capture_output=True, timeout=60)
    finally:
        os.close(folder)
    assert (run.returncode, run.stdout) == (2, b"")
    assert run.stderr == b"translit: standard input: cannot read: Is a directory\n"


def test_it_finds_the_python_part_through_a_link_and_by_the_search_path(launcher, tmp_path):
    elsewhere = tmp_path / "elsewhere"  # a folder of links, with no _translit in it
    elsewhere.mkdir()
    (elsewhere / "translit").symlink_to(launcher)
    nowhere = tmp_path / "nowhere"  # a folder in PATH with no translit in it
    nowhere.mkdir()
    search = {**os.environ, "PATH": f"{nowhere}{os.pathsep}{elsewhere}{os.pathsep}"
                                    f"{os.environ.get('PATH', '')}"}
    here = {**os.environ, "PATH": f"{nowhere}{os.pathsep}{os.pathsep}"  # (empty: the current
                                  f"{os.environ.get('PATH', '')}"}   # folder)
    for command, env in (([str(elsewhere / "translit")], None), (["translit"], search),
                         (["./translit"], None), (["translit"], here)):
        run = subprocess.run(command, input=b"", capture_output=True, timeout=60, env=env,
                             cwd=elsewhere)
        assert (run.returncode, run.stderr) == (3, b""), command
        assert run.stdout.decode().splitlines()[0] == "[]", command


def test_without_proc_a_name_not_found_is_one_line_and_127(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("the compiled launcher is built on Linux only")
    path = Path(hatch_build.compile_launcher(str(ROOT), str(tmp_path), NO_PROC))
    run = subprocess.run(["translit"], executable=path, input=b"", capture_output=True,
                         timeout=60, env={**os.environ, "PATH": str(tmp_path / "nowhere")})
    assert (run.returncode, run.stdout) == (127, b"")
    assert run.stderr.decode().count("\n") == 1 and "cannot find _translit" in run.stderr.decode()


def test_a_folder_of_its_name_earlier_in_the_search_path_is_passed_over(launcher, tmp_path):
    # The shell runs the first file of the name in PATH's folders, passing over a folder of
    # that name (execvp cannot run it); without /proc the compiled launcher took the folder
    # for itself, looked for _translit beside it and exited 127.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "translit").symlink_to(launcher)
    decoy = tmp_path / "decoy"
    (decoy / "translit").mkdir(parents=True)
    env = {**os.environ, "PATH": f"{decoy}{os.pathsep}{elsewhere}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}"}
    run = subprocess.run(["translit"], input=b"", capture_output=True, timeout=60, env=env,
                         cwd=tmp_path)
    assert (run.returncode, run.stderr) == (3, b"")
