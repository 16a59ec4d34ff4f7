"""The text inside spreadsheet formulas and number formats: converted so that a workbook
computes what it computed before.

A cell that said ``Тошкент`` says ``Toshkent`` after conversion, so a formula that looks
for it must look for ``Toshkent`` too: the string literals of a formula are converted
with the same conversion as the cells, and everything else in it (references, function
names, sheet and defined names) is written back as it was. Likewise the quoted literal
parts of a number format (``#,##0" киши"``), which every cell so formatted shows. And
Word's field codes, formulas of a kind: the texts a field shows when it is updated (an
index entry, ``XE "Шаҳар"``) are converted as the text that shows them now, the rest kept.

Excel writes formulas as ``COUNTIF(A2:A9,"Тошкент")`` (read by openpyxl's tokenizer);
OpenDocument as ``of:=COUNTIF([.A2:.A9];"Тошкент")``, references in brackets; in both a
string literal is double-quoted, a quote inside it doubled.

>>> from translit.converter.transliterator import get_transliterator
>>> from translit.formats.base import Job
>>> job = Job(get_transliterator())
>>> excel_formula('IF(C2="Ҳа",Лист1!A1&" шаҳри","йўқ")', job)
'IF(C2="Ha",Лист1!A1&" shahri","yoʻq")'
>>> opendocument_formula("of:=COUNTIF(['Ҳисобот'.A2:.A9];\\"Тошкент\\")", job)
'of:=COUNTIF([\\'Ҳисобот\\'.A2:.A9];"Toshkent")'
>>> number_format('#,##0" киши";[Red]-0\\\\ "сўм"', job)
'#,##0" kishi";[Red]-0\\\\ "soʻm"'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from .base import Job

_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
# A number format: its quoted literals, and what is not text (a [colour] or [$-locale]
# block, an escaped character) skipped.
_FORMAT_PART = re.compile(r'"(?P<quoted>[^"]*)"|\[\$(?P<currency>[^\]\-]*)(?P<locale>-[^\]]*)?\]'
                          r'|\[[^\]]*\]|(?P<escaped>(?:\\.)+)', re.DOTALL)


def literal(text: str, job: Job) -> str:
    """The text of one string literal converted as a cell's text is."""
    return job.text(text)


def keeping_sheet_names(names: list[str]) -> Callable[[str, Job], str]:
    """A literal's conversion that leaves a literal naming one of the sheets `names` as it
    is (``INDIRECT("Лист1!A1")``: the string is a reference, and holds while the sheet keeps
    its name; a sheet named in a string is never renamed).

    >>> from translit.converter.transliterator import get_transliterator
    >>> keep = keeping_sheet_names(["Лист1", "А"])
    >>> [keep(text, Job(get_transliterator())) for text in ("лист1!A1", "Ҳа", "Ана")]
    ['лист1!A1', 'Ha', 'Ana']
    """
    if not any(names):
        return literal
    # the name as a whole (``Лист1!A1``, ``'Лист 1'!A1``, ``Лист1.A1``), not inside a word
    named = re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in names if name),
                       re.IGNORECASE)

    def convert(text: str, job: Job) -> str:
        return text if named.search(text) else job.text(text)

    return convert


def excel_formula(formula: str, job: Job, convert: Callable[[str, Job], str] = literal) -> str:
    """A formula of Excel (no leading ``=``, as the file writes it) with the text of its
    string literals converted; a formula the tokenizer cannot read is left as it is."""
    if '"' not in formula:
        return formula  # no literal (most formulas): not tokenized
    spans = list(_excel_literals(formula))
    return _replaced(formula, spans, job, convert)


def opendocument_formula(formula: str, job: Job,
                         convert: Callable[[str, Job], str] = literal) -> str:
    """An OpenDocument formula or condition (``of:=…``, ``cell-content()="Ҳа"``) with the
    text of its string literals converted; what is in ``[…]`` (a reference) stays."""
    if '"' not in formula:
        return formula
    return _replaced(formula, list(_opendocument_literals(formula)), job, convert)


def validation_list(formula: str, job: Job) -> str:
    """Excel's list of a data validation, ``"Ҳа,Йўқ"``: each item converted on its own,
    as its cell is."""
    return excel_formula(formula, job, lambda text, job: ",".join(
        job.text(item) for item in text.split(",")))


def number_format(code: str, job: Job) -> str:
    """A number format with its text converted: quoted literals, characters written
    escaped (``\\к\\г``, converted as one text), and a currency's symbol
    (``[$сўм-843]``); a locale of Uzbek in the other script made the target's (``-843``,
    Uzbek in Cyrillic, writes a date's month in Cyrillic: ``-443`` in Latin), as a
    language tag is; a colour, a condition, another locale stay.

    >>> from translit.converter.transliterator import get_transliterator
    >>> print(number_format('0\\\\ \\\\к\\\\г;[Red][$сўм-843]#,##0', Job(get_transliterator())))
    0\\ \\k\\g;[Red][$soʻm-443]#,##0
    """

    def part(match: re.Match[str]) -> str:
        if match.group("quoted") is not None:
            return f'"{literal(match.group("quoted"), job)}"'
        if match.group("currency") is not None:
            currency = literal(match.group("currency"), job) if match.group("currency") else ""
            return f"[${currency}{_locale(match.group('locale') or '', job)}]"
        if match.group("escaped"):
            text = literal(match.group("escaped")[1::2], job)
            return "".join("\\" + char for char in text)
        return match.group()

    return _FORMAT_PART.sub(part, code)


