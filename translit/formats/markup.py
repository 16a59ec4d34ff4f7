"""HTML as people read it: which text and attributes are converted, and how the rest stays.

Used by the HTML format (html.py) and by Markdown for its raw HTML (markdown.py). The
tokenizer is the standard library's `html.parser`, which follows the HTML standard's
tolerant tokenizing; every token is written back from the exact text it was read from, so
what is not converted stays byte for byte (entities as written, attribute quotes, case,
spacing).

Converted: text (also across inline formatting: ``<b>Ц</b>ентр`` is one word), and the
attributes people read (`READABLE`, button labels, the ``content`` of descriptive ``<meta>``).
Never: tag and attribute names, other attributes (``class id href src style data-*``), the
content of `SKIPPED` elements (script, style, code ...), of any element marked
``translate="no"`` (the HTML standard's own switch) and of any element whose ``lang`` or
``xml:lang`` names another language than Uzbek (``<blockquote lang="ru">``; the option
``convert_all_languages`` converts it too), comments. A comment inside a word is no
boundary (``Ц<!-- x -->ентр`` is one word, as a browser shows it). A language tag
``uz-Cyrl`` in ``lang`` or ``xml:lang`` becomes ``uz-Latn``.

>>> from translit.converter.transliterator import get_transliterator
>>> from translit.formats.base import Job, Setting
>>> html = HtmlTransform(Job(get_transliterator()), Setting())
>>> html.feed('<p lang="uz-Cyrl" class="матн" title="Сарлавҳа"><b>Ц</b>ентр <code>сўз')
'<p lang="uz-Latn" class="матн" title="Sarlavha"><b>S</b>entr <code>сўз'
>>> html.feed('</code> ҳа') + html.feed('м') + html.finish()
'</code> ham'
"""

from __future__ import annotations

import html
import html.parser
import re
from collections.abc import Callable
from typing import Any

from ..base.limits import MAX_WHOLE_FILE_CHARS
from .errors import FormatError
from .base import Job, Runs, Setting, utf8

# Elements whose content is never converted (code, and what the browser does not show).
SKIPPED = frozenset({"script", "style", "code", "pre", "kbd", "samp", "var", "math"})
# Formatting inside a run of text: a word may run across them.
INLINE = frozenset({"a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "data", "del",
                    "dfn", "em", "font", "i", "ins", "label", "mark", "nobr", "q", "s",
                    "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
                    "wbr"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link",
                  "meta", "param", "source", "track", "wbr"})
# Attributes people read, on any element.
READABLE = frozenset({"title", "alt", "placeholder", "aria-label", "aria-description",
                      "aria-placeholder", "aria-roledescription", "aria-valuetext"})
LABELLED = frozenset({"option", "optgroup", "track", "menu"})  # their label= is shown
BUTTON_TYPES = frozenset({"button", "submit", "reset"})  # <input type=...>: value= is shown
DESCRIPTIVE_META = frozenset({"description", "keywords", "og:title", "og:description",
                              "og:site_name", "og:image:alt", "twitter:title",
                              "twitter:description", "twitter:image:alt", "application-name",
                              "apple-mobile-web-app-title"})
LANGUAGE_ATTRIBUTES = frozenset({"lang", "xml:lang"})
LINK_ATTRIBUTES = frozenset({"href", "src", "poster"})  # a link (see Setting.relink)
MAX_OPEN_ELEMENTS = 1024  # unclosed elements kept track of (HTML lets <p> go unclosed)

