"""The baseline: the simplest pure-Python letter map (no context rules, whole file in memory).

    python bench/naive_map.py INPUT OUTPUT
"""

import sys

CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяўқғҳ"
LATIN = ["a", "b", "v", "g", "d", "e", "yo", "j", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "x", "ts", "ch", "sh", "sh", "ʼ", "i", "-", "e", "yu", "ya", "oʻ", "q", "gʻ", "h"]
SPELLING = ["" if latin == "-" else latin for latin in LATIN]
TABLE = {ord(c): latin for c, latin in zip(CYRILLIC, SPELLING)}
TABLE.update({ord(c.upper()): latin.capitalize() for c, latin in zip(CYRILLIC, SPELLING)})

with open(sys.argv[1], encoding="utf-8", newline="") as source:
    text = source.read()
with open(sys.argv[2], "w", encoding="utf-8", newline="") as sink:
    sink.write(text.translate(TABLE))
