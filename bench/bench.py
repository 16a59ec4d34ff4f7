"""Speed and memory of translit against the naive letter-map baseline, in one run.

    python bench/bench.py                 # 100 MB corpus, 3 alternating rounds
    python bench/bench.py --mb 20 --rounds 1

Every measurement is a separate process, timed from start to exit (so start-up, reading
and writing count), with its peak RSS taken from os.wait4. The core API is the exception:
it times only `to_latin` on text already in memory. Rounds alternate the candidates so that
a slow moment of the machine does not fall on one of them only. Results are printed as a
Markdown table and saved to bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
# ../shared beside the repository (or beside the folder of clones it is in), or $TRANSLIT_SHARED
SHARED = Path(os.environ.get("TRANSLIT_SHARED") or next(
    (folder / "shared" for folder in HERE.parents[1:3] if (folder / "shared").is_dir()),
    HERE.parent.parent / "shared"))
RESULTS = HERE / "results"
PYTHON = sys.executable
TRANSLIT = str(Path(PYTHON).parent / "translit")
API_SCRIPT = """
import sys, time, translit
text = open(sys.argv[1], encoding="utf-8", newline="").read()
convert = translit.get_transliterator().to_latin
start = time.perf_counter()
convert(text)
print(time.perf_counter() - start)
"""


def corpus(mb: float) -> Path:
    """The benchmark text of `mb` MB, made once by ../shared/bench/make_corpus.py."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"corpus-{mb:g}mb.txt"
    if not path.exists():  # made aside and renamed: a failed run leaves no corpus behind
        made = path.with_suffix(".part")
        with open(made, "wb") as out:
            subprocess.run([PYTHON, SHARED / "bench" / "make_corpus.py", "--mb", str(mb),
                            "--seed", "1"], stdout=out, check=True)
        made.replace(path)
    return path


class Run(NamedTuple):
    """One run of a command: its wall seconds, the largest peak RSS of it and of the
    processes it started and waited for (in KB), their CPU and user CPU seconds, its exit
    status, its standard output (when not sent to a file) and error."""

    seconds: float
    peak_kb: int
    cpu: float
    user: float
    status: int
    out: bytes
    err: bytes


# Runs a command and reports how long it took from its start to its end, and the largest
# peak RSS of it and of any process it started and waited for (worker processes included:
# RUSAGE_CHILDREN keeps the maximum). The command is started from this small process, not
# from the bench: a program's peak RSS counts the memory of the process it was started
# from (Linux records the old memory's peak at exec), and the bench holds a corpus. The
# time is taken here, around the command alone (taken around the probe, it put the
# probe's own start, about 10 ms, into every run's time, which drew every ratio to 1).
RSS_PROBE = """
import resource, subprocess, sys, time
start = time.perf_counter()
status = subprocess.run(sys.argv[1:]).returncode
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(f"\\nPEAK_RSS_KB {usage.ru_maxrss} CPU_S {usage.ru_utime + usage.ru_stime} "
                 f"USER_S {usage.ru_utime} SECONDS {seconds}\\n")
sys.exit(status)
"""


def run(command: list[str], stdin: Any = subprocess.DEVNULL, stdout: Any = subprocess.PIPE,
        **popen: Any) -> Run:
    """Run `command` through the probe (above): its time, usage, status and output."""
    result = subprocess.run([PYTHON, "-c", RSS_PROBE, *command], stdin=stdin, stdout=stdout,
                            stderr=subprocess.PIPE, **popen)
    err, _, report = result.stderr.rpartition(b"\nPEAK_RSS_KB")
    if not report:
        raise SystemExit(f"{command}: the probe said nothing: {result.stderr[-500:]!r}")
    peak_kb, _, cpu, _, user, _, seconds = report.split()
    return Run(float(seconds), int(peak_kb), float(cpu), float(user), result.returncode,
               result.stdout or b"", err)


