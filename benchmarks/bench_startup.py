"""Start-up of the command line and of ``import pltheory``: wall and CPU seconds of a fresh
process, the median of --repeat runs after one warm-up.

* now         ``pltheory --help`` as installed: the parser is built from light modules
              only, and ``import pltheory`` is lazy (PEP 562), so numpy, sympy, scipy,
              networkx, matplotlib and jinja2 are not imported;
* eager       the same ``--help`` after importing what it imported before: every module of
              the public API (``from pltheory import *``, what the old ``pltheory/__init__``
              imported) and the command modules the old ``pltheory/cli.py`` imported at its
              top (report, plotting, inputs, outputs; numpy with them);
* python      the interpreter alone (``python -c pass``): the floor under both.

Then ``import pltheory`` alone, with its first use of a name (``pltheory.decompose``
imports the decomposition modules it needs), and with every public name (the old cost).
The child processes get the --threads setting through OMP_NUM_THREADS and the BLAS
variables too: OpenBLAS starts its threads when numpy is imported.

    python benchmarks/bench_startup.py [--quick] [--repeat 9] [--threads 1]
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from timing import benchmark_arguments, fmt_time

#: What ``pltheory --help`` must answer within, wall clock, on an idle 2-core machine.
TARGET_SECONDS = 0.3

HELP = "from pltheory.cli import main; main(['--help'])"

#: What the old ``pltheory --help`` imported: the eager package and the old cli's imports.
EAGER = "import pltheory.cli, pltheory.report, pltheory.inputs; from pltheory import *; "


def command_line() -> list[str]:
    """``pltheory`` as installed beside this Python, else ``python -m pltheory.cli``."""
    script = Path(sys.executable).with_name("pltheory")
    found = str(script) if script.exists() else shutil.which("pltheory")
    return [found] if found else [sys.executable, "-m", "pltheory.cli"]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one child process, which must exit 0."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_times(argv: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    run_once(argv, env)  # warm-up: page cache and __pycache__
    runs = [run_once(argv, env) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def table(title: str, rows: dict[str, list[str]], env: dict[str, str], repeat: int, baseline: str) -> dict:
    times = {name: median_times(argv, env, repeat) for name, argv in rows.items()}
    print(f"{title} (ratio: wall over {baseline!r})")
    print(f"{'':<36}{'wall':>11}{'CPU':>11}{'ratio':>9}")
    for name, (wall, cpu) in times.items():
        print(f"{name:<36}{fmt_time(wall):>11}{fmt_time(cpu):>11}{wall / times[baseline][0]:>8.2f}x")
    print()
    return times


def main() -> None:
    args = benchmark_arguments(__doc__, repeat=9)
    repeat = min(args.repeat, 3) if args.quick else args.repeat
    threads = str(args.threads)
    env = {**os.environ, "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
    python = [sys.executable, "-c"]
    print(f"median of {repeat} fresh processes after one warm-up; children pinned to {threads} BLAS/OpenMP "
          f"thread(s)\n")

    cli = command_line()
    times = table("pltheory --help" + ("" if len(cli) == 1 else " (as python -m pltheory.cli)"), {
        "now": [*cli, "--help"],
        "eager (everything imported first)": [*python, EAGER + HELP],
        "python -c pass": [*python, "pass"],
    }, env, repeat, baseline="now")

    table("import pltheory", {
        "import pltheory": [*python, "import pltheory"],
        "... ; pltheory.group": [*python, "import pltheory; pltheory.group"],
        "... ; pltheory.decompose": [*python, "import pltheory; pltheory.decompose"],
        "... ; from pltheory import *": [*python, "from pltheory import *"],
    }, env, repeat, baseline="import pltheory")

    wall, cpu = times["now"]
    eager = times["eager (everything imported first)"][0]
    print(f"target: pltheory --help under {TARGET_SECONDS} s wall: {'met' if wall < TARGET_SECONDS else 'NOT met'} "
          f"({fmt_time(wall)} wall, {fmt_time(cpu)} CPU; {eager / wall:.1f}x faster than eager)")


if __name__ == "__main__":
    main()
