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
    new_axes,
    node_label,
    plot_containment,
    plot_energy_flow,
    plot_frequency_flow,
    plot_pl_map,
    plot_sharing,
    plot_spectrum,
    plot_weight,
    save_figure,
)


def test_layers_follow_kernel_orders():
    """C_12: faithful (order 12) on top, then orders 6, 4, 3, 2, trivial at the bottom."""
    g = pt.interaction_graph(pt.GSet.regular(pt.cyclic(12)), "relu")
    y = {k: pos[1] for k, pos in layered_positions(g).items()}
    order = {str(k): 12 // np.gcd(12, k) for k in range(7)}
    for a in order:
        for b in order:
            if order[a] > order[b]:
                assert y[a] > y[b]
            if order[a] == order[b]:
                assert y[a] == y[b]


def test_node_labels():
    g = pt.interaction_graph(pt.GSet.regular(pt.cyclic(12)), "relu")
    data = {**g.graph.nodes["4"], "group_order": 12}
    assert [node_label(data, "4", kind) for kind in ("order", "frequency", "dim", "irrep")] == ["3", "4", "2", "4"]
    with pytest.raises(pt.PLTheoryError):
        node_label(data, "4", "colour")
    D = pt.interaction_graph(pt.GSet.natural(pt.dihedral(6)), "relu")
    assert [node_label(D.graph.nodes[n], n, "frequency") for n in D.nodes()] == ["0", "3", "1", "2"]
    assert [node_label(D.graph.nodes[n], n, "irrep") for n in D.nodes()] == ["A1", "B1", "E1", "E2"]


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


def test_weight_and_sharing_images_show_the_data():
    W = np.array([[1.0, -3.0, 0.5], [0.0, 2.0, -1.0]])
    image = plot_weight(W).get_images()[0]
    assert np.array_equal(image.get_array(), W) and image.get_clim() == (-3.0, 3.0)  # symmetric about 0
    U = pt.equivariant_basis(pt.GSet.natural(pt.cyclic(3)), pt.GSet.natural(pt.cyclic(3))).sharing_matrix().toarray()
    shown = plot_sharing(-U, (3, 3)).get_images()[0].get_array()
    assert np.array_equal(shown, np.ones((3, 3)))  # every entry of a circulant is in exactly one column of U
    assert not plot_sharing(None, (3, 3)).get_images()
    with pytest.raises(pt.PLTheoryError, match="rows"):
        plot_sharing(U, (2, 2))
    plt.close("all")


def test_bar_charts_hold_the_values():
    ax = plot_containment(["a", "b"], [0.9, 0.1])
    assert [p.get_width() for p in ax.patches] == pytest.approx([0.9, 0.1])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert [p.get_height() for p in plot_spectrum([0.7, 0.3], "C4").patches] == pytest.approx([0.7, 0.3])
    ax = plot_frequency_flow([1.0, 0.0], [0.5, 0.5])
    assert [(round(p.get_x() + p.get_width() / 2, 6), p.get_height()) for p in ax.patches] == \
        [(-0.2, 1.0), (0.8, 0.0), (0.2, 0.5), (1.2, 0.5)]
    with pytest.raises(pt.PLTheoryError, match="components"):
        plot_frequency_flow([1.0], [0.5, 0.5])
    plt.close("all")


def test_save_figure_writes_the_format_of_the_suffix_atomically(tmp_path):
    ax = new_axes((3, 2))
    path = save_figure(ax, tmp_path / "f.SVG", bbox_inches="tight")
    assert path.read_text().lstrip().startswith("<?xml") and not plt.get_fignums()  # written and closed
    with pytest.raises(pt.OutputError, match="--force"):
        save_figure(new_axes(), tmp_path / "f.SVG")
    assert path.read_text().lstrip().startswith("<?xml") and not plt.get_fignums()
    save_figure(new_axes(), tmp_path / "f.SVG", force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.SVG"]  # no temporary file left