def measure(command: list[str], stdin: Path | None = None, stdout: Path | None = None,
            cpu: list[float] | None = None, statuses: tuple[int, ...] = (0,),
            user: list[float] | None = None):
    """Run `command`; return (seconds, largest peak RSS of its processes in MB, its output);
    the CPU seconds of all its processes are appended to `cpu`, their user CPU seconds
    alone (no kernel work) to `user`. An output file given as `stdout` is made empty before
    the run starts, as every output of the bench is (`fresh`)."""
    with open(stdin or os.devnull, "rb") as source, open(stdout or os.devnull, "wb") as sink:
        result = run(command, source, sink if stdout else subprocess.PIPE)
    if result.status not in statuses:
        raise SystemExit(f"{command} failed: {result.err.decode()[-500:]}")
    if cpu is not None:
        cpu.append(result.cpu)
    if user is not None:
        user.append(result.user)
    return result.seconds, result.peak_kb / 1024, b"" if stdout else result.out


def fresh(path: Path) -> Path:
    """`path`, its file of an earlier run removed: each program then writes a new file (the
    one that replaced the last one's 100 MB, or truncated it, paid for it in its time, and
    one whose output file the bench opened did not)."""
    path.unlink(missing_ok=True)
    return path


def candidates(path: Path, out: Path) -> dict[str, tuple[list[str], Path | None, Path | None]]:
    return {
        "naive letter map (baseline)": ([PYTHON, str(HERE / "naive_map.py"), str(path), str(out)], None, None),
        FLOOR: ([PYTHON, str(HERE / "bytes_translate.py"), str(path), str(out)], None, None),
        "translit FILE -o OUT": ([TRANSLIT, str(path), "-o", str(out)], None, None),
        ONE_PROCESS: ([TRANSLIT, "--jobs", "1", str(path), "-o", str(out)], None, None),
        "translit < FILE > OUT": ([TRANSLIT], path, out),
        "translit --jobs 1 < FILE > OUT (one process)": ([TRANSLIT, "--jobs", "1"], path, out),
        "core API to_latin(text), in memory": ([PYTHON, "-c", API_SCRIPT, str(path)], None, None),
    }


WIKIPEDIA = HERE / "wikipedia_converter.php"  # a harness of ours, if MediaWiki is found


def wikipedia_converter() -> tuple[list[str] | None, str]:
    """The command of MediaWiki's UzConverter (Wikipedia's), or None and why not."""
    php = shutil.which("php")
    mediawiki = os.environ.get("MEDIAWIKI_DIR", "/usr/share/mediawiki")
    if php is None:
        return None, "php is not installed"
    if not any(Path(mediawiki, *folder, "converters", "UzConverter.php").exists()
               for folder in (("includes", "language"), ("languages",))):
        return None, f"MediaWiki is not installed ({mediawiki}; set MEDIAWIKI_DIR)"
    if not WIKIPEDIA.exists():
        return None, f"{WIKIPEDIA.name} is missing"
    return [php, str(WIKIPEDIA), mediawiki], ""


def throughput(mb: float, rounds: int) -> list[tuple[str, float, float, float]]:
    path = corpus(mb)
    size = path.stat().st_size / 1e6
    seconds: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    rss: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out.txt"
        runs = list(candidates(path, out).items())
        wikipedia, why = wikipedia_converter()
        if wikipedia is not None:
            runs.append((WIKIPEDIA_ROW,
                         ([*wikipedia, str(path)], None, out)))
        else:
            print(f"  Wikipedia's converter is not measured: {why}", file=sys.stderr)
        for round_number in range(rounds):
            shift = round_number % len(runs)
            for name, (command, stdin, stdout) in runs[shift:] + runs[:shift]:
                fresh(out)
                took, peak, printed = measure(command, stdin, stdout, cpu.setdefault(name, []))
                if printed:
                    took = float(printed)  # the API script times only the conversion
                seconds.setdefault(name, []).append(took)
                rss[name] = max(rss.get(name, 0.0), peak)
                print(f"  round {round_number + 1}: {name}: {size / took:.1f} MB/s, "
                      f"{peak:.0f} MB", file=sys.stderr)
    PAIRED.update(seconds)
    return [(name, size / statistics.median(times), statistics.median(cpu[name]), rss[name])
            for name, times in seconds.items()]


