"""The baseline: the simplest pure-Python letter map (no context rules, whole file in memory).

    python bench/naive_map.py INPUT OUTPUT
"""

import sys

CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяўқғҳ"
LATIN = ("a b v g d e yo j z i y k l m n o p r s t u f x ts ch sh sh \u02bc i - e yu ya "
         "o\u02bb q g\u02bb h").split()
TABLE = {ord(c): ("" if l == "-" else l) for c, l in zip(CYRILLIC, LATIN)}
TABLE.update({ord(c.upper()): ("" if l == "-" else l.capitalize()) for c, l in zip(CYRILLIC, LATIN)})

with open(sys.argv[1], encoding="utf-8", newline="") as source:
    text = source.read()
with open(sys.argv[2], "w", encoding="utf-8", newline="") as sink:
    sink.write(text.translate(TABLE))
