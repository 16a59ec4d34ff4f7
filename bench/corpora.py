"""Corpora: the batch API, Parquet, Dask; each against its baseline in the same run.

    python bench/corpora.py                       # all, the issue's sizes
    python bench/corpora.py --records 200000 --parquet-mb 100 --rounds 1 --only batch

- batch: N short records (a sentence each, of ../shared/bench/make_corpus.py text):
  `translit.convert_batch(records)` and a Python loop over `to_latin`, in memory, against
  the command on the same records as one file (one process, -j 1, start-up included);
  MB/s of the records' UTF-8 bytes, rounds alternating.
- parquet: a Parquet file of M MB of text in 10 row groups, converted by the command
  (-o): MB/s and the peak RSS of the process, beside the text of one row group and the
  RSS of the same file with half the row groups (memory must not grow with the file).
- dask: a dataset of Parquet shards converted by `translit.files.convert_file` on a
  dask.distributed LocalCluster of 2 worker processes and of 1, alternating; the
  speed-up, and whether the bytes out are the same as one process's.
- pickle: a Transliterator's pickled size, and its unpickling in a fresh process (the
  tables built there) and in one that has them.

Results are printed as Markdown and saved to bench/results/corpora.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import bench as base
from bench import PYTHON, RESULTS, corpus, measure

# ../shared beside the repository; TRANSLIT_SHARED names it for a clone kept elsewhere.
base.SHARED = Path(os.environ.get("TRANSLIT_SHARED", base.SHARED))

TRANSLIT = [PYTHON, str(Path(__file__).resolve().parent.parent / "scripts" / "translit")]


def sentences(mb: float, count: int) -> list[str]:
    text = corpus(mb).read_text(encoding="utf-8")
    out = [s for s in re.split(r"(?<=[.?!])\s+", text) if s]
    while len(out) < count:
        out += out
    return out[:count]


def bench_batch(count: int, rounds: int, lines: list[str]) -> None:
    import translit

    records = sentences(max(10, count * 200 / 1e6 * 1.2), count)
    size = sum(len(r.encode()) for r in records) / 1e6
    folder = Path(tempfile.mkdtemp())
    joined = folder / "records.txt"
    joined.write_text("\n".join(records) + "\n", encoding="utf-8")
    transliterator = translit.get_transliterator()
    translit.convert_batch(records[:1000])
    times: dict[str, list[float]] = {"file": [], "batch": [], "loop": []}
    for _ in range(rounds):
        seconds, _, _ = measure([*TRANSLIT, "-j", "1", str(joined), "-o", str(folder / "out.txt")])
        times["file"].append(seconds)
        start = time.perf_counter()
        batch = translit.convert_batch(records)
        times["batch"].append(time.perf_counter() - start)
        start = time.perf_counter()
        loop = [transliterator.to_latin(r) for r in records]
        times["loop"].append(time.perf_counter() - start)
        assert batch == loop or all(b == a or translit.detect_script(r).cyrillic == 0
                                    for b, a, r in zip(batch, loop, records))
    file_speed = size / statistics.median(times["file"])
    lines.append(f"\n### Batch API: {count:,} records of a sentence each ({size:.1f} MB)\n")
    lines.append("| how | median s | MB/s | of the file's MB/s |\n| --- | --- | --- | --- |")
    for name, label in (("file", "the command on them as one file (-j 1, start-up included)"),
                        ("batch", "`translit.convert_batch(records)`"),
                        ("loop", "`[t.to_latin(r) for r in records]` (baseline)")):
        median = statistics.median(times[name])
        lines.append(f"| {label} | {median:.2f} | {size / median:.1f} | "
                     f"{size / median / file_speed:.0%} |")


def write_parquet(path: Path, mb: float, groups: int) -> float:
    import pyarrow as pa
    import pyarrow.parquet as pq

    per_group = mb / groups
    sample = sentences(10, 10_000)
    mean = sum(len(r.encode()) for r in sample) / len(sample)  # bytes of a record
    records = sentences(min(mb, 200), int(per_group * 1e6 / mean))
    group = pa.table({"id": pa.array(range(len(records)), pa.int64()),
                      "text": pa.array(records)})
    group_mb = sum(len(r.encode()) for r in records) / 1e6
    with pq.ParquetWriter(path, group.schema, compression="zstd") as writer:
        for _ in range(groups):
            writer.write_table(group, row_group_size=group.num_rows)
    return group_mb


def bench_parquet(mb: float, rounds: int, lines: list[str]) -> None:
    folder = Path(tempfile.mkdtemp())
    rows = []
    for groups, size in ((5, mb / 2), (10, mb)):
        path = folder / f"{groups}.parquet"
        group_mb = write_parquet(path, size, groups)
        results = [measure([*TRANSLIT, str(path), "-o", str(folder / "out.parquet")])
                   for _ in range(rounds)]
        seconds = statistics.median(r[0] for r in results)
        peak = max(r[1] for r in results)
        rows.append((groups, group_mb * groups, group_mb, seconds, peak))
    _, base_rss, _ = measure([PYTHON, "-c", "import pyarrow.parquet, translit.files, "
                                            "translit.formats.parquet"])
    lines.append("\n### Parquet in and out (zstd, one text column and an id)\n")
    lines.append("| row groups | text MB | text MB per row group | s | MB/s | peak RSS MB | "
                 "RSS above the imports, × a row group |\n| --- | --- | --- | --- | --- | --- | --- |")
    for groups, total, group_mb, seconds, peak in rows:
        lines.append(f"| {groups} | {total:.0f} | {group_mb:.0f} | {seconds:.1f} | "
                     f"{total / seconds:.1f} | {peak:.0f} | {(peak - base_rss) / group_mb:.2f} |")
    lines.append(f"\nPython with pyarrow and translit imported: {base_rss:.0f} MB RSS.")


def bench_dask(shards: int, shard_mb: float, rounds: int, lines: list[str]) -> None:
    import distributed
    import pyarrow as pa
    import pyarrow.parquet as pq

    from translit.files import FileOptions, convert_file

    folder = Path(tempfile.mkdtemp())
    sample = sentences(10, 10_000)
    mean = sum(len(r.encode()) for r in sample) / len(sample)
    records = sentences(max(10, shards * shard_mb), int(shards * shard_mb * 1e6 / mean))
    per = len(records) // shards
    paths = []
    for i in range(shards):
        path = folder / "in" / f"part-{i}.parquet"
        path.parent.mkdir(exist_ok=True)
        pq.write_table(pa.table({"text": records[i * per:(i + 1) * per]}), path,
                       row_group_size=max(1, per // 4))
        paths.append(path)
    size = sum(len(r.encode()) for r in records[:per * shards]) / 1e6
    local = folder / "local"
    for path in paths:
        convert_file(path, local / path.name)
    times: dict[int, list[float]] = {1: [], 2: []}
    same = True
    clusters = {n: distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=40)
                for n in (1, 2)}
    try:
        clients = {n: distributed.Client(cluster) for n, cluster in clusters.items()}
        for n, client in clients.items():  # warm: the workers import translit, build tables
            client.wait_for_workers(n)
            client.run(lambda: __import__("translit").get_transliterator() and None)
        for round_ in range(rounds):
            for n in ((1, 2) if round_ % 2 == 0 else (2, 1)):
                out = folder / f"out-{n}"
                start = time.perf_counter()
                futures = clients[n].map(convert_file, paths, [out / p.name for p in paths],
                                         [FileOptions()] * len(paths), pure=False)
                results = clients[n].gather(futures)
                times[n].append(time.perf_counter() - start)
                assert all(r.ok for r in results)
                same = same and all((out / p.name).read_bytes() == (local / p.name).read_bytes()
                                    for p in paths)
    finally:
        for client in clients.values():
            client.close()
        for cluster in clusters.values():
            cluster.close()
    one, two = statistics.median(times[1]), statistics.median(times[2])
    lines.append(f"\n### Dask: {shards} Parquet shards, {size:.0f} MB of text\n")
    lines.append("| LocalCluster | median s | MB/s |\n| --- | --- | --- |")
    lines.append(f"| 1 worker process | {one:.2f} | {size / one:.1f} |")
    lines.append(f"| 2 worker processes | {two:.2f} | {size / two:.1f} |")
    lines.append(f"\nSpeed-up of 2 workers over 1: {one / two:.2f}×; bytes out the same as one "
                 f"process's: {'yes' if same else 'NO'}. Each round, s: 1 worker "
                 f"{', '.join(f'{t:.1f}' for t in times[1])}; 2 workers "
                 f"{', '.join(f'{t:.1f}' for t in times[2])}.")


def bench_pickle(lines: list[str]) -> None:
    import pickle

    import translit

    transliterator = translit.get_transliterator()
    data = pickle.dumps(transliterator)
    script = ("import pickle, sys, time; data = sys.stdin.buffer.read(); import translit.converter.transliterator;"
              "start = time.perf_counter(); pickle.loads(data); cold = time.perf_counter() - start;"
              "start = time.perf_counter(); [pickle.loads(data) for _ in range(1000)];"
              "print(cold, (time.perf_counter() - start) / 1000)")
    colds, warms = [], []
    for _ in range(5):
        out = subprocess.run([PYTHON, "-c", script], input=data, capture_output=True, check=True)
        cold, warm = map(float, out.stdout.split())
        colds.append(cold)
        warms.append(warm)
    lines.append("\n### A Transliterator sent to a worker\n")
    lines.append(f"Pickled: {len(data)} bytes (its options; the tables are rebuilt from them). "
                 f"Unpickling in a fresh worker (translit imported, tables built): "
                 f"{statistics.median(colds) * 1000:.0f} ms, median of 5; in a worker that has "
                 f"built them: {statistics.median(warms) * 1e6:.1f} µs.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--parquet-mb", type=float, default=1000)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--shard-mb", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=["batch", "parquet", "dask", "pickle"], action="append")
    args = parser.parse_args()
    only = set(args.only or ["batch", "parquet", "dask", "pickle"])
    lines = [f"## Corpora, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             f"\n{platform.platform()}, Python {platform.python_version()}, "
             f"{os.cpu_count()} CPUs, shared with other work while measured."]
    if "pickle" in only:
        bench_pickle(lines)
    if "batch" in only:
        bench_batch(args.records, args.rounds, lines)
    if "dask" in only:
        bench_dask(args.shards, args.shard_mb, args.rounds, lines)
    if "parquet" in only:
        bench_parquet(args.parquet_mb, max(1, args.rounds // 3), lines)
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "corpora.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