PAIRED: dict[str, list[float]] = {}  # each run's seconds, round by round (for paired ratios)
ONE_PROCESS = "translit --jobs 1 FILE -o OUT (one process)"
WIKIPEDIA_ROW = "Wikipedia's UzConverter (MediaWiki, php)"
FLOOR = "bytes.translate (the floor: one C pass, no conversion)"


def paired_ratio(numerator: str, denominator: str) -> float | None:
    """The median, over the rounds, of one run's time over another's in the same round."""
    if numerator not in PAIRED or denominator not in PAIRED:
        return None
    return statistics.median(a / b for a, b in zip(PAIRED[numerator], PAIRED[denominator]))


def latin_corpus(mb: float) -> Path:
    """The benchmark text of `mb` MB converted to Latin by translit (made once): the input
    of the other directions."""
    path = RESULTS / f"corpus-{mb:g}mb.lat.txt"
    if not path.exists():
        subprocess.run([TRANSLIT, str(corpus(mb)), "-o", str(path)], check=True)
    return path


UCONV = shutil.which("uconv")  # ICU's converter, the reverse direction's peer
ICU_ROW = "ICU uconv -x uz_Latn-uz_Cyrl FILE -o OUT (Latin in)"


REVERSE_ROW = "translit --to cyrillic FILE -o OUT (Latin in)"
REVERSE_ONE = "translit --to cyrillic --jobs 1 FILE -o OUT (Latin in, one process)"
# the rows of the reverse direction alone (the part `reverse`, on a large corpus)
REVERSE_ROWS = (REVERSE_ROW, REVERSE_ONE, f"{FLOOR} (Latin in)", ICU_ROW)


def other_directions(mb: float, rounds: int, only: tuple[str, ...] = ()
                     ) -> list[tuple[str, float, float, float]]:
    """Latin → Cyrillic and → 2026 Latin, on the Latin of the corpus (and Cyrillic → 2026
    Latin on the corpus), as the forward runs are measured (`only`: these rows alone)."""
    latin, cyrillic = latin_corpus(mb), corpus(mb)
    runs = {
        REVERSE_ROW: ([TRANSLIT, "--to", "cyrillic"], latin),
        REVERSE_ONE: ([TRANSLIT, "--to", "cyrillic", "--jobs", "1"], latin),
        # the same without the compiled pass: the pure path, the reference
        "TRANSLIT_PURE=1 translit --to cyrillic --jobs 1 FILE -o OUT (Latin in, pure path)":
            (["env", "TRANSLIT_PURE=1", TRANSLIT, "--to", "cyrillic", "--jobs", "1"], latin),
        f"{FLOOR} (Latin in)": ([PYTHON, str(HERE / "bytes_translate.py")], latin),
        **({ICU_ROW: ([UCONV, "-x", "uz_Latn-uz_Cyrl"], latin)} if UCONV else {}),
        "translit --to latin2026 FILE -o OUT (1995 Latin in)": ([TRANSLIT, "--to", "latin2026"], latin),
        "translit --to latin2026 FILE -o OUT (Cyrillic in)": ([TRANSLIT, "--to", "latin2026"], cyrillic),
    }
    if only:
        runs = {name: run for name, run in runs.items() if name in only}
    if not UCONV:
        print("  ICU's uz_Latn-uz_Cyrl is not measured: uconv is not installed "
              "(Debian: icu-devtools)", file=sys.stderr)
    seconds: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    rss: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out.txt"
        for round_number in range(rounds):
            shift = round_number % len(runs)
            order = list(runs.items())
            for name, (command, source) in order[shift:] + order[:shift]:
                took, peak, _ = measure([*command, str(source), "-o", str(fresh(out))],
                                        cpu=cpu.setdefault(name, []))
                seconds.setdefault(name, []).append(took)
                rss[name] = max(rss.get(name, 0.0), peak)
                print(f"  round {round_number + 1}: {name}: "
                      f"{source.stat().st_size / 1e6 / took:.2f} MB/s, {peak:.0f} MB", file=sys.stderr)
    PAIRED.update({f"{name} @{mb:g}": times for name, times in seconds.items()})
    return [(name, runs[name][1].stat().st_size / 1e6 / statistics.median(times),
             statistics.median(cpu[name]), rss[name]) for name, times in seconds.items()]


