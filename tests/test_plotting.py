"""Drawings: the layered layout follows the kernels; figures render and save."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import pltheory as pt  # noqa: E402
from pltheory.plotting import (  # noqa: E402
    draw_interaction_graph,
    layered_positions,
    node_label,
    plot_energy_flow,
    plot_pl_map,
)


def test_layers_follow_kernel_orders():
    """C_12: faithful (order 12) on top, then orders 6, 4, 3, 2, trivial at the bottom."""
    g = pt.interaction_graph(pt.GSet.regular(pt.cyclic(12)), "relu")
    y = {k: pos[1] for k, pos in layered_positions(g).items()}
    order = {k: 12 // np.gcd(12, k) for k in range(7)}
    for a in range(7):
        for b in range(7):
            if order[a] > order[b]:
                assert y[a] > y[b]
            if order[a] == order[b]:
                assert y[a] == y[b]


def test_node_labels():
    g = pt.interaction_graph(pt.GSet.regular(pt.cyclic(12)), "relu")
    data = {**g.graph.nodes[4], "group_order": 12}
    assert [node_label(data, 4, kind) for kind in ("order", "frequency", "dim", "irrep")] == ["3", "4", "2", "4"]
    with pytest.raises(pt.PLTheoryError):
        node_label(data, 4, "colour")


def test_figures_render(tmp_path):
    X = pt.GSet.regular(pt.cyclic(8))
    g = pt.interaction_graph(X, "relu")
    fig, axes = plt.subplots(1, 3)
    draw_interaction_graph(g, axes[0], labels="frequency")
    plot_pl_map(pt.pl_map(X, 1, 0, "relu"), axes[1])
    plot_energy_flow(g, axes[2])
    fig.savefig(tmp_path / "f.png")
    plt.close(fig)
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"
    # bars of each source add up to 1 (the shares of where its energy goes)
    heights = {}
    for patch in axes[2].patches:
        x = round(patch.get_x() + patch.get_width() / 2)
        heights[x] = heights.get(x, 0) + patch.get_height()
    assert np.allclose(list(heights.values()), 1.0)
    with pytest.raises(pt.PLTheoryError, match="2-dim"):
        plot_pl_map(pt.pl_map(X, 1, 2, "relu"))
