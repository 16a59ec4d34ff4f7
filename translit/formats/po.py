"""gettext catalogues (``.po .pot``): the translations, and the header's language.

Only ``msgstr`` and ``msgstr[N]`` are converted, never ``msgid``, ``msgid_plural``,
``msgctxt``, comments or obsolete entries (``#~``). A translation split over several lines
keeps its lines (a word split between two of them is converted as one word); escapes
(``\\n``, ``\\"``) and placeholders (``%s``, ``%(name)s``, ``%1$s``, ``{name}``, ``{{x}}``)
are written as they were. In the header, ``Language: uz@cyrillic`` (``uz_UZ@cyrillic``,
``uz-Cyrl``) becomes ``uz`` (``uz_UZ``), GNU's code for Uzbek in Latin, and a charset
other than UTF-8 becomes UTF-8 (the output's). The header's other fields are metadata and
stay as they are.

Under ``msgfilter`` (``msgfilter -i uz@cyrillic.po -o uz.po translit``) translit reads one
translation at a time on standard input: see `make_message`.

>>> from translit.converter.transliterator import get_transliterator
>>> from translit.formats.base import Job, Setting
>>> catalogue = make(Job(get_transliterator()), Setting())
>>> catalogue.feed('msgid "Центр"\\nmsgstr "Ц"\\n"ентр %s"\\n') + catalogue.finish()
'msgid "Центр"\\nmsgstr "S"\\n"entr %s"\\n'
"""

from __future__ import annotations

import os
import re

from .errors import FormatError
from .base import Job, LineTransform, Runs, Setting, Transform, language_tag, utf8

_KEYWORD = re.compile(r'^(\s*)(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(\s*)"')
_CONTINUATION = re.compile(r'^\s*"')
# (Possessive, unrolled: sre keeps no backtracking state per character, so a string of
# 11 MB takes no more memory than itself; the alternation took 80 bytes a character.)
_STRING = re.compile(r'"([^"\\]*+(?:\\.[^"\\]*+)*+)"')
# What follows a keyword, or a continuation line: quoted strings and nothing else (msgfmt
# refuses anything else, an unterminated string above all).
_STRINGS_ONLY = re.compile(r'\s*+(?:"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"\s*+)++\Z')
_ESCAPE = re.compile(r'\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)')
_HEX = frozenset(f"x{digit}" for digit in "0123456789abcdef")
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            '"': '"', "\\": "\\"}
# Language: uz@cyrillic, uz_UZ@cyrillic, uz-Cyrl, uz-Cyrl-UZ (the header's field, or the
# whole value under msgfilter).
_LANGUAGE_FIELD = re.compile(r"(Language:[ \t]*)(uz(?:_[A-Z]{2})?@cyrillic|uz-Cyrl(?:-[A-Z]{2})?)\b",
                             re.IGNORECASE)
_LATIN_LANGUAGE_FIELD = re.compile(r"(Language:[ \t]*)(uz(?:_[A-Z]{2})?|uz-Latn(?:-[A-Z]{2})?)(?![\w@-])",
                                   re.IGNORECASE)
_CHARSET = re.compile(r"(Content-Type:[^\n\\]*charset=)([-\w.]+)", re.IGNORECASE)


def latin_language(code: str) -> str:
    """GNU's code for Uzbek in Latin for a code of Uzbek in Cyrillic.

    >>> latin_language("uz@cyrillic"), latin_language("uz_UZ@cyrillic"), latin_language("uz-Cyrl-UZ")
    ('uz', 'uz_UZ', 'uz_UZ')
    """
    if "@" in code:
        return code.split("@", 1)[0]
    parts = code.split("-")  # uz-Cyrl, uz-Cyrl-UZ
    return parts[0] + ("_" + parts[2] if len(parts) > 2 else "")


def cyrillic_language(code: str) -> str:
    """GNU's code for Uzbek in Cyrillic for a code of Uzbek in Latin.

    >>> cyrillic_language("uz"), cyrillic_language("uz_UZ"), cyrillic_language("uz-Latn-UZ")
    ('uz@cyrillic', 'uz_UZ@cyrillic', 'uz-Cyrl-UZ')
    """
    if "-" in code:
        return language_tag(code, "Cyrl")
    return code + "@cyrillic"


# The header's language field of the other script, and its rewriting, by the script written.
_LANGUAGE_REWRITES = {"Latn": (_LANGUAGE_FIELD, latin_language),
                      "Cyrl": (_LATIN_LANGUAGE_FIELD, cyrillic_language)}