def other_directions_table(mb: float, rounds: int, only: tuple[str, ...] = ()) -> list[str]:
    """The other directions' rows, as Markdown, with ICU's speed beside translit's (`only`:
    these rows alone, with ICU's time ÷ translit's paired round by round)."""
    what = "Latin → Cyrillic alone" if only else "The other directions"
    lines = [f"{what}, on the corpus of {mb:g} MB (its Latin made by translit "
             f"for the Latin input, {latin_corpus(mb).stat().st_size / 1e6:.1f} MB; MB/s of "
             f"the input; median of {rounds} alternating rounds):", "",
             "| run | MB/s | × ICU | CPU s | peak RSS (largest process) |",
             "|---|---:|---:|---:|---:|"]
    others = other_directions(mb, rounds, only)
    icu = next((speed for name, speed, _, _ in others if name == ICU_ROW), None)
    lines += [f"| {name} | {speed:.2f} | {speed / icu:.2f} | {cpu:.2f} | {rss:.0f} MB |"
              if icu else f"| {name} | {speed:.2f} | – | {cpu:.2f} | {rss:.0f} MB |"
              for name, speed, cpu, rss in others]
    if icu is None:
        lines += ["", "ICU's uz_Latn-uz_Cyrl is not in this run: uconv is not installed."]
        return lines
    ratios = [(f"ICU's time ÷ {row}'s (target ≥ 4)",
               paired_ratio(f"{ICU_ROW} @{mb:g}", f"{row} @{mb:g}")) for row in (REVERSE_ROW, REVERSE_ONE)]
    lines += ["", "Paired in each round (median of the rounds' ratios):", ""]
    lines += [f"- {what}: {ratio:.2f}" for what, ratio in ratios if ratio is not None]
    return lines


def startup(runs: int = 31) -> list[tuple[str, float]]:
    """Median wall time of each command, in rounds that alternate the commands (a slow
    moment of the machine falls on all of them). translit's modules are compiled to
    bytecode first, as an installed package's are: with PYTHONDONTWRITEBYTECODE set, an
    editable install would otherwise compile every module on every start."""
    import translit

    subprocess.run([PYTHON, "-m", "compileall", "-q", str(Path(translit.__file__).parent)],
                   stdout=subprocess.DEVNULL, check=True)
    commands = {
        "python3 -c pass": [PYTHON, "-c", "pass"],
        "echo x | translit (the plain filter)": [TRANSLIT],
        "echo x | translit --jobs 1 (a simple command line: read without Typer)":
            [TRANSLIT, "--jobs", "1"],
        "echo x | translit --apostrophe ascii (an optioned command: Typer parses)":
            [TRANSLIT, "--apostrophe", "ascii"],
        "translit --version (Typer parses)": [TRANSLIT, "--version"],
        "python3 -c 'import typer' (Typer's own import)": [PYTHON, "-c", "import typer"],
    }
    python_part = Path(TRANSLIT).parent / "_translit"  # where a launcher blocks signals first
    if python_part.exists():
        commands["echo x | _translit (the plain filter without its launcher)"] = [str(python_part)]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, input=b"x\n", stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - start)
    return [(name, statistics.median(taken) * 1000) for name, taken in times.items()]


def memory_flatness(sizes: list[float]) -> list[tuple[float, float]]:
    results = []
    with tempfile.TemporaryDirectory() as work:
        for mb in sizes:
            _, peak, _ = measure([TRANSLIT, str(corpus(mb)), "-o", str(Path(work) / "o.txt")])
            results.append((mb, peak))
    return results


