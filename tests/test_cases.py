"""The checked example pairs, the seed article and our documented decisions."""

from __future__ import annotations

import pytest
from conftest import CASES, read_tsv

import translit
from translit.base.options import ALPHABET_ALIASES

ORTHOGRAPHY = read_tsv("orthography.tsv")
SETTLED = [row for row in ORTHOGRAPHY if row["rule"] != "uncertain"]
UNCERTAIN = [row for row in ORTHOGRAPHY if row["rule"] == "uncertain"]
DECISIONS = {row["cyrillic"]: row for row in read_tsv("decisions.tsv")}
EXCEPTION_CASES = read_tsv("exceptions.tsv")


def test_case_files_are_complete():
    assert len(ORTHOGRAPHY) == 589
    assert len(SETTLED) == 561


@pytest.mark.parametrize("row", SETTLED, ids=lambda row: row["cyrillic"])
def test_settled_case(default, row):
    assert default.to_latin(row["cyrillic"]) == row["latin"]


@pytest.mark.parametrize("row", SETTLED, ids=lambda row: row["cyrillic"])
def test_settled_case_by_reference_engine(default, row):
    assert default.reference_to_latin(row["cyrillic"]) == row["latin"]


def _expected_by_default(cyrillic: str, case_answer: str) -> str:
    decision = DECISIONS.get(cyrillic)
    return decision["default_latin"] if decision else case_answer


def _option(decision: dict[str, str]) -> translit.Options:
    name, _, value = decision["option"].partition("=")
    if name == "alphabet":  # the case files name the option as it was before ``target``
        name, value = "target", ALPHABET_ALIASES[value]
    return translit.Options(**{name: value or True})


@pytest.mark.parametrize("row", UNCERTAIN, ids=lambda row: row["cyrillic"])
def test_uncertain_case_gives_documented_default(default, row):
    assert default.to_latin(row["cyrillic"]) == _expected_by_default(row["cyrillic"], row["latin"])


@pytest.mark.parametrize("row", EXCEPTION_CASES, ids=lambda row: row["cyrillic"])
def test_exception_case(default, row):
    expected = _expected_by_default(row["cyrillic"], row["preferred_latin"])
    assert default.to_latin(row["cyrillic"]) == expected


@pytest.mark.parametrize(
    "decision", [d for d in DECISIONS.values() if d["option"]], ids=lambda d: d["cyrillic"]
)
def test_option_gives_the_case_files_answer(decision):
    answers = {row["cyrillic"]: row["latin"] for row in ORTHOGRAPHY}
    answers.update({row["cyrillic"]: row["preferred_latin"] for row in EXCEPTION_CASES})
    converter = translit.get_transliterator(_option(decision))
    assert converter.to_latin(decision["cyrillic"]) == answers[decision["cyrillic"]]


def test_every_decision_is_about_a_case():
    cases = {row["cyrillic"] for row in ORTHOGRAPHY + EXCEPTION_CASES}
    assert set(DECISIONS) <= cases


def test_seed_article(default):
    cyrillic = (CASES / "seed-article.cyr.txt").read_text(encoding="utf-8")
    latin = (CASES / "seed-article.lat.txt").read_text(encoding="utf-8")
    assert default.to_latin(cyrillic) == latin
