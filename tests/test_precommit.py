"""translit as a pre-commit hook (issue 19): the hooks of .pre-commit-hooks.yaml, run by
pre-commit itself on a throw-away repository.

Offline: the hooks are given to pre-commit as a ``repo: local`` configuration made from this
repository's .pre-commit-hooks.yaml (the same entry, files and options), run with the
translit installed here (``language: system``) instead of an environment pre-commit would
build from the network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from translit.formats import FORMATS

ROOT = Path(__file__).parent.parent
MANIFEST = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
BIN = Path(sys.executable).parent
PRE_COMMIT = BIN / "pre-commit"


def hook(hook_id: str) -> dict[str, object]:
    return next(h for h in MANIFEST if h["id"] == hook_id)


def test_the_hooks_are_given_exactly_the_files_translit_converts():
    extensions = {ext for found in FORMATS for ext in found.extensions}
    for entry in MANIFEST:
        files = re.compile(str(entry["files"]))
        for ext in extensions:
            assert files.search(f"docs/a{ext}"), ext
        for other in (".py", ".css", ".png", ".js", ".txt.bak", "Makefile"):
            assert not files.search(f"docs/a{other}"), other
    assert hook("translit-check")["entry"] == "translit --check"
    assert hook("translit")["entry"] == "translit -i"


def run_pre_commit(repository: Path, hook_id: str) -> subprocess.CompletedProcess[str]:
    local = {key: value for key, value in hook(hook_id).items()}
    local["language"] = "system"  # the translit of this environment: nothing to download
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repository / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git(repository, "add", "-A")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(repository.parent / "pre-commit-home")}
    return subprocess.run([str(PRE_COMMIT), "run", "--all-files", "--color", "never"],
                          cwd=repository, capture_output=True, text=True, env=env, timeout=120)


def git(repository: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   cwd=repository, check=True, capture_output=True, timeout=60)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.fail("git is needed to test the pre-commit hook")
    folder = tmp_path / "project"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / "latin.txt").write_text("Toshkent shahri\n", encoding="utf-8")
    (folder / "style.css").write_text(".центр { color: red }\n", encoding="utf-8")  # not passed
    (folder / "docs").mkdir()
    (folder / "docs" / "page.md").write_text("# Сарлавҳа\n", encoding="utf-8")
    return folder


@pytest.mark.timeout(180)
def test_the_check_hook_fails_listing_what_would_change_and_passes_once_converted(repository):
    result = run_pre_commit(repository, "translit-check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^translit --check\.+Failed$", result.stdout, re.MULTILINE), result.stdout
    assert "docs/page.md" in result.stdout and "latin.txt" not in result.stdout
    assert "style.css" not in result.stdout  # translit does not convert it, and is not asked
    (repository / "docs" / "page.md").write_text("# Sarlavha\n", encoding="utf-8")
    result = run_pre_commit(repository, "translit-check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^translit --check\.+Passed$", result.stdout, re.MULTILINE)


@pytest.mark.timeout(180)
def test_the_in_place_hook_converts_and_fails_the_commit_once(repository):
    result = run_pre_commit(repository, "translit")
    assert result.returncode == 1
    assert "files were modified by this hook" in result.stdout
    assert (repository / "docs" / "page.md").read_text(encoding="utf-8") == "# Sarlavha\n"
    assert (repository / "style.css").read_text(encoding="utf-8") == ".центр { color: red }\n"
    assert run_pre_commit(repository, "translit").returncode == 0
