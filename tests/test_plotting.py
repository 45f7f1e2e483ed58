"""Drawings: the layered layout follows the kernels; figures render and save."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch  # noqa: E402

import pltheory as pt  # noqa: E402
from pltheory.plotting import (  # noqa: E402
    draw_interaction_graph,
    drawn_graph,
    layered_positions,
    new_axes,
    node_label,
    plot_containment,
    plot_energy_flow,
    plot_frequency_flow,
    plot_pl_map,
    plot_sharing,
    plot_spectrum,
    plot_training_curve,
    plot_transfer,
    plot_weight,
    save_figure,
)


def test_layers_follow_the_order_of_the_image():
    """C_12: faithful (|G/ker| = 12) on top, then 6, 4, 3, 2, trivial at the bottom; the
    quotient of C_70 keeps one node per kernel, layered the same way."""
    g = pt.interaction_graph(pt.GSet.regular(pt.cyclic(12)), "relu")
    y = {k: pos[1] for k, pos in layered_positions(g).items()}
    order = {str(k): 12 // np.gcd(12, k) for k in range(7)}
    for a in order:
        for b in order:
            assert (y[a] > y[b]) == (order[a] > order[b]) and (y[a] == y[b]) == (order[a] == order[b])
    q = pt.interaction_graph(pt.GSet.regular(pt.cyclic(70)), "relu")
    quotient, is_quotient = drawn_graph(q)
    assert is_quotient and sorted(d["count"] for _, d in quotient.nodes(data=True)) == [1, 1, 2, 2, 3, 3, 12, 12]
    y = {n: pos[1] for n, pos in layered_positions(q).items()}
    assert sorted(y, key=y.get) == sorted(quotient, key=lambda n: 70 // quotient.nodes[n]["kernel_order"])


def test_node_labels():
    """The key first, everywhere; |G/ker|, the frequency or the dimension below it."""
    g = pt.interaction_graph(pt.GSet.regular(pt.cyclic(12)), "relu")
    data = {**g.graph.nodes["4"], "group_order": 12}
    assert [node_label(data, "4", kind) for kind in ("order", "frequency", "dim", "irrep")] == \
        ["4\n3", "4\n4", "4\n2", "4"]
    with pytest.raises(pt.PLTheoryError):
        node_label(data, "4", "colour")
    D = pt.interaction_graph(pt.GSet.natural(pt.dihedral(6)), "relu")
    assert [node_label(D.graph.nodes[n], n, "frequency") for n in D.nodes()] == ["A1\n0", "B1\n3", "E1\n1", "E2\n2"]
    assert [node_label(D.graph.nodes[n], n, "irrep") for n in D.nodes()] == ["A1", "B1", "E1", "E2"]
    drawn = draw_interaction_graph(D)  # the figure's first lines are the keys of the table, JSON and DOT
    assert sorted(text.get_text().split("\n")[0] for text in drawn.texts) == sorted(D.nodes())
    assert all(f'"{n}"' in D.to_dot() for n in D.nodes()) and [n["key"] for n in D.as_dict()["nodes"]] == D.nodes()
    plt.close("all")


def drawing_geometry(ax):
    """What the renderer drew: disc centres and radius, each edge's polyline with the
    indices of the discs it starts and ends on, and the node labels' boxes (pixels)."""
    ax.figure.canvas.draw()
    discs = [p for p in ax.patches if isinstance(p, Circle)]
    centres, radius = np.array([d.center for d in discs]), discs[0].radius
    edges = []
    for arrow in (p for p in ax.patches if isinstance(p, FancyArrowPatch)):
        line = np.vstack(arrow.get_path().to_polygons(closed_only=False))  # shaft, then arrowhead
        ends = [int(np.argmin(np.linalg.norm(centres - point, axis=1))) for point in (line[0], line[-1])]
        edges.append((line, *ends))
    boxes = [text.get_window_extent(ax.figure.canvas.get_renderer()) for text in ax.texts]
    return centres, radius, edges, boxes


def polyline_distance(line, point):
    """The least distance from ``point`` to the polyline ``line``."""
    a, b = line[:-1], line[1:]
    t = np.clip(((point - a) * (b - a)).sum(1) / np.maximum(((b - a) ** 2).sum(1), 1e-300), 0, 1)
    return np.linalg.norm(a + t[:, None] * (b - a) - point, axis=1).min()


def layout_problems(ax):
    """Edges through discs they do not join, self-loops far from their node, overlapping labels."""
    centres, radius, edges, boxes = drawing_geometry(ax)
    problems = []
    for line, source, target in edges:
        if source == target and np.linalg.norm(line - centres[source], axis=1).max() > 2 * radius:
            problems.append(f"the self-loop of node {source} strays more than 2 radii from it")
        for k, centre in enumerate(centres):
            if k not in (source, target) and polyline_distance(line, centre) < radius:
                problems.append(f"edge {source} -> {target} passes through the disc of node {k}")
    problems += [f"labels {i} and {j} overlap" for i in range(len(boxes)) for j in range(i)
                 if boxes[i].overlaps(boxes[j])]
    return problems


