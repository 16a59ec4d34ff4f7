"""A large XML part converted as it streams, a paragraph at a time, in bounded memory.

The whole-tree path (`package.rewrite_parts`) parses a part into one lxml tree, converts
it and serializes it: memory about 12 times the XML. Here the part is read from the zip as
it is decompressed, parsed by lxml's ``iterparse`` with the same safe settings, and cut
into *units*: the children of *containers* (``<w:document>``, ``<w:body>``: elements that
only hold the document's paragraphs, tables and sections). Each unit, once it and its
tail are read, gets the very conversion the whole tree gets (`work`, then the language
tags), is serialized by lxml as the whole tree would write it, written out and dropped.
What is held is a unit and what the parser reads ahead, whatever the size of the part.

The output is byte for byte what the whole-tree path writes (tests/test_formats_streaming.py
holds the two to that); where it could not be (a root that is not a container, an encoding
that is not ASCII-compatible, namespaces declared in a way this does not follow) the part
is `NotStreamable` and the caller converts it whole, as before.

>>> import io
>>> from lxml import etree
>>> xml = (b'<?xml version="1.0"?>\\n<d xmlns:x="urn:x"><b>\\n<p>one</p><!-- c -->'
...        b'<x:p a="1">two</x:p>\\n</b></d>')
>>> from translit.converter.transliterator import get_transliterator
>>> out = io.BytesIO()
>>> def upper(unit, name):
...     for element in unit.iter("p"):
...         element.text = element.text.upper()
>>> job = Job(get_transliterator())
>>> stream_xml(io.BytesIO(xml), "part.xml", job, upper, frozenset({"d", "b"}),
...            frozenset({"p"}), out)
>>> out.getvalue() == xml.replace(b">one<", b">ONE<")
True
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from typing import IO, Any

from .errors import FormatError
from .base import Job, latin_language_attributes, latin_language_element
from ..stream import ascii_compatible

# A part smaller than this (uncompressed) is converted whole: it costs little memory.
STREAMED_ABOVE = 4 << 20
READ_SIZE = 1 << 16

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*\?>\s*")
# An element's name and the namespace declarations lxml writes first in its start tag.
_DECLARED = re.compile(rb'(<[^\s/>]+)(?: xmlns(?::[^\s="]+)?="[^"]*")*')
_HEAD = 1 << 16
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_MAY_BE_TAG = (b"uz-", b"uz_")  # in a unit's XML made lower case (ASCII letters only)


class NotStreamable(Exception):
    """The part is not one this module writes as the whole-tree path would: convert it
    whole (nothing was converted yet when this is raised before the first unit)."""


class CheckedReader:
    """A part's bytes as they are decompressed, refused as `package.parse_xml` refuses
    them: a DOCTYPE near the start, an entity declaration anywhere."""

    def __init__(self, source: IO[bytes], name: str, damaged: Callable[[BaseException], str]
                 ) -> None:
        self.source, self.name, self.damaged = source, name, damaged
        self.head = b""
        self._last = b""
        self._seen = 0

    def read(self, size: int = READ_SIZE) -> bytes:
        try:
            chunk = self.source.read(min(size, READ_SIZE) if size > 0 else READ_SIZE)
        except FormatError:
            raise
        except Exception as error:  # a damaged member: zipfile's and zlib's errors
            raise FormatError(self.damaged(error)) from None
        if len(self.head) < _HEAD:
            self.head += chunk[:_HEAD - len(self.head)]
        if ((self._seen < 4096 and _DOCTYPE.search((self._last + chunk)[:4096 - self._seen
                                                                        + len(self._last)]))
                or b"<!ENTITY" in self._last + chunk):
            raise FormatError(f"{self.name}: XML with a DOCTYPE or entity declarations "
                              "(refused: documents have none, and they can read other files)")
        self._seen += len(chunk)
        self._last = chunk[-16:]
        return chunk


def stream_xml(source: IO[bytes] | CheckedReader, name: str, job: Job,
               work: Callable[[Any, str], None], containers: frozenset[str],
               units: frozenset[str], out: IO[bytes],
               own: Callable[[Any], None] | None = None) -> None:
    """Parse the XML of `source` a unit at a time (see the module): each unit gets
    `work(unit, name)` and its language tags made the target's, as a whole part does in
    `package.rewrite_parts`, and the XML is written to `out` as the whole tree would be.
    `units` are the tags of the usual units (``<w:p>``, ``<w:tbl>``): the parser reports
    only these and the containers (reporting every element would cost more than the
    conversion); a unit of another tag is taken with the next one reported. A container
    gets `own(container)` before its start tag is written, if `work` may change a
    container's own attributes (OpenDocument's ``office:string-value`` wherever it is)."""
    from lxml import etree

    reader = source if isinstance(source, CheckedReader) else CheckedReader(
        source, name, lambda error: f"{name}: {error}")
    events = etree.iterparse(
        reader, events=("start", "end", "start-ns"), tag=sorted(containers | units),
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        remove_blank_text=False, strip_cdata=False, remove_comments=False, remove_pis=False)
    writer = _Writer(out, reader, own)
    try:
        for kind, element in _units(events, containers, writer):
            if kind == "unit":
                work(element, name)
                writer.unit(element, job)
            elif kind == "open":
                writer.own(element)
                latin_language_element(element, job, text=False)
                writer.open(element)
            elif kind == "close":
                writer.close(element, job)
            else:
                writer.tail(element)
    except etree.XMLSyntaxError as error:
        raise FormatError(f"{name}: damaged XML ({' '.join(str(error).split())})") from None
    writer.finish()


class _Open:
    """A container being read: its own namespace declarations, and whether its start tag
    has been written."""

    __slots__ = ("element", "opened", "own", "unprefixed")

    def __init__(self, element: Any, own: list[tuple[str, str]]) -> None:
        self.element, self.own = element, own
        self.opened = False
        # a default namespace in scope (lxml would name it ns0 on a unit dropped)
        self.unprefixed = None in element.nsmap


def _units(events: Any, containers: frozenset[str], writer: _Writer
           ) -> Iterator[tuple[str, Any]]:
    """("open", container) once its start tag and text are read; ("unit", child) once a
    child of a container and its tail are read; ("close", container) at its end, all its
    children given; ("tail", container) once a closed container's tail is read. A child
    given is dropped from the tree after.

    A child is read, with its tail, once the parser reports the start or end of a later
    child of its container, or the container's end. The namespaces declared since the
    last child reported are those of the child whose start is reported; if a child that
    was not reported comes between, whose they are is not known: not streamable."""
    stack = writer.stack
    declared: list[tuple[str, str]] = []
    closed: set[Any] = set()  # containers whose tail is left

    def before(container: _Open, until: Any, starting: bool) -> Iterator[tuple[str, Any]]:
        element = container.element
        if not container.opened and (until is not None or len(element)):
            container.opened = True
            yield "open", element
        while len(element):
            child = element[0]
            if child is until:
                break
            if child in closed:
                closed.discard(child)
                yield "tail", child
            else:
                if child not in writer.declarations:  # a child not reported
                    if declared and (starting or until is None):
                        raise NotStreamable("namespaces declared in a unit not reported")
                    writer.declarations[child] = []
                yield "unit", child
            if child.getparent() is element:  # (a unit is dropped as it is written)
                element.remove(child)

    for event, item in events:
        if event == "start-ns":
            declared.append(item)
            continue
        top = stack[-1] if stack else None
        parent = item.getparent()
        if event == "start":
            if top is None:
                if parent is not None or writer.rooted:
                    raise NotStreamable("the root is not a container")
                writer.root(item)
            elif parent is not top.element:
                continue  # inside a unit
            else:
                yield from before(top, item, True)
            if any('"' in uri for _, uri in declared):
                raise NotStreamable("a namespace name with a quote")
            if item.tag in containers:
                stack.append(_Open(item, declared))
            elif top is None:
                raise NotStreamable(f"the root {item.tag} is not a container")
            else:
                writer.declarations[item] = declared
            declared = []
        elif top is not None and item is top.element:
            yield from before(top, None, False)
            yield "close", item
            stack.pop()
            if stack:
                closed.add(item)
            declared = []
        elif top is not None and parent is top.element:
            yield from before(top, item, False)
            if not (declared or writer.declarations.get(item) or top.unprefixed):
                writer.undeclaring.add(item)
            declared = []
    if stack or not writer.rooted:
        raise NotStreamable("the XML ended inside a container")


class _Writer:
    """The serialization, unit by unit, of what the whole tree would serialize."""

    def __init__(self, out: IO[bytes], reader: CheckedReader,
                 own: Callable[[Any], None] | None = None) -> None:
        self.out = out
        self._own = own
        self.reader = reader
        self.stack: list[_Open] = []
        self.declarations: dict[Any, list[tuple[str, str]]] = {}  # of units being read
        # Units read whole that declare no namespace, in their start tag or inside.
        self.undeclaring: set[Any] = set()
        self.encoding = "UTF-8"
        self._root: Any = None
        self.rooted = False
        self._parts: list[bytes] = []
        self._size = 0

    def root(self, element: Any) -> None:
        """The XML declaration as it was, and what precedes the root."""

        self._root = element
        self.rooted = True
        head = self.reader.head
        if head[:4].count(b"\x00") or head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise NotStreamable("UTF-16 or UTF-32")
        declaration = _XML_DECLARATION.match(head)
        # the encoding declared: the parser's own is known only at the end (`finish`)
        named = _ENCODING.search(declaration.group()) if declaration is not None else None
        encoding = named.group(1).decode("ascii") if named is not None else "UTF-8"
        if not ascii_compatible(encoding):
            raise NotStreamable(f"encoded in {encoding}")
        self.encoding = encoding
        if declaration is not None:
            if declaration.end() >= len(head) >= _HEAD:
                raise NotStreamable("a declaration followed by more space than is kept")
            self._write(declaration.group())
        elif head.startswith(b"\xef\xbb\xbf"):
            self._write(b"\xef\xbb\xbf")
        for sibling in reversed(list(element.itersiblings(preceding=True))):
            self._write(_xml(sibling, encoding, with_tail=False))

    def _write(self, data: bytes) -> None:
        self._parts.append(data)
        self._size += len(data)
        if self._size > READ_SIZE:
            self.out.write(b"".join(self._parts))
            self._parts, self._size = [], 0

    def _alone(self, element: Any, own: list[tuple[str, str]], with_tail: bool) -> bytes:
        """`element` as the whole tree writes it: lxml's serialization of it alone, with
        the namespace declarations lxml gives it there (its own, and those of its
        ancestors it copies) replaced by its own, as written."""

        data: bytes = _xml(element, self.encoding, with_tail=with_tail)
        if not isinstance(element.tag, str) or element is self._root:
            return data
        declared = _DECLARED.match(data)
        if declared is None:
            raise NotStreamable(f"{element.tag}: a start tag not followed")
        return b"".join((declared.group(1), _declarations(own, self.encoding),
                         data[declared.end():]))

    def _container_alone(self, entry: _Open) -> bytes:
        saved = self.stack
        self.stack = saved[:saved.index(entry)]  # its ancestors' declarations are copied
        try:
            return self._alone(entry.element, entry.own, with_tail=False)
        finally:
            self.stack = saved

    def own(self, container: Any) -> None:
        """What `work` does to a container itself (its children are units of their own)."""
        if self._own is not None:
            self._own(container)

    def open(self, element: Any) -> None:
        """A container's start tag and text (its children follow)."""
        data = self._container_alone(self.stack[-1])
        text_end = data.find(b"<", _start_tag_end(data))
        if text_end < 0:
            raise NotStreamable(f"{element.tag} holds no child")
        self._write(data[:text_end])

    def close(self, element: Any, job: Job) -> None:
        """A container's end tag; or, if it held no child, the whole of it."""
        entry = self.stack[-1]
        if entry.opened:
            prefix = element.prefix
            local = element.tag.rsplit("}", 1)[-1]
            self._write(f"</{prefix + ':' if prefix else ''}{local}>".encode(self.encoding))
            return
        self.own(element)
        latin_language_element(element, job, text=True)
        self._write(self._container_alone(entry))

    def unit(self, element: Any, job: Job) -> None:
        """A unit, converted, with its tail; and its language tags made the target's
        (`base.latin_language_attributes`), looked for only if its XML holds ``uz-``
        or ``uz_`` in any case, as a tag must (a Python loop over every element and
        attribute costs as much as converting the text)."""
        own = self.declarations.pop(element, [])
        if element in self.undeclaring:
            # Dropped before it is written: lxml then declares on it only the namespaces
            # it uses (not every one in scope, as it does for an element in its tree, to
            # be stripped again: a third of the time of writing). Only a unit that
            # declares none itself, below no default namespace: lxml would otherwise
            # give an element another prefix (one declared inside for the same name, or
            # ns0 for the default).
            self.undeclaring.discard(element)
            element.getparent().remove(element)
        data = self._alone(element, own, with_tail=True)
        lowered = data.lower()  # faster than a case-blind search; touches ASCII only
        if _MAY_BE_TAG[0] in lowered or _MAY_BE_TAG[1] in lowered:
            latin_language_attributes(element, job)
            data = self._alone(element, own, with_tail=True)
        self._write(data)

    def tail(self, element: Any) -> None:
        """A closed container's tail (its children were written and dropped)."""

        if element.tail:
            with_tail: bytes = _xml(element, self.encoding, with_tail=True)
            alone: bytes = _xml(element, self.encoding, with_tail=False)
            self._write(with_tail[len(alone):])

    def finish(self) -> None:
        """What follows the root; everything written."""

        actual = self._root.getroottree().docinfo.encoding or "UTF-8"
        try:
            same = codecs.lookup(actual).name == codecs.lookup(self.encoding).name
        except LookupError:
            same = False
        if not same:
            raise NotStreamable(f"read as {actual}, written as {self.encoding}")
        for sibling in self._root.itersiblings():
            self._write(_xml(sibling, self.encoding, with_tail=False))
        self.out.write(b"".join(self._parts))
        self._parts, self._size = [], 0


def _xml(node: Any, encoding: str, *, with_tail: bool) -> bytes:
    """`node` as lxml serializes it alone, without an XML declaration."""
    from lxml import etree

    data = etree.tostring(node, encoding=encoding, xml_declaration=False, with_tail=with_tail)
    assert isinstance(data, bytes)
    return data


def _declarations(pairs: list[tuple[str, str]], encoding: str) -> bytes:
    out = []
    for prefix, uri in pairs:
        if '"' in uri:
            raise NotStreamable("a namespace name with a quote")
        out.append(f' xmlns:{prefix}="{uri}"' if prefix else f' xmlns="{uri}"')
    try:
        return "".join(out).encode(encoding)
    except UnicodeError:
        raise NotStreamable("a namespace name the encoding cannot write") from None


def _start_tag_end(data: bytes) -> int:
    """Where the start tag that `data` begins with ends (after its ``>``)."""
    quoted = False
    for index, byte in enumerate(data):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3E and not quoted:
            return index + 1
    raise NotStreamable("a start tag that does not end")
