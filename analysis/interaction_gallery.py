"""Write the interaction-graph gallery used by the documentation.

Figures (PNG) and a JSON record of every graph drawn:

* cyclic_relu.png, cyclic_abs.png   C_n on its regular set, n = 1..20 (exact method)
* torus_relu.png                    C_n x C_n on the n x n torus, n = 2..5 (exact)
* dihedral_relu.png                 D_n on the n-gon, n = 3..8 (exact)
* symmetric_relu.png                S_4 and S_5, natural and regular sets (exact)
* point_cloud_relu.png              S_20 and S_50 on points + ordered pairs (probe, centralizer algebra)
* depth2_relu.png                   C_8, C_12, D_6, S_4 regular: two ReLU layers (probe)
* pl_map.png, energy_flow.png       the PL map 1 -> 0 of C_8 and where C_12's energy goes

    python analysis/interaction_gallery.py [--out docs/gallery] [--force]

Existing figures are replaced only with --force (the gallery in docs/ is redrawn with it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import pltheory as pt  # noqa: E402
from pltheory.outputs import write_text  # noqa: E402
from pltheory.plotting import draw_interaction_graph, plot_energy_flow, plot_pl_map, save_figure  # noqa: E402

FORCE = False  # set from --force


def save(fig, path: Path) -> None:
    """Write a figure atomically (pltheory.plotting.save_figure), then close it."""
    save_figure(fig, path, dpi=150, force=FORCE)


def grid_figure(graphs: list, columns: int, path: Path, labels: str = "order") -> None:
    rows = -(-len(graphs) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 3.0 * rows), squeeze=False)
    for ax in axes.ravel()[len(graphs):]:
        ax.set_axis_off()
    for ax, graph in zip(axes.ravel(), graphs):
        draw_interaction_graph(graph, ax=ax, labels=labels)
        ax.title.set_fontsize(8)
    fig.tight_layout()
    save(fig, path)


def main() -> None:
    global FORCE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/gallery", help="output directory (default docs/gallery)")
    parser.add_argument("--force", action="store_true", help="replace existing figures")
    args = parser.parse_args()
    FORCE = args.force
    out = Path(args.out)
    record = {}

    def graphs(name: str, items: list) -> list:
        record[name] = [g.as_dict() for g in items]
        return items

    cyclic = [pt.GSet.regular(pt.cyclic(n)) for n in range(1, 21)]
    for f in ("relu", "abs"):
        grid_figure(graphs(f"cyclic_{f}", [pt.interaction_graph(X, f, method="exact", weights=True) for X in cyclic]),
                    5, out / f"cyclic_{f}.png")
    tori = [pt.GSet.grid(pt.group(f"C{n}xC{n}")) for n in range(2, 6)]
    grid_figure(graphs("torus_relu", [pt.interaction_graph(X, "relu", method="exact", weights=True) for X in tori]),
                4, out / "torus_relu.png", labels="frequency")
    dihedral = [pt.GSet.natural(pt.dihedral(n)) for n in range(3, 9)]
    grid_figure(graphs("dihedral_relu", [pt.interaction_graph(X, "relu", method="exact", weights=True)
                                          for X in dihedral]),
                3, out / "dihedral_relu.png", labels="irrep")
    symmetric = [pt.GSet.from_spec(pt.symmetric(n), x) for n in (4, 5) for x in ("natural", "regular")]
    grid_figure(graphs("symmetric_relu", [pt.interaction_graph(X, "relu", method="exact", weights=True)
                                            for X in symmetric]),
                4, out / "symmetric_relu.png", labels="irrep")
    clouds = [pt.GSet.from_spec(pt.symmetric(n), "natural+pairs") for n in (20, 50)]  # centralizer algebra
    grid_figure(graphs("point_cloud_relu", [pt.interaction_graph(X, "relu") for X in clouds]),
                2, out / "point_cloud_relu.png", labels="irrep")
    deep = [pt.GSet.regular(pt.group(spec)) for spec in ("C8", "C12", "D6", "S4")]
    grid_figure(graphs("depth2_relu", [pt.interaction_graph(X, "relu", depth=2) for X in deep]),
                4, out / "depth2_relu.png", labels="irrep")

    fig, ax = plt.subplots(figsize=(5, 4.5))
    plot_pl_map(pt.pl_map(pt.GSet.regular(pt.cyclic(8)), 1, 0, "relu"), ax=ax)
    save(fig, out / "pl_map.png")
    fig, ax = plt.subplots(figsize=(7, 4))
    plot_energy_flow(pt.interaction_graph(pt.GSet.regular(pt.cyclic(12)), "relu"), ax=ax)
    save(fig, out / "energy_flow.png")

    write_text(out / "gallery.json", json.dumps(record, indent=1), force=FORCE)
    print(f"wrote {len(list(out.glob('*.png')))} figures and gallery.json to {out}")


if __name__ == "__main__":
    try:
        main()
    except pt.PLTheoryError as exc:  # bad input or an output that exists: one line, no traceback
        sys.exit(f"{Path(__file__).name}: error: {exc}")
