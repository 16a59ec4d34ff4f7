"""Render docs/preview.svg, the README's picture of `translit --diff --explain` in a terminal.

    python docs/make_preview.py
"""

import io
from pathlib import Path

from rich.console import Console

import translit
from translit.diffing import hunks, line_pairs
from translit.preview import Preview
from translit.stream import StreamConverter

SAMPLE = """Ҳисобот: 2025 йил якунлари

Компания «ЎЗБЕКИСТОН ТЕМИР ЙЎЛЛАРИ» АЖ [b]муҳим[/b] маълумот эълон қилди.
Объект 1-сентябрда топширилади.
Latin line stays.
Центр ва функция.
"""

here = Path(__file__).parent
console = Console(record=True, width=118, force_terminal=True, file=open("/dev/null", "w"))
preview = Preview(console, translit.get_transliterator(), layout="side", explain=True)
preview.file("report.txt", hunks(line_pairs(io.BytesIO(SAMPLE.encode()), StreamConverter())))
preview.print_summary()
console.save_svg(str(here / "preview.svg"), title="translit --diff --explain report.txt")