FOLDER_FILE_BYTES = 8 << 10  # each file of the folder runs: a few paragraphs
FOLDER_MODES = {"-o OUT": ["-o"], "-i": ["-i"], "--check": ["--check"]}
# The floor of the folder runs: the same tree written as `-o OUT` writes it (temporary files,
# fsynced then renamed in batches), with no conversion (bench/safe_copy.py): the kernel's share.
SAFE_COPY = "copy (the floor)"


def small_files(folder: Path, count: int, text: bytes) -> None:
    """`count` files of about FOLDER_FILE_BYTES each (whole lines of `text`, taken in turn
    and from the start again when it runs out), ten to a subfolder."""
    at = 0
    for i in range(count):
        if at >= len(text) - FOLDER_FILE_BYTES:
            at = 0
        end = text.find(b"\n", at + FOLDER_FILE_BYTES) + 1 or len(text)
        (folder / f"d{i % 10}").mkdir(parents=True, exist_ok=True)
        (folder / f"d{i % 10}" / f"f{i}.txt").write_bytes(text[at:end])
        at = end


def folder_command(mode: str, jobs: str, source: Path, target: Path) -> list[str]:
    if mode == SAFE_COPY:
        return [PYTHON, str(HERE / "safe_copy.py"), str(source), str(target)]
    command = [TRANSLIT, "-q", "--jobs", jobs]
    if mode == "-o OUT":
        return command + [str(source), "-o", f"{target}/"]
    return command + [*FOLDER_MODES[mode], str(target if mode == "-i" else source)]


# User CPU ms per file beyond the empty folder's (translit's own work: no kernel time for
# the files' writes), by (files, mode, jobs label): filled by `folders`.
USER_MS: dict[tuple[int, str, str], float] = {}


def folders(counts: list[int], mb: float, rounds: int, modes: tuple[str, ...] = tuple(FOLDER_MODES)
            ) -> list[tuple[int, str, str, float, float, float, float]]:
    """A folder of small files, by -o OUT, -i and --check, with one process and with the
    default workers, and copied by bench/safe_copy.py (the floor), in alternating rounds: (files, mode, jobs, files per second, CPU ms
    of all its processes per file, and the CPU ms of the same command on an empty folder
    and on a folder of one file, run in the same rounds: the fixed cost of a run)."""
    text = corpus(mb).read_bytes()
    rows = []
    # Nothing is removed until every size's rounds are done: each run writes into a folder
    # of its own. On ext4 without a journal (this machine's disk), a new file's inode is
    # looked for past every inode of its block group freed in the last 60 seconds (360 while
    # that part of the inode table waits to be written): one buffer-cache lookup each, in
    # the kernel's `recently_deleted`. Removing the last run's N files before the next made
    # each of its files pay in proportion to N: with a 10,000-file output removed first,
    # `recently_deleted` was 28-34% of a `-o OUT --jobs 1` run's CPU samples (0-9% with
    # nothing removed), and its system CPU per file 0.29-0.43 ms (0.14-0.22 ms): a CPU per
    # file that grew with the folder, the bench's own. (The disk holds every output until
    # the end, about 12 KB a file; a bench started minutes after another's removal of its
    # work folder pays the same way.)
    with tempfile.TemporaryDirectory() as work:
        runs_made = 0
        for count in counts:
            seconds: dict[tuple[str, str, int], list[float]] = {}
            cpu: dict[tuple[str, str, int], list[float]] = {}
            user: dict[tuple[str, str, int], list[float]] = {}
            runs = [(mode, jobs, size) for mode in (*modes, SAFE_COPY)
                    for jobs in (("1",) if mode == SAFE_COPY else ("1", "0"))
                    for size in (count, 0, 1)]
            sources = {size: Path(work) / f"docs{count}-{size}" for size in (count, 0, 1)}
            for size, source in sources.items():
                source.mkdir()
                small_files(source, size, text)
            for round_number in range(rounds):
                order = runs if round_number % 2 == 0 else runs[::-1]
                for mode, jobs, size in order:
                    runs_made += 1
                    target = Path(work) / f"target{runs_made}"
                    if mode == "-i":
                        shutil.copytree(sources[size], target)  # a fresh copy to convert
                    # The last run's files go to the disk now, not during this run: their
                    # kernel work was charged to whichever run came next (the CPU per file of
                    # one row varied by a third).
                    os.sync()
                    command = folder_command(mode, jobs, sources[size], target)
                    took, _, _ = measure(command, cpu=cpu.setdefault((mode, jobs, size), []),
                                         statuses=(0, 1) if mode == "--check" else (0,),
                                         user=user.setdefault((mode, jobs, size), []))
                    seconds.setdefault((mode, jobs, size), []).append(took)
                    if size == count:
                        print(f"  round {round_number + 1}: {count} files {mode} --jobs {jobs}: "
                              f"{count / took:.0f} files/s, "
                              f"{cpu[mode, jobs, size][-1] * 1000 / count:.2f} CPU ms per file",
                              file=sys.stderr)
            for mode, jobs in dict.fromkeys((mode, jobs) for mode, jobs, _ in runs):
                label = ("one process" if mode == SAFE_COPY else "--jobs 1" if jobs == "1"
                         else f"default ({os.cpu_count()} CPUs)")
                USER_MS[count, mode, label] = (statistics.median(user[mode, jobs, count])
                                               - statistics.median(user[mode, jobs, 0])) * 1000 / count
                rows.append((count, mode, label, count / statistics.median(seconds[mode, jobs, count]),
                             statistics.median(cpu[mode, jobs, count]) * 1000 / count,
                             statistics.median(cpu[mode, jobs, 0]) * 1000,
                             statistics.median(cpu[mode, jobs, 1]) * 1000))
    return rows


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"


