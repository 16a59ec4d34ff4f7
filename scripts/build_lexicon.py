"""Build data/lexicon.tsv: the Latin words the Cyrillic direction's rules cannot spell.

    pip install pymorphy3 pymorphy3-dicts-ru uz-en-dictionary UzTransliterator wordfreq
    python scripts/build_lexicon.py            # writes data/lexicon.tsv (a minute or two)

Most of what Latin leaves ambiguous is Russian loanwords, which Uzbek Cyrillic spells as
Russian does (film → фильм, sirk → цирк, Evgeniy → Евгений); native words follow the
rules. So the lexicon is the forward rules run over Russian words, kept where the reverse
rules would spell the Latin otherwise:

* Russian: OpenCorpora's dictionary (CC BY-SA 3.0), as packaged by pymorphy3-dicts-ru:
  every noun form in the nominative singular (and names, surnames, patronymics,
  places). Each gets the Latin the forward rules give it, and the spellings the press
  uses beside it (е as e at a word's start, ц as ts, сентябрь without its exception).
* translit's own: data/cyrillic-words.tsv (ўъ in Arabic loans, a few names), first.
* Uzbek usage: UzTransliterator's list of Latin words with their Cyrillic (MIT), next.
* Uzbek words are protected: a Latin word that the Uzbek–English dictionary of
  uz-en-dictionary (MIT) lists with a sense that is not Russian (sol: to put; til: tongue)
  is left to the rules, so a rare Russian word (соль, тыл) cannot take its place; so is
  such a word with Uzbek endings (tilda, kelar, olgani) against a Russian word that is
  not common, and a word that is only Uzbek suffixes (dan, lar).
* Russian words are weighed by how common they are (wordfreq's Russian frequencies, MIT
  code, data CC BY-SA 4.0; only the numbers are used, no text is shipped): a rare word
  form (келарь, барыга) is left out, and where two Russian words share a Latin spelling
  (метр, мэтр) the more common wins, the rules' own spelling among them.
* Names (and surnames, places) are marked: they are matched only when capitalized.

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

from translit.directions import foreign  # noqa: E402
from translit.converter.transliterator import get_transliterator  # noqa: E402
from translit.engine.model import build_orthography  # noqa: E402
from translit.base.options import Options  # noqa: E402
from translit.engine.reference import ReferenceEngine  # noqa: E402
from translit.directions.reverse import CyrillicConverter, normalized, suffix_pattern  # noqa: E402
from translit.tables.rules import load_rule_table, normalize_apostrophes  # noqa: E402

OUT = ROOT / "data" / "lexicon.tsv"
ENGLISH_OUT = ROOT / "data" / "english.tsv"
ENGLISH_WORDS = 20_000  # the most common English words looked at

NAME_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad")
# How common a Russian word must be (wordfreq's Zipf scale: 3 is once in a million words)
# to be a loan worth a lexicon entry, and under which an Uzbek reading of the same Latin
# (til + da) is preferred.
MIN_ZIPF = 1.5
NATIVE_WINS_BELOW = 3.5
# Endings of Uzbek verbs and nouns (beside suffixes.tsv), to see an Uzbek word in a Latin
# one (kel + ar, ol + gani): translit.directions.foreign's, used here only to protect such words.
UZBEK_ENDINGS = foreign.UZBEK_ENDINGS


def forward_variants(word: str, transliterator, plain: ReferenceEngine,
                     is_name: bool = True) -> set[str]:
    """The Latin keys of a Cyrillic word: the official spelling and the press's.

    A press spelling is read as the word although translit itself writes it for another
    Cyrillic (abdullaev is also the Latin of абдуллаэв, which is no word); so that this
    stays out of the way of short words, a press spelling is a key only if it has five
    letters or more, and е as e at a word's start only in names (Evgeniy, not eda)."""
    official = transliterator.to_latin(word)
    keys = set()
    # е written e after a vowel (Alekseevna), and at a name's start (Evgeniy)
    start = r"(?:^|(?<=[аеёиоуэюяў]))" if is_name else r"(?<=[аеёиоуэюяў])"
    keys.add(transliterator.to_latin(re.sub(start + "е", "э", word)))
    # ц written ts everywhere (frantsuz, Frantsiya, tsirk)
    keys.add(transliterator.to_latin(word.replace("ц", "тс")))
    # the word without the forward exceptions (sentyabr beside sentabr)
    keys.add(plain.convert(word))
    keys = {k for k in keys if len(k) >= 5} | {official}
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


