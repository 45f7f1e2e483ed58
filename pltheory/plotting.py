"""Drawings of interaction graphs, PL maps and energy flow (matplotlib + networkx).

Layout convention (as in the paper's figures): nodes are layered by the order of their
kernel, faithful components (kernel of order 1, "low frequency" for C_n) on top and the
trivial component (kernel G) at the bottom, so information flows downward. Within a layer
nodes are sorted by their id. Edge width grows with the edge weight (the share of the
energy that moves along it); self-loops are drawn as small loops.

Arguments are checked on entry (:class:`~pltheory.errors.ArgumentError`): graphs must be
:class:`~pltheory.interaction.InteractionGraph` objects, PL maps
:class:`~pltheory.interaction.PLMap` objects, ``ax`` a matplotlib Axes or None, and the
resolution of :func:`plot_pl_map` an integer within :data:`RESOLUTION_RANGE`.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from pltheory.groups import cyclic
>>> from pltheory.gsets import GSet
>>> from pltheory.interaction import interaction_graph
>>> ax = draw_interaction_graph(interaction_graph(GSet.regular(cyclic(8)), "relu"))
>>> ax.get_title()
'C8 on regular, relu (probe)'
"""

from __future__ import annotations

import math
from typing import Literal

import networkx as nx
import numpy as np

from .errors import ArgumentError, PLTheoryError
from .interaction import InteractionGraph, PLMap
from .limits import check_memory
from .validate import check_choice, check_instance, check_integer

NodeLabels = Literal["order", "frequency", "dim", "irrep"]

#: Grid points per axis of :func:`plot_pl_map` (2000 x 2000 = 4 million evaluations).
RESOLUTION_RANGE = (3, 2000)

#: The node attributes each kind of node label reads.
LABEL_KEYS = {"order": ("group_order", "kernel_order"), "frequency": ("frequency", "label"), "dim": ("dim",),
              "irrep": ("label",)}


def _pyplot():
    import matplotlib.pyplot as plt  # noqa: PLC0415 - matplotlib is imported on first drawing

    return plt


def _axes(ax: object, figsize: tuple[float, float]):
    """``ax`` if it is a matplotlib Axes, a new figure's Axes if it is None."""
    plt = _pyplot()
    if ax is None:
        return plt.subplots(figsize=figsize)[1]
    return check_instance(ax, "ax", plt.Axes, "a matplotlib Axes or None")


def _check_graph(graph: object) -> InteractionGraph:
    return check_instance(graph, "graph", InteractionGraph, "an interaction graph (pltheory.interaction_graph)")


def layered_positions(graph: InteractionGraph) -> dict:
    """Node positions: y by kernel order (largest kernel lowest), x spread within a layer."""
    G = _check_graph(graph).graph
    layers = sorted({d["kernel_order"] for _, d in G.nodes(data=True)})
    level = {k: len(layers) - 1 - i for i, k in enumerate(layers)}
    positions = {}
    for k in layers:
        members = sorted((n for n, d in G.nodes(data=True) if d["kernel_order"] == k), key=str)
        for i, n in enumerate(members):
            positions[n] = (i - (len(members) - 1) / 2, float(level[k]))
    return positions


def node_label(data: dict, n: object, labels: NodeLabels) -> str:
    """The text on a node: the order of the image of G (n / gcd(n, k) for C_n), the
    frequency (or label), the dimension of the irreducible, or its label. ``data`` holds
    the node's attributes (and ``group_order`` for ``"order"``): :data:`LABEL_KEYS`."""
    labels = check_choice(labels, "labels", LABEL_KEYS)
    check_instance(data, "data", dict, "a dict of node attributes")
    missing = [key for key in LABEL_KEYS[labels] if key not in data]
    if missing:
        raise ArgumentError(f"labels={labels!r} needs the node attributes {', '.join(missing)}, missing from data")
    if labels == "order":
        return str(data["group_order"] // data["kernel_order"])
    if labels == "frequency":
        return str(data["frequency"] if data["frequency"] is not None else data["label"])
    if labels == "dim":
        return str(data["dim"])
    return str(data["label"])


def draw_interaction_graph(graph: InteractionGraph, ax=None, labels: NodeLabels = "order"):
    """Draw an interaction graph layered by kernel, self-loops visible, edge width by weight.
    Returns the matplotlib Axes."""
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
    points (:data:`RESOLUTION_RANGE`). Returns the Axes."""
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
    plt.colorbar(filled, ax=ax, label=f"coordinate in {phi.target.irrep.label}")
    try:
        for piece in phi.pieces():
            ax.plot([0, 1.5 * math.cos(piece.start)], [0, 1.5 * math.sin(piece.start)], color="white", lw=0.8)
    except PLTheoryError:
        pass  # an activation with kinks away from 0 has no cones to draw
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.set_aspect("equal")
    ax.set_title(f"{phi.activation.name}: {phi.source.irrep.label} -> {phi.target.irrep.label}")
    return ax


def plot_energy_flow(graph: InteractionGraph, ax=None):
    """Stacked bars: for each source component, where the energy of its activated
    vectors goes (edge weights). Returns the Axes."""
    G = _check_graph(graph).graph
    ax = _axes(ax, (7, 4))
    plt = _pyplot()
    nodes = list(G.nodes())
    names = [str(G.nodes[n]["label"]) for n in nodes]
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
