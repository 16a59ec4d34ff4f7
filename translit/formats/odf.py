"""OpenDocument files (``.odt .ods .odp`` and their templates), as LibreOffice writes them,
and flat OpenDocument files (``.fodt .fods .fodp``: the same parts in one XML file).

Converted: every paragraph and heading (``<text:p>``, ``<text:h>``) of the text, the
cells, the slides and notes, headers and footers (in styles.xml), footnotes, comments
and text boxes (each a paragraph of its own), and the document's title, subject,
description and keywords. Spans, links and fields inside a paragraph keep their
formatting, and a word split across them is converted as one word. Never: sheet names,
style names, authors and dates of comments, link targets. A style's script ``Cyrl`` for
Uzbek becomes ``Latn``, and ``uz-Cyrl`` language tags ``uz-Latn``. The ``mimetype`` member
stays first and uncompressed, and parts that hold no text are copied byte for byte.
"""

from __future__ import annotations

from typing import Any

from . import FormatError
from .base import Job
from .package import (
    Package,
    Paragraphs,
    SlotRuns,
    convert_elements,
    rewrite_parts,
    rewrite_xml_file,
)

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"

PARTS = ("content.xml", "styles.xml", "meta.xml")
MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
             "application/vnd.oasis.opendocument.presentation",
             "application/vnd.oasis.opendocument.graphics")
# Inside a paragraph: what ends a run of words, and what holds text of its own (a note, a
# comment, a frame: their paragraphs are converted on their own) or none to convert.
_BREAKS = {f"{TEXT}tab": "\t", f"{TEXT}line-break": "\n", f"{TEXT}s": " "}
_APART = frozenset({f"{TEXT}note", f"{OFFICE}annotation", f"{OFFICE}annotation-end",
                    f"{DRAW}frame", f"{DRAW}a", f"{DRAW}custom-shape", f"{DRAW}rect",
                    f"{DRAW}g", f"{TEXT}bookmark", f"{TEXT}bookmark-start",
                    f"{TEXT}bookmark-end", f"{TEXT}reference-mark", f"{TEXT}soft-page-break",
                    f"{TEXT}change", f"{TEXT}change-start", f"{TEXT}change-end",
                    f"{TEXT}toc-mark", f"{TEXT}alphabetical-index-mark"})
# Scripts of a style's text properties, with the language they go with.
_SCRIPTS = ((f"{FO}script", f"{FO}language"), (f"{STYLE}script-asian", f"{STYLE}language-asian"),
            (f"{STYLE}script-complex", f"{STYLE}language-complex"))
_PROPERTIES = (f"{DC}title", f"{DC}subject", f"{DC}description", f"{META}keyword")


def convert(data: bytes, job: Job, found: Paragraphs | None = None) -> bytes:
    """An OpenDocument file with its text converted (see the module's docstring);
    with `found`, each paragraph's text before and after is gathered there (for --diff)."""

    def work(root: Any, name: str) -> None:
        for paragraph in root.iter(f"{TEXT}p", f"{TEXT}h"):
            runs = SlotRuns(job, found)
            runs.text(paragraph, "text")
            _content(paragraph, runs)
            runs.end_paragraph()
        convert_elements(root, _PROPERTIES, job, found)
        _latin_scripts(root, job)

    if not data.startswith((b"PK", b"\xd0\xcf\x11\xe0")):  # a flat file (.fodt .fods .fodp)
        if not any(f'office:mimetype="{kind}'.encode() in data[:8192] for kind in MIMETYPES):
            raise FormatError("not an OpenDocument file: neither a package nor a flat "
                              "OpenDocument file of a known mimetype")
        return rewrite_xml_file(data, "flat OpenDocument file", job, work)
    package = Package(data, "OpenDocument file")
    if "mimetype" not in package.names or not package.read("mimetype").decode(
            "ascii", "replace").strip().startswith(MIMETYPES):
        raise FormatError("not an OpenDocument file: its mimetype is missing or unknown")
    if "META-INF/manifest.xml" in package.names and b"encryption-data" in package.read(
            "META-INF/manifest.xml"):
        raise FormatError("a password-protected OpenDocument file: translit cannot read it")
    return rewrite_parts(package, [name for name in PARTS if name in package.names], job, work)


def _content(element: Any, runs: SlotRuns) -> None:
    """The text inside a paragraph, after its own text: children's text and tails."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in (f"{TEXT}p", f"{TEXT}h") or tag in _APART:
            runs.boundary()
        elif tag in _BREAKS:
            runs.boundary(_BREAKS[tag])
        else:  # a span, a link, a field: its text, and what is inside it
            runs.text(child, "text")
            _content(child, runs)
        runs.text(child, "tail")


def _latin_scripts(root: Any, job: Job) -> None:
    """``fo:script="Cyrl"`` on text properties for Uzbek made ``Latn``."""
    for element in root.iter(f"{STYLE}text-properties"):
        for script, language in _SCRIPTS:
            value = element.get(script)
            if value is not None and value.lower() == "cyrl" and (
                    element.get(language) or "").lower() == "uz":
                element.set(script, job.rewrote(value, "Latn"))
