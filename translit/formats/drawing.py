"""DrawingML text (``<a:p>`` paragraphs), which every Office format holds: the text of
PowerPoint slides and notes, of shapes and text boxes in Excel sheets, of chart titles
and SmartArt diagrams in Word, Excel and PowerPoint.

A paragraph's runs (``<a:r>``) and fields (``<a:fld>``) hold its text in ``<a:t>``; a line
break (``<a:br>``) ends a run of words. Run properties (language tags aside) stay as they
were. This is a helper of the document formats, not a format of its own.
"""

from __future__ import annotations

from typing import Any

from .base import Job
from .package import Paragraphs, SlotRuns

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_TEXT_HOLDERS = frozenset({f"{A}r", f"{A}fld"})


def convert_drawing_paragraphs(root: Any, job: Job, paragraphs: Paragraphs | None) -> None:
    """Convert every ``<a:p>`` below `root`."""
    for paragraph in root.iter(f"{A}p"):
        runs = SlotRuns(job, paragraphs)
        for child in paragraph:
            if child.tag in _TEXT_HOLDERS:
                for text in child.iter(f"{A}t"):
                    runs.text(text)
            elif child.tag == f"{A}br":
                runs.boundary("\n")
        runs.end_paragraph()


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_CACHES = frozenset({f"{C}strCache", f"{C}multiLvlStrCache", f"{C}strLit"})


def convert_chart_text(root: Any, job: Job, paragraphs: Paragraphs | None) -> None:
    """A chart's own text besides its rich-text titles (`convert_drawing_paragraphs`): the
    cached series names and category labels (``<c:strCache><c:pt><c:v>``), a series name
    written as it is (``<c:tx><c:v>``), each converted as its cell is; and the quoted text
    of number formats (``<c:numFmt formatCode='0" киши"'>``)."""
    if next(root.iter(f"{C}v", f"{C}numFmt"), None) is None:
        return  # most parts and paragraphs: one search instead of two
    from .formulas import number_format

    for value in root.iter(f"{C}v"):
        parent = value.getparent()
        cached = parent.tag == f"{C}pt" and any(
            ancestor.tag in _CACHES for ancestor in value.iterancestors())
        if cached or parent.tag == f"{C}tx":
            runs = SlotRuns(job, paragraphs)
            runs.text(value)
            runs.end_paragraph()
    for element in root.iter(f"{C}numFmt"):
        code = element.get("formatCode")
        if code:
            element.set("formatCode", number_format(code, job))


# A drawing's properties in Word; a shape's anywhere: in any namespace (or none).
ALT_TEXT_TAGS = ("{*}docPr", "{*}cNvPr")


def convert_alt_text(root: Any, job: Job, paragraphs: Paragraphs | None) -> None:
    """A picture's or shape's alternative text and title (``descr``, ``title`` of
    ``<wp:docPr>`` and ``<p:cNvPr>``, ``<pic:cNvPr>``, ``<xdr:cNvPr>``), which screen readers
    read; its ``name`` is an identifier and stays."""
    for element in root.iter(*ALT_TEXT_TAGS):  # lxml finds them: no Python loop over all
        for attribute in ("descr", "title"):
            runs = SlotRuns(job, paragraphs)
            runs.text(element, attribute)
            runs.end_paragraph()
    for link in root.iter(f"{A}hlinkClick", f"{A}hlinkHover"):
        runs = SlotRuns(job, paragraphs)
        runs.text(link, "tooltip")  # shown when the pointer rests on the link
        runs.end_paragraph()
