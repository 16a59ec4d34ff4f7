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
# Excel's newer charts (waterfall, treemap, funnel, histogram …): a part of their own,
# chartEx, whose text categories hold their cache's text in ``<cx:strDim><cx:lvl><cx:pt>``
# and whose series names are ``<cx:tx><cx:txData><cx:v>``.
CX = "{http://schemas.microsoft.com/office/drawing/2014/chartex}"
CHART_TAGS = (f"{C}v", f"{C}numFmt", f"{CX}pt", f"{CX}v", f"{CX}numFmt")


def convert_chart_text(root: Any, job: Job, paragraphs: Paragraphs | None) -> None:
    """A chart's own text besides its rich-text titles (`convert_drawing_paragraphs`): the
    cached series names and category labels (``<c:strCache><c:pt><c:v>``), a series name
    written as it is (``<c:tx><c:v>``), each converted as its cell is; and the quoted text
    of number formats (``<c:numFmt formatCode='0" киши"'>``); a chartEx's alike
    (``<cx:strDim>``'s ``<cx:pt>``, ``<cx:txData><cx:v>``, ``<cx:numFmt>``)."""
    if next(root.iter(*CHART_TAGS), None) is None:
        return  # most parts and paragraphs: one search instead of five
    from .formulas import number_format

    for value in root.iter(f"{C}v", f"{CX}v", f"{CX}pt"):
        if _shown_in_chart(value):
            runs = SlotRuns(job, paragraphs)
            runs.text(value)
            runs.end_paragraph()
    for element in root.iter(f"{C}numFmt", f"{CX}numFmt"):
        code = element.get("formatCode")
        if code:
            element.set("formatCode", number_format(code, job))


def _shown_in_chart(value: Any) -> bool:
    """Whether a chart's ``<c:v>``, ``<cx:v>`` or ``<cx:pt>`` is text it shows: a cached
    text label or a series name (not a number)."""
    parent = value.getparent()
    if value.tag == f"{CX}pt":
        return parent is not None and parent.getparent() is not None and (
            parent.getparent().tag == f"{CX}strDim")
    if value.tag == f"{CX}v":
        return parent is not None and parent.tag == f"{CX}txData"
    return parent.tag == f"{C}tx" or parent.tag == f"{C}pt" and any(
        ancestor.tag in _CACHES for ancestor in value.iterancestors())


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
