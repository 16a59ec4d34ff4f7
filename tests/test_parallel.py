"""A file converted by several worker processes equals the one-process result."""

from __future__ import annotations

import io
import os
import pickle
import random
import subprocess
import sys

import pytest

import translit
from translit.files.parallel import NO_CUT_LIMIT, convert_in_parallel, file_pieces, pieces
from translit.stream import InputDecodeError, StreamConverter, convert_stream

WORDS = ["Ўзбекистон", "ШАҲАР", "объект", "маъно", "1-сентябрь", "Тoшкент", "«ер»", "цирк",
         "x", "😀", "\r\n", "\n", "\r", " ", " ", "-", "Eр"]


def sample(size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return "".join(rng.choice(WORDS) + rng.choice(["", " "]) for _ in range(size)).encode()


def both(data: bytes, **kwargs) -> tuple[bytes, bytes]:
    one, many = io.BytesIO(), io.BytesIO()
    convert_stream(io.BytesIO(data), one, interactive=False, **kwargs)
    convert_in_parallel(io.BytesIO(data), many, translit.Options(), jobs=2, piece_bytes=97,
                        **kwargs)
    return one.getvalue(), many.getvalue()


@pytest.mark.parametrize("seed", range(3))
def test_parallel_output_equals_one_process(seed):
    one, many = both(sample(3000, seed))
    assert one == many


@pytest.mark.parametrize("start", [0, 1001])
def test_workers_read_their_pieces_of_a_file_themselves(tmp_path, start):
    data = sample(3000, 11)
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    one = io.BytesIO()
    convert_stream(io.BytesIO(data[start:]), one, interactive=False)
    many = io.BytesIO()
    with open(path, "rb") as source:
        source.seek(start)  # from where the reading stands, not from the file's start
        stats = convert_in_parallel(source, many, translit.Options(), jobs=2, piece_bytes=97)
    assert many.getvalue() == one.getvalue() and stats.bytes_in == len(data) - start


def test_a_piece_that_the_file_no_longer_holds_is_an_error(tmp_path):
    from translit.files.fileio import ChangedUnderneath
    from translit.files.parallel import _read_range

    path = tmp_path / "in.txt"
    path.write_bytes(b"x" * 100)
    with open(path, "rb") as source:
        assert _read_range(source.fileno(), 10, 20) == b"x" * 20
        path.write_bytes(b"x" * 15)  # made shorter while it is converted
        with pytest.raises(ChangedUnderneath, match="changed while translit read it"):
            _read_range(source.fileno(), 10, 20)


def test_parallel_surrogateescape_equals_one_process():
    data = sample(2000, 7).replace(b"\xd0\xb0", b"\xd0 \xff", 50)
    one, many = both(data, errors="surrogateescape")
    assert one == many


@pytest.mark.parametrize("position", [0, 5000, -1])
def test_parallel_decode_error_is_located_like_one_process(position):
    data = bytearray(sample(2000, 3))
    where = position % len(data)
    while data[where] >= 0x80:  # put the bad byte on a character boundary
        where += 1
    data[where:where] = b"\xff"
    errors = []
    for convert in (
        lambda: convert_stream(io.BytesIO(data), io.BytesIO(), interactive=False),
        lambda: convert_in_parallel(io.BytesIO(data), io.BytesIO(), translit.Options(),
                                    jobs=2, piece_bytes=97),
    ):
        with pytest.raises(InputDecodeError) as error:
            convert()
        errors.append((error.value.offset, error.value.line))
    assert errors[0] == errors[1]
    assert errors[0][0] == where


def test_pieces_end_after_a_line_break():
    data = sample(500, 1)
    parts = list(pieces(io.BytesIO(data), translit.get_transliterator(), 50))
    assert b"".join(parts) == data
    assert all(part.endswith((b"\n", b" ")) for part in parts[:-1])


def test_a_long_line_is_cut_where_the_transliterator_allows():
    data = "ер ".encode() * (NO_CUT_LIMIT // 2)
    parts = list(pieces(io.BytesIO(data), translit.get_transliterator(), 1 << 20))
    assert len(parts) > 1 and b"".join(parts) == data
    assert all(part.endswith(b" ") for part in parts[:-1])


def test_text_without_spaces_is_still_cut_at_character_boundaries():
    data = "ж".encode() * (NO_CUT_LIMIT // 2 + 10)
    parts = list(pieces(io.BytesIO(data), translit.get_transliterator(), 1 << 20))
    assert len(parts) > 1 and b"".join(parts) == data
    assert all(part.decode() for part in parts)  # each part is whole characters


@pytest.mark.parametrize("options, expected", [
    (translit.Options(ordinal_dates=True), "1995-yil 24-avgust ma'no"),
    (translit.Options(typed_apostrophes=True), "1995 yil 24 avgust maʼno"),
])
def test_parallel_equals_one_process_for_options_that_look_across_words(options, expected):
    line = "1995 йил 24 август ма'но " * 40
    data = (line * 3).encode()  # long lines: pieces are cut inside them
    one, many = io.BytesIO(), io.BytesIO()
    convert_stream(io.BytesIO(data), one, translit.get_transliterator(options),
                   interactive=False)
    convert_in_parallel(io.BytesIO(data), many, options, jobs=2, piece_bytes=97)
    assert one.getvalue() == many.getvalue()
    assert one.getvalue().startswith(expected.encode())


def test_a_worker_signalled_while_it_cleans_up_never_runs_its_parents_code():
    import subprocess
    import sys

    program = (
        "import io, os, signal, translit, translit.files.parallel as p\n"
        "def cleanup_then_signalled():\n"
        "    os.kill(os.getpid(), signal.SIGTERM)  # arrives in the worker's last steps\n"
        "p._remove_own_temporaries = cleanup_then_signalled\n"
        "data = ('сатр ' * 5000 + '\\n').encode() * 20\n"
        "p.convert_in_parallel(io.BytesIO(data), io.BytesIO(), translit.Options(), jobs=2,\n"
        "                      piece_bytes=4096)\n"
        "print('parent done', flush=True)\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, timeout=60)
    assert result.stdout == b"parent done\n"  # once: no worker carried on as the parent
    assert result.stderr == b""  # no worker came back out into the program, raising
    assert result.returncode == 0


def test_a_file_that_shrinks_under_the_workers_is_reported_as_changed(tmp_path, monkeypatch):
    from translit.files import parallel
    from translit.files.fileio import ChangedUnderneath

    def shrunk(fd: int, offset: int, length: int) -> bytes:
        raise ChangedUnderneath(5, "it changed while translit read it (test)")

    path = tmp_path / "in.txt"
    path.write_bytes(sample(500, 2))
    monkeypatch.setattr(parallel, "_read_range", shrunk)  # the workers are forked after
    with open(path, "rb") as source, pytest.raises(ChangedUnderneath, match="changed"):
        convert_in_parallel(source, io.BytesIO(), translit.Options(), jobs=2, piece_bytes=97)


@pytest.mark.parametrize("data, size", [
    (sample(3000, 5), 97),  # lines of all lengths, pieces smaller than a line
    ("ер ".encode() * (NO_CUT_LIMIT // 2), 1 << 20),  # one long line
    ("ж".encode() * (NO_CUT_LIMIT // 2 + 10), 1 << 20),  # no space, no line break
    (b"a\n" * 100, 1 << 20),  # smaller than one piece
])
def test_the_pieces_of_a_file_are_found_by_reading_only_their_ends(tmp_path, data, size):
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    transliterator = translit.get_transliterator()
    with open(path, "rb") as source:
        ranges = list(file_pieces(source.fileno(), 0, len(data), transliterator, size))
    parts = [data[offset:offset + length] for offset, length in ranges]
    assert b"".join(parts) == data and all(parts)
    assert [offset for offset, _ in ranges] == [sum(map(len, parts[:i])) for i in range(len(parts))]
    for part in parts[:-1]:
        assert part.endswith(b"\n") or part.decode()  # a line break, or a safe cut
    one = io.BytesIO()
    convert_stream(io.BytesIO(data), one, interactive=False)
    assert b"".join(transliterator.to_latin_bytes(p.decode()) for p in parts) == one.getvalue()


def _bytes_sent_per_file(tmp_path, monkeypatch, count: int) -> float:
    """`translit DIR -o OUT` over `count` files shared among workers: the bytes of the
    task messages sent to the workers (pickled as Connection.send pickles them), per file."""
    import pickle

    from translit.cli import commands
    from translit.files import FileOptions, parallel
    from translit.files import operations as files

    source = tmp_path / f"in{count}"
    for i in range(count):
        folder = source / f"d{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i:05}.txt").write_text("Тошкент шаҳри\n", encoding="utf-8")
    sizes: list[int] = []
    real_map = parallel.Workers.map

    def spying_map(self, tasks, *how):
        def spied():
            for task in tasks:
                sizes.append(len(pickle.dumps(task)))
                yield task
        return real_map(self, spied(), *how)

    monkeypatch.setattr(parallel.Workers, "map", spying_map)
    monkeypatch.setattr(files, "MANY_FILES_MIN_BYTES", 0)  # small files, still shared out
    out = tmp_path / f"out{count}"
    status = commands.run(commands.Request(paths=(str(source),), output=f"{out}/", jobs=2,
                                           quiet=True, settings=FileOptions()),
                          stdout=io.BytesIO(), stderr=io.BytesIO())
    assert status == 0
    assert len(sizes) > 1  # the files went through workers
    assert (out / "d3" / "f00003.txt").read_text(encoding="utf-8") == "Toshkent shahri\n"
    assert len(list(out.rglob("*.txt"))) == count
    return sum(sizes) / count


@pytest.mark.timeout(120)
def test_a_folders_message_to_a_worker_does_not_grow_with_the_number_of_files(
        tmp_path, monkeypatch):
    """Issue 23: each worker is sent what its own file needs, not the whole input → output
    map (which made a folder into another folder quadratic in its number of files)."""
    small = _bytes_sent_per_file(tmp_path, monkeypatch, 20)
    large = _bytes_sent_per_file(tmp_path, monkeypatch, 400)
    assert large <= 1.2 * small, (small, large)


@pytest.mark.timeout(120)
def test_a_check_of_small_files_is_not_shared_out_where_workers_cost_more_than_they_save(
        tmp_path, monkeypatch):
    """Issue 23: `--check` of a folder of small files took 1.27× the CPU of --jobs 1 with
    the default workers (a file's check, ~60 µs, is three times its message to a worker,
    and two workers cost their fork); such a folder is checked in one process, and the
    same files written into a folder, which costs a durable write each, are shared out."""
    from translit.cli import commands
    from translit.files import FileOptions

    source = tmp_path / "in"
    line = "Тошкент шаҳри катта ва гўзал шаҳар.\n".encode()
    for i in range(600):  # 4.9 MB: shared out by the size of the folder alone before
        folder = source / f"d{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i:04}.txt").write_bytes(line * (8192 // len(line) + 1))
    forked = pools_started(monkeypatch)
    listing = io.BytesIO()
    status = commands.run(commands.Request(paths=(str(source),), check=True, jobs=2,
                                           quiet=True, settings=FileOptions()),
                          stdout=listing, stderr=io.BytesIO())
    assert status == 1  # every file would change
    assert forked == []
    from translit import files

    sizes = [files.input_size(files.Input(p, p.name)) for p in sorted(source.rglob("*.txt"))]
    assert files.worth_workers(sizes * 4, FileOptions(jobs=2), writes=True)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_folder_run_makes_each_output_folder_durable_once_after_its_files(
        tmp_path, monkeypatch, jobs):
    """Issue 23: `translit DIR -o OUT` fsynced a file's folder after every file (a third of
    its disk work for small files); each folder is now synced once its files are renamed
    into it — in one process at the end of the run, in a worker at the end of each batch —
    and every output folder is synced before the run ends."""
    import os

    from translit.cli import commands
    from translit.files import FileOptions, fileio
    from translit.files import operations as files

    source = tmp_path / "in"
    for i in range(60):
        folder = source / f"d{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i:03}.txt").write_text("Тошкент шаҳри\n" * 50, encoding="utf-8")
    log = tmp_path / "synced.log"  # appended by every process, workers too
    real_sync = fileio._fsync_folder

    def logging_sync(folder):
        with open(log, "a") as record:  # each line: the folder, then how many files it has
            record.write(f"{folder}\t{len(os.listdir(folder))}\n")
        real_sync(folder)

    monkeypatch.setattr(fileio, "_fsync_folder", logging_sync)
    monkeypatch.setattr(files, "MANY_FILES_MIN_BYTES", 0)  # small files, still shared out
    out = tmp_path / "out"
    status = commands.run(commands.Request(paths=(str(source),), output=f"{out}/", jobs=jobs,
                                           quiet=True, settings=FileOptions()),
                          stdout=io.BytesIO(), stderr=io.BytesIO())
    assert status == 0
    synced = [line.split("\t") for line in log.read_text().splitlines()]
    folders = {str(out / f"d{k}") for k in range(3)}
    assert {folder for folder, _ in synced} == folders  # every output folder, nothing else
    if jobs == 1:  # once each, after all 20 of its files
        assert sorted(synced) == sorted([folder, "20"] for folder in folders)
    else:  # once a batch at most: fewer syncs than files
        assert len(synced) < 60 // 2
    assert sorted(p.name for p in (out / "d0").iterdir()) == sorted(
        p.name for p in (source / "d0").iterdir())


def test_one_file_written_alone_is_durable_when_the_call_returns(tmp_path, monkeypatch):
    """Outside a folder run, `convert_file` still syncs the folder before it returns."""
    from translit.files import convert_file, fileio

    synced: list[str] = []
    real_sync = fileio._fsync_folder
    monkeypatch.setattr(fileio, "_fsync_folder",
                        lambda folder: (synced.append(str(folder)), real_sync(folder)))
    (tmp_path / "a.txt").write_text("Тошкент\n", encoding="utf-8")
    result = convert_file(tmp_path / "a.txt", tmp_path / "b.txt")
    assert result.ok and synced == [str(tmp_path)]


def test_a_run_over_many_folders_keeps_few_waiting_for_their_sync(tmp_path, monkeypatch):
    """However many folders a run writes into, at most UNSYNCED_FOLDERS_MAX wait for their
    fsync (the end of the run, or its interruption, has few left), and each is synced."""
    from translit.files import fileio

    synced: list[str] = []
    waiting: list[int] = []
    real_sync = fileio._fsync_folder
    monkeypatch.setattr(fileio, "UNSYNCED_FOLDERS_MAX", 3)
    monkeypatch.setattr(fileio, "_fsync_folder",
                        lambda folder: (synced.append(str(folder)), real_sync(folder)))
    with fileio.folder_syncs_deferred():
        for k in range(10):
            folder = tmp_path / f"d{k}"
            folder.mkdir()
            with fileio.atomic_replace(folder / "a.txt") as out:
                out.write(b"x")
            waiting.append(len(fileio.unsynced_folders()))
    assert max(waiting) == 3
    assert sorted(synced) == sorted(str(tmp_path / f"d{k}") for k in range(10))


@pytest.mark.timeout(60)
def test_a_worker_stopped_inside_a_finaliser_ends_at_once_and_quietly():
    # A worker's SIGTERM raises _Stop wherever the worker is; inside a finaliser Python
    # only prints "Exception ignored" and goes on, and the worker then ran until it was
    # killed after the grace time, the message on the command's standard error (seen as a
    # rare failure of test_ctrl_c_ends_the_run_within_a_second_whatever_the_workers_do).
    code = ("import sys, time\n"
            "from translit.files.parallel import Workers, stop_workers\n"
            "class Slow:\n"
            "    def __del__(self):\n"
            "        time.sleep(0.05)  # most of the worker's time is spent in here\n"
            "def work(n):\n"
            "    while True:\n"
            "        Slow()\n"
            "workers = Workers(work, 1)\n"
            "workers.connections[0].send((1,))\n"
            "time.sleep(0.5)\n"
            "print(stop_workers(workers.pids))\n")
    for _ in range(3):
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30)
        assert run.stderr == b""
        assert run.stdout == b"[]\n"  # none had to be killed


@pytest.mark.timeout(60)
def test_a_run_with_workers_does_not_import_multiprocessing(tmp_path):
    # Start-up: multiprocessing.connection (its context, reduction and socket modules) took
    # 16 ms of every run with workers; the pipes to the workers are translit's own.
    source = tmp_path / "big.txt"
    source.write_text("Тошкент шаҳри\n" * 200_000, encoding="utf-8")
    code = ("import sys\n"
            "from translit.files import operations, parallel\n"
            "operations.PARALLEL_MIN_BYTES = dict.fromkeys(operations.PARALLEL_MIN_BYTES, 0)\n"
            "forked = []\n"
            "real = parallel.Workers.__init__\n"
            "def counting(self, function, jobs):\n"
            "    real(self, function, jobs)\n"
            "    forked.append(len(self.pids))\n"
            "parallel.Workers.__init__ = counting\n"
            "from translit.cli import commands\n"
            f"status = commands.run(commands.Request(paths=({str(source)!r},), jobs=2,\n"
            f"    output={str(tmp_path / 'out.txt')!r}))\n"
            "print(status, forked, sorted(m for m in sys.modules\n"
            "                             if m.split('.')[0] in ('multiprocessing', 'socket')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "0 [2] []"
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "Toshkent shahri\n" * 200_000


@pytest.mark.timeout(60)
def test_a_worker_answers_whatever_the_size_of_the_message_and_its_end_is_seen():
    from translit.files.parallel import WorkerFailed, workers

    sizes = [0, 1, 65_535, 65_536, 3 << 20]
    with workers(_echo_or_exit, 2) as pool:
        answers = list(pool.map([(b"x" * size,) for size in sizes], 4))
    assert [len(answer) for answer in answers] == sizes
    with pytest.raises(WorkerFailed, match="ended unexpectedly"), workers(_echo_or_exit, 1) as pool:
        list(pool.map([(b"",), (None,)], 2))


@pytest.mark.timeout(60)
def test_a_worker_that_ended_while_it_waited_for_work_is_a_worker_failure():
    # Sent a task, a worker that had ended (killed: the OOM killer, a person) made the
    # parent's write fail with BrokenPipeError, which the command reads as its standard
    # output closed (| head): exit 141 and not a word, where a worker that ends while it
    # works is "a worker process ended unexpectedly".
    import signal

    from translit.files.parallel import WorkerFailed, ready, workers

    with pytest.raises(WorkerFailed, match="ended unexpectedly"), workers(_echo_or_exit, 1) as pool:
        os.kill(pool.pids[0], signal.SIGKILL)
        ready(pool.connections)  # (its end of the pipes is closed: it is gone)
        list(pool.map([(b"x" * 100,)], 2))


@pytest.mark.timeout(60)
@pytest.mark.parametrize("queued, expected", [
    (1, ["send", "recv", "send", "recv", "send", "recv"]),
    (2, ["send", "send", "recv", "send", "recv", "recv"]),
])
def test_a_worker_is_sent_its_next_task_while_it_works_where_tasks_may_queue(
        monkeypatch, queued, expected):
    # With `queued` 2 a worker's next task waits in its pipe as it works: it goes on at
    # once after answering, instead of waiting for the parent to read the answer and
    # write the results before it. (The parent's own sends and receives are noted here;
    # the worker's are in its own memory.)
    from translit.files import parallel

    noted: list[str] = []
    for name in ("send", "recv"):
        real = getattr(parallel.Channel, name)
        monkeypatch.setattr(parallel.Channel, name, lambda self, *value, real=real, name=name: (
            noted.append(name), real(self, *value))[1])
    with parallel.workers(_echo_or_exit, 1) as pool:
        answers = list(pool.map([(b"a",), (b"b",), (b"c",)], 4, queued))
        made = list(noted)
    assert answers == [b"a", b"b", b"c"]
    assert made == expected


@pytest.mark.timeout(60)
def test_a_task_is_queued_only_where_the_workers_pipe_takes_it_whole():
    # A task larger than the room in the worker's pipe, written while the worker writes an
    # answer larger than the room in the parent's, would leave both waiting for ever: it
    # waits until the worker has read the task before it (the preview queues its batches).
    from translit.files import parallel

    big = [(bytes([n]) * (3 * parallel.PIPE_BYTES),) for n in range(4)]
    with parallel.workers(_echo_or_exit, 1) as pool:
        assert list(pool.map(big, 4, 2)) == [task[0] for task in big]


def test_the_room_in_a_pipe_is_what_it_takes_less_what_it_holds():
    from translit.files.parallel import _room, channel_pair

    parent, worker = channel_pair()
    try:
        empty = _room(parent._writing)
        parent.send(b"x" * 1000)
        sent = 8 + len(pickle.dumps(b"x" * 1000, pickle.HIGHEST_PROTOCOL))  # (its length first)
        assert _room(parent._writing) == empty - sent
        assert empty >= 64 << 10
    finally:
        parent.close()
        worker.close()


@pytest.mark.timeout(60)
def test_queued_tasks_come_back_in_their_order_whichever_worker_ends_first():
    from translit.files.parallel import workers

    pauses = [0.2, 0.0, 0.1, 0.0, 0.0, 0.15, 0.0, 0.05]
    with workers(_pause_then_echo, 2) as pool:
        answers = list(pool.map([(pause, i) for i, pause in enumerate(pauses)], 4, 2))
    assert answers == list(range(len(pauses)))


def _pause_then_echo(pause: float, value: int) -> int:
    import time

    time.sleep(pause)
    return value


def test_the_cyrillic_directions_tables_are_built_once_before_the_workers_fork(tmp_path):
    # Each worker built the compiled pass's tables and read the word lists again (about
    # 15 ms each) when it met its first words: the parent builds them before forking.
    options = translit.Options(target="cyrillic")
    path = tmp_path / "in.txt"
    path.write_text("Toshkent shahri, film va Linux'da kitoblar.\n" * 20_000, encoding="utf-8")
    converter = translit.get_transliterator(options).direction.converter
    converter.__dict__.pop("_accelerated", None)  # (as a run starts: not built yet)
    converter.__dict__.pop("_plain", None)
    one, many = io.BytesIO(), io.BytesIO()
    with open(path, "rb") as source:
        convert_in_parallel(source, many, options, jobs=2, piece_bytes=200_000)
    built = set(converter.__dict__) & {"_accelerated", "_plain"}
    with open(path, "rb") as source:
        convert_stream(source, one, interactive=False,
                       converter=StreamConverter(translit.get_transliterator(options)))
    assert built == {"_accelerated", "_plain"}
    assert many.getvalue() == one.getvalue()


def _echo_or_exit(data: bytes | None) -> bytes:
    """In a worker: `data` back, or (None) the worker ends at once, as if it crashed."""
    if data is None:
        import os

        os._exit(3)
    return data


def test_no_more_workers_than_pieces(tmp_path, monkeypatch):
    # --jobs 300 on a file of 50 pieces forked 300 workers (4.2 s against 0.7 with 4).
    forked = pools_started(monkeypatch)
    data = sample(400, 3)
    one, many, _ = from_a_file(tmp_path, data, translit.Options(), jobs=50,
                               piece_bytes=len(data) // 3 + 1)
    assert forked == [3] and many == one


def from_a_file(tmp_path, data: bytes, options: translit.Options, **kwargs):
    """`data` converted by one process, and by `convert_in_parallel` (with `kwargs`) from a
    file that holds it: (one's output, the workers' output, their stats)."""
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    one, many = io.BytesIO(), io.BytesIO()
    convert_stream(io.BytesIO(data), one, translit.get_transliterator(options),
                   interactive=False)
    with open(path, "rb") as source:
        stats = convert_in_parallel(source, many, options, **kwargs)
    return one.getvalue(), many.getvalue(), stats


def pieces_converted_here(monkeypatch) -> list[int]:
    """The process of each piece converted in this one from now on (a worker's list is its
    own copy: the list grows only with the parent's pieces)."""
    from translit.files import parallel

    in_parent: list[int] = []
    real = parallel._convert_piece

    def converting(*args):
        in_parent.append(os.getpid())
        return real(*args)

    monkeypatch.setattr(parallel, "_convert_piece", converting)
    return in_parent


def pools_started(monkeypatch) -> list[int]:
    """The number of workers of each pool started from now on (the list grows)."""
    from translit.files import parallel

    forked: list[int] = []
    real = parallel.Workers.__init__

    def counting(self, function, jobs):
        forked.append(jobs)
        real(self, function, jobs)

    monkeypatch.setattr(parallel.Workers, "__init__", counting)
    return forked


@pytest.mark.parametrize("target, text", [
    ("cyrillic", "kitob daftar Shahar oʻgʻil maʼno film, «Toshkent» 2026 AQSh yoʻl\n"),
    ("latin", "Китоб дафтар Шаҳар ўғил маъно фильм, «Тошкент» 2026 АҚШ йўл щётка\n"),
])
def test_a_pieces_answer_fits_in_the_pipe_back(target, text):
    # A worker whose answer does not fit in the pipe waits for the parent to read it
    # (between the results it writes) before it goes on: the pieces of a direction are
    # small enough for their output to fit, the direction's `growth` being its most.
    from translit.files.parallel import PIPE_BYTES, piece_size

    options = translit.Options(target=target)
    growth = translit.get_transliterator(options).direction.growth
    data = (text * (piece_size(growth) // len(text.encode()) + 1)).encode()[:piece_size(growth)]
    data = data[:data.rfind(b"\n") + 1]
    out = io.BytesIO()
    convert_stream(io.BytesIO(data), out, translit.get_transliterator(options), interactive=False)
    assert len(out.getvalue()) <= growth * len(data)
    assert len(pickle.dumps((out.getvalue(), 10_000, True, {}))) < PIPE_BYTES


@pytest.mark.timeout(60)
@pytest.mark.parametrize("frozen_before", [False, True])
def test_what_the_command_built_is_frozen_before_the_workers_fork(tmp_path, frozen_before):
    # A command that froze its start-up (cli/main.py) has the tables and word lists it built
    # since frozen too before forking: the workers' collections do not walk (and so copy)
    # them. Where nothing was frozen (the library in another program), nothing is.
    path = tmp_path / "in.txt"
    path.write_text("Toshkent shahri, film va Linux'da kitoblar.\n" * 20_000, encoding="utf-8")
    code = ("import gc, io, translit\n"
            "from translit.files.parallel import convert_in_parallel\n"
            f"if {frozen_before}:\n"
            "    gc.freeze()\n"
            "before = gc.get_freeze_count()\n"
            f"with open({str(path)!r}, 'rb') as source:\n"
            "    convert_in_parallel(source, io.BytesIO(), translit.Options(target='cyrillic'),\n"
            "                        jobs=2, piece_bytes=200_000)\n"
            "counts = []\n"
            "for _ in range(2):  # (a second file of a folder: its garbage is not frozen)\n"
            "    garbage = [[]]\n"
            "    garbage[0].append(garbage)\n"
            f"    with open({str(path)!r}, 'rb') as source:\n"
            "        convert_in_parallel(source, io.BytesIO(), translit.Options(target='cyrillic'),\n"
            "                            jobs=2, piece_bytes=200_000)\n"
            "    del garbage\n"
            "    counts.append(gc.get_freeze_count())\n"
            "print(before > 0, counts[0] > before, counts[1] == counts[0])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(frozen_before)] * 2 + ["True"]


@pytest.mark.timeout(60)
def test_workers_start_where_the_system_refuses_a_file_in_memory(monkeypatch):
    # os.memfd_create exists wherever Python was built against a C library that has it, but
    # the kernel may not (before Linux 3.17: ENOSYS) or a sandbox may forbid it (EPERM): the
    # announcements then go to an unnamed file on disk, as before memfd was used.
    import errno

    from translit.files.parallel import workers

    def refused(*args: object) -> int:
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(os, "memfd_create", refused, raising=False)
    with workers(_echo_or_exit, 1) as pool:
        assert list(pool.map([(b"x",)], 2)) == [b"x"]


@pytest.mark.parametrize("data, size", [
    (sample(200_000, 7), 300_000),  # many pieces: the last ones shrink
    (b"kitob\n" * 30_000, 1 << 20),  # smaller than one piece
    ("ер ".encode() * (NO_CUT_LIMIT // 2), 1 << 20),  # one long line (safe cuts)
])
def test_shared_pieces_shrink_toward_the_end_and_still_cover_the_file(tmp_path, data, size):
    # With `share`, a piece is at most 1/share of what is left, never below SMALLEST_PIECE
    # (but the last): the processes that convert the last pieces end together.
    from translit.files.parallel import SMALLEST_PIECE

    path = tmp_path / "in.txt"
    path.write_bytes(data)
    transliterator = translit.get_transliterator()
    with open(path, "rb") as source:
        ranges = list(file_pieces(source.fileno(), 0, len(data), transliterator, size,
                                  share=2))
        whole = list(file_pieces(source.fileno(), 0, len(data), transliterator, size))
    parts = [data[offset:offset + length] for offset, length in ranges]
    assert b"".join(parts) == data and all(parts)
    for part in parts[:-1]:
        assert part.endswith(b"\n") or part.decode()  # a line break, or a safe cut
    if len(data) < NO_CUT_LIMIT:  # (in a long line the cuts are where they are safe)
        lengths = [length for _, length in ranges]
        assert max(lengths) <= size
        assert all(length >= SMALLEST_PIECE - 200 for length in lengths[:-1])  # (to a line)
        left = [len(data) - offset for offset, _ in ranges]
        assert all(length <= max(left_here // 2, SMALLEST_PIECE)
                   for length, left_here in zip(lengths[:-1], left))
        if len(data) > 2 * size:
            assert len(ranges) > len(whole)  # smaller pieces at the end
            assert ranges[-1][1] < size // 2 and ranges[0][1] > size - 200


def test_the_parent_converts_pieces_too_where_the_output_grows(tmp_path, monkeypatch):
    # Latin → Cyrillic of a file: the parent converts pieces itself whenever no answer
    # waits (one worker fewer than --jobs), and the result is one process's.
    forked = pools_started(monkeypatch)
    in_parent = pieces_converted_here(monkeypatch)
    text = "Toshkent shahri, oʻgʻil va film. Maʼno «kitob» 2026-yil.\n"
    data = (text * 40_000).encode()  # 2.4 MB: 8 pieces of 300 KB, then smaller ones
    one, many, stats = from_a_file(tmp_path, data, translit.Options(target="cyrillic"),
                                   jobs=2, piece_bytes=300_000)
    assert many == one and stats.bytes_in == len(data)
    assert forked == [1]
    assert in_parent and set(in_parent) == {os.getpid()}


def test_cyrillic_to_latin_keeps_its_workers_and_the_parent_converts_nothing(tmp_path,
                                                                              monkeypatch):
    forked = pools_started(monkeypatch)
    in_parent = pieces_converted_here(monkeypatch)
    one, many, _ = from_a_file(tmp_path, sample(20_000, 11), translit.Options(), jobs=2,
                               piece_bytes=20_000)
    assert many == one
    assert forked == [2] and in_parent == []


def _double(data: bytes) -> bytes:
    return data * 2


@pytest.mark.timeout(60)
def test_workers_map_with_the_parent_working_keeps_the_order():
    from translit.files.parallel import workers

    ran_here: list[bytes] = []

    def here(data: bytes) -> bytes:
        ran_here.append(data)
        return _double(data)

    tasks = [(str(n).encode() * 1000,) for n in range(40)]
    with workers(_double, 1) as pool:
        answers = list(pool.map(tasks, 4, 2, here))
    assert answers == [data * 2 for (data,) in tasks]
    assert ran_here and len(ran_here) < len(tasks)  # both the parent and the worker worked
