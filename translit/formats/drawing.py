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
