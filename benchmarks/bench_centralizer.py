"""Isotypic decompositions from the centralizer algebra against the character method.

One table, both methods in the same run on a fresh group and G-set every repeat:

* centralizer  pltheory.decompose(X, method="centralizer"): the orbit basis of X x X, the
               algebra's structure constants and central idempotents, components named
               by their characters (no listing of G);
* characters   pltheory.decompose(X, method="characters"): lists G, its irreducibles and
               their characters, sums over G. Where it would exceed --budget (estimated
               from |G| |X|, calibrated on the cases run), or where the group is too large
               to list, the table says so instead of running it.

The centralizer side also reports the peak memory traced while it runs (Python
allocations, numpy included), in bytes per pair of points of X x X.

    python benchmarks/bench_centralizer.py            # full table
    python benchmarks/bench_centralizer.py --quick    # small cases only
"""

from __future__ import annotations

import tracemalloc

import pltheory as pt

from timing import benchmark_arguments, best_time, fmt_time

M12 = "<(0 1 2 3 4 5 6 7 8 9 10);(2 6 10 7)(3 9 4 5);(0 11)(1 10)(2 5)(3 7)(4 8)(6 9)>"
CASES = [("S5", "pairs"), ("S6", "subsets:3"), ("S7", "subsets:3"), ("S8", "pairs"), ("S10", "natural"),
         ("S7", "cosets:(0 1 2)"), ("S7", "cosets:(0 1)(2 3)"), ("S7", "cosets:(0 1)"),
         ("S20", "subsets:3"), (M12, "natural"), (M12, "pairs"), ("S50", "natural+pairs"), ("S70", "pairs")]
QUICK = CASES[:5]


def decompose(spec: str, x: str, method: str) -> dict[str, int]:
    return pt.decompose(pt.GSet.from_spec(pt.group(spec), x), method=method).multiplicities()


def peak_bytes(spec: str, x: str) -> int:
    tracemalloc.start()
    try:
        decompose(spec, x, "centralizer")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    args = benchmark_arguments(__doc__, repeat=3)
    rate = None  # seconds of the character method per |G| |X|, from the cases run
    print(f"{'group':<8}{'set':<20}{'|X|':>6}{'|G|':>12}{'centralizer':>13}{'characters':>26}{'ratio':>9}"
          f"{'bytes/pair':>12}")
    for spec, x in QUICK if args.quick else CASES:
        G = pt.group(spec)
        X = pt.GSet.from_spec(G, x)
        t_fast, fast = best_time(lambda: decompose(spec, x, "centralizer"), args.repeat)
        work = G.order * X.size
        slow, t_slow, shown = None, None, "-"
        if G.order > pt.irreducibles.GENERAL_MAX_ORDER and G.structure.kind != "symmetric":
            shown = "not run (no irreps)"
        elif G.order > 100_000:
            shown = "not run (|G| > 1e5)"
        elif rate is not None and rate * work > args.budget:
            shown = fmt_time(rate * work, estimated=True)
        else:
            t_slow, slow = best_time(lambda: decompose(spec, x, "characters"), 1)
            assert slow == fast, (spec, x, slow, fast)  # the two methods agree
            rate = t_slow / work if rate is None else max(rate, t_slow / work)
            shown = fmt_time(t_slow)
        ratio = f"{t_slow / t_fast:.0f}x" if t_slow is not None else "-"
        name = spec if len(spec) < 8 else "M12"
        order = str(G.order) if G.order < 10**9 else f"{G.order:.2e}"
        print(f"{name:<8}{x:<20}{X.size:>6}{order:>12}{fmt_time(t_fast):>13}"
              f"{shown:>26}{ratio:>9}{peak_bytes(spec, x) / X.size**2:>12.1f}")
    print("\ncentralizer: best of --repeat runs; characters: one run (agreement asserted where run); "
          "bytes/pair: peak traced memory of one centralizer run / |X|^2.")


if __name__ == "__main__":
    main()
