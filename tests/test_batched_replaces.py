"""New outputs of a folder run are made durable and renamed in batches (fileio.ReplaceBatch,
issue 23): every file is fsynced before any name points to it, a result is given only once
its file is in place, and an interruption or a failure at any point leaves each output whole
(converted, or as it was) and no temporary file behind.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import patched_command, temporaries, write

import translit
from translit.files import FileOptions, Input, convert_file, fileio, operations

LINE = "Ўзбекистон Республикаси ҳақида маълумот\n"
LATIN = translit.to_latin(LINE)


def tree(folder, count):
    return [write(folder / f"d{i % 3}" / f"f{i}.txt", LINE * (i + 1)) for i in range(count)]


def into(out):
    def operation(item, settings, progress):
        return convert_file(item.path, out / item.path.parent.name / item.path.name, settings)
    return operation


def test_a_result_is_given_once_its_output_is_in_place(tmp_path):
    sources = tree(tmp_path / "in", fileio.ReplaceBatch.FILES + 8)  # two batches
    out = tmp_path / "out"
    for source, result in zip(sources, operations.run_each(
            into(out), [Input(s, s.name) for s in sources], FileOptions())):
        assert result.ok and result.output
        assert open(result.output, encoding="utf-8").read() == LATIN * (int(source.stem[1:]) + 1)
    assert temporaries(out) == []


def test_every_file_of_a_batch_is_fsynced_before_any_name_points_to_it(tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(fileio.os, "fsync", lambda fd: (
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"))), real_fsync(fd))[1])
    monkeypatch.setattr(fileio.os, "replace", lambda old, new: (
        calls.append(("replace", str(old))), real_replace(old, new))[1])
    with fileio.replaces_batched() as batch:
        for name in ("a.txt", "b.txt", "c.txt"):
            with fileio.atomic_replace(tmp_path / name) as out:
                out.write(b"x")
        assert batch.commit() == {}
    replaced = [path for call, path in calls if call == "replace"]
    synced = [path for call, path in calls[:3] if call == "fsync"]
    assert len(replaced) == 3 and sorted(synced) == sorted(replaced)
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.txt", "c.txt"]


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, SystemExit, GeneratorExit])
def test_a_batch_left_by_an_interruption_renames_nothing_and_leaves_no_temporary(
        tmp_path, interruption):
    old = write(tmp_path / "old.txt", "as it was\n")
    with pytest.raises(interruption), fileio.replaces_batched():
        for name in ("new.txt", "old.txt"):
            with fileio.atomic_replace(tmp_path / name) as out:
                out.write(b"converted\n")
        raise interruption()
    assert os.listdir(tmp_path) == ["old.txt"]
    assert old.read_text() == "as it was\n"
    assert not fileio._temporaries and fileio._batch is None


def test_an_interruption_between_the_renames_leaves_each_file_whole(tmp_path, monkeypatch):
    names = [f"f{i}.txt" for i in range(5)]
    for name in names:
        write(tmp_path / name, "as it was\n")
    real_replace, done = os.replace, []

    def replace(old, new):
        if len(done) == 2:
            raise KeyboardInterrupt
        done.append(new)
        real_replace(old, new)

    monkeypatch.setattr(fileio.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt), fileio.replaces_batched() as batch:
        for name in names:
            with fileio.atomic_replace(tmp_path / name) as out:
                out.write(b"converted\n")
        batch.commit()
    contents = [(tmp_path / name).read_text() for name in names]
    assert contents == ["converted\n"] * 2 + ["as it was\n"] * 3
    assert temporaries(tmp_path) == [] and not fileio._temporaries


def test_an_output_that_cannot_be_made_durable_is_reported_and_the_others_written(
        tmp_path, monkeypatch):
    sources = tree(tmp_path / "in", 6)
    out = tmp_path / "out"
    real_fsync = os.fsync

    def fsync(fd):
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(out / "d1" / ".f4.txt")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(fileio.os, "fsync", fsync)
    results = list(operations.run_each(into(out), [Input(s, s.name) for s in sources],
                                       FileOptions()))
    assert [r.ok for r in results] == [True] * 4 + [False, True]
    assert str(results[4].problem) == (f"{out / 'd1' / 'f4.txt'}: cannot write: "
                                       "No space left on device")
    assert not (out / "d1" / "f4.txt").exists()
    assert (out / "d2" / "f5.txt").read_text(encoding="utf-8") == LATIN * 6
    assert temporaries(out) == [] and not fileio._temporaries


def test_a_file_converted_in_place_is_not_batched(tmp_path):
    # -i checks the original just before its rename (a batch would widen that window)
    source = write(tmp_path / "a.txt", LINE)
    with fileio.replaces_batched() as batch:
        assert operations.convert_in_place(source).changed
        assert batch.pending == [] and source.read_text(encoding="utf-8") == LATIN


def test_sigterm_between_a_batchs_renames_leaves_every_output_whole(tmp_path):
    sources = tree(tmp_path / "in", 40)
    out = tmp_path / "out"
    patch = ("import os, signal\n"
             "import translit.files.fileio as fileio\n"
             "real, done = fileio.os.replace, []\n"
             "def replace(old, new):\n"
             "    done.append(new)\n"
             "    if len(done) == 5:\n"
             "        os.kill(os.getpid(), signal.SIGTERM)  # inside the batch's renames\n"
             "    real(old, new)\n"
             "fileio.os.replace = replace\n")
    result = subprocess.run(patched_command(patch, "-q", "--jobs", "1", tmp_path / "in",
                                            "-o", f"{out}/"), capture_output=True, timeout=60)
    assert (result.returncode, result.stderr) == (128 + signal.SIGTERM, b"")
    written = sorted(out.rglob("*.txt"))
    assert 1 <= len(written) < len(sources)
    for path in written:
        assert path.read_text(encoding="utf-8") == LATIN * (int(path.stem[1:]) + 1)
    assert temporaries(out) == []


@pytest.mark.timeout(120)
def test_soak_random_interruptions_of_a_folder_run_never_leave_a_partial_output():
    """bench/faults.py --into-folder, short: `DIR -o OUT/` on 20-200 small files, two runs of
    each signal at random moments: every output there is whole, every input as it was, no
    temporary left (after the next run, for SIGKILL), no bad exit or message."""
    faults = Path(__file__).parent.parent / "bench" / "faults.py"
    result = subprocess.run([sys.executable, str(faults), "--runs", "2", "--seed", "8",
                             "--into-folder", "--check"],
                            capture_output=True, text=True, timeout=100)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