def _header_fields(text: str, setting: Setting, script: str = "Latn") -> str:
    field, rewritten = _LANGUAGE_REWRITES[script]
    text = field.sub(lambda m: m.group(1) + rewritten(m.group(2)), text)
    if not utf8(setting.encoding):
        text = _CHARSET.sub(r"\1UTF-8", text)
    return text


def make(job: Job, setting: Setting) -> Transform:
    """The converter of one catalogue."""
    return CatalogueTransform(job, setting)


class CatalogueTransform(LineTransform):
    """A catalogue a line at a time; the strings of one msgstr are converted as one run."""

    def __init__(self, job: Job, setting: Setting) -> None:
        super().__init__(job)
        self.setting = setting
        self._keyword = ""  # the keyword whose strings the next continuation lines hold
        self._last_keyword = ""
        self._msgid = ""  # of the entry being read (to tell the header)
        self._msgctxt = False
        self._entries = 0  # msgstr seen: the header is the first entry, with msgid ""
        self._line_number = 0

    def line(self, line: str) -> None:
        self._line_number += 1
        keyword = _KEYWORD.match(line)
        if keyword is not None:
            name = keyword.group(2)
            if name == "msgctxt":  # a new entry
                self._msgid, self._msgctxt = "", True
            elif name == "msgid":
                self._msgid = ""
                self._msgctxt = self._msgctxt and self._last_keyword == "msgctxt"
            elif name.startswith("msgstr") and not self._last_keyword.startswith("msgstr"):
                self._entries += 1
            self.runs.end_run()
            self._keyword = self._last_keyword = name
            self.runs.boundary(line[:keyword.end() - 1])
            self._strings(line[keyword.end() - 1:])
        elif _CONTINUATION.match(line) and self._keyword:
            self._strings(line)
        else:  # a comment, a blank line, anything else: as it was
            self._keyword = ""
            self.runs.boundary(line)

    def _strings(self, line: str) -> None:
        """The quoted strings of a line (normally one), converted if they are a msgstr;
        the quotes and line breaks between the strings of one msgstr are markup inside it."""
        header = self._entries == 1 and self._msgid == "" and not self._msgctxt
        translation = self._keyword.startswith("msgstr") and not header
        if not _STRINGS_ONLY.match(line):
            raise FormatError(f"line {self._line_number}: not a quoted string (an unterminated "
                              "string? msgfmt refuses such a catalogue)")
        between = self.runs.markup if translation else self.runs.boundary
        done = 0
        for match in _STRING.finditer(line):
            content = match.group(1)
            between(line[done:match.start(1)])
            if self._keyword == "msgid":
                self._msgid += content
            if translation:
                self._translation(content)
            elif header and self._keyword.startswith("msgstr"):
                fields = _header_fields(content, self.setting, self.job.script)
                self.runs.boundary(self.job.rewrote(content, fields))
            else:
                self.runs.boundary(content)
            done = match.end(1)
        between(line[done:])

    def _translation(self, content: str) -> None:
        done = 0
        for match in _ESCAPE.finditer(content):
            self.runs.text_with_placeholders(content[done:match.start()])
            escape = match.group()
            if escape[1] in _ESCAPED or escape[1] in "01234567" or escape[1:3].lower() in _HEX:
                self.runs.reference(escape, _unescaped(escape))
            else:  # not an escape of C (\е): written as it is, the letter too
                self.runs.kept(escape)
            done = match.end()
        self.runs.text_with_placeholders(content[done:])


def _unescaped(escape: str) -> str:
    body = escape[1:]
    if body in _ESCAPED:
        return _ESCAPED[body]
    if body[:1] == "x":
        return chr(int(body[1:], 16))
    if body[:1].isdigit():
        return chr(int(body, 8))
    return body


def make_message(job: Job, setting: Setting) -> Transform:
    """One translation, as msgfilter passes it (unescaped, on standard input): converted
    with its placeholders kept; the header's Language field made Latin."""
    return _MessageTransform(job, setting, header=os.environ.get("MSGFILTER_MSGID") == "")


class _MessageTransform:
    def __init__(self, job: Job, setting: Setting, header: bool) -> None:
        self.job, self.setting, self.header = job, setting, header
        self.runs = Runs(job)
        self._held: list[str] = []

    def feed(self, text: str) -> str:
        if self.header:
            self._held.append(text)
            return ""
        self.runs.text_with_placeholders(text)
        return self.runs.take()

    def finish(self) -> str:
        if self.header:
            text = "".join(self._held)
            return self.job.rewrote(text, _header_fields(text, self.setting, self.job.script))
        return self.runs.finish()
