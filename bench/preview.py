"""Speed and memory of the --diff preview, beside the piped unified diff, in one run.

    python bench/preview.py                # 2 MB and 100 MB of make_corpus.py text
    python bench/preview.py --sizes 2
    python bench/preview.py --to cyrillic --sizes 2   # the Latin of the corpus, to Cyrillic
    python bench/preview.py --command "python -P -m translit"   # another build (PYTHONPATH)

For each size: the whole unified diff (`translit --diff FILE > /dev/null`), the whole
preview drawn for a 160-column terminal (colour forced, no pager, into /dev/null), and
the time until the first screen (50 lines) of the preview appears on a pseudo-terminal.
Times are whole processes (start-up included), medians of the rounds; peak RSS is the
largest of the process tree (os.wait4 / RUSAGE_CHILDREN).
"""

from __future__ import annotations

import argparse
import os
import platform
import select
import shlex
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from bench import TRANSLIT, corpus, latin_corpus, run  # noqa: E402
from helpers.terminal import drain, pseudo_terminal  # noqa: E402  (shared with the tests)


def measure(command: list[str], cpu: list[float] | None = None) -> tuple[float, float]:
    """Run `command` (exit 0 or 1: --diff's "would change"); seconds and peak RSS in MB
    (the CPU seconds of all its processes are appended to `cpu`)."""
    result = run(command, stdout=subprocess.DEVNULL)
    if result.status not in (0, 1):
        raise SystemExit(f"{command} failed: {result.err.decode()[-500:]}")
    if cpu is not None:
        cpu.append(result.cpu)
    return result.seconds, result.peak_kb / 1024

SCREEN_LINES = 50


def _default_sigint() -> None:
    """In the child: SIGINT as from a terminal. A bench started in the background inherits
    an ignored SIGINT, which translit rightly keeps ignored: the preview then drew all of
    100 MB after the SIGINT that ends the first-screen check."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def first_screen(path: Path, to: list[str], command: list[str]) -> tuple[float, float]:
    """Seconds until SCREEN_LINES lines of the preview are on a terminal, and peak RSS (MB)
    of the run up to then."""
    leader, follower = pseudo_terminal(SCREEN_LINES, 160)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160"}
    start = time.perf_counter()
    process = subprocess.Popen([*command, *to, "--diff", "--no-pager", str(path)], stdout=follower,
                               stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                               preexec_fn=_default_sigint)
    os.close(follower)
    seen = 0
    deadline = start + 120
    while seen < SCREEN_LINES and time.perf_counter() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                seen += os.read(leader, 65536).count(b"\n")
            except OSError:
                break
    elapsed = time.perf_counter() - start
    status = Path(f"/proc/{process.pid}/status").read_text()
    peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    process.send_signal(signal.SIGINT)
    drain(leader)
    process.wait(30)
    return elapsed, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[2, 100])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--to", choices=("latin", "cyrillic"), default="latin",
                        help="the direction (cyrillic: the corpus's Latin, made by translit)")
    parser.add_argument("--command", default=TRANSLIT, help="the translit command to run")
    args = parser.parse_args()
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {platform.system()}\n")
    print("\n".join(preview_rows(args.sizes, args.rounds, args.to,
                                  shlex.split(args.command))), flush=True)


def preview_rows(sizes: list[float], rounds: int, target: str = "latin",
                 command: list[str] | None = None) -> list[str]:
    """The table: for each size, the unified diff, the whole preview and its first screen,
    in rounds (the preview's time over the diff's is paired round by round)."""
    preview_env = {"FORCE_COLOR": "1", "COLUMNS": "160"}
    lines = ["| input | unified diff, whole | preview, whole | preview ÷ diff (paired) | "
             "CPU: diff / preview (paired ratio) | preview, first screen | "
             "peak RSS: diff / preview / first screen |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    to = [] if target == "latin" else ["--to", target]
    command = command or [TRANSLIT]
    for mb in sizes:
        path = corpus(mb) if target == "latin" else latin_corpus(mb)
        diff_times, preview_times, first_times = [], [], []
        diff_cpu: list[float] = []
        preview_cpu: list[float] = []
        rss = [0.0, 0.0, 0.0]
        for _ in range(rounds):
            seconds, peak = measure([*command, *to, "--diff", str(path)], diff_cpu)
            diff_times.append(seconds)
            rss[0] = max(rss[0], peak)
            old = {k: os.environ.get(k) for k in preview_env}
            os.environ.update(preview_env)
            try:
                seconds, peak = measure([*command, *to, "--diff", "--no-pager", str(path)],
                                        preview_cpu)
            finally:
                for key, value in old.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
            preview_times.append(seconds)
            rss[1] = max(rss[1], peak)
            seconds, peak = first_screen(path, to, command)
            first_times.append(seconds)
            rss[2] = max(rss[2], peak)
            print(f"  preview {mb:g} MB: diff {diff_times[-1]:.2f} s, preview "
                  f"{preview_times[-1]:.2f} s, first screen {seconds:.2f} s", file=sys.stderr)
        diff, whole, first = (statistics.median(t) for t in (diff_times, preview_times,
                                                            first_times))
        paired = statistics.median(p / d for p, d in zip(preview_times, diff_times))
        # CPU seconds, paired too: on a loaded machine the wall clock is mostly the queue
        cpu_paired = statistics.median(p / d for p, d in zip(preview_cpu, diff_cpu))
        label = f"{mb:g} MB" if target == "latin" else (
            f"{path.stat().st_size / 1e6:.1f} MB (the Latin of {mb:g} MB)")
        lines.append(f"| {label} | {diff:.2f} s | {whole:.2f} s | {paired:.1f}× | "
                     f"{statistics.median(diff_cpu):.2f} s / "
                     f"{statistics.median(preview_cpu):.2f} s ({cpu_paired:.1f}×) | "
                     f"{first * 1000:.0f} ms | {rss[0]:.0f} / {rss[1]:.0f} / {rss[2]:.0f} MB |")
    return lines


if __name__ == "__main__":
    sys.exit(main() or 0)