def translit_words() -> list[tuple[str, str, str]]:
    """data/cyrillic-words.tsv: (latin, cyrillic, match), written for translit."""
    rows = []
    for line in (ROOT / "data" / "cyrillic-words.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("latin\t"):
            latin, cyrillic, match = line.split("\t")[:3]
            rows.append((normalize_apostrophes(latin), cyrillic, match))
    return rows


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
        if pos == "ADJF" and not is_name:
            continue  # Uzbek writes its own -iy for Russian adjectives (fazoviy → фазовий)
        yield word, index == 0, is_name, pos


def main() -> None:
    start = time.time()
    # The rules are read without the English list this script makes (so that a second run
    # gives the same files).
    from translit.directions.latin import load_english_words

    ENGLISH_OUT.write_text("", encoding="utf-8")
    load_english_words.cache_clear()
    transliterator = get_transliterator()
    table = load_rule_table()
    plain = ReferenceEngine(build_orthography(dataclasses.replace(table, exceptions=()),
                                              Options()))
    rules = CyrillicConverter(Options(target="cyrillic"), transliterator.to_latin, lexicon={})
    native, russian_loans = uzbek_headwords()
    print(f"uz-en-dictionary: {len(native)} native headwords, {len(russian_loans)} Russian "
          "loans", file=sys.stderr)

    from wordfreq import zipf_frequency

    suffixes = suffix_pattern()

    def uzbek_reading(latin: str) -> bool:
        """Whether `latin` is an Uzbek word, or one with Uzbek endings (til + da)."""
        if latin in native or (suffixes.match(latin) and len(latin) <= 6):
            return True
        for size in range(2, len(latin)):
            if latin[:size] in native and UZBEK_ENDINGS.fullmatch(latin, size):
                return True
        return False

    # latin -> cyrillic -> (rank, how common, match, source)
    offers: dict[str, dict[str, tuple[int, float, str, str]]] = {}

    def offer(latin: str, cyrillic: str, match: str, source: str, rank: int) -> None:
        if len(latin) < 3 or not (suffixes.match(latin) is None or source == "uztransliterator"
                                  or len(latin) > 6):
            return
        common = zipf_frequency(cyrillic, "ru")
        if latin in native and source != "uztransliterator":
            return  # an Uzbek word: the rules', not a Russian look-alike's (til, not тыл)
        if match == "name" and (latin in russian_loans or re.search(r"[^аеёиоуыэюя]э", cyrillic)):
            return  # a name as an Uzbek word is spelled (Rus: рус), or Russian's э after a
            # consonant in a foreign name, which Uzbek writes е (Дэвид: Девид, as the rules)
        if source != "uztransliterator":
            if common < MIN_ZIPF:
                return  # a rare word form: more likely an Uzbek word than this loan
            if common < NATIVE_WINS_BELOW and uzbek_reading(latin):
                return
        held = offers.setdefault(latin, {}).get(cyrillic)
        if held is None or (rank, -common) < (held[0], -held[1]):
            offers[latin][cyrillic] = (rank, common, match, source)

    for latin, cyrillic, match in translit_words():
        offers.setdefault(latin, {})[cyrillic] = (-1, 9.0, match, "cyrillic-words.tsv")
    for latin, cyrillic in uztransliterator_pairs():
        offer(latin, cyrillic, "stem", "uztransliterator", 0)
        for key in forward_variants(cyrillic, transliterator, plain):
            offer(key, cyrillic, "stem", "uztransliterator", 0)
    counted = Counter()
    nominatives: set[str] = set()
    for word, is_lemma, is_name, pos in russian_words():
        counted[pos] += 1
        nominatives.add(word)
        rank = 1 if (is_lemma and not is_name) else 2 if is_name else 3
        match = "name" if is_name else "stem" if pos == "NOUN" else "word"
        for key in forward_variants(word, transliterator, plain, is_name):
            offer(key, word, match, "opencorpora", rank - 1 if key in russian_loans else rank)

    chosen: dict[str, tuple[str, str, str]] = {}  # latin -> (cyrillic, match, source)
    by_rules = 0
    for latin, candidates in offers.items():
        best = min(candidates, key=lambda c: (candidates[c][0], -candidates[c][1]))
        rank, common, match, source = candidates[best]
        spelled = rules.word(normalized(latin))
        if spelled == best:
            continue
        trusted = source in ("uztransliterator", "cyrillic-words.tsv")
        if not trusted and spelled in nominatives and zipf_frequency(spelled, "ru") >= common:
            by_rules += 1
            continue  # the rules' spelling is the more common Russian word (метр, not мэтр)
        if match == "name" and source != "cyrillic-words.tsv" and any(
                candidates[c][2] != "name" for c in candidates):
            match = "stem"  # a name that is also a common noun (Roza, роза)
        chosen[latin] = (best, match, source)
    # An Uzbek word that would be read as a stem of the lexicon and a suffix (neki: nek + i)
    # gets an entry of its own, spelled by the rules.
    protected = 0
    for word in sorted(native):
        if len(word) < 4 or word in chosen or not word.isalpha():
            continue
        for size in range(len(word) - 1, 2, -1):
            held = chosen.get(word[:size])
            if held is not None and held[1] == "stem" and suffixes.match(word, size):
                chosen[word] = (rules.word(word), "word", "uz-en-dictionary")
                protected += 1
                break
    print(f"{protected} Uzbek words protected from a stem", file=sys.stderr)
    write_english(native, uzbek_reading, set(offers), nominatives, rules)
    print(f"{by_rules} left to the rules, whose spelling is a more common word", file=sys.stderr)
    with open(OUT, "w", encoding="utf-8", newline="\n") as out:
        out.write("# The lexicon of the Cyrillic direction: Latin words the rules of cyrillic.tsv\n"
                  "# would spell otherwise. Made by scripts/build_lexicon.py from OpenCorpora's\n"
                  "# Russian dictionary (CC BY-SA 3.0, https://opencorpora.org; as packaged by\n"
                  "# pymorphy3-dicts-ru), UzTransliterator's word list (MIT) and the headwords of\n"
                  "# uz-en-dictionary (MIT), weighed by wordfreq (CC BY-SA 4.0); this file is\n"
                  "# therefore under CC BY-SA 4.0. Do not edit: change the script or add your own\n"
                  "# exceptions. match: stem (Uzbek suffixes may follow), word, or name (a stem\n"
                  "# matched only when capitalized).\n")
        out.write("latin\tcyrillic\tmatch\tsource\n")
        for latin in sorted(chosen):
            cyrillic, match, source = chosen[latin]
            out.write(f"{latin}\t{cyrillic}\t{match}\t{source}\n")
    print(f"{len(chosen)} entries (Russian forms read: {dict(counted)}) in "
          f"{time.time() - start:.0f} s -> {OUT}",
          file=sys.stderr)


def write_english(native: set[str], uzbek_reading, loans: set[str], nominatives: set[str],
                  rules: CyrillicConverter) -> None:
    """data/english.tsv: common English words that are neither Uzbek nor Russian loans, to
    stay Latin in Cyrillic text (Update, share, True). An English word that Uzbek also
    has (men, tan, bet), that a Russian loan spells so (test, plan) or whose Cyrillic
    reading is a word of Russian text (Karim: Карим) is left out."""
    from wordfreq import top_n_list, zipf_frequency

    russian_letters = str.maketrans("ҳқғўъ", "хкгуъ")
    kept = []
    for word in top_n_list("en", ENGLISH_WORDS):
        if len(word) < 3 or not word.isascii() or not word.isalpha():
            continue
        if len(word) <= 4 and zipf_frequency(word, "en") < 4.0:
            continue  # short and rare: as likely Uzbek (yin, taj)
        if word in native or word in loans or uzbek_reading(word):
            continue
        cyrillic = rules.word(word)
        russian = cyrillic.translate(russian_letters)
        if cyrillic in nominatives or max(zipf_frequency(cyrillic, "ru"),
                                          zipf_frequency(russian, "ru")) >= 1.5:
            continue  # also a word of Russian text, a name (Muhammad: Мухаммад)
        kept.append(word)
    with open(ENGLISH_OUT, "w", encoding="utf-8", newline="\n") as out:
        out.write("# English words that stay Latin in Cyrillic text, in any case. Made by\n"
                  "# scripts/build_lexicon.py from wordfreq's list of common English words\n"
                  "# (CC BY-SA 4.0), without the words Uzbek or its Russian loans spell so;\n"
                  "# this file is under CC BY-SA 4.0. Do not edit: add to latin-words.tsv.\n")
        out.write("".join(word + "\n" for word in kept))
    print(f"{len(kept)} English words -> {ENGLISH_OUT}", file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("TRANSLIT_PURE", "")
    main()