PARTS = ("throughput", "other", "reverse", "startup", "memory", "folders", "document", "preview")


def throughput_lines(args: argparse.Namespace) -> list[str]:
    rows = throughput(args.mb, args.rounds)
    baseline = rows[0][1]
    _, why = wikipedia_converter()
    lines = [f"Throughput on a {args.mb:g} MB realistic corpus (median of {args.rounds} "
             "alternating rounds; CPU: all its processes):", "",
             "| run | MB/s | × baseline | CPU s | peak RSS (largest process) |",
             "|---|---:|---:|---:|---:|"]
    lines += [f"| {name} | {speed:.1f} | {speed / baseline:.2f} | {cpu:.2f} | {rss:.0f} MB |"
              for name, speed, cpu, rss in rows]
    if why:
        lines += ["", f"Wikipedia's converter (MediaWiki's UzConverter) is not in this run: {why}."]
    paired = [("Wikipedia's converter's time ÷ one translit process's (target ≥ 3)",
               paired_ratio(WIKIPEDIA_ROW, ONE_PROCESS)),
              ("one translit process's time ÷ bytes.translate's (target ≤ 3)",
               paired_ratio(ONE_PROCESS, FLOOR))]
    lines += ["", "Paired in each round (median of the rounds' ratios):", ""]
    lines += [f"- {what}: {ratio:.2f}" for what, ratio in paired if ratio is not None]
    return lines


def other_lines(args: argparse.Namespace) -> list[str]:
    return other_directions_table(args.other_mb, args.rounds)


def reverse_lines(args: argparse.Namespace) -> list[str]:
    """Latin → Cyrillic on the corpus of the throughput rows (--mb): the steady speed, where
    the start-up (about 50 ms, ICU's 5) weighs little; the other part's rows are on --other-mb."""
    return other_directions_table(args.mb, args.rounds, REVERSE_ROWS)


def startup_lines(args: argparse.Namespace) -> list[str]:
    times = startup()
    bare = times[0][1]
    lines = ["Start-up (median of 31 alternating runs):", "", "| command | ms | × bare Python |",
             "|---|---:|---:|"]
    pipe = "\\|"  # a | inside a table's cell
    lines += [f"| {name.replace('|', pipe)} | {ms:.1f} | {ms / bare:.2f} |" for name, ms in times]
    return lines


def memory_lines(args: argparse.Namespace) -> list[str]:
    sizes = [float(s) for s in args.rss_sizes.split(",")]
    lines = ["Peak RSS of `translit FILE -o OUT` by input size (largest process):", "",
             "| input | peak RSS |", "|---:|---:|"]
    lines += [f"| {mb:g} MB | {rss:.0f} MB |" for mb, rss in memory_flatness(sizes)]
    return lines


