"""Orbit basis of Hom_G(Fun X, Fun Y) against the dense methods other tools use.

For each case, on the same G-sets and in one run:

* orbit      pltheory.equivariant_basis: connected components over generator moves,
             O(|X||Y| k), the group never enumerated;
* nullspace  null space (SVD) of the stacked constraints (P^Y_g (x) P^X_g - I), what
             emlp/escnn-style tools do, O((|X||Y|)^3);
* reynolds   the Reynolds operator (1/|G|) sum_g P^Y_g (x) P^X_g built from all |G|
             elements, then an SVD of it;
* escnn      escnn's own basis of equivariant linear maps (C_n regular only), when
             escnn is installed.

Every method that runs must find the same dimension (asserted). A baseline whose
estimated time exceeds --budget seconds is skipped and its estimate printed instead:
dense SVD time grows as m^3 in m = |X||Y|, calibrated by a measured small case.

    python benchmarks/bench_basis.py            # full table
    python benchmarks/bench_basis.py --quick    # small cases only
"""

from __future__ import annotations

import tracemalloc
import warnings
from collections.abc import Callable

import pltheory as pt
from pltheory.groups import format_order
from pltheory.gsets import GSet

from timing import benchmark_arguments, best_time, fmt_time


def peak_memory(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def cases(quick: bool) -> list[tuple[str, str, int]]:
    sizes = {"C": [16, 32] if quick else [16, 32, 48],
             "S": [16, 32] if quick else [16, 32, 48],
             "T": [8] if quick else [8, 16, 28]}
    out = [(f"C{n} regular", f"C{n}", "regular") for n in sizes["C"]]
    out += [(f"S{n} natural", f"S{n}", "natural") for n in sizes["S"]]
    out += [(f"C{n}xC{n} torus", f"C{n}xC{n}", "grid") for n in sizes["T"]]
    if not quick:
        out.append(("S2000 natural", "S2000", "natural"))
    return out


class DenseEstimator:
    """Predicts a dense method's time as c * rows * m^2 from measured runs (SVD cost)."""

    def __init__(self) -> None:
        self.rate: float | None = None

    def estimate(self, rows: int, m: int) -> float | None:
        return None if self.rate is None else self.rate * rows * m * m

    def record(self, seconds: float, rows: int, m: int) -> None:
        rate = seconds / (rows * m * m)
        self.rate = rate if self.rate is None else max(self.rate, rate)


def escnn_basis_dim(n: int) -> Callable[[], int] | None:
    """escnn's basis of Hom_{C_n}(regular, regular), if escnn imports.

    ``kernels_on_point`` is the basis escnn's ``nn.Linear`` builds internally; the timed
    call includes building C_n and its regular representation, as a user's would.
    """
    try:
        warnings.filterwarnings("ignore", message=".*py3nj.*")
        import torch  # noqa: PLC0415 - optional
        from escnn import group as egroup  # noqa: PLC0415
        from escnn import kernels  # noqa: PLC0415
    except Exception:  # noqa: BLE001 - any import failure means "not available"
        return None

    def run() -> int:
        rho = egroup.cyclic_group(n).regular_representation
        basis = kernels.kernels_on_point(rho, rho).sample(torch.zeros(1, 1))[0]
        return int(basis.shape[0])

    return run


def magnitude(x: float | int) -> str:
    """A compact rendering of a possibly huge number: 614656, 3.00e+08, 3.32e+5735."""
    return f"{x:.0f}" if x < 1e6 else format_order(int(x))


def main() -> None:
    args = benchmark_arguments(__doc__, repeat=5)

    nullspace_est, reynolds_est = DenseEstimator(), DenseEstimator()
    # calibrate the dense estimators on a small case
    G = pt.group("C4xC4")
    X = GSet.grid(G)
    m = X.size**2
    t, _ = best_time(lambda: pt.nullspace_basis(X, X), 1)
    nullspace_est.record(t, 2 * m, m)
    t, _ = best_time(lambda: pt.reynolds_basis(X, X), 1)
    reynolds_est.record(t, m, m)

    header = (f"{'case':<18} {'|X||Y|':>9} {'dim':>5} {'orbit':>10} {'nullspace':>14} "
              f"{'reynolds':>14} {'escnn':>10} {'nullspace/orbit':>16} {'bytes/pair':>10}")
    print(header)
    print("-" * len(header))
    escnn_missing = False
    for label, spec, set_spec in cases(args.quick):
        G = pt.group(spec)
        G.max_elements = 10_000  # the orbit method never needs elements; baselines might
        X = GSet.from_spec(G, set_spec)
        m = X.size * X.size
        t_orbit, B = best_time(lambda: pt.equivariant_basis(X, X), args.repeat)
        per_pair = peak_memory(lambda: pt.equivariant_basis(X, X)) / m
        row = {"nullspace": "-", "reynolds": "-", "escnn": "-"}
        ratio = ""

        rows = G.num_generators * m
        est = nullspace_est.estimate(rows, m)
        if est is not None and est > args.budget:
            row["nullspace"] = f"skip (~{magnitude(est)} s)"
            ratio = f"~{magnitude(est / t_orbit)}x (est.)"
        else:
            t, N = best_time(lambda: pt.nullspace_basis(X, X), 1)
            assert N.shape[1] == B.dim, (label, N.shape, B.dim)
            nullspace_est.record(t, rows, m)
            row["nullspace"] = fmt_time(t)
            ratio = f"{t / t_orbit:.0f}x"

        if G.order > G.max_elements:
            row["reynolds"] = f"skip (|G|={magnitude(G.order)})"
        else:
            est = reynolds_est.estimate(m, m)
            if est is not None and est > args.budget:
                row["reynolds"] = f"skip (~{magnitude(est)} s)"
            else:
                t, R = best_time(lambda: pt.reynolds_basis(X, X), 1)
                assert R.shape[1] == B.dim, (label, R.shape, B.dim)
                reynolds_est.record(t, m, m)
                row["reynolds"] = fmt_time(t)

        if set_spec == "regular" and not G.structure.factors and spec.startswith("C"):
            run = escnn_basis_dim(G.order)
            if run is None:
                escnn_missing = True
            else:
                t, dim = best_time(run, 1)
                assert dim == B.dim, (label, dim, B.dim)
                row["escnn"] = fmt_time(t)

        print(f"{label:<18} {m:>9} {B.dim:>5} {fmt_time(t_orbit):>10} {row['nullspace']:>14} "
              f"{row['reynolds']:>14} {row['escnn']:>10} {ratio:>16} {per_pair:>10.1f}")
    print()
    print("orbit: best of", args.repeat, "runs; baselines: one run; 'est.': estimated from the "
          "measured cost of dense SVD (rows x m^2), calibrated on the C4xC4 torus and the cases run.")
    print("bytes/pair: peak memory traced while building the basis, divided by |X||Y| "
          "(constant = memory linear in |X||Y|).")
    if escnn_missing:
        print("escnn: not installed here, column left empty "
              "(pip install escnn --no-deps, plus its dependencies, to add it).")
    label_table(args.quick, args.repeat)


def label_table(quick: bool, repeat: int) -> None:
    """The orbit labels themselves: Schreier transversals and stabiliser orbits (what
    equivariant_basis does) against union-find over every pair of the product G-set (what
    it did), same run, same answer asserted."""
    cases = [("C28xC28", "grid"), ("S300", "natural"), ("S30", "pairs")]
    if not quick:
        cases += [("S2000", "natural"), ("S70", "pairs"), ("C1024", "regular")]
    print("\norbit labels: transversal (equivariant_basis) vs union-find over all pairs (the previous method)")
    print(f"{'case':<18} {'pairs':>10} {'transversal':>12} {'ns/pair':>8} {'union-find':>11} {'ns/pair':>8} "
          f"{'speed-up':>9} {'bytes/pair':>11} {'(union-find)':>13}")
    for spec, set_spec in cases:
        X = GSet.from_spec(pt.group(spec), set_spec)
        m = X.size * X.size
        t_new, labels = best_time(lambda: pt.equivariant_basis(X, X).labels, repeat)
        t_old, old = best_time(lambda: GSet.product(X, X).orbit_labels.reshape(X.size, X.size), 1)
        assert (labels == old).all(), spec
        memory_new = peak_memory(lambda: pt.equivariant_basis(X, X)) / m
        memory_old = peak_memory(lambda: GSet.product(X, X).orbit_labels) / m
        print(f"{spec + ' ' + set_spec:<18} {m:>10} {fmt_time(t_new):>12} {t_new / m * 1e9:>8.0f} "
              f"{fmt_time(t_old):>11} {t_old / m * 1e9:>8.0f} {t_old / t_new:>8.1f}x {memory_new:>11.1f} "
              f"{memory_old:>13.1f}")


if __name__ == "__main__":
    main()
