"""Render docs/preview.svg, the README's picture of `translit --diff --explain`, from a real
run of the installed command on a pseudo-terminal (118 columns), as a person sees it.

    python docs/make_preview.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.text import Text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from helpers.terminal import drain, pseudo_terminal

SAMPLE = """Ҳисобот: 2025 йил якунлари

Компания «ЎЗБЕКИСТОН ТЕМИР ЙЎЛЛАРИ» АЖ [b]муҳим[/b] маълумот эълон қилди.
Объект 1-сентябрда топширилади.
Latin line stays.
Центр ва функция. Тoшкент вилояти, Исҳоқ ва Ш. Мирзиёев.
Бу ерда қозоқча сўз бор: әлем.
"""
COLUMNS, ROWS = 118, 60


def run_in_terminal(args: list[str], cwd: str) -> bytes:
    leader, follower = pseudo_terminal(ROWS, COLUMNS)
    command = Path(sys.executable).parent / "translit"
    process = subprocess.Popen([str(command), *args], stdout=follower, stdin=follower,
                               stderr=follower, cwd=cwd,
                               env={**os.environ, "TERM": "xterm-256color"})
    os.close(follower)
    output = drain(leader)
    process.wait()
    return output


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "report.txt").write_text(SAMPLE, encoding="utf-8")
        shown = run_in_terminal(["--diff", "--explain", "report.txt"], folder)
    text = Text.from_ansi(shown.decode("utf-8").replace("\r\n", "\n"))
    console = Console(record=True, width=COLUMNS, force_terminal=True,
                      file=open(os.devnull, "w"))
    console.print(text)
    target = Path(__file__).parent / "preview.svg"
    console.save_svg(str(target), title="translit --diff --explain report.txt")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
