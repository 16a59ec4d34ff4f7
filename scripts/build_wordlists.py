"""Build the word lists by which the Cyrillic direction decides what stays Latin.

    pip install uz-en-dictionary wordfreq pymorphy3 pymorphy3-dicts-ru
    python scripts/build_wordlists.py       # writes the two files below (seconds)

* data/uzbek-words.tsv: the headwords of uz-en-dictionary (MIT), Uzbek words and the
  Russian loans Uzbek uses, in small letters with ʻ ʼ; a headword written with optional
  letters, ``agar(da/chi)``, gives each spelling. With data/suffixes.tsv they are the
  evidence that a Latin word is Uzbek (kitob, kitoblarimizda): such a word is never
  kept Latin as part of a foreign phrase.
* data/english-phrase.tsv: the 20,000 most common English words of wordfreq (data CC BY-SA
  4.0) that data/english.tsv leaves out because Uzbek or Russian may spell them so (open,
  file, it, the, and): they stay Latin only in a run of foreign words (Open the file and
  save it), never alone. Left out: two-letter words but English's commonest (bu, da), and
  a word whose Cyrillic reading is a Russian word or name of OpenCorpora's dictionary
  (CC BY-SA 3.0) more common in Russian than in English (modem, Putin).

No text of ../shared/gold is read: it is evaluation data.
"""

from __future__ import annotations

import glob
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translit.tables.rules import normalize_apostrophes  # noqa: E402

ENGLISH_WORDS = 20_000
# Uzbek's own short words, which a dictionary's headwords leave out (pronouns and their
# cases, particles, conjunctions, postpositions): written for translit from the grammar.
FUNCTION_WORDS = """
men sen u biz siz ular bu shu oʻsha ana mana mening sening uning bizning sizning
ularning meni seni uni bizni sizni ularni menga senga unga bizga sizga ularga mendan
sendan undan bizdan sizdan ulardan menda senda unda bizda sizda ularda buni bunga bundan
bunda buning shuni shunga shundan shunda shuning va yoki ham lekin ammo biroq balki
chunki agar garchi bilan uchun kabi singari sari tomon qadar toʻgʻri haqida orqali
boʻyicha keyin oldin soʻng emas edi ekan emish esa da chi ku mi yu u oq gina dir-ku bor
yoʻq deb har hech nima kim qaysi qanday qachon qayerda qayer nega nechta necha qancha
hamma barcha butun ba'zi
""".split()  # noqa: SIM905
UZBEK_OUT = ROOT / "data" / "uzbek-words.tsv"
SHORT_ZIPF = 5.0  # a two-letter English word this common (of, to, it, hi) or more
RUSSIAN_ZIPF = 2.5  # a Cyrillic reading this common in Russian (zipf) is a Russian word
PHRASE_OUT = ROOT / "data" / "english-phrase.tsv"


def spellings(headword: str) -> set[str]:
    """The spellings a headword stands for: agar(da/chi) → agar, agarda, agarchi."""
    headword = headword.strip().strip("\ufeff").lower().rstrip(".;+?")
    found = re.fullmatch(r"([a-zʻʼ'`’‘]+)(?:\(([a-zʻʼ'`’‘/]+)\))?([a-zʻʼ'`’‘]*)", headword)
    if found is None:
        return set()
    head, optional, tail = found.groups()
    forms = {head + tail}
    for part in (optional or "").split("/"):
        if part:
            forms.add(head + part + tail)
    return {normalize_apostrophes(form) for form in forms}


def uzbek_words() -> set[str]:
    import uz_en_dictionary

    folder = Path(uz_en_dictionary.__file__).parent / "database" / "uz-en"
    words: set[str] = set()
    for path in sorted(glob.glob(str(folder / "*.json"))):
        with open(path, encoding="utf-8-sig") as handle:
            pairs = json.load(handle, object_pairs_hook=lambda p: p)
        for key, _ in pairs:
            words |= spellings(key)
    words |= {normalize_apostrophes(w) for w in FUNCTION_WORDS}
    return {w for w in words if len(w) > 1 or w in ("u", "a", "e", "i", "o")}


def main() -> None:
    from wordfreq import top_n_list, zipf_frequency

    from translit.converter.transliterator import get_transliterator
    from translit.base.options import Options

    uzbek = uzbek_words()
    with open(UZBEK_OUT, "w", encoding="utf-8", newline="\n") as out:
        out.write("# Uzbek words (and the Russian loans Uzbek uses): the headwords of\n"
                  "# uz-en-dictionary (MIT), made by scripts/build_wordlists.py. Evidence that\n"
                  "# a Latin word is Uzbek (with data/suffixes.tsv): it never stays Latin in a\n"
                  "# foreign phrase. Do not edit: change the script.\n")
        out.write("".join(word + "\n" for word in sorted(uzbek)))
    alone = {line.strip() for line in (ROOT / "data" / "english.tsv").read_text(
        encoding="utf-8").splitlines() if line and not line.startswith("#")}
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    to_cyrillic = get_transliterator(Options(target="cyrillic")).convert
    phrase = []
    for word in top_n_list("en", ENGLISH_WORDS):
        if not (word.isascii() and word.isalpha() and len(word) > 1) or word in alone:
            continue
        if len(word) <= 2 and zipf_frequency(word, "en") < SHORT_ZIPF:
            continue  # short and not among English's commonest: as likely Uzbek (bu, da)
        cyrillic = to_cyrillic(word)
        russian = zipf_frequency(cyrillic, "ru")
        if len(word) > 2 and morph.word_is_known(cyrillic) and russian >= max(RUSSIAN_ZIPF,
                                                             zipf_frequency(word, "en")):
            continue  # also a Russian word or name, more common in Russian, which Uzbek
            # Cyrillic spells so (modem, Putin, Vladimir)
        phrase.append(word)
    with open(PHRASE_OUT, "w", encoding="utf-8", newline="\n") as out:
        out.write("# English words that stay Latin only in a run of foreign words (Open the\n"
                  "# file and save it), never alone: wordfreq's most common English words (CC\n"
                  "# BY-SA 4.0) that data/english.tsv leaves out. Made by\n"
                  "# scripts/build_wordlists.py; this file is under CC BY-SA 4.0.\n")
        out.write("".join(word + "\n" for word in phrase))
    print(f"{len(uzbek)} Uzbek words -> {UZBEK_OUT}; {len(phrase)} English words -> "
          f"{PHRASE_OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
