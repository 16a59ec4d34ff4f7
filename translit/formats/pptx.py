"""PowerPoint presentations (``.pptx .pptm .potx .ppsx``): the text of every slide.

Converted: slides (text boxes, placeholders, tables, SmartArt, chart titles), notes,
layouts and masters (their placeholder text), comments, the presentation's title,
subject, description and keywords. Every run keeps its formatting, and a word split
across runs is converted as one word (see drawing.py). Never: slide and layout names,
hyperlink targets, authors. Language tags ``uz-Cyrl-UZ`` become ``uz-Latn-UZ``. Parts
that hold no text are copied byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .base import Job
from .drawing import convert_drawing_paragraphs
from .package import (
    Package,
    Paragraphs,
    SlotRuns,
    content_types,
    latin_language_attributes,
    parse_xml,
    serialize_xml,
)

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"

TEXT_PARTS = ("presentationml.slide+xml", "presentationml.slideLayout+xml",
              "presentationml.slideMaster+xml", "presentationml.notesSlide+xml",
              "presentationml.notesMaster+xml", "presentationml.handoutMaster+xml",
              "presentationml.comments+xml", "powerpoint.comments+xml",
              "drawingml.chart+xml", "drawingml.diagramData+xml", "drawingml.diagramDrawing+xml")
PROPERTY_PARTS = ("package.core-properties+xml",)


def convert(data: bytes, job: Job) -> bytes:
    """A presentation with its text converted (see the module's docstring)."""
    return _convert(data, job, None)


def paragraphs(data: bytes, job: Job) -> Iterator[tuple[str, str]]:
    """Each paragraph's text before and after, in the order of the parts (for --diff)."""
    found = Paragraphs()
    _convert(data, job, found)
    return iter(found.pairs)


def _convert(data: bytes, job: Job, found: Paragraphs | None) -> bytes:
    package = Package(data, "PowerPoint presentation")
    types = content_types(package)
    replaced = {}
    for info in package.members:
        name, kind = info.filename, types.get(info.filename, "")
        if not kind.endswith(TEXT_PARTS + PROPERTY_PARTS):
            continue
        original = package.read(name)
        tree = parse_xml(original, name)
        root = tree.getroot()
        before, job.changed = job.changed, False
        if kind.endswith(PROPERTY_PARTS):
            _convert_elements(root, (f"{DC}title", f"{DC}subject", f"{DC}description",
                                     f"{CP}keywords"), job, found)
        else:
            convert_drawing_paragraphs(root, job, found)
            _convert_elements(root, (f"{P}text",), job, found)  # the text of old comments
        latin_language_attributes(root, job)
        if job.changed:
            replaced[name] = serialize_xml(tree, original)
        job.changed = job.changed or before
    return package.written(replaced) if replaced else data


def _convert_elements(root: Any, tags: tuple[str, ...], job: Job,
                      found: Paragraphs | None) -> None:
    for tag in tags:
        for element in root.iter(tag):
            runs = SlotRuns(job, found)
            runs.text(element)
            runs.end_paragraph()
