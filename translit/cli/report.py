"""What the command tells the person running it, and the exit status, which it owns.

Every message is one line on stderr, ``translit: PATH: what happened``, coloured by Rich
only when stderr is a terminal. The exit status follows from what was reported:
2 if anything failed, else 1 if something would change (--check, --diff), else 0.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
from ..base.terminal import is_terminal
from ..base.visible import visible, visible_name
if TYPE_CHECKING:
    from typing import Any, BinaryIO

from ..files.operations import (STANDARD_OUTPUT, FileResult, Problem, Skipped,
                               leftover_summary)
from ..stream import ByteSink

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141
PROGRESS_MIN_BYTES = 32 << 20  # show a progress bar for work larger than this ...
PROGRESS_MIN_FILES = 64  # ... or for this many files


class Report:
    """Counts what happened and says it; `exit_status` is the one verdict."""

    def __init__(self, stderr: BinaryIO, *, quiet: bool = False, checking: bool = False,
                 color: str = "auto") -> None:
        self.stderr = stderr
        self.quiet = quiet
        self.checking = checking  # --check or --diff: 1 means "would change"
        self.color = color
        self.errors = 0
        self.converted = 0
        self.unchanged = 0
        self.copied = 0  # files translit does not convert, copied into an output tree
        self.left_out = 0  # ... or left out of it (--only-converted)
        self.would_change = False
        self._console: Any = None
        self._progress_shown = False
        self._held: list[tuple[str | None, str, str]] | None = None  # (see `held`)
        self._holding: Callable[[], bool] = _never
        self._said: set[Problem] = set()  # problems of standard output, said once

    @property
    def exit_status(self) -> int:
        if self.errors:
            return EXIT_ERROR
        if self.checking and self.would_change:
            return EXIT_CHANGES
        return EXIT_OK

    # --- what happened ---

    def done(self, result: FileResult, listing: ByteSink | None = None) -> None:
        """Report one input's result at once; with `listing`, print its name if it changed."""
        for note in result.notes:
            self.note(None, note)
        if result.problem is not None:
            self.failed(result.problem)
            return
        if result.skipped is not None:
            self.note(result.path, f"skipped: {result.skipped}")
            return
        if result.copied:
            self.copied += 1
            return
        if result.changed:
            self.converted += 1
            self.would_change = True
            if listing is not None and not self.quiet:
                listing.write(visible_name(result.path) + b"\n")
                listing.flush()
        else:
            self.unchanged += 1
        if result.leftovers:
            self.note(result.path, leftover_summary(result.leftovers))

    def failed(self, problem: Problem | str) -> None:
        self.errors += 1
        if isinstance(problem, Problem):
            # Standard output that cannot be written fails every file written to it, and
            # the summary after them: the one cause is said once.
            if problem.path == STANDARD_OUTPUT:
                if problem in self._said:
                    return
                self._said.add(problem)
            self._say(problem.path, problem.message, "bold red")
        else:
            self._say(None, problem, "bold red")

    def skipped(self, skipped: Skipped) -> None:
        self.note(str(skipped.path), f"skipped: {skipped.why}")

    def note(self, name: str | None, message: str) -> None:
        if not self.quiet:
            self._say(name, message, "yellow")

    def summary(self, verb: str) -> None:
        """``N file(s) VERB, M unchanged[, K failed]``."""
        if self.quiet:
            return
        line = f"{self.converted} file(s) {verb}, {self.unchanged} unchanged"
        if self.copied:
            line += f", {self.copied} copied as they are (not converted)"
        if self.left_out:
            line += f", {self.left_out} not converted and left out (--only-converted)"
        self._say(None, line + (f", {self.errors} failed" if self.errors else ""), "")

    # --- how it is said ---

    def is_terminal(self) -> bool:
        return is_terminal(self.stderr)

    @contextlib.contextmanager
    def held(self, while_: Callable[[], bool]) -> Iterator[None]:
        """Messages said in the block while `while_()` is true wait until the block ends: a
        pager owns the screen while it runs, and a line written beside it is painted over
        (one said before the pager starts is written at once: a preview of a pipe that
        fits on one screen may wait for its input a long time)."""
        self._held, self._holding = [], while_
        try:
            yield
        finally:
            held, self._held = self._held, None
            for said in held:
                self._say(*said)

    def _say(self, name: str | None, message: str, style: str) -> None:
        if self._held is not None and self._holding():
            self._held.append((name, message, style))
            return
        where = f"{visible(name)}: " if name else ""
        message = visible(message.rstrip())
        plain = self.color == "never" or bool(os.environ.get("NO_COLOR"))
        # (while a progress bar shows, a line goes through its console, which takes the bar
        # away first and draws it again under the line: written past it, it ran into it)
        if not self.is_terminal() or plain and not self._progress_shown:
            self.stderr.write(f"translit: {where}{message}\n".encode("utf-8", "replace"))
            self.stderr.flush()
            return
        from rich.text import Text

        line = Text("translit: ", style="" if plain else style or "bold").append(where + message)
        self.console().print(line, soft_wrap=True, highlight=False)

    def console(self) -> Any:
        if self._console is None:
            from ..preview import make_console

            self._console = make_console(self.color, stderr=True)
        return self._console

    @contextlib.contextmanager
    def progress(self, total: int, files: int) -> Iterator[Callable[[int], None]]:
        """A callback advancing a bar on stderr by bytes done (a no-op when none is shown)."""
        if self.quiet or not self.is_terminal() or (
            total < PROGRESS_MIN_BYTES and files < PROGRESS_MIN_FILES
        ):
            yield _ignore
            return
        from rich.progress import Progress

        with Progress(console=self.console(), transient=True) as bar:
            task = bar.add_task("converting", total=total or None)
            self._progress_shown = True
            try:
                yield lambda n: bar.advance(task, n)
            finally:
                self._progress_shown = False


def _ignore(_: int) -> None:
    pass


def _never() -> bool:
    return False


