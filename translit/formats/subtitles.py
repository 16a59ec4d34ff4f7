"""Subtitles, SubRip (``.srt``) and WebVTT (``.vtt``): the text of each cue, nothing else.

Cue numbers and identifiers, timings and cue settings, the WebVTT header (but for its
``Language:`` tag, which follows the script as in every format: ``uz-Cyrl`` → ``uz-Latn``),
NOTE, STYLE and REGION blocks, and the tags inside a cue (``<i>``, ``<font color=...>``, ``{\\an8}``,
``<v Speaker>``, ``<00:01.500>``) are written as they were; a word split by a tag
(``<i>Ц</i>ентр``) is converted as one word. Both are read a line at a time, in constant
memory.

>>> from translit.converter.transliterator import get_transliterator
>>> from translit.formats.base import Job, Setting
>>> cues = make(Job(get_transliterator()), Setting())
>>> cues.feed("1\\n00:00:01,000 --> 00:00:02,500\\n<i>Ц</i>ентр\\n\\n") + cues.finish()
'1\\n00:00:01,000 --> 00:00:02,500\\n<i>S</i>entr\\n\\n'
>>> cues = make(Job(get_transliterator()), Setting())
>>> cues.feed("WEBVTT\\nLanguage: uz-Cyrl\\n\\n") + cues.finish()
'WEBVTT\\nLanguage: uz-Latn\\n\\n'
"""

from __future__ import annotations

import re

from .base import Job, LineTransform, Setting, Transform

TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}\s+-->\s+(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}")
# Inside a cue: tags <...> (WebVTT and the HTML-like ones of SubRip), SubRip's override
# codes {\...}, and WebVTT's character references.
_CUE_MARKUP = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
_REFERENCE = re.compile(r"&(?:amp|lt|gt|nbsp|lrm|rlm|#\d+|#[xX][0-9a-fA-F]+);")
_BLOCKS_KEPT = ("NOTE", "STYLE", "REGION")
_LANGUAGE_HEADER = re.compile(r"(Language:[ \t]*)(\S+)")
_REFERENCES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\u00a0", "&lrm;": "\u200e",
               "&rlm;": "\u200f"}


def make(job: Job, setting: Setting) -> Transform:
    """The converter of one subtitle file (SubRip or WebVTT: the same reading serves both)."""
    return SubtitleTransform(job)


class SubtitleTransform(LineTransform):
    """Lines in; a cue's text lines (after its timing line, up to a blank line) converted."""

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self._in_cue = False
        self._in_kept_block = False
        self._in_header = False
        self._first_line = True

    def line(self, line: str) -> None:
        content = line.rstrip("\r\n")
        first, self._first_line = self._first_line, False
        if not content.strip():
            self._in_cue = self._in_kept_block = self._in_header = False
            self.runs.boundary(line)
        elif first and content.lstrip("\ufeff").startswith("WEBVTT"):
            self._in_kept_block = self._in_header = True  # up to the first blank line
            self.runs.boundary(line)
        elif self._in_header and _LANGUAGE_HEADER.match(content):
            self.runs.boundary(_LANGUAGE_HEADER.sub(
                lambda m: m.group(1) + self.job.language_tag(m.group(2)), line, count=1))
        elif self._in_kept_block or (not self._in_cue and content.split(" ", 1)[0] in _BLOCKS_KEPT):
            self._in_kept_block = True
            self.runs.boundary(line)
        elif TIMING.match(content):
            self._in_cue = True
            self.runs.boundary(line)
        elif self._in_cue:
            self._cue_text(content)
            self.runs.boundary(line[len(content):])
        else:  # a cue number or identifier, or a line that belongs to no cue
            self.runs.boundary(line)

    def _cue_text(self, text: str) -> None:
        done = 0
        for match in _CUE_MARKUP.finditer(text):
            self._text(text[done:match.start()])
            self.runs.markup(match.group())
            done = match.end()
        self._text(text[done:])

    def _text(self, text: str) -> None:
        done = 0
        for match in _REFERENCE.finditer(text):
            self.runs.text(text[done:match.start()])
            reference = match.group()
            self.runs.reference(reference, _decoded(reference))
            done = match.end()
        self.runs.text(text[done:])


def _decoded(reference: str) -> str:
    if reference in _REFERENCES:
        return _REFERENCES[reference]
    number = reference[2:-1]
    return chr(int(number[1:], 16) if number[:1] in "xX" else int(number))
