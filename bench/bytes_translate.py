"""The floor: one C pass over the bytes that changes each byte by a table (bytes.translate),
whole file in memory; no conversion, the least a pass over the file can cost.

    python bench/bytes_translate.py INPUT OUTPUT
    python bench/bytes_translate.py INPUT -o OUTPUT     (as translit is called)
"""

import sys

TABLE = bytes.maketrans(b"abcdefghijklmnopqrstuvwxyz", b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")

with open(sys.argv[1], "rb") as source:
    data = source.read()
with open(sys.argv[-1], "wb") as sink:
    sink.write(data.translate(TABLE))
