"""The `translit` command: the entry point, and the plain filter that needs no parser."""

from __future__ import annotations

import os
import sys

from .commands import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, Request, run


def run_safely(request: Request) -> int:
    """Run, turning Ctrl-C and a closed output pipe into quiet exits."""
    try:
        return run(request)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (translit big.txt | head -1): stop quietly, and keep
        # Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def main() -> None:
    if len(sys.argv) == 1:
        # The plain filter (cat doc.txt | translit) needs no argument parser: skip
        # importing Typer, and start almost as fast as Python itself.
        raise SystemExit(run_safely(Request()))
    from .cli_app import build_app

    build_app()(prog_name="translit")
