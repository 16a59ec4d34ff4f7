"""Build data/lexicon.tsv: the Latin words the Cyrillic direction's rules cannot spell.

    pip install pymorphy3 pymorphy3-dicts-ru uz-en-dictionary UzTransliterator
    python scripts/build_lexicon.py            # writes data/lexicon.tsv (a minute or two)

Most of what Latin leaves ambiguous is Russian loanwords, which Uzbek Cyrillic spells as
Russian does (film → фильм, sirk → цирк, Evgeniy → Евгений); native words follow the
rules. So the lexicon is the forward rules run over Russian words, kept where the reverse
rules would spell the Latin otherwise:

* Russian: OpenCorpora's dictionary (CC BY-SA 3.0), as packaged by pymorphy3-dicts-ru:
  every word form in the nominative (nouns, names, surnames, patronymics, places,
  adjectives). Each gets the Latin the forward rules give it, and the spellings the press
  uses beside it (е as e at a word's start, ц as ts, сентябрь without its exception).
* Uzbek usage: UzTransliterator's list of Latin words with their Cyrillic (MIT), first.
* Uzbek words are protected: a Latin word that the Uzbek–English dictionary of
  uz-en-dictionary (MIT) lists with a sense that is not Russian (sol: to put; til: tongue)
  is left to the rules, so a rare Russian word (соль, тыл) cannot take its place.

No text of ../shared/gold is read: it is evaluation data.
"""

from __future__ import annotations

import csv
import dataclasses
import glob
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translit.engine import get_transliterator  # noqa: E402
from translit.model import build_orthography  # noqa: E402
from translit.options import Options  # noqa: E402
from translit.reference import ReferenceEngine  # noqa: E402
from translit.reverse import CyrillicConverter, normalized  # noqa: E402
from translit.rules import load_rule_table, normalize_apostrophes  # noqa: E402

OUT = ROOT / "data" / "lexicon.tsv"
NAME_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad")
KEPT_TAGS = ("NOUN", "ADJF") + NAME_TAGS


def forward_variants(word: str, transliterator, plain: ReferenceEngine) -> set[str]:
    """The Latin keys of a Cyrillic word: the official spelling and the press's."""
    keys = {transliterator.to_latin(word)}
    # е written e at a word's start and after a vowel (Evgeniy, Alekseevna)
    keys.add(transliterator.to_latin(re.sub(r"(?:^|(?<=[аеёиоуэюяў]))е", "э", word)))
    # ц written ts everywhere (frantsuz, Frantsiya, tsirk)
    keys.add(transliterator.to_latin(word.replace("ц", "тс")))
    # the word without the forward exceptions (sentyabr beside sentabr)
    keys.add(plain.convert(word))
    return {normalize_apostrophes(k) for k in keys if k and "-" not in k and " " not in k}


def uzbek_headwords() -> tuple[set[str], set[str]]:
    """(native, russian): Latin headwords of uz-en-dictionary with a sense that is not
    Russian, and those whose only senses are Russian loans."""
    import uz_en_dictionary

    folder = Path(uz_en_dictionary.__file__).parent / "database" / "uz-en"
    senses: dict[str, list[str]] = {}
    for path in sorted(glob.glob(str(folder / "*.json"))):
        with open(path, encoding="utf-8-sig") as handle:
            pairs = json.load(handle, object_pairs_hook=lambda p: p)
        for key, value in pairs:
            word = normalize_apostrophes(key.strip().lower())
            senses.setdefault(word, []).append(str(value))
    native = {w for w, s in senses.items() if any("(Russian)" not in v for v in s)}
    russian = {w for w, s in senses.items() if all("(Russian)" in v for v in s)}
    return native, russian


def uztransliterator_pairs() -> list[tuple[str, str]]:
    import UzTransliterator

    path = Path(UzTransliterator.__file__).parent / "cyr_exwords.csv"
    with open(path, encoding="utf-8") as handle:
        return [(normalize_apostrophes(row[0].strip().lower()), row[1].strip().lower())
                for row in csv.reader(handle) if len(row) >= 2 and row[0].strip()]


