"""Shared helpers: the project's own case files (copied from ../shared/cases)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import translit

CASES = Path(__file__).parent / "cases"


def read_tsv(name: str) -> list[dict[str, str]]:
    with open(CASES / name, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="session")
def default() -> translit.Transliterator:
    return translit.get_transliterator()