@pytest.mark.parametrize("spec", ["C12", "D8", "S4", "C70"])
def test_drawn_graphs_are_readable(spec):
    """No edge through another node's disc, self-loops small, labels apart (C_70: its quotient)."""
    graph = pt.interaction_graph(pt.GSet.regular(pt.group(spec)), "relu")
    ax = draw_interaction_graph(graph)
    centres, _, edges, _ = drawing_geometry(ax)
    assert len(centres) == drawn_graph(graph)[0].number_of_nodes() == (8 if spec == "C70" else len(graph.nodes()))
    assert len(edges) == drawn_graph(graph)[0].number_of_edges()
    assert layout_problems(ax) == []
    plt.close("all")


def test_layout_problems_are_found(monkeypatch):
    """The check fails on the layout this module replaced (C_12's chain stacked in one
    column, edges straight), on loops drawn far out, and on labels too large for their discs."""
    monkeypatch.setattr(pt.plotting, "LAYOUT_SWEEPS", 0)
    monkeypatch.setattr(pt.plotting, "EDGE_CURVATURES", (0.0,))
    monkeypatch.setattr(pt.plotting, "LOOP_OFFSET", 2.0)
    monkeypatch.setattr(pt.plotting, "LOOP_RADIUS", 1.2)
    monkeypatch.setattr(pt.plotting, "LABEL_FILL", 3.0)
    monkeypatch.setattr(pt.plotting, "LABEL_FONT", 40.0)
    problems = layout_problems(draw_interaction_graph(pt.interaction_graph(pt.GSet.regular(pt.cyclic(12)), "relu")))
    assert "edge 2 -> 4 passes through the disc of node 3" in problems  # disc indices are C_12's frequencies
    assert "the self-loop of node 0 strays more than 2 radii from it" in problems
    assert any(problem.startswith("labels") and problem.endswith("overlap") for problem in problems)
    plt.close("all")


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
    (ticks,) = plot_spectrum([0.7, 0.3], "C4", reference=[0.5, 0.5]).get_lines()
    assert list(ticks.get_ydata()) == [0.5, 0.5] and ticks.get_label() == "a random equivariant weight"
    with pytest.raises(pt.PLTheoryError, match="reference values"):
        plot_spectrum([0.7, 0.3], "C4", reference=[1.0])
    ax = plot_frequency_flow([1.0, 0.0], [0.5, 0.5])
    assert [(round(p.get_x() + p.get_width() / 2, 6), p.get_height()) for p in ax.patches] == \
        [(-0.2, 1.0), (0.8, 0.0), (0.2, 0.5), (1.2, 0.5)]
    with pytest.raises(pt.PLTheoryError, match="components"):
        plot_frequency_flow([1.0], [0.5, 0.5])
    plt.close("all")


def test_the_transfer_matrix_outlines_the_graph_and_crosses_what_lies_outside():
    transfer = np.array([[1.0, 0.0, 0.0], [0.5, 0.3, 0.2], [0.0, 0.0, 1.0]])
    ax = plot_transfer(transfer, ["0", "1", "2"], {("0", "0"), ("1", "0"), ("1", "1"), ("2", "2")})
    outlined = sorted((round(p.get_y() + 0.5), round(p.get_x() + 0.5)) for p in ax.patches)
    assert outlined == [(0, 0), (1, 0), (1, 1), (2, 2)]  # (row = source, column = target)
    (crosses,) = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert list(zip(crosses.get_ydata(), crosses.get_xdata())) == [(1, 2)]  # 1 -> 2 is outside the graph
    shown = ax.get_images()[0].get_array()
    assert shown.mask[0, 1] and not shown.mask[1, 2]  # zero shares are blank
    with pytest.raises(pt.PLTheoryError, match="square"):
        plot_transfer(np.ones((2, 3)), ["0", "1"], set())
    plt.close("all")


def test_a_figure_is_saved_with_its_svg_beside_it(tmp_path):
    ax = plot_training_curve([{"step": 0, "mse": 1.0}, {"step": 5, "mse": 0.5, "ci95": 0.1}], {"predicting 0": 1.0})
    path = save_figure(ax, tmp_path / "curve.png", dpi=150, also=("svg",))
    assert path.read_bytes()[:4] == b"\x89PNG" and (tmp_path / "curve.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(pt.PLTheoryError, match="no point"):
        plot_training_curve([{"step": 0}])


def test_save_figure_writes_the_format_of_the_suffix_atomically(tmp_path):
    ax = new_axes((3, 2))
    path = save_figure(ax, tmp_path / "f.SVG", bbox_inches="tight")
    assert path.read_text().lstrip().startswith("<?xml") and not plt.get_fignums()  # written and closed
    with pytest.raises(pt.OutputError, match="--force"):
        save_figure(new_axes(), tmp_path / "f.SVG")
    assert path.read_text().lstrip().startswith("<?xml") and not plt.get_fignums()
    save_figure(new_axes(), tmp_path / "f.SVG", force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.SVG"]  # no temporary file left
