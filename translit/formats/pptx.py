"""PowerPoint presentations (``.pptx .pptm .potx .ppsx``): the text of every slide.

Converted: slides (text boxes, placeholders, tables, SmartArt, charts: titles, series
names and categories; pictures' alternative text), notes, layouts and masters (their
placeholder text), comments, the presentation's title, subject, description and keywords,
and custom properties' values. Every run keeps its formatting, and a word split across
runs is converted as one word (see drawing.py). Never: slide and layout names, hyperlink
targets, authors. Language tags ``uz-Cyrl-UZ`` become ``uz-Latn-UZ``. Parts that hold no
text are copied byte for byte.
"""

from __future__ import annotations

from typing import Any

from .base import Job
from .drawing import convert_alt_text, convert_chart_text, convert_drawing_paragraphs
from .package import (
    CUSTOM_PROPERTIES,
    CUSTOM_PROPERTY_TAGS,
    PROPERTY_TAGS,
    Package,
    Paragraphs,
    content_types,
    convert_elements,
    rewrite_parts,
)

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"

TEXT_PARTS = ("presentationml.slide+xml", "presentationml.slideLayout+xml",
              "presentationml.slideMaster+xml", "presentationml.notesSlide+xml",
              "presentationml.notesMaster+xml", "presentationml.handoutMaster+xml",
              "presentationml.comments+xml", "powerpoint.comments+xml",
              "drawingml.chart+xml", "chartex+xml", "drawingml.diagramData+xml",
              "drawingml.diagramDrawing+xml")
PROPERTY_PARTS = ("package.core-properties+xml",)


def convert(data: bytes, job: Job, found: Paragraphs | None = None) -> bytes:
    """A presentation with its text converted (see the module's docstring);
    with `found`, each paragraph's text before and after is gathered there (for --diff)."""
    package = Package(data, "PowerPoint presentation")
    types = content_types(package)

    def work(root: Any, name: str) -> None:
        if types[name].endswith(PROPERTY_PARTS):
            convert_elements(root, PROPERTY_TAGS, job, found)
        elif types[name].endswith(CUSTOM_PROPERTIES):
            convert_elements(root, CUSTOM_PROPERTY_TAGS, job, found)
        else:
            convert_drawing_paragraphs(root, job, found)
            convert_chart_text(root, job, found)
            convert_alt_text(root, job, found)
            convert_elements(root, (f"{P}text",), job, found)  # the text of old comments

    names = [info.filename for info in package.members
             if types.get(info.filename, "").endswith(TEXT_PARTS + PROPERTY_PARTS
                                                                   + CUSTOM_PROPERTIES)]
    return rewrite_parts(package, names, job, work)