def folder_lines(args: argparse.Namespace) -> list[str]:
    counts = [int(n) for n in args.files.split(",")]
    rounds = args.folder_rounds or args.rounds
    started = time.perf_counter()
    one_process: dict[tuple[int, str], float] = {}
    total_ms: dict[tuple[str, str], dict[int, float]] = {}  # CPU ms of the whole run
    marginal: dict[tuple[str, str], list[float]] = {}
    mb = float(args.rss_sizes.split(",")[0])
    rows = []
    modes = tuple(args.folder_modes.split(",")) if args.folder_modes else tuple(FOLDER_MODES)
    unknown = [mode for mode in modes if mode not in FOLDER_MODES]
    if unknown:
        raise SystemExit(f"--folder-modes: no mode {unknown[0]} (there are "
                         f"{','.join(FOLDER_MODES)})")
    for count, mode, label, speed, cpu_ms, empty_ms, one_ms in folders(counts, mb, rounds, modes):
        one_process.setdefault((count, mode), cpu_ms)
        total_ms.setdefault((mode, label), {})[count] = cpu_ms * count
        beyond_empty = (cpu_ms * count - empty_ms) / count  # the files' own CPU, per file
        marginal.setdefault((mode, label), []).append(beyond_empty)
        rows.append(f"| {count} | {mode} | {label} | {speed:.0f} | {cpu_ms:.2f} | "
                    f"{beyond_empty:.2f} | {empty_ms:.0f} / {one_ms:.0f} | "
                    f"{cpu_ms / one_process[count, mode]:.2f} |")
    took = time.perf_counter() - started
    lines = [f"A folder of small files (about {FOLDER_FILE_BYTES >> 10} KB each; "
             f"median of {rounds} alternating rounds; CPU: all its processes; "
             f"these rows took {took / 60:.1f} minutes; the fixed cost is the same command "
             "on an empty folder and on a folder of one file, in the same rounds):", "",
             "| files | mode | jobs | files/s | CPU ms per file (total ÷ files) | "
             "CPU ms per file beyond the empty folder's | CPU ms: empty folder / one file | "
             "CPU × --jobs 1 |",
             "|---:|---|---|---:|---:|---:|---:|---:|", *rows]
    if len(counts) > 1:  # linear: the CPU per file the same at every size (target ±20%)
        first, last = counts[0], counts[-1]
        lines += ["", f"CPU per file at {last:,} files ÷ at {first:,} (target 0.80–1.20), "
                  "beyond the empty folder's (total ÷ files in brackets): " + ", ".join(
                      f"{mode} {label} {cpus[-1] / cpus[0]:.2f} "
                      f"({total_ms[mode, label][last] / last / (total_ms[mode, label][first] / first):.2f})"
                      for (mode, label), cpus in marginal.items()),
                  "", "The same in user CPU alone (the processes' own work; the rest is the "
                  "kernel's, writing the files): " + ", ".join(
                      f"{mode} {label} {USER_MS[last, mode, label] / USER_MS[first, mode, label]:.2f}"
                      for (mode, label) in marginal),
                  "", f"Marginal CPU ms per file, (CPU({last:,}) − CPU({first:,})) ÷ "
                  f"{last - first:,}: " + ", ".join(
                      f"{mode} {label} {(runs[last] - runs[first]) / (last - first):.2f}"
                      for (mode, label), runs in total_ms.items())]
    return lines


DOCUMENT_MB = 30  # the Word document (29.9 MB, 131 MB of XML)


