"""The doctests' set-up (translit's modules and README): an example that makes a folder with
`tempfile` makes it in the test's own temporary folder, which pytest removes with its old
runs (the examples' folders were left in /tmp, one each at every run)."""

import tempfile

import pytest


@pytest.fixture(autouse=True)
def _examples_make_their_folders_in_the_tests(request: pytest.FixtureRequest,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    if type(request.node).__name__ == "DoctestItem":
        folder = request.getfixturevalue("tmp_path")
        monkeypatch.setattr(tempfile, "tempdir", str(folder))
