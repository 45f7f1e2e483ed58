"""Interaction graphs of C_n (regular representation, ReLU) against a straightforward
implementation, and the cost of the exact method and of the closed-form cross-check.

1. probe   pltheory.interaction_graph(method="probe"): all probes of all components in
           one batch, activations vectorised, target energies read off one FFT;
   dense   the straightforward way: dense orthogonal projectors E_j = Q_j Q_j^T, one probe
           vector at a time, ||E_j f(v)||^2 for every target j. Same probes, same edges
           (asserted); past --budget seconds it is estimated from its n^4 cost.
2. exact   pltheory.interaction_graph(method="exact") for n up to 64 (cones and
           cyclotomic divisibility in integer arithmetic), and all n = 1..64 in one go.
3. cross-check: closed form against probe for every n <= 200, ReLU and Abs (asserted).

    python benchmarks/bench_interaction.py            # full tables
    python benchmarks/bench_interaction.py --quick    # small cases only
"""

from __future__ import annotations

import time

import numpy as np

import pltheory as pt
from pltheory.tolerances import PROBE_TOL

from timing import benchmark_arguments, best_time, fmt_time

PROBES = 8


def dense_graph(n: int, f: pt.Activation) -> set[tuple[str, str]]:
    """Edges by dense projectors and one probe vector at a time."""
    X = pt.GSet.regular(pt.cyclic(n))
    D = pt.decompose(X)
    projectors = [c.basis @ c.basis.T for c in D.components]
    rng = np.random.default_rng(0)
    found = set()
    for c in D.components:
        for _ in range(PROBES):
            coeffs = rng.normal(size=c.dim)
            h = f(c.basis @ (coeffs / np.linalg.norm(coeffs)))
            total = float(h @ h)
            if total == 0:
                continue
            for t, E in zip(D.components, projectors):
                if np.sum((E @ h) ** 2) / total > PROBE_TOL:
                    found.add((c.irrep.key, t.irrep.key))
    return found


def probe_graph(n: int, f: str) -> set[tuple[str, str]]:
    return pt.interaction_graph(pt.GSet.regular(pt.cyclic(n)), f, probes=PROBES).edges()


def probe_table(quick: bool, budget: float, repeat: int) -> None:
    sizes = [64, 128, 256] if quick else [64, 128, 256, 512, 1024]
    relu = pt.activation("relu")
    rate = None
    print("1. C_n regular, ReLU, probe method vs dense projectors one vector at a time")
    print(f"{'n':>6}{'edges':>8}{'probe':>12}{'dense':>22}{'dense/probe':>13}")
    for n in sizes:
        t_probe, edges = best_time(lambda: probe_graph(n, "relu"), repeat)
        work = (n / 2) ** 2 * PROBES * n * n
        estimate = None if rate is None else rate * work
        t_dense = None
        if estimate is None or estimate < budget:
            t_dense, dense = best_time(lambda: dense_graph(n, relu), 1)
            assert dense == edges, n
            rate = t_dense / work if rate is None else max(rate, t_dense / work)
        shown = t_dense if t_dense is not None else estimate
        print(f"{n:>6}{len(edges):>8}{fmt_time(t_probe):>12}{fmt_time(shown, t_dense is None):>22}"
              f"{shown / t_probe:>12,.0f}x")
    print()


def exact_table(quick: bool) -> None:
    print("2. Exact method (cones + cyclotomic divisibility), C_n regular")
    print(f"{'n':>12}{'relu':>12}{'abs':>12}")
    for n in ([16, 32] if quick else [16, 32, 64]):
        X = pt.GSet.regular(pt.cyclic(n))
        times = []
        for f in ("relu", "abs"):
            start = time.perf_counter()
            exact = pt.interaction_graph(X, f, method="exact").edges()
            times.append(time.perf_counter() - start)
            assert exact == pt.interaction_graph(X, f, method="closed_form").edges()
        print(f"{n:>12}{fmt_time(times[0]):>12}{fmt_time(times[1]):>12}")
    top = 32 if quick else 64
    start = time.perf_counter()
    for n in range(1, top + 1):
        pt.interaction_graph(pt.GSet.regular(pt.cyclic(n)), "relu", method="exact")
    print(f"{'all n <= ' + str(top):>12}{fmt_time(time.perf_counter() - start):>12}{'-':>12}")
    print()


def crosscheck_table(quick: bool) -> None:
    top = 60 if quick else 200
    start = time.perf_counter()
    for n in range(1, top + 1):
        X = pt.GSet.regular(pt.cyclic(n))
        for f in ("relu", "abs"):
            closed = pt.interaction_graph(X, f, method="closed_form").edges()
            assert closed == pt.interaction_graph(X, f).edges(), (n, f)
    seconds = time.perf_counter() - start
    print(f"3. Closed form = probe for every n <= {top}, ReLU and Abs: {fmt_time(seconds)}")


def main() -> None:
    args = benchmark_arguments(__doc__, repeat=3)
    probe_table(args.quick, args.budget, args.repeat)
    exact_table(args.quick)
    crosscheck_table(args.quick)


if __name__ == "__main__":
    main()
