"""The `translit` entry point: signals from the first instruction, then the plain filter
(no argument parser needed) or the Typer command line (cli/app.py).

Ctrl-C, SIGTERM and SIGHUP all end a run the same way: whatever is being written is
removed, the originals are left as they were, and the exit status is 128 + the signal's
number (130, 143, 129), with nothing on stderr.
"""

import gc
import os
import sys

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    import signal
else:  # the same functions and numbers, without the enums signal.py builds of them on
    import _signal as signal  # import (0.4 ms of the plain filter's start-up)


class Interrupted(BaseException):
    """Ctrl-C, SIGTERM or SIGHUP; ``signum`` says which. Not a KeyboardInterrupt, so that
    no library can catch it as one (Typer turns KeyboardInterrupt into "exit 130")."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


_pending: list[int] = []  # the signal that came, whatever became of its exception


OVERDUE_SECONDS = 5.0  # an interrupted run still going this long after is ended at once


def _interrupted(signum: int, frame: object) -> None:
    for number in _SIGNALS:  # the clean-up that follows is not to be interrupted itself
        signal.signal(number, signal.SIG_IGN)
    # Kept before raising: Python may swallow the exception (in a finaliser) or a library
    # may turn it into another (a RuntimeError from a class's __set_name__); the run was
    # interrupted all the same.
    if not _pending:
        _pending.append(signum)
        # Whatever becomes of the exception, the run ends: if the clean-up it starts has
        # not ended the process in time, `_overdue` does.
        signal.signal(signal.SIGALRM, _overdue)
        signal.setitimer(signal.ITIMER_REAL, OVERDUE_SECONDS)
    raise Interrupted(_pending[0])


def _overdue(signum: int, frame: object) -> None:
    """The interrupted run did not end (its exception lost, or a step that does not give
    way): stop the workers, remove the temporaries and leave, without flushing a standard
    output that may be what does not give way. A person still reading the preview in the
    pager is waited for (the pager says the preview was cut short)."""
    preview = sys.modules.get("translit.preview")
    if preview is not None and any(p.poll() is None for p in preview.PAGERS):
        signal.setitimer(signal.ITIMER_REAL, OVERDUE_SECONDS)
        return
    _stop_workers_and_temporaries()
    os._exit(128 + _pending[0])


def _unraisable(info: "sys.UnraisableHookArgs") -> None:
    # A signal that arrives inside a finaliser or weakref callback raises there, and Python
    # only prints "Exception ignored": the run would go on. Deliver it again, quietly, so
    # that it is raised where the finaliser returns to, in code that can end the run.
    if not isinstance(info.exc_value, Interrupted):
        sys.__unraisablehook__(info)
        return
    signal.signal(signal.SIGALRM, _interrupted_again)
    signal.setitimer(signal.ITIMER_REAL, 0.001)


def _interrupted_again(signum: int, frame: object) -> None:
    signal.signal(signal.SIGALRM, _overdue)
    signal.setitimer(signal.ITIMER_REAL, OVERDUE_SECONDS)
    raise Interrupted(_pending[0])


def install_signal_handlers() -> None:
    sys.unraisablehook = _unraisable
    for number in _SIGNALS:
        if signal.getsignal(number) != signal.SIG_IGN:  # nohup: stay ignored
            signal.signal(number, _interrupted)


install_signal_handlers()  # the module's first instruction: imports below are covered


def _collecting() -> None:
    """The collector on again, the objects of the start-up left out of its walks for good
    (gc.freeze: they live as long as the process; forked workers then leave their memory
    shared, untouched by the collector)."""
    gc.freeze()
    gc.enable()


def main() -> None:
    """The console script: run, and leave with the exit status (never a traceback)."""
    code = 2
    # Starting makes many objects (modules, functions, Typer's parameters) and frees few, so
    # Python's cyclic collector would walk them again and again for nothing: it waits until
    # the modules are imported (`_collecting`): 10 million instructions of a start with
    # options, most of them in Typer's import.
    gc.disable()
    _occupy_closed_standard_streams()
    try:
        # The command's launcher holds these back until here (scripts/translit): one that
        # came meanwhile is delivered now, to the handlers above, inside this try.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
        code = _main(sys.argv[1:])
    except Interrupted as interruption:
        code = 128 + interruption.signum
    except KeyboardInterrupt:  # Python's own, before translit's handlers were set
        code = 128 + signal.SIGINT
    except BrokenPipeError:
        code = 141
    except BaseException as error:  # a bug outside any file: one line, exit 2 ...
        code = 128 + _pending[0] if _pending else _report_bug(error)  # ... unless a signal
    finally:
        if _pending:
            code = 128 + _pending[0]
        _leave(code)


# Each standard stream, and how it is opened on /dev/null when it was closed: the other way
# round for standard input and output (read from a descriptor open for writing, or the
# reverse, fails), for writing for standard error.
_STANDARD_STREAMS = ((0, "stdin", os.O_WRONLY, "r"), (1, "stdout", os.O_RDONLY, "w"),
                     (2, "stderr", os.O_WRONLY, "w"))


def _occupy_closed_standard_streams() -> None:
    """A standard stream the caller closed (`<&-`, `>&-`, `2>&-`) is given /dev/null, as
    coreutils do. Python makes sys.stdout None for a closed descriptor 1 (every run crashed
    on it, even one writing only files), and the first file opened would get its number,
    receiving what is meant for standard output. Opened the other way round, a closed
    standard input or output still fails when it is used ("Bad file descriptor": one line
    naming it, exit 2) and data never vanishes unsaid; a closed standard error only loses
    the messages, which its closer chose not to hear (the exit status still tells)."""
    for fd, name, flags, mode in _STANDARD_STREAMS:
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        opened = os.open(os.devnull, flags)
        if opened != fd:  # (the lowest free number is fd: the lower ones are open by now)
            os.dup2(opened, fd)
            os.close(opened)
        setattr(sys, name, open(fd, mode, encoding="utf-8", errors="backslashreplace",
                                closefd=False))


def _main(argv: list[str]) -> int:
    debug = "--debug" in argv or bool(os.environ.get("TRANSLIT_DEBUG"))
    if debug:
        os.environ["TRANSLIT_DEBUG"] = "1"
    try:
        if not os.environ.get("_TRANSLIT_COMPLETE"):
            # The plain filter (cat doc.txt | translit) and the simple command lines
            # (translit a.txt -o a.lat.txt) need no argument parser: Typer is not imported,
            # and they start almost as fast as Python itself.
            from .commands import run
            from .simple import simple_request

            request = simple_request(argv)
            if request is not None:
                _collecting()
                return run(request)
        from .app import parse_and_run

        _collecting()

        return parse_and_run([a for a in argv if a != "--debug"])
    finally:
        from ..files.fileio import remove_temporaries

        remove_temporaries()


def _report_bug(error: BaseException) -> int:
    if isinstance(error, SystemExit):
        return error.code if isinstance(error.code, int) else 2
    if os.environ.get("TRANSLIT_DEBUG"):
        import traceback

        traceback.print_exception(error)
        return 2
    from ..files.operations import internal_error
    from ..base.visible import visible

    sys.stderr.write(f"translit: {visible(internal_error(error))}\n")
    return 2


def _leave(code: int) -> None:
    """Flush and exit at once: no later signal or closed pipe can print a traceback."""
    for number in _SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = code or 141
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        sys.stderr.write(f"translit: standard output: cannot write: {reason}\n")
        code = 2
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    _stop_workers_and_temporaries()
    os._exit(code)


def _stop_workers_and_temporaries() -> None:
    parallel = sys.modules.get("translit.files.parallel")  # imported only if it forked workers
    if parallel is not None:
        parallel.stop_all()
    from ..files.fileio import remove_temporaries

    remove_temporaries()
