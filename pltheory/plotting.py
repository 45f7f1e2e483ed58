"""Drawings of interaction graphs, PL maps, energy flow and learned weights (matplotlib +
networkx), and saving figures to files.

Every figure the library, the command line and the report draw is made here; matplotlib
is imported on first drawing, by this module only.

Layout convention (as in the paper's figures): nodes are layered by the order of their
kernel, faithful components (kernel of order 1, "low frequency" for C_n) on top and the
trivial component (kernel G) at the bottom, so information flows downward. Within a layer
nodes are sorted by their id. Edge width grows with the edge weight (the share of the
energy that moves along it); self-loops are drawn as small loops.

Arguments are checked on entry ([`ArgumentError`][pltheory.errors.ArgumentError]): graphs must be
[`InteractionGraph`][pltheory.interaction.graph.InteractionGraph] objects, PL maps
[`PLMap`][pltheory.interaction.pl_maps.PLMap] objects, ``ax`` a matplotlib Axes or None, and the
resolution of [`plot_pl_map`][pltheory.plotting.plot_pl_map] an integer within `RESOLUTION_RANGE`.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from pltheory.families import cyclic
>>> from pltheory.gsets import GSet
>>> from pltheory.interaction import interaction_graph
>>> ax = draw_interaction_graph(interaction_graph(GSet.regular(cyclic(8)), "relu"))
>>> ax.get_title()
'C8 on regular, relu (probe)'
>>> import matplotlib.pyplot as plt
>>> plt.close(ax.figure)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import networkx as nx
import numpy as np

from .errors import ArgumentError, PLTheoryError
from .interaction import InteractionGraph, PLMap
from .limits import check_memory
from .outputs import write_file
from .validate import check_choice, check_instance, check_integer, check_real_array

NodeLabels = Literal["order", "frequency", "dim", "irrep"]

#: Grid points per axis of [`plot_pl_map`][pltheory.plotting.plot_pl_map] (2000 x 2000 = 4 million evaluations).
RESOLUTION_RANGE = (3, 2000)

#: The node attributes each kind of node label reads.
LABEL_KEYS = {"order": ("group_order", "kernel_order"), "frequency": (), "dim": ("dim",), "irrep": ()}


def _pyplot():
    import matplotlib.pyplot as plt  # noqa: PLC0415 - matplotlib is imported on first drawing

    return plt


def offscreen() -> None:
    """Make matplotlib draw into files only (its Agg backend), as the command line and the
    report do: no window is opened, and no display is needed.

    Examples
    --------
    >>> offscreen()
    >>> import matplotlib
    >>> matplotlib.get_backend().lower()
    'agg'
    """
    import matplotlib  # noqa: PLC0415 - matplotlib is imported on first drawing

    matplotlib.use("Agg")


def new_axes(figsize: tuple[float, float] = (6, 5), columns: int = 1):
    """The Axes of a new figure of ``figsize`` inches: one, or a row of ``columns``.

    Examples
    --------
    >>> offscreen()
    >>> left, right = new_axes((8, 4), columns=2)
    >>> left.figure is right.figure
    True
    >>> import matplotlib.pyplot as plt
    >>> plt.close(left.figure)
    """
    columns = check_integer(columns, "columns", 1, 100)
    return _pyplot().subplots(1, columns, figsize=figsize)[1]


def save_figure(figure, path, *, dpi: int = 100, force: bool = False, tight_layout: bool = False,
                bbox_inches: str | None = None):
    """Write a figure to ``path`` atomically ([`pltheory.outputs.write_file`][pltheory.outputs.write_file]) in the
    format its suffix names (.png, .svg, .pdf, ...), then close it.

    Parameters
    ----------
    figure:
        A matplotlib Figure, or an Axes of the figure to save.
    path:
        The file; an existing one is replaced only with ``force``.
    dpi:
        Resolution of raster formats.
    tight_layout:
        Call ``figure.tight_layout()`` first (subplots without overlaps).
    bbox_inches:
        Passed to ``savefig``; ``"tight"`` crops the white margin.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> offscreen()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save_figure(plot_weight(np.eye(3)), pathlib.Path(folder) / "w.png").read_bytes()[:4]
    b'\\x89PNG'
    """
    plt = _pyplot()
    figure = getattr(figure, "figure", figure) if isinstance(figure, plt.Axes) else figure
    check_instance(figure, "figure", plt.Figure, "a matplotlib Figure or Axes")
    try:
        if tight_layout:
            figure.tight_layout()
        suffix = Path(path).suffix[1:].lower()
        return write_file(path, lambda temporary: figure.savefig(temporary, format=suffix, dpi=dpi,
                                                                 bbox_inches=bbox_inches), force=force)
    finally:
        plt.close(figure)


def _axes(ax: object, figsize: tuple[float, float]):
    """``ax`` if it is a matplotlib Axes, a new figure's Axes if it is None."""
    plt = _pyplot()
    if ax is None:
        return plt.subplots(figsize=figsize)[1]
    return check_instance(ax, "ax", plt.Axes, "a matplotlib Axes or None")