def document_lines(args: argparse.Namespace) -> list[str]:
    """A large Word document made by bench/documents.py, converted whole: seconds, MB/s of
    its XML and peak RSS (targets: at most 200 MB, at least 5 MB/s of XML)."""
    from documents import make_large_docx  # bench/documents.py, beside this file

    seconds, peaks, cpu = [], [], []
    with tempfile.TemporaryDirectory() as work:
        document = Path(work) / f"doc{args.document_mb:g}.docx"
        xml = make_large_docx(document, args.document_mb)
        for round_number in range(args.rounds):
            out = Path(work) / "out.docx"
            out.unlink(missing_ok=True)
            took, peak, _ = measure([TRANSLIT, str(document), "-o", str(out)], cpu=cpu)
            seconds.append(took)
            peaks.append(peak)
            print(f"  round {round_number + 1}: document: {took:.1f} s, {peak:.0f} MB",
                  file=sys.stderr)
        size = document.stat().st_size / (1 << 20)
    median = statistics.median(seconds)
    return [f"A Word document (bench/documents.py; median of {args.rounds} rounds; "
            "targets: peak RSS ≤ 200 MB, ≥ 5 MB/s of XML):", "",
            "| .docx | seconds | CPU s | MB/s of XML | peak RSS |", "|---:|---:|---:|---:|---:|",
            f"| {size:.1f} MB ({xml / (1 << 20):.0f} MB XML) | {median:.1f} | "
            f"{statistics.median(cpu):.1f} | {xml / (1 << 20) / median:.2f} | "
            f"{max(peaks):.0f} MB |"]


def preview_lines(args: argparse.Namespace) -> list[str]:
    from preview import preview_rows  # bench/preview.py, beside this file

    sizes = [float(s) for s in args.preview_sizes.split(",")]
    return ["The --diff preview beside the unified diff (bench/preview.py; whole processes, "
            f"median of {args.rounds} rounds; the first screen on a pseudo-terminal):", "",
            *preview_rows(sizes, args.rounds)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rss-sizes", default="20,200", help="corpus sizes for the memory check")
    parser.add_argument("--files", default="2000,10000",
                        help="numbers of files for the folder runs")
    parser.add_argument("--folder-rounds", type=int, default=0,
                        help="rounds of the folder runs (default: --rounds); 10,000 files "
                             "take some minutes a round")
    parser.add_argument("--folder-modes", default="",
                        help=f"the folder runs' modes, of {','.join(FOLDER_MODES)} (default: all; "
                             "--jobs 1 writes a 10,000-file folder in minutes on a busy disk)")
    parser.add_argument("--document-mb", type=float, default=DOCUMENT_MB,
                        help="size of the Word document made for the document row")
    parser.add_argument("--other-mb", type=float, default=10,
                        help="corpus size for the other directions (slower: word by word)")
    parser.add_argument("--preview-sizes", default="2,100", help="corpus sizes for the preview")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"what to measure, of {','.join(PARTS)} (default: all)")
    parser.add_argument("--other-only", action="store_true",
                        help="measure the other directions only (as --parts other)")
    args = parser.parse_args()
    if args.other_only:
        args.parts = "other"
    if not shutil.which(TRANSLIT):
        raise SystemExit(f"{TRANSLIT} not found: install translit in this Python first")
    parts = {"throughput": throughput_lines, "other": other_lines, "reverse": reverse_lines,
             "startup": startup_lines,
             "memory": memory_lines, "folders": folder_lines, "document": document_lines,
             "preview": preview_lines}
    chosen = args.parts.split(",")
    unknown = [part for part in chosen if part not in parts]
    if unknown:
        raise SystemExit(f"--parts: no part {unknown[0]} (there are {', '.join(PARTS)})")
    import translit  # its modules compiled first, as an installed package's are

    subprocess.run([PYTHON, "-m", "compileall", "-q", str(Path(translit.__file__).parent)],
                   stdout=subprocess.DEVNULL, check=True)
    lines = [f"Machine: {machine()}; {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC; load before the "
             f"run {os.getloadavg()[0]:.2f}.", ""]
    for part in chosen:
        lines += [*parts[part](args), ""]
    lines.append(f"Load average after the run: {os.getloadavg()[0]:.2f}.")
    report = "\n".join(lines) + "\n"
    print(report)
    RESULTS.mkdir(exist_ok=True)  # (made by the parts that write a corpus; --parts startup writes none)
    (RESULTS / "latest.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
