"""Text that is never converted: addresses, the user's keep list, and inline escapes.

* Web addresses (``https://…``, ``www.…``), e-mail addresses and @handles (unless the
  option ``keep_addresses`` is off): an address is not a word to spell.
* The keep list (``--keep FILE``): words and phrases (brand names, a Russian name) and
  regular expressions (``re:«[^»]*»``), each matched within one line.
* Inline escapes: ``-{…}-`` on one line, as MediaWiki's language converter writes them;
  the marks stay in the output, so that converting the output again changes nothing.

Kept text passes through byte for byte. To the rules a kept span is a boundary, as a
space is: the letters beside it are converted as they would be at the edge of a word.

>>> kept = KeptSpans(True, None)
>>> text = "Сайт https://gov.uz/янги ва -{Газпром}- ҳақида"
>>> [text[a:b] for a, b in kept.find(text)]
['https://gov.uz/янги', '-{Газпром}-']
"""

from __future__ import annotations

import _bisect as bisect  # bisect.py's functions, without loading bisect.py (start-up)
import re

from ..base.lazy import lazy_pattern
from ..tables.rules import KeepList

ESCAPE_OPEN, ESCAPE_CLOSE = "-{", "}-"

# Placeholders of message catalogues and program text (gettext, JSON, ICU): %s %d %1$s
# %(name)s %% {0} {name} {n, number} {{name}} ${name} %1. Defined here once: the formats
# keep them in catalogues, the Cyrillic direction in any text. printf's space flag is left
# out, so that "50 % Linux" is prose (and, but for an ICU argument's, no placeholder holds
# a space, which is what streaming holds back by: see KeptSpans.hold).
PLACEHOLDER_PATTERN = (
    r"%(?:\d+\$)?[-+#0]*\d*(?:\.\d+)?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcsp%]"
    r"|%\([^)\n]{1,64}\)[-+#0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
    r"|%\d{1,2}"
    r"|\{\{[^{}\n]{1,64}\}\}"
    r"|\$\{[^{}\n]{1,64}\}"
    r"|\{[^{}\s,]{1,64}(?:,[^{}\n]*)?\}"
)
_ESCAPED = lazy_pattern(r"-\{[^\n\r]*?\}-")

# Web addresses (with a scheme or www.), e-mail addresses and @handles: never converted.
# A web address is one of ADDRESS_STARTS, then a run of characters that are neither
# whitespace nor NOT_IN_ADDRESS, not ending with one of ADDRESS_TAIL. Each pattern starts
# with a fixed string, so that sre finds its candidates quickly. (The accelerator's one
# pass is given these definitions: fastpath.py.)
ADDRESS_STARTS = ("http://", "https://", "ftp://", "www.")
NOT_IN_ADDRESS = "«»“”„\"'<>()[]{}"  # and whitespace
ADDRESS_TAIL = ".,;:!?"
_NOT_IN_ADDRESS = "\\s" + re.escape(NOT_IN_ADDRESS)
_WEB_ADDRESSES = tuple(
    lazy_pattern(rf"{re.escape(start)}[^{_NOT_IN_ADDRESS}]*"
                 rf"[^{_NOT_IN_ADDRESS}{re.escape(ADDRESS_TAIL)}]")
    for start in ADDRESS_STARTS
)
_AT = lazy_pattern(r"@(?:[\w-]+(?:\.[\w-]+)+|\w+)")  # the part of an e-mail or handle from @
_HANDLE = lazy_pattern(r"@\w+")
_EMAIL_LOCAL_PART = frozenset(".+-_")
# The built-in word class of the rules (letters, combining marks): a keep-list word must
# not be part of a longer word.
_WORD = r"(?:[^\W\d_]|[\u0300-\u036f\u0483-\u0489])"


