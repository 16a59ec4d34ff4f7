"""Accuracy of the Cyrillic direction, and how often Cyrillic text comes back.

    python bench/reverse_accuracy.py        # a Markdown table (a minute)

1. Latin → Cyrillic: the Latin side of each gold set piped through ``translit --to
   cyrillic`` and scored against the published Cyrillic by ../shared/gold/score.py
   --reverse (the same sets as the forward direction: the settled spec cases, prose,
   installer messages).
2. The round trip of Cyrillic text: the Cyrillic side through ``translit`` and back through
   ``translit --to cyrillic``, scored against itself (how often
   ``to_cyrillic(to_latin(c)) == c``).

The gold text is read from ../shared/gold at run time (and a temporary file of pairs is
made outside the repository); none of it is copied here.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("TRANSLIT_SHARED", HERE.parent.parent / "shared"))  # ../shared, or set
SCORE = SHARED / "gold" / "score.py"
SETS = [("settled spec cases", SHARED / "cases" / "orthography.tsv", "segment"),
        ("prose", SHARED / "gold" / "prose.tsv", "word"),
        ("installer messages", SHARED / "gold" / "installer-messages.tsv", "word")]
TRANSLIT = str(Path(sys.executable).parent / "translit")
TOTAL = re.compile(r"TOTAL: segments \d+\s+segment accuracy ([\d.]+)%\s+words \d+\s+"
                   r"word accuracy ([\d.]+)%")


def score(pairs: Path, command: list[str]) -> tuple[float, float]:
    """(segment accuracy, word accuracy) of `command` on `pairs`, Latin → Cyrillic."""
    result = subprocess.run([sys.executable, str(SCORE), str(pairs), "--reverse", "--",
                             *command], capture_output=True, text=True, check=True)
    found = TOTAL.search(result.stdout + result.stderr)
    if found is None:
        raise SystemExit(f"score.py said: {result.stdout}{result.stderr}")
    return float(found.group(1)), float(found.group(2))


def cyrillic_both_sides(pairs: Path, folder: Path) -> Path:
    """A pairs file whose Latin column is the Cyrillic (so that --reverse pipes it)."""
    rows = []
    for line in pairs.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if not line.strip() or line.startswith("#") or len(cells) < 2:
            continue
        if len(cells) > 2 and (cells[0] == "cyrillic" or cells[2] == "uncertain"):
            continue
        rows.append(f"{cells[0]}\t{cells[0]}")
    path = folder / pairs.name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def main() -> None:
    forward = f"{shlex.quote(TRANSLIT)} | {shlex.quote(TRANSLIT)} --to cyrillic"
    print("| | " + " | ".join(name for name, _, _ in SETS) + " |")
    print("|---|" + "---:|" * len(SETS))
    reverse = [score(path, [TRANSLIT, "--to", "cyrillic"]) for _, path, _ in SETS]
    print("| translit, Latin → Cyrillic | " + " | ".join(
        f"{s:.2f}% exact" if kind == "segment" else f"{w:.2f}% of words"
        for (s, w), (_, _, kind) in zip(reverse, SETS)) + " |")
    with tempfile.TemporaryDirectory() as folder:
        back = [score(cyrillic_both_sides(path, Path(folder)), ["sh", "-c", forward])
                for _, path, _ in SETS]
    print("| Cyrillic → Latin → Cyrillic, unchanged | " + " | ".join(
        f"{s:.2f}% of segments, {w:.2f}% of words" for s, w in back) + " |")


if __name__ == "__main__":
    main()
