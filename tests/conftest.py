"""Shared helpers: the project's own case files (copied from ../shared/cases)."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.terminal import drain, pseudo_terminal  # noqa: F401  (shared from here)

import translit

CASES = Path(__file__).parent / "cases"


def read_tsv(name: str) -> list[dict[str, str]]:
    with open(CASES / name, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="session")
def default() -> translit.Transliterator:
    return translit.get_transliterator()


def fresh_transliterator(options: translit.Options) -> translit.Transliterator:
    """A new transliterator, nothing remembered, for a property that needs one per example.

    It shares the cached transliterator's table of plain words (plainwords.PlainWords: read
    only, built from the data files alone), whose build took 80 ms of each example, and
    the compiled pass's table made from it (`_accelerated`: read only too, the C code takes
    it as const), 20-30 ms more; what it remembers (the tokens and runs decided) is its own.
    """
    fresh = translit.Transliterator(options)
    cached = translit.get_transliterator(options)
    shared = getattr(cached.direction, "converter", None)  # the Cyrillic direction's
    if shared is not None:
        converter = fresh.direction.converter  # type: ignore[attr-defined]
        converter._plain = shared._plain
        converter.__dict__["_accelerated"] = shared._accelerated  # a cached_property
    return fresh


def write(path: Path, data: str | bytes) -> Path:
    """`data` written to `path` (text as UTF-8), its folders made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def temporaries(folder: Path) -> list[str]:
    """The names of translit's temporary files anywhere under `folder`."""
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".translit-tmp"))


