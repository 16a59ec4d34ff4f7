"""The repairs' registry (translit.engine.repairs.REPAIRS) and everything read from it.

A repair is a method of `Repairs`, an entry of `REPAIRS` and its `Options` field; the
command line's flags, the fast engine's one pass, the preview's triggers and marks, the
tests' strategies and the accelerator's trigger scan follow from the entry. These tests
hold each of them to the registry, so that a new entry cannot be half wired.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import strategies
from hypothesis import given, settings

import translit
from translit.base.option_fields import OptionFields
from translit.base.options import Options
from translit.engine import fastpath, words
from translit.engine.reference import KIND_IDS, KINDS
from translit.engine.repairs import LOOKALIKE_LETTERS, LOOKALIKE_TRIGGER, REPAIRS, Repairs

ROOT = Path(__file__).resolve().parent.parent


def _package_file(name: str) -> Path:
    return next(Path(translit.__file__).parent.rglob(name))


@pytest.mark.parametrize("repair", REPAIRS, ids=lambda r: r.option)
def test_each_repair_is_an_option_documented_and_typed(repair):
    assert repair.option in Options._fields
    assert repair.option in OptionFields.__annotations__
    assert f"\n    {repair.option}: " in Options.__doc__
    assert Options._field_defaults[repair.option] in repair.values
    for value in repair.values:  # each value the tests try is one the options accept
        assert getattr(Options(**{repair.option: value}), repair.option) == value
    assert repair.mark in KINDS
    assert KIND_IDS[repair.mark] == repair.rule  # what --explain and --json say of it


@pytest.mark.parametrize("repair", REPAIRS, ids=lambda r: r.option)
def test_the_preview_names_and_colours_each_repairs_mark(repair):
    from translit.preview import KIND_NAMES, STYLES

    assert repair.mark in KIND_NAMES and repair.mark in STYLES


def test_the_legacy_fonts_the_tests_try_are_the_tables_in_data():
    legacy = next(r for r in REPAIRS if r.option == "legacy_font")
    tables = sorted(p.stem for p in (ROOT / "data" / "legacy").glob("*.tsv"))
    assert legacy.values == (None, *tables)


@pytest.mark.parametrize("repair", REPAIRS, ids=lambda r: r.option)
def test_each_repair_has_its_flag_in_the_help_and_the_readme(repair):
    from translit.cli.app import build_app
    from typer.testing import CliRunner

    help_text = CliRunner().invoke(build_app(), ["--help"], env={"COLUMNS": "100"}).output
    assert re.search(rf"{repair.flag}\b", help_text)
    assert repair.help.split()[0] in help_text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = f"{repair.flag} {repair.metavar}".strip()
    assert f"| `{shown}` |" in readme


@pytest.mark.parametrize("repair", REPAIRS, ids=lambda r: r.option)
def test_each_flag_sets_its_option_and_only_it(repair):
    import typer
    from translit.cli.app import build_app

    cli = typer.main.get_command(build_app())
    given = [repair.flag] + ([str(repair.values[-1])] if repair.metavar else [])
    default = cli.main(args=[], prog_name="translit", standalone_mode=False)
    request = cli.main(args=given, prog_name="translit", standalone_mode=False)
    chosen = request.settings.options
    expected = repair.values[-1] if repair.metavar else not Options._field_defaults[repair.option]
    assert getattr(chosen, repair.option) == expected
    assert chosen._replace(**{repair.option: Options._field_defaults[repair.option]}) == (
        default.settings.options)


def test_the_pipeline_order_composes_before_the_steps_that_read_composed_letters():
    # Composing runs once, between the two: a step that needs it comes after every other.
    after = [r.after_composing for r in REPAIRS]
    assert after == sorted(after)


@settings(max_examples=200, deadline=None)
@given(strategies.options, strategies.mixed_text)
def test_every_repair_but_composing_keeps_each_character_in_its_place(chosen, text):
    # What the fast engine relies on (its substitutions are one character for one).
    repairs = translit.get_transliterator(chosen).orthography.repairs
    for repair in repairs.active:
        assert len(repair.step(repairs, text)) == len(text), repair.option


@settings(max_examples=200, deadline=None)
@given(strategies.options, strategies.mixed_text)
def test_a_repair_changes_text_only_where_its_triggers_point(chosen, text):
    """The preview explains the words its triggers point at: a repair with triggers changes
    no character of a word none of them points at (one that crosses words has none)."""
    repairs = translit.get_transliterator(chosen).orthography.repairs
    for repair in repairs.active:
        if repair.triggers is None:
            assert repair.crosses_words
            continue
        trigger = re.compile(repair.triggers(repairs))
        pointed = set()
        for match in trigger.finditer(text):
            start = words.word_start(text, match.start())
            end = match.start() + 1
            while end < len(text) and words.is_word_char(text[end]):
                end += 1
            pointed.update(range(start, end))
        changed = repair.step(repairs, text)
        assert all(a == b or at in pointed for at, (a, b) in enumerate(zip(text, changed))), (
            repair.option)


def test_the_one_pass_is_used_only_with_repairs_it_does():
    for repair in REPAIRS:
        value = repair.values[-1]
        converter = translit.get_transliterator(Options(**{repair.option: value}))
        if fastpath.accelerator_available():
            assert (converter.direction.fast.one_pass((), False) is not None) == (
                repair.one_pass), repair.option


def test_the_crossing_repairs_make_the_preview_compare_between_words():
    from translit.preview import Marker

    for repair in REPAIRS:
        converter = translit.get_transliterator(Options(**{repair.option: repair.values[-1]}))
        crossing = any(r.crosses_words for r in converter.orthography.repairs.active)
        assert Marker(converter).cross_word == crossing


# --- the accelerator's character classes are the Python definitions ----------------------

def _c_source() -> str:
    return _package_file("_accel.c").read_text(encoding="utf-8")


def _define(source: str, name: str) -> int:
    match = re.search(rf"^#define {name} (0x[0-9a-f]+)\b", source, re.MULTILINE)
    assert match, name
    return int(match.group(1), 16)


def _ranges(char_class: str) -> list[tuple[int, int]]:
    """[(first, last)] of a regex class body of ranges and single characters."""
    return [(ord(m.group(1)), ord(m.group(2) or m.group(1)))
            for m in re.finditer(r"(.)(?:-(.))?", char_class, re.DOTALL)]


def test_the_accelerators_character_classes_are_the_python_definitions():
    source = _c_source()
    assert (_define(source, "CYRILLIC_FIRST"), _define(source, "CYRILLIC_LAST")) == (
        ord(words.CYRILLIC_FIRST), ord(words.CYRILLIC_LAST))
    assert (_define(source, "STAND_IN_FIRST"), _define(source, "STAND_IN_LAST")) == (
        fastpath.STAND_IN_FIRST, fastpath.STAND_IN_LAST)
    assert _define(source, "KEPT_MARK") == ord(fastpath.KEPT_MARK)
    assert _define(source, "SPAN") == fastpath._ONE_PASS_SPAN
    marks = re.search(r"combining_marks\[\]\[2\] = \{(.*?)\};", source, re.DOTALL)
    assert marks
    pairs = [(int(a, 16), int(b, 16))
             for a, b in re.findall(r"\{(0x[0-9a-f]+), (0x[0-9a-f]+)\}", marks.group(1))]
    assert pairs == _ranges(words.COMBINING_MARKS)
    # The look-alike letters: the macro's test, tried on every character it may see.
    test = re.search(r"#define IS_LOOKALIKE_LETTER\(c\) (.*)$", source, re.MULTILINE)
    assert test
    expression = (test.group(1).replace("(c)", "c").replace("&&", " and ")
                  .replace("||", " or "))
    for code in range(0x800):
        c_says = eval(expression.replace("'a'", "97").replace("'z'", "122"), {"c": code})
        assert bool(c_says) == bool(re.match(f"[{LOOKALIKE_LETTERS}]", chr(code))), hex(code)


def test_the_trigger_scans_read_one_definition():
    # The look-alikes' trigger is a Latin letter touching a Cyrillic letter; the preview,
    # the pipeline and the one pass read it from repairs.py.
    assert re.search(LOOKALIKE_TRIGGER, "Тo") and re.search(LOOKALIKE_TRIGGER, "oԀ")
    assert not re.search(LOOKALIKE_TRIGGER, "o ж")
    engine = translit.get_transliterator().orthography
    assert LOOKALIKE_TRIGGER in [p.pattern for p in fastpath.FastEngine(engine).decision_triggers]
    assert isinstance(engine.repairs, Repairs)
