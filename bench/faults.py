"""Fault injection: interrupt `translit -i` at random moments and count what is left.

    python bench/faults.py --runs 50            # 50 runs of each signal kind
    python bench/faults.py --runs 2 --largest 1048576 --check   # the test suite's short soak
    python bench/faults.py --runs 20 --into-folder           # DIR -o OUT/, its batches

Each run converts a fresh folder (1 to 6 files of 1 KB to 20 MB, one or two worker
processes) and is sent SIGINT, SIGTERM, SIGHUP or SIGKILL at a random moment after
translit's first instruction. Afterwards every file must be either its original, byte for
byte, or its complete conversion; temporary files may be left only by SIGKILL, and the
next run in that folder must remove them. The table counts each outcome; with --check the
exit status is 1 when any run lost something (a file neither intact nor converted, a bad
exit status or a message, a temporary left by a signal that can be caught, or left after
the next run).
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import translit  # noqa: E402

SCRIPT = Path(sys.executable).parent / "translit"
LINE = "Ўзбекистон Республикаси ҳақида маълумот, ШАҲАР объект маъно.\n"
SIZES = [1 << 10, 64 << 10, 1 << 20, 5 << 20, 20 << 20]
KINDS = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP,
         "SIGKILL": signal.SIGKILL}


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".translit-tmp")]


def started(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    caught = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught, 16) & (1 << (signal.SIGTERM - 1)))


def default_signals() -> None:
    """As from a terminal: a script started in the background would inherit an ignored
    SIGINT (and nohup an ignored SIGHUP), which translit rightly keeps ignored."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def interrupted(command: list[str], rng: random.Random, signum: int, most: float
                ) -> tuple[int, bytes]:
    """Start `command`, send it `signum` at a random moment within `most` seconds of its
    start: its exit status and what it wrote to standard error."""
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           preexec_fn=default_signals)
    deadline = time.monotonic() + 30
    while not started(run.pid) and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(rng.uniform(0, most))
    run.send_signal(signum)
    code = run.wait(60)
    return code, run.stderr.read() if run.stderr else b""


def new_counts(files: int) -> dict[str, int]:
    return {"files": files, "intact": 0, "converted": 0, "other": 0, "temporaries left": 0,
            "left after the next run": 0, "bad exit or noise": 0}


def one_run(rng: random.Random, signum: int, folder: Path,
            sizes: list[int] = SIZES) -> dict[str, int]:
    originals = {}
    for i in range(rng.randint(1, 6)):
        size = rng.choice(sizes)
        text = (LINE * (size // len(LINE.encode()) + 1))
        originals[folder / f"f{i}.txt"] = text.encode()
        (folder / f"f{i}.txt").write_bytes(text.encode())
    jobs = rng.choice(["1", "2"])
    code, stderr = interrupted([str(SCRIPT), "-q", "-i", "--jobs", jobs, *map(str, originals)],
                               rng, signum, 0.6)
    counts = new_counts(len(originals))
    for path, data in originals.items():
        now = path.read_bytes()
        if now == data:
            counts["intact"] += 1
        elif now == translit.to_latin(data.decode()).encode():
            counts["converted"] += 1
        else:
            counts["other"] += 1
    left = temporaries(folder)
    counts["temporaries left"] = len(left)
    if signum != signal.SIGKILL and (code not in (0, 128 + signum) or stderr):
        counts["bad exit or noise"] += 1
    if left:
        time.sleep(2.1)  # a temporary is abandoned once it is older than that and unlocked
        subprocess.run([str(SCRIPT), "-q", "-i", str(next(iter(originals)))], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        counts["left after the next run"] = len(temporaries(folder))
    return counts


def one_run_into(rng: random.Random, signum: int, folder: Path,
                 sizes: list[int] = SIZES) -> dict[str, int]:
    """A folder of 20 to 200 files (1 KB to 64 KB) converted into another (`DIR -o OUT/`,
    whose outputs are made durable in batches), interrupted: every output there must be
    its input's complete conversion, and no input changed."""
    originals = {}
    for i in range(rng.randint(20, 200)):
        size = rng.choice([size for size in sizes if size <= 64 << 10])
        data = (LINE * (size // len(LINE.encode()) + 1)).encode()
        originals[folder / "in" / f"d{i % 3}" / f"f{i}.txt"] = data
        (folder / "in" / f"d{i % 3}").mkdir(parents=True, exist_ok=True)
        (folder / "in" / f"d{i % 3}" / f"f{i}.txt").write_bytes(data)
    out = folder / "out"
    command = [str(SCRIPT), "-q", "--jobs", rng.choice(["1", "2"]), str(folder / "in"),
               "-o", f"{out}/"]
    code, stderr = interrupted(command, rng, signum, 0.4)
    counts = new_counts(len(originals))
    for path, data in originals.items():
        output = out / path.relative_to(folder / "in")
        if path.read_bytes() != data:
            counts["other"] += 1
        elif not output.exists():
            counts["intact"] += 1  # (not written yet: the output is absent, as before)
        elif output.read_bytes() == translit.to_latin(data.decode()).encode():
            counts["converted"] += 1
        else:
            counts["other"] += 1
    left = [p for p in out.rglob("*.translit-tmp")] if out.exists() else []
    counts["temporaries left"] = len(left)
    if signum != signal.SIGKILL and (code not in (0, 128 + signum) or stderr):
        counts["bad exit or noise"] += 1
    if left:
        time.sleep(2.1)
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)
        counts["left after the next run"] = len(list(out.rglob("*.translit-tmp")))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each signal kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--largest", type=int, default=SIZES[-1],
                        help="the largest file's size in bytes (of 1 KB, 64 KB, 1 MB, 5 MB, 20 MB)")
    parser.add_argument("--into-folder", action="store_true",
                        help="interrupt `translit DIR -o OUT/` on 20-200 small files instead of -i "
                             "(an output absent counts as intact)")
    parser.add_argument("--check", action="store_true",
                        help="exit with status 1 when any run lost something")
    args = parser.parse_args()
    sizes = [size for size in SIZES if size <= args.largest] or SIZES[:1]
    rng = random.Random(args.seed)
    lost = 0
    columns = ["runs", "files", "intact", "converted", "other", "temporaries left",
               "left after the next run", "bad exit or noise"]
    print("| signal | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name, signum in KINDS.items():
        totals = dict.fromkeys(columns, 0)
        for _ in range(args.runs):
            folder = Path(tempfile.mkdtemp(prefix="translit-faults-"))
            try:
                run = one_run_into if args.into_folder else one_run
                for key, value in run(rng, signum, folder, sizes).items():
                    totals[key] += value
                totals["runs"] += 1
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        print(f"| {name} | " + " | ".join(str(totals[c]) for c in columns) + " |", flush=True)
        lost += totals["other"] + totals["left after the next run"] + totals["bad exit or noise"]
        if signum != signal.SIGKILL:
            lost += totals["temporaries left"]
    if args.check and lost:
        raise SystemExit(f"faults: {lost} runs or files lost something")


if __name__ == "__main__":
    main()