def wait_for(condition: Callable[[], object], seconds: float = 60,
             what: str = "the condition") -> None:
    """Wait until `condition()` is true; fail the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.002)


def output_within_cpu(code: str, seconds: int = 10) -> str:
    """What Python `code` prints, run in a child that the kernel ends (SIGXCPU) after
    `seconds` of processor time: a test of linear time that fails, and does not hang, when
    it is not (the child must end with status 0)."""
    import resource

    run = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=600,
                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CPU,
                                                               (seconds, seconds)))
    assert run.returncode == 0, run.stderr  # (SIGXCPU: over `seconds` of processor time)
    return run.stdout.decode()


def patched_command(patch: str, *args: object) -> list[str]:
    """The command that runs translit's command line with `args` in a new Python process,
    after `patch`: Python source run first in that process, where a test's monkeypatch
    cannot reach (to replace a function there, or to send a signal from inside a window).
    """
    return [sys.executable, "-c", f"{patch}\nfrom translit.cli.main import main\nmain()\n",
            *map(str, args)]


def run_cli(*args: object, cwd: Path | None = None) -> tuple[int, bytes, bytes]:
    """Run the command line in this process: (exit status, stdout, stderr)."""
    import io

    from translit.cli.app import parse_and_run

    out, err = io.BytesIO(), io.BytesIO()
    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        code = parse_and_run([str(a) for a in args], out, err)
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


NOBODY = 65534


def can_drop_privileges() -> str | None:
    """Why tests as a second user cannot run here, or None when they can."""
    if os.geteuid() != 0:
        return "not root: cannot switch to a second user to provoke permission errors"
    try:
        import pwd

        pwd.getpwuid(NOBODY)
    except KeyError:
        return "this machine has no 'nobody' user"
    return None


def as_nobody(*args: object, cwd: Path | None = None) -> tuple[int, bytes, bytes]:
    """Run the command line in a forked child that has dropped root for 'nobody'.

    The child keeps this interpreter (the venv's files may not be readable by nobody), so
    everything it will import is imported here first.
    """
    import fcntl  # noqa: F401  (the standard library may sit where nobody cannot read it)
    import pickle
    import shutil  # noqa: F401
    import tempfile  # noqa: F401

    import translit.cli.app
    import translit.files.parallel
    import translit.cli.report  # noqa: F401
    from translit.converter.transliterator import get_transliterator

    get_transliterator()
    reason = can_drop_privileges()
    if reason:
        pytest.skip(reason)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            result = run_cli(*args, cwd=cwd)
            with open(write_end, "wb") as pipe:
                pickle.dump(result, pipe)
        finally:
            os._exit(0)
    os.close(write_end)
    with open(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    assert data, "the child running as nobody died"
    return pickle.loads(data)


@pytest.fixture
def open_tmp():
    """A temporary folder that a second user may enter (pytest's tmp_path is 0700)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="translit-test-", dir="/tmp"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _hypothesis_without_deadlines() -> None:
    # Hypothesis fails an example that takes over 200 ms, and calls a test flaky when a
    # repeat is fast: on a loaded machine (CI beside other jobs) that is the machine, not
    # translit. What must be fast is measured by bench/; what must end has a timeout here.
    from hypothesis import HealthCheck, settings

    settings.register_profile("translit", deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("translit")


_hypothesis_without_deadlines()


# --- running beside another test (pytest-xdist: README's test command runs two) ----------
#
# A test marked `alone` (one that measures the wall clock) runs while no other test does: each
# test holds the "room" lock shared for its whole protocol (its module's fixtures too), one
# marked `alone` holds it exclusive; and the "gate" lets it in ahead of the tests that come
# after it. Module-scoped set-ups that are costly (a Dask cluster, LibreOffice) are marked
# ``pytest.mark.xdist_group`` to keep their tests on one worker; but pytest-xdist 3.8 under
# pytest 9 ignores the mark (``--dist loadgroup`` writes the group into ``item._nodeid``,
# which pytest 9 no longer reads: a module fixture was made on both workers), so that
# ``--dist loadscope`` (a module's tests on one worker) is what keeps them together today.

TERMINAL_SIZE = ("LINES", "COLUMNS")
TURNS_FOLDER = pytest.StashKey[Path]()  # the controller's: where the locks are


class Turns:
    """The two lock files, opened by one worker."""

    def __init__(self, folder: Path) -> None:
        self.gate = os.open(folder / "gate", os.O_RDWR | os.O_CREAT, 0o600)
        self.room = os.open(folder / "room", os.O_RDWR | os.O_CREAT, 0o600)

    @contextlib.contextmanager
    def turn(self, alone: bool) -> Iterator[None]:
        fcntl.flock(self.gate, fcntl.LOCK_EX)
        try:
            fcntl.flock(self.room, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        finally:
            fcntl.flock(self.gate, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(self.room, fcntl.LOCK_UN)


WORKER_TURNS = pytest.StashKey[Turns]()  # a worker's


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist's controller, for each worker: the terminal size in its environment,
    and the folder of the locks that take turns (made once for the run)."""
    node.workerinput["terminal_size"] = {name: os.environ.get(name) for name in TERMINAL_SIZE}
    stash = node.config.stash
    if TURNS_FOLDER not in stash:
        import tempfile

        stash[TURNS_FOLDER] = Path(tempfile.mkdtemp(prefix="translit-turns-"))
    node.workerinput["turns"] = str(stash[TURNS_FOLDER])


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(TURNS_FOLDER, None)
    if folder is not None and not hasattr(config, "workerinput"):  # the controller's
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    turns = item.config.stash.get(WORKER_TURNS, None)
    if turns is None:  # one process: every test runs alone
        yield
        return
    with turns.turn(alone=item.get_closest_marker("alone") is not None):
        yield


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "alone: no other test runs beside it (it measures "
                                       "the wall clock)")
    worker = getattr(config, "workerinput", None)
    if worker is not None and "turns" in worker:
        config.stash[WORKER_TURNS] = Turns(Path(worker["turns"]))
    # An xdist worker finds LINES=24 and COLUMNS=80 in its environment (set in it before
    # any test module is imported, though the controller has neither), and translit's
    # preview would read a terminal of 24 lines from them: the worker takes the
    # controller's (.ci/run unsets both, as a user's shell has neither).
    for name, value in getattr(config, "workerinput", {}).get("terminal_size", {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    # A test run started in the background by a shell inherits an ignored SIGINT, and
    # translit (like Python) keeps an ignored signal ignored: give the runs we start the
    # default disposition, so that the signal tests send what a terminal would.
    import signal

    for number in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        if signal.getsignal(number) is signal.SIG_IGN:
            signal.signal(number, signal.default_int_handler if number == signal.SIGINT
                          else signal.SIG_DFL)
