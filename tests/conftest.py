"""Shared helpers: the project's own case files (copied from ../shared/cases)."""

from __future__ import annotations

import csv
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

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
    only, built from the data files alone), whose build took 80 ms of each example.
    """
    fresh = translit.Transliterator(options)
    cached = translit.get_transliterator(options)
    shared = getattr(cached.direction, "converter", None)  # the Cyrillic direction's
    if shared is not None:
        fresh.direction.converter._plain = shared._plain  # type: ignore[attr-defined]
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


def pytest_configure(config: pytest.Config) -> None:
    # A test run started in the background by a shell inherits an ignored SIGINT, and
    # translit (like Python) keeps an ignored signal ignored: give the runs we start the
    # default disposition, so that the signal tests send what a terminal would.
    import signal

    for number in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        if signal.getsignal(number) is signal.SIG_IGN:
            signal.signal(number, signal.default_int_handler if number == signal.SIGINT
                          else signal.SIG_DFL)