def find_addresses(text: str) -> list[tuple[int, int]]:
    """Spans of web addresses, e-mail addresses and @handles in `text`, in order.

    >>> text = "https://gov.uz/янги, али@почта.уз, @ном"
    >>> [text[a:b] for a, b in find_addresses(text)]
    ['https://gov.uz/янги', 'али@почта.уз', '@ном']
    """
    spans = [span for start, pattern in zip(ADDRESS_STARTS, _WEB_ADDRESSES)
             for span in literal_matches(pattern, start, text)]
    # (the @ found by str.find: a text with a web address and no @ is not scanned by sre)
    for at, at_end in literal_matches(_AT, "@", text):
        if any(start <= at < end for start, end in spans):
            continue  # user@host inside a web address
        left = at
        while left > 0 and (text[left - 1].isalnum() or text[left - 1] in _EMAIL_LOCAL_PART):
            left -= 1
        if left < at and "." in text[at:at_end]:
            spans.append((left, at_end))  # an e-mail address
        elif left == at and not (at and text[at - 1] == "@"):
            handle = _HANDLE.match(text, at)
            if handle:
                spans.append(handle.span())  # an @handle
    return _first_of_overlaps(spans)


def literal_matches(pattern: re.Pattern[str], literal: str, text: str) -> list[tuple[int, int]]:
    """The spans of ``pattern.finditer(text)`` for a pattern whose every match starts with
    `literal` (not empty): its places found by ``str.find`` of one character of it (its
    ``:`` if it has one, rare in prose; else its first), several times faster than the
    pattern's own scan on a long text, and the pattern tried there only.

    >>> literal_matches(re.compile(r"ab+"), "ab", "xabbb ab abab")
    [(1, 5), (6, 8), (9, 11), (11, 13)]
    """
    key_at = max(literal.find(":"), 0)
    key = literal[key_at]
    spans: list[tuple[int, int]] = []
    resume = 0  # as finditer: the next match starts at or after the last one's end
    at = text.find(key, key_at)
    while at >= 0:
        start = at - key_at
        if start >= resume and text.startswith(literal, start):
            match = pattern.match(text, start)
            if match is not None:
                spans.append(match.span())
                resume = max(match.end(), start + 1)
        at = text.find(key, at + 1)
    return spans


def overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether one of `spans` (in order, none overlapping; `starts` their starts) overlaps
    text[start:end], found by bisection (a text with many spans and many words to look at).

    >>> spans = [(2, 4), (8, 9)]
    >>> [overlaps(spans, [2, 8], *span) for span in [(0, 2), (3, 5), (4, 8), (5, 10)]]
    [False, True, False, True]
    """
    last = bisect.bisect_left(starts, end) - 1  # the last span that starts before the end
    return last >= 0 and spans[last][1] > start


def _first_of_overlaps(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """In order; of spans that overlap, the one that starts first (the longest) wins."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """In order, overlapping spans joined into one."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


# What opens a tag or a placeholder, and what may close it (for streaming: an opener with
# no closer after it on its line may still become one).
_MARKUP_OPENERS = (("<", ">\n"), ("&", ";\n \t"), ("{", "}\n"), ("%", " \n\t"))


def _open_at(text: str, opener: str, closers: str, cut: int, limit: int) -> int:
    """Where the last `opener` before `cut` stands if nothing closes it before `cut`."""
    at = text.rfind(opener, max(limit, cut - 256), cut)
    if at < 0:
        return cut
    if any(c in text[at + 1:cut] for c in closers):
        return cut
    return at


def keep_pattern(keep: KeepList) -> re.Pattern[str] | None:
    """One pattern for the words, phrases and expressions of a keep list (None if empty)."""
    choices = [re.escape(word) for word in sorted(keep.words, key=len, reverse=True)]
    words = rf"(?<!{_WORD})(?:{'|'.join(choices)})(?!{_WORD})" if choices else ""
    alternatives = [p for p in (words, *keep.patterns) if p]
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{p})" for p in alternatives))


