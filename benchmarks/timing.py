"""Timing helpers shared by the benchmark scripts (run them as python benchmarks/NAME.py)."""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable

from threadpoolctl import threadpool_info, threadpool_limits


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
    text = f"{seconds * 1e3:.2f} ms" if seconds < 1 else f"{seconds:.2f} s" if seconds < 1e4 else f"{seconds:.1e} s"
    return f"~{text} (est.)" if estimated else text


def benchmark_arguments(doc: str, repeat: int) -> argparse.Namespace:
    """The options every benchmark takes: --quick, --budget, --repeat, --threads. Pins the
    BLAS / OpenMP threads (threadpoolctl) and torch's threads, for both sides of every
    comparison, and prints the setting: spinning threads on a busy machine distort ratios."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small cases only")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds a baseline may take; beyond, its time is estimated (default 60)")
    parser.add_argument("--repeat", type=int, default=repeat,
                        help=f"repeats of the fast method, best time shown (default {repeat})")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS, OpenMP and torch threads for every method (default 1)")
    args = parser.parse_args()
    pin_threads(args.threads)
    return args


def pin_threads(threads: int) -> None:
    """Limit BLAS / OpenMP (threadpoolctl) and torch, if loaded, to ``threads`` and say so."""
    threadpool_limits(threads)
    pools = ", ".join(sorted({f"{p['internal_api']} {p.get('architecture') or ''}".strip()
                              for p in threadpool_info()})) or "none loaded"
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)
    print(f"threads: {threads} (BLAS/OpenMP pools: {pools}" + (", torch" if torch is not None else "") + ")\n")
