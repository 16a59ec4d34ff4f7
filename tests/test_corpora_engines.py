"""translit on the distributed engines people already have, run for real: Dask's
distributed scheduler with two worker processes, and Apache Spark in local mode (a JVM and
Python workers), each converting a Parquet dataset of several shards; the result must be
the one-process conversion's."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import translit
from translit.files import FileOptions, convert_file

SHARDS = 4
# In two processes, this module is meant for one worker: its Dask cluster made once, the JVM
# never beside the cluster (see conftest.py: running beside another test, and why the mark
# does not hold under pytest 9).
pytestmark = pytest.mark.xdist_group("engines")


def make_dataset(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for shard in range(SHARDS):
        texts = [None if i % 11 == 0 else f"Ҳужжат {shard}-{i}: Тошкент шаҳри, 1-сентябрь"
                 if i % 3 else f"Latin row {i}, Ishoq" for i in range(300)]
        table = pa.table({"id": pa.array(range(shard * 300, shard * 300 + 300), pa.int64()),
                          "text": pa.array(texts)})
        path = folder / f"part-{shard}.parquet"
        pq.write_table(table, path, row_group_size=100, compression="zstd")
        paths.append(path)
    return paths


def one_process(paths: list[Path]) -> pa.Table:
    """The dataset converted here, in this process."""
    tables = [translit.convert_columns(pq.read_table(path), ["text"]) for path in paths]
    return pa.concat_tables(tables)


@pytest.fixture(scope="module")
def dask_folder(tmp_path_factory) -> Path:
    """The module cluster's workers' working folder (README's example names its paths
    relative to it)."""
    return tmp_path_factory.mktemp("dask")


@pytest.fixture(scope="module")
def dask_client(dask_folder):
    distributed = pytest.importorskip("distributed")  # the test extra installs it
    with contextlib.chdir(dask_folder):  # the worker processes start in it
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=40)
    client = distributed.Client(cluster)
    client.wait_for_workers(2, timeout=60)
    yield client
    client.close()
    cluster.close()


@pytest.mark.timeout(240)
def test_dask_workers_convert_shards_as_one_process_does(tmp_path, dask_client):
    paths = make_dataset(tmp_path / "in")
    workers = dask_client.scheduler_info()["workers"]
    assert len(workers) == 2 and len({w["id"] for w in workers.values()}) == 2
    # Each shard converted by the command's own operation, on the workers.
    outputs = [tmp_path / "out" / path.name for path in paths]
    settings = FileOptions()
    futures = dask_client.map(convert_file, paths, outputs, [settings] * len(paths))
    results = dask_client.gather(futures)
    assert all(result.ok and result.changed for result in results), results
    ran_on = {who for ws in dask_client.who_has(futures).values() for who in ws}
    assert len(ran_on) == 2  # both workers took part
    local = tmp_path / "local"
    for path in paths:  # the same bytes as the one-process conversion
        assert convert_file(path, local / path.name).ok
        assert (local / path.name).read_bytes() == (tmp_path / "out" / path.name).read_bytes()
    # And as a Dask DataFrame: the text column converted partition by partition.
    import dask.dataframe as dd

    frame = dd.read_parquet(str(tmp_path / "in"))
    frame["text"] = frame["text"].map_partitions(translit.convert_pandas,
                                                 meta=frame["text"]._meta)
    got = frame.compute().sort_values("id")
    expected = one_process(paths).to_pandas().sort_values("id")
    assert got["text"].fillna("\0").tolist() == expected["text"].fillna("\0").tolist()


def readme_block(marker: str) -> str:
    """The README's Python block that holds `marker` (its corpora examples run as written)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    found = [block for block in blocks if marker in block]
    assert len(found) == 1, marker
    return found[0]


@pytest.mark.timeout(240)
def test_readme_dask_example_runs_as_written(dask_folder, dask_client, monkeypatch):
    """README's Dask block, in this process as its own `__main__`, on the module's cluster:
    its `LocalCluster(n_workers=2, threads_per_worker=1)` is that cluster, started once for
    the module in the folder the block runs in (it took a second cluster and a second
    interpreter)."""
    import distributed

    cluster = dask_client.cluster
    asked: list[dict[str, object]] = []

    def module_cluster(**settings: object) -> object:
        asked.append(settings)
        return cluster

    monkeypatch.setattr(distributed, "LocalCluster", module_cluster)
    tmp_path = dask_folder
    paths = make_dataset(tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__main__"}
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(readme_block("LocalCluster"), namespace)
    finally:
        client = namespace.get("client")
        if isinstance(client, distributed.Client):
            client.close()
    assert asked == [{"n_workers": 2, "threads_per_worker": 1}]
    assert printed.getvalue().strip() == "[]"  # no shard failed
    expected = one_process(paths).column("text").to_pylist()
    for folder in ("corpus-latin", "corpus-latin-frame"):
        got = pq.read_table(tmp_path / folder).sort_by("id").column("text").to_pylist()
        assert got == expected, folder


@pytest.mark.timeout(300)
def test_readme_spark_example_runs_as_written(tmp_path, monkeypatch):
    """README's Spark block, in this process (the module's one Spark session): mapInArrow
    with convert_batches, the result the one-process conversion's."""
    pytest.importorskip("pyspark")  # the test extra installs it
    if shutil.which("java") is None:
        pytest.fail("no Java runtime: .ci/run installs one (default-jre-headless)")
    from pyspark.sql import SparkSession

    paths = make_dataset(tmp_path / "corpus")
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)  # workers: this Python, with translit
    monkeypatch.chdir(tmp_path)
    # The session the block's getOrCreate() finds, made to start fast: one Python worker
    # (each imports pyarrow, pandas and translit), the JVM's quick compiler alone, no web
    # interface (it took 100 s on the loaded machine, this 60).
    (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
     .config("spark.ui.showConsoleProgress", "false")
     .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
     .getOrCreate())
    try:
        exec(readme_block("SparkSession"), {"__name__": "readme_example"})
    finally:
        session = SparkSession.getActiveSession()
        if session is not None:
            session.stop()
    got = pq.read_table(tmp_path / "corpus-latin").sort_by("id")
    expected = one_process(paths).sort_by("id")
    assert got.column("text").to_pylist() == expected.column("text").to_pylist()
    assert got.num_rows == SHARDS * 300
