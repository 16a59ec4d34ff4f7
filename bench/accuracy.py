"""Accuracy on text published in both scripts, and what the remaining differences are.

    python bench/accuracy.py            # scores + classes of the remaining differences

The gold pairs belong to their authors: they are read from ../shared/gold at run time and
never copied here. Scores come from ../shared/gold/score.py (apostrophe variants are
compared as one). Each remaining word difference is put in a class, and each class is
marked as this converter's job or as the source editors' own choice.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE.parent.parent / "shared" / "gold"
PYTHON = sys.executable
TRANSLIT = [str(Path(PYTHON).parent / "translit")]
NAIVE = [PYTHON, str(HERE / "naive_map.py"), "/dev/stdin", "/dev/stdout"]

# (class, whose job, test on the differing pieces of our word and the reference word)
EDITORIAL = "source's choice"
CLASSES = [
    ("ц written ts after a consonant or at a word's edge (pre-1995 spelling; R4 says s)",
     EDITORIAL, lambda ours, ref: "ts" in ref.lower()
     and ref.lower().replace("ts", "s") == ours.lower().replace("ts", "s")),
    ("е written e where R2 says ye (Evgeniy, Alekseevna)", EDITORIAL,
     lambda ours, ref: any(o.lower().endswith("y") and r == "" or (o, r) in (("Ye", "E"), ("ye", "e"), ("YE", "E"))
                           for o, r in ours_ref_pieces(ours, ref))),
    ("сентябрь/октябрь kept as sentyabr/oktyabr (against the official exception)", EDITORIAL,
     lambda ours, ref: re.search(r"(?i)(sent|okt)abr", ours) and re.search(r"(?i)(sent|okt)yabr", ref)),
    ("ъ written ʼ before е ё ю я (sʼezd; R5.2 drops it)", EDITORIAL,
     lambda ours, ref: ("y", "'") in ours_ref_pieces(ours, ref)
     or ("'" in ref and ref.replace("'", "") == ours)),
    ("сҳ written sh without R7's tutuq (mas'haralab → masharalab)", EDITORIAL,
     lambda ours, ref: "s'h" in ours.lower() and ours.replace("'", "") == ref),
    ("capitals: AQSh, YuNESKO in all-caps words (our --capitals title)", EDITORIAL,
     lambda ours, ref: ours.lower() == ref.lower()),
    ("particles -da -chi -ku -u -yu written with a hyphen (needs morphology; not transliteration)",
     EDITORIAL, lambda ours, ref: ref.replace("-", "") == ours and not ref[:1].isdigit()),
    ("hyphen after ordinal numbers: 2017-yil (our --ordinal-dates; the set is inconsistent)",
     EDITORIAL, lambda ours, ref: ref[:1].isdigit() and ref.replace("-", " ") == ours),
    ("ь or ё/ю/я as in a Russian dictionary (Vasilevich, valuta, Losa)", EDITORIAL,
     lambda ours, ref: any(o in ("y", "yu", "yo", "ya", "Yo") and r in ("", "u", "o", "a")
                           for o, r in ours_ref_pieces(ours, ref))),
    ("a stray space in the source's Latin (No' mon)", EDITORIAL,
     lambda ours, ref: ref.replace(" ", "") == ours),
    ("ы written y (R8: i); a Latin C typed as Cyrillic С in the source (СNN)", EDITORIAL,
     lambda ours, ref: any(p in (("i", "y"), ("s", "c"), ("S", "C")) for p in ours_ref_pieces(ours, ref))),
]
APOSTROPHES = re.compile("['\u2018\u2019`\u02bb\u02bc\u00b4\u02b9\u2032]")
WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*'?")


def ours_ref_pieces(ours: str, ref: str) -> list[tuple[str, str]]:
    matcher = difflib.SequenceMatcher(a=ours, b=ref, autojunk=False)
    return [(ours[a1:a2], ref[b1:b2]) for op, a1, a2, b1, b2 in matcher.get_opcodes()
            if op != "equal"]


def normalise(text: str) -> str:
    return " ".join(APOSTROPHES.sub("'", unicodedata.normalize("NFC", text)).split())


def read_pairs(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cyrillic, latin = line.split("\t")
            pairs.append((cyrillic, latin))
    return pairs


def convert(command: list[str], lines: list[str]) -> list[str]:
    data = "".join(line + "\n" for line in lines).encode()
    out = subprocess.run(command, input=data, capture_output=True, check=True).stdout
    return out.decode().split("\n")[: len(lines)]


def score(path: Path, command: list[str]) -> str:
    result = subprocess.run([PYTHON, str(GOLD / "score.py"), str(path), "--", *command],
                            capture_output=True, text=True, check=True)
    line = result.stdout.strip().splitlines()[-1]
    found = re.search(r"segment accuracy ([\d.]+)%.*word accuracy ([\d.]+)%", line)
    return f"{found.group(1)}% | {found.group(2)}%"


def differences(path: Path, command: list[str]) -> collections.Counter:
    pairs = read_pairs(path)
    ours = convert(command, [c for c, _ in pairs])
    found: collections.Counter = collections.Counter()
    for (_, ref), hyp in zip(pairs, ours):
        ref_words, our_words = WORD.findall(normalise(ref)), WORD.findall(normalise(hyp))
        matcher = difflib.SequenceMatcher(a=our_words, b=ref_words, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op != "equal":
                found[classify(" ".join(our_words[a1:a2]), " ".join(ref_words[b1:b2]))] += 1
    return found


def classify(ours: str, ref: str) -> tuple[str, str]:
    for name, whose, test in CLASSES:
        if test(ours, ref):
            return name, whose
    return "other (read them with score.py -n)", "to check"


def show_other(path: Path, count: int) -> None:
    """Print differences that fall in no class (for reading, not for the README)."""
    pairs = read_pairs(path)
    ours = convert(TRANSLIT, [c for c, _ in pairs])
    for (_, ref), hyp in zip(pairs, ours):
        ref_words, our_words = WORD.findall(normalise(ref)), WORD.findall(normalise(hyp))
        matcher = difflib.SequenceMatcher(a=our_words, b=ref_words, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            pair = (" ".join(our_words[a1:a2]), " ".join(ref_words[b1:b2]))
            if op != "equal" and classify(*pair)[1] == "to check" and count > 0:
                print(f"{pair[0]!r} -> {pair[1]!r}")
                count -= 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--other", type=int, default=0, metavar="N",
                        help="print N unclassified differences of the prose set and stop")
    args = parser.parse_args()
    if args.other:
        show_other(GOLD / "prose.tsv", args.other)
        return
    sets = [GOLD / "prose.tsv", GOLD / "installer-messages.tsv"]
    print("| set | converter | segment accuracy | word accuracy |\n|---|---|---:|---:|")
    for path in sets:
        for name, command in (("naive letter map", NAIVE), ("translit", TRANSLIT),
                              ("translit --capitals title", TRANSLIT + ["--capitals", "title"])):
            print(f"| {path.stem} | {name} | {score(path, command)} |")
    for path in sets:
        counts = differences(path, TRANSLIT)
        print(f"\nRemaining differences in {path.stem} (runs of differing words):\n")
        print("| class | whose job | count |\n|---|---|---:|")
        for (name, whose), count in counts.most_common(args.top):
            print(f"| {name} | {whose} | {count} |")


if __name__ == "__main__":
    main()