def russian_words():
    """(word, is_lemma, is_name, pos) of the nominative forms of OpenCorpora."""
    import pymorphy3

    dictionary = pymorphy3.MorphAnalyzer().dictionary
    tags: dict[tuple[int, int], str] = {}
    for word, (paradigm, index) in dictionary.words.iteritems():
        key = (paradigm, index)
        tag = tags.get(key)
        if tag is None:
            tag = tags[key] = str(dictionary.build_tag_info(paradigm, index))
        pos = tag.split(",", 1)[0].split(" ", 1)[0]
        if pos not in ("NOUN", "ADJF") or "nomn" not in tag or "plur" in tag:
            continue  # Uzbek adds its own plural (-lar): the singular is the loan
        is_name = any(t in tag for t in NAME_TAGS)
        if pos == "ADJF" and not is_name and index:
            continue  # of adjectives, only the lemma (masculine singular)
        yield word, index == 0, is_name, pos


def main() -> None:
    start = time.time()
    transliterator = get_transliterator()
    table = load_rule_table()
    plain = ReferenceEngine(build_orthography(dataclasses.replace(table, exceptions=()),
                                              Options()))
    rules = CyrillicConverter(Options(target="cyrillic"), transliterator.to_latin, lexicon={})
    native, russian_loans = uzbek_headwords()
    print(f"uz-en-dictionary: {len(native)} native headwords, {len(russian_loans)} Russian "
          "loans", file=sys.stderr)

    chosen: dict[str, tuple[str, str, str, int]] = {}  # latin -> (cyrillic, match, source, rank)
    ambiguous: set[str] = set()

    def offer(latin: str, cyrillic: str, match: str, source: str, rank: int) -> None:
        if len(latin) < 3 or latin in ambiguous:
            return
        if rules.word(normalized(latin)) == cyrillic:
            return  # the rules spell it already
        if latin in native and source != "uztransliterator":
            return  # an Uzbek word: the rules', not a Russian look-alike's
        held = chosen.get(latin)
        if held is None or rank < held[3]:
            chosen[latin] = (cyrillic, match, source, rank)
        elif rank == held[3] and held[0] != cyrillic:
            ambiguous.add(latin)
            del chosen[latin]

    for latin, cyrillic in uztransliterator_pairs():
        offer(latin, cyrillic, "stem", "uztransliterator", 0)
        for key in forward_variants(cyrillic, transliterator, plain):
            offer(key, cyrillic, "stem", "uztransliterator", 0)
    counted = Counter()
    for word, is_lemma, is_name, pos in russian_words():
        counted[pos] += 1
        rank = 1 if is_name else 2 if is_lemma else 3
        match = "stem" if pos == "NOUN" or is_name else "word"
        for key in forward_variants(word, transliterator, plain):
            loan = key in russian_loans
            offer(key, word, match, "opencorpora", rank - 1 if loan else rank)
    with open(OUT, "w", encoding="utf-8", newline="\n") as out:
        out.write("# The lexicon of the Cyrillic direction: Latin words the rules of cyrillic.tsv\n"
                  "# would spell otherwise. Made by scripts/build_lexicon.py from OpenCorpora's\n"
                  "# Russian dictionary (CC BY-SA 3.0, https://opencorpora.org; as packaged by\n"
                  "# pymorphy3-dicts-ru) and UzTransliterator's word list (MIT); this file is\n"
                  "# therefore under CC BY-SA 3.0. Do not edit: change the script or add your own\n"
                  "# exceptions. match: stem (Uzbek suffixes may follow) or word.\n")
        out.write("latin\tcyrillic\tmatch\tsource\n")
        for latin in sorted(chosen):
            cyrillic, match, source, _ = chosen[latin]
            out.write(f"{latin}\t{cyrillic}\t{match}\t{source}\n")
    print(f"{len(chosen)} entries ({len(ambiguous)} ambiguous left to the rules; Russian "
          f"forms read: {dict(counted)}) in {time.time() - start:.0f} s -> {OUT}",
          file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("TRANSLIT_PURE", "")
    main()