# The locales (Windows' LCIDs) of Uzbek in each script, by their language tags.
_UZBEK_LOCALES = {0x0443: "uz-Latn-UZ", 0x0843: "uz-Cyrl-UZ"}
_UZBEK_LCIDS = {tag: lcid for lcid, tag in _UZBEK_LOCALES.items()}


def _locale(code: str, job: Job) -> str:
    """A number format's locale, ``-843`` (an LCID in hex: the language in its low 16
    bits, a calendar and digits above them), of Uzbek in the other script made the
    target's, in as many digits and the same case; any other as it is."""
    try:
        value = int(code[1:], 16)
    except ValueError:
        return code
    tag = _UZBEK_LOCALES.get(value & 0xFFFF)
    new_tag = job.language_tag(tag) if tag is not None else None
    if new_tag is None or new_tag == tag:
        return code
    digits = f"{value & ~0xFFFF | _UZBEK_LCIDS[new_tag]:0{len(code) - 1}X}"
    return "-" + (digits if code[1:] == code[1:].upper() else digits.lower())


def _replaced(text: str, spans: list[tuple[int, int]], job: Job,
              convert: Callable[[str, Job], str]) -> str:
    """`text` with each span (the inside of a quoted literal, quotes doubled) converted."""
    out: list[str] = []
    done = 0
    for start, end in spans:
        inside = text[start:end].replace('""', '"')
        new = convert(inside, job)
        if new != inside:
            out += (text[done:start], new.replace('"', '""'))
            done = end
    out.append(text[done:])
    return "".join(out)


@functools.lru_cache(maxsize=256)
def formula_tokens(formula: str) -> tuple[tuple[int, int, Any], ...] | None:
    """(start, end, token) of each token of a formula as written, or None if it cannot be
    read (the formula tokenizer of openpyxl; whitespace may be written in any amount).
    Remembered for the last few formulas: renaming a sheet reads each formula twice, and
    openpyxl's tokenizer, in pure Python, is the most of a workbook's time (its tokens are
    only read, never changed)."""
    from openpyxl.formula.tokenizer import Token, Tokenizer

    try:
        tokens = Tokenizer("=" + formula).items
    except Exception:
        return None
    found = []
    at = 0
    for token in tokens:
        if token.type == Token.WSPACE:
            continue
        start = formula.find(token.value, at)
        if start < 0 or formula[at:start].strip():
            return None
        found.append((start, start + len(token.value), token))
        at = start + len(token.value)
    return tuple(found) if not formula[at:].strip() else None


def _excel_literals(formula: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the inside of each string literal of an Excel formula."""
    from openpyxl.formula.tokenizer import Token

    tokens = formula_tokens(formula)
    if tokens is None:
        return
    for start, end, token in tokens:
        if token.type == Token.OPERAND and token.subtype == Token.TEXT:
            yield start + 1, end - 1


def _opendocument_literals(formula: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the inside of each string literal of an OpenDocument formula: a
    ``"`` outside brackets opens one (``""`` inside it is a quote); in ``[…]`` a sheet
    name may be quoted with ``'``."""
    at, length = 0, len(formula)
    while at < length:
        char = formula[at]
        if char == "[":
            at += 1
            quoted = False
            while at < length and (quoted or formula[at] != "]"):
                if formula[at] == "'":
                    quoted = not quoted
                at += 1
            at += 1
        elif char == '"':
            start = at = at + 1
            while at < length:
                if formula[at] == '"':
                    if formula[at + 1:at + 2] == '"':
                        at += 2
                        continue
                    break
                at += 1
            if at >= length:
                return  # an unterminated literal: the formula is not read
            yield start, at
            at += 1
        else:
            at += 1


def field_texts(code: str, job: Job) -> list[tuple[int, int, str]]:
    r"""(start, end, converted) of each text of a Word field's `code` that the field shows
    when it is updated (see `_FIELD_TEXTS`) and that conversion changes.

    >>> from translit.converter.transliterator import get_transliterator
    >>> field_texts(' XE "Шаҳар" \\b \\t "Қаранг"', Job(get_transliterator()))
    [(5, 10, 'Shahar'), (19, 25, 'Qarang')]
    """
    name = _FIELD_NAME.match(code)
    if name is None or name.group(1).upper() not in _FIELD_TEXTS:
        return []
    first, switches = _FIELD_TEXTS[name.group(1).upper()]
    found: list[tuple[int, int, str]] = []
    position, arguments, switch = name.end(), 0, ""
    while (token := _FIELD_TOKEN.match(code, position)) is not None and token.end() > position:
        position = token.end()
        if token.group("switch") is not None:
            switch = token.group("switch").lower()
            continue
        if (first and arguments == 0 and not switch) or switch in switches:
            group = "quoted" if token.group("quoted") is not None else "bare"
            start, end = token.span(group)
            converted = job.text(code[start:end])
            if converted != code[start:end]:
                found.append((start, end, converted))
        arguments += 1
        switch = ""
    return found


# A field's name, and each token after it: a switch, a quoted text, a word.
_FIELD_NAME = re.compile(r"\s*(\w+)")
_FIELD_TOKEN = re.compile(r'\s*(?:(?P<switch>\\[^\s"]+)|"(?P<quoted>(?:[^"\\]|\\.)*)"'
                          r'|(?P<bare>[^\s"\\]\S*))')
# The fields whose code holds text they show: whether their first argument is such a text,
# and the switches whose argument is (an index entry, its cross-reference; a table of
# contents entry; a link's tooltip).
_FIELD_TEXTS = {"XE": (True, ("\\t",)), "TC": (True, ()), "HYPERLINK": (False, ("\\o",))}