_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_CHARSET = re.compile(r"(charset\s*=\s*)([\"']?)([-\w.:]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(r"""(\bencoding\s*=\s*)(["'])([-\w.:]+)\2""")


def convert_attribute_value(raw: str, job: Job) -> str:
    """An attribute value as written (entities and all), its text converted."""
    runs = Runs(job, html=True)
    add_text_with_references(runs, raw)
    return runs.finish()


def add_text_with_references(runs: Runs, raw: str) -> None:
    """Text as written in HTML: character references are pieces of their own."""
    done = 0
    for match in _REFERENCE.finditer(raw):
        runs.text(raw[done:match.start()])
        reference = match.group()
        decoded = html.unescape(reference)
        if decoded == reference:
            runs.text(reference)  # not a reference after all (&nosuch;)
        else:
            runs.reference(reference, decoded)
        done = match.end()
    runs.text(raw[done:])


def _attribute_spans(raw: str) -> list[tuple[str, tuple[int, int] | None]]:
    """(lower-case name, span of the value inside the quotes, or None) of each attribute of
    a start tag as written, found as `html.parser` finds them."""
    found: list[tuple[str, tuple[int, int] | None]] = []
    match = html.parser.tagfind_tolerant.match(raw, 1)  # type: ignore[attr-defined]
    if match is None:
        return found
    at = match.end()
    while at < len(raw):
        attribute = html.parser.attrfind_tolerant.match(raw, at)  # type: ignore[attr-defined]
        if attribute is None:
            break
        name, rest, value = attribute.group(1, 2, 3)
        span = None
        if rest:
            start, end = attribute.span(3)
            if value[:1] in "'\"" and len(value) >= 2 and value[-1:] == value[:1]:
                start, end = start + 1, end - 1
            span = (start, end)
        found.append((name.lower(), span))
        at = attribute.end()
    return found


class StartTag:
    """A start tag as written, with what its attributes say, and rewriting of their values."""

    def __init__(self, raw: str, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.raw, self.tag = raw, tag
        self.attrs = {name: value for name, value in attrs}
        spans = _attribute_spans(raw) if attrs else []
        # Only when the spans are the parser's own attributes (else: write it as it is).
        self._spans = spans if [n for n, _ in spans] == [n for n, _ in attrs] else None

    @property
    def translate(self) -> str | None:
        value = self.attrs.get("translate")
        return value.strip().lower() if value is not None else None

    @property
    def language(self) -> str | None:
        """The language the element says its content is in (``lang``, ``xml:lang``)."""
        value = self.attrs.get("xml:lang", self.attrs.get("lang"))
        return value.strip() if value is not None else None

    def converted_names(self) -> set[str]:
        """The attributes of this tag whose values are text people read."""
        names = set(READABLE)
        if self.tag in LABELLED:
            names.add("label")
        if self.tag == "input" and (self.attrs.get("type") or "").lower() in BUTTON_TYPES:
            names.add("value")
        if self.tag == "meta" and any(
                (self.attrs.get(key) or "").strip().lower() in DESCRIPTIVE_META
                for key in ("name", "property")):
            names.add("content")
        return names

    def rewritten(self, job: Job, setting: Setting, *, convert: bool) -> str:
        """The tag with its readable attributes converted (`convert`), its language tags
        made Latin, and a declared charset made UTF-8 when the input was not."""
        if not self._spans:
            return self.raw
        names = self.converted_names() if convert else set()
        meta_language = self.tag == "meta" and (self.attrs.get("http-equiv") or "").lower() in (
            "content-language",)
        charset_meta = self.tag == "meta" and not utf8(setting.encoding)
        out: list[str] = []
        done = 0
        for name, span in self._spans:
            if span is None:
                continue
            start, end = span
            value = self.raw[start:end]
            new = value
            if name in names:
                new = convert_attribute_value(value, job)
            elif convert and (name in LANGUAGE_ATTRIBUTES or (meta_language and name == "content")):
                new = job.language_tag(value)
            elif setting.relink is not None and name in LINK_ATTRIBUTES:
                new = job.rewrote(value, setting.relink(value))
            elif setting.relink is not None and name == "srcset":
                new = job.rewrote(value, _relinked_srcset(value, setting.relink))
            elif setting.relink is not None and name == "style":
                new = job.rewrote(value, relinked_css(value, setting.relink))
            if charset_meta and name == "charset":
                new = job.rewrote(value, "utf-8")
            elif charset_meta and name == "content" and (
                    self.attrs.get("http-equiv") or "").lower() == "content-type":
                new = job.rewrote(value, _CHARSET.sub(r"\1\2utf-8", value))
            if new != value:
                out += (self.raw[done:start], new)
                done = end
        out.append(self.raw[done:])
        return "".join(out)


def relinked_css(css: str, relink: Callable[[str], str]) -> str:
    """CSS (a style sheet, a ``style`` attribute) with the address of each ``url(…)`` and
    ``@import "…"`` relinked; every other character as it was.

    >>> relinked_css('a{background:url("x.png")} @import "y.css";', str.upper)
    'a{background:url("X.PNG")} @import "Y.CSS";'
    """
    def one(match: re.Match[str]) -> str:
        return match.group(1) + match.group(2) + relink(match.group(3)) + match.group(4)

    return _CSS_IMPORT.sub(one, _CSS_URL.sub(one, css))


_CSS_URL = re.compile(r"""(url\(\s*)(["']?)([^"')\s]*)(\2\s*\))""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""(@import\s+)(["'])([^"'\n]*)(\2)""", re.IGNORECASE)


def _relinked_srcset(value: str, relink: Callable[[str], str]) -> str:
    """``a.png 1x, b.png 2x``: each candidate's address relinked, the rest as written."""
    return _SRCSET_URL.sub(lambda m: m.group(1) + relink(m.group(2)), value)


_SRCSET_URL = re.compile(r"((?:^|,)\s*)([^\s,][^\s]*?)(?=,?\s|,|$)")


# Where the tokenizer must look: a "<" or "&" that may begin a tag or a reference, or that
# ends what was read so far (more may follow). The standard library's `[&<]` stops at every
# "<" and "&", and one followed by anything else is then text of one character, a token of
# its own: text of nothing but "<" or "&" went at 0.3 MB/s, a call into translit per byte.
# Such a one stays in the text around it (the text is the same, in fewer pieces). So does
# a "&#" that begins no character reference the library reads (``&#1e;``): the library
# takes it for text and then stops reading until the next feed, and at the end of the
# file takes all that is left for text, tags and all (a page read whole came out unlike
# the same page read in pieces, and a <code> after two such became text to convert).
_AMPERSAND = (r"&(?:\Z|(?=[A-Za-z0-9])|#(?=(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]|"
              r"[xX]?[0-9a-fA-F]*\Z))")
_INTERESTING = re.compile(r"<(?![^A-Za-z/!?])|" + _AMPERSAND)


class _PastLastClose:
    """Where the tokenizer must look in the text left at the end of the file: past its
    last ">" no "<" can begin a tag, comment or declaration (each needs a ">"), so the
    tokenizer makes the first such "<" text up to the next "<", and so on to the end, a
    token each (``</`` repeated went at 0.5 MB/s, a call into translit per token). After
    that first "<", it is told of nothing more: the rest is one text, as it was in pieces
    (a reference in it included; the tokenizer read one as such only after a last "<" or
    one that began nothing, in text that is not HTML's anyway)."""

    def __init__(self, after_last_close: int) -> None:
        self.after_last_close = after_last_close
        self._text_to_the_end = False

    def search(self, text: str, at: int = 0) -> re.Match[str] | None:
        if self._text_to_the_end:
            return None
        match = _INTERESTING.search(text, at)
        if match is not None and match.group() == "<" and match.start() >= self.after_last_close:
            self._text_to_the_end = True  # (this "<" is read as text up to the next "<")
        return match


# The shortcut's tokens (HtmlTransform._simple_tokens): text with no "<" or "&", a start
# tag with no attribute, an end tag, a character reference with its semicolon; each is
# read so by the tokenizer too (a name of ASCII letters and digits, ">" or ";" right after).
_SIMPLE_TOKEN = re.compile(r"([^<&]+)|<([a-zA-Z][a-zA-Z0-9]*)>|</([a-zA-Z][a-zA-Z0-9]*)>|"
                           r"(&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);)|"
                           # ... and a start tag whose attributes are plain (each after a
                           # space, its value quoted without < > &, or unquoted without
                           # those, quotes, = or `)
                           r"<([a-zA-Z][a-zA-Z0-9]*)(?:[ \t\n]+[a-zA-Z_:][-a-zA-Z0-9_:.]*"
                           r"""(?:="[^"<>&]*"|='[^'<>&]*'|=[^\s"'=<>`&]+)?)+[ \t\n]*>""")
# The text the tokenizer may hold (a construct begun) before the text after it is held until
# there is as much (HtmlTransform._hold).
_HOLD_FROM = 1 << 16
# The start of an end tag, as far as it is read: "<", "</", spaces, letters of a name, and
# after the whole name spaces (where the library reads more after the name, </script foo>,
# _Tokens._report_raw_text looks for that apart).
_END_TAG_START = re.compile(r"</?\s*([A-Za-z]*)(\s*)")
# Elements whose content the tokenizer reads otherwise (raw text, in this Python or a later
# one): left to it.
_SPECIAL_CONTENT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe",
                              "noembed", "noframes", "noscript", "plaintext"}
                             | set(html.parser.HTMLParser.CDATA_CONTENT_ELEMENTS)
                             | set(getattr(html.parser.HTMLParser, "RCDATA_CONTENT_ELEMENTS",
                                           ())))
_plain_tags: dict[str, StartTag] = {}


def _plain_attributes(raw: str) -> list[tuple[str, str | None]]:
    """The attributes of a start tag of `_SIMPLE_TOKEN`, found and read as `html.parser`
    reads them: names in lower case, values without their quotes (none has a reference to
    unescape), None for an attribute without one."""
    found: list[tuple[str, str | None]] = []
    match = html.parser.tagfind_tolerant.match(raw, 1)  # type: ignore[attr-defined]
    at = match.end() if match is not None else len(raw)
    while at < len(raw):
        attribute = html.parser.attrfind_tolerant.match(raw, at)  # type: ignore[attr-defined]
        if attribute is None:
            break
        name, rest, value = attribute.group(1, 2, 3)
        if not rest:
            value = None
        elif value[:1] in "'\"" and value[-1:] == value[:1]:
            value = value[1:-1]
        found.append((name.lower(), value))
        at = attribute.end()
    return found


def _plain_start_tag(raw: str, name: str) -> StartTag:
    """The start tag `raw`, of no attributes (one for each as written: it is not changed)."""
    tag = _plain_tags.get(raw)
    if tag is None:
        if len(_plain_tags) > 4096:
            _plain_tags.clear()
        tag = _plain_tags[raw] = StartTag(raw, name, [])
    return tag


class _Tokens(html.parser.HTMLParser):
    """The standard library's tokenizer, reporting each token and where it starts."""

    def __init__(self, report: Callable[[str, Any], None]) -> None:
        self.at = 0  # where the token being reported starts, counted from the first feed
        self._origin = 0  # where the text not yet tokenized (rawdata) starts
        super().__init__(convert_charrefs=False)
        self._report = report

    def reset(self) -> None:
        super().reset()
        self.at = self._origin = 0
        self._look_less()

    # The tokenizer moves its position (updatepos) past each token just after reporting
    # it, so while it reports one, `at` is where that token starts. (Counted here in
    # characters, not in the library's lines and columns: no line breaks to count.)

    def updatepos(self, i: int, j: int) -> int:
        if i < j:
            self.at = self._origin + j
        return j

    def goahead(self, end: bool) -> None:
        self._origin = self.at  # rawdata starts where the last token ended
        super().goahead(end)
        if self.cdata_elem is not None and not end and self.rawdata:
            self._report_raw_text()

    def _report_raw_text(self) -> None:
        """Report the raw text (a script's, a style sheet's, a title's) read so far that no
        end tag can start in: the library holds it all until its end tag, and looks for
        that from its start again at each piece read (quadratic in a long script, and
        held whole). An end tag starts at a "<" and has no other one: it can start only
        at the last "<", and only if what follows that is the start of one, "</", spaces
        and the element's name; what is before is the element's text, reported now. (In
        escapable raw text, <title> and <textarea> where the library reads them so, the
        library held what it has from a reference not yet complete, &#109 of &#1094;: not
        reported.)"""
        rawdata, element = self.rawdata, self.cdata_elem or ""
        # An end tag with more after its name (where the library reads </script foo> and
        # </style/> as end tags: CPython's 2025 security releases), which may have a "<" in
        # that (</script x<>): from its start. Else the last "<", if an end tag starts there.
        more = re.search(rf"</{re.escape(element)}[\s/][^>]*\Z", rawdata, re.I)
        if more is not None:
            cut = more.start()
        else:
            cut = rawdata.rfind("<")
            name = _END_TAG_START.fullmatch(rawdata, cut) if cut >= 0 else None
            if name is None or not element.startswith(name.group(1).lower()) or (
                    name.group(2) and name.group(1).lower() != element):
                cut = len(rawdata)  # (no end tag can start in it)
        if getattr(self, "_escapable", False) and "&" in rawdata[:cut]:
            cut = rawdata.index("&")
        if cut > 0:
            self.handle_data(rawdata[:cut])
            self.rawdata = rawdata[cut:]
            self.at += cut

    def clear_cdata_mode(self) -> None:
        super().clear_cdata_mode()
        self._look_less()

    def _look_less(self) -> None:
        # (Only where the library's own pattern is in use: inside <script> it has another.)
        if getattr(self, "interesting", None) is getattr(html.parser, "interesting_normal", None):
            self.interesting = _INTERESTING

    def close(self) -> None:
        self.rawdata = _Remainder(self.rawdata)
        if self.interesting is _INTERESTING:
            self.interesting = _PastLastClose(  # type: ignore[assignment]
                self.rawdata.after_last_close)
        super().close()

    # Past the last ">" of the text left at the end, no construct can be closed: say so at
    # once, where the standard library would look for a ">" from every "<" again (quadratic
    # in a run of "</" or "<!"). Each returns what the library's own would: -1, unfinished.

    def _unclosable(self, i: int) -> bool:
        rawdata = self.rawdata
        return isinstance(rawdata, _Remainder) and i >= rawdata.after_last_close

    def parse_starttag(self, i: int) -> int:
        # (The library may instead end a tag that can never close at a quote or a space:
        # either way what follows is text to the next "<".)
        return -1 if self._unclosable(i) else super().parse_starttag(i)

    def parse_endtag(self, i: int) -> int:
        return -1 if self._unclosable(i) else super().parse_endtag(i)

    def parse_comment(self, i: int, report: bool = True) -> int:
        return -1 if self._unclosable(i) else super().parse_comment(i, report)

    def parse_bogus_comment(self, i: int, report: bool = True) -> int:
        return -1 if self._unclosable(i) else super().parse_bogus_comment(i, report)

    def parse_pi(self, i: int) -> int:
        return -1 if self._unclosable(i) else super().parse_pi(i)

    def parse_html_declaration(self, i: int) -> int:
        if self._unclosable(i):
            return -1
        # A marked section other than CDATA (<![if ...]>) makes the standard library's
        # parser raise AssertionError: read it as the HTML standard does, a bogus comment.
        rawdata = self.rawdata
        if rawdata.startswith("<![", i) and not rawdata.startswith("<![CDATA[", i):
            end = rawdata.find(">", i + 3)
            if end < 0:
                return -1
            self.unknown_decl(rawdata[i + 3:end])
            return end + 1
        return super().parse_html_declaration(i)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._report("start", StartTag(self.get_starttag_text() or "", tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._report("startend", StartTag(self.get_starttag_text() or "", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self._report("end", tag)

    def handle_data(self, data: str) -> None:
        self._report("data", data)

    def handle_entityref(self, name: str) -> None:
        self._report("reference", None)

    def handle_charref(self, name: str) -> None:
        self._report("reference", None)

    def handle_comment(self, data: str) -> None:
        self._report("comment", None)

    def handle_decl(self, decl: str) -> None:
        self._report("other", None)

    def handle_pi(self, data: str) -> None:
        self._report("pi", None)

    def unknown_decl(self, data: str) -> None:
        self._report("other", None)


def is_uzbek(language: str) -> bool:
    """A language tag of Uzbek, in any script (``uz``, ``uz-Cyrl-UZ``, ``uzb``), or none
    said (``lang=""``: unknown).

    >>> is_uzbek("uz-Latn"), is_uzbek("UZ_uz"), is_uzbek(""), is_uzbek("ru"), is_uzbek("uzx")
    (True, True, True, False, False)
    """
    primary = re.split(r"[-_]", language, maxsplit=1)[0].lower()
    return primary in ("", "uz", "uzb")


class _Remainder(str):
    """The tokenizer's text left at the end of the file, knowing where its last ">" is, so
    that looking for one after it costs nothing."""

    after_last_close: int

    def __new__(cls, text: str) -> _Remainder:
        remainder = super().__new__(cls, text)
        remainder.after_last_close = text.rfind(">") + 1
        return remainder

    def find(self, sub: str, start: Any = None, end: Any = None) -> int:
        if sub == ">" and end is None and start is not None and start >= self.after_last_close:
            return -1
        return super().find(sub, start, end)


class _Open:
    """An open element: whether its content is code (never converted), not translated, or
    in another language."""

    __slots__ = ("code", "foreign", "kept", "no_translate", "tag")

    def __init__(self, tag: str, code: bool, no_translate: bool, foreign: bool) -> None:
        self.tag, self.code, self.no_translate, self.foreign = tag, code, no_translate, foreign
        self.kept = code or no_translate or foreign  # its text stays as it is


class HtmlState:
    """The open elements, as far as they decide whether text is converted, and how tags are
    written into a run (shared by an HTML file, or by all the raw HTML of a Markdown file)."""

    def __init__(self) -> None:
        self._open: list[_Open] = []

    @property
    def skipping(self) -> bool:
        """Inside code, an element marked translate="no" or one in another language: text
        stays as it is."""
        return bool(self._open) and self._open[-1].kept

    @property
    def in_other_language(self) -> bool:
        return bool(self._open) and self._open[-1].foreign

    @property
    def in_style_sheet(self) -> bool:
        """Inside ``<style>``: the text is CSS, whose ``url(…)`` may be relinked."""
        return bool(self._open) and self._open[-1].tag == "style"

    def open(self, tag: StartTag, runs: Runs, job: Job, setting: Setting, *,
             closed: bool = False, raw: str | None = None) -> None:
        """A start tag (`raw`: as written, if it is not `tag.raw`), written into `runs`;
        its own attributes are converted as its content is (translate, lang)."""
        parent = self._open[-1] if self._open else None
        in_code = parent is not None and parent.code
        code = in_code or tag.tag in SKIPPED
        no_translate = parent is not None and parent.no_translate
        foreign = parent is not None and parent.foreign
        if tag.attrs:  # (a tag with none, the most usual, says nothing of its content)
            if tag.translate == "no":
                no_translate = True
            elif tag.translate in ("yes", ""):
                no_translate = False
            language = tag.language
            if language is not None and not job.transliterator.options.convert_all_languages:
                foreign = not is_uzbek(language)
        element = _Open(tag.tag, code, no_translate, foreign)
        written = raw if raw is not None else tag.rewritten(
            job, setting, convert=not (in_code or no_translate or foreign))
        if tag.tag in INLINE and not code:
            runs.markup(written)
        else:
            runs.boundary(written)
        if not closed and tag.tag not in VOID:
            self._open.append(element)
            if len(self._open) > MAX_OPEN_ELEMENTS:
                del self._open[0]

    def close(self, tag: str, raw: str, runs: Runs) -> None:
        """An end tag: the element (and any left open inside it) is closed."""
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break
        if tag in INLINE and not self.skipping:
            runs.markup(raw)
        else:
            runs.boundary(raw)

    def close_tag_text(self, raw: str, runs: Runs) -> None:
        """A tag of raw HTML that is not a start tag: an end tag, a comment ..."""
        name = _END_TAG.match(raw)
        if name is not None:
            self.close(name.group(1).lower(), raw, runs)
        elif raw.startswith("<!--"):
            self.comment(raw, runs)
        else:
            runs.boundary(raw)

    def comment(self, raw: str, runs: Runs) -> None:
        """A comment: not shown, so no boundary inside a word (``Ц<!-- x -->ентр``)."""
        if self.skipping:
            runs.boundary(raw)
        else:
            runs.markup(raw)

    def kept_text(self, text: str, job: Job) -> None:
        """Text left as it is: if it is Cyrillic in another language, say so (once)."""
        if self.in_other_language and not self._open[-1].code and _CYRILLIC.search(text):
            job.note("text marked as another language than Uzbek (lang) is left as it is; "
                     "--convert-all-languages converts it")


_END_TAG = re.compile(r"</([A-Za-z][^\s/>]*)")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def parse_tag(raw: str) -> StartTag | None:
    """The start tag `raw` (one tag as written), or None for anything else."""
    found: list[StartTag] = []
    tokens = _Tokens(lambda kind, value: found.append(value) if kind in ("start", "startend")
                     else None)
    tokens.feed(raw)
    tokens.close()
    if len(found) == 1 and found[0].raw == raw:
        return found[0]
    return None


class HtmlTransform:
    """HTML in as it comes, HTML out with its text converted (a `Transform`)."""

    def __init__(self, job: Job, setting: Setting, runs: Runs | None = None,
                 state: HtmlState | None = None) -> None:
        self.job, self.setting = job, setting
        self.runs = runs or Runs(job, html=True)
        self.state = state or HtmlState()
        self._tokens = _Tokens(self._token)
        # The token whose end is not known yet; at first, the text before any token (the
        # tokenizer passes over some text, such as a stray "</>", without a token of its own).
        self._pending: tuple[str, Any, int] | None = ("leading", None, 0)
        self._source = ""  # the text read, from offset _base on
        self._base = 0
        self._read = 0
        self._held: list[str] = []  # text read past a long construct, not yet given (_hold)
        self._held_size = 0
        self._handlers: dict[str, Callable[[str, Any], None]] = {
            "start": self._on_start, "startend": self._on_startend, "end": self._on_end,
            "data": self._on_data, "reference": self._on_reference, "pi": self._on_pi,
            "comment": self._on_comment, "other": self._on_other, "leading": self._on_leading}

    # --- a Transform ---

    def feed(self, text: str) -> str:
        if self._held or self._tokens.rawdata and self._tokens.cdata_elem is None and (
                len(self._tokens.rawdata) > _HOLD_FROM):
            text = self._hold(text)
        self._read_text(text)
        return self.runs.take()

    def _hold(self, text: str) -> str:
        """The text to give the tokenizer now, of `text` and what was held before: nothing
        (`text` held) until there is as much as the tokenizer holds, the construct begun
        (a comment, a tag, an attribute such as a data: URL) that it reads again from its
        start at each piece it is given; so it reads a long one a few times, not once for
        each piece (quadratic), and the pieces are joined once. (What it decides does not
        depend on where the text was cut, only on the text: the tests read pages whole and
        in pieces.)"""
        self._held.append(text)
        self._held_size += len(text)
        begun = len(self._tokens.rawdata)
        if self._held_size < begun and begun + self._held_size <= MAX_WHOLE_FILE_CHARS:
            return ""
        # (and where holding more would pass the limit: the construct may end in what is
        # held; if it does not, the tokenizer holds more than the limit, refused there)
        return self._take_held()

    def _take_held(self) -> str:
        text = "".join(self._held)
        self._held.clear()
        self._held_size = 0
        return text

    def _read_text(self, text: str) -> None:
        self._source += text
        at = 0
        waited = False
        while at < len(text):
            if self._tokenizer_idle():
                at = self._simple_tokens(text, at)
                if at == len(text):
                    break
                # The tokenizer reads what is not simple, up to the next ">" (the end of
                # a tag, in most pages); if it is then idle again, so is the shortcut.
                end = text.find(">", at) + 1 or len(text)
                waited = False
            elif not waited:  # a tag begun in the last piece read: to its end
                end = text.find(">", at) + 1 or len(text)
                waited = True
            else:  # a longer construct (a comment, a script): the rest is the tokenizer's,
                end = len(text)  # which reads it again from its start at each piece
            if not self._tokens.rawdata:  # (else it counts from the text it holds)
                self._tokens.at = self._read  # where the text it is given starts
            self._read += end - at
            self._tokens.feed(text[at:end])
            at = end
            if len(self._tokens.rawdata) > MAX_WHOLE_FILE_CHARS:  # one tag, comment or script
                raise FormatError(f"a tag, comment or script of more than "
                                  f"{MAX_WHOLE_FILE_CHARS:,} characters (translit's limit)")

    # --- the shortcut: text, and tags with no attributes, as the tokenizer reads them ---

    def _tokenizer_idle(self) -> bool:
        """Whether the tokenizer holds no text and reads HTML's usual content (not a
        script's or a style sheet's): what follows is read alike by it and by the shortcut."""
        tokens = self._tokens
        return not tokens.rawdata and tokens.cdata_elem is None and (
            tokens.interesting is _INTERESTING)

    def _simple_tokens(self, text: str, at: int) -> int:
        """Where in `text`, from `at`, the text and the plain tags (``<p>``, ``</b>``)
        end: each handled as the tokenizer's token would be, without it (HTML of
        one-letter elements spent most of its time in the tokenizer, per token). Text stops
        at any "<" or "&", a tag at any attribute, space or other character, a reference
        without its semicolon."""
        match = _SIMPLE_TOKEN.match(text, at)
        if match is None:
            return at
        first = at
        if self._pending is not None:  # the token before, with what was passed over after it
            self._emit(self._read)
        on_data, on_start, on_end = self._on_data, self._on_start, self._on_end
        on_reference, state, add_text = self._on_reference, self.state, self.runs.text
        while match is not None:
            kind = match.lastindex
            if kind == 1:  # text
                if state.skipping:
                    on_data(match.group(), match.group())
                else:
                    add_text(match.group())
            elif kind == 2:  # a start tag
                name = match.group(2).lower()
                if name in _SPECIAL_CONTENT:  # a script's content: the tokenizer's
                    break
                raw = match.group()
                on_start(raw, _plain_start_tag(raw, name))
                self._tokens.lasttag = name
            elif kind == 3:  # an end tag
                on_end(match.group(), match.group(3).lower())
            elif kind == 4:  # a character reference
                on_reference(match.group(), None)
            else:  # a start tag with attributes
                name = match.group(5).lower()
                if name in _SPECIAL_CONTENT:
                    break
                raw = match.group()
                on_start(raw, StartTag(raw, name, _plain_attributes(raw)))
                self._tokens.lasttag = name
            at = match.end()
            match = _SIMPLE_TOKEN.match(text, at)
        self._read += at - first
        # What the tokenizer passes over before its next token is written as it was.
        self._pending = ("leading", None, self._read)
        if self._read - self._base > len(self._source) // 2:  # drop what is written
            self._source = self._source[self._read - self._base:]
            self._base = self._read
        return at

    def finish(self) -> str:
        self.flush()
        return self.runs.finish()

    def flush(self) -> None:
        """The end of the HTML: every token written (into `runs`), the last run ended."""
        if self._held:
            self._read_text(self._take_held())
        self._tokens.close()
        if self._pending is not None:
            self._emit(self._read)
        self.runs.end_run()

    # --- tokens, each written when the next one starts ---

    def _token(self, kind: str, value: Any) -> None:
        start = self._tokens.at
        if self._pending is not None:
            self._emit(start)
        self._pending = (kind, value, start)

    def _emit(self, end: int) -> None:
        assert self._pending is not None
        kind, value, start = self._pending
        self._pending = None
        raw = self._source[start - self._base:end - self._base]
        if end - self._base > len(self._source) // 2:  # drop what is written, now and then
            self._source = self._source[end - self._base:]
            self._base = end
        self._handlers[kind](raw, value)

    def _on_start(self, raw: str, tag: StartTag, closed: bool = False) -> None:
        if raw.startswith(tag.raw):
            self.state.open(tag, self.runs, self.job, self.setting, closed=closed)
            self._rest(raw[len(tag.raw):])
        else:
            self.state.open(tag, self.runs, self.job, self.setting, closed=closed, raw=raw)

    def _on_startend(self, raw: str, tag: StartTag) -> None:
        self._on_start(raw, tag, closed=True)

    def _on_end(self, raw: str, tag: str) -> None:
        self.state.close(tag, raw, self.runs)

    def _on_data(self, raw: str, data: str) -> None:
        if not raw.startswith(data) or self.state.skipping:
            self.state.kept_text(raw, self.job)
            relink = self.setting.relink
            if relink is not None and self.state.in_style_sheet:
                raw = self.job.rewrote(raw, relinked_css(raw, relink))
            self.runs.boundary(raw)
            return
        self.runs.text(data)
        self._rest(raw[len(data):])

    def _on_reference(self, raw: str, _: None) -> None:
        if self.state.skipping:
            self.runs.boundary(raw)
        else:
            add_text_with_references(self.runs, raw)

    def _on_pi(self, raw: str, _: None) -> None:
        if not utf8(self.setting.encoding) and raw.startswith("<?xml"):
            raw = self.job.rewrote(raw, _XML_ENCODING.sub(r"\1\2UTF-8\2", raw, count=1))
        self.runs.boundary(raw)

    def _on_comment(self, raw: str, _: None) -> None:
        self.state.comment(raw, self.runs)

    def _on_other(self, raw: str, _: None) -> None:
        self.runs.boundary(raw)

    def _on_leading(self, raw: str, _: None) -> None:
        self._rest(raw)

    def _rest(self, raw: str) -> None:
        """Text the tokenizer passed over without a token of its own: as it was."""
        if raw:
            self.runs.boundary(raw)
