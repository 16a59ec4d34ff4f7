"""Hypothesis strategies for Uzbek-like text, shared by the property tests."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

KEEP_LIST = Path(__file__).parent / "cases" / "keep.txt"

LOWER = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяўқғҳ"
UZBEK_LETTERS = LOWER + LOWER.upper()
LOOKALIKES = "AaBCcEeHKMOoPpTXxy"
OTHER_LATIN = "dfgijlnqrsuvwzDGIQRSZéüñ"
MARKS = "\u0306\u0308\u0301"  # breve and diaeresis compose й ў ё; the acute composes nothing here
PUNCTUATION = " .,;:!?-–—«»“”'’ʻʼ()/\t"
LINE_BREAKS = ["\n", "\r\n", "\r"]
STEMS = ["сентябр", "Октябр", "БЮДЖЕТ", "мещан", "фляга", "актёр", "Исҳоқ", "ъе", "ьо",
         "1995 йил", "24 август", "60 йиллар", "ма'но", "https://gov.uz/янги", " али@почта.уз"]
# Material for the opt-in repairs: legacy font letters next to Latin ones.
LEGACY = ["Єa", "a²", "ЄАБУЛ", "іі"]
ODD = "\u00a0\u00ad\ufeff\ufffd\U0001f600\u4e2d\uf300\uf301\uf3ff\x00\x01\u0400\u0500"



def nothing_to_respell(text: str) -> bool:
    """No word of the 2026 Latin alphabet (ö ğ ş ç, or Ishoq) that the 1995 target respells."""
    from translit.directions.latin import To1995
    from translit.base.options import Options

    return not To1995(Options()).needed(text)


def context_letters() -> str:
    """Letters whose rules have contexts, the letters their contexts name (a few of each
    class), and the letters written with two Latin letters (whose capitals depend on their
    neighbours): read from the rule table, so that a rule on a new letter is exercised and
    every context of the table turns up often in a short text."""
    from translit.tables.rules import load_rule_table

    letters: dict[str, None] = {}
    for rule in load_rule_table().rules:
        if len(rule.latin.replace("ʻ", "")) > 1:
            letters[rule.letter] = None
        for context in (rule.before, rule.after):
            if context is None:
                continue
            letters[rule.letter] = None
            if context.letters:
                members = sorted(context.letters)
                step = max(1, len(members) // 5)  # a spread of a large class
                letters.update(dict.fromkeys(members[::step]))
    return "".join(letters)


CONTEXT_LETTERS = context_letters()


@st.composite
def cased_word(draw) -> str:
    word = draw(st.text(CONTEXT_LETTERS, min_size=1, max_size=7))
    style = draw(st.sampled_from(["lower", "upper", "title", "mixed"]))
    if style == "upper":
        return word.upper()
    if style == "title":
        return word[:1].upper() + word[1:]
    if style == "mixed":
        flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
        return "".join(c.upper() if flip else c for c, flip in zip(word, flips))
    return word


context_text = st.lists(
    st.one_of(cased_word(), st.sampled_from(STEMS + [" ", "-", ".", "\n", "1", "x", "ʼ"])),
    max_size=25,
).map("".join)

uzbek_text = st.lists(
    st.one_of(
        st.text(UZBEK_LETTERS, min_size=1, max_size=8),
        st.sampled_from(STEMS),
        st.text(PUNCTUATION + "0123456789", min_size=1, max_size=3),
        st.sampled_from(LINE_BREAKS),
    ),
    max_size=30,
).map("".join)

mixed_text = st.lists(
    st.one_of(
        st.text(UZBEK_LETTERS + LOOKALIKES + OTHER_LATIN + MARKS + PUNCTUATION, max_size=10),
        st.sampled_from(STEMS + LEGACY + LINE_BREAKS + list(ODD)),
        st.text(max_size=4),
    ),
    max_size=30,
).map("".join)

any_text = st.text(st.characters(exclude_categories=()), max_size=60)

# Every combination of the options that change what a conversion looks at (the default
# alone would hide a rule that reads across words, as it once did); each repair's option
# takes every value its entry of the registry names (translit.engine.repairs.REPAIRS).
def _options(target, apostrophe, capitals, contested, addresses, keep, repairs):
    from translit import Options

    return Options(target=target, apostrophe=apostrophe, capitals=capitals,
                   contested_exceptions=contested, keep_addresses=addresses, keep=keep, **repairs)


def _repair_values():
    from translit.engine.repairs import REPAIRS

    return st.fixed_dictionaries({r.option: st.sampled_from(r.values) for r in REPAIRS})


options = st.builds(
    _options,
    st.sampled_from(["latin", "latin2026", "cyrillic"]),  # every direction
    st.sampled_from(["official", "ascii", "typographic"]),
    st.sampled_from(["upper", "title"]),
    st.booleans(),
    st.booleans(),
    st.sampled_from([(), (KEEP_LIST,)]),
    st.deferred(_repair_values),
)

# Text rich in what the cross-word options read: numbers before years and months, spans of
# years, apostrophes between Cyrillic letters.
DATES = ["https://", "www.", "gov.uz/", "@", "али@почта.уз", "@ном", ".", "/",
         "1995", "24", "30", "60", "2026", "1", " ", "  ", "йил", "йиллар", "йилларда", "олдин",
         "август", "сентябрда", "май", "майдон", "'", "’", "ʼ", "ма", "но", "Ѐ", "-", ".", "\n",
         "Ма", "НО", "э", "лон", "-{", "}-", "Газпром", "«", "»", "Бош вазир"]
cross_word_text = st.lists(st.one_of(st.sampled_from(DATES), context_text), max_size=30).map(
    "".join)
