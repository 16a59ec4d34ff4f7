"""The terminal preview of --diff: word-level highlights, line numbers, rules, a summary.

Imported only when a preview is shown (Rich costs start-up time). User text only ever
enters Rich as `Text` objects, never as markup, so a ``[b]`` in a file stays ``[b]``.
"""

from __future__ import annotations

import collections
import dataclasses
import os
import re
from collections.abc import Iterable

from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .diffing import Hunk, LinePair
from .engine import Transliterator
from .model import WORD_CHAR_PATTERN, WORD_RUN
from .reference import Piece

SIDE_BY_SIDE_MIN_WIDTH = 110
# Words and the runs between them: conversion is word-local, so converting token by token
# gives exactly the converted line, and shows which words changed.
_TOKENS = re.compile(rf"{WORD_RUN.pattern}|(?:(?!{WORD_CHAR_PATTERN})[\s\S])+")
_RULE_ID = re.compile(r"R\d+(?:\.\d+)?")  # notes in rules.tsv start with the spec's rule id
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
REMOVED, ADDED, CONTEXT = "red", "green", "dim"
REMOVED_WORD, ADDED_WORD = "bold red reverse", "bold green reverse"


@dataclasses.dataclass
class PreviewSummary:
    files_seen: int = 0
    files_changed: int = 0
    lines_changed: int = 0
    rules: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    unconverted: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)


def printable(text: str) -> str:
    """Show control characters as symbols (␛ for ESC) so a file cannot drive the terminal."""
    return _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())) if m.group() != "\x7f" else "␡",
                        text)


class Preview:
    def __init__(
        self,
        console: Console,
        transliterator: Transliterator,
        *,
        layout: str = "auto",
        explain: bool = False,
        encoding: str = "utf-8",
    ) -> None:
        self.console = console
        self.transliterator = transliterator
        self.side_by_side = layout == "side" or (
            layout == "auto" and console.width >= SIDE_BY_SIDE_MIN_WIDTH
        )
        self.explain = explain
        self.encoding = encoding
        self.summary = PreviewSummary()
        self._word_rules: dict[str, list[str]] = {}

    def file(self, name: str, file_hunks: Iterable[Hunk]) -> bool:
        """Render the hunks of one file; return whether it had any change."""
        self.summary.files_seen += 1
        changed = False
        for hunk in file_hunks:
            if not changed:
                self.console.print(Rule(Text(name, style="bold"), align="left"))
                self.summary.files_changed += 1
                changed = True
            self.console.print(self._hunk(hunk))
        return changed

    def _hunk(self, hunk: Hunk) -> RenderableType:
        last = hunk.lines[-1].number
        header = Text(f"@@ lines {hunk.start}–{last} @@", style="cyan")
        body = self._side_by_side(hunk) if self.side_by_side else self._inline(hunk)
        return Group(header, body)

    def _side_by_side(self, hunk: Hunk) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column(justify="right", style="dim", no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        table.add_column(ratio=1, overflow="fold")
        for pair in hunk.lines:
            before, after, notes = self._line(pair)
            table.add_row(str(pair.number), before, after)
            if notes is not None:
                table.add_row("", Text(""), notes)
        return table

    def _inline(self, hunk: Hunk) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column(justify="right", style="dim", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        for pair in hunk.lines:
            before, after, notes = self._line(pair)
            if not pair.changed:
                table.add_row(str(pair.number), " ", before)
                continue
            table.add_row(str(pair.number), Text("-", style=REMOVED), before)
            table.add_row("", Text("+", style=ADDED), after)
            if notes is not None:
                table.add_row("", "", notes)
        return table

    def _line(self, pair: LinePair) -> tuple[Text, Text, Text | None]:
        original = pair.before.decode(self.encoding, "replace").rstrip("\r\n")
        converted = pair.after.decode("utf-8", "replace").rstrip("\r\n")
        self._count_unconverted(converted)
        if not pair.changed:
            return Text(printable(original), style=CONTEXT), Text(printable(converted), style=CONTEXT), None
        self.summary.lines_changed += 1
        before, after = Text(style=REMOVED), Text(style=ADDED)
        changed_words = []
        for token in _TOKENS.findall(original):
            latin = self.transliterator.to_latin(token)
            if latin == token:
                before.append(printable(token))
                after.append(printable(latin))
                continue
            before.append(printable(token), style=REMOVED_WORD)
            after.append(printable(latin), style=ADDED_WORD)
            changed_words.append(token)
        rules = [rule for word in changed_words for rule in self._rules(word)]
        self.summary.rules.update(rules)
        notes = None
        if self.explain and rules:
            notes = Text("  " + "; ".join(dict.fromkeys(rules)), style="italic dim")
        return before, after, notes

    def _rules(self, word: str) -> list[str]:
        """The choices behind a word: exceptions, and rules of letters that have a choice."""
        labels = self._word_rules.get(word)
        if labels is None:
            labels = [label for piece in self.transliterator.explain(word)
                      if (label := self._label(piece))]
            if len(self._word_rules) < 100_000:
                self._word_rules[word] = labels
        return labels

    def _label(self, piece: Piece) -> str | None:
        where, _, note = piece.reason.partition(" ")
        change = f"{piece.source.lower()}→{piece.latin.lower() or '∅'}"
        if note == "exception":
            return f"exception {change}"
        rows = self.transliterator.orthography.rows.get(piece.source, ())
        rule_id = _RULE_ID.match(note)
        # A letter with one rule, or whose general rule is a plain letter (R1), has no story.
        if len(rows) < 2 or (rule_id and rule_id.group() == "R1"):
            return None
        return f"{rule_id.group() if rule_id else where} {change}"

    def _count_unconverted(self, converted: str) -> None:
        for char in converted:
            if "\u0400" <= char <= "\u04ff":
                self.summary.unconverted[char] += 1

    def print_summary(self) -> None:
        s = self.summary
        line = Text()
        line.append(f"{s.files_changed} of {s.files_seen} file(s) would change", style="bold")
        line.append(f", {s.lines_changed} line(s)")
        self.console.print(Rule(style="dim"))
        self.console.print(line)
        if s.rules:
            used = ", ".join(f"{rule} ×{n}" for rule, n in s.rules.most_common(12))
            self.console.print(Text("rules used: ", style="bold").append(used, style=""))
        if s.unconverted:
            left = ", ".join(f"{char} ×{n}" for char, n in s.unconverted.most_common())
            self.console.print(Text("left unconverted: ", style="bold yellow").append(left))


def make_console(color: str, *, stderr: bool = False, record: bool = False) -> Console:
    """A console that honours --color, NO_COLOR and FORCE_COLOR (Rich reads the last two)."""
    if color == "never":
        return Console(stderr=stderr, no_color=True, highlight=False, record=record,
                       color_system=None)
    return Console(
        stderr=stderr,
        force_terminal=True if color == "always" else None,
        highlight=False,
        record=record,
    )


def show_paged(console: Console, text: str) -> None:
    """Show rendered `text` through a pager when it is taller than the terminal."""
    if console.is_terminal and text.count("\n") > console.height:
        from rich.pager import SystemPager

        os.environ.setdefault("LESS", "FRX")  # as git does: colours, quit if one screen
        SystemPager().show(text)
    else:
        console.file.write(text)
        console.file.flush()
