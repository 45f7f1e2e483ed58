"""Run an analysis script's trainings in parallel processes (one torch thread each),
printing a line per finished run and the total time; shared by the table scripts (run
them as python analysis/NAME.py, which puts this folder on the path)."""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor


def run_all(jobs: int, calls: list[tuple[Callable[..., dict], tuple, dict]], line: Callable[[dict], str]) -> list[dict]:
    """The rows that ``fn(*args, **kwargs)`` returns for each call, in the calls' order,
    ``jobs`` at a time; ``line(row)`` is printed as each one finishes."""
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(fn, *args, **kwargs) for fn, args, kwargs in calls]
        rows = []
        for future in futures:
            rows.append(future.result())
            print(line(rows[-1]), flush=True)
    print(f"all runs: {(time.perf_counter() - start) / 60:.1f} minutes")
    return rows


def add_run_options(parser: argparse.ArgumentParser, budget: float, outputs: str) -> None:
    """The options every table script takes: --jobs, --budget (minutes), --out, --force."""
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel runs (default: cores)")
    parser.add_argument("--budget", type=float, default=budget, help=f"minutes the runs may take (default {budget:g})")
    parser.add_argument("--out", default="results", help="output directory (default results)")
    parser.add_argument("--force", action="store_true", help=f"replace {outputs} in --out if it exists")
