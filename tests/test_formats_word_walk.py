"""A Word paragraph's text found by lxml's tag filter (docx._found_content) is what the
walk over every child finds (docx._paragraph_content): the same texts, deleted texts and
boundaries in the same order, for paragraphs of any nesting."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from translit.formats import docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# Tags of every kind the walk tells apart, and some it reads inside (a run, a link).
_TAGS = ["w:r", "w:r", "w:hyperlink", "w:ins", "w:t", "w:t", "w:delText", "w:rPr", "w:pPr",
         "w:instrText", "w:tab", "w:br", "w:drawing", "w:p", "w:sectPr", "w:smartTag",
         "mc:AlternateContent", "mc:Choice", "w:fldChar", "w:proofErr"]


class _Recorder:
    """What a SlotRuns is told, in order."""

    def __init__(self, log: list[tuple[str, Any]], name: str) -> None:
        self.log, self.name = log, name

    def text(self, element: Any, slot: str = "text") -> None:
        self.log.append((self.name, element))

    def boundary(self, shown: str = " ") -> None:
        self.log.append((self.name + " boundary", shown))


def _told(walk: Any, paragraph: Any) -> tuple[bool, list[tuple[str, Any]]]:
    log: list[tuple[str, Any]] = []
    done = walk(paragraph, _Recorder(log, "runs"), _Recorder(log, "deleted"))
    return done is not False, log


_tree = st.recursive(
    st.sampled_from(_TAGS).map(lambda tag: (tag, [])),
    lambda children: st.tuples(st.sampled_from(_TAGS), st.lists(children, max_size=4)),
    max_leaves=25)


def _element(node: tuple[str, list[Any]], parent: Any, number: list[int]) -> None:
    tag, children = node
    prefix, local = tag.split(":")
    element = etree.SubElement(parent, f"{{{W if prefix == 'w' else MC}}}{local}")
    number[0] += 1
    element.text = f"т{number[0]}"
    for child in children:
        _element(child, element, number)


@settings(max_examples=300, deadline=None)
@given(st.lists(_tree, max_size=6))
@pytest.mark.timeout(120)
def test_the_filtered_walk_finds_what_the_whole_walk_finds(children):
    paragraph = etree.Element(f"{{{W}}}p", nsmap={"w": W, "mc": MC})
    number = [0]
    for child in children:
        _element(child, paragraph, number)
    found, told = _told(docx._found_content, paragraph)
    _, walked = _told(docx._paragraph_content, paragraph)
    if found:
        assert told == walked
    else:  # alternative content that the walk reads: left to it, nothing done
        assert told == [] and any(
            element.tag == f"{{{MC}}}AlternateContent" for element in paragraph.iter())


def test_the_filtered_walk_reads_an_ordinary_paragraph_and_skips_what_is_not_text():
    xml = (f'<w:p xmlns:w="{W}"><w:pPr><w:rPr><w:t>no</w:t></w:rPr></w:pPr>'
           '<w:r><w:rPr><w:b/></w:rPr><w:t>Ц</w:t></w:r><w:hyperlink><w:r><w:t>ентр</w:t>'
           '<w:tab/></w:r></w:hyperlink><w:del><w:r><w:delText>эски</w:delText></w:r></w:del>'
           '<w:r><w:instrText>HYPERLINK</w:instrText><w:drawing><w:p><w:r><w:t>ичида</w:t>'
           '</w:r></w:p></w:drawing></w:r></w:p>')
    found, told = _told(docx._found_content, etree.fromstring(xml))
    assert found
    assert [(what, item if isinstance(item, str) else item.text) for what, item in told] == [
        ("runs", "Ц"), ("runs", "ентр"), ("runs boundary", "\t"), ("deleted boundary", " "),
        ("deleted", "эски"), ("runs boundary", " "), ("deleted boundary", " ")]
