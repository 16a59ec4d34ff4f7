"""Accuracy of Latin → Cyrillic on gettext catalogues that exist in both alphabets.

    python bench/catalogue_accuracy.py DIR [DIR ...]

Each DIR (or a folder below it) holds a catalogue's two translations, ``NAME.uz.po`` (Latin)
and ``NAME.uz@cyrillic.po`` (Cyrillic), or ``uz.po`` and ``uz@cyrillic.po``. The entries
translated in both (same msgctxt and msgid, not fuzzy) are paired, each line of a message
a segment, and scored by ../shared/gold/score.py --reverse: the Latin piped through
``translit --to cyrillic``, the published Cyrillic expected. The catalogues are read where
they are: none of their text is copied into the repository.

Pairs whose two sides do not have the same number of lines, or whose Latin side holds
Cyrillic letters (an untranslated or mixed entry), are left out.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("TRANSLIT_SHARED", HERE.parent.parent / "shared"))
SCORE = SHARED / "gold" / "score.py"
TRANSLIT = str(Path(sys.executable).parent / "translit")
TOTAL = re.compile(r"TOTAL: segments (\d+)\s+segment accuracy ([\d.]+)%\s+words (\d+)\s+"
                   r"word accuracy ([\d.]+)%")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def read_po(path: Path) -> dict[tuple[str, str], str]:
    """(msgctxt, msgid) → msgstr of the translated, not fuzzy entries (plural forms: the
    first)."""
    entries: dict[tuple[str, str], str] = {}
    fields: dict[str, str] = {}
    current = ""
    fuzzy = False

    def finish() -> None:
        msgid, msgstr = fields.get("msgid", ""), fields.get("msgstr", fields.get("msgstr[0]", ""))
        if msgid and msgstr and not fuzzy:
            entries[(fields.get("msgctxt", ""), msgid)] = msgstr

    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line:
            finish()
            fields, current, fuzzy = {}, "", False
        elif line.startswith("#,"):
            fuzzy = fuzzy or "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and current:
            fields[current] += _unquoted(line)
        else:
            key, _, value = line.partition(" ")
            if key == "msgid" and "msgid" in fields:  # no blank line between entries
                finish()
                fields, fuzzy = {}, False
            current = key
            fields[current] = _unquoted(value)
    finish()
    return entries


def _unquoted(value: str) -> str:
    try:
        unquoted = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return ""
    return unquoted if isinstance(unquoted, str) else ""


def catalogue_pairs(folder: Path) -> list[tuple[str, str]]:
    """(Cyrillic, Latin) lines of the catalogues under `folder`."""
    pairs = []
    for latin_path in sorted(folder.rglob("*uz.po")):
        cyrillic_path = latin_path.with_name(latin_path.name[:-len("uz.po")] + "uz@cyrillic.po")
        if not cyrillic_path.exists():
            continue
        latin, cyrillic = read_po(latin_path), read_po(cyrillic_path)
        for key, cyrillic_text in cyrillic.items():
            latin_text = latin.get(key)
            if latin_text is None or key == ("", ""):
                continue
            cyrillic_lines, latin_lines = cyrillic_text.split("\n"), latin_text.split("\n")
            if len(cyrillic_lines) != len(latin_lines) or _CYRILLIC.search(latin_text):
                continue
            pairs += [(c.replace("\t", " "), lat.replace("\t", " "))
                      for c, lat in zip(cyrillic_lines, latin_lines) if c.strip() and lat.strip()]
    return pairs


def main() -> None:
    folders = [Path(arg) for arg in sys.argv[1:]]
    if not folders:
        raise SystemExit(__doc__)
    pairs = [pair for folder in folders for pair in catalogue_pairs(folder)]
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "pairs.tsv"
        path.write_text("".join(f"{c}\t{lat}\n" for c, lat in pairs), encoding="utf-8")
        result = subprocess.run([sys.executable, str(SCORE), str(path), "--reverse", "--",
                                 TRANSLIT, "--to", "cyrillic"], capture_output=True, text=True)
    found = TOTAL.search(result.stdout + result.stderr)
    if found is None:
        raise SystemExit(f"score.py said: {result.stdout[-2000:]}{result.stderr[-2000:]}")
    segments, segment_accuracy, words, word_accuracy = found.groups()
    print(f"{segments} segments, {segment_accuracy}% exact; {words} words, "
          f"{word_accuracy}% of words")


if __name__ == "__main__":
    main()
