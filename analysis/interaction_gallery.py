"""Write the interaction-graph gallery used by the documentation.

Figures (PNG, 150 dpi, at most three drawings a row, about 4.5 inches each, so that the
page can show them at a readable size) and a JSON record of every graph drawn:

* cyclic_relu.png, cyclic_abs.png   C_n on its regular set, n = 5, 6, 8, 9, 12, 20 (exact method)
* cyclic_relu_all.png, cyclic_abs_all.png   the same for every n = 1..20
* torus_relu.png                    C_n x C_n on the n x n torus, n = 2..5 (exact)
* dihedral_relu.png                 D_n on the n-gon, n = 3..8 (exact)
* symmetric_relu.png                S_4 and S_5, natural and regular sets (exact)
* point_cloud_relu.png              S_20 and S_50 on points + ordered pairs (probe, centralizer algebra)
* depth2_relu.png                   C_8, C_12, D_6, S_4 regular: two ReLU layers (probe)
* relu_C12, relu_D8, relu_S4, relu_C70 (.png and .svg)   one drawing each, regular sets (probe);
                                    C_70's 36 irreducibles are drawn as their quotient by kernel
* pl_map.png, energy_flow.png       the PL map 1 -> 0 of C_8 and where C_12's energy goes

Every drawing is pltheory.plotting.draw_interaction_graph's (layered by |G/ker|, nodes
labelled by key and |G/ker|), with one legend per figure (pltheory.plotting.graph_legend).

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
from pltheory.plotting import (  # noqa: E402
    draw_interaction_graph,
    graph_legend,
    plot_energy_flow,
    plot_pl_map,
    save_figure,
)

#: Inches per drawing of a grid, the most drawings a row, and the inches kept for the legend and a title.
PANEL, COLUMNS, LEGEND_HEIGHT, TITLE_HEIGHT = 4.5, 3, 0.8, 0.45
#: The cyclic groups of the page's figures (every n = 1..20 is in the *_all figures).
CYCLIC_SHOWN = (5, 6, 8, 9, 12, 20)
#: The groups drawn alone, on their regular sets.
SINGLE = ("C12", "D8", "S4", "C70")

FORCE = False  # set from --force


def save(fig, path: Path) -> None:
    """Write a figure atomically (pltheory.plotting.save_figure), white margins cropped, then close it."""
    save_figure(fig, path, dpi=150, force=FORCE, bbox_inches="tight")


def grid_figure(graphs: list, path: Path, columns: int = COLUMNS) -> None:
    """Draw the graphs in a grid of ``columns`` drawings a row, one legend at the foot. The
    margins are fixed before drawing, so that the node labels fitted to their discs keep
    their size."""
    columns = min(columns, len(graphs))
    rows = -(-len(graphs) // columns)
    height = PANEL * rows + LEGEND_HEIGHT
    fig, axes = plt.subplots(rows, columns, figsize=(PANEL * columns, height), squeeze=False)
    fig.subplots_adjust(left=0.02, right=0.98, top=1 - TITLE_HEIGHT / height, bottom=LEGEND_HEIGHT / height,
                        wspace=0.08, hspace=TITLE_HEIGHT / PANEL)
    for ax in axes.ravel()[len(graphs):]:
        ax.set_axis_off()
    for ax, graph in zip(axes.ravel(), graphs):
        draw_interaction_graph(graph, ax=ax, legend=False)
        ax.title.set_fontsize(10)
    graph_legend(fig, graphs[0])
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
        drawn = graphs(f"cyclic_{f}", [pt.interaction_graph(X, f, method="exact", weights=True) for X in cyclic])
        grid_figure([drawn[n - 1] for n in CYCLIC_SHOWN], out / f"cyclic_{f}.png")
        grid_figure(drawn, out / f"cyclic_{f}_all.png", columns=4)
    tori = [pt.GSet.grid(pt.group(f"C{n}xC{n}")) for n in range(2, 6)]
    grid_figure(graphs("torus_relu", [pt.interaction_graph(X, "relu", method="exact", weights=True) for X in tori]),
                out / "torus_relu.png", columns=2)
    dihedral = [pt.GSet.natural(pt.dihedral(n)) for n in range(3, 9)]
    grid_figure(graphs("dihedral_relu", [pt.interaction_graph(X, "relu", method="exact", weights=True)
                                          for X in dihedral]), out / "dihedral_relu.png")
    symmetric = [pt.GSet.from_spec(pt.symmetric(n), x) for n in (4, 5) for x in ("natural", "regular")]
    grid_figure(graphs("symmetric_relu", [pt.interaction_graph(X, "relu", method="exact", weights=True)
                                            for X in symmetric]), out / "symmetric_relu.png", columns=2)
    clouds = [pt.GSet.from_spec(pt.symmetric(n), "natural+pairs") for n in (20, 50)]  # centralizer algebra
    grid_figure(graphs("point_cloud_relu", [pt.interaction_graph(X, "relu") for X in clouds]),
                out / "point_cloud_relu.png", columns=2)
    deep = [pt.GSet.regular(pt.group(spec)) for spec in ("C8", "C12", "D6", "S4")]
    grid_figure(graphs("depth2_relu", [pt.interaction_graph(X, "relu", depth=2) for X in deep]),
                out / "depth2_relu.png", columns=2)

    single = graphs("relu_single", [pt.interaction_graph(pt.GSet.regular(pt.group(spec)), "relu")
                                     for spec in SINGLE])
    for spec, graph in zip(SINGLE, single):
        for suffix in (".png", ".svg"):
            save(draw_interaction_graph(graph), out / f"relu_{spec}{suffix}")

    fig, ax = plt.subplots(figsize=(5, 4.5))
    plot_pl_map(pt.pl_map(pt.GSet.regular(pt.cyclic(8)), 1, 0, "relu"), ax=ax)
    save(fig, out / "pl_map.png")
    fig, ax = plt.subplots(figsize=(7, 4))
    plot_energy_flow(pt.interaction_graph(pt.GSet.regular(pt.cyclic(12)), "relu"), ax=ax)
    save(fig, out / "energy_flow.png")

    write_text(out / "gallery.json", json.dumps(record, indent=1), force=FORCE)
    print(f"wrote {len(list(out.glob('*.png')))} PNG and {len(list(out.glob('*.svg')))} SVG figures "
          f"and gallery.json to {out}")


if __name__ == "__main__":
    try:
        main()
    except pt.PLTheoryError as exc:  # bad input or an output that exists: one line, no traceback
        sys.exit(f"{Path(__file__).name}: error: {exc}")