class KeptSpans:
    """Finds the spans of a text that are kept as they are (see the module's docstring)."""

    def __init__(self, addresses: bool, keep: KeepList | None,
                 markup: re.Pattern[str] | None = None, markup_starts: str = "") -> None:
        self.addresses = addresses
        self.keep = keep_pattern(keep) if keep is not None else None
        # Tags and placeholders (<b>, %s, {0}), which the Cyrillic direction keeps; each
        # match starts with one of `markup_starts` (if given), so a text with none of them
        # is not scanned (looking for one character is many times faster than the pattern).
        self.markup = markup
        self.markup_starts = markup_starts

    def quick_chars(self) -> str | None:
        """Characters one of which is in every text that `find` finds a span in (those it
        looks for first); None where any text may hold one (a keep list, markup that
        starts with any character)."""
        if self.keep is not None or (self.markup is not None and not self.markup_starts):
            return None
        chars = ESCAPE_OPEN[1] + ("@:w" if self.addresses else "")  # (see `find`)
        return chars + (self.markup_starts if self.markup is not None else "")

    def find(self, text: str) -> list[tuple[int, int]]:
        """The kept spans of `text`, in order, none overlapping."""
        found: list[tuple[int, int]] = []
        # One character is found much faster than a string: look for that first.
        if self.addresses and ("@" in text or (":" in text and "://" in text)
                               or ("w" in text and "www." in text)):
            found += find_addresses(text)
        if "{" in text and ESCAPE_OPEN in text:
            found += [m.span() for m in _ESCAPED.finditer(text)]
        if self.keep is not None:
            found += self._kept_words(text)
        if self.markup is not None and (not self.markup_starts
                                        or any(c in text for c in self.markup_starts)):
            found += [m.span() for m in self.markup.finditer(text)]
        return _merged(found) if found else found

    def _kept_words(self, text: str) -> list[tuple[int, int]]:
        assert self.keep is not None
        found = []
        start = 0
        for line in re.split(r"(?<=\n)|(?<=\r)(?!\n)", text):  # within each line
            found += [(start + a, start + b) for a, b in
                      (m.span() for m in self.keep.finditer(line)) if b > a]
            start += len(line)
        return found

    def hold(self, text: str, cut: int, limit: int) -> int:
        """Move `cut` back so that no kept span that may still grow is cut (streaming)."""
        if self.addresses:  # an address never holds a space: cut after one
            cut = max(limit, text.rfind(" ", limit, cut) + 1, text.rfind("\n", limit, cut) + 1,
                      text.rfind("\t", limit, cut) + 1, text.rfind("\r", limit, cut) + 1)
        if self.keep is not None:  # the keep list matches whole lines
            line = max(text.rfind("\n", 0, cut), text.rfind("\r", 0, cut)) + 1
            cut = line if line >= limit else self._outside_kept_words(text, cut, limit)
        if "{" in text and ESCAPE_OPEN in text:
            cut = self._hold_escape(text, cut, limit)
        if self.markup is not None:  # a tag or placeholder may still be closed
            cut = max(limit, min(cut, *(_open_at(text, opener, closers, cut, limit)
                                        for opener, closers in _MARKUP_OPENERS)))
        if cut == len(text) and cut > limit and text.endswith("-"):
            return cut - 1  # the text may go on with "{": "-" may open an escape
        return cut

    def _outside_kept_words(self, text: str, cut: int, limit: int) -> int:
        """`cut` in a line longer than what is held (MAX_HELD_CHARS), which is cut anyway
        (README, Limits): where the other holds put it (a word's end), moved back to the
        start of what the keep list keeps across it in the text read, if that is not
        before `limit`. (Cut at `limit`, it fell inside a word wherever a space was.)"""
        for start, end in self._kept_words(text[limit:]):
            if limit + start < cut < limit + end:
                return limit + start
        return cut

    @staticmethod
    def _hold_escape(text: str, cut: int, limit: int) -> int:
        """An escape opened on the last line and not yet closed is held."""
        line = max(limit, text.rfind("\n", limit, cut) + 1, text.rfind("\r", limit, cut) + 1)
        at = text.find(ESCAPE_OPEN, line, cut + 1)
        while 0 <= at < cut:
            close = text.find(ESCAPE_CLOSE, at + 2)
            if close < 0 or close + 2 > cut:
                return max(limit, at)
            at = text.find(ESCAPE_OPEN, close + 2, cut + 1)
        return cut
