"""The simple command lines read without Typer (cli/simple.py): the same request as Typer
makes of them, Typer for everything else, and Typer not imported when it is not needed."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from translit.cli.app import build_app
from translit.cli.commands import Request
from translit.cli.simple import simple_request


def typer_request(argv: list[str]) -> Request:
    request = typer.main.get_command(build_app()).main(
        args=argv, prog_name="translit", standalone_mode=False)
    assert isinstance(request, Request)
    return request


SIMPLE = [
    [],
    ["a.txt"],
    ["a.txt", "b.txt", "docs"],
    ["a.txt", "-o", "a.lat.txt"],
    ["-o", "out/", "a.txt", "b.txt"],
    ["--output", "a.lat.txt", "a.txt"],
    ["-i", "a.txt"],
    ["--in-place", "a.txt", "-q"],
    ["--check", "docs"],
    ["--check", "--check", "docs"],
    ["--quiet", "--check", "docs"],
    ["--jobs", "1", "a.txt", "-o", "b.txt"],
    ["-j", "0", "docs", "-o", "out"],
    ["-j", "007", "docs"],
    ["--to", "cyrillic", "a.txt"],
    ["--to", "latin2026", "-o", "b.txt", "a.txt"],
    ["--to", "latin", "a.txt"],
    ["файл.txt", "-o", "fayl.txt"],
]


@pytest.mark.parametrize("argv", SIMPLE, ids=" ".join)
def test_a_simple_command_line_is_the_request_typer_makes(argv):
    request = simple_request(argv)
    assert request is not None
    assert request == typer_request(argv)


LEFT_TO_TYPER = [
    ["-"],
    ["a.txt", "-o", "-"],
    ["--output=b.txt", "a.txt"],
    ["-ob.txt", "a.txt"],
    ["a.txt", "-o", "b.txt", "-o", "c.txt"],
    ["a.txt", "-o"],
    ["--jobs", "-1", "a.txt"],
    ["--jobs", "x", "a.txt"],
    ["--jobs", "٣", "a.txt"],  # a digit, but not ASCII: Typer says what is wrong
    ["-j", "1" * 5000, "a.txt"],  # beyond int()'s digits: Typer says what is wrong
    ["--to", "klingon", "a.txt"],
    ["--to", "Cyrillic", "a.txt"],
    ["--diff", "a.txt"],
    ["--help"],
    ["--version"],
    ["--", "a.txt"],
    ["", "a.txt"],
    ["a.txt", "--apostrophe", "ascii"],
]


@pytest.mark.parametrize("argv", LEFT_TO_TYPER, ids=" ".join)
def test_anything_else_is_left_to_typer(argv):
    assert simple_request(argv) is None


def test_a_file_converted_into_another_does_not_import_typer(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Тошкент\n", encoding="utf-8")
    target = tmp_path / "a.lat.txt"
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "translit", str(source),
                          "-o", str(target), "--jobs", "1"], capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert target.read_bytes() == b"Toshkent\n"
    imported = {line.split("|")[-1].strip() for line in run.stderr.decode().splitlines()
                if line.startswith("import time:")}
    assert "translit.cli.simple" in imported
    assert "typer" not in imported and "translit.cli.app" not in imported


def test_an_option_beyond_the_simple_ones_still_works(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("маъно\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "translit", "--apostrophe", "ascii",
                          str(source)], capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == b"ma'no\n"
