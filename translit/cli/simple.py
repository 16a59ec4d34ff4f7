"""The command lines most runs are made of, read without an argument parser.

Importing Typer is most of an optioned command's start-up (some 30 ms, as long as the rest
of the start together). A command line of file names, ``-o PATH``, ``-i``, ``--check``,
``-q``, ``-j N`` and ``--to TARGET`` alone is read here instead, into the very `Request`
Typer's parse makes of it (tests/test_cli_simple.py holds the two equal); anything else
(another option, ``--output=PATH``, a value that starts with "-", an option given twice,
help, completion) is left to Typer.

>>> simple_request(["a.txt", "-o", "a.lat.txt"]).output
'a.lat.txt'
>>> simple_request(["--diff", "a.txt"]) is None  # for Typer
True
"""

from __future__ import annotations

from ..base.options import TARGETS, Options
from ..files.operations import FileOptions
from .commands import Request

# The options read here, by the field of Request they set (--to: the target of its
# settings): their spellings, which app.py gives Typer too (one source for both parsers).
SPELLINGS = {"output": ("-o", "--output"), "in_place": ("-i", "--in-place"),
             "check": ("--check",), "quiet": ("-q", "--quiet"), "jobs": ("-j", "--jobs"),
             "target": ("--to",)}
FLAGS = {spelling: field for field in ("in_place", "check", "quiet")
         for spelling in SPELLINGS[field]}
VALUED = {spelling: field for field in ("output", "jobs", "target")
          for spelling in SPELLINGS[field]}


def simple_request(argv: list[str]) -> Request | None:
    """The request of `argv` if it is one of the simple command lines, else None."""
    fields: dict[str, object] = {}
    paths = []
    at = 0
    while at < len(argv):
        word = argv[at]
        at += 1
        if not word.startswith("-"):
            if not word:
                return None
            paths.append(word)
        elif word in FLAGS:
            fields[FLAGS[word]] = True
        else:
            name = VALUED.get(word)
            if name is None or name in fields or at == len(argv):
                return None
            value = argv[at]
            at += 1
            if not value or value.startswith("-"):
                return None
            if name == "jobs":
                # (a number too long for int() is Typer's to refuse, in its words)
                if not (value.isascii() and value.isdigit()) or len(value) > 18:
                    return None
                fields[name] = int(value)
            elif name == "target" and value not in TARGETS:
                return None
            else:
                fields[name] = value
    target = str(fields.pop("target", "latin"))
    settings = FileOptions(options=Options(target=target))  # type: ignore[arg-type]
    return Request(paths=tuple(paths), settings=settings, **fields)  # type: ignore[arg-type]
