"""Timing helpers shared by the benchmark scripts (run them as python benchmarks/NAME.py)."""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable


def best_time(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The best wall-clock time of ``repeat`` calls, and the last result."""
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def fmt_time(seconds: float | None, estimated: bool = False) -> str:
    """'12.34 ms', '5.67 s', '-' for None; '~... (est.)' for an estimate."""
    if seconds is None:
        return "-"
    text = f"{seconds * 1e3:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return f"~{text} (est.)" if estimated else text


def benchmark_arguments(doc: str, repeat: int) -> argparse.Namespace:
    """The options every benchmark takes: --quick, --budget, --repeat."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small cases only")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds a baseline may take; beyond, its time is estimated (default 60)")
    parser.add_argument("--repeat", type=int, default=repeat,
                        help=f"repeats of the fast method, best time shown (default {repeat})")
    return parser.parse_args()
