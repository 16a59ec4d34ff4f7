"""Markdown (``.md .markdown``): prose, headings, lists, tables, link text, image alt text.

Never converted: code spans, fenced and indented code, link destinations, autolinks, raw
HTML's markup (its text and attributes follow the HTML rules of markup.py, so
``<code>`` or ``translate="no"`` keep their content too), TOML front matter, and in YAML
front matter the keys and the values that are not text people read (only `FRONT_MATTER_TEXT`
values are converted). Link labels (``[Ўзбек]`` and its ``[Ўзбек]: https://…``) are
converted alike wherever they stand, so references still meet. A link to a heading of the
same file (``[бўлим](#форум-бўлими)``) follows its heading: when the fragment is the
heading's anchor as GitHub makes it (`github_slug`), it becomes the converted heading's
anchor (``#forum-boʻlimi``). Everything else stays byte for byte.

The parser is tree-sitter's Markdown grammar (CommonMark with GitHub's tables), which
gives the exact place of every block and inline element, so the file is written back from
its own bytes. A file is held whole and parsed a part of some 64 KB at a time, each part
ending where every block before it has ended (`PART_BYTES`).

>>> from translit.converter.transliterator import get_transliterator
>>> from translit.formats.base import Job, Setting
>>> page = make(Job(get_transliterator()), Setting())
>>> print(page.feed("# Ц**ентр**\\n\\n`код` ва [йўл](/йўл \\"Йўл\\")\\n") + page.finish(), end="")
# S**entr**
<BLANKLINE>
`код` va [yoʻl](/йўл "Yoʻl")
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
import string
import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from ..base.limits import (
    MARKDOWN_BYTES_PER_MARKER,
    MARKDOWN_MARKERS_FREE,
    MAX_MARKDOWN_MARKERS,
    MAX_MARKDOWN_OPEN_IMAGES,
    MAX_MARKDOWN_PUNCTUATION,
    MAX_MARKDOWN_NESTING,
)
from .errors import FormatError
from .base import Job, Runs, Setting, Transform, WholeTransform
from .markup import HtmlState, HtmlTransform, StartTag, parse_tag

# Values of these front-matter keys are text people read; other values (slugs, dates,
# paths, layouts) are never converted.
FRONT_MATTER_TEXT = frozenset({"title", "subtitle", "description", "summary", "excerpt",
                               "abstract", "caption", "alt", "keywords", "linktitle"})
FRONT_MATTER_LANGUAGE = frozenset({"lang", "language", "locale"})

_RAW_BLOCKS = frozenset({"fenced_code_block", "indented_code_block", "plus_metadata",
                         "thematic_break", "pipe_table_delimiter_row"})
_RAW_INLINE = frozenset({"code_span", "uri_autolink", "email_autolink", "link_destination",
                         "latex_block"})
_LINKS = frozenset({"inline_link", "image", "full_reference_link", "collapsed_reference_link",
                    "shortcut_link"})
_OWN_RUN = frozenset({"link_text", "image_description", "link_label", "link_title"})
# Where a link to a heading of the same file may stand (else no heading's anchor is made).
_IN_PAGE_LINK = re.compile(rb"\]\(\s*<?#|\]:\s*<?#|href\s*=\s*[\"']?#")
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+[ \t]*\Z")
_INLINE_LINK = re.compile(r"!?\[((?:[^\[\]\\]|\\.)*)\](?:\([^)]*\)|\[[^\]]*\])?")
_TAG = re.compile(r"<[^<>\n]*>")
_MARKUP_CHARACTERS = re.compile(r"[][*_`<>&\\!~|{}$:/@.]")  # none: a heading of plain words
_DELIMITERS = re.compile(r"[*~`]+|(?<!\w)_+|_+(?!\w)|\\(?=[!-/:-@\[-`{-~])")


# What makes tree-sitter's inline parser slow (or crash): * _ ~ [ ] ( ) ` $ (limits.py).
_MARKERS = tuple(bytes([c]) for c in b"*_~[]()`$")
# The containers a line opens: block quote markers, and list items (by their indentation).
_CONTAINER_PREFIX = re.compile(rb"^([ \t>]*)([-+*]|\d{1,9}[.)])?(?=[ \t\r\n]|\Z)",
                               re.MULTILINE)
# A line that opens many lists (and quotes) itself: "- - - - a" is a list in a list in a
# list (a quarter of the cap's markers at least, to be looked at).
_SAME_LINE_ITEMS = re.compile(rb"^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+(?:>[ \t]*)*){25,}",
                              re.MULTILINE)
_ITEM_MARKER = re.compile(rb"(?:[-+*]|\d{1,9}[.)])(?=[ \t])")


def _refuse_many_markers(data: bytes, converted: bool = False) -> None:
    """More emphasis, code and link markers than `MARKDOWN_MARKERS_FREE` and one per
    `MARKDOWN_BYTES_PER_MARKER` bytes are an error (each costs the inline parser time).
    `converted`: `data` is what the file became (see `MarkdownTransform.converted`).

    >>> _refuse_many_markers(b"*" * 16_384)
    >>> _refuse_many_markers(b"*" * 19_000, converted=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    translit.formats.FormatError: 19,000 ... markers in 19,000 bytes once converted, ...
    """
    markers = sum(data.count(marker) for marker in _MARKERS)
    allowed = MARKDOWN_MARKERS_FREE + len(data) // MARKDOWN_BYTES_PER_MARKER
    if markers > allowed:
        raise FormatError(f"{markers:,} emphasis, code and link markers in {len(data):,} "
                          f"bytes{' once converted' if converted else ''}, more than the "
                          f"{allowed:,} translit's Markdown parser takes safely; nothing "
                          "converted")


def _refuse_deep_nesting(data: bytes) -> None:
    """Lists and block quotes nested deeper than `MAX_MARKDOWN_NESTING` are an error
    (the parsers' memory and Python's recursion grow with the depth): a line's depth is
    its quote markers and, on a list item's line, a level per two columns of indentation.

    >>> _refuse_deep_nesting(b"> > - a\\n" + b"  " * 20 + b"- b\\n")
    >>> _refuse_deep_nesting(b">" * 101 + b" a")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    translit.formats.FormatError: line 1: lists or quotes nested 101 deep, more than the 100 ...
    """
    for match in _CONTAINER_PREFIX.finditer(data):
        prefix, item = match.groups()
        if len(prefix) < MAX_MARKDOWN_NESTING // 4:
            continue  # (a tab is at most four columns)
        quotes = prefix.count(b">")
        depth = quotes
        if item is not None:
            depth += (len(prefix.expandtabs(4)) - quotes) // 2 + 1
        if depth > MAX_MARKDOWN_NESTING:
            _too_deep(data, match.start(), depth)
    for match in _SAME_LINE_ITEMS.finditer(data):  # ("- " * 600 was a RecursionError)
        prefix = match.group()
        depth = prefix.count(b">") + len(_ITEM_MARKER.findall(prefix))
        if depth > MAX_MARKDOWN_NESTING:
            _too_deep(data, match.start(), depth)


def _too_deep(data: bytes, at: int, depth: int) -> None:
    line = data.count(b"\n", 0, at) + 1
    raise FormatError(f"line {line}: lists or quotes nested {depth} deep, more than "
                      f"the {MAX_MARKDOWN_NESTING} translit's Markdown parser takes "
                      "safely; nothing converted")


@functools.lru_cache(maxsize=1)
def _parsers() -> tuple[Any, Any]:
    import tree_sitter_markdown
    from tree_sitter import Language, Parser

    return (Parser(Language(tree_sitter_markdown.language())),
            Parser(Language(tree_sitter_markdown.inline_language())))


def make(job: Job, setting: Setting) -> Transform:
    """The converter of one Markdown file."""
    return MarkdownTransform(job, setting)


class MarkdownTransform(WholeTransform):
    """The whole file is held, parsed, and written back with its text converted."""

    def converted(self, text: str) -> str:
        document = _Document(text, self.job, self.setting)
        del text  # (the document holds the file as UTF-8, which the parsers read)
        runs = document.read()
        del document  # (its bytes and trees are not held while the output is joined)
        out = runs.finish()
        # The file's cap again, on what it became: converting keeps every marker but not
        # the length the cap allows them by (Cyrillic letters are two bytes, Latin ones
        # mostly one; "sh" becomes "ш"), so a file just under it could become one that
        # translit refuses to read again. No measure of length that conversion keeps
        # exists (ь is dropped, "o'" becomes "ў"), so the output itself is measured. (The
        # paragraphs' markers and the nesting are kept as they are: no letters in them.)
        _refuse_many_markers(out.encode("utf-8", "surrogatepass"), converted=True)
        return out


class _Document:
    def __init__(self, text: str, job: Job, setting: Setting) -> None:
        self.job, self.setting = job, setting
        self.data = text.encode("utf-8", "surrogatepass")
        self.runs = Runs(job)
        self.html = HtmlState()  # raw HTML's open elements, across blocks and inline tags
        self._lines = _Lines(self.data)
        self.anchors: dict[str, str] = {}  # a heading's anchor → its converted heading's
        self._relink_file = setting.relink  # a link to a renamed file of the tree

    def converted(self) -> str:
        return self.read().finish()

    def read(self) -> Runs:
        """The runs of the whole file, in order."""
        _refuse_deep_nesting(self.data)
        _refuse_many_markers(self.data)
        trees: Iterable[tuple[_Part, Any]] = self._parts()
        if _IN_PAGE_LINK.search(self.data):  # the headings' anchors first, from every part
            parts: list[_Part] = []
            self.anchors = self._heading_anchors(self._parts(), parts)
            trees = ((part, self._parsed(part)) for part in parts)  # (no tree kept for later)
        if self.anchors or self._relink_file is not None:  # raw HTML's links too
            self.setting = dataclasses.replace(self.setting, relink=self._relinked)
        for part, tree in trees:
            self._top_blocks(tree.root_node, part.start, part.end)
        return self.runs

    def _parts(self) -> Iterator[tuple[_Part, Any]]:
        """The file in parts of about `PART_BYTES`, each with its block tree: a part ends
        where every block but the document's sections has ended (see `_closed_at`)."""
        data, start = self.data, 0
        search_from, tries = PART_BYTES, 0
        front_matter = _front_matter_end(data)  # (no cut inside it)
        while start < len(data):
            cut = _CUT.search(data, max(search_from, front_matter))
            if cut is None or cut.end() >= len(data):
                part = _Part(start, len(data), len(data))
                yield part, self._parsed(part)
                return
            end = cut.end()
            # Parsed with the start of the line that follows, which closes what is open
            # before it.
            line_end = data.find(b"\n", end) + 1 or len(data)
            part = _Part(start, end, min(line_end, end + 1024))
            tree = self._parsed(part)
            if _closed_at(tree.root_node, end):
                yield part, tree
                start, search_from, tries = end, end + PART_BYTES, 0
            else:
                # Inside fenced code, raw HTML, a list: the next place to cut; after a few
                # tries, one as far again (a long block is not parsed over and over).
                tries += 1
                search_from = end if tries < 4 else start + 2 * (end - start)

    def _parsed(self, part: _Part) -> Any:
        """The block parser's tree of `part` (its offsets the file's)."""
        from tree_sitter import Range

        block, _ = _parsers()
        block.included_ranges = [Range(self._lines.point(part.start),
                                       self._lines.point(part.parsed), part.start, part.parsed)]
        return block.parse(self.data)

    def _top_blocks(self, node: Any, start: int, end: int) -> None:
        """The blocks of `node` (the document, or a section going on past `end`) from
        `start` to `end`, and the bytes between them as they are."""
        done = start
        for child in node.children:
            if child.start_byte >= end:
                break
            self._raw(done, child.start_byte)
            if child.end_byte > end:  # a section, going on in the next part
                self._top_blocks(child, max(done, child.start_byte), end)
            else:
                self._block(child)
            done = min(max(done, child.end_byte), end)
        self._raw(done, end)

    def _heading_anchors(self, trees: Iterable[tuple[_Part, Any]],
                         parts: list[_Part] | None = None) -> dict[str, str]:
        """The anchor of each heading whose anchor the conversion changes → the new one
        (`trees`: the parts of the file and their trees, each part added to `parts`)."""
        before, after = _Slugger(), _Slugger()
        anchors: dict[str, str] = {}
        for inline, atx in self._headings(trees, parts):
            source = self._slice(inline.start_byte, inline.end_byte)
            if atx:
                source = _ATX_CLOSING.sub("", source)
            # Converted as the heading itself is, but not counted twice (plain words as
            # one text, without parsing them again).
            if _MARKUP_CHARACTERS.search(source) is None:
                converted = self.job.transliterator.convert(source)
            else:
                converted = _Document(source, Job(self.job.transliterator),
                                      Setting(self.setting.encoding)).converted()
            old, new = before.slug(heading_text(source)), after.slug(heading_text(converted))
            if old != new:
                anchors.setdefault(old, new)
        return anchors

    @staticmethod
    def _headings(trees: Iterable[tuple[_Part, Any]],
                  parts: list[_Part] | None) -> Iterator[tuple[Any, bool]]:
        """`_headings` of each part (not of the line parsed after it: the next part's)."""
        for part, tree in trees:
            if parts is not None:
                parts.append(part)
            for inline, atx in _headings(tree.root_node):
                if inline.start_byte < part.end:
                    yield inline, atx

    def _relinked(self, link: str) -> str:
        """A link destination as it is to be written: to a heading of this file, its new
        anchor; to a renamed file of the tree, its new name; any other as it is."""
        if link.startswith("#"):
            fragment = link[1:]
            new = self.anchors.get(urllib.parse.unquote(fragment))
            if new is None:
                return link
            return "#" + (urllib.parse.quote(new, safe="-_") if "%" in fragment else new)
        return link if self._relink_file is None else self._relink_file(link)

    def _destination(self, start: int, end: int) -> None:
        raw = self._slice(start, end)
        inner = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
        new = self._relinked(inner)
        if new != inner:
            raw = self.job.rewrote(raw, raw.replace(inner, new, 1))
        self.runs.boundary(raw)

    def _slice(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "surrogatepass")

    # --- blocks ---

    def _block(self, node: Any) -> None:
        kind = node.type
        if kind in _RAW_BLOCKS:
            self._raw(node.start_byte, node.end_byte)
        elif kind == "html_block":
            self._html_block(node)
        elif kind == "minus_metadata":
            self._front_matter(node)
        elif kind in ("inline", "pipe_table_cell"):
            self._inline(node)
            self.runs.end_run()
        elif kind == "link_reference_definition":
            self._children(node, self._definition_part)
        else:
            self._children(node, self._block)

    def _children(self, node: Any, visit: Any) -> None:
        """Visit the children of `node`; the bytes between them are written as they are."""
        done = node.start_byte
        for child in node.children:
            self._raw(done, child.start_byte)
            visit(child)
            done = max(done, child.end_byte)
        self._raw(done, node.end_byte)

    def _raw(self, start: int, end: int) -> None:
        if end > start:
            self.runs.boundary(self._slice(start, end))

    def _definition_part(self, node: Any) -> None:
        if node.type in ("link_label", "link_title"):
            self._delimited(node)
        elif node.type == "link_destination":
            self._destination(node.start_byte, node.end_byte)
        else:
            self._raw(node.start_byte, node.end_byte)

    def _delimited(self, node: Any) -> None:
        """``[label]`` or ``"title"``: the text inside its delimiters, as a run of its own."""
        start, end = node.start_byte, node.end_byte
        self.runs.end_run()
        self._raw(start, start + 1)
        self._inline_range(start + 1, end - 1, node)
        self.runs.end_run()
        self._raw(end - 1, end)

    def _html_block(self, node: Any) -> None:
        transform = HtmlTransform(self.job, self.setting, state=self.html)
        out = transform.feed(self._slice(node.start_byte, node.end_byte))
        transform.flush()
        self.runs.boundary(out + transform.runs.take())

    # --- inline content ---

    def _inline(self, node: Any) -> None:
        """Parse a block's inline content (its continuation markers left out) and visit it."""
        _, inline = _parsers()
        from tree_sitter import Range

        gaps = [(c.start_byte, c.end_byte) for c in node.children
                if c.type == "block_continuation" and c.end_byte > c.start_byte]
        pieces, done = [], node.start_byte
        for start, end in [*gaps, (node.end_byte, node.end_byte)]:
            if start > done:
                pieces.append(Range(self._point(done), self._point(start), done, start))
            done = end
        if not pieces:
            self._raw(node.start_byte, node.end_byte)
            return
        markers = sum(self.data.count(marker, piece.start_byte, piece.end_byte)
                      for piece in pieces for marker in _MARKERS)
        if markers > MAX_MARKDOWN_MARKERS:
            raise FormatError(
                f"line {pieces[0].start_point[0] + 1}: a paragraph with {markers:,} emphasis, "
                f"code and link markers, more than the {MAX_MARKDOWN_MARKERS:,} translit's "
                "Markdown parser takes safely; nothing converted")
        size = sum(piece.end_byte - piece.start_byte for piece in pieces)
        if size > MAX_MARKDOWN_PUNCTUATION:
            punctuation = sum(
                len(self.data[piece.start_byte:piece.end_byte].translate(None, _NOT_PUNCTUATION))
                for piece in pieces)
            if punctuation > MAX_MARKDOWN_PUNCTUATION:
                raise FormatError(
                    f"line {pieces[0].start_point[0] + 1}: a paragraph with {punctuation:,} "
                    f"punctuation marks, more than the {MAX_MARKDOWN_PUNCTUATION:,} translit's "
                    "Markdown parser takes in bounded memory; nothing converted")
        if any(self.data.find(b"![", piece.start_byte, piece.end_byte) >= 0 for piece in pieces):
            unclosed = _unclosed_image_openers(self.data, pieces)
            if unclosed > MAX_MARKDOWN_OPEN_IMAGES:
                raise FormatError(
                    f"line {pieces[0].start_point[0] + 1}: a paragraph with {unclosed:,} image "
                    f"openers '![' that no ']' closes, more than the {MAX_MARKDOWN_OPEN_IMAGES} "
                    "translit's Markdown parser takes in time (its time doubles with each); "
                    "nothing converted")
        inline.included_ranges = pieces
        tree = inline.parse(self.data)
        self._continuations = gaps
        self._inline_range(node.start_byte, node.end_byte, tree.root_node)

    def _point(self, offset: int) -> Any:
        return self._lines.point(offset)

    def _inline_range(self, start: int, end: int, parent: Any) -> None:
        """Text from `start` to `end`, with the inline elements among `parent`'s children."""
        done = start
        for child in parent.children:
            if child.end_byte <= start or child.start_byte >= end:
                continue
            if not child.is_named and parent.type not in _LINKS:
                continue  # punctuation of the text itself
            self._text(done, child.start_byte)
            self._inline_node(child, parent)
            done = max(done, child.end_byte)
        self._text(done, end)

    def _inline_node(self, node: Any, parent: Any) -> None:
        kind = node.type
        start, end = node.start_byte, node.end_byte
        if kind == "link_destination":
            self._destination(start, end)
        elif kind in _RAW_INLINE:
            self._raw(start, end)
        elif kind in ("emphasis_delimiter", "code_span_delimiter"):
            self.runs.markup(self._slice(start, end))
        elif not node.is_named:  # the brackets and parentheses of a link: its own run
            self._raw(start, end)
        elif kind == "html_tag":
            self._html_tag(self._slice(start, end))
        elif kind in ("entity_reference", "numeric_character_reference"):
            raw = self._slice(start, end)
            self._reference(raw)
        elif kind in ("link_label", "link_title"):
            self._delimited(node)
        elif kind in _OWN_RUN:
            self.runs.end_run()
            self._inline_range(start, end, node)
            self.runs.end_run()
        else:  # emphasis, strong emphasis, strikethrough, a link: what is inside
            self._inline_range(start, end, node)

    def _text(self, start: int, end: int) -> None:
        """Text, except the block continuation markers (``> ``) that stand in it."""
        for a, b in getattr(self, "_continuations", ()):
            if start < b and a < end:
                self._plain(start, a)
                self.runs.markup(self._slice(a, b))
                start = b
        self._plain(start, end)

    def _plain(self, start: int, end: int) -> None:
        if end <= start:
            return
        text = self._slice(start, end)
        if self.html.skipping:
            self.html.kept_text(text, self.job)
            self.runs.boundary(text)
        else:
            self.runs.text(text)

    def _reference(self, raw: str) -> None:
        if self.html.skipping:
            self.runs.boundary(raw)
        else:
            self.runs.reference(raw, html.unescape(raw))

    def _html_tag(self, raw: str) -> None:
        tag = parse_tag(raw)
        if tag is None:  # a comment, a declaration, a closing tag
            self.html.close_tag_text(raw, self.runs)
            return
        if isinstance(tag, StartTag):
            self.html.open(tag, self.runs, self.job, self.setting)

    # --- front matter ---

    def _front_matter(self, node: Any) -> None:
        text = self._slice(node.start_byte, node.end_byte)
        self.runs.end_run()
        first = text.find("\n") + 1
        last = text.rstrip("\r\n").rfind("\n") + 1
        body = text[first:last]
        self.runs.boundary(text[:first])
        self.runs.boundary(_front_matter_converted(body, self.job))
        self.runs.boundary(text[last:])


def _front_matter_converted(body: str, job: Job) -> str:
    """YAML front matter with the values of `FRONT_MATTER_TEXT` keys converted."""
    try:
        spans = list(_text_values(body))
    except Exception:  # not YAML that PyYAML reads: left as it is
        return body
    out, done = [], 0
    for start, end, key in spans:
        value = body[start:end]
        out.append(body[done:start])
        if key in FRONT_MATTER_LANGUAGE:
            out.append(job.language_tag(value))
        else:
            out.append(job.text(value))
        done = end
    out.append(body[done:])
    return "".join(out)


def _text_values(body: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, key) of each scalar value under a key of interest (inside its quotes)."""
    import yaml

    wanted = FRONT_MATTER_TEXT | FRONT_MATTER_LANGUAGE
    keys: list[str | None] = [None]  # the current key of each open mapping
    previous: Any = None
    for token in yaml.scan(body):
        if isinstance(token, (yaml.BlockMappingStartToken, yaml.FlowMappingStartToken)):
            keys.append(None)
        elif isinstance(token, (yaml.BlockSequenceStartToken, yaml.FlowSequenceStartToken)):
            keys.append(keys[-1])  # its items are values of the key above
        elif isinstance(token, (yaml.BlockEndToken, yaml.FlowMappingEndToken,
                                yaml.FlowSequenceEndToken)) and len(keys) > 1:
            keys.pop()
        elif isinstance(token, yaml.ScalarToken):
            start, end = token.start_mark.index, token.end_mark.index
            if isinstance(previous, yaml.KeyToken):
                keys[-1] = str(token.value).lower()
            elif keys[-1] in wanted and "\\" not in body[start:end]:
                if token.style in ("'", '"'):
                    start, end = start + 1, end - 1
                elif token.style in ("|", ">"):
                    start = body.index("\n", start) + 1
                yield start, end, keys[-1] or ""
        previous = token


def _headings(root: Any) -> Iterator[tuple[Any, bool]]:
    """The inline content of each heading in the file's order, and whether it is ATX."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("atx_heading", "setext_heading"):
            atx = node.type == "atx_heading"
            holder = node if atx else next((c for c in node.children
                                            if c.type == "paragraph"), None)
            inline = None if holder is None else next(
                (c for c in holder.children if c.type == "inline"), None)
            if inline is not None:
                yield inline, atx
            continue
        stack.extend(reversed(node.children))


def heading_anchors(text: str, transliterator: Any) -> dict[str, str]:
    """The anchors of the headings of the Markdown `text` that converting it changes, old
    → new (what a link from another page to one of them follows).

    >>> from translit.converter.transliterator import get_transliterator
    >>> heading_anchors("# Форум бўлими\\n\\n## Sarlavha\\n", get_transliterator())
    {'форум-бўлими': 'forum-boʻlimi'}
    """
    document = _Document(text, Job(transliterator), Setting("utf-8"))
    return document._heading_anchors(document._parts())


def heading_text(markdown: str) -> str:
    """The text a heading shows (its Markdown's links, tags and delimiters left out).

    >>> heading_text("Ц**ентр** `код` ва [йўл](/йўл) <b>x</b> snake_case")
    'Центр код ва йўл x snake_case'
    """
    text = _INLINE_LINK.sub(r"\1", markdown)
    text = _DELIMITERS.sub("", _TAG.sub("", text))
    return html.unescape(text).strip()


def github_slug(text: str) -> str:
    """A heading's anchor as GitHub (and GitLab, github-slugger) make it: lower case,
    punctuation and symbols left out, each space a hyphen.

    >>> github_slug("Форум бўлими!"), github_slug("Forum boʻlimi (2-qism)")
    ('форум-бўлими', 'forum-boʻlimi-2-qism')
    """
    kept = (char for char in text.lower()
            if char in " -_" or unicodedata.category(char)[0] in "LMN")
    return "".join(kept).replace(" ", "-")


class _Slugger:
    """Anchors of the headings of one file: a repeated one gets ``-1``, ``-2`` ..."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = found = github_slug(text)
        while found in self._seen:
            self._seen[base] += 1
            found = f"{base}-{self._seen[base]}"
        self._seen[found] = 0
        return found


# The block parser's tree holds a node for every word and mark of the text, some 20 bytes
# a byte of the file (a 33 MB book took 1.1 GB): the file is parsed a part at a time (the
# trees of two or three parts may be alive at once: 256 KB parts took 14 MB more than these).
PART_BYTES = 1 << 16
# Where a part may end: at a line after a blank line, which begins no indented line (a list
# item's own), no front matter (which the parser sees at the start of what it is given) and
# no list item of "-" or "+" (which may go on with the list before).
_CUT = re.compile(rb"\n[ \t]*\r?\n(?![ \t\r\n+-])")
# The first line of front matter, as the parser sees it.
_FRONT_MATTER_OPENER = re.compile(rb"[ \t]*(---|\+\+\+)[ \t]*[\r\n]")


def _front_matter_end(data: bytes) -> int:
    """Where the front matter the file may begin with ends (0: none): the parser takes the
    file's start to the first other line of its three characters as front matter, however
    far that line is, so no part may end before it.

    >>> _front_matter_end(b"---\\ntitle: a\\n----\\n---\\n\\nb\\n"), _front_matter_end(b"---\\na\\n")
    (22, 0)
    """
    opened = _FRONT_MATTER_OPENER.match(data)
    if opened is None:
        return 0
    closing = re.compile(rb"[\r\n]" + re.escape(opened.group(1)) + rb"[ \t]*[\r\n]")
    closed = closing.search(data, opened.end() - 1)
    return closed.end() if closed else 0


class _Part(NamedTuple):
    """A part of the file: `start` to `end`, parsed to `parsed` (into the line after `end`)."""

    start: int
    end: int
    parsed: int


def _closed_at(node: Any, cut: int) -> bool:
    """Whether no node of the tree but the document and its sections goes on past `cut`:
    every block before it ends where it ends in the whole file's tree (a part starts as the
    file does, with nothing open but the sections, which only group the blocks).

    >>> block, _ = _parsers()
    >>> text = b"# A\\n\\npara\\n\\n```\\ncode\\n\\nmore\\n```\\n\\nB\\n"
    >>> [_closed_at(block.parse(text).root_node, text.index(at)) for at in (b"para", b"more", b"B")]
    [True, False, True]
    """
    for child in node.children:
        if child.start_byte < cut < child.end_byte:
            return child.type == "section" and _closed_at(child, cut)
    return True


class _Lines:
    """The line and column of offsets of a file, for the parsers' ranges; counted on from
    the last offset asked for (they are asked in the file's order, mostly)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = self._row = self._line_start = 0

    def point(self, offset: int) -> Any:
        from tree_sitter import Point

        data, at = self._data, self._at
        if offset >= at:
            breaks = data.count(b"\n", at, offset)
            if breaks:
                self._row += breaks
                self._line_start = data.rfind(b"\n", at, offset) + 1
        else:
            self._row -= data.count(b"\n", offset, at)
            self._line_start = data.rfind(b"\n", 0, offset) + 1
        self._at = offset
        return Point(self._row, offset - self._line_start)


_BRACKETS = re.compile(rb"!?\[|\]")
_NOT_PUNCTUATION = bytes(c for c in range(256) if chr(c) not in string.punctuation)  # ASCII's


def _unclosed_image_openers(data: bytes, pieces: list[Any]) -> int:
    """How many "![" of the pieces no "]" closes (a "]" closes the last "[" or "![" still
    open; escapes and code spans are counted too, which only errs on the safe side).

    >>> from types import SimpleNamespace as Piece
    >>> _unclosed_image_openers(b"![a] ![b ![c [d]", [Piece(start_byte=0, end_byte=16)])
    2
    """
    opened: list[bool] = []  # of each "[" still open: is it an image's
    for piece in pieces:
        for match in _BRACKETS.finditer(data, piece.start_byte, piece.end_byte):
            if match.group() == b"]":
                if opened:
                    opened.pop()
            else:
                opened.append(len(match.group()) == 2)
    return sum(opened)