def _check_graph(graph: object) -> InteractionGraph:
    return check_instance(graph, "graph", InteractionGraph, "an interaction graph (pltheory.interaction_graph)")


def layered_positions(graph: InteractionGraph) -> dict:
    """Node positions: y by kernel order (largest kernel lowest), x spread within a layer.

    >>> import pltheory as pt
    >>> layered_positions(pt.interaction_graph(pt.GSet.regular(pt.cyclic(4)), "relu"))
    {'1': (0.0, 2.0), '2': (0.0, 1.0), '0': (0.0, 0.0)}
    """
    G = _check_graph(graph).graph
    kernel = {n: d["kernel_order"] or 0 for n, d in G.nodes(data=True)}  # undecided kernels: the top layer
    layers = sorted(set(kernel.values()))
    level = {k: len(layers) - 1 - i for i, k in enumerate(layers)}
    positions = {}
    for k in layers:
        members = sorted((n for n in G.nodes() if kernel[n] == k), key=str)
        for i, n in enumerate(members):
            positions[n] = (i - (len(members) - 1) / 2, float(level[k]))
    return positions


def node_label(data: dict, n: object, labels: NodeLabels) -> str:
    """The text on node ``n`` (an irreducible's key): the order of the image of G
    (n / gcd(n, k) for C_n), the frequency (D_n's rotation frequency; the key where there
    is no single frequency), the dimension of the irreducible, or its key. ``data`` holds
    the node's attributes (and ``group_order`` for ``"order"``): `LABEL_KEYS`.

    >>> data = {"kernel_order": 2, "group_order": 8, "frequency": 4, "dim": 1}
    >>> node_label(data, "4", "order"), node_label(data, "4", "frequency"), node_label(data, "4", "dim")
    ('4', '4', '1')
    """
    labels = check_choice(labels, "labels", LABEL_KEYS)
    check_instance(data, "data", dict, "a dict of node attributes")
    missing = [key for key in LABEL_KEYS[labels] if key not in data]
    if missing:
        raise ArgumentError(f"labels={labels!r} needs the node attributes {', '.join(missing)}, missing from data")
    if labels == "order":
        return str(data["group_order"] // data["kernel_order"]) if data["kernel_order"] else "?"
    frequency = data.get("frequency")
    if labels == "frequency" and isinstance(frequency, int):
        return str(frequency)
    if labels == "dim":
        return str(data["dim"])
    return str(n)


def draw_interaction_graph(graph: InteractionGraph, ax=None, labels: NodeLabels = "order"):
    """Draw an interaction graph layered by kernel, self-loops visible, edge width by weight.

    Parameters
    ----------
    graph : InteractionGraph
        The graph ([`pltheory.interaction_graph`][pltheory.interaction.build.interaction_graph]).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    labels : {"order", "frequency", "dim", "irrep"}
        The text on the nodes ([`node_label`][pltheory.plotting.node_label]).

    Returns
    -------
    matplotlib Axes
        The Axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pltheory as pt
    >>> offscreen()
    >>> graph = pt.interaction_graph(pt.GSet.regular(pt.cyclic(4)), "relu")
    >>> ax = draw_interaction_graph(graph, labels="frequency")
    >>> sorted(text.get_text() for text in ax.texts)
    ['0', '1', '2']
    >>> plt.close(ax.figure)
    """
    G = _check_graph(graph).graph
    labels = check_choice(labels, "labels", LABEL_KEYS)
    ax = _axes(ax, (6, 5))
    order = graph.X.group.order
    pos = layered_positions(graph)
    text = {n: node_label({**d, "group_order": order}, n, labels) for n, d in G.nodes(data=True)}
    weights = np.array([d["weight"] or 0.0 for _, _, d in G.edges(data=True)])  # None: not probed
    widths = 0.6 + 4 * np.sqrt(weights / weights.max()) if weights.size and weights.max() > 0 else 1.5
    nx.draw_networkx_nodes(G, pos, ax=ax, node_color="#dce9f5", edgecolors="#1f4e79", node_size=520)
    nx.draw_networkx_labels(G, pos, labels=text, ax=ax, font_size=9)
    nx.draw_networkx_edges(G, pos, ax=ax, width=widths, arrows=True, arrowsize=12,
                           node_size=520, connectionstyle="arc3,rad=0.12", edge_color="#444444")
    ax.set_title(f"{graph.X.group.name} on {graph.X.name}, {graph.activation.name} ({graph.method}"
                 + (f", depth {graph.depth}" if graph.depth > 1 else "") + ")")
    ax.set_axis_off()
    ax.margins(0.15)
    return ax


def plot_pl_map(phi: PLMap, ax=None, resolution: int = 201):
    """A PL map from a 2-dim component to a 1-dim one (e.g. the trivial component):
    filled contours of the target coordinate over the source plane, with the kink lines
    (boundaries of the linear pieces) drawn, on a grid of ``resolution`` x ``resolution``
    points (`RESOLUTION_RANGE`). Returns the Axes.

    >>> import matplotlib.pyplot as plt
    >>> import pltheory as pt
    >>> offscreen()
    >>> ax = plot_pl_map(pt.pl_map(pt.GSet.regular(pt.cyclic(4)), 1, 0), resolution=11)
    >>> ax.get_title()
    'relu: 1 -> 0'
    >>> plt.close(ax.figure)
    """
    check_instance(phi, "phi", PLMap, "a PL map (pltheory.pl_map)")
    resolution = check_integer(resolution, "resolution", *RESOLUTION_RANGE)
    if phi.source.dim != 2 or phi.target.dim != 1:
        raise ArgumentError(
            f"plot_pl_map draws a map from a 2-dim component to a 1-dim one; this one goes "
            f"from dimension {phi.source.dim} to {phi.target.dim}"
        )
    # the grid, phi's source vectors and activated vectors on Fun(X), and the values
    check_memory(8 * resolution**2 * (3 * phi.X.size + 6), f"plot_pl_map at resolution {resolution}",
                 "use a lower resolution")
    ax = _axes(ax, (5, 4.5))
    plt = _pyplot()
    t = np.linspace(-1, 1, resolution)
    U, V = np.meshgrid(t, t)
    values = phi(np.stack([U.ravel(), V.ravel()]))[0].reshape(U.shape)
    filled = ax.contourf(U, V, values, levels=21, cmap="viridis")
    plt.colorbar(filled, ax=ax, label=f"coordinate in {phi.target.irrep.key}")
    try:
        for piece in phi.pieces():
            ax.plot([0, 1.5 * math.cos(piece.start)], [0, 1.5 * math.sin(piece.start)], color="white", lw=0.8)
    except PLTheoryError:
        pass  # an activation with kinks away from 0 has no cones to draw
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.set_aspect("equal")
    ax.set_title(f"{phi.activation.name}: {phi.source.irrep.key} -> {phi.target.irrep.key}")
    return ax


def plot_energy_flow(graph: InteractionGraph, ax=None):
    """Stacked bars: for each source component, where the energy of its activated
    vectors goes (edge weights). Returns the Axes.

    >>> import matplotlib.pyplot as plt
    >>> import pltheory as pt
    >>> offscreen()
    >>> ax = plot_energy_flow(pt.interaction_graph(pt.GSet.regular(pt.cyclic(4)), "relu"))
    >>> ax.get_xlabel(), len(ax.patches)
    ('source component', 9)
    >>> plt.close(ax.figure)
    """
    G = _check_graph(graph).graph
    ax = _axes(ax, (7, 4))
    plt = _pyplot()
    nodes = list(G.nodes())
    names = [str(n) for n in nodes]
    bottom = np.zeros(len(nodes))
    cmap = plt.get_cmap("tab20")
    for t, target in enumerate(nodes):
        heights = np.array([(G.edges[s, target]["weight"] or 0.0) if G.has_edge(s, target) else 0.0
                            for s in nodes])
        if heights.any():
            ax.bar(range(len(nodes)), heights, bottom=bottom, color=cmap(t % 20), label=names[t])
            bottom += heights
    ax.set_xticks(range(len(nodes)), names, rotation=90 if len(nodes) > 12 else 0)
    ax.set_xlabel("source component")
    ax.set_ylabel("share of ||f(v)||^2")
    ax.set_title(f"where the energy goes: {graph.X.group.name}, {graph.activation.name}")
    if len(nodes) <= 20:
        ax.legend(title="target", fontsize=7, ncol=2)
    return ax


def plot_weight(W: np.ndarray, ax=None, title: str = "a task-adapted weight W"):
    """A weight matrix W (|Y| x |X|) as a heat map, red positive and blue negative on a scale
    symmetric about 0. Returns the Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> offscreen()
    >>> ax = plot_weight(np.array([[1.0, -2.0], [0.5, 0.0]]))
    >>> ax.get_title()
    'a task-adapted weight W'
    >>> plt.close(ax.figure)
    """
    W = check_real_array(W, "W", 2)
    ax = _axes(ax, (5, 4))
    limit = float(np.abs(W).max(initial=0.0)) or 1.0
    ax.imshow(W, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(title)
    return ax


def plot_sharing(U: np.ndarray | None, shape: tuple[int, int], ax=None, columns: int = 6):
    """Where a sharing matrix U (vec(W) = U v, row-major, W of ``shape`` (|Y|, |X|)) ties
    weights: |U| summed over its first ``columns`` columns, as an image of W's shape.
    ``U = None`` (no sharing, U = I) is said in words. Returns the Axes.

    Examples
    --------
    >>> offscreen()
    >>> import matplotlib.pyplot as plt
    >>> U = np.kron(np.ones((2, 1)), np.eye(2))          # W = [[a, b], [a, b]]
    >>> ax = plot_sharing(U, (2, 2))
    >>> ax.get_title()
    '|U| summed over its columns (learned sharing)'
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax, (5, 4))
    if U is None:
        ax.text(0.5, 0.5, "no sharing: U = I\n(every weight is its own parameter)", ha="center", va="center")
        ax.set_axis_off()
        return ax
    U = check_real_array(U, "U", 2)
    if U.shape[0] != shape[0] * shape[1]:
        raise ArgumentError(f"U has {U.shape[0]} rows; a weight of shape {tuple(shape)} needs {shape[0] * shape[1]}")
    ax.imshow(np.abs(U[:, :columns]).reshape(shape[0], shape[1], -1).sum(axis=2), cmap="viridis")
    ax.set_title("|U| summed over its columns (learned sharing)")
    return ax


def plot_containment(names: Sequence[str], containment: Sequence[float], ax=None):
    """Horizontal bars: the share of span(U) inside each candidate sharing subspace (the
    mean cos^2 of the principal angles, [`pltheory.analysis.rank_candidates`][pltheory.analysis.rank_candidates]), the
    first name on top. Returns the Axes.

    Examples
    --------
    >>> offscreen()
    >>> ax = plot_containment(["convolution width 3 (3)", "free (no sharing) (4760)"], [1.0, 0.25])
    >>> print([float(round(bar.get_width(), 2)) for bar in ax.patches])
    [1.0, 0.25]
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    values = check_real_array(containment, "containment", 1)
    if len(names) != values.size:
        raise ArgumentError(f"{len(names)} names for {values.size} containment values")
    ax = _axes(ax, (8, 4))
    ax.barh([str(name) for name in names], values, color="#4c72b0")
    ax.set_xlabel("share of span(U) inside the candidate (mean cos^2 of principal angles)")
    ax.invert_yaxis()
    return ax


def plot_spectrum(energy: Sequence[float], group_name: str, ax=None):
    """Bars: the share of ||W||^2 in the equivariant block of each irreducible of the group
    ([`pltheory.decompose_weight`][pltheory.decomposition.decompose_weight], the diagonal of
    its equivariant energy), in the order of the group's irreducibles. Returns the Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> offscreen()
    >>> ax = plot_spectrum([0.5, 0.3, 0.2], "C4")
    >>> ax.get_xlabel()
    'irreducible of C4'
    >>> plt.close(ax.figure)
    """
    values = check_real_array(energy, "energy", 1)
    ax = _axes(ax, (8, 3.5))
    ax.bar(range(values.size), values, color="#dd8452")
    ax.set_xlabel(f"irreducible of {group_name}")
    ax.set_ylabel("share of ||W||^2 (equivariant part)")
    return ax


def plot_frequency_flow(before: Sequence[float], after: Sequence[float], ax=None, activation: str = "ReLU"):
    """Paired bars: the share of energy of each isotypic component before and after the
    activation ([`pltheory.analysis.frequency_flow`][pltheory.analysis.frequency_flow]). Returns the Axes.

    Examples
    --------
    >>> offscreen()
    >>> ax = plot_frequency_flow([0.0, 1.0], [0.6, 0.4])
    >>> print([float(round(bar.get_height(), 1)) for bar in ax.patches])
    [0.0, 1.0, 0.6, 0.4]
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    before, after = check_real_array(before, "before", 1), check_real_array(after, "after", 1)
    if before.size != after.size:
        raise ArgumentError(f"before has {before.size} components, after {after.size}")
    ax = _axes(ax, (8, 3.5))
    index = np.arange(before.size)
    activation = check_instance(activation, "activation", str, "the activation's name")
    ax.bar(index - 0.2, before, width=0.4, label=f"before {activation}")
    ax.bar(index + 0.2, after, width=0.4, label=f"after {activation}")
    ax.set_xlabel("isotypic component")
    ax.set_ylabel("share of energy")
    ax.legend()
    return ax
